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

"""``openstack data protection checkpoint copy`` against karbor-all.

The command comes from contrib/karbor-copy-client, installed without
dependencies into the virtualenv of the unmodified python-karborclient
2.1.0 (KARBOR_CLIENT_VENV, see test_karborclient); the test installs it
there when the installed copy differs from the tree's. The package's own
unit tests run here too, with the client's python.
"""

import filecmp
import glob
import json
import os
import shutil
import subprocess
import tempfile
import time

from karbor.tests.functional import base
from karbor.tests.functional import test_karborclient

PROJECT_TYPE = 'OS::Keystone::Project'
DESTINATION = 'az2'
_SOURCE = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                       'contrib', 'karbor-copy-client')
_MODULES = ('osc.py', os.path.join('v1', 'copies.py'))


def _installed_package(venv):
    found = glob.glob(os.path.join(venv, 'lib', 'python3*',
                                   'site-packages', 'karbor_copy_client'))
    return found[0] if found else None


def ensure_copy_client(openstack):
    """Install the tree's copy client beside karborclient if needed."""
    venv = os.path.dirname(os.path.dirname(openstack))
    package = _installed_package(venv)
    source = os.path.join(os.path.abspath(_SOURCE), 'karbor_copy_client')
    if package and all(filecmp.cmp(os.path.join(source, name),
                                   os.path.join(package, name),
                                   shallow=False) for name in _MODULES):
        return
    with tempfile.TemporaryDirectory() as work:
        # Built from a copy: pip leaves build/ and *.egg-info behind.
        src = os.path.join(work, 'src')
        shutil.copytree(os.path.abspath(_SOURCE), src,
                        ignore=shutil.ignore_patterns(
                            'build', '*.egg-info', '__pycache__'))
        subprocess.run([os.path.join(venv, 'bin', 'pip'), 'install',
                        '--quiet', '--disable-pip-version-check',
                        '--no-deps', '--force-reinstall', src],
                       check=True, capture_output=True, timeout=300)


class TestCopyCli(base.FunctionalTestCase):

    def setUp(self):
        self.openstack = test_karborclient._client_bin()
        ensure_copy_client(self.openstack)
        super().setUp()
        self.karbor = self.start_karbor()
        self.project = 'c0ffee00e5f60718293a4b5c6d7e8f90'
        self.endpoint = '%s/v1/%s' % (self.karbor.url, self.project)
        self.provider = base.NOOP_PROVIDER_ID

    def run_cli(self, *args):
        """Run ``openstack data protection ARGS -f json``."""
        env = {'PATH': '/usr/bin:/bin',
               'HOME': self.state_path,
               'OS_AUTH_TYPE': 'admin_token',
               'OS_ENDPOINT': self.endpoint,
               'OS_TOKEN': 'cli-user:%s' % self.project}
        cmd = [self.openstack, 'data', 'protection'] + list(args) + [
            '-f', 'json']
        return subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=300)

    def cli(self, *args, raw=False):
        """The command's JSON output; with ``raw``, the whole result."""
        result = self.run_cli(*args)
        if result.returncode != 0:
            self.fail('%s failed (%d): %s\nserver log:\n%s'
                      % (' '.join(args), result.returncode, result.stderr,
                         self.karbor.read_log()))
        return result if raw else json.loads(result.stdout)

    def protect(self, plan_id):
        checkpoint = self.cli('checkpoint', 'create', self.provider,
                              plan_id)
        deadline = time.monotonic() + 60
        while checkpoint['status'] not in ('available', 'error'):
            self.assertLess(time.monotonic(), deadline, checkpoint)
            time.sleep(0.3)
            checkpoint = self.cli('checkpoint', 'show', self.provider,
                                  checkpoint['id'])
        self.assertEqual('available', checkpoint['status'])
        return checkpoint['id']

    def test_copy_and_wait(self):
        plan = self.cli('plan', 'create', 'copy-plan', self.provider,
                        '%s=%s=%s' % (self.project, PROJECT_TYPE, 'prj'))
        sources = {self.protect(plan['id']), self.protect(plan['id'])}

        result = self.cli('checkpoint', 'copy', self.provider, plan['id'],
                          '--destination', DESTINATION, '--wait',
                          '--poll-interval', '0.3', '--wait-timeout', '120',
                          raw=True)
        copy = json.loads(result.stdout)
        self.assertEqual('success', copy['status'])
        self.assertEqual(DESTINATION, copy['destination'])
        self.assertEqual(plan['id'], copy['plan_id'])
        self.assertEqual(self.provider, copy['provider_id'])
        pairs = dict(line.split(' -> ')
                     for line in copy['checkpoints'].splitlines())
        self.assertEqual(sources, set(pairs))
        self.assertIn('copy %s: success' % copy['id'], result.stderr)

        listed = {c['Id']: c for c in self.cli('checkpoint', 'list',
                                               self.provider)}
        for source, target in pairs.items():
            self.assertIn(target, listed)
            self.assertEqual('available', listed[target]['Status'])
            shown = self.cli('checkpoint', 'show', self.provider, target)
            self.assertEqual('available', shown['status'])

        log = self.cli('operationlog', 'show', copy['id'])
        self.assertEqual('success', log['status'])

        # Everything is copied: a second request is refused (409) and
        # the command fails, creating nothing.
        again = self.run_cli('checkpoint', 'copy', self.provider,
                             plan['id'], '--wait')
        self.assertNotEqual(0, again.returncode)
        self.assertIn('HTTP 409', again.stderr)
        self.assertEqual(len(listed), len(self.cli('checkpoint', 'list',
                                                   self.provider)))

    def test_unknown_destination_refused(self):
        plan = self.cli('plan', 'create', 'copy-plan', self.provider,
                        '%s=%s=%s' % (self.project, PROJECT_TYPE, 'prj'))
        self.protect(plan['id'])
        result = self.run_cli('checkpoint', 'copy', self.provider,
                              plan['id'], '--destination', 'nowhere')
        self.assertNotEqual(0, result.returncode)
        self.assertIn('HTTP 400', result.stderr)
        self.assertIn('nowhere', result.stderr)


class TestCopyClientPackage(base.FunctionalTestCase):
    """The package's own unit tests, with the client's python."""

    def setUp(self):
        self.openstack = test_karborclient._client_bin()
        super().setUp()

    def test_package_unit_tests(self):
        # The package's own tests need the client's libraries, so they
        # run here, with the client's python.
        python = os.path.join(os.path.dirname(self.openstack), 'python')
        result = subprocess.run(
            [python, '-m', 'unittest', 'discover', '-s',
             'karbor_copy_client/tests', '-t', '.'],
            cwd=os.path.abspath(_SOURCE), capture_output=True, text=True,
            env={'PATH': '/usr/bin:/bin', 'PYTHONDONTWRITEBYTECODE': '1'},
            timeout=300)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('OK', result.stderr)
