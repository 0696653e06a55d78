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

"""Tests of karbor.common.cli."""

import io
import os
from unittest import mock

from karbor.common import cli
from karbor.tests import base


class TestParseArgs(base.TestCase):

    def _conf(self, text):
        path = os.path.join(self.state_path, 'karbor.conf')
        with open(path, 'w') as conf_file:
            conf_file.write(text)
        return path

    def _fail(self, argv):
        with mock.patch('sys.stderr', new_callable=io.StringIO) as stderr:
            error = self.assertRaises(SystemExit, cli.parse_args, argv)
        self.assertEqual(2, error.code)
        lines = stderr.getvalue().splitlines()
        self.assertEqual(1, len(lines), lines)
        self.assertNotIn('Traceback', stderr.getvalue())
        return lines[0]

    def test_valid_file(self):
        path = self._conf('[DEFAULT]\nauth_strategy = noauth\n'
                          'osapi_max_limit = 7\n')
        self.assertEqual('karbor-test', cli.parse_args(
            ['/usr/bin/karbor-test', '--config-file', path]))
        self.assertEqual(7, cli.CONF.osapi_max_limit)

    def test_bad_choice(self):
        # The base class overrides it, which would hide the file's value.
        cli.CONF.clear_override('auth_strategy')
        path = self._conf('[DEFAULT]\nauth_strategy = bogus\n')
        line = self._fail(['karbor-test', '--config-file', path])
        self.assertTrue(line.startswith('karbor-test: error: '), line)
        self.assertIn('auth_strategy', line)
        self.assertIn(path, line)
        self.assertNotIn('LocationInfo', line)

    def test_bad_value_in_a_group(self):
        path = self._conf('[database]\nmax_retries = many\n')
        self.assertIn('max_retries',
                      self._fail(['karbor-test', '--config-file', path]))

    def test_missing_file(self):
        line = self._fail(['karbor-test', '--config-file',
                           os.path.join(self.state_path, 'missing.conf')])
        self.assertIn('missing.conf', line)

    def test_unparsable_file(self):
        path = self._conf('this is not an ini file\n')
        self._fail(['karbor-test', '--config-file', path])
