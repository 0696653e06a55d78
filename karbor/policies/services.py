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

"""Policies of the service list (``/v1/{project_id}/os-services``).

Admin only, as upstream.
"""

from karbor.policies import base

GET_ALL_POLICY = 'service:get_all'
UPDATE_POLICY = 'service:update'

_COLLECTION = '/v1/{project_id}/os-services'
_ITEM = '/v1/{project_id}/os-services/{service_id}'

rules = [
    base.project_rule(
        GET_ALL_POLICY, base.ADMIN,
        'List Karbor services.', [('GET', _COLLECTION)], legacy=False),
    base.project_rule(
        UPDATE_POLICY, base.ADMIN,
        'Enable or disable a Karbor service.', [('PUT', _ITEM)],
        legacy=False),
]


def list_rules():
    return rules
