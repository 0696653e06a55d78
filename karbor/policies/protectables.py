#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Policies of protectable types and instances.

Routes under ``/v1/{project_id}/protectables``.
"""

from karbor.policies import base

GET_POLICY = 'protectable:get'
GET_ALL_POLICY = 'protectable:get_all'
INSTANCES_GET_POLICY = 'protectable:instance_get'
INSTANCES_GET_ALL_POLICY = 'protectable:instance_get_all'

_TYPES = '/v1/{project_id}/protectables'
_TYPE = '/v1/{project_id}/protectables/{protectable_type}'
_INSTANCES = _TYPE + '/instances'
_INSTANCE = _INSTANCES + '/{resource_id}'

rules = [
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a protectable type.', [('GET', _TYPE)]),
    base.project_rule(
        GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List protectable types.', [('GET', _TYPES)]),
    base.project_rule(
        INSTANCES_GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a protectable instance.', [('GET', _INSTANCE)]),
    base.project_rule(
        INSTANCES_GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List the protectable instances of a type.',
        [('GET', _INSTANCES)]),
]


def list_rules():
    return rules
