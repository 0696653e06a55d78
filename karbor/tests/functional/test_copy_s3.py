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

"""The S3 bank on karbor-all: as a copy destination and as a main bank.

A real S3 server (moto, in its own process) holds the bank; karbor-all
loads provider files naming ``karbor-s3-bank-plugin`` exactly as a user
writes them. The Test Data Provider's restore re-reads and checks every
byte it wrote, so a successful restore proves the data came back intact.
"""

import hashlib
import json
import os
import shutil

from karbor.tests.fixtures import s3 as s3_fixture
from karbor.tests.fixtures import tcp_proxy
from karbor.tests.functional import base
from karbor.tests.functional import test_copy

PROVIDER = 'a7d3f0b2-4c5e-4f61-9b8a-2e1d0c9b8a71'
# One object larger than a multipart part (8 MiB), so the copy streams a
# multipart upload, and a few small ones.
TEST_DATA = {base.PROJECT_TYPE: {'objects': 3,
                                 'object_size': 9 * 1024 * 1024}}


class TestS3Bank(s3_fixture.S3ServerMixin, test_copy.CopyTestBase):

    def start_with_provider(self, provider_text):
        """karbor-all with one provider; ``{state}`` is its state dir."""
        return self.start_with_provider_file(PROVIDER, 'S3 Test Data Provider',
                                             provider_text)

    def start_with_s3_destination(self, options, extra=''):
        """karbor-all: a file-system main bank, ``dr-s3`` on S3."""
        destination = ''.join('%s = %s\n' % item for item in options.items())
        return self.start_with_provider(
            'bank = karbor-fs-bank-plugin\ncopy_destinations = dr-s3\n'
            '[file_system_bank_plugin]\nfile_system_bank_path = {state}/bank\n'
            '[copy_destination:dr-s3]\nbank = karbor-s3-bank-plugin\n'
            'region = dr\n%s%s' % (destination, extra))

    def keys(self, bucket, prefix='/'):
        pages = self.s3.client().get_paginator('list_objects_v2').paginate(
            Bucket=bucket, Prefix=prefix)
        return [item['Key'] for page in pages
                for item in page.get('Contents', ())]

    def test_copy_to_s3_survives_the_loss_of_the_main_bank(self):
        options = self.s3.options()
        bucket = options['bank_s3_object_bucket']
        karbor = self.start_with_s3_destination(options)
        api = karbor.client()
        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        source = self.protect(api, plan)

        copy = self.copy(api, plan, destination='dr-s3')
        self.assertEqual(('dr-s3', 'dr'), (copy['destination']['name'],
                                           copy['destination']['region']))
        self.wait_copy(api, copy, timeout=180)
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        self.assertEqual(source['id'],
                         copy['checkpoint_id'][0]['checkpoint_protect_id'])
        stored = self.keys(bucket, '/checkpoints/%s/' % copy_id)
        self.assertIn('/checkpoints/%s/index.json' % copy_id, stored)
        self.assertEqual(3, len([k for k in stored if '/data_' in k]))

        # The main bank is lost: only the S3 copy is left.
        shutil.rmtree(os.path.join(karbor.state_dir, 'bank'))
        self.assertEqual([copy_id], [c['id'] for c in
                                     self.checkpoints(api, PROVIDER)])
        restored = self.restore(api, copy_id, provider=PROVIDER)
        self.assertEqual('success', restored['status'], restored)

    def test_upstream_provider_file_with_an_s3_main_bank(self):
        options = self.s3.options()
        bucket = options['bank_s3_object_bucket']
        client = ''.join('%s = %s\n' % (k, v) for k, v in options.items()
                         if k.startswith('s3_'))
        karbor = self.start_with_provider(
            'bank = karbor-s3-bank-plugin\n'
            '[s3_client]\n%s\ns3_retry_attempts = 3\ns3_retry_backoff = 2\n'
            '[s3_bank_plugin]\nbank_s3_object_bucket = %s\n'
            'bank_s3_lease_bucket = lease\nlease_expire_window = 120\n'
            'lease_renew_window = 100\nlease_validity_window = 100\n'
            % (client, bucket))
        api = karbor.client()
        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        checkpoint = self.protect(api, plan)
        stored = self.keys(bucket)
        self.assertIn('/checkpoints/%s/index.json' % checkpoint['id'],
                      stored)
        self.assertTrue(any(k.startswith('/indices/by-plan/%s/' % plan['id'])
                            for k in stored), stored)
        restored = self.restore(api, checkpoint['id'], provider=PROVIDER)
        self.assertEqual('success', restored['status'], restored)

    @staticmethod
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

    def test_unreachable_destination_fails_the_copy_and_a_retry_works(self):
        # karbor reaches the destination through a proxy: closing it cuts
        # the network while the server keeps its data.
        proxy = self.useFixture(tcp_proxy.TcpProxy('127.0.0.1', self.s3.port))
        options = dict(self.s3.options(), s3_endpoint=proxy.url)
        bucket = options['bank_s3_object_bucket']
        # One retry per request keeps the failure short.
        karbor = self.start_with_s3_destination(
            options, 's3_retry_attempts = 1\n')
        api = karbor.client()
        # 96 MiB: the copy runs for seconds, long enough to cut the
        # network once it has started moving data.
        big = {base.PROJECT_TYPE: {'objects': 24,
                                   'object_size': 4 * 1024 * 1024}}
        plan = self.create_plan(api, PROVIDER, big)
        source = self.protect(api, plan)
        source_dir = os.path.join(karbor.state_dir, 'bank', 'karbor',
                                  'checkpoints', source['id'])
        before = self.digests(source_dir)
        self.assertIn('index.json', before)
        self.assertEqual(24, len([p for p in before if '/data_' in p]))

        copy = self.copy(api, plan, destination='dr-s3')
        pair = copy['checkpoint_id'][0]
        copy_id = pair['checkpoint_copy_id']
        self.cut_while_copying(api, copy, proxy)

        # The copy fails, saying which object could not be written where.
        log = api.wait_for('/operation_logs/%s' % copy['id'],
                           'operation_log', 'status', ('success', 'error'),
                           timeout=30)
        self.assertEqual('error', log['status'], log)
        progress = json.loads(log['extra_info'])
        self.assertLess(progress['bytes_done'], progress['bytes_total'])
        copy_logs = [entry for entry in
                     api.get('/operation_logs')['operation_logs']
                     if entry['checkpoint_id'] == copy_id]
        self.assertEqual(['error'], [entry['status'] for entry in copy_logs])
        for reason in (log['error_info'], copy_logs[0]['error_info']):
            self.assertIn('Copying checkpoint %s' % source['id'], reason)
            self.assertIn('to dr-s3', reason)
            self.assertIn('cannot write object ', reason)
            self.assertIn('Could not connect to the endpoint URL', reason)
            self.assertIn(proxy.url, reason)
        # Nothing is left running.
        self.assertEqual([], [entry for entry in
                              api.get('/operation_logs')['operation_logs']
                              if entry['status'] in ('wait_copying',
                                                     'copying')])
        # The copy checkpoint is in the unreachable bank: it cannot be
        # read, and in no case does it pass for a running copy.
        try:
            shown = self.show(api, copy_id, provider=PROVIDER)
        except base.ApiError as e:
            self.assertEqual(404, e.status, e.body)
        else:
            self.assertEqual('error', shown['status'], shown)
        # The source is untouched, and the only checkpoint listed.
        self.assertEqual([(source['id'], 'available')],
                         [(c['id'], c['status']) for c in
                          self.checkpoints(api, PROVIDER)])
        self.assertEqual(before, self.digests(source_dir))

        # The destination is back, with what the failed copy left there:
        # an index saying it is copying, as the failure could not be
        # written. The copy shows its failure, and writes it there.
        proxy.open()
        shown = self.show(api, copy_id, provider=PROVIDER)
        self.assertEqual(('error', source['id'], 'dr-s3'),
                         (shown['status'], shown['copy_of'],
                          shown['copy_destination']))
        self.assertEqual(
            sorted([(source['id'], 'available'), (copy_id, 'error')]),
            sorted((c['id'], c['status'])
                   for c in self.checkpoints(api, PROVIDER)),
            'the failed copy must be listed in error, not copying')
        index = json.loads(self.s3.client().get_object(
            Bucket=bucket, Key='/checkpoints/%s/index.json' % copy_id)[
                'Body'].read())
        # extra_info is a JSON text, as upstream writes it.
        self.assertEqual(('error', 'error', source['id']),
                         (index['status'],
                          json.loads(index['extra_info'])['copy_status'],
                          index['copy_of']['checkpoint_id']), index)

        # The failed copy does not count as copied: it is retried, into
        # the same copy checkpoint.
        again = self.copy(api, plan, destination='dr-s3')
        self.assertEqual([pair], again['checkpoint_id'])
        log = self.wait_copy(api, again, timeout=60)
        progress = json.loads(log['extra_info'])
        self.assertEqual(progress['bytes_total'], progress['bytes_done'])
        shown = self.show(api, copy_id, provider=PROVIDER)
        self.assertEqual(('available', source['id'], 'dr-s3'),
                         (shown['status'], shown['copy_of'],
                          shown['copy_destination']))
        stored = self.keys(bucket, '/checkpoints/%s/' % copy_id)
        self.assertEqual(24, len([k for k in stored if '/data_' in k]))
        self.assertEqual(before, self.digests(source_dir))
        restored = self.restore(api, copy_id, provider=PROVIDER)
        self.assertEqual('success', restored['status'], restored)
