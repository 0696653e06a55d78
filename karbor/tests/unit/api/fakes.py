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

"""Helpers for the API tests: the real app, requests, and a real SQLite DB."""

from unittest import mock

from oslo_serialization import jsonutils
from oslo_utils import uuidutils
import webob

from karbor.api import app
from karbor.api.middleware import auth
from karbor.api.middleware import fault
from karbor.api.v1 import router
from karbor import conf as karbor_conf
from karbor import policy
from karbor.services.protection import api as protection_api
from karbor.tests import base

CONF = karbor_conf.CONF

PROJECT_ID = '1b4a1a5e9f5e4a5c8f0e9d1c2b3a4f50'
OTHER_PROJECT_ID = 'a8c6f2d1e3b44c5d9e0f1a2b3c4d5e6f'
USER_ID = 'user'
PROVIDER_ID = 'b766f37c-d011-4026-8228-28730d734a3f'
OTHER_PROVIDER_ID = 'cf56bd3e-97a7-4078-b6d5-f36246333fd9'

MEMBER_ROLES = 'member,reader'


def new_id():
    return uuidutils.generate_uuid()


def provider(provider_id=PROVIDER_ID, options_schema=None):
    """A provider view as the protection service returns it."""
    if options_schema is None:
        options_schema = {
            'OS::Nova::Server': {
                'type': 'object',
                'properties': {
                    'backup_name': {'type': 'string'},
                    'consistency': {'type': 'boolean'},
                },
            },
            'OS::Cinder::Volume': {'type': 'object', 'properties': {}},
        }
    return {'id': provider_id, 'name': 'No-Op Provider',
            'description': 'a provider',
            'extended_info_schema': {'options_schema': options_schema,
                                     'restore_schema': {},
                                     'saved_info_schema': {}},
            'copy_destinations': [{'name': 'az2', 'region': None,
                                   'availability_zone': 'az2',
                                   'description': 'second zone',
                                   'default': True}]}


class ApiTestCase(base.TestCase):
    """Tests that send HTTP requests to the real WSGI application.

    ``self.app`` is ``setup_app()`` with noauth (admin contexts);
    ``self.member_app`` the same stack with the Keystone context
    middleware, for non-admin callers described by headers. The protection
    service is mocked (``self.protection``); the database is a real
    SQLite file.
    """

    USE_DB = True

    def setUp(self):
        super().setUp()
        policy.reset()
        self.addCleanup(policy.reset)
        self.protection = self._mock_protection_api()
        self.app = app.setup_app(CONF)
        self.member_app = fault.FaultWrapper(
            app.URLMap(auth.KeystoneContext(router.APIRouter())))

    def _mock_protection_api(self):
        methods = [name for name in vars(protection_api.API)
                   if not name.startswith('_') and
                   callable(getattr(protection_api.API, name))]
        mocks = mock.Mock()
        for name in methods:
            patcher = mock.patch.object(protection_api.API, name,
                                        autospec=True)
            setattr(mocks, name, patcher.start())
            self.addCleanup(patcher.stop)
        return mocks

    def request(self, method, path, body=None, admin=True,
                project_id=PROJECT_ID, url_project_id=None, roles=None,
                headers=None, raw_body=None,
                content_type='application/json'):
        """Send a request to /v1/<project><path>; return the response."""
        url = '/v1/%s%s' % (url_project_id or project_id, path)
        req = webob.Request.blank(url, method=method)
        if admin:
            req.headers['X-Auth-Token'] = '%s:%s' % (USER_ID, project_id)
            application = self.app
        else:
            req.headers['X_USER_ID'] = USER_ID
            req.headers['X_PROJECT_ID'] = project_id
            req.headers['X_ROLES'] = roles or MEMBER_ROLES
            application = self.member_app
        if raw_body is not None:
            req.body = raw_body
        elif body is not None:
            req.body = jsonutils.dump_as_bytes(body)
        if (raw_body is not None or body is not None) and content_type:
            req.content_type = content_type
        for name, value in (headers or {}).items():
            req.headers[name] = value
        return req.get_response(application)

    def assertOk(self, response):
        self.assertEqual(200, response.status_int, response.text)
        return response.json if response.body else None

    def assertFault(self, response, code, fragment=None):
        """Check the contract's fault body; return its message."""
        self.assertEqual(code, response.status_int, response.text)
        body = response.json
        self.assertEqual(1, len(body), body)
        fault_body = list(body.values())[0]
        self.assertEqual(code, fault_body['code'])
        if fragment is not None:
            self.assertIn(fragment, fault_body['message'])
        return fault_body['message']

    def context(self, project_id=PROJECT_ID, admin=False):
        from karbor import context
        return context.RequestContext(user_id=USER_ID,
                                      project_id=project_id,
                                      is_admin=admin,
                                      roles=['admin'] if admin else
                                      ['member', 'reader'])
