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

"""The Swift bank on karbor-all with Keystone auth.

The Swift proxy authenticates with a real Keystone, whose catalog is
where karbor-all's Swift bank finds it (see
:class:`karbor.tests.fixtures.swift.KeystoneSwiftServer`); the bank
authenticates as the demo user, a member of the demo project. The
scenarios are the tempauth ones of :mod:`test_copy_swift`, but for the
network cut, which does not depend on how the bank authenticates.
"""

from karbor.tests.fixtures import swift as swift_fixture
from karbor.tests.functional import test_copy_swift


class TestKeystoneSwiftBank(swift_fixture.KeystoneSwiftServerMixin,
                            test_copy_swift.TestSwiftBank):

    PROVIDER = '8d0f2c6e-4b1a-4f7e-9c3d-2a5b6e7f8091'
    DESTINATION = 'dr-swift-keystone'

    # Cutting the network while a copy runs (23 s) is the same whatever
    # the authentication: the tempauth class covers it.
    test_unreachable_destination_fails_the_copy_and_a_retry_works = None
    test_destination_down_at_start = None

    def destination_options(self, proxy=None):
        assert proxy is None, 'no network cut with Keystone'
        return self.swift.options()

    def test_upstream_provider_file_with_a_swift_main_bank(self):
        # As the configuration reference's example writes it: the Keystone
        # URL, the account and its project, nothing else.
        options = self.swift.options()
        container = options['bank_swift_object_container']
        karbor = self.start_with_provider_file(
            self.PROVIDER, 'Swift with Keystone Test Data Provider',
            'bank = karbor-swift-bank-plugin\n[swift_client]\n%s'
            '[swift_bank_plugin]\nbank_swift_object_container = %s\n'
            % (''.join('%s = %s\n' % (name, value)
                       for name, value in options.items()
                       if name.startswith('swift_')), container))
        # Stored in the demo project's account, at the catalog's endpoint.
        self.protect_and_restore(karbor, container)
