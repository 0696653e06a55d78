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

"""Tests of karbor.api.app: the assembled pipeline."""

from unittest import mock

from keystonemiddleware import auth_token
import webob

from karbor.api import app
from karbor.api.middleware import auth
from karbor.tests.unit.api import fakes


class AppTest(fakes.ApiTestCase):

    def test_noauth_without_token_uses_url_project(self):
        response = webob.Request.blank(
            '/v1/%s/plans' % fakes.PROJECT_ID).get_response(self.app)
        self.assertEqual(200, response.status_int)
        self.assertEqual({'plans': []}, response.json)

    def test_request_ids(self):
        self.protection.list_protectable_types.return_value = []
        response = self.request('GET', '/protectables')
        self.assertEqual(200, response.status_int)
        self.assertTrue(response.headers['x-openstack-request-id'])
        self.assertEqual(response.headers['x-openstack-request-id'],
                         response.headers['x-compute-request-id'])

    def test_body_size_limit(self):
        self.flags(max_request_body_size=100)
        application = app.setup_app()
        req = webob.Request.blank('/v1/%s/plans' % fakes.PROJECT_ID,
                                  method='POST', body=b'{}' + b' ' * 200)
        req.headers['X-Auth-Token'] = 'u:%s' % fakes.PROJECT_ID
        response = req.get_response(application)
        self.assertEqual(413, response.status_int)
        self.assertIn('overLimit', response.json)

    def test_proxy_headers(self):
        self.protection.list_providers.return_value = [fakes.provider()]
        self.flags(enable_proxy_headers_parsing=True,
                   group='oslo_middleware')
        response = self.request(
            'GET', '/providers?limit=1',
            headers={'X-Forwarded-Proto': 'https'})
        href = response.json['providers_links'][0]['href']
        self.assertTrue(href.startswith('https://'), href)

    def test_unexpected_error_hidden(self):
        self.protection.list_protectable_types.side_effect = ValueError(
            'password=hunter2')
        response = self.request('GET', '/protectables')
        self.assertFault(response, 500)
        self.assertNotIn('hunter2', response.text)

    def test_keystone_pipeline_wiring(self):
        self.flags(auth_strategy='keystone')
        with mock.patch.object(auth_token, 'AuthProtocol',
                               autospec=True) as protocol:
            app.setup_app()
        inner = protocol.call_args[0][0]
        self.assertIsInstance(inner, auth.KeystoneContext)

    def test_oversized_token_is_401_without_asking_keystone(self):
        self.flags(auth_strategy='keystone')
        self.flags(www_authenticate_uri='http://keystone.invalid/v3',
                   group='keystone_authtoken')
        req = webob.Request.blank('/v1/%s/plans' % fakes.PROJECT_ID)
        req.headers['X-Auth-Token'] = 'x' * 9000
        with mock.patch.object(auth_token.AuthProtocol, 'fetch_token',
                               autospec=True) as fetch:
            response = req.get_response(app.setup_app())
        self.assertEqual(401, response.status_int)
        fetch.assert_not_called()

    def test_keystone_rejects_request_without_token(self):
        self.flags(auth_strategy='keystone')
        self.flags(www_authenticate_uri='http://keystone.invalid/v3',
                   group='keystone_authtoken')
        response = webob.Request.blank(
            '/v1/%s/plans' % fakes.PROJECT_ID).get_response(
                app.setup_app())
        self.assertEqual(401, response.status_int)
        # The versions document needs no token.
        self.assertEqual(300, webob.Request.blank('/').get_response(
            app.setup_app()).status_int)
