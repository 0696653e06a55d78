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

"""Tests of karbor.services.protection.provider with real provider files."""

import os
import textwrap

from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.services.protection.bank_plugins import (
    file_system_bank_plugin as fs_bank)
from karbor.services.protection import checkpoint
from karbor.services.protection import provider
from karbor.tests import base

FAKE_PLUGIN = __name__ + '.FakeProtectionPlugin'
SERVER = 'OS::Nova::Server'
VOLUME = 'OS::Cinder::Volume'


class FakeProtectionPlugin:
    """Stands in for a protection plugin; only the interface used."""

    def __init__(self, config):
        self.config = config

    @classmethod
    def get_supported_resources_types(cls):
        return [SERVER, VOLUME]

    @classmethod
    def get_options_schema(cls, resource_type):
        return {'title': 'options ' + resource_type}

    @classmethod
    def get_saved_info_schema(cls, resource_type):
        return {'title': 'saved ' + resource_type}

    @classmethod
    def get_restore_schema(cls, resource_type):
        return {'title': 'restore ' + resource_type}

    @classmethod
    def get_verify_schema(cls, resource_type):
        return {'title': 'verify ' + resource_type}

    @classmethod
    def get_copy_schema(cls, resource_type):
        return {'title': 'copy ' + resource_type}


class OtherVolumePlugin(FakeProtectionPlugin):

    @classmethod
    def get_supported_resources_types(cls):
        return [VOLUME]

    @classmethod
    def get_options_schema(cls, resource_type):
        return {'title': 'other'}


class ProviderTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.providers_dir = os.path.join(self.state_path, 'providers.d')
        os.makedirs(self.providers_dir)
        self.flags(provider_config_dir=self.providers_dir)

    def write_provider(self, filename, provider_id, name='prov',
                       plugins=(FAKE_PLUGIN,), bank='karbor-fs-bank-plugin',
                       enabled=True, bank_path=None, extra=''):
        bank_path = bank_path or os.path.join(self.state_path, 'bank-' +
                                              provider_id)
        text = textwrap.dedent('''\
            [provider]
            name = %(name)s
            description = about %(name)s
            id = %(id)s
            %(plugins)s
            bank = %(bank)s
            enabled = %(enabled)s

            [file_system_bank_plugin]
            file_system_bank_path = %(bank_path)s
            ''') % {
            'name': name, 'id': provider_id, 'bank': bank,
            'enabled': enabled, 'bank_path': bank_path,
            'plugins': '\n'.join('plugin = %s' % p for p in plugins),
        }
        path = os.path.join(self.providers_dir, filename)
        with open(path, 'w') as f:
            f.write(text + extra)
        return path


class PluggableProtectionProviderTest(ProviderTestBase):

    def _provider(self, **kwargs):
        path = self.write_provider('p.conf', 'prov-1', **kwargs)
        return provider.PluggableProtectionProvider(
            provider.load_provider_config(path))

    def test_attributes(self):
        prov = self._provider()
        self.assertEqual('prov-1', prov.id)
        self.assertEqual('prov', prov.name)
        self.assertEqual('about prov', prov.description)
        self.assertTrue(prov.enabled)
        self.assertIsInstance(prov.bank, bank_plugin.Bank)
        self.assertIsInstance(prov.checkpoint_collection,
                              checkpoint.CheckpointCollection)
        self.assertEqual({SERVER: FakeProtectionPlugin,
                          VOLUME: FakeProtectionPlugin}, prov.plugins)

    def test_extended_info_schema(self):
        schema = self._provider().extended_info_schema
        self.assertEqual({'options_schema', 'restore_schema',
                          'saved_info_schema', 'verify_schema',
                          'copy_schema'}, set(schema))
        self.assertEqual({'title': 'verify ' + VOLUME},
                         schema['verify_schema'][VOLUME])
        self.assertEqual({'title': 'copy ' + SERVER},
                         schema['copy_schema'][SERVER])
        self.assertEqual({'title': 'options ' + SERVER},
                         schema['options_schema'][SERVER])

    def test_later_plugin_overrides(self):
        prov = self._provider(plugins=(FAKE_PLUGIN,
                                       __name__ + ':OtherVolumePlugin'))
        self.assertIs(OtherVolumePlugin, prov.plugins[VOLUME])
        self.assertIs(FakeProtectionPlugin, prov.plugins[SERVER])
        self.assertEqual({'title': 'other'},
                         prov.extended_info_schema['options_schema'][VOLUME])

    def test_load_plugins_gives_new_instances(self):
        prov = self._provider()
        first = prov.load_plugins()
        second = prov.load_plugins()
        self.assertEqual({SERVER, VOLUME}, set(first))
        self.assertIsInstance(first[SERVER], FakeProtectionPlugin)
        self.assertIsNot(first[SERVER], second[SERVER])
        self.assertIs(prov.config, first[SERVER].config)

    def test_bank_is_usable_and_uses_provider_options(self):
        bank_path = os.path.join(self.state_path, 'mybank')
        prov = self._provider(bank_path=bank_path)
        plan = {'id': 'plan', 'name': 'n', 'provider_id': 'prov-1',
                'project_id': 'proj', 'resources': []}
        cp = prov.checkpoint_collection.create(plan)
        self.assertTrue(os.path.isfile(os.path.join(
            bank_path, 'karbor', 'checkpoints', cp.id, 'index.json')))
        self.assertEqual(cp.id, prov.get_checkpoint(cp.id).id)
        self.assertEqual([cp.id], prov.list_checkpoints('proj', 'prov-1'))
        self.assertEqual([cp.id], prov.list_checkpoints(
            None, 'prov-1', all_tenants=True, sort_dir='asc'))
        self.assertRaises(exception.CheckpointNotFound,
                          prov.get_checkpoint, 'nope')

    def test_to_dict(self):
        view = self._provider().to_dict()
        self.assertEqual({'id', 'name', 'description',
                          'extended_info_schema', 'copy_destinations'},
                         set(view))
        self.assertEqual('prov-1', view['id'])
        self.assertEqual([], view['copy_destinations'])

    def test_upstream_file_has_no_destination(self):
        prov = self._provider()
        self.assertEqual({}, prov.copy_destinations)
        self.assertEqual('karbor-fs-bank-plugin', prov.bank_plugin_name)
        self.assertRaises(exception.NoCopyDestination,
                          prov.get_copy_destination)
        self.assertRaises(exception.NoCopyDestination,
                          prov.get_copy_destination, 'az2')

    def test_no_bank(self):
        self.assertRaises(exception.ProviderNotLoaded, self._provider,
                          bank='')

    def test_bad_plugin(self):
        self.assertRaises(exception.ProviderNotLoaded, self._provider,
                          plugins=('no-such-plugin',))

    def test_bank_must_be_a_bank_plugin(self):
        self.assertRaises(exception.ProviderNotLoaded, self._provider,
                          bank=FAKE_PLUGIN)


class ProviderRegistryTest(ProviderTestBase):

    def setUp(self):
        super().setUp()
        self.write_provider('b.conf', 'id-b', name='beta')
        self.write_provider('a.conf', 'id-a', name='alpha')
        self.write_provider('c.conf', 'id-c', name='gamma')
        self.write_provider('disabled.conf', 'id-d', enabled=False)
        self.write_provider('nobank.conf', 'id-e', bank='')
        self.write_provider('badplugin.conf', 'id-f',
                            plugins=('karbor.nowhere.Plugin',))
        self.write_provider('badbank.conf', 'id-g', bank='no-such-bank')
        self.write_provider('dup.conf', 'id-a', name='duplicate')
        with open(os.path.join(self.providers_dir, 'broken.conf'), 'w') as f:
            f.write('[provider\nthis is not ini\n')
        with open(os.path.join(self.providers_dir, 'ignored.txt'), 'w') as f:
            f.write('[provider]\nid = id-x\nbank = karbor-fs-bank-plugin\n'
                    'enabled = True\n')
        os.makedirs(os.path.join(self.providers_dir, 'sub.conf.d'))
        self.registry = provider.ProviderRegistry()

    def test_only_good_providers_load(self):
        self.assertEqual(['id-a', 'id-b', 'id-c'],
                         sorted(self.registry.providers))
        # Files are read in name order: a.conf wins over dup.conf.
        self.assertEqual('alpha', self.registry.show_provider('id-a').name)

    def test_list_sorted_by_id(self):
        self.assertEqual(['id-a', 'id-b', 'id-c'],
                         [p.id for p in self.registry.list_providers()])

    def test_list_filters(self):
        self.assertEqual(['id-b'], [p.id for p in self.registry.list_providers(
            filters={'name': 'beta'})])
        self.assertEqual(['id-c'], [p.id for p in self.registry.list_providers(
            filters={'description': 'about gamma', 'id': 'id-c'})])
        self.assertEqual([], self.registry.list_providers(
            filters={'name': 'bet'}))

    def test_list_paging(self):
        self.assertEqual(['id-b', 'id-c'], [
            p.id for p in self.registry.list_providers(marker='id-a')])
        self.assertEqual(['id-b'], [
            p.id for p in self.registry.list_providers(marker='id-a',
                                                       limit=1)])
        self.assertEqual(['id-a'], [
            p.id for p in self.registry.list_providers(limit=1)])

    def test_show(self):
        self.assertEqual('id-c', self.registry.show_provider('id-c').id)
        for missing in ('id-d', 'id-f', 'nope', None):
            self.assertRaises(exception.ProviderNotFound,
                              self.registry.show_provider, missing)

    def test_provider_whose_bank_cannot_start_loads(self):
        # A file system bank plugin without its path fails to start. The
        # provider loads (its storage may only be unreachable for now);
        # what needs the bank says why it cannot be used.
        path = self.write_provider('nopath.conf', 'id-h')
        with open(path) as f:
            text = f.read()
        with open(path, 'w') as f:
            f.write(text.replace('file_system_bank_path', '# no path'))
        logger = self.useFixture(base.fixtures.FakeLogger())
        self.registry.load_providers()
        prov = self.registry.show_provider('id-h')
        error = self.assertRaises(exception.BankUnavailable,
                                  prov.list_checkpoints, 'proj', 'id-h')
        self.assertEqual(503, error.code)
        self.assertIn('the main bank of provider prov', str(error))
        self.assertIn('file_system_bank_path is required', str(error))
        self.assertIn('the main bank of provider prov is unavailable',
                      logger.output)

    def test_reload_picks_up_new_files(self):
        self.write_provider('z.conf', 'id-z')
        os.remove(os.path.join(self.providers_dir, 'b.conf'))
        self.registry.load_providers()
        self.assertEqual(['id-a', 'id-c', 'id-z'],
                         sorted(self.registry.providers))


class ProviderRegistryDirectoryTest(ProviderTestBase):

    def test_missing_directory_loads_nothing(self):
        self.flags(provider_config_dir=os.path.join(self.state_path, 'nope'))
        self.assertEqual({}, provider.ProviderRegistry().providers)

    def test_relative_directory_next_to_config_file(self):
        conf_dir = os.path.join(self.state_path, 'etc')
        os.makedirs(os.path.join(conf_dir, 'myproviders'))
        conf_file = os.path.join(conf_dir, 'karbor.conf')
        open(conf_file, 'w').close()
        self.flags(config_file=[conf_file])
        self.flags(provider_config_dir='myproviders')
        self.providers_dir = os.path.join(conf_dir, 'myproviders')
        self.write_provider('p.conf', 'id-p')
        self.assertEqual(['id-p'], list(provider.ProviderRegistry().providers))

    def test_sample_noop_provider_file(self):
        sample = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                              '..', '..', 'etc', 'karbor', 'providers.d',
                              'noop.conf')
        config = provider.load_provider_config(sample)
        section = config[provider.PROVIDER_GROUP]
        self.assertEqual('b766f37c-d011-4026-8228-28730d734a3f', section.id)
        self.assertEqual('No-Op Provider', section.name)
        self.assertEqual(['karbor-noop-protection-plugin'], section.plugin)
        self.assertEqual('karbor-fs-bank-plugin', section.bank)
        self.assertTrue(section.enabled)


class NoSectionBankPlugin(bank_plugin.BankPlugin):
    """A third-party style bank plugin that knows nothing of sections."""

    def __init__(self, config):
        super().__init__(config)

    def update_object(self, key, value, context=None):
        pass

    def get_object(self, key, context=None):
        raise exception.BankObjectNotFound(key=key)

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        return []

    def delete_object(self, key, context=None):
        pass

    def get_owner_id(self, context=None):
        return 'owner'


class KwargsBankPlugin(NoSectionBankPlugin):
    """Accepts any keyword argument, so it can take a section."""

    def __init__(self, config, **kwargs):
        super().__init__(config)
        self.section = kwargs.get('section')


class FlakyBankPlugin(fs_bank.FileSystemBankPlugin):
    """A file-system bank that cannot start while ``down`` is set."""

    down = False

    def __init__(self, config, section=None):
        if self.down:
            raise ConnectionRefusedError('the site is down')
        super().__init__(config, section=section)


class ObjectStoreLikeBankPlugin(KwargsBankPlugin):
    """Stores "in a bucket": its root is a URL, as S3's and Swift's are."""

    @property
    def root(self):
        return 's3:http://127.0.0.1:9000/%s' % self.section.split(':')[-1]


def destination_section(name, bank='karbor-fs-bank-plugin', path=None,
                        **options):
    lines = ['', '[copy_destination:%s]' % name]
    if bank is not None:
        lines.append('bank = %s' % bank)
    if path is not None:
        lines.append('file_system_bank_path = %s' % path)
    lines.extend('%s = %s' % item for item in options.items())
    return '\n'.join(lines) + '\n'


class CopyDestinationTest(ProviderTestBase):

    def _write(self, names=None, default=None, sections=''):
        provider_lines = ''
        if names is not None:
            provider_lines += 'copy_destinations = %s\n' % names
        if default is not None:
            provider_lines += 'default_copy_destination = %s\n' % default
        path = self.write_provider('p.conf', 'prov-1', extra=sections)
        with open(path) as f:
            text = f.read()
        # The [provider] options go before the first other section.
        text = text.replace('enabled = True\n',
                            'enabled = True\n' + provider_lines, 1)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def _provider(self, *args, **kwargs):
        path = self._write(*args, **kwargs)
        return provider.PluggableProtectionProvider(
            provider.load_provider_config(path))

    def _bank_dir(self, name):
        return os.path.join(self.state_path, 'dest-' + name)

    def _two(self, default=None):
        return self._provider(
            'az2, dr-region', default,
            destination_section('az2', path=self._bank_dir('az2'),
                                availability_zone='az2',
                                description='second zone') +
            destination_section('dr-region', path=self._bank_dir('dr'),
                                region='RegionTwo'))

    def test_one_destination(self):
        prov = self._provider('az2', None, destination_section(
            'az2', path=self._bank_dir('az2'), availability_zone='az2',
            description='NFS in az2'))
        self.assertEqual(['az2'], list(prov.copy_destinations))
        dest = prov.get_copy_destination()
        self.assertIs(dest, prov.copy_destinations['az2'])
        self.assertIs(dest, prov.get_copy_destination('az2'))
        self.assertEqual(('az2', None, 'az2', 'NFS in az2', True,
                          'karbor-fs-bank-plugin'),
                         (dest.name, dest.region, dest.availability_zone,
                          dest.description, dest.is_default,
                          dest.bank_plugin_name))
        self.assertEqual([{'name': 'az2', 'region': None,
                           'availability_zone': 'az2',
                           'description': 'NFS in az2', 'default': True}],
                         prov.to_dict()['copy_destinations'])
        self.assertIsInstance(dest.bank, bank_plugin.Bank)
        self.assertIsInstance(dest.checkpoint_collection,
                              checkpoint.CheckpointCollection)

    def test_destination_bank_reads_its_own_section(self):
        main_path = os.path.join(self.state_path, 'main')
        path = self.write_provider(
            'p.conf', 'prov-1', bank_path=main_path,
            extra=destination_section('az2', path=self._bank_dir('az2')))
        with open(path) as f:
            text = f.read().replace('enabled = True\n',
                                    'enabled = True\ncopy_destinations = '
                                    'az2\n', 1)
        with open(path, 'w') as f:
            f.write(text)
        prov = provider.PluggableProtectionProvider(
            provider.load_provider_config(path))
        plan = {'id': 'plan', 'name': 'n', 'provider_id': 'prov-1',
                'project_id': 'proj', 'resources': []}
        dest = prov.get_copy_destination()
        cp = dest.checkpoint_collection.create(plan)
        self.assertTrue(os.path.isfile(os.path.join(
            self._bank_dir('az2'), 'karbor', 'checkpoints', cp.id,
            'index.json')))
        self.assertFalse(os.path.exists(os.path.join(
            main_path, 'karbor', 'checkpoints', cp.id)))
        self.assertRaises(exception.CheckpointNotFound,
                          prov.get_checkpoint, cp.id)

    def test_two_destinations_first_is_default(self):
        prov = self._two()
        self.assertEqual(['az2', 'dr-region'], list(prov.copy_destinations))
        self.assertEqual('az2', prov.get_copy_destination().name)
        self.assertEqual([True, False], [
            d['default'] for d in prov.to_dict()['copy_destinations']])
        dr = prov.get_copy_destination('dr-region')
        self.assertEqual(('RegionTwo', None, ''),
                         (dr.region, dr.availability_zone, dr.description))

    def test_explicit_default(self):
        prov = self._two(default='dr-region')
        self.assertEqual('dr-region', prov.get_copy_destination().name)
        self.assertEqual([False, True], [
            d.is_default for d in prov.copy_destinations.values()])

    def test_unknown_destination_name(self):
        prov = self._two()
        exc = self.assertRaises(exception.CopyDestinationNotFound,
                                prov.get_copy_destination, 'az3')
        self.assertIn('az3', str(exc))
        self.assertEqual(400, exc.code)

    def _assert_not_loaded(self, *args, **kwargs):
        exc = self.assertRaises(exception.ProviderNotLoaded, self._provider,
                                *args, **kwargs)
        return str(exc)

    def test_default_must_be_a_destination(self):
        message = self._assert_not_loaded(
            'az2', 'az9', destination_section('az2',
                                              path=self._bank_dir('az2')))
        self.assertIn('az9', message)
        self.assertIn('default_copy_destination', message)

    def test_default_without_destinations(self):
        self.assertIn('copy_destinations is empty',
                      self._assert_not_loaded(None, 'az2'))

    def test_missing_section(self):
        message = self._assert_not_loaded('az2')
        self.assertIn('[copy_destination:az2]', message)

    def test_bandwidth_limit(self):
        prov = self._provider('az2', None, destination_section(
            'az2', path=self._bank_dir('az2'), bandwidth_limit='2.5'))
        limit = prov.get_copy_destination().bank.copy_rate_limit
        self.assertEqual(2.5 * 1024 * 1024, limit.bytes_per_second)
        for unlimited in ('', 'bandwidth_limit = 0\n'):
            prov = self._provider('az2', None, destination_section(
                'az2', path=self._bank_dir('az2')) + unlimited)
            self.assertIsNone(
                prov.get_copy_destination().bank.copy_rate_limit)

    def test_bad_bandwidth_limit(self):
        for value in ('-1', 'fast'):
            message = self._assert_not_loaded('az2', None,
                                              destination_section(
                                                  'az2',
                                                  path=self._bank_dir('az2'),
                                                  bandwidth_limit=value))
            self.assertIn('bandwidth_limit', message)

    def test_section_without_bank(self):
        message = self._assert_not_loaded('az2', None, destination_section(
            'az2', bank=None, path=self._bank_dir('az2')))
        self.assertIn('names no bank', message)

    def test_unknown_bank_plugin(self):
        message = self._assert_not_loaded('az2', None, destination_section(
            'az2', bank='no-such-bank'))
        self.assertIn('no-such-bank', message)

    def test_not_a_bank_plugin(self):
        message = self._assert_not_loaded('az2', None, destination_section(
            'az2', bank=FAKE_PLUGIN))
        self.assertIn('not a bank plugin', message)

    def test_bank_plugin_failure(self):
        # The file system bank needs its path in the destination's section;
        # the main bank's [file_system_bank_plugin] path does not count.
        # The provider loads: its main bank works, the destination says
        # why it does not.
        prov = self._provider('az2', None, destination_section('az2'))
        error = self.assertRaises(exception.BankUnavailable, getattr,
                                  prov.get_copy_destination().bank, 'plugin')
        self.assertIn('copy destination az2 of provider prov', str(error))
        self.assertIn('failed to start', str(error))
        self.assertIn('copy_destination:az2', str(error))
        plan = {'id': 'plan', 'name': 'n', 'provider_id': 'prov-1',
                'project_id': 'proj', 'resources': []}
        cp = prov.checkpoint_collection.create(plan)
        self.assertEqual([cp.id], prov.list_checkpoints('proj', 'prov-1'))

    def test_destination_starting_late_is_checked_then(self):
        # Down when the provider loads, the destination starts when next
        # used; storage shared with the main bank is refused then.
        main = os.path.join(self.state_path, 'bank-prov-1')
        self.flags(bank_start_retry_interval=0)
        FlakyBankPlugin.down = True
        self.addCleanup(setattr, FlakyBankPlugin, 'down', False)
        prov = self._provider('good, bad', None, destination_section(
            'good', bank=__name__ + '.FlakyBankPlugin',
            path=self._bank_dir('good')) + destination_section(
            'bad', bank=__name__ + '.FlakyBankPlugin', path=main))
        for name in ('good', 'bad'):
            self.assertRaises(exception.BankUnavailable, getattr,
                              prov.get_copy_destination(name).bank, 'plugin')
        FlakyBankPlugin.down = False
        self.assertEqual(os.path.join(self._bank_dir('good'), 'karbor'),
                         prov.get_copy_destination('good').bank.plugin.root)
        error = self.assertRaises(exception.BankUnavailable, getattr,
                                  prov.get_copy_destination('bad').bank,
                                  'plugin')
        self.assertIn('same place as the main bank', str(error))

    def test_plugin_without_section_support(self):
        message = self._assert_not_loaded('az2', None, destination_section(
            'az2', bank=__name__ + '.NoSectionBankPlugin'))
        self.assertIn('cannot be a copy destination', message)

    def test_plugin_taking_any_keyword(self):
        prov = self._provider('az2', None, destination_section(
            'az2', bank=__name__ + '.KwargsBankPlugin'))
        self.assertEqual('copy_destination:az2',
                         prov.get_copy_destination().bank.plugin.section)

    def test_destination_may_not_be_the_main_bank(self):
        main = os.path.join(self.state_path, 'bank-prov-1')
        message = self._assert_not_loaded('az2', None, destination_section(
            'az2', path=main))
        self.assertIn('main bank', message)

    def test_destination_may_not_nest_with_the_main_bank(self):
        main = os.path.join(self.state_path, 'bank-prov-1')
        # Inside the main bank's directory...
        message = self._assert_not_loaded('az2', None, destination_section(
            'az2', path=os.path.join(main, 'karbor', 'az2')))
        self.assertIn('inside the directory of the main bank', message)
        # ...or around it.
        message = self._assert_not_loaded('az2', None, destination_section(
            'az2', path=self.state_path, bank_object_container='bank-prov-1'))
        self.assertIn('holds that of the main bank', message)
        # A sibling directory is fine.
        self.assertEqual(['az2'], list(self._provider(
            'az2', None, destination_section(
                'az2', path=main + '-az2')).copy_destinations))

    def test_object_store_destinations_beside_a_directory(self):
        # URLs and directories are compared without mixing them up.
        store = __name__ + '.ObjectStoreLikeBankPlugin'
        prov = self._provider(
            'az2, dr', None, destination_section('az2', bank=store) +
            destination_section('dr', bank=store))
        self.assertEqual(['az2', 'dr'], list(prov.copy_destinations))

    def test_two_destinations_may_not_share_storage(self):
        message = self._assert_not_loaded(
            'a, b', None,
            destination_section('a', path=self._bank_dir('x')) +
            destination_section('b', path=self._bank_dir('x')))
        self.assertIn('same place as copy destination a', message)
        message = self._assert_not_loaded(
            'a, b', None,
            destination_section('a', path=self._bank_dir('x')) +
            destination_section('b', path=os.path.join(
                self._bank_dir('x'), 'karbor', 'b')))
        self.assertIn('inside the directory of copy destination a', message)

    def test_bad_names(self):
        self.assertIn('listed twice', self._assert_not_loaded(
            'az2, az2', None, destination_section(
                'az2', path=self._bank_dir('az2'))))
        self.assertIn('letters', self._assert_not_loaded(
            'az 2', None, destination_section('az 2',
                                              path=self._bank_dir('az2'))))
        self.assertIn('letters', self._assert_not_loaded('a/b', None))

    def test_registry_skips_bad_destination_with_reason(self):
        self.write_provider('good.conf', 'id-good')
        self._write('az2')
        logger = self.useFixture(base.fixtures.FakeLogger())
        registry = provider.ProviderRegistry()
        self.assertEqual(['id-good'], list(registry.providers))
        self.assertIn('p.conf is skipped', logger.output)
        self.assertIn('[copy_destination:az2]', logger.output)
        self.assertNotIn('Traceback', logger.output)

    def test_registry_loads_destinations(self):
        self._write('az2', None, destination_section(
            'az2', path=self._bank_dir('az2')))
        registry = provider.ProviderRegistry()
        self.assertEqual(['az2'], list(
            registry.show_provider('prov-1').copy_destinations))

    def test_list_opts_documents_destinations(self):
        groups = dict(provider.list_opts())
        self.assertIn('copy_destinations',
                      [o.name for o in groups[provider.PROVIDER_GROUP]])
        self.assertIn('availability_zone', [
            o.name for o in groups['copy_destination:<name>']])
