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

"""Tests of karbor.api.middleware.auth: noauth and the Keystone context."""

from oslo_serialization import jsonutils
import webob
import webob.dec

from karbor.api.middleware import auth
from karbor.api.middleware import fault
from karbor.api import wsgi
from karbor import policy
from karbor.tests import base


class _Capture:

    def __init__(self):
        self.context = None

    @webob.dec.wsgify
    def __call__(self, req):
        self.context = req.environ[wsgi.CONTEXT_KEY]
        return webob.Response(body=b'ok')


class NoAuthTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.inner = _Capture()
        self.app = auth.NoAuth(self.inner)

    def test_no_token_is_admin_of_url_project(self):
        req = webob.Request.blank('/v1/proj/plans')
        self.assertEqual(200, req.get_response(self.app).status_int)
        ctx = self.inner.context
        self.assertEqual('admin', ctx.user_id)
        self.assertEqual('proj', ctx.project_id)
        self.assertTrue(ctx.is_admin)

    def test_no_token_below_v1_mount(self):
        req = webob.Request.blank('/proj/plans', script_name='/v1')
        req.get_response(self.app)
        self.assertEqual('proj', self.inner.context.project_id)

    def test_token_with_roles_is_not_admin(self):
        req = webob.Request.blank('/v1/p/plans')
        req.headers['X-Auth-Token'] = 'bob:proj:member,reader'
        req.get_response(self.app)
        ctx = self.inner.context
        self.assertEqual(('bob', 'proj'), (ctx.user_id, ctx.project_id))
        self.assertEqual(['member', 'reader'], ctx.roles)
        self.assertFalse(ctx.is_admin)

    def test_token_with_admin_role_is_admin(self):
        req = webob.Request.blank('/v1/p/plans')
        req.headers['X-Auth-Token'] = 'carol:proj:admin'
        req.get_response(self.app)
        self.assertTrue(self.inner.context.is_admin)

    def test_token_gives_admin_context(self):
        req = webob.Request.blank('/v1/p/plans')
        req.headers['X-Auth-Token'] = 'alice:proj'
        req.environ['openstack.request_id'] = 'req-1'
        self.assertEqual(200, req.get_response(self.app).status_int)
        ctx = self.inner.context
        self.assertEqual('alice', ctx.user_id)
        self.assertEqual('proj', ctx.project_id)
        self.assertTrue(ctx.is_admin)
        self.assertEqual(['admin', 'member', 'reader'], ctx.roles)
        self.assertEqual('alice:proj', ctx.auth_token)
        self.assertEqual('req-1', ctx.request_id)

    def test_token_without_project(self):
        req = webob.Request.blank('/v1/p/plans')
        req.headers['X-Auth-Token'] = 'alice'
        req.get_response(self.app)
        self.assertEqual('alice', self.inner.context.project_id)


class TokenSizeLimitTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.seen = []

        @webob.dec.wsgify
        def inner(req):
            self.seen.append({name: req.headers.get(name)
                              for name in ('X-Auth-Token', 'X-Service-Token')})
            return webob.Response('ok')
        self.app = auth.TokenSizeLimit(inner, max_length=10)

    def test_tokens_of_any_valid_length_pass(self):
        req = webob.Request.blank('/v1/p/plans')
        req.headers['X-Auth-Token'] = 'a' * 10
        req.headers['X-Service-Token'] = 'b'
        self.assertEqual(200, req.get_response(self.app).status_int)
        self.assertEqual([{'X-Auth-Token': 'a' * 10,
                           'X-Service-Token': 'b'}], self.seen)

    def test_longer_tokens_are_dropped(self):
        req = webob.Request.blank('/v1/p/plans')
        req.headers['X-Auth-Token'] = 'a' * 11
        req.headers['X-Service-Token'] = 'b' * 11
        self.assertEqual(200, req.get_response(self.app).status_int)
        self.assertEqual([{'X-Auth-Token': None, 'X-Service-Token': None}],
                         self.seen)

    def test_default_limit_is_far_above_real_tokens(self):
        self.assertGreaterEqual(auth.MAX_TOKEN_LENGTH, 4096)


class KeystoneContextTest(base.TestCase):

    def setUp(self):
        super().setUp()
        policy.reset()
        self.addCleanup(policy.reset)
        self.inner = _Capture()
        self.app = fault.FaultWrapper(auth.KeystoneContext(self.inner))

    def _request(self, **headers):
        req = webob.Request.blank('/v1/p/plans')
        for name, value in headers.items():
            req.headers[name] = value
        return req.get_response(self.app)

    def test_context_from_headers(self):
        catalog = [{'type': 'compute', 'name': 'nova', 'endpoints': []},
                   {'type': 'unknown', 'name': 'x', 'endpoints': []}]
        response = self._request(
            X_USER_ID='u1', X_PROJECT_ID='p1', X_ROLES='member, reader',
            X_AUTH_TOKEN='tok', X_USER_NAME='alice',
            X_SERVICE_CATALOG=jsonutils.dumps(catalog))
        self.assertEqual(200, response.status_int)
        ctx = self.inner.context
        self.assertEqual('u1', ctx.user_id)
        self.assertEqual('p1', ctx.project_id)
        self.assertEqual(['member', 'reader'], ctx.roles)
        self.assertEqual('tok', ctx.auth_token)
        self.assertFalse(ctx.is_admin)
        self.assertEqual(['compute'],
                         [e['type'] for e in ctx.service_catalog])

    def test_legacy_headers(self):
        self._request(X_USER='u2', X_TENANT='p2', X_ROLE='admin')
        ctx = self.inner.context
        self.assertEqual(('u2', 'p2'), (ctx.user_id, ctx.project_id))
        self.assertTrue(ctx.is_admin)

    def test_no_user_is_401(self):
        response = self._request(X_PROJECT_ID='p1')
        self.assertEqual(401, response.status_int)
        self.assertEqual(401, response.json['unauthorized']['code'])
        self.assertIsNone(self.inner.context)

    def test_bad_catalog_is_500(self):
        response = self._request(X_USER_ID='u', X_PROJECT_ID='p',
                                 X_SERVICE_CATALOG='{nope')
        self.assertEqual(500, response.status_int)
        self.assertIn('computeFault', response.json)
