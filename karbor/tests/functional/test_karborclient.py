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

"""The unmodified python-karborclient 2.1.0 drives a running karbor-all.

The client lives in its own virtualenv (it pins libraries too old for
Karbor itself): ``tools/karborclient-venv.sh DIR`` builds it, and tox's
functional environment passes its path in KARBOR_CLIENT_VENV.
"""

import json
import os
import subprocess
import time

from karbor.tests.fixtures import services as service_fixtures
from karbor.tests.functional import base

PROJECT_TYPE = 'OS::Keystone::Project'


def _client_bin():
    venv = os.environ.get('KARBOR_CLIENT_VENV')
    path = venv and os.path.join(venv, 'bin', 'openstack')
    if not path or not os.path.exists(path):
        msg = ('python-karborclient is not installed: run '
               'tools/karborclient-venv.sh DIR and set KARBOR_CLIENT_VENV')
        service_fixtures.unavailable(msg)
    return path


class TestKarborClient(base.FunctionalTestCase):

    def setUp(self):
        self.openstack = _client_bin()
        super().setUp()
        self.karbor = self.start_karbor()
        self.project = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
        self.endpoint = '%s/v1/%s' % (self.karbor.url, self.project)

    def env(self):
        return {'PATH': '/usr/bin:/bin',
                'HOME': self.state_path,
                'OS_AUTH_TYPE': 'admin_token',
                'OS_ENDPOINT': self.endpoint,
                'OS_TOKEN': 'cli-user:%s' % self.project}

    def cli(self, *args, parse=True):
        """Run ``openstack data protection ARGS`` in a clean environment."""
        return self.run_client(
            [self.openstack, 'data', 'protection'] + list(args), self.env(),
            self.karbor, parse=parse)

    def wait_status(self, args, done, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            item = self.cli(*args)
            if item['status'] in done or time.monotonic() > deadline:
                return item
            time.sleep(0.3)

    def test_protect_restore_verify_delete(self):
        provider = base.NOOP_PROVIDER_ID
        providers = self.cli('provider', 'list')
        self.assertIn(provider, [p['Id'] for p in providers])
        shown = self.cli('provider', 'show', provider)
        self.assertEqual('No-Op Provider', shown['name'])

        types = self.cli('protectable', 'list')
        self.assertIn(PROJECT_TYPE, [t['Protectable type'] for t in types])
        instances = self.cli('protectable', 'instance', 'list',
                             PROJECT_TYPE)
        self.assertEqual([self.project], [i['Id'] for i in instances])

        plan = self.cli('plan', 'create', 'cli-plan', provider,
                        '%s=%s=%s' % (self.project, PROJECT_TYPE,
                                      'my-project'),
                        '--description', 'made by the CLI')
        self.assertEqual('suspended', plan['status'])
        plans = self.cli('plan', 'list')
        self.assertEqual([plan['id']], [p['Id'] for p in plans])

        checkpoint = self.cli('checkpoint', 'create', provider, plan['id'],
                              '--extra_info', 'note=cli')
        checkpoint = self.wait_status(
            ('checkpoint', 'show', provider, checkpoint['id']),
            ('available', 'error'))
        self.assertEqual('available', checkpoint['status'])
        listed = self.cli('checkpoint', 'list', provider)
        self.assertIn(checkpoint['id'], [c['Id'] for c in listed])

        restore = self.cli('restore', 'create', provider, checkpoint['id'])
        restore = self.wait_status(('restore', 'show', restore['id']),
                                   ('success', 'fail'))
        self.assertEqual('success', restore['status'])
        self.assertIn(restore['id'],
                      [r['Id'] for r in self.cli('restore', 'list')])

        verification = self.cli('verification', 'create', provider,
                                checkpoint['id'])
        verification = self.wait_status(
            ('verification', 'show', verification['id']),
            ('success', 'fail'))
        self.assertEqual('success', verification['status'])

        logs = self.cli('operationlog', 'list')
        self.assertTrue(logs)
        log = self.cli('operationlog', 'show', logs[0]['Id'])
        self.assertIn(log['status'], ('available', 'success'))

        quota = self.cli('quotas', 'show', '--tenant', self.project)
        self.assertEqual(50, quota['plans'])
        services = self.cli('service', 'list')
        self.assertIn('karbor-protection',
                      [s['Binary'] for s in services])

        self.cli('checkpoint', 'delete', provider, checkpoint['id'],
                 parse=False)
        deleted = self.wait_status(
            ('checkpoint', 'show', provider, checkpoint['id']),
            ('deleted', 'error-deleting'))
        self.assertEqual('deleted', deleted['status'])
        self.cli('plan', 'delete', plan['id'], parse=False)
        self.assertEqual([], self.cli('plan', 'list'))

    def test_parameters_given_as_key_values(self):
        # --parameters sends strings; the Test Data plugin's options are
        # integers, which the server reads them as.
        provider = base.TEST_DATA_PROVIDER_ID
        resource = '%s=%s=%s' % (self.project, PROJECT_TYPE, 'my-project')
        options = 'resource_type=%s,objects=3,object_size=%d' % (
            PROJECT_TYPE, 4096)
        plan = self.cli('plan', 'create', 'kv-plan', provider, resource,
                        '--parameters', options)
        self.assertEqual({PROJECT_TYPE: {'objects': 3, 'object_size': 4096}},
                         json.loads(plan['parameters']))
        checkpoint = self.cli('checkpoint', 'create', provider, plan['id'])
        checkpoint = self.wait_status(
            ('checkpoint', 'show', provider, checkpoint['id']),
            ('available', 'error'))
        self.assertEqual('available', checkpoint['status'])

        refused = subprocess.run(
            [self.openstack, 'data', 'protection', 'plan', 'create',
             'bad-plan', provider, resource, '--parameters',
             'resource_type=%s,objects=many' % PROJECT_TYPE],
            env=self.env(), capture_output=True, text=True, timeout=120)
        self.assertNotEqual(0, refused.returncode)
        self.assertIn('HTTP 400', refused.stderr)
        self.assertIn("'many' is not of type 'integer'", refused.stderr)
        self.assertEqual([plan['id']],
                         [p['Id'] for p in self.cli('plan', 'list')])
