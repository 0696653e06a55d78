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

"""Policies of triggers (``/v1/{project_id}/triggers``)."""

from karbor.policies import base

CREATE_POLICY = 'trigger:create'
UPDATE_POLICY = 'trigger:update'
DELETE_POLICY = 'trigger:delete'
GET_POLICY = 'trigger:get'
GET_ALL_POLICY = 'trigger:list'

_COLLECTION = '/v1/{project_id}/triggers'
_ITEM = '/v1/{project_id}/triggers/{trigger_id}'

rules = [
    base.project_rule(
        CREATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Create a trigger.', [('POST', _COLLECTION)]),
    base.project_rule(
        UPDATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Update a trigger.', [('PUT', _ITEM)]),
    base.project_rule(
        DELETE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Delete a trigger.', [('DELETE', _ITEM)]),
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a trigger.', [('GET', _ITEM)]),
    base.project_rule(
        GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List triggers.', [('GET', _COLLECTION)]),
]


def list_rules():
    return rules
