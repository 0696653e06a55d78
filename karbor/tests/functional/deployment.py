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

"""Fixtures for functional tests on real services and separate processes.

``RabbitMQFixture`` and ``PostgresDatabaseFixture`` give a broker URL and
a fresh database, either from servers the environment names
(``KARBOR_TEST_TRANSPORT_URL``, ``KARBOR_TEST_PG_URL``; ``.ci/run`` starts
them once per run) or from throwaway servers started with the scripts in
``tools/services``. When neither is possible the test is skipped or
fails, as :mod:`karbor.tests.fixtures.services` decides.

``KarborDeployment`` runs Karbor the way production does: ``karbor-api``
and several ``karbor-protection`` processes, each its own
``python -m karbor.cmd.<x>``, sharing one configuration file, the broker
and the database.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile

import fixtures

from karbor.cmd import all as all_cmd
from karbor.tests.fixtures import services as service_fixtures
from karbor.tests.functional import base

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SCRIPTS = os.path.join(REPO, 'tools', 'services')

# Read at import, before oslotest points TMPDIR at a per-test directory
# that only root may enter: PostgreSQL runs as the 'postgres' user and
# must reach its data directory.
SERVICE_TMPDIR = tempfile.gettempdir()

RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server'
RABBITMQ_HINT = ('apt-get install -y --no-install-recommends '
                 'rabbitmq-server')
POSTGRES_HINT = 'apt-get install -y --no-install-recommends postgresql-15'


def _run_up_script(name, base_dir, env, timeout):
    """Run ``tools/services/<name>-up.sh``; cleanup is the caller's."""
    result = subprocess.run(
        ['bash', os.path.join(SCRIPTS, name + '-up.sh')],
        env=dict(os.environ, BASE=base_dir, **env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        timeout=timeout)
    if result.returncode:
        raise RuntimeError('%s-up.sh failed (%d): %s'
                           % (name, result.returncode, result.stderr[-2000:]))


def _run_down_script(base_dir):
    down = os.path.join(base_dir, 'down.sh')
    if os.path.exists(down):
        subprocess.run(['bash', down], timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(base_dir, ignore_errors=True)


class RabbitMQFixture(fixtures.Fixture):
    """A RabbitMQ broker; ``url`` is its oslo.messaging transport URL."""

    def __init__(self, timeout=90):
        super().__init__()
        self.timeout = timeout
        self.url = os.environ.get('KARBOR_TEST_TRANSPORT_URL')
        if not self.url and not os.access(RABBITMQ_SERVER, os.X_OK):
            service_fixtures.unavailable(
                'RabbitMQ is not installed (%s); install it with: %s'
                % (RABBITMQ_SERVER, RABBITMQ_HINT))

    def _setUp(self):
        if self.url:
            return
        # The node uses port (AMQP), port + 1 (epmd), port + 2 (Erlang
        # distribution).
        self.port = service_fixtures.free_port(span=3)
        self.base_dir = tempfile.mkdtemp(prefix='karbor-rabbitmq.',
                                         dir=SERVICE_TMPDIR)
        self.addCleanup(_run_down_script, self.base_dir)
        _run_up_script('rabbitmq', self.base_dir,
                       {'PORT': str(self.port)}, self.timeout)
        with open(os.path.join(self.base_dir, 'transport_url')) as f:
            self.url = f.read().strip()


def _postgres_binaries():
    root = '/usr/lib/postgresql'
    try:
        versions = os.listdir(root)
    except OSError:
        return None
    for version in sorted(versions, reverse=True):
        if os.access(os.path.join(root, version, 'bin', 'initdb'), os.X_OK):
            return os.path.join(root, version, 'bin')
    return None


class PostgresDatabaseFixture(fixtures.Fixture):
    """A new, empty PostgreSQL database; ``url`` is its SQLAlchemy URL.

    It is created on the server of ``KARBOR_TEST_PG_URL`` when set, else
    on a throwaway cluster started with ``tools/services/postgres-up.sh``,
    and dropped at cleanup.
    """

    def __init__(self, timeout=60):
        super().__init__()
        self.timeout = timeout
        self.server_url = os.environ.get('KARBOR_TEST_PG_URL')
        if not self.server_url and _postgres_binaries() is None:
            service_fixtures.unavailable(
                'PostgreSQL is not installed and KARBOR_TEST_PG_URL is not '
                'set; install it with: %s' % POSTGRES_HINT)

    def _setUp(self):
        if not self.server_url:
            port = service_fixtures.free_port()
            self.base_dir = tempfile.mkdtemp(prefix='karbor-postgres.',
                                             dir=SERVICE_TMPDIR)
            self.addCleanup(_run_down_script, self.base_dir)
            _run_up_script('postgres', self.base_dir, {'PORT': str(port)},
                           self.timeout)
            self.server_url = ('postgresql+psycopg2://postgres@127.0.0.1:%d/'
                               'postgres' % port)
        self.url = self.useFixture(
            service_fixtures.ServerDatabase(self.server_url)).url


_CONFIG = """\
[DEFAULT]
transport_url = {transport_url}
auth_strategy = noauth
state_path = {state_dir}
provider_config_dir = {providers_dir}
osapi_karbor_listen = 127.0.0.1
osapi_karbor_listen_port = {api_port}
host = {host}
report_interval = {report_interval}
# Below the test client's 60 s socket timeout: a call that gets no answer
# shows as karbor-api's 503 and its log line, not as a client timeout.
rpc_response_timeout = 30
# Own topic and exchange: deployments of parallel tests may share a broker
# (KARBOR_TEST_TRANSPORT_URL), and a topic's queue is named after the
# topic alone.
protection_topic = karbor-protection-{tag}
control_exchange = karbor-{tag}

[database]
connection = {database}

[oslo_concurrency]
lock_path = {state_dir}/lock
"""


class KarborProcess:
    """One Karbor console script running as a child process."""

    def __init__(self, name, module, config_files, log_dir):
        self.name = name
        self.log_path = os.path.join(log_dir, name + '.log')
        self.output_path = os.path.join(log_dir, name + '.out')
        args = [sys.executable, '-m', module]
        for path in config_files:
            args += ['--config-file', path]
        args += ['--log-file', self.log_path]
        with open(self.output_path, 'w') as output:
            self.process = subprocess.Popen(
                args, stdout=output, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, cwd=log_dir)

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Send ``sig``, wait, return the exit code ('timeout' if killed)."""
        if self.alive():
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return 'timeout'
        return self.process.returncode

    def read_log(self, limit=5000):
        text = ''
        for path in (self.output_path, self.log_path):
            try:
                with open(path) as f:
                    text += '--- %s\n%s' % (path, f.read()[-limit:])
            except OSError:
                pass
        return text


class KarborDeployment(fixtures.Fixture):
    """``karbor-api`` and ``protection_count`` ``karbor-protection``.

    They share ``karbor.conf`` (broker, database, no-auth, state path, and
    karbor-all's embedded providers: file-system banks with an ``az2``
    copy destination); each protection process adds a second file that sets
    its own ``host``. ``exit_codes`` collects each process's exit code
    when the fixture stops them (SIGTERM) at cleanup.

    :param copy_bandwidth_limit: the az2 destination's ``bandwidth_limit``
        (MiB/s), so that a copy lasts long enough to be seen under way.
    """

    def __init__(self, transport_url, database_url, protection_count=2,
                 report_interval=2, start_timeout=60,
                 copy_bandwidth_limit=None):
        super().__init__()
        self.copy_bandwidth_limit = copy_bandwidth_limit
        self.transport_url = transport_url
        self.database_url = database_url
        self.protection_count = protection_count
        self.report_interval = report_interval
        self.start_timeout = start_timeout
        self.exit_codes = {}

    def _setUp(self):
        self.state_dir = self.useFixture(fixtures.TempDir()).path
        # karbor-all's embedded providers, with their banks in the state
        # directory: the same files a laptop runs on.
        providers_dir = all_cmd.prepare_state_dir(self.state_dir)
        if self.copy_bandwidth_limit:
            self._limit_az2(providers_dir)
        os.makedirs(os.path.join(self.state_dir, 'lock'))
        self.api_port = service_fixtures.free_port()
        self.config_file = os.path.join(self.state_dir, 'karbor.conf')
        with open(self.config_file, 'w') as f:
            f.write(_CONFIG.format(
                transport_url=self.transport_url,
                database=self.database_url, state_dir=self.state_dir,
                providers_dir=providers_dir, api_port=self.api_port,
                host='karbor-api-host', tag=os.urandom(4).hex(),
                report_interval=self.report_interval))

        self.run_command('karbor.cmd.manage', 'db', 'sync')

        self.processes = {}
        self.addCleanup(self.stop_all)
        self.api = self._start('karbor-api', 'karbor.cmd.api',
                               [self.config_file])
        self.protection_hosts = []
        for index in range(1, self.protection_count + 1):
            self.start_protection('protection-%d' % index)
        if not service_fixtures.wait_for_port(
                self.api_port, self.start_timeout, alive=self.api.alive):
            raise RuntimeError('karbor-api did not listen on port %d:\n%s'
                               % (self.api_port, self.api.read_log()))
        self.url = 'http://127.0.0.1:%d' % self.api_port

    def _limit_az2(self, providers_dir):
        for name in os.listdir(providers_dir):
            path = os.path.join(providers_dir, name)
            with open(path) as f:
                text = f.read()
            marker = '[copy_destination:az2]\n'
            if marker not in text:
                raise AssertionError('%s has no az2 destination' % path)
            with open(path, 'w') as f:
                f.write(text.replace(marker, '%sbandwidth_limit = %s\n' % (
                    marker, self.copy_bandwidth_limit)))

    def start_protection(self, host, name=None):
        """Start a ``karbor-protection`` for ``host``.

        ``name`` (default: ``host``) names the process in ``processes``;
        give another one to start a host again after stopping it.
        """
        override = os.path.join(self.state_dir, host + '.conf')
        with open(override, 'w') as f:
            f.write('[DEFAULT]\nhost = %s\n' % host)
        if host not in self.protection_hosts:
            self.protection_hosts.append(host)
        return self._start(name or host, 'karbor.cmd.protection',
                           [self.config_file, override])

    def _start(self, name, module, config_files):
        process = KarborProcess(name, module, config_files, self.state_dir)
        self.processes[name] = process
        return process

    def run_command(self, module, *args, timeout=120):
        """Run a Karbor command on the deployment's configuration.

        Returns the CompletedProcess; raises when it exits non-zero.
        """
        result = subprocess.run(
            [sys.executable, '-m', module, '--config-file', self.config_file]
            + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, timeout=timeout, cwd=self.state_dir)
        if result.returncode:
            raise RuntimeError('%s %s exited with %d:\n%s'
                               % (module, ' '.join(args), result.returncode,
                                  result.stdout[-3000:]))
        return result

    def stop_all(self):
        """SIGTERM every process still running; returns ``exit_codes``."""
        for name, process in self.processes.items():
            if name not in self.exit_codes:
                self.exit_codes[name] = process.stop()
        return self.exit_codes

    def stop(self, name, sig=signal.SIGTERM):
        """Stop one process; returns (and records) its exit code."""
        code = self.processes[name].stop(sig)
        self.exit_codes[name] = code
        return code

    def error_lines(self):
        """Every ERROR or CRITICAL line and traceback in the logs."""
        found = []
        for process in self.processes.values():
            for path in (process.output_path, process.log_path):
                try:
                    with open(path) as f:
                        lines = f.readlines()
                except OSError:
                    continue
                found += ['%s: %s' % (process.name, line.rstrip())
                          for line in lines
                          if ' ERROR ' in line or ' CRITICAL ' in line or
                          line.startswith('Traceback')]
        return found

    def logs(self):
        """Every process's output and log, for failure messages."""
        return '\n'.join(p.read_log() for p in self.processes.values())

    def client(self, project_id=None):
        """An admin API client (no-auth) for ``project_id``."""
        project_id = project_id or os.urandom(16).hex()
        return base.ApiClient('%s/v1/%s' % (self.url, project_id),
                              token='functional:%s' % project_id,
                              project_id=project_id)
