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

"""Tests of the Swift bank plugin against a real Swift.

Most tests use tempauth; the ``KeystoneSwift`` classes use a Swift proxy
that authenticates with a real Keystone, found in Keystone's catalog.
The servers run in their own processes, started once for each test class
(or named by the environment, see :mod:`karbor.tests.fixtures.swift`);
each test works in its own containers.
"""

import hashlib
import io
import json
import os
from unittest import mock


from karbor import exception
from karbor.services.protection.bank_plugins import swift_bank_plugin
from karbor.services.protection import provider
from karbor.tests import base
from karbor.tests.fixtures import byte_streams
from karbor.tests.fixtures import swift as swift_fixture
from karbor.tests.unit.services.protection.bank_plugins import (
    bank_contract)

MIB = byte_streams.MIB
pattern = byte_streams.pattern
md5_of = byte_streams.md5_of


def client_lines(options):
    return bank_contract.option_lines(
        options, lambda name: name.startswith('swift_'))


class PluginMaker:
    """Plugins on ``self.swift``, whatever its authentication."""

    def write_config(self, text):
        return bank_contract.load_config(self.state_path, text)

    def make_plugin(self, container=None, **extra):
        """A plugin configured like upstream: [swift_client]+[..._plugin]."""
        return swift_bank_plugin.SwiftBankPlugin(self.write_config(
            bank_contract.upstream_sections(
                dict(self.swift.options(container), **extra), 'swift_',
                'swift_client', 'swift_bank_plugin')))


class SwiftTestCase(PluginMaker, swift_fixture.SwiftServerMixin,
                    base.TestCase):
    """On a Swift with tempauth."""


class KeystoneSwiftTestCase(PluginMaker,
                            swift_fixture.KeystoneSwiftServerMixin,
                            base.TestCase):
    """On a Swift proxy that authenticates with Keystone."""


class TestSwiftBankPluginObjects(bank_contract.ObjectContract, SwiftTestCase):

    def setUp(self):
        super().setUp()
        self.plugin = self.make_plugin()
        self.client = self.swift.client()
        self.container = self.plugin.container

    def test_creates_the_container(self):
        self.client.head_container(self.container)
        # A second plugin on the existing container is fine too.
        again = self.make_plugin(self.container)
        self.assertEqual(self.container, again.container)
        self.assertNotEqual(self.plugin.get_owner_id(), again.get_owner_id())
        self.assertEqual(self.plugin.root, again.root)
        self.assertTrue(self.plugin.root.startswith('swift:http://'))

    def test_container_that_cannot_be_created(self):
        # Swift refuses container names longer than 256 bytes.
        error = self.assertRaises(exception.InvalidConfiguration,
                                  self.make_plugin, container='c' * 300)
        self.assertIn('container %s' % ('c' * 300), str(error))
        self.assertIn('cannot be created', str(error))
        self.assertIn('[swift_client]', str(error))

    def test_stored_like_upstream(self):
        self.plugin.update_object('/checkpoints/c1/index.json',
                                  {'id': 'c1', 'n': [1, 2]})
        self.plugin.update_object('/checkpoints/c1/status', 'available')
        headers, body = self.client.get_object(self.container,
                                               '/checkpoints/c1/index.json')
        self.assertEqual({'id': 'c1', 'n': [1, 2]}, json.loads(body))
        self.assertEqual('True', headers['x-object-meta-serialized'])
        headers, body = self.client.get_object(self.container,
                                               '/checkpoints/c1/status')
        self.assertEqual(b'available', body)
        self.assertEqual('False', headers['x-object-meta-serialized'])
        names = [o['name'] for o in self.client.get_container(
            self.container)[1]]
        self.assertEqual(['/checkpoints/c1/index.json',
                          '/checkpoints/c1/status'], names)

    def test_reads_objects_of_other_clients(self):
        # What upstream's plugin writes: the header decides decoding, so
        # a str that looks like JSON stays a str.
        put = self.client.put_object
        put(self.container, '/a/json', b'{"k": [1, null]}',
            headers={'X-Object-Meta-Serialized': 'True'})
        put(self.container, '/a/str', b'123',
            headers={'X-Object-Meta-Serialized': 'False'})
        put(self.container, '/a/bare-json', b'[1]')
        put(self.container, '/a/bare-text', b'hello')
        put(self.container, '/a/bad-json', b'{not json',
            headers={'X-Object-Meta-Serialized': 'True'})
        self.assertEqual({'k': [1, None]}, self.plugin.get_object('/a/json'))
        self.assertEqual('123', self.plugin.get_object('/a/str'))
        self.assertEqual([1], self.plugin.get_object('/a/bare-json'))
        self.assertEqual('hello', self.plugin.get_object('/a/bare-text'))
        self.assertRaises(exception.BankGetObjectFailed,
                          self.plugin.get_object, '/a/bad-json')

    def test_head(self):
        self.plugin.update_object('/h/mine', 'some text')
        self.assertEqual({'size': 9,
                          'md5': hashlib.md5(b'some text').hexdigest()},
                         self.plugin.head_object('/h/mine'))
        # Written by someone else: the ETag of a plain object is the MD5.
        self.client.put_object(self.container, '/h/theirs', b'12345')
        self.assertEqual({'size': 5, 'md5': hashlib.md5(b'12345').hexdigest()},
                         self.plugin.head_object('/h/theirs'))
        self.assertEqual(5, self.plugin.get_object_size('/h/theirs'))

    def test_head_of_a_static_large_object(self):
        # Someone else's SLO: its ETag is no MD5, and none is made up.
        segments = []
        for n, chunk in enumerate(pattern(2 * MIB, chunk=MIB)):
            name = '/segments/%d' % n
            etag = self.client.put_object(self.container, name, chunk)
            segments.append({'path': '%s/%s' % (self.container, name),
                             'etag': etag, 'size_bytes': len(chunk)})
        self.client.put_object(self.container, '/slo', json.dumps(segments),
                               query_string='multipart-manifest=put')
        self.assertEqual({'size': 2 * MIB, 'md5': None},
                         self.plugin.head_object('/slo'))
        with self.plugin.open_object_reader('/slo') as reader:
            self.assertEqual(md5_of(pattern(2 * MIB)), md5_of(reader))

    def test_small_stream_is_one_put_with_its_md5(self):
        with mock.patch.object(self.plugin, '_put_chunked', autospec=True,
                               side_effect=AssertionError('chunked')):
            stored = self.plugin.put_object_stream(
                '/s/small', io.BytesIO(b'x' * 1000), size=1000)
        self.assertEqual({'size': 1000,
                          'md5': hashlib.md5(b'x' * 1000).hexdigest()},
                         stored)
        with self.plugin.open_object_reader('/s/small') as reader:
            self.assertEqual(b'x' * 1000, reader.read())
        # Typed as the file-system bank reads it: JSON when it parses.
        self.plugin.put_object_stream('/s/json', [b'{"a": ', b'1}'])
        self.assertEqual({'a': 1}, self.plugin.get_object('/s/json'))
        self.plugin.put_object_stream('/s/text', [b'plain'])
        self.assertEqual('plain', self.plugin.get_object('/s/text'))
        self.assertEqual('False', self.client.head_object(
            self.container, '/s/text')['x-object-meta-serialized'])
        self.assertEqual({'size': 0, 'md5': hashlib.md5(b'').hexdigest()},
                         self.plugin.put_object_stream('/s/empty', []))
        self.assertEqual({'size': 0, 'md5': hashlib.md5(b'').hexdigest()},
                         self.plugin.head_object('/s/empty'))

    def test_large_stream_with_bounded_memory(self):
        # The first 8 MiB are buffered to tell a small object from a large
        # one, then sent.
        self.assert_large_stream_bounded(
            '/big/data', 2 * swift_bank_plugin.SMALL_OBJECT_SIZE + 4 * MIB)
        self.assertEqual('False', self.client.head_object(
            self.container, '/big/data')['x-object-meta-serialized'])

    def test_wrong_size_stores_nothing(self):
        size = swift_bank_plugin.SMALL_OBJECT_SIZE + MIB
        for key, expected in (('/w/long', size + 1), ('/w/short', size - 1)):
            error = self.assertRaises(exception.BankUpdateObjectFailed,
                                      self.plugin.put_object_stream, key,
                                      pattern(size), size=expected)
            self.assertIn('expected %d bytes' % expected, str(error))
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.plugin.put_object_stream, '/w/small',
                          pattern(100), size=99)
        self.assertEqual([], self.plugin.list_objects('/w/'))

    def test_failing_reader_stores_nothing(self):
        def broken():
            yield from pattern(swift_bank_plugin.SMALL_OBJECT_SIZE + 3 * MIB)
            raise OSError('source gone')

        error = self.assertRaises(OSError, self.plugin.put_object_stream,
                                  '/f/broken', broken())
        self.assertEqual('source gone', str(error))
        self.assertEqual([], self.plugin.list_objects('/f/'))
        # The plugin still works after the aborted request.
        self.plugin.update_object('/f/after', 'ok')
        self.assertEqual('ok', self.plugin.get_object('/f/after'))

    def test_md5_mismatch_deletes_the_object(self):
        original = swift_bank_plugin.swift_client.put_object

        def wrong_etag(*args, **kwargs):
            original(*args, **kwargs)
            return '0' * 32

        size = swift_bank_plugin.SMALL_OBJECT_SIZE + MIB
        with mock.patch.object(swift_bank_plugin.swift_client, 'put_object',
                               autospec=True, side_effect=wrong_etag):
            error = self.assertRaises(exception.BankUpdateObjectFailed,
                                      self.plugin.put_object_stream,
                                      '/m/bad', pattern(size))
        self.assertIn('stored with MD5 %s' % ('0' * 32), str(error))
        self.assertEqual([], self.plugin.list_objects('/m/'))

    def test_small_write_sends_its_md5(self):
        # Swift checks the ETag sent with a plain PUT: a value damaged on
        # the way is refused (simulated by a wrong MD5).
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.plugin._put, '/e/x', b'data', False, '0' * 32)
        self.assertEqual([], self.plugin.list_objects('/e/'))

    def test_reader_errors_are_os_errors(self):
        self.plugin.update_object('/r/x', 'data')
        reader = self.plugin.open_object_reader('/r/x')
        with mock.patch.object(
                reader._raw._body, 'read', autospec=True,
                side_effect=swift_bank_plugin.urllib3.exceptions.
                ReadTimeoutError(None, None, 'injected')):
            self.assertRaises(OSError, reader.read, 10)
        reader.close()

    def test_connections_per_thread(self):
        import threading
        connections = []
        thread = threading.Thread(
            target=lambda: connections.append(self.plugin._connection()))
        thread.start()
        thread.join()
        self.assertIsNot(self.plugin._connection(), connections[0])
        self.assertIs(self.plugin._connection(), self.plugin._connection())


class SwiftListing(bank_contract.ListingContract):
    """The listing contract on a container filled once per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.container = swift_fixture.unique_container()
        client = cls.swift.client()
        client.put_container(cls.container)
        for key in cls.KEYS:
            client.put_object(cls.container, key, b'v')

    def setUp(self):
        super().setUp()
        self.plugin = self.make_plugin(self.container)


class TestSwiftBankPluginListing(SwiftListing, SwiftTestCase):

    def test_paging_both_directions(self):
        # Pages of 4 names: every listing spans several requests.
        calls = []
        connection = self.plugin._connection()
        original = connection.get_container

        def counted(*args, **kwargs):
            calls.append(kwargs['limit'])
            return original(*args, **kwargs)

        with mock.patch.object(self.plugin, '_list_page', 4), \
                mock.patch.object(connection, 'get_container',
                                  autospec=True, side_effect=counted):
            count = self.assert_every_listing()
        self.assertLessEqual(max(calls), 4)
        self.assertGreater(len(calls), 10 * count)

    def test_unknown_listing_limit_pages_until_empty(self):
        with mock.patch.object(self.plugin, '_list_page', None), \
                mock.patch.object(swift_bank_plugin, 'LIST_PAGE', 5):
            for sort_dir in ('asc', 'desc'):
                self.assertEqual(self.expected('/', sort_dir=sort_dir),
                                 self.plugin.list_objects(
                                     '/', sort_dir=sort_dir))

    def test_listing_limit_read_from_the_cluster(self):
        self.assertEqual(swift_bank_plugin.LIST_PAGE, self.plugin._list_page)


class TestSwiftBankPluginSection(SwiftTestCase):

    def test_options_from_the_destination_section(self):
        container = swift_fixture.unique_container()
        lines = ''.join('%s = %s\n' % item
                        for item in self.swift.options(container).items())
        # The upstream groups point elsewhere: they must not be read.
        config = self.write_config(
            '[swift_client]\nswift_auth_url = http://127.0.0.1:9/auth/v1.0\n'
            '[swift_bank_plugin]\nbank_swift_object_container = wrong\n'
            '[copy_destination:x]\nbank = karbor-swift-bank-plugin\n'
            'swift_retry_attempts = 0\n%s' % lines)
        plugin = swift_bank_plugin.SwiftBankPlugin(
            config, section='copy_destination:x')
        self.assertEqual(container, plugin.container)
        storage_url = self.swift.client().get_auth()[0]
        self.assertEqual('swift:%s/%s' % (storage_url, container),
                         plugin.root)
        plugin.update_object('/k', [1])
        self.assertEqual([1], plugin.get_object('/k'))
        self.swift.client().head_object(container, '/k')

    def test_endpoint_overrides_the_storage_url(self):
        client = self.swift.client()
        storage_url = client.get_auth()[0]
        # Another account: the endpoint's, not the one auth returns. The
        # test user is a reseller admin... of its own account only, so the
        # same account under another spelling of the URL.
        endpoint = storage_url.replace('127.0.0.1', 'localhost')
        plugin = self.make_plugin(swift_endpoint=endpoint)
        self.assertEqual('swift:%s/%s' % (endpoint, plugin.container),
                         plugin.root)
        plugin.update_object('/e', 'x')
        self.assertEqual(b'x', client.get_object(plugin.container, '/e')[1])

    def test_bad_credentials_are_a_clear_error(self):
        error = self.assertRaises(exception.InvalidConfiguration,
                                  self.make_plugin, swift_key='wrong',
                                  swift_retry_attempts=0)
        self.assertIn('cannot authenticate at %s' % self.swift.auth_url,
                      str(error))
        self.assertIn('[swift_client]', str(error))
        self.assertIn('401', str(error))

    def test_unreachable_endpoint_is_a_clear_error(self):
        config = self.write_config(
            '[copy_destination:x]\n'
            'swift_auth_url = http://127.0.0.1:9/auth/v1.0\n'
            'swift_user = a\nswift_key = b\nswift_retry_attempts = 0\n')
        error = self.assertRaises(exception.InvalidConfiguration,
                                  swift_bank_plugin.SwiftBankPlugin, config,
                                  section='copy_destination:x')
        self.assertIn('copy_destination:x', str(error))
        self.assertIn('http://127.0.0.1:9/auth/v1.0', str(error))

    def test_missing_auth_url(self):
        config = self.write_config('[swift_client]\nswift_user = a\n')
        error = self.assertRaises(exception.InvalidConfiguration,
                                  swift_bank_plugin.SwiftBankPlugin, config)
        self.assertIn('swift_auth_url is not set', str(error))

    def test_list_opts(self):
        groups = dict(swift_bank_plugin.list_opts())
        self.assertEqual(['swift_auth_url', 'swift_user', 'swift_key',
                          'swift_tenant_name', 'swift_project_domain_name',
                          'swift_user_domain_name', 'swift_retry_attempts',
                          'swift_retry_backoff', 'swift_ca_cert_file',
                          'swift_auth_insecure', 'swift_endpoint',
                          'swift_catalog_info'],
                         [o.name for o in groups['swift_client']])
        self.assertEqual(['bank_swift_object_container',
                          'lease_expire_window', 'lease_renew_window',
                          'lease_validity_window'],
                         [o.name for o in groups['swift_bank_plugin']])
        defaults = {o.name: o.default for o in groups['swift_client']}
        # The Default domain by name: "default" is its id, which a
        # case-sensitive Keystone database does not find as a name.
        self.assertEqual(('Default', 'Default', 3, 2, False,
                          'object-store:swift:publicURL'),
                         (defaults['swift_project_domain_name'],
                          defaults['swift_user_domain_name'],
                          defaults['swift_retry_attempts'],
                          defaults['swift_retry_backoff'],
                          defaults['swift_auth_insecure'],
                          defaults['swift_catalog_info']))
        self.assertTrue([o for o in groups['swift_client']
                         if o.name == 'swift_key'][0].secret)


class TestSwiftBankKeystoneAuth(base.TestCase):
    """Keystone v3 auth: the session handed to swiftclient (no Keystone)."""

    def make(self, text, session):
        config = bank_contract.load_config(
            self.state_path,
            '[swift_client]\n'
            'swift_auth_url = https://keystone.example:5000/v3\n'
            'swift_user = karbor\nswift_key = pw\n'
            'swift_tenant_name = service\n'
            'swift_user_domain_name = Users\n%s' % text)
        session.return_value.get_endpoint.return_value = (
            'https://swift.example/v1/AUTH_p')
        with mock.patch.object(swift_bank_plugin, 'swift_client',
                               autospec=True) as client:
            connection = client.Connection.return_value
            connection.get_auth.return_value = (
                'https://swift.example/v1/AUTH_p', 'token')
            connection.get_capabilities.return_value = {}
            plugin = swift_bank_plugin.SwiftBankPlugin(config)
        return plugin, client.Connection.call_args.kwargs

    @mock.patch.object(swift_bank_plugin.ksa_session, 'Session',
                       autospec=True)
    @mock.patch.object(swift_bank_plugin.ksa_generic, 'Password',
                       autospec=True)
    def test_password_auth_with_the_catalog(self, password, session):
        plugin, kwargs = self.make('swift_ca_cert_file = /ca.pem\n'
                                   'swift_catalog_info = '
                                   'object-store:swift:internalURL\n',
                                   session)
        password.assert_called_once_with(
            auth_url='https://keystone.example:5000/v3', username='karbor',
            password='pw', project_name='service',
            user_domain_name='Users', project_domain_name='Default')
        session.assert_called_once_with(auth=password.return_value,
                                        verify='/ca.pem', timeout=60)
        session.return_value.get_endpoint.assert_called_once_with(
            service_type='object-store', service_name='swift',
            interface='internal')
        self.assertIs(session.return_value, kwargs['session'])
        self.assertEqual({'object_storage_url':
                          'https://swift.example/v1/AUTH_p',
                          'service_type': 'object-store',
                          'endpoint_type': 'internal'},
                         kwargs['os_options'])
        self.assertEqual((3, 2), (kwargs['retries'],
                                  kwargs['starting_backoff']))
        self.assertEqual('swift:https://swift.example/v1/AUTH_p/karbor',
                         plugin.root)

    @mock.patch.object(swift_bank_plugin.ksa_session, 'Session',
                       autospec=True)
    @mock.patch.object(swift_bank_plugin.ksa_generic, 'Password',
                       autospec=True)
    def test_endpoint_skips_the_catalog(self, password, session):
        _, kwargs = self.make('swift_endpoint = https://other/v1/AUTH_x\n'
                              'swift_auth_insecure = True\n', session)
        session.return_value.get_endpoint.assert_not_called()
        self.assertFalse(session.call_args.kwargs['verify'])
        self.assertEqual('https://other/v1/AUTH_x',
                         kwargs['os_options']['object_storage_url'])

    @mock.patch.object(swift_bank_plugin.ksa_session, 'Session',
                       autospec=True)
    @mock.patch.object(swift_bank_plugin.ksa_generic, 'Password',
                       autospec=True)
    def test_bad_catalog_info(self, password, session):
        self.assertRaises(exception.InvalidConfiguration, self.make,
                          'swift_catalog_info = object-store\n', session)

    def test_auth_version_follows_the_url(self):
        self.assertTrue(swift_bank_plugin._is_v1_auth(
            'http://h:8080/auth/v1.0'))
        self.assertTrue(swift_bank_plugin._is_v1_auth(
            'http://h:8080/auth/v1.0/'))
        self.assertFalse(swift_bank_plugin._is_v1_auth('http://h:5000/v3'))
        self.assertFalse(swift_bank_plugin._is_v1_auth(
            'http://h:5000/identity'))


class TestSwiftBankMover(bank_contract.MoverContract, SwiftTestCase):
    """Sections copied between a file-system bank and a Swift bank."""

    STREAMED_SIZE = swift_bank_plugin.SMALL_OBJECT_SIZE


class TestSwiftBankInProviders(SwiftTestCase):

    def write_provider(self, text):
        path = os.path.join(self.state_path, 'p.conf')
        with open(path, 'w') as f:
            f.write('[provider]\nname = p\nid = %s\nbank = '
                    'karbor-swift-bank-plugin\nenabled = True\n%s'
                    % ('5a2b3c4d-1e2f-4a5b-8c7d-9e0f1a2b3c4d', text))
        return provider.load_provider_config(path)

    def test_upstream_provider_file(self):
        options = self.swift.options()
        config = self.write_provider(
            'plugin = karbor-noop-protection-plugin\n'
            '[swift_client]\n%sswift_retry_attempts = 3\n'
            'swift_retry_backoff = 2\n'
            '[swift_bank_plugin]\nbank_swift_object_container = %s\n'
            'lease_expire_window = 120\nlease_renew_window = 100\n'
            'lease_validity_window = 100\n'
            % (client_lines(options),
               options['bank_swift_object_container']))
        loaded = provider.PluggableProtectionProvider(config)
        self.assertIsInstance(loaded.bank.plugin,
                              swift_bank_plugin.SwiftBankPlugin)
        loaded.bank.update_object('/k', 'v')
        self.assertEqual(b'v', self.swift.client().get_object(
            options['bank_swift_object_container'], '/k')[1])

    def test_destination_on_the_main_container_is_refused(self):
        options = self.swift.options()
        config = self.write_provider(
            'copy_destinations = same\n'
            '[swift_client]\n%s[swift_bank_plugin]\n'
            'bank_swift_object_container = %s\n'
            '[copy_destination:same]\nbank = karbor-swift-bank-plugin\n%s'
            % (client_lines(options),
               options['bank_swift_object_container'],
               ''.join('%s = %s\n' % item for item in options.items())))
        error = self.assertRaises(exception.ProviderNotLoaded,
                                  provider.PluggableProtectionProvider,
                                  config)
        self.assertIn('same place', str(error))

    def test_unreachable_main_bank_is_started_when_needed(self):
        # The provider loads; using the bank says why it cannot be.
        config = self.write_provider(
            '[swift_client]\nswift_auth_url = http://127.0.0.1:9/auth/v1.0\n'
            'swift_user = a\nswift_key = b\nswift_retry_attempts = 0\n')
        prov = provider.PluggableProtectionProvider(config)
        error = self.assertRaises(exception.BankUnavailable,
                                  prov.checkpoint_collection.get,
                                  '6b1d6b4c-0d1e-4f7a-9a55-1f3e1d9c7a10')
        self.assertEqual(503, error.code)
        self.assertIn('http://127.0.0.1:9/auth/v1.0', str(error))


class TestKeystoneSwiftBankObjects(bank_contract.ObjectContract,
                                   bank_contract.MoverContract,
                                   KeystoneSwiftTestCase):
    """Keystone password auth, Swift found in the catalog, as demo.

    The options are the plugin's defaults but for the account: the
    domains (the Default domain) and where Swift is in the catalog.
    """

    STREAMED_SIZE = swift_bank_plugin.SMALL_OBJECT_SIZE

    def setUp(self):
        super().setUp()
        self.plugin = self.make_plugin()
        self.client = self.swift.client()
        self.container = self.plugin.container

    def test_storage_url_from_the_catalog(self):
        # The demo project's account, at the endpoint Keystone lists.
        self.assertEqual('swift:%s/%s' % (self.swift.storage_url('demo'),
                                          self.container),
                         self.plugin.root)
        self.plugin.update_object('/k', {'a': 1})
        self.assertEqual(b'{"a": 1}',
                         self.client.get_object(self.container, '/k')[1])

    def test_large_stream_with_bounded_memory(self):
        # The chunked PUT sends the session's token itself.
        self.assert_large_stream_bounded(
            '/big/data', 2 * swift_bank_plugin.SMALL_OBJECT_SIZE + 4 * MIB)

    def test_wrong_password_is_a_clear_error(self):
        error = self.assertRaises(exception.InvalidConfiguration,
                                  self.make_plugin, swift_key='wrong',
                                  swift_retry_attempts=0)
        self.assertIn('cannot authenticate at %s' % self.swift.keystone.
                      auth_url, str(error))
        self.assertIn('[swift_client]', str(error))
        self.assertIn('401', str(error))

    def test_no_such_service_in_the_catalog(self):
        error = self.assertRaises(
            exception.InvalidConfiguration, self.make_plugin,
            swift_catalog_info='object-store:no-such-swift:publicURL')
        self.assertIn('object-store service named no-such-swift not found',
                      str(error))

    def test_projects_are_isolated(self):
        self.plugin.update_object('/secret', 'demo only')
        # admin's bank of the same name is another container, in admin's
        # project's account.
        theirs = self.make_plugin(self.container, **{
            k: v for k, v in self.swift.options(user='admin').items()
            if k != 'bank_swift_object_container'})
        self.assertEqual('swift:%s/%s' % (self.swift.storage_url('admin'),
                                          self.container), theirs.root)
        self.assertRaises(exception.BankObjectNotFound, theirs.get_object,
                          '/secret')
        # demo's account itself is closed to admin's token (no reseller
        # admin).
        from swiftclient import exceptions as swift_exceptions
        admin = self.swift.keystone.session('admin')
        error = self.assertRaises(
            swift_exceptions.ClientException,
            swift_bank_plugin.swift_client.get_object,
            self.swift.storage_url('demo'), admin.get_token(),
            self.container, '/secret')
        self.assertEqual(403, error.http_status)


class TestKeystoneSwiftBankListing(SwiftListing, KeystoneSwiftTestCase):
    """The listing contract, with Keystone auth."""
