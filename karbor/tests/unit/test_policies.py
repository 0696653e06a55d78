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

"""Tests of karbor.policies: every default rule against each persona."""

import os

import ddt
from oslo_config import cfg
from oslo_policy import generator
from oslo_policy import policy as oslo_policy

from karbor import context
from karbor import policies
from karbor import policy
from karbor.tests import base

READ = 'read'
WRITE = 'write'
ADMIN = 'admin'

# The contract's rule names, each with who may use it by default.
EXPECTED = {
    'plan:create': WRITE, 'plan:update': WRITE, 'plan:delete': WRITE,
    'plan:get': READ, 'plan:get_all': READ,
    'restore:create': WRITE, 'restore:update': WRITE,
    'restore:get': READ, 'restore:get_all': READ,
    'protectable:get': READ, 'protectable:get_all': READ,
    'protectable:instance_get': READ, 'protectable:instance_get_all': READ,
    'provider:get': READ, 'provider:get_all': READ,
    'provider:checkpoint_get': READ, 'provider:checkpoint_get_all': READ,
    'provider:checkpoint_create': WRITE,
    'provider:checkpoint_delete': WRITE,
    'provider:checkpoint_update': WRITE,
    'trigger:create': WRITE, 'trigger:update': WRITE,
    'trigger:delete': WRITE, 'trigger:get': READ, 'trigger:list': READ,
    'scheduled_operation:create': WRITE,
    'scheduled_operation:delete': WRITE,
    'scheduled_operation:get': READ, 'scheduled_operation:list': READ,
    'operation_log:get': READ, 'operation_log:list': READ,
    'verification:create': WRITE, 'verification:get': READ,
    'verification:get_all': READ,
    'service:get_all': ADMIN, 'service:update': ADMIN,
    'quota:update': ADMIN, 'quota:delete': ADMIN,
    'quota:get': READ, 'quota:get_default': READ,
    'quota_class:update': ADMIN, 'quota_class:get': READ,
    'copy:create': WRITE,
}
BASE_RULES = {'context_is_admin', 'admin_api', 'admin_or_owner', 'default'}


def _ctx(roles, project_id='p1', is_admin=False):
    return context.RequestContext(user_id='u1', project_id=project_id,
                                  roles=list(roles), is_admin=is_admin)


# persona name -> (context factory, kinds of rule it may use in project p1)
PERSONAS = {
    'noauth_admin': (lambda: _ctx(['admin', 'member', 'reader'],
                                  is_admin=True), {READ, WRITE, ADMIN}),
    'keystone_admin_elsewhere': (
        lambda: _ctx(['admin', 'member', 'reader'], project_id='p9'),
        {READ, WRITE, ADMIN}),
    'service_context': (context.get_admin_context, {READ, WRITE, ADMIN}),
    'member': (lambda: _ctx(['member', 'reader']), {READ, WRITE}),
    'reader': (lambda: _ctx(['reader']), {READ}),
    'no_role': (lambda: _ctx(['other']), set()),
    'member_elsewhere': (lambda: _ctx(['member', 'reader'],
                                      project_id='p2'), set()),
}


@ddt.ddt
class DefaultRulesTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        policy.reset()
        self.addCleanup(policy.reset)

    def test_rule_names_are_the_contract(self):
        names = [rule.name for rule in policies.list_rules()]
        self.assertEqual(len(names), len(set(names)), 'duplicate rule')
        self.assertEqual(set(EXPECTED) | BASE_RULES, set(names))

    def test_resource_rules_are_documented_and_project_scoped(self):
        for rule in policies.list_rules():
            if rule.name in BASE_RULES:
                continue
            self.assertIsInstance(rule, oslo_policy.DocumentedRuleDefault,
                                  rule.name)
            self.assertEqual(['project'], rule.scope_types, rule.name)
            self.assertTrue(rule.description, rule.name)
            for operation in rule.operations:
                self.assertTrue(
                    operation['path'].startswith('/v1/{project_id}/'),
                    rule.name)
                self.assertIn(operation['method'],
                              ('GET', 'POST', 'PUT', 'DELETE'), rule.name)

    def test_registered_for_the_oslo_policy_tools(self):
        # The entry point in setup.cfg is what oslopolicy-* tools load.
        found = generator.get_policies_dict(['karbor'])['karbor']
        self.assertEqual([rule.name for rule in policies.list_rules()],
                         [rule.name for rule in found])

    def test_sample_generation(self):
        path = os.path.join(self.state_path, 'policy.yaml.sample')
        generator.generate_sample(
            args=['--namespace', 'karbor', '--output-file', path],
            conf=cfg.ConfigOpts())
        with open(path) as f:
            sample = f.read()
        self.assertIn('#"copy:create": "rule:admin_api or (role:member and '
                      'project_id:%(project_id)s)"', sample)
        self.assertIn('POST  /v1/{project_id}/providers/{provider_id}/'
                      'checkpoints/action', sample)

    def test_copy_operation_path(self):
        rule = {r.name: r for r in policies.list_rules()}['copy:create']
        self.assertEqual(
            [{'method': 'POST',
              'path': '/v1/{project_id}/providers/{provider_id}'
                      '/checkpoints/action'}],
            rule.operations)

    @ddt.data(*sorted(PERSONAS))
    def test_persona(self, persona):
        make_context, allowed_kinds = PERSONAS[persona]
        ctx = make_context()
        wrong = []
        for action, kind in sorted(EXPECTED.items()):
            allowed = policy.authorize(ctx, action, {'project_id': 'p1'},
                                       do_raise=False)
            if bool(allowed) != (kind in allowed_kinds):
                wrong.append((action, bool(allowed)))
        self.assertEqual([], wrong)
