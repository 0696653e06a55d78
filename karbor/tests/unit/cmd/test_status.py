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


NOOP_ID = 'b766f37c-d011-4026-8228-28730d734a3f'
NOOP_PROVIDER = ("[provider]\nname = No-Op Provider\nid = %s\n"
                 "plugin = karbor-noop-protection-plugin\n"
                 "bank = karbor-fs-bank-plugin\nenabled = True\n"
                 "[file_system_bank_plugin]\n"
                 "file_system_bank_path = %%s/bank\n" % NOOP_ID)


class TestStatus(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db_path = os.path.join(self.state_path, 'status.sqlite')
        self.policy_path = os.path.join(self.state_path, 'policy.yaml')
        self.conf_path = os.path.join(self.state_path, 'karbor.conf')
        self.providers = os.path.join(self.state_path, 'providers.d')
        os.mkdir(self.providers)
        self._write_provider('noop.conf', NOOP_PROVIDER % self.state_path)
        with open(self.conf_path, 'w') as conf_file:
            conf_file.write('[DEFAULT]\nauth_strategy = noauth\n'
                            'provider_config_dir = %s\n'
                            '[database]\nconnection = sqlite:///%s\n'
                            '[oslo_policy]\npolicy_file = %s\n'
                            % (self.providers, self.db_path,
                               self.policy_path))
        # The base class overrides these; the commands must read them from
        # the configuration file.
        base.CONF.clear_override('auth_strategy')
        base.CONF.clear_override('connection', group='database')
        db_engine.reset()
        self.addCleanup(db_engine.reset)

    def _write_provider(self, name, text):
        with open(os.path.join(self.providers, name), 'w') as f:
            f.write(text)

    def _check(self, details=False):
        with mock.patch('sys.stdout', new_callable=io.StringIO) as out:
            code = status.main(['karbor-status', '--config-file',
                                self.conf_path, 'upgrade', 'check',
                                '--json'])
        db_engine.reset()
        results = jsonutils.loads(out.getvalue())['checks']
        if details:
            return code, {r['check']: (r['result'], r['details'])
                          for r in results}
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
                          'Policy file format': 0,
                          'Provider files': 0}, results)
        # Checking touched no bank.
        self.assertFalse(os.path.exists(os.path.join(self.state_path,
                                                     'bank')))

    def test_json_policy_file_warns(self):
        self._migrate()
        with open(self.policy_path, 'w') as policy:
            policy.write('{"plan:get": "rule:admin_or_owner"}\n')
        code, results = self._check()
        self.assertEqual(upgradecheck.Code.WARNING, code)
        self.assertEqual(upgradecheck.Code.WARNING,
                         results['Policy file format'])

    def test_provider_files_that_will_not_load_fail(self):
        self._migrate()
        # An unknown bank plugin, a destination without its section, and
        # the id of noop.conf again: each is named with its reason. A
        # disabled file is not a problem.
        self._write_provider('bad-bank.conf', NOOP_PROVIDER.replace(
            'karbor-fs-bank-plugin', 'no-such-bank').replace(
            NOOP_ID, '11111111-2222-4333-8444-555555555555') % 'x')
        self._write_provider('no-section.conf', NOOP_PROVIDER.replace(
            NOOP_ID, '22222222-2222-4333-8444-555555555555') % 'y' +
            '[provider]\ncopy_destinations = dr\n')
        self._write_provider('same-id.conf', NOOP_PROVIDER % 'z')
        self._write_provider('off.conf', NOOP_PROVIDER.replace(
            'enabled = True', 'enabled = False') % 'w')
        code, results = self._check(details=True)
        self.assertEqual(upgradecheck.Code.FAILURE, code)
        result, details = results['Provider files']
        self.assertEqual(upgradecheck.Code.FAILURE, result)
        lines = details.splitlines()[1:]
        self.assertEqual(3, len(lines), details)
        self.assertIn('bad-bank.conf: ', lines[0])
        self.assertIn('no-such-bank', lines[0])
        self.assertIn('no-section.conf: ', lines[1])
        self.assertIn('[copy_destination:dr]', lines[1])
        self.assertIn('same-id.conf: provider id %s is already used'
                      % NOOP_ID, lines[2])

    def test_no_provider_warns(self):
        self._migrate()
        os.remove(os.path.join(self.providers, 'noop.conf'))
        code, results = self._check()
        self.assertEqual(upgradecheck.Code.WARNING, code)
        self.assertEqual(upgradecheck.Code.WARNING,
                         results['Provider files'])

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
