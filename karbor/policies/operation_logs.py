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

"""Policies of operation logs (``/v1/{project_id}/operation_logs``)."""

from karbor.policies import base

GET_POLICY = 'operation_log:get'
GET_ALL_POLICY = 'operation_log:list'

_COLLECTION = '/v1/{project_id}/operation_logs'
_ITEM = '/v1/{project_id}/operation_logs/{operation_log_id}'

rules = [
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show an operation log.', [('GET', _ITEM)]),
    base.project_rule(
        GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List operation logs.', [('GET', _COLLECTION)]),
]


def list_rules():
    return rules
