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

"""Karbor as separate processes on a real RabbitMQ and PostgreSQL.

Production runs ``karbor-api`` and one or more ``karbor-protection``
processes that talk over a message broker and share a database server;
every other functional test runs ``karbor-all`` (in-process messaging,
SQLite). Here each command is its own process, every RPC crosses
RabbitMQ as JSON and every row lives in PostgreSQL.

Needs ``rabbitmq-server`` (or ``KARBOR_TEST_TRANSPORT_URL``) and
PostgreSQL (``KARBOR_TEST_PG_URL`` or the server binaries); skipped
without them unless ``KARBOR_REQUIRE_SERVICES=1``.
"""

import json
import signal
import threading
import time

from testtools import content

from karbor.tests.functional import base
from karbor.tests.functional import deployment

PROVIDER = base.TEST_DATA_PROVIDER_ID
TEST_DATA = {base.PROJECT_TYPE: {'objects': 4, 'object_size': 64 * 1024}}
UNKNOWN = '0c2f7d9e-5b4a-4e3c-8d1f-6a7b8c9d0e1f'


class TestDistributedDeployment(base.FunctionalTestCase):
    """API and two protection services over RabbitMQ and PostgreSQL."""

    def setUp(self):
        super().setUp()
        rabbit = self.useFixture(deployment.RabbitMQFixture())
        database = self.useFixture(deployment.PostgresDatabaseFixture())
        # Copies to az2 at 32 MiB/s: the big one lasts about 8 s, so it is
        # surely killed half way however fast the machine.
        self.deployment = self.useFixture(deployment.KarborDeployment(
            rabbit.url, database.url, protection_count=2,
            copy_bandwidth_limit=32))
        # Every process's log goes with a failure.
        self.addOnException(self._attach_logs)

    def _attach_logs(self, exc_info):
        self.addDetail('karbor-logs',
                       content.text_content(self.deployment.logs()))

    @staticmethod
    def _get_ignoring_errors(api, path):
        try:
            api.get(path)
        except Exception:
            pass

    def assertApiError(self, status, call, *args):
        error = self.assertRaises(base.ApiError, call, *args)
        self.assertEqual(status, error.status, error.body)
        return error

    def wait_for_services(self, api, count, timeout=60):
        """Wait until ``count`` protection services report ``up``."""
        deadline = time.monotonic() + timeout
        while True:
            listed = api.get('/os-services?binary=karbor-protection')
            up = sorted(s['host'] for s in listed['services']
                        if s['state'] == 'up' and s['status'] == 'enabled')
            if len(up) >= count or time.monotonic() > deadline:
                return up
            time.sleep(0.5)

    def test_protect_restore_verify_copy_delete(self):
        api = self.deployment.client()

        # Both protection services registered and report over the DB.
        self.assertEqual(sorted(self.deployment.protection_hosts),
                         self.wait_for_services(api, 2))

        providers = api.get('/providers')['providers']
        self.assertIn(PROVIDER, [p['id'] for p in providers])

        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        self.assertEqual('suspended', plan['status'])
        checkpoint = self.protect(api, plan)
        shown = api.get('/providers/%s/checkpoints/%s'
                        % (PROVIDER, checkpoint['id']))['checkpoint']
        self.assertEqual(plan['id'], shown['protection_plan']['id'])
        graph = json.loads(shown['resource_graph'])
        self.assertTrue(graph)

        restore = api.post('/restores', {'restore': {
            'provider_id': PROVIDER, 'checkpoint_id': checkpoint['id'],
            'restore_target': None, 'parameters': {}}})['restore']
        restore = api.wait_for('/restores/%s' % restore['id'], 'restore',
                               'status', ('success', 'fail'))
        self.assertEqual('success', restore['status'], restore)

        verification = api.post('/verifications', {'verification': {
            'provider_id': PROVIDER, 'checkpoint_id': checkpoint['id'],
            'parameters': {}}})['verification']
        verification = api.wait_for(
            '/verifications/%s' % verification['id'], 'verification',
            'status', ('success', 'fail'))
        self.assertEqual('success', verification['status'], verification)

        copy = api.post('/providers/%s/checkpoints/action' % PROVIDER,
                        {'copy': {'plan_id': plan['id'],
                                  'parameters': {}}})['copy']
        self.assertEqual('az2', copy['destination']['name'])
        log = api.wait_for('/operation_logs/%s' % copy['id'],
                           'operation_log', 'status', ('success', 'error'),
                           timeout=120)
        self.assertEqual('success', log['status'], log)
        (pair,) = copy['checkpoint_id']
        self.assertEqual(checkpoint['id'], pair['checkpoint_protect_id'])
        copied = api.get('/providers/%s/checkpoints/%s'
                         % (PROVIDER, pair['checkpoint_copy_id']))
        self.assertEqual('available', copied['checkpoint']['status'])
        self.assertEqual('az2', copied['checkpoint']['copy_destination'])

        # Exceptions raised in a protection service cross the broker with
        # their class: the API answers with their codes.
        self.assertApiError(404, api.get, '/providers/%s' % UNKNOWN)
        self.assertApiError(404, api.get, '/providers/%s/checkpoints/%s'
                            % (PROVIDER, UNKNOWN))
        self.assertApiError(
            409, api.post, '/providers/%s/checkpoints/action' % PROVIDER,
            {'copy': {'plan_id': plan['id'], 'parameters': {}}})
        self.assertApiError(404, api.post, '/restores', {'restore': {
            'provider_id': PROVIDER, 'checkpoint_id': UNKNOWN,
            'restore_target': None, 'parameters': {}}})

        # Still two services up after all that work.
        self.assertEqual(sorted(self.deployment.protection_hosts),
                         self.wait_for_services(api, 2))

        item = '/providers/%s/checkpoints/%s' % (PROVIDER, checkpoint['id'])
        api.delete(item)
        gone = api.wait_for(item, 'checkpoint', 'status',
                            ('deleted', 'error-deleting'))
        self.assertEqual('deleted', gone['status'])
        listed = api.get('/providers/%s/checkpoints?plan_id=%s'
                         % (PROVIDER, plan['id']))['checkpoints']
        # Only the copy is left.
        self.assertEqual([pair['checkpoint_copy_id']],
                         [c['id'] for c in listed])

        # The upgrade checks pass against the PostgreSQL database.
        status = self.deployment.run_command(
            'karbor.cmd.status', 'upgrade', 'check')
        self.assertIn('Success', status.stdout)

        # SIGTERM stops every process cleanly, karbor-api within seconds
        # even while a call of it waits for an answer that no protection
        # service is left to give.
        for host in self.deployment.protection_hosts:
            self.assertEqual(0, self.deployment.stop(host))
        pending = threading.Thread(target=self._get_ignoring_errors,
                                   args=(api, '/providers'), daemon=True)
        pending.start()
        time.sleep(1)
        start = time.monotonic()
        self.assertEqual(0, self.deployment.stop('karbor-api'))
        self.assertLess(time.monotonic() - start, 10)
        pending.join(10)
        self.assertEqual({name: 0 for name in self.deployment.processes},
                         self.deployment.stop_all())
        # Nothing went wrong quietly on the way (e.g. an RPC reply or an
        # exception that did not survive the trip through the broker).
        self.assertEqual([], self.deployment.error_lines())

    def test_killed_protection_service_resumes_its_copy(self):
        """A copy survives the SIGKILL of the host running it.

        The other host serves every request meanwhile, and the killed
        host, started again, finishes the copy.
        """
        api = self.deployment.client()
        self.wait_for_services(api, 2)
        big = {base.PROJECT_TYPE: {'objects': 32,
                                   'object_size': 8 * 1024 * 1024}}
        plan = self.create_plan(api, PROVIDER, big)
        self.protect(api, plan, timeout=300)
        copy = api.post('/providers/%s/checkpoints/action' % PROVIDER,
                        {'copy': {'plan_id': plan['id'],
                                  'parameters': {}}})['copy']
        (pair,) = copy['checkpoint_id']

        # Wait until bytes are moving, and find the host moving them.
        deadline = time.monotonic() + 120
        host = None
        while time.monotonic() < deadline:
            request = api.get('/operation_logs/%s'
                              % copy['id'])['operation_log']
            extra = json.loads(request['extra_info'] or '{}')
            self.assertNotIn(request['status'], ('success', 'error'),
                             'the copy ended before it could be killed')
            if 0 < extra.get('bytes_done', 0) < extra.get('bytes_total', 0):
                host = extra['host']
                break
            time.sleep(0.02)
        self.assertIn(host, self.deployment.protection_hosts)
        self.assertEqual(-signal.SIGKILL,
                         self.deployment.stop(host, signal.SIGKILL))
        (survivor,) = [h for h in self.deployment.protection_hosts
                       if h != host]

        # The survivor serves every request meanwhile: the broker hands
        # the shared topic's messages to the consumer still connected.
        small = self.create_plan(api, PROVIDER, TEST_DATA, name='small')
        for _ in range(3):
            checkpoint = self.protect(api, small)
            (log,) = api.get('/operation_logs?checkpoint_id=%s'
                             % checkpoint['id'])['operation_logs']
            self.assertEqual(survivor,
                             json.loads(log['extra_info'])['host'])
        self.assertIn(survivor, self.wait_for_services(api, 1))

        # The killed host comes back and resumes its copy.
        self.deployment.start_protection(host, name=host + '-again')
        shown = api.wait_for('/providers/%s/checkpoints/%s'
                             % (PROVIDER, pair['checkpoint_copy_id']),
                             'checkpoint', 'status', ('available', 'error'),
                             timeout=300)
        self.assertEqual('available', shown['status'])
        request = api.wait_for('/operation_logs/%s' % copy['id'],
                               'operation_log', 'status',
                               ('success', 'error'), timeout=60)
        self.assertEqual('success', request['status'], request)
        restore = api.post('/restores', {'restore': {
            'provider_id': PROVIDER,
            'checkpoint_id': pair['checkpoint_copy_id'],
            'restore_target': None, 'parameters': {}}})['restore']
        restore = api.wait_for('/restores/%s' % restore['id'], 'restore',
                               'status', ('success', 'fail'), timeout=300)
        self.assertEqual('success', restore['status'], restore)

        codes = self.deployment.stop_all()
        self.assertEqual(-signal.SIGKILL, codes.pop(host))
        self.assertEqual({name: 0 for name in codes}, codes)
        self.assertEqual([], self.deployment.error_lines())
