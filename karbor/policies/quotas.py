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

"""Policies of project quotas (``/v1/{project_id}/quotas``)."""

from karbor.policies import base

UPDATE_POLICY = 'quota:update'
DELETE_POLICY = 'quota:delete'
GET_POLICY = 'quota:get'
GET_DEFAULT_POLICY = 'quota:get_default'

_ITEM = '/v1/{project_id}/quotas/{target_project_id}'

rules = [
    base.project_rule(
        UPDATE_POLICY, base.ADMIN,
        'Update the quotas of a project.', [('PUT', _ITEM)], legacy=False),
    base.project_rule(
        DELETE_POLICY, base.ADMIN,
        'Reset the quotas of a project to the defaults.',
        [('DELETE', _ITEM)], legacy=False),
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show the quotas of a project.',
        [('GET', _ITEM), ('GET', _ITEM + '/detail')]),
    base.project_rule(
        GET_DEFAULT_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show the default quotas of a project.',
        [('GET', _ITEM + '/defaults')]),
]


def list_rules():
    return rules
