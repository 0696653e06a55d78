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

"""Policies of quota classes (``/v1/{project_id}/quota_classes``)."""

from karbor.policies import base

UPDATE_POLICY = 'quota_class:update'
GET_POLICY = 'quota_class:get'

_ITEM = '/v1/{project_id}/quota_classes/{quota_class_name}'

rules = [
    base.project_rule(
        UPDATE_POLICY, base.ADMIN,
        'Update a quota class.', [('PUT', _ITEM)], legacy=False),
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a quota class.', [('GET', _ITEM)]),
]


def list_rules():
    return rules
