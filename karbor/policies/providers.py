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

"""Policies of providers and of their checkpoints.

Routes under ``/v1/{project_id}/providers``.
"""

from karbor.policies import base

GET_POLICY = 'provider:get'
GET_ALL_POLICY = 'provider:get_all'
CHECKPOINT_GET_POLICY = 'provider:checkpoint_get'
CHECKPOINT_GET_ALL_POLICY = 'provider:checkpoint_get_all'
CHECKPOINT_CREATE_POLICY = 'provider:checkpoint_create'
CHECKPOINT_DELETE_POLICY = 'provider:checkpoint_delete'
CHECKPOINT_UPDATE_POLICY = 'provider:checkpoint_update'

_PROVIDERS = '/v1/{project_id}/providers'
_PROVIDER = _PROVIDERS + '/{provider_id}'
_CHECKPOINTS = _PROVIDER + '/checkpoints'
_CHECKPOINT = _CHECKPOINTS + '/{checkpoint_id}'

rules = [
    base.project_rule(
        GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a provider.', [('GET', _PROVIDER)]),
    base.project_rule(
        GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List providers.', [('GET', _PROVIDERS)]),
    base.project_rule(
        CHECKPOINT_GET_POLICY, base.PROJECT_READER_OR_ADMIN,
        'Show a checkpoint.', [('GET', _CHECKPOINT)]),
    base.project_rule(
        CHECKPOINT_GET_ALL_POLICY, base.PROJECT_READER_OR_ADMIN,
        'List the checkpoints of a provider.', [('GET', _CHECKPOINTS)]),
    base.project_rule(
        CHECKPOINT_CREATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Create a checkpoint: protect a plan.', [('POST', _CHECKPOINTS)]),
    base.project_rule(
        CHECKPOINT_DELETE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Delete a checkpoint.', [('DELETE', _CHECKPOINT)]),
    base.project_rule(
        CHECKPOINT_UPDATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Reset the state of a checkpoint.', [('PUT', _CHECKPOINT)]),
]


def list_rules():
    return rules
