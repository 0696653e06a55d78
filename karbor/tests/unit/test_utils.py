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

"""Tests of karbor.utils."""

import os
from unittest import mock

from karbor import exception
from karbor.services.protection.bank_plugins import file_system_bank_plugin
from karbor.tests import base
from karbor import utils

NAMESPACE = 'karbor.protections'


class Plugin:
    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs


class FailingPlugin:
    def __init__(self):
        raise RuntimeError('boom')


class LoadPluginTest(base.TestCase):

    def test_entry_point_name(self):
        self.assertIs(file_system_bank_plugin.FileSystemBankPlugin,
                      utils.load_plugin_class(NAMESPACE,
                                              'karbor-fs-bank-plugin'))

    def test_class_paths(self):
        for path in (__name__ + '.Plugin', __name__ + ':Plugin'):
            self.assertIs(Plugin, utils.load_plugin_class(NAMESPACE, path))

    def test_load_plugin_instantiates_with_arguments(self):
        plugin = utils.load_plugin(NAMESPACE, __name__ + '.Plugin', 1,
                                   key='v')
        self.assertIsInstance(plugin, Plugin)
        self.assertEqual((1,), plugin.args)
        self.assertEqual({'key': 'v'}, plugin.kwargs)

    def test_unknown_names(self):
        for name in ('no-such-plugin', 'no.such.Module',
                     __name__ + '.Missing', __name__ + ':Missing'):
            exc = self.assertRaises(exception.ProviderNotLoaded,
                                    utils.load_plugin_class, NAMESPACE, name)
            self.assertIn(name, str(exc))

    def test_constructor_failure(self):
        exc = self.assertRaises(exception.ProviderNotLoaded,
                                utils.load_plugin, NAMESPACE,
                                __name__ + '.FailingPlugin')
        self.assertIn('boom', str(exc))

    @mock.patch('stevedore.driver.DriverManager', autospec=True)
    def test_broken_entry_point(self, manager_cls):
        def fail(namespace, name, invoke_on_load, on_load_failure_callback):
            on_load_failure_callback(None, name, ImportError('missing lib'))
            raise RuntimeError('no driver')
        manager_cls.side_effect = fail
        exc = self.assertRaises(exception.ProviderNotLoaded,
                                utils.load_plugin_class, NAMESPACE,
                                'karbor-fs-bank-plugin')
        self.assertIn('missing lib', str(exc))


class FindConfigTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.etc = os.path.join(self.state_path, 'etc')
        os.makedirs(os.path.join(self.etc, 'providers.d'))
        self.conf_file = os.path.join(self.etc, 'karbor.conf')
        open(self.conf_file, 'w').close()

    def test_absolute(self):
        path = os.path.join(self.etc, 'providers.d')
        self.assertEqual(path, utils.find_config(path))
        self.assertRaises(exception.InvalidConfiguration,
                          utils.find_config, os.path.join(self.etc, 'nope'))

    def test_next_to_config_file(self):
        self.flags(config_file=[self.conf_file])
        self.assertEqual(os.path.join(self.etc, 'providers.d'),
                         utils.find_config('providers.d'))

    def test_current_directory(self):
        cwd = os.getcwd()
        self.addCleanup(os.chdir, cwd)
        os.chdir(self.etc)
        self.assertEqual(os.path.join(self.etc, 'providers.d'),
                         utils.find_config('providers.d'))

    def test_fallback_directories(self):
        candidates = []

        def exists(path):
            candidates.append(path)
            return path == '/etc/karbor/only-here'
        with mock.patch.object(os.path, 'exists', autospec=True,
                               side_effect=exists):
            self.assertEqual('/etc/karbor/only-here',
                             utils.find_config('only-here'))
        self.assertEqual(['/var/lib/karbor/etc/karbor/only-here',
                          '/var/lib/karbor/etc/only-here',
                          '/var/lib/karbor/only-here',
                          '/etc/karbor/only-here'], candidates[-4:])

    def test_not_found(self):
        exc = self.assertRaises(exception.InvalidConfiguration,
                                utils.find_config, 'surely-not-there.d')
        self.assertIn('surely-not-there.d', str(exc))
