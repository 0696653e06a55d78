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

"""Policy of the checkpoint copy action."""

from karbor.policies import base

CREATE_POLICY = 'copy:create'

rules = [
    base.project_rule(
        CREATE_POLICY, base.PROJECT_MEMBER_OR_ADMIN,
        'Copy the checkpoints of a plan to another bank.',
        [('POST',
          '/v1/{project_id}/providers/{provider_id}/checkpoints/action')]),
]


def list_rules():
    return rules
