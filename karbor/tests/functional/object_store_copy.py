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

"""Copies to an object store, the same promises whatever the store.

:class:`ObjectStoreDestinationTests` is mixed into a test case per store
(S3, Swift) that says how to configure, reach and read that store; the
scenarios are written once here. The main bank is the file-system bank,
the copy destination a bucket or container of a real server.
"""

import hashlib
import json
import os
import shutil
import time

from karbor.tests.fixtures import tcp_proxy
from karbor.tests.functional import base

# One object larger than the plugins' single-request size (8 MiB), so it
# is streamed, and a few small ones.
TEST_DATA = {base.PROJECT_TYPE: {'objects': 3,
                                 'object_size': 9 * 1024 * 1024}}
# About 96 MiB: a copy long enough to cut the network while it moves data.
BIG_DATA = {base.PROJECT_TYPE: {'objects': 24,
                                'object_size': 4 * 1024 * 1024}}


def digests(directory):
    """``{relative path: sha256}`` of every file under ``directory``."""
    result = {}
    for parent, _dirs, names in os.walk(directory):
        for name in names:
            path = os.path.join(parent, name)
            with open(path, 'rb') as f:
                result[os.path.relpath(path, directory)] = hashlib.sha256(
                    f.read()).hexdigest()
    return result


class ObjectStoreDestinationTests:
    """Scenarios of a copy destination on an object store.

    A test case mixing it in (before ``CopyTestBase``) defines:

    ``PROVIDER``, ``DESTINATION``, ``BANK_PLUGIN``
        the provider id, the destination's name, the bank plugin's name;
    ``destination_options(proxy=None)``
        the destination section's options (a dict), reaching the server
        through ``proxy`` when given, with one retry only;
    ``location(options)``
        the bucket or container the options name;
    ``stored_keys(location, prefix)``
        the keys under ``prefix`` in it, read straight from the server;
    ``stored_object(location, key)``
        an object's bytes, read straight from the server;
    ``assert_unreachable_reason(reason, proxy)``
        what a copy's error says when the server cannot be reached.
    """

    def start_with_destination(self, options, karbor_conf=''):
        """karbor-all: a file-system main bank, the store as destination."""
        section = ''.join('%s = %s\n' % item for item in options.items())
        return self.start_with_provider_file(
            self.PROVIDER, 'Test Data Provider to %s' % self.DESTINATION,
            'bank = karbor-fs-bank-plugin\ncopy_destinations = %s\n'
            '[file_system_bank_plugin]\nfile_system_bank_path = {state}/bank\n'
            '[copy_destination:%s]\nbank = %s\nregion = dr\n%s'
            % (self.DESTINATION, self.DESTINATION, self.BANK_PLUGIN,
               section), karbor_conf=karbor_conf)

    def protect_and_restore(self, karbor, location):
        """Protect TEST_DATA into a main bank on the store, and restore.

        Checks the checkpoint's index, its plan index and its data objects
        on the server, and that the restore succeeds. Returns the client,
        the plan and the checkpoint.
        """
        api = karbor.client()
        plan = self.create_plan(api, self.PROVIDER, TEST_DATA)
        checkpoint = self.protect(api, plan)
        stored = self.stored_keys(location)
        self.assertIn('/checkpoints/%s/index.json' % checkpoint['id'],
                      stored)
        self.assertTrue(any(k.startswith('/indices/by-plan/%s/' % plan['id'])
                            for k in stored), stored)
        self.assertEqual(3, len([k for k in stored if '/data_' in k]))
        restored = self.restore(api, checkpoint['id'], provider=self.PROVIDER)
        self.assertEqual('success', restored['status'], restored)
        return api, plan, checkpoint

    def data_keys(self, location, checkpoint_id):
        return [k for k in self.stored_keys(
            location, '/checkpoints/%s/' % checkpoint_id) if '/data_' in k]

    def test_copy_survives_the_loss_of_the_main_bank(self):
        options = self.destination_options()
        location = self.location(options)
        karbor = self.start_with_destination(options)
        api = karbor.client()
        plan = self.create_plan(api, self.PROVIDER, TEST_DATA)
        source = self.protect(api, plan)

        copy = self.copy(api, plan, destination=self.DESTINATION)
        self.assertEqual((self.DESTINATION, 'dr'),
                         (copy['destination']['name'],
                          copy['destination']['region']))
        self.wait_copy(api, copy, timeout=180)
        (pair,) = copy['checkpoint_id']
        copy_id = pair['checkpoint_copy_id']
        self.assertEqual(source['id'], pair['checkpoint_protect_id'])
        self.assertIn('/checkpoints/%s/index.json' % copy_id,
                      self.stored_keys(location, '/checkpoints/'))
        self.assertEqual(3, len(self.data_keys(location, copy_id)))

        # The main bank is lost: only the copy in the store is left.
        shutil.rmtree(os.path.join(karbor.state_dir, 'bank'))
        self.assertEqual([copy_id], [c['id'] for c in
                                     self.checkpoints(api, self.PROVIDER)])
        restored = self.restore(api, copy_id, provider=self.PROVIDER)
        self.assertEqual('success', restored['status'], restored)

    def test_destination_down_at_start(self):
        # The store is unreachable when karbor-all starts (a site that is
        # down): the provider loads all the same and protects; copies to
        # the store are refused, creating nothing, until it is back.
        proxy = self.useFixture(tcp_proxy.TcpProxy('127.0.0.1',
                                                   self.server_port))
        proxy.close()
        karbor = self.start_with_destination(
            self.destination_options(proxy=proxy),
            karbor_conf='bank_start_retry_interval = 0.2\n')
        api = karbor.client()
        plan = self.create_plan(api, self.PROVIDER, TEST_DATA)
        self.protect(api, plan)
        logs_before = api.get('/operation_logs')['operation_logs']
        error = self.assertRaises(base.ApiError, self.copy, api, plan,
                                  destination=self.DESTINATION)
        self.assertEqual(503, error.status, error.body)
        self.assertIn('copy destination %s' % self.DESTINATION,
                      json.dumps(error.body))
        self.assertEqual(logs_before,
                         api.get('/operation_logs')['operation_logs'])

        proxy.open()
        time.sleep(0.3)
        copy = self.copy(api, plan, destination=self.DESTINATION)
        self.wait_copy(api, copy, timeout=180)
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        restored = self.restore(api, copy_id, provider=self.PROVIDER)
        self.assertEqual('success', restored['status'], restored)

    def test_unreachable_destination_fails_the_copy_and_a_retry_works(self):
        # karbor reaches the server through a proxy: closing it cuts the
        # network while the server keeps its data.
        proxy = self.useFixture(tcp_proxy.TcpProxy('127.0.0.1',
                                                   self.server_port))
        options = self.destination_options(proxy=proxy)
        location = self.location(options)
        # Slow enough that the copy is surely under way when cut.
        karbor = self.start_with_destination(dict(options,
                                                  bandwidth_limit=16))
        api = karbor.client()
        plan = self.create_plan(api, self.PROVIDER, BIG_DATA)
        source = self.protect(api, plan)
        source_dir = os.path.join(karbor.state_dir, 'bank', 'karbor',
                                  'checkpoints', source['id'])
        before = digests(source_dir)
        self.assertIn('index.json', before)
        self.assertEqual(24, len([p for p in before if '/data_' in p]))

        copy = self.copy(api, plan, destination=self.DESTINATION)
        (pair,) = copy['checkpoint_id']
        copy_id = pair['checkpoint_copy_id']
        self.cut_while_copying(api, copy, proxy)

        # The copy fails, saying which object could not be written where.
        log = api.wait_for('/operation_logs/%s' % copy['id'],
                           'operation_log', 'status', ('success', 'error'),
                           timeout=60)
        self.assertEqual('error', log['status'], log)
        progress = json.loads(log['extra_info'])
        self.assertLess(progress['bytes_done'], progress['bytes_total'])
        logs = api.get('/operation_logs')['operation_logs']
        copy_logs = [entry for entry in logs
                     if entry['checkpoint_id'] == copy_id]
        self.assertEqual(['error'], [entry['status'] for entry in copy_logs])
        for reason in (log['error_info'], copy_logs[0]['error_info']):
            self.assertIn('Copying checkpoint %s' % source['id'], reason)
            self.assertIn('to %s' % self.DESTINATION, reason)
            self.assertIn('cannot write object ', reason)
            self.assert_unreachable_reason(reason, proxy)
        # Nothing is left running.
        self.assertEqual([], [entry for entry in logs
                              if entry['status'] in ('wait_copying',
                                                     'copying')])
        # The copy is in the unreachable bank: it cannot be read, which is
        # not taken for "not found", and in no case does it pass for a
        # running copy.
        try:
            shown = self.show(api, copy_id, provider=self.PROVIDER)
        except base.ApiError as e:
            self.assertEqual(503, e.status, e.body)
            self.assertIn('copy destination %s cannot be read'
                          % self.DESTINATION, json.dumps(e.body))
        else:
            self.assertEqual('error', shown['status'], shown)
        # The source is untouched, and the only checkpoint listed.
        self.assertEqual([(source['id'], 'available')],
                         [(c['id'], c['status']) for c in
                          self.checkpoints(api, self.PROVIDER)])
        self.assertEqual(before, digests(source_dir))

        # The store is back, with what the failed copy left there: an
        # index saying it is copying, as the failure could not be written.
        # The copy shows its failure, and writes it there.
        proxy.open()
        shown = self.show(api, copy_id, provider=self.PROVIDER)
        self.assertEqual(('error', source['id'], self.DESTINATION),
                         (shown['status'], shown['copy_of'],
                          shown['copy_destination']))
        self.assertEqual(
            sorted([(source['id'], 'available'), (copy_id, 'error')]),
            sorted((c['id'], c['status'])
                   for c in self.checkpoints(api, self.PROVIDER)),
            'the failed copy must be listed in error, not copying')
        index = json.loads(self.stored_object(
            location, '/checkpoints/%s/index.json' % copy_id))
        # extra_info is a JSON text, as upstream writes it.
        self.assertEqual(('error', 'error', source['id']),
                         (index['status'],
                          json.loads(index['extra_info'])['copy_status'],
                          index['copy_of']['checkpoint_id']), index)

        # The failed copy does not count as copied: it is retried, into
        # the same copy checkpoint.
        again = self.copy(api, plan, destination=self.DESTINATION)
        self.assertEqual([pair], again['checkpoint_id'])
        log = self.wait_copy(api, again, timeout=120)
        progress = json.loads(log['extra_info'])
        self.assertEqual(progress['bytes_total'], progress['bytes_done'])
        shown = self.show(api, copy_id, provider=self.PROVIDER)
        self.assertEqual(('available', source['id'], self.DESTINATION),
                         (shown['status'], shown['copy_of'],
                          shown['copy_destination']))
        self.assertEqual(24, len(self.data_keys(location, copy_id)))
        self.assertEqual(before, digests(source_dir))
        restored = self.restore(api, copy_id, provider=self.PROVIDER)
        self.assertEqual('success', restored['status'], restored)
