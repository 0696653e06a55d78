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

from karbor.tests.fixtures import s3 as s3_fixture
from karbor.tests.functional import object_store_copy
from karbor.tests.functional import test_copy


class TestS3Bank(object_store_copy.ObjectStoreDestinationTests,
                 s3_fixture.S3ServerMixin, test_copy.CopyTestBase):

    PROVIDER = 'a7d3f0b2-4c5e-4f61-9b8a-2e1d0c9b8a71'
    DESTINATION = 'dr-s3'
    BANK_PLUGIN = 'karbor-s3-bank-plugin'

    @property
    def server_port(self):
        return self.s3.port

    def destination_options(self, proxy=None):
        options = self.s3.options()
        if proxy is not None:
            options.update(s3_endpoint=proxy.url, s3_retry_attempts=1)
        return options

    @staticmethod
    def location(options):
        return options['bank_s3_object_bucket']

    def stored_keys(self, bucket, prefix='/'):
        pages = self.s3.client().get_paginator('list_objects_v2').paginate(
            Bucket=bucket, Prefix=prefix)
        return [item['Key'] for page in pages
                for item in page.get('Contents', ())]

    def stored_object(self, bucket, key):
        return self.s3.client().get_object(Bucket=bucket,
                                           Key=key)['Body'].read()

    def assert_unreachable_reason(self, reason, proxy):
        self.assertIn('Could not connect to the endpoint URL', reason)
        self.assertIn(proxy.url, reason)

    def test_upstream_provider_file_with_an_s3_main_bank(self):
        options = self.s3.options()
        bucket = options['bank_s3_object_bucket']
        client = ''.join('%s = %s\n' % (k, v) for k, v in options.items()
                         if k.startswith('s3_'))
        karbor = self.start_with_provider_file(
            self.PROVIDER, 'S3 Test Data Provider',
            'bank = karbor-s3-bank-plugin\n'
            '[s3_client]\n%s\ns3_retry_attempts = 3\ns3_retry_backoff = 2\n'
            '[s3_bank_plugin]\nbank_s3_object_bucket = %s\n'
            'bank_s3_lease_bucket = lease\nlease_expire_window = 120\n'
            'lease_renew_window = 100\nlease_validity_window = 100\n'
            % (client, bucket))
        self.protect_and_restore(karbor, bucket)
