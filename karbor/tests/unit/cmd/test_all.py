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

"""The embedded default of karbor-all."""

import configparser
import os

from oslo_config import cfg

from karbor.cmd import all as karbor_all
from karbor.conf import api
from karbor.conf import database
from karbor.conf import protection
from karbor.conf import service
from karbor.services.protection.protection_plugins import test_data
from karbor.services.protection import provider
from karbor.tests import base


class TestEmbeddedDefault(base.TestCase):

    def test_default_state_dir_follows_xdg(self):
        self.useFixture(base.fixtures.EnvironmentVariable(
            'XDG_DATA_HOME', '/data/home'))
        self.assertEqual('/data/home/karbor',
                         karbor_all.default_state_dir())

    def test_default_state_dir_without_xdg(self):
        self.useFixture(base.fixtures.EnvironmentVariable('XDG_DATA_HOME'))
        self.useFixture(base.fixtures.EnvironmentVariable('HOME', '/h'))
        self.assertEqual('/h/.local/share/karbor',
                         karbor_all.default_state_dir())

    def test_provider_file_points_into_state_dir(self):
        providers = karbor_all.prepare_state_dir(self.state_path)
        parser = configparser.ConfigParser()
        parser.read(os.path.join(providers, 'noop.conf'))
        self.assertEqual(karbor_all.NOOP_PROVIDER_ID,
                         parser['provider']['id'])
        self.assertEqual('True', parser['provider']['enabled'])
        self.assertEqual(
            os.path.join(self.state_path, 'bank'),
            parser['file_system_bank_plugin']['file_system_bank_path'])

    def test_noop_provider_has_the_az2_destination(self):
        providers = karbor_all.prepare_state_dir(self.state_path)
        prov = provider.PluggableProtectionProvider(
            provider.load_provider_config(
                os.path.join(providers, 'noop.conf')))
        self.assertEqual(['karbor-noop-protection-plugin'],
                         prov.config.provider.plugin)
        self.assertEqual(['az2'], list(prov.copy_destinations))
        az2 = prov.get_copy_destination()
        self.assertEqual(('az2', 'az2', True),
                         (az2.name, az2.availability_zone, az2.is_default))
        self.assertIn('second file-system bank', az2.description)
        self.assertEqual(
            os.path.join(self.state_path, 'bank-az2', 'karbor'),
            az2.bank.plugin.root)
        self.assertEqual(os.path.join(self.state_path, 'bank', 'karbor'),
                         prov.bank.plugin.root)

    def test_test_data_provider(self):
        providers = karbor_all.prepare_state_dir(self.state_path)
        prov = provider.PluggableProtectionProvider(
            provider.load_provider_config(
                os.path.join(providers, 'test-data.conf')))
        self.assertEqual(karbor_all.TEST_DATA_PROVIDER_ID, prov.id)
        self.assertEqual('Test Data Provider', prov.name)
        self.assertTrue(prov.enabled)
        self.assertEqual({test_data.TestDataProtectionPlugin},
                         set(prov.plugins.values()))
        self.assertEqual(
            os.path.join(self.state_path, 'bank-az2', 'karbor'),
            prov.get_copy_destination('az2').bank.plugin.root)

    def test_registry_loads_both_embedded_providers(self):
        providers = karbor_all.prepare_state_dir(self.state_path)
        self.flags(provider_config_dir=providers)
        self.assertEqual(
            {karbor_all.NOOP_PROVIDER_ID, karbor_all.TEST_DATA_PROVIDER_ID},
            set(provider.ProviderRegistry().providers))

    def _private_conf(self):
        # set_default() changes defaults for good: use a private ConfigOpts
        # so no other test sees them.
        conf = cfg.ConfigOpts()
        for module in (api, database, protection, service):
            module.register_opts(conf)
        conf([], project='karbor', default_config_files=[])
        return conf

    def test_defaults_point_into_state_dir(self):
        conf = self._private_conf()
        providers = karbor_all.prepare_state_dir(self.state_path)
        karbor_all.apply_embedded_defaults(conf, self.state_path, providers)
        self.assertEqual('noauth', conf.auth_strategy)
        self.assertEqual(self.state_path, conf.state_path)
        self.assertEqual(providers, conf.provider_config_dir)
        self.assertEqual('karbor-inprocess://', conf.transport_url)
        self.assertEqual(
            'sqlite:///' + os.path.join(self.state_path, 'karbor.sqlite'),
            conf.database.connection)

    def test_defaults_leave_configured_values_alone(self):
        conf = self._private_conf()
        conf.set_override('auth_strategy', 'keystone')
        conf.set_override('connection', 'sqlite:///elsewhere.db',
                          group='database')
        providers = karbor_all.prepare_state_dir(self.state_path)
        karbor_all.apply_embedded_defaults(conf, self.state_path, providers)
        self.assertEqual('keystone', conf.auth_strategy)
        self.assertEqual('sqlite:///elsewhere.db', conf.database.connection)
