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

"""karbor-all with ``auth_strategy = keystone`` against a real Keystone.

A configuration file given with ``--config-file`` switches karbor-all from
its embedded no-auth default to keystonemiddleware, whose service user
checks every token with a real Keystone (see
:mod:`karbor.tests.fixtures.keystone`). Tokens come from Keystone by
password, as a user's client gets them; the unmodified
python-karborclient 2.1.0 finds the API in the Keystone catalog.
"""

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid

from karbor.tests.fixtures import keystone as keystone_fixture
from karbor.tests.fixtures import services as service_fixtures
from karbor.tests.functional import base

PROJECT_TYPE = base.PROJECT_TYPE


def _raw(method, url, token=None, body=None):
    """``(status, headers, parsed body)`` of one request, any status."""
    headers = {'Accept': 'application/json'}
    if token is not None:
        headers['X-Auth-Token'] = token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers['Content-Type'] = 'application/json'
    req = urllib.request.Request(url, data=data, method=method,
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, response_headers, payload = (resp.status, resp.headers,
                                                 resp.read())
    except urllib.error.HTTPError as e:
        status, response_headers, payload = e.code, e.headers, e.read()
    text = payload.decode() if payload else ''
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = text
    return status, response_headers, parsed


def _client_venv():
    venv = os.environ.get('KARBOR_CLIENT_VENV')
    if not venv or not os.path.exists(os.path.join(venv, 'bin',
                                                   'openstack')):
        service_fixtures.unavailable(
            'python-karborclient is not installed: run '
            'tools/karborclient-venv.sh DIR and set KARBOR_CLIENT_VENV')
    return venv


class TestKeystoneAuth(keystone_fixture.KeystoneServerMixin,
                       base.FunctionalTestCase):
    """One Keystone and one karbor-all for the class; tests share both.

    Each test makes plans of its own and never counts other tests' rows.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state_dir = tempfile.mkdtemp(prefix='karbor-keystone-test-')
        try:
            config = os.path.join(cls.state_dir, 'karbor.conf')
            lines = ['[DEFAULT]', 'auth_strategy = keystone',
                     '[keystone_authtoken]']
            lines += ['%s = %s' % item for item in
                      sorted(cls.keystone.authtoken_options().items())]
            with open(config, 'w') as f:
                f.write('\n'.join(lines) + '\n')
            cls.karbor = base.KarborAllFixture(state_dir=cls.state_dir,
                                               config_file=config)
            cls.karbor.setUp()
        except BaseException:
            shutil.rmtree(cls.state_dir, ignore_errors=True)
            cls.keystone.cleanUp()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.karbor.cleanUp()
            shutil.rmtree(cls.state_dir, ignore_errors=True)
        finally:
            super().tearDownClass()

    def api(self, user, project_id=None):
        """An API client with a real token of ``user``.

        ``project_id`` puts another project in the URL than the token's.
        """
        token, token_project = self.keystone.token(user)
        project_id = project_id or token_project
        return base.ApiClient('%s/v1/%s' % (self.karbor.url, project_id),
                              token=token, project_id=project_id)

    def url(self, project_id, path):
        return '%s/v1/%s%s' % (self.karbor.url, project_id, path)

    def assert_unauthorized(self, status, headers, body, what):
        self.assertEqual(401, status, '%s: %r\n%s'
                         % (what, body, self.karbor.read_log()))
        # keystonemiddleware names the Keystone to get a token from.
        self.assertEqual('Keystone uri="%s"' % self.keystone.auth_url,
                         headers.get('WWW-Authenticate'), what)
        self.assertEqual(401, body['error']['code'], what)

    def test_no_token_is_401(self):
        _token, project = self.keystone.token('demo')
        for method, path, body in (
                ('GET', '/providers', None),
                ('GET', '/plans', None),
                ('POST', '/plans', {'plan': {'name': 'p'}}),
                ('GET', '/os-services', None),
                ('DELETE', '/plans/%s' % uuid.uuid4(), None)):
            status, headers, payload = _raw(method, self.url(project, path),
                                            body=body)
            self.assert_unauthorized(status, headers, payload,
                                     '%s %s' % (method, path))
        # The version documents need no token.
        status, _h, payload = _raw('GET', self.karbor.url + '/')
        self.assertIn(status, (200, 300))
        status, _h, payload = _raw('GET', self.karbor.url + '/v1')
        self.assertEqual(200, status)

    def test_bad_tokens_are_401(self):
        token, project = self.keystone.token('demo')
        bogus = ['bogus',
                 # what the no-auth mode would take: not here
                 'demo:%s' % project,
                 'admin:%s:admin' % project,
                 # fernet-shaped, but no key of this Keystone made it
                 'gAAAAAB' + 'x' * 180,
                 token[:-4] + ('AAAA' if not token.endswith('AAAA')
                               else 'BBBB'),
                 'x' * 4000,
                 # longer than Keystone's web server takes: it would
                 # answer 431, which keystonemiddleware reports as 503
                 'x' * 9000,
                 ' ']
        for candidate in bogus:
            status, headers, payload = _raw(
                'GET', self.url(project, '/providers'), token=candidate)
            self.assert_unauthorized(status, headers, payload,
                                     'token %r' % candidate[:40])

    def test_revoked_token_is_401(self):
        token, project = self.keystone.new_token('demo')
        self.keystone.revoke(token)
        status, headers, payload = _raw(
            'GET', self.url(project, '/providers'), token=token)
        self.assert_unauthorized(status, headers, payload, 'revoked token')

    def test_member_lists_providers(self):
        api = self.api('demo')
        providers = api.get('/providers')['providers']
        self.assertIn(base.NOOP_PROVIDER_ID, [p['id'] for p in providers])
        provider = api.get('/providers/%s' % base.NOOP_PROVIDER_ID)
        self.assertEqual('No-Op Provider', provider['provider']['name'])
        types = api.get('/protectables')['protectable_type']
        self.assertIn(PROJECT_TYPE, types)

    def test_project_in_url_must_be_the_tokens(self):
        # As for no-auth (test_bad_input): 400, for members and admins.
        _token, admin_project = self.keystone.token('admin')
        _token, demo_project = self.keystone.token('demo')
        for user, other in (('demo', admin_project),
                            ('demo', uuid.uuid4().hex),
                            ('admin', demo_project)):
            api = self.api(user, project_id=other)
            error = self.assertRaises(base.ApiError, api.get, '/providers')
            self.assertEqual(400, error.status, '%s in %s' % (user, other))
            self.assertIn('not the project of the token',
                          error.body['badRequest']['message'])

    def test_member_creates_and_protects_a_plan(self):
        api = self.api('demo')
        plan = self.create_plan(api, name='keystone-plan')
        self.assertEqual('suspended', plan['status'])
        self.assertIn(plan['id'], [p['id'] for p in api.get('/plans')
                                   ['plans']])
        checkpoint = self.protect(api, plan)
        self.assertEqual(api.project_id, checkpoint['project_id'])
        listed = api.get('/providers/%s/checkpoints' % plan['provider_id'])
        self.assertIn(checkpoint['id'],
                      [c['id'] for c in listed['checkpoints']])

    def test_projects_do_not_see_each_others_plans(self):
        admin = self.api('admin')
        demo = self.api('demo')
        plan = self.create_plan(admin, name='admin-plan')
        self.assertNotIn(plan['id'],
                         [p['id'] for p in demo.get('/plans')['plans']])
        error = self.assertRaises(base.ApiError, demo.get,
                                  '/plans/%s' % plan['id'])
        self.assertEqual(404, error.status)
        error = self.assertRaises(base.ApiError, demo.delete,
                                  '/plans/%s' % plan['id'])
        self.assertEqual(404, error.status)
        self.assertEqual(plan['id'],
                         admin.get('/plans/%s' % plan['id'])['plan']['id'])

    def test_services_are_admin_only(self):
        error = self.assertRaises(base.ApiError, self.api('demo').get,
                                  '/os-services')
        self.assertEqual(403, error.status)
        services = self.api('admin').get('/os-services')['services']
        self.assertIn('karbor-protection', [s['binary'] for s in services])

    def test_karborclient_with_password_auth(self):
        """python-karborclient 2.1.0 through Keystone password auth.

        Neither of its CLIs takes an endpoint override with password auth
        (the OSC plugin and ``karbor`` both ask the catalog for the
        data-protect service), so karbor-all is put in the catalog, in a
        region of this test's own.
        """
        venv = _client_venv()
        region = self.keystone.register_endpoint(
            self.karbor.url + '/v1/$(project_id)s', self.addCleanup)
        _token, project = self.keystone.token('demo')
        env = {'PATH': '/usr/bin:/bin',
               'HOME': self.state_path,
               'OS_AUTH_URL': self.keystone.auth_url,
               'OS_IDENTITY_API_VERSION': '3',
               'OS_USERNAME': 'demo',
               'OS_PASSWORD': self.keystone.password('demo'),
               'OS_PROJECT_NAME': 'demo',
               'OS_USER_DOMAIN_ID': 'default',
               'OS_PROJECT_DOMAIN_ID': 'default',
               'OS_REGION_NAME': region,
               'OS_INTERFACE': 'public'}

        def run(*cmd, parse=True):
            return self.run_client(
                [os.path.join(venv, 'bin', cmd[0])] + list(cmd[1:]), env,
                self.karbor, parse=parse)

        osc = ('openstack', 'data', 'protection')
        providers = run(*osc, 'provider', 'list')
        self.assertIn(base.NOOP_PROVIDER_ID, [p['Id'] for p in providers])
        name = 'cli-plan-%s' % uuid.uuid4().hex[:8]
        plan = run(*osc, 'plan', 'create', name, base.NOOP_PROVIDER_ID,
                   '%s=%s=%s' % (project, PROJECT_TYPE, 'demo'))
        self.assertEqual('suspended', plan['status'])
        self.assertIn(plan['id'],
                      [p['Id'] for p in run(*osc, 'plan', 'list')])
        # The legacy CLI, through the same catalog.
        legacy = run('karbor', 'plan-list', parse=False)
        self.assertIn(plan['id'], legacy)
        self.assertIn(name, legacy)
        # The plan is the demo project's: its token reads it.
        shown = self.api('demo').get('/plans/%s' % plan['id'])['plan']
        self.assertEqual(name, shown['name'])
