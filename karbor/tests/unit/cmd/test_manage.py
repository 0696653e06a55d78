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

"""Tests of karbor-manage (karbor.cmd.manage)."""

import io
import os
import subprocess
import sys
from unittest import mock

import sqlalchemy as sa

from karbor.cmd import manage
from karbor.db.sqlalchemy import engine as db_engine
from karbor.db.sqlalchemy import migration
from karbor.tests import base


class TestManage(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db_path = os.path.join(self.state_path, 'manage.sqlite')
        self.conf_path = os.path.join(self.state_path, 'karbor.conf')
        self._write_conf('noauth')
        # The base class overrides these; the commands must read them from
        # the configuration file.
        base.CONF.clear_override('auth_strategy')
        base.CONF.clear_override('connection', group='database')
        db_engine.reset()
        self.addCleanup(db_engine.reset)

    def _write_conf(self, auth_strategy, connection=None):
        with open(self.conf_path, 'w') as conf_file:
            conf_file.write('[DEFAULT]\nauth_strategy = %s\n'
                            '[database]\nconnection = %s\n'
                            'max_retries = 0\n'
                            % (auth_strategy,
                               connection or 'sqlite:///' + self.db_path))

    def _run(self, *args):
        with mock.patch('sys.stdout', new_callable=io.StringIO) as out, \
                mock.patch('sys.stderr', new_callable=io.StringIO) as err:
            try:
                code = manage.main(['karbor-manage', '--config-file',
                                    self.conf_path] + list(args))
            except SystemExit as e:
                code = e.code
        db_engine.reset()
        return code, out.getvalue(), err.getvalue()

    def _schema(self):
        engine = sa.create_engine('sqlite:///' + self.db_path)
        self.addCleanup(engine.dispose)
        inspector = sa.inspect(engine)
        with engine.connect() as connection:
            version = connection.execute(sa.text(
                'SELECT version_num FROM alembic_version')).scalars().all()
        return ({table: [c['name'] for c in inspector.get_columns(table)]
                 for table in inspector.get_table_names()}, version)

    def test_sync_twice(self):
        code, out, _err = self._run('db', 'sync')
        self.assertEqual(0, code)
        self.assertIn(migration.head(), out)
        first = self._schema()
        self.assertIn('operation_logs', first[0])
        self.assertEqual([migration.head()], first[1])
        code, _out, _err = self._run('db', 'sync')
        self.assertEqual(0, code)
        self.assertEqual(first, self._schema())

    def test_version(self):
        self.assertEqual((0, 'None\n'), self._run('db', 'version')[:2])
        self._run('db', 'sync', '--version', migration.head())
        self.assertEqual((0, migration.head() + '\n'),
                         self._run('db', 'version')[:2])

    def test_bad_config_value(self):
        self._write_conf('bogus')
        code, out, err = self._run('db', 'sync')
        self.assertEqual(2, code)
        self.assertEqual('', out)
        self.assertEqual(1, len(err.splitlines()))
        self.assertTrue(err.startswith('karbor-manage: error: '))
        self.assertIn('auth_strategy', err)
        self.assertFalse(os.path.exists(self.db_path))

    def test_legacy_database(self):
        engine = sa.create_engine('sqlite:///' + self.db_path)
        with engine.begin() as connection:
            connection.execute(sa.text(
                'CREATE TABLE migrate_version (version INTEGER)'))
        engine.dispose()
        code, _out, err = self._run('db', 'sync')
        self.assertEqual(1, code)
        self.assertNotIn('Traceback', err)
        self.assertIn('migrate_version', err)
        self.assertIn('karbor-manage db sync', err)

    def test_unusable_database(self):
        self._write_conf('noauth', connection='nosuchdialect://db')
        code, _out, err = self._run('db', 'sync')
        self.assertEqual(1, code)
        self.assertTrue(err.startswith('karbor-manage: error: '), err)
        self.assertNotIn('Traceback', err)

    def test_missing_command(self):
        code, _out, err = self._run()
        self.assertEqual(2, code)
        self.assertNotIn('Traceback', err)

    def test_runs_as_module(self):
        # ``python -m karbor.cmd.manage`` (how the functional tests start
        # every command) used to exit 0 without doing anything.
        result = subprocess.run(
            [sys.executable, '-m', 'karbor.cmd.manage', '--config-file',
             self.conf_path, 'db', 'sync'],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=120)
        self.assertEqual(0, result.returncode, result.stdout)
        self.assertIn(migration.head(), result.stdout)
        self.assertIn('operation_logs', self._schema()[0])
