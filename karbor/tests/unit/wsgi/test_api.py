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

"""Tests of karbor.wsgi.api: the lazily built WSGI application."""

import os
from unittest import mock

import fixtures
import webob

from karbor import policy
from karbor import rpc
from karbor.tests import base
from karbor.wsgi import api


class WsgiApiTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MonkeyPatch(
            'karbor.wsgi.api._APPLICATION', None))
        self.addCleanup(policy.reset)
        self.addCleanup(rpc.cleanup)

    def test_import_builds_nothing(self):
        self.assertIsNone(api._APPLICATION)

    def test_config_files_from_environment(self):
        self.useFixture(fixtures.EnvironmentVariable(
            api.CONFIG_FILES_ENV, '/a.conf, /b.conf,'))
        self.assertEqual(['/a.conf', '/b.conf'], api._config_files())

    def test_default_config_files(self):
        self.useFixture(fixtures.EnvironmentVariable(api.CONFIG_FILES_ENV))
        self.assertIsNone(api._config_files())

    def test_built_once(self):
        built = webob.Response(body=b'hello')
        with mock.patch.object(api, 'init_application', autospec=True,
                               return_value=built) as init:
            for _ in range(3):
                response = webob.Request.blank('/').get_response(
                    api.application)
        init.assert_called_once_with()
        self.assertEqual(b'hello', response.body)

    def test_init_application_from_config_file(self):
        path = os.path.join(self.state_path, 'karbor.conf')
        with open(path, 'w') as conf_file:
            conf_file.write('[DEFAULT]\nauth_strategy = noauth\n'
                            'transport_url = fake:/\n'
                            'state_path = %s\n' % self.state_path)
        self.useFixture(fixtures.EnvironmentVariable(api.CONFIG_FILES_ENV,
                                                     path))
        # A WSGI server process starts with an unparsed configuration.
        api.CONF.clear()
        self.useFixture(fixtures.MonkeyPatch(
            'sys.argv', ['sphinx-build', '-W', 'doc']))
        with mock.patch.object(api.logging, 'setup',
                               autospec=True) as log_setup:
            application = api.get_application()
        log_setup.assert_called_once_with(api.CONF, 'karbor')
        self.assertTrue(rpc.initialized())
        req = webob.Request.blank('/v1/q/plans')
        req.headers['X-Auth-Token'] = 'u:p'
        response = req.get_response(application)
        # noauth from the file: the token's project is taken as is (with
        # keystone the request would get 401), and it differs from the URL.
        self.assertEqual(400, response.status_int)
        self.assertIn('Malformed request url', response.text)
        self.assertIs(application, api.get_application())
