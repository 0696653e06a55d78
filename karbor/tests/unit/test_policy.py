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

"""Tests of karbor.policy: the enforcer lifecycle and the checks."""

import os

from oslo_policy import policy as oslo_policy

from karbor import context
from karbor import exception
from karbor import policy
from karbor.tests import base


def _ctx(roles, project_id='p1', is_admin=False, **kwargs):
    return context.RequestContext(user_id='u1', project_id=project_id,
                                  roles=list(roles), is_admin=is_admin,
                                  **kwargs)


class PolicyTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        policy.reset()
        self.addCleanup(policy.reset)
        self.member = _ctx(['member', 'reader'])
        self.target = {'project_id': 'p1'}

    def test_init_is_lazy_and_shared(self):
        first = policy.init()
        self.assertIs(first, policy.init())
        policy.reset()
        self.assertIsNot(first, policy.init())

    def test_all_rules_registered(self):
        enforcer = policy.init()
        self.assertIn('copy:create', enforcer.registered_rules)
        self.assertIn('admin_or_owner', enforcer.registered_rules)

    def test_get_enforcer_parses_conf_without_argv(self):
        enforcer = policy.get_enforcer()
        self.assertIsInstance(enforcer, oslo_policy.Enforcer)
        self.assertIn('plan:get_all', enforcer.registered_rules)

    def test_authorize_allowed(self):
        self.assertTrue(policy.authorize(self.member, 'plan:create',
                                         self.target))

    def test_authorize_denied_raises_karbor_exception(self):
        ex = self.assertRaises(exception.PolicyNotAuthorized,
                               policy.authorize, self.member,
                               'service:get_all', self.target)
        self.assertIn('service:get_all', str(ex))
        self.assertEqual(403, ex.code)

    def test_authorize_denied_without_raise(self):
        self.assertFalse(policy.authorize(self.member, 'service:get_all',
                                          self.target, do_raise=False))

    def test_other_project_denied(self):
        self.assertRaises(exception.PolicyNotAuthorized, policy.authorize,
                          self.member, 'plan:get', {'project_id': 'p2'})

    def test_wrong_scope_is_a_denial(self):
        system_admin = context.RequestContext(
            user_id='u1', roles=['admin'], system_scope='all')
        self.assertRaises(exception.PolicyNotAuthorized, policy.authorize,
                          system_admin, 'plan:get', self.target)
        self.assertFalse(policy.authorize(system_admin, 'plan:get',
                                          self.target, do_raise=False))

    def test_unknown_action_is_a_programming_error(self):
        self.assertRaises(oslo_policy.PolicyNotRegistered, policy.authorize,
                          self.member, 'plan:frobnicate', self.target)

    def test_admin_flag_counts_as_admin(self):
        # The shape of the contexts the noauth middleware builds.
        noauth = _ctx(['admin', 'member', 'reader'], is_admin=True)
        self.assertTrue(policy.authorize(noauth, 'quota:update',
                                         {'project_id': 'p2'}))
        service = context.get_admin_context()
        self.assertTrue(policy.authorize(service, 'service:get_all', {}))

    def test_check_is_admin(self):
        self.assertTrue(policy.check_is_admin(_ctx(['admin'])))
        self.assertFalse(policy.check_is_admin(self.member))

    def test_context_can_uses_policy(self):
        self.assertTrue(self.member.can('plan:get'))
        self.assertFalse(self.member.can('plan:get', {'project_id': 'p2'},
                                         fatal=False))

    def test_policy_file_overrides_default(self):
        path = os.path.join(self.state_path, 'policy.yaml')
        with open(path, 'w') as f:
            f.write('"plan:get": "role:auditor"\n')
        self.flags(policy_file=path, group='oslo_policy')
        policy.reset()
        auditor = _ctx(['auditor'])
        self.assertTrue(policy.authorize(auditor, 'plan:get', self.target))
        self.assertFalse(policy.authorize(self.member, 'plan:get',
                                          self.target, do_raise=False))
        # Rules the file does not mention keep their in-code default.
        self.assertTrue(policy.authorize(self.member, 'plan:create',
                                         self.target))
