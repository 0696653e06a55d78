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

"""Tests of karbor-status (karbor.cmd.status)."""

import io
import os
import subprocess
import sys
from unittest import mock

from oslo_serialization import jsonutils
from oslo_upgradecheck import upgradecheck
import sqlalchemy as sa

from karbor.cmd import status
from karbor.db.sqlalchemy import engine as db_engine
from karbor.db.sqlalchemy import migration
from karbor.tests import base


class TestStatus(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db_path = os.path.join(self.state_path, 'status.sqlite')
        self.policy_path = os.path.join(self.state_path, 'policy.yaml')
        self.conf_path = os.path.join(self.state_path, 'karbor.conf')
        with open(self.conf_path, 'w') as conf_file:
            conf_file.write('[DEFAULT]\nauth_strategy = noauth\n'
                            '[database]\nconnection = sqlite:///%s\n'
                            '[oslo_policy]\npolicy_file = %s\n'
                            % (self.db_path, self.policy_path))
        # The base class overrides these; the commands must read them from
        # the configuration file.
        base.CONF.clear_override('auth_strategy')
        base.CONF.clear_override('connection', group='database')
        db_engine.reset()
        self.addCleanup(db_engine.reset)

    def _check(self):
        with mock.patch('sys.stdout', new_callable=io.StringIO) as out:
            code = status.main(['karbor-status', '--config-file',
                                self.conf_path, 'upgrade', 'check',
                                '--json'])
        db_engine.reset()
        results = jsonutils.loads(out.getvalue())['checks']
        return code, {r['check']: r['result'] for r in results}

    def _migrate(self):
        engine = sa.create_engine('sqlite:///' + self.db_path)
        self.addCleanup(engine.dispose)
        migration.upgrade(engine=engine)

    def test_empty_database_fails(self):
        code, results = self._check()
        self.assertEqual(upgradecheck.Code.FAILURE, code)
        self.assertEqual(upgradecheck.Code.FAILURE,
                         results['Database schema at head'])

    def test_all_good(self):
        self._migrate()
        with open(self.policy_path, 'w') as policy:
            policy.write('"plan:get": "rule:admin_or_owner"\n')
        code, results = self._check()
        self.assertEqual(upgradecheck.Code.SUCCESS, code)
        self.assertEqual({'Database schema at head': 0,
                          'Policy file format': 0}, results)

    def test_json_policy_file_warns(self):
        self._migrate()
        with open(self.policy_path, 'w') as policy:
            policy.write('{"plan:get": "rule:admin_or_owner"}\n')
        code, results = self._check()
        self.assertEqual(upgradecheck.Code.WARNING, code)
        self.assertEqual(upgradecheck.Code.WARNING,
                         results['Policy file format'])

    def test_bad_config_exits_2(self):
        with open(self.conf_path, 'a') as conf_file:
            conf_file.write('[DEFAULT]\nauth_strategy = bogus\n')
        with mock.patch('sys.stderr', new_callable=io.StringIO) as err:
            error = self.assertRaises(SystemExit, status.main,
                                      ['karbor-status', '--config-file',
                                       self.conf_path, 'upgrade', 'check'])
        self.assertEqual(2, error.code)
        self.assertTrue(err.getvalue().startswith('karbor-status: error:'))

    def test_runs_as_module(self):
        # ``python -m karbor.cmd.status`` used to exit 0 and check nothing.
        result = subprocess.run(
            [sys.executable, '-m', 'karbor.cmd.status', '--config-file',
             self.conf_path, 'upgrade', 'check'],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=120)
        self.assertEqual(upgradecheck.Code.FAILURE, result.returncode,
                         result.stdout)
        self.assertIn('Database schema at head', result.stdout)
