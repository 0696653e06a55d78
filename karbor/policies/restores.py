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

"""Policies of restores (``/v1/{project_id}/restores``)."""

from karbor.policies import base

CREATE_POLICY = 'restore:create'
UPDATE_POLICY = 'restore:update'
GET_POLICY = 'restore:get'
GET_ALL_POLICY = 'restore:get_all'

_COLLECTION = '/v1/{project_id}/restores'
_ITEM = '/v1/{project_id}/restores/{restore_id}'

rules = [
    base.project_rule(
        CREATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Restore a checkpoint.', [('POST', _COLLECTION)]),
    base.project_rule(
        UPDATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Update a restore. Checked when the API records that a restore '
        'could not start.', [('POST', _COLLECTION)]),
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a restore.', [('GET', _ITEM)]),
    base.project_rule(
        GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List restores.', [('GET', _COLLECTION)]),
]


def list_rules():
    return rules
