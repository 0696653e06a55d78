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

"""Checkpoint copy end to end on karbor-all, with real bytes in real banks.

The Test Data Provider writes generated objects for every resource and its
restore re-reads and checks each of them, so a restore that succeeds from a
copy proves the data really moved.
"""

import concurrent.futures
import json
import os
import shutil
import signal
import time

from karbor.tests.fixtures import file_trees
from karbor.tests.fixtures import small_file_system
from karbor.tests.functional import base

MiB = 1024 * 1024
PROVIDER = base.TEST_DATA_PROVIDER_ID
TEST_DATA = {base.PROJECT_TYPE: {'objects': 6, 'object_size': 256 * 1024}}


class CopyTestBase(base.FunctionalTestCase):

    def start_with_provider_file(self, provider_id, name, provider_text,
                                 karbor_conf=''):
        """karbor-all with one Test Data provider of the given bank.

        ``karbor_conf`` is added to karbor.conf's ``[DEFAULT]`` section.
        """
        state = self.useFixture(base.fixtures.TempDir()).path
        config = base.write_test_data_provider(state, provider_id, name,
                                               provider_text)
        with open(config, 'a') as f:
            f.write(karbor_conf)
        return self.start_karbor(state_dir=state, config_file=config)

    def cut_while_copying(self, api, copy, proxy, timeout=60):
        """Close ``proxy`` once ``copy`` has moved some, not all, data."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            log = api.get('/operation_logs/%s' % copy['id'])['operation_log']
            extra = json.loads(log['extra_info'] or '{}')
            seen.append((log['status'], extra.get('bytes_done'),
                         extra.get('bytes_total')))
            if 0 < extra.get('bytes_done', 0) < extra.get('bytes_total', 0):
                proxy.close()
                return
            if log['status'] in ('success', 'error'):
                break
            time.sleep(0.02)
        self.fail('the network was not cut while the copy moved data (make '
                  'the data bigger); last seen: %s' % seen[-10:])

    def copy(self, api, plan, **extra):
        body = {'copy': dict({'plan_id': plan['id'], 'parameters': {}},
                             **extra)}
        return api.post('/providers/%s/checkpoints/action'
                        % plan['provider_id'], body)['copy']

    def wait_copy(self, api, copy, timeout=120):
        """Wait for the request's operation log to end; return it."""
        log = api.wait_for('/operation_logs/%s' % copy['id'],
                           'operation_log', 'status', ('success', 'error'),
                           timeout=timeout)
        self.assertEqual('success', log['status'], log)
        return log

    def checkpoints(self, api, provider=PROVIDER, query=''):
        return api.get('/providers/%s/checkpoints%s'
                       % (provider, query))['checkpoints']

    def show(self, api, checkpoint_id, provider=PROVIDER):
        return api.get('/providers/%s/checkpoints/%s'
                       % (provider, checkpoint_id))['checkpoint']

    def restore(self, api, checkpoint_id, provider=PROVIDER):
        restore = api.post('/restores', {'restore': {
            'provider_id': provider, 'checkpoint_id': checkpoint_id,
            'restore_target': None, 'parameters': {}}})['restore']
        return api.wait_for('/restores/%s' % restore['id'], 'restore',
                            'status', ('success', 'fail'))


class TestCopyScenario(CopyTestBase):
    """The issue's acceptance scenario, step by step."""

    def test_copy_survives_the_loss_of_the_main_bank(self):
        karbor = self.start_karbor()
        api = karbor.client()
        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        sources = [self.protect(api, plan), self.protect(api, plan)]
        source_ids = sorted(c['id'] for c in sources)

        copy = self.copy(api, plan)
        self.assertEqual(plan['id'], copy['plan_id'])
        self.assertEqual('az2', copy['destination']['name'])
        self.assertEqual(source_ids, sorted(
            p['checkpoint_protect_id'] for p in copy['checkpoint_id']))
        log = self.wait_copy(api, copy)
        progress = json.loads(log['extra_info'])
        self.assertEqual(progress['bytes_total'], progress['bytes_done'])
        # 2 checkpoints x 6 objects of 256 KiB, plus the metadata objects.
        self.assertGreaterEqual(progress['bytes_done'], 2 * 6 * 256 * 1024)

        copy_ids = sorted(p['checkpoint_copy_id']
                          for p in copy['checkpoint_id'])
        for pair in copy['checkpoint_id']:
            shown = self.show(api, pair['checkpoint_copy_id'])
            self.assertEqual('available', shown['status'])
            self.assertEqual(pair['checkpoint_protect_id'],
                             shown['copy_of'])
            self.assertEqual('az2', shown['copy_destination'])
            self.assertEqual('finished',
                             json.loads(shown['extra_info'])['copy_status'])
            # The source names its copy.
            source = self.show(api, pair['checkpoint_protect_id'])
            self.assertEqual([{'id': pair['checkpoint_copy_id'],
                               'destination': 'az2',
                               'status': 'available'}], source['copies'])

        # Copying again creates nothing.
        logs_before = api.get('/operation_logs')['operation_logs']
        error = self.assertRaises(base.ApiError, self.copy, api, plan)
        self.assertEqual(409, error.status)
        self.assertEqual(logs_before,
                         api.get('/operation_logs')['operation_logs'])

        # Copies are listed with and without the plan filter, marked.
        for query in ('', '?plan_id=%s' % plan['id']):
            listed = {c['id']: c for c in self.checkpoints(api, query=query)}
            self.assertEqual(sorted(source_ids + copy_ids), sorted(listed))
            self.assertEqual(copy_ids, sorted(
                i for i, c in listed.items() if c.get('copy_of')))

        # The main bank is lost.
        shutil.rmtree(os.path.join(karbor.state_dir, 'bank'))
        listed = sorted(c['id'] for c in self.checkpoints(api))
        self.assertEqual(copy_ids, listed)
        for copy_id in copy_ids:
            self.assertEqual('available', self.show(api, copy_id)['status'])
        self.assertEqual('success', self.restore(api, copy_ids[0])['status'])
        self.assertEqual(0, karbor.stop())

        # A second deployment whose provider uses the destination as its
        # main bank restores the copy too.
        second_state = self.useFixture(base.fixtures.TempDir()).path
        providers = os.path.join(second_state, 'my-providers')
        os.makedirs(providers)
        with open(os.path.join(providers, 'dr.conf'), 'w') as f:
            f.write('[provider]\nname = DR Test Data Provider\n'
                    'id = %s\nplugin = karbor-test-data-protection-plugin\n'
                    'bank = karbor-fs-bank-plugin\nenabled = True\n'
                    '[file_system_bank_plugin]\n'
                    'file_system_bank_path = %s\n'
                    % (PROVIDER, os.path.join(karbor.state_dir, 'bank-az2')))
        config = os.path.join(second_state, 'karbor.conf')
        with open(config, 'w') as f:
            f.write('[DEFAULT]\nprovider_config_dir = %s\n' % providers)
        second = self.start_karbor(state_dir=second_state,
                                   config_file=config)
        api2 = second.client(project_id=api.project_id)
        self.assertEqual(copy_ids,
                         sorted(c['id'] for c in self.checkpoints(api2)))
        self.assertEqual('success',
                         self.restore(api2, copy_ids[1])['status'])


class TestCopyRequests(CopyTestBase):

    def setUp(self):
        super().setUp()
        self.karbor = self.start_karbor()
        self.api = self.karbor.client()

    def test_both_request_forms(self):
        plan = self.create_plan(self.api, PROVIDER, TEST_DATA)
        first = self.protect(self.api, plan)
        listed = self.copy(self.api, plan)
        self.wait_copy(self.api, listed)
        second = self.protect(self.api, plan)
        body = {'copy': [{'provider_id': PROVIDER, 'plan_id': plan['id'],
                          'parameters': {}}]}
        copy = self.api.post('/providers/%s/checkpoints/action' % PROVIDER,
                             body)['copy']
        self.assertEqual([second['id']], [
            p['checkpoint_protect_id'] for p in copy['checkpoint_id']])
        self.assertNotIn(first['id'], [
            p['checkpoint_protect_id'] for p in copy['checkpoint_id']])
        self.wait_copy(self.api, copy)

    def test_members_follow_copies_in_operation_logs(self):
        member = self.karbor.client(project_id=self.api.project_id,
                                    roles='member,reader')
        plan = self.create_plan(member, PROVIDER, TEST_DATA)
        self.protect(member, plan)
        copy = self.copy(member, plan)
        self.wait_copy(member, copy)
        logs = member.get('/operation_logs?operation_type=copy'
                          '&status=success')['operation_logs']
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        # The request's log and the copy's own log.
        self.assertEqual({copy['id']}, {log['id'] for log in logs
                                        if not log['checkpoint_id']})
        self.assertEqual([copy_id], [log['checkpoint_id'] for log in logs
                                     if log['checkpoint_id']])
        self.assertEqual({'copy'}, {log['operation_type'] for log in logs})
        protect_logs = member.get('/operation_logs?operation_type=protect'
                                  )['operation_logs']
        self.assertEqual(1, len(protect_logs))

    def test_concurrent_requests_never_duplicate(self):
        plan = self.create_plan(self.api, PROVIDER, TEST_DATA)
        sources = {self.protect(self.api, plan)['id'] for _ in range(3)}

        def attempt(_):
            try:
                return self.copy(self.api, plan)
            except base.ApiError as e:
                self.assertEqual(409, e.status)
                return None

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = [a for a in pool.map(attempt, range(4)) if a]
        copied = [p['checkpoint_protect_id']
                  for a in answers for p in a['checkpoint_id']]
        self.assertEqual(sorted(sources), sorted(copied))
        for answer in answers:
            self.wait_copy(self.api, answer)
        copies = [c for c in self.checkpoints(self.api) if c.get('copy_of')]
        self.assertEqual(sorted(sources),
                         sorted(c['copy_of'] for c in copies))

    def test_refused_requests_create_nothing(self):
        noop_plan = self.create_plan(self.api)
        plan = self.create_plan(self.api, PROVIDER, TEST_DATA)
        path = '/providers/%s/checkpoints/action' % PROVIDER

        def state():
            bank = [os.path.join(d, f) for d, _, names in
                    os.walk(self.karbor.state_dir) if 'bank' in d
                    for f in names]
            return (sorted(bank),
                    self.api.get('/operation_logs')['operation_logs'])

        before = state()
        cases = [
            ({'copy': {'plan_id': plan['id']}}, 409),  # nothing protected
            ({'copy': {'plan_id': plan['id'], 'destination': 'mars'}}, 400),
            ({'copy': {'plan_id': noop_plan['id']}}, 400),  # other provider
            ({'copy': {'plan_id': '0' * 8 + '-0000-4000-8000-' + '0' * 12}},
             404),
            ({'copy': {'plan_id': plan['id'], 'colour': 'red'}}, 400),
            # The Test Data plugin's copy takes no options; no plugin
            # copies the made-up type.
            ({'copy': {'plan_id': plan['id'], 'parameters': {
                base.PROJECT_TYPE: {'objects': 1}}}}, 400),
            ({'copy': {'plan_id': plan['id'], 'parameters': {
                'OS::Made::Up': {}}}}, 400),
            ({'copy': [{'plan_id': plan['id']}, {'plan_id': plan['id']}]},
             400),
            ({'copy': [{'plan_id': plan['id'],
                        'provider_id': base.NOOP_PROVIDER_ID}]}, 400),
            ({'copy': {}}, 400),
            ({'copies': {'plan_id': plan['id']}}, 400),
        ]
        for body, code in cases:
            error = self.assertRaises(base.ApiError, self.api.post, path,
                                      body)
            self.assertEqual(code, error.status, (body, error.body))
        self.assertEqual(before, state())


class TestCopyInFlight(CopyTestBase):
    """Copies seen and interrupted while they move data."""

    # The destination takes 16 MiB/s: copies last seconds however fast
    # the machine, so they are surely seen (and killed) half way.
    THROTTLED = base.az2_provider_text(16)

    def test_progress_is_visible_while_copying(self):
        state_dir = self.useFixture(base.fixtures.TempDir()).path
        config = base.write_test_data_provider(
            state_dir, PROVIDER, 'throttled', self.THROTTLED)
        self.api = self.start_karbor(state_dir=state_dir,
                                     config_file=config).client()
        # About 4 s at the destination's 16 MiB/s.
        big = {base.PROJECT_TYPE: {'objects': 16,
                                   'object_size': 4 * 1024 * 1024}}
        plan = self.create_plan(self.api, PROVIDER, big)
        self.protect(self.api, plan)
        copy = self.copy(self.api, plan)
        seen = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            log = self.api.get('/operation_logs/%s'
                               % copy['id'])['operation_log']
            extra = json.loads(log['extra_info'] or '{}')
            if extra.get('bytes_total'):
                seen.append((extra['bytes_done'], extra['bytes_total']))
            if log['status'] in ('success', 'error'):
                break
            time.sleep(0.05)
        self.assertEqual('success', log['status'])
        self.assertTrue(any(0 < done < total for done, total in seen),
                        'no intermediate progress seen: %s' % seen[:20])
        done = [d for d, _ in seen]
        self.assertEqual(sorted(done), done)

    def test_source_is_not_deleted_while_copied(self):
        state_dir = self.useFixture(base.fixtures.TempDir()).path
        config = base.write_test_data_provider(
            state_dir, PROVIDER, 'throttled', self.THROTTLED)
        api = self.start_karbor(state_dir=state_dir,
                                config_file=config).client()
        # About 2 s at the destination's 16 MiB/s.
        data = {base.PROJECT_TYPE: {'objects': 16,
                                    'object_size': 2 * 1024 * 1024}}
        plan = self.create_plan(api, PROVIDER, data)
        source = self.protect(api, plan)['id']
        copy = self.copy(api, plan)
        path = '/providers/%s/checkpoints/%s' % (PROVIDER, source)
        error = self.assertRaises(base.ApiError, api.delete, path)
        self.assertEqual(409, error.status, error.body)
        self.assertIn('being copied to az2', json.dumps(error.body))
        self.assertEqual('available', self.show(api, source)['status'])

        self.wait_copy(api, copy)
        api.delete(path)
        api.wait_for(path, 'checkpoint', 'status', ('deleted',))
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        self.assertEqual('success', self.restore(api, copy_id)['status'])

    def test_killed_service_resumes_the_copy(self):
        state_dir = self.useFixture(base.fixtures.TempDir()).path
        config = base.write_test_data_provider(
            state_dir, PROVIDER, 'throttled', self.THROTTLED)
        karbor = self.start_karbor(state_dir=state_dir, config_file=config)
        api = karbor.client()
        big = {base.PROJECT_TYPE: {'objects': 16,
                                   'object_size': 8 * 1024 * 1024}}
        plan = self.create_plan(api, PROVIDER, big)
        self.protect(api, plan, timeout=300)
        copy = self.copy(api, plan)
        pair = copy['checkpoint_id'][0]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            log = api.get('/operation_logs/%s' % copy['id'])['operation_log']
            self.assertNotIn(log['status'], ('success', 'error'),
                             'the copy ended before it could be killed')
            extra = json.loads(log['extra_info'] or '{}')
            if 0 < extra.get('bytes_done', 0) < extra.get('bytes_total', 0):
                break
            time.sleep(0.02)
        karbor.stop(sig=signal.SIGKILL)
        # Killed half way: the destination holds part of the data.
        copied = [name for _dir, _subdirs, names
                  in os.walk(os.path.join(state_dir, 'bank-az2'))
                  for name in names
                  if name.startswith('data_') and '#tmp-' not in name]
        self.assertLess(len(copied), 16)

        again = self.start_karbor(state_dir=state_dir, config_file=config)
        api = again.client(project_id=api.project_id)
        shown = api.wait_for('/providers/%s/checkpoints/%s'
                             % (PROVIDER, pair['checkpoint_copy_id']),
                             'checkpoint', 'status', ('available', 'error'),
                             timeout=300)
        self.assertEqual('available', shown['status'])
        self.assertEqual('success',
                         self.restore(api, shown['id'])['status'])


class TestCopyToAFullBank(CopyTestBase):
    """A destination that fills up during a copy, on a real file system."""

    def _source_data(self, bank):
        # The checkpoint's data objects (the copy may record itself
        # beside the source's index, never in its data).
        return {path: data for path, data in file_trees.read_tree(bank).items()
                if os.path.basename(path).startswith('data_')}

    def test_full_destination_fails_and_a_retry_works(self):
        state_dir = self.useFixture(base.fixtures.TempDir()).path
        az2 = self.useFixture(small_file_system.SmallFileSystem(
            os.path.join(state_dir, 'bank-az2'), 8 * MiB))
        config = base.write_test_data_provider(
            state_dir, PROVIDER, 'small az2', base.az2_provider_text(1024))
        api = self.start_karbor(state_dir=state_dir,
                                config_file=config).client()
        # 24 MiB for 8 MiB of room. Objects this large are copied inside
        # the kernel; the checkpoint's metadata is streamed.
        data = {base.PROJECT_TYPE: {'objects': 6, 'object_size': 4 * MiB}}
        plan = self.create_plan(api, PROVIDER, data)
        self.protect(api, plan)
        main = os.path.join(state_dir, 'bank')
        source_data = self._source_data(main)
        self.assertEqual(6, len(source_data))

        copy = self.copy(api, plan)
        log = api.wait_for('/operation_logs/%s' % copy['id'],
                           'operation_log', 'status', ('success', 'error'),
                           timeout=120)
        self.assertEqual('error', log['status'])
        self.assertIn('No space left on device', str(log['error_info']))
        failed = self.show(api, copy['checkpoint_id'][0]['checkpoint_copy_id'])
        self.assertEqual('error', failed['status'])
        self.assertEqual(source_data, self._source_data(main))

        # Room is made; the same request again copies the checkpoint.
        az2.resize(64 * MiB)
        retry = self.copy(api, plan)
        self.wait_copy(api, retry)
        (pair,) = retry['checkpoint_id']
        self.assertEqual(copy['checkpoint_id'][0]['checkpoint_protect_id'],
                         pair['checkpoint_protect_id'])
        self.assertEqual('available',
                         self.show(api, pair['checkpoint_copy_id'])['status'])
        self.assertEqual(
            sorted(source_data.values()),
            sorted(self._source_data(os.path.join(state_dir,
                                                  'bank-az2')).values()))
        restored = self.restore(api, pair['checkpoint_copy_id'])
        self.assertEqual('success', restored['status'])
        self.assertEqual(source_data, self._source_data(main))


class TestBanksDownAtStart(CopyTestBase):
    """Banks whose storage is unreachable when karbor-all starts.

    The provider loads without them: a destination that is down stops
    neither protection nor the other banks, and a main bank that is down
    leaves the copies restorable.
    """

    def test_destination_down_at_start(self):
        state_dir = self.useFixture(base.fixtures.TempDir()).path
        config = base.write_test_data_provider(
            state_dir, PROVIDER, 'az2 down', base.az2_provider_text(0))
        with open(config, 'a') as f:
            f.write('bank_start_retry_interval = 0.2\n')
        # The destination's directory cannot be created: a file is there.
        az2 = os.path.join(state_dir, 'bank-az2')
        with open(az2, 'w'):
            pass
        karbor = self.start_karbor(state_dir=state_dir, config_file=config)
        api = karbor.client()
        providers = api.get('/providers')['providers']
        self.assertEqual([PROVIDER], [p['id'] for p in providers])
        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        source = self.protect(api, plan)

        logs_before = api.get('/operation_logs')['operation_logs']
        error = self.assertRaises(base.ApiError, self.copy, api, plan)
        self.assertEqual(503, error.status, error.body)
        message = json.dumps(error.body)
        self.assertIn('copy destination az2', message)
        self.assertIn('cannot create the bank directory', message)
        self.assertEqual(logs_before,
                         api.get('/operation_logs')['operation_logs'])
        self.assertEqual([source['id']],
                         [c['id'] for c in self.checkpoints(api)])

        # Back: the next request after the retry interval copies.
        os.remove(az2)
        time.sleep(0.3)
        copy = self.copy(api, plan)
        self.wait_copy(api, copy)
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        self.assertEqual('success', self.restore(api, copy_id)['status'])

    def test_main_bank_down_at_start(self):
        # The main site is gone when the service starts again: the copies
        # kept at the destination are still listed, shown and restored.
        state_dir = self.useFixture(base.fixtures.TempDir()).path
        config = base.write_test_data_provider(
            state_dir, PROVIDER, 'main down', base.az2_provider_text(0))
        karbor = self.start_karbor(state_dir=state_dir, config_file=config)
        api = karbor.client()
        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        source = self.protect(api, plan)
        copy = self.copy(api, plan)
        self.wait_copy(api, copy)
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        karbor.stop()

        main = os.path.join(state_dir, 'bank')
        shutil.rmtree(main)
        with open(main, 'w'):
            pass
        again = self.start_karbor(state_dir=state_dir, config_file=config)
        api = again.client(project_id=api.project_id)
        self.assertEqual([copy_id], [c['id'] for c in self.checkpoints(api)])
        self.assertEqual('available', self.show(api, copy_id)['status'])
        self.assertEqual('success', self.restore(api, copy_id)['status'])
        # What needs the main bank says why it cannot be done: the
        # source is not "not found", and protecting is refused.
        error = self.assertRaises(base.ApiError, self.show, api,
                                  source['id'])
        self.assertEqual(503, error.status, error.body)
        self.assertIn('the main bank cannot be read', json.dumps(error.body))
        error = self.assertRaises(base.ApiError, self.protect, api, plan)
        self.assertEqual(503, error.status, error.body)
        self.assertIn('the main bank', json.dumps(error.body))
