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

"""Policies of protection plans (``/v1/{project_id}/plans``)."""

from karbor.policies import base

CREATE_POLICY = 'plan:create'
UPDATE_POLICY = 'plan:update'
DELETE_POLICY = 'plan:delete'
GET_POLICY = 'plan:get'
GET_ALL_POLICY = 'plan:get_all'

_COLLECTION = '/v1/{project_id}/plans'
_ITEM = '/v1/{project_id}/plans/{plan_id}'

rules = [
    base.project_rule(
        CREATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Create a plan.', [('POST', _COLLECTION)]),
    base.project_rule(
        UPDATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Update a plan.', [('PUT', _ITEM)]),
    base.project_rule(
        DELETE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Delete a plan.', [('DELETE', _ITEM)]),
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a plan.', [('GET', _ITEM)]),
    base.project_rule(
        GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List plans.', [('GET', _COLLECTION)]),
]


def list_rules():
    return rules
