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

import os
import shutil

from karbor.tests.fixtures import s3 as s3_fixture
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
        state = self.useFixture(base.fixtures.TempDir()).path
        providers = os.path.join(state, 'providers')
        os.makedirs(providers)
        with open(os.path.join(providers, 's3.conf'), 'w') as f:
            f.write('[provider]\nname = S3 Test Data Provider\nid = %s\n'
                    'plugin = karbor-test-data-protection-plugin\n'
                    'enabled = True\n%s'
                    % (PROVIDER, provider_text.replace('{state}', state)))
        config = os.path.join(state, 'karbor.conf')
        with open(config, 'w') as f:
            f.write('[DEFAULT]\nprovider_config_dir = %s\n' % providers)
        return self.start_karbor(state_dir=state, config_file=config)

    def keys(self, bucket, prefix='/'):
        pages = self.s3.client().get_paginator('list_objects_v2').paginate(
            Bucket=bucket, Prefix=prefix)
        return [item['Key'] for page in pages
                for item in page.get('Contents', ())]

    def test_copy_to_s3_survives_the_loss_of_the_main_bank(self):
        options = self.s3.options()
        bucket = options['bank_s3_object_bucket']
        destination = ''.join('%s = %s\n' % item for item in options.items())
        karbor = self.start_with_provider(
            'bank = karbor-fs-bank-plugin\ncopy_destinations = dr-s3\n'
            '[file_system_bank_plugin]\nfile_system_bank_path = {state}/bank\n'
            '[copy_destination:dr-s3]\nbank = karbor-s3-bank-plugin\n'
            'region = dr\n%s' % destination)
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
