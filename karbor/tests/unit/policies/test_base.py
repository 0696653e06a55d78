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

"""Tests of karbor.policies.base: base rules and the rule helper."""

from oslo_policy import policy as oslo_policy

from karbor.policies import base as policy_base
from karbor.tests import base


class BaseRulesTestCase(base.TestCase):

    def test_upstream_base_rule_names_kept(self):
        names = {rule.name for rule in policy_base.list_rules()}
        self.assertEqual({'context_is_admin', 'admin_api', 'admin_or_owner',
                          'default'}, names)

    def test_project_rule(self):
        rule = policy_base.project_rule(
            'thing:get', policy_base.PROJECT_READER_OR_ADMIN, 'Show a thing.',
            [('GET', '/v1/{project_id}/things/{thing_id}')])
        self.assertIsInstance(rule, oslo_policy.DocumentedRuleDefault)
        self.assertEqual(['project'], rule.scope_types)
        self.assertEqual([{'method': 'GET',
                           'path': '/v1/{project_id}/things/{thing_id}'}],
                         rule.operations)
        self.assertEqual('thing:get', rule.deprecated_rule.name)
        self.assertEqual('rule:admin_or_owner',
                         rule.deprecated_rule.check_str)

    def test_project_rule_without_legacy(self):
        rule = policy_base.project_rule(
            'thing:purge', policy_base.ADMIN, 'Purge things.',
            [('DELETE', '/v1/{project_id}/things')], legacy=False)
        self.assertIsNone(rule.deprecated_rule)
