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

"""The Swift bank on karbor-all: as a main bank and as a copy destination.

A real Swift (single node, tempauth, in its own processes) holds the bank;
karbor-all loads provider files naming ``karbor-swift-bank-plugin``
exactly as a user writes them. The Test Data Provider's restore re-reads
and checks every byte it wrote, so a successful restore proves the data
came back intact.
"""

from karbor.tests.fixtures import swift as swift_fixture
from karbor.tests.functional import object_store_copy
from karbor.tests.functional import test_copy


class TestSwiftBank(object_store_copy.ObjectStoreDestinationTests,
                    swift_fixture.SwiftServerMixin, test_copy.CopyTestBase):

    PROVIDER = 'c5e1a7d9-3b2f-4e8a-9d6c-1f0e2d3c4b5a'
    DESTINATION = 'dr-swift'
    BANK_PLUGIN = 'karbor-swift-bank-plugin'

    @property
    def server_port(self):
        return self.swift.port

    def destination_options(self, proxy=None):
        options = self.swift.options()
        if proxy is not None:
            # One retry, one second apart, keeps the failure short.
            options.update(swift_auth_url=self.swift.auth_url_through(proxy),
                           swift_retry_attempts=1, swift_retry_backoff=1)
        return options

    @staticmethod
    def location(options):
        return options['bank_swift_object_container']

    def stored_keys(self, container, prefix='/'):
        _, listing = self.swift.client().get_container(
            container, prefix=prefix, full_listing=True)
        return [item['name'] for item in listing]

    def stored_object(self, container, key):
        return self.swift.client().get_object(container, key)[1]

    def assert_unreachable_reason(self, reason, proxy):
        # The reason names the cluster.
        self.assertIn('Swift at %s/v1/' % proxy.url, reason)

    def test_upstream_provider_file_with_a_swift_main_bank(self):
        options = self.swift.options()
        container = options['bank_swift_object_container']
        # As upstream's provider files write it (tenant and domains are
        # for Keystone; tempauth ignores them).
        karbor = self.start_with_provider_file(
            self.PROVIDER, 'Swift Test Data Provider',
            'bank = karbor-swift-bank-plugin\n'
            '[swift_client]\nswift_auth_url = %s\nswift_user = %s\n'
            'swift_key = %s\nswift_tenant_name = admin\n'
            'swift_retry_attempts = 3\nswift_retry_backoff = 2\n'
            '[swift_bank_plugin]\nbank_swift_object_container = %s\n'
            'lease_expire_window = 120\nlease_renew_window = 100\n'
            'lease_validity_window = 100\n'
            % (options['swift_auth_url'], options['swift_user'],
               options['swift_key'], container))
        api, _plan, checkpoint = self.protect_and_restore(karbor, container)
        self.assertEqual([checkpoint['id']],
                         [c['id'] for c in self.checkpoints(api,
                                                            self.PROVIDER)])
