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

"""Functional test helpers: a real karbor-all process and an HTTP client.

Nothing here is mocked: the process under test is the same ``karbor-all``
a user runs, with SQLite and a file-system bank in a temporary state
directory, and requests go over a real socket.
"""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import fixtures

from karbor.tests import base

NOOP_PROVIDER_ID = 'b766f37c-d011-4026-8228-28730d734a3f'
TEST_DATA_PROVIDER_ID = '5d3a8c42-6e1f-4b7a-9c2d-0f8e7b6a5c41'
PROJECT_TYPE = 'OS::Keystone::Project'


def az2_provider_text(bandwidth_limit):
    """Provider lines for :func:`write_test_data_provider`.

    karbor-all's embedded layout (the main file-system bank and the az2
    destination beside it) with az2 limited to ``bandwidth_limit`` MiB/s:
    a copy then lasts long enough, however fast the machine, to be seen
    or killed half way.
    """
    return (
        'bank = karbor-fs-bank-plugin\n'
        'copy_destinations = az2\n'
        '\n'
        '[file_system_bank_plugin]\n'
        'file_system_bank_path = {state}/bank\n'
        '\n'
        '[copy_destination:az2]\n'
        'bank = karbor-fs-bank-plugin\n'
        'availability_zone = az2\n'
        'file_system_bank_path = {state}/bank-az2\n'
        'bandwidth_limit = %s\n' % bandwidth_limit)


def write_test_data_provider(state, provider_id, name, provider_text):
    """Write one Test Data provider and a karbor.conf loading only it.

    ``provider_text`` follows the ``[provider]`` section's first lines
    (its bank and further sections); ``{state}`` in it is karbor-all's
    state directory. Returns the karbor.conf path.
    """
    providers = os.path.join(state, 'providers')
    os.makedirs(providers, exist_ok=True)
    with open(os.path.join(providers, 'provider.conf'), 'w') as f:
        f.write('[provider]\nname = %s\nid = %s\n'
                'plugin = karbor-test-data-protection-plugin\n'
                'enabled = True\n%s'
                % (name, provider_id, provider_text.replace('{state}', state)))
    config = os.path.join(state, 'karbor.conf')
    with open(config, 'w') as f:
        f.write('[DEFAULT]\nprovider_config_dir = %s\n' % providers)
    return config


class KarborAllFixture(fixtures.Fixture):
    """Start ``karbor-all`` on a free port in a fresh state directory."""

    def __init__(self, state_dir=None, config_file=None, extra_args=()):
        super().__init__()
        self.state_dir = state_dir
        self.config_file = config_file
        self.extra_args = list(extra_args)
        self._drainer = None

    def _setUp(self):
        if self.state_dir is None:
            self.state_dir = self.useFixture(fixtures.TempDir()).path
        self.log_path = os.path.join(self.state_dir, 'karbor-all.log')
        args = [sys.executable, '-m', 'karbor.cmd.all',
                '--state-dir', self.state_dir, '--bind-port', '0',
                '--log-file', self.log_path]
        if self.config_file:
            args += ['--config-file', self.config_file]
        args += self.extra_args
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, cwd=self.state_dir)
        self.addCleanup(self.stop)
        self.url = self._wait_for_listening(timeout=60)

    def _drain(self):
        # Read every line the process prints for as long as it runs: the
        # pipe must never fill up and block it.
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _wait_for_listening(self, timeout):
        self._lines = queue.Queue()
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(0.01, remaining))
            except queue.Empty:
                line = None
            if line is None:
                break
            if line.startswith('listening on '):
                return line.split()[-1].strip()
            seen.append(line)
        raise RuntimeError('karbor-all did not start: %s\n%s'
                           % (''.join(seen)[-3000:], self.read_log()))

    def read_log(self):
        try:
            with open(self.log_path) as f:
                return f.read()[-5000:]
        except OSError:
            return ''

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Stop the process; returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._drainer is not None:
            self._drainer.join(timeout=10)
        self.process.stdout.close()
        return self.process.returncode

    def client(self, project_id=None, user='functional', roles=None):
        """A client for ``project_id`` (a new one by default).

        Without ``roles`` the no-auth token makes the caller an admin; with
        roles (e.g. ``'member,reader'``) it is an ordinary project user.
        """
        project_id = project_id or uuid.uuid4().hex
        token = '%s:%s' % (user, project_id)
        if roles:
            token += ':' + roles
        return ApiClient('%s/v1/%s' % (self.url, project_id),
                         token=token, project_id=project_id)


class ApiError(Exception):
    def __init__(self, status, body):
        super().__init__('HTTP %s: %s' % (status, body))
        self.status = status
        self.body = body


class ApiClient:
    """A tiny JSON client for Karbor's API (standard library only)."""

    def __init__(self, endpoint, token, project_id):
        self.endpoint = endpoint
        self.token = token
        self.project_id = project_id

    def request(self, method, path, body=None, raw_body=None, headers=None,
                expect_json=True):
        data = raw_body
        all_headers = {'X-Auth-Token': self.token,
                       'Accept': 'application/json'}
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            all_headers['Content-Type'] = 'application/json'
        all_headers.update(headers or {})
        req = urllib.request.Request(self.endpoint + path, data=data,
                                     method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, payload = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, payload = e.code, e.read()
        text = payload.decode() if payload else ''
        parsed = json.loads(text) if (text and expect_json) else text
        if status >= 400:
            raise ApiError(status, parsed)
        return status, parsed

    def get(self, path):
        return self.request('GET', path)[1]

    def post(self, path, body):
        return self.request('POST', path, body)[1]

    def put(self, path, body):
        return self.request('PUT', path, body)[1]

    def delete(self, path):
        return self.request('DELETE', path)[1]

    def wait_for(self, path, key, field, values, timeout=60):
        """Poll ``GET path`` until ``body[key][field]`` is in ``values``."""
        deadline = time.monotonic() + timeout
        while True:
            item = self.get(path)[key]
            if item[field] in values or time.monotonic() > deadline:
                return item
            time.sleep(0.2)


class FunctionalTestCase(base.TestCase):
    """Each test gets its own karbor-all unless the class shares one."""

    def start_karbor(self, **kwargs):
        return self.useFixture(KarborAllFixture(**kwargs))

    def run_client(self, cmd, env, karbor, parse=True):
        """Run a client command; its JSON output (or text if not ``parse``).

        A failure fails the test with the command's error output and the
        log of ``karbor`` (a :class:`KarborAllFixture`).
        """
        if parse:
            cmd = list(cmd) + ['-f', 'json']
        result = subprocess.run(cmd, env=env, capture_output=True,
                                text=True, timeout=120)
        if result.returncode != 0:
            self.fail('%s failed (%d): %s\nserver log:\n%s'
                      % (' '.join(cmd), result.returncode,
                         result.stderr[-3000:], karbor.read_log()))
        return json.loads(result.stdout) if parse else result.stdout

    def create_plan(self, api, provider_id=NOOP_PROVIDER_ID, parameters=None,
                    name='plan'):
        """A plan protecting the caller's project."""
        return api.post('/plans', {'plan': {
            'name': name, 'provider_id': provider_id,
            'parameters': parameters or {},
            'resources': [{'id': api.project_id, 'type': PROJECT_TYPE,
                           'name': 'project'}]}})['plan']

    def protect(self, api, plan, timeout=120):
        """Create a checkpoint of ``plan`` and wait until it is done."""
        path = '/providers/%s/checkpoints' % plan['provider_id']
        created = api.post(path, {'checkpoint': {'plan_id': plan['id']}})
        item = '%s/%s' % (path, created['checkpoint']['id'])
        checkpoint = api.wait_for(item, 'checkpoint', 'status',
                                  ('available', 'error'), timeout=timeout)
        self.assertEqual('available', checkpoint['status'])
        return checkpoint
