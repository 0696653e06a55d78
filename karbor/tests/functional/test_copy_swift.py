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

import os
import shutil

from karbor.tests.fixtures import swift as swift_fixture
from karbor.tests.fixtures import tcp_proxy
from karbor.tests.functional import base
from karbor.tests.functional import test_copy

PROVIDER = 'c5e1a7d9-3b2f-4e8a-9d6c-1f0e2d3c4b5a'
# One object larger than the plugin's small-object buffer (8 MiB), so it
# is written with a chunked PUT, and a few small ones.
TEST_DATA = {base.PROJECT_TYPE: {'objects': 3,
                                 'object_size': 9 * 1024 * 1024}}


class TestSwiftBank(swift_fixture.SwiftServerMixin, test_copy.CopyTestBase):

    def start_with_provider(self, provider_text):
        """karbor-all with one provider; ``{state}`` is its state dir."""
        return self.start_with_provider_file(
            PROVIDER, 'Swift Test Data Provider', provider_text)

    def keys(self, container, prefix='/'):
        _, listing = self.swift.client().get_container(
            container, prefix=prefix, full_listing=True)
        return [item['name'] for item in listing]

    def test_upstream_provider_file_with_a_swift_main_bank(self):
        options = self.swift.options()
        container = options['bank_swift_object_container']
        # As upstream's provider files write it (tenant and domains are
        # for Keystone; tempauth ignores them).
        karbor = self.start_with_provider(
            'bank = karbor-swift-bank-plugin\n'
            '[swift_client]\nswift_auth_url = %s\nswift_user = %s\n'
            'swift_key = %s\nswift_tenant_name = admin\n'
            'swift_retry_attempts = 3\nswift_retry_backoff = 2\n'
            '[swift_bank_plugin]\nbank_swift_object_container = %s\n'
            'lease_expire_window = 120\nlease_renew_window = 100\n'
            'lease_validity_window = 100\n'
            % (options['swift_auth_url'], options['swift_user'],
               options['swift_key'], container))
        api = karbor.client()
        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        checkpoint = self.protect(api, plan)
        stored = self.keys(container)
        self.assertIn('/checkpoints/%s/index.json' % checkpoint['id'],
                      stored)
        self.assertTrue(any(k.startswith('/indices/by-plan/%s/' % plan['id'])
                            for k in stored), stored)
        self.assertEqual(3, len([k for k in stored if '/data_' in k]))
        self.assertEqual([checkpoint['id']],
                         [c['id'] for c in self.checkpoints(api, PROVIDER)])
        restored = self.restore(api, checkpoint['id'], provider=PROVIDER)
        self.assertEqual('success', restored['status'], restored)

    def start_with_swift_destination(self, options, extra=''):
        """karbor-all: a file-system main bank, ``dr-swift`` on Swift."""
        destination = ''.join('%s = %s\n' % item for item in options.items())
        return self.start_with_provider(
            'bank = karbor-fs-bank-plugin\ncopy_destinations = dr-swift\n'
            '[file_system_bank_plugin]\nfile_system_bank_path = {state}/bank\n'
            '[copy_destination:dr-swift]\nbank = karbor-swift-bank-plugin\n'
            'region = dr\n%s%s' % (destination, extra))

    def test_copy_to_swift_survives_the_loss_of_the_main_bank(self):
        options = self.swift.options()
        container = options['bank_swift_object_container']
        karbor = self.start_with_swift_destination(options)
        api = karbor.client()
        plan = self.create_plan(api, PROVIDER, TEST_DATA)
        source = self.protect(api, plan)

        copy = self.copy(api, plan, destination='dr-swift')
        self.assertEqual(('dr-swift', 'dr'), (copy['destination']['name'],
                                              copy['destination']['region']))
        self.wait_copy(api, copy, timeout=180)
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        self.assertEqual(source['id'],
                         copy['checkpoint_id'][0]['checkpoint_protect_id'])
        stored = self.keys(container, '/checkpoints/%s/' % copy_id)
        self.assertIn('/checkpoints/%s/index.json' % copy_id, stored)
        self.assertEqual(3, len([k for k in stored if '/data_' in k]))

        # The main bank is lost: only the Swift copy is left.
        shutil.rmtree(os.path.join(karbor.state_dir, 'bank'))
        self.assertEqual([copy_id], [c['id'] for c in
                                     self.checkpoints(api, PROVIDER)])
        restored = self.restore(api, copy_id, provider=PROVIDER)
        self.assertEqual('success', restored['status'], restored)

    def test_unreachable_destination_fails_the_copy_and_a_retry_works(self):
        # karbor reaches Swift through a proxy: closing it cuts the network
        # while the cluster keeps its data.
        proxy = self.useFixture(tcp_proxy.TcpProxy('127.0.0.1',
                                                   self.swift.port))
        options = dict(self.swift.options(),
                       swift_auth_url=self.swift.auth_url_through(proxy))
        container = options['bank_swift_object_container']
        # One retry, one second apart, keeps the failure short.
        karbor = self.start_with_swift_destination(
            options, 'swift_retry_attempts = 1\nswift_retry_backoff = 1\n')
        api = karbor.client()
        # 96 MiB: the copy runs long enough to cut the network once it
        # has started moving data; each object is sent as a chunked PUT.
        big = {base.PROJECT_TYPE: {'objects': 8,
                                   'object_size': 12 * 1024 * 1024}}
        plan = self.create_plan(api, PROVIDER, big)
        source = self.protect(api, plan)

        copy = self.copy(api, plan, destination='dr-swift')
        copy_id = copy['checkpoint_id'][0]['checkpoint_copy_id']
        self.cut_while_copying(api, copy, proxy)

        log = api.wait_for('/operation_logs/%s' % copy['id'],
                           'operation_log', 'status', ('success', 'error'),
                           timeout=60)
        self.assertEqual('error', log['status'], log)
        self.assertIn('Copying checkpoint %s' % source['id'],
                      log['error_info'])
        self.assertIn('to dr-swift', log['error_info'])
        self.assertIn('cannot write object ', log['error_info'])
        # The reason names the cluster.
        self.assertIn('Swift at %s/v1/' % proxy.url, log['error_info'])
        # The source is untouched and still the only available checkpoint.
        self.assertIn((source['id'], 'available'),
                      [(c['id'], c['status'])
                       for c in self.checkpoints(api, PROVIDER)])

        # Back: the failed copy is retried into the same copy checkpoint.
        proxy.open()
        again = self.copy(api, plan, destination='dr-swift')
        self.assertEqual(copy_id,
                         again['checkpoint_id'][0]['checkpoint_copy_id'])
        self.wait_copy(api, again, timeout=120)
        stored = self.keys(container, '/checkpoints/%s/' % copy_id)
        self.assertEqual(8, len([k for k in stored if '/data_' in k]))
        restored = self.restore(api, copy_id, provider=PROVIDER)
        self.assertEqual('success', restored['status'], restored)
