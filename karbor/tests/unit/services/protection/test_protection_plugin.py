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

"""Tests of the protection plugin interface."""

import ddt

from karbor.common import constants
from karbor import exception
from karbor import resource
from karbor.services.protection import protection_plugin
from karbor.tests import base


class MinimalPlugin(protection_plugin.ProtectionPlugin):
    def get_protect_operation(self, resource):
        return protection_plugin.Operation()

    def get_restore_operation(self, resource):
        return protection_plugin.Operation()

    def get_delete_operation(self, resource):
        return protection_plugin.Operation()

    @classmethod
    def get_supported_resources_types(cls):
        return (constants.VOLUME_RESOURCE_TYPE,)


class CopyingPlugin(MinimalPlugin):
    def get_copy_operation(self, resource):
        return protection_plugin.Operation()


class IncompletePlugin(protection_plugin.ProtectionPlugin):
    def get_protect_operation(self, resource):
        return protection_plugin.Operation()

    @classmethod
    def get_supported_resources_types(cls):
        return ()


VOLUME = resource.Resource(type=constants.VOLUME_RESOURCE_TYPE, id='v1',
                           name='vol')


@ddt.ddt
class ProtectionPluginTest(base.TestCase):

    @ddt.data('verify', 'copy')
    def test_optional_operation_is_refused_with_a_400(self, operation):
        plugin = MinimalPlugin()
        e = self.assertRaises(
            exception.OperationNotSupported,
            getattr(plugin, 'get_%s_operation' % operation), VOLUME)
        self.assertEqual(400, e.code)
        self.assertIn(operation, str(e))
        self.assertIn(constants.VOLUME_RESOURCE_TYPE, str(e))

    @ddt.unpack
    @ddt.data(
        (MinimalPlugin, 'protect', True),
        (MinimalPlugin, 'restore', True),
        (MinimalPlugin, 'delete', True),
        (MinimalPlugin, 'verify', False),
        (MinimalPlugin, 'copy', False),
        (CopyingPlugin, 'copy', True),
        (CopyingPlugin, 'verify', False),
        (IncompletePlugin, 'restore', False),
        (MinimalPlugin, 'dance', False),
    )
    def test_supports_operation(self, plugin_class, operation, expected):
        self.assertIs(expected, plugin_class.supports_operation(operation))

    def test_abstract_operations_are_mandatory(self):
        self.assertRaises(TypeError, IncompletePlugin)

    def test_default_schemas_are_fresh_empty_objects(self):
        schema = MinimalPlugin.get_restore_schema(VOLUME.type)
        self.assertEqual({"type": "object", "properties": {}}, schema)
        schema['properties']['x'] = {}
        self.assertEqual({}, MinimalPlugin.get_options_schema(
            VOLUME.type)['properties'])
        self.assertEqual({}, MinimalPlugin.get_verify_schema(
            VOLUME.type)['properties'])
        self.assertEqual({}, MinimalPlugin.get_copy_schema(
            VOLUME.type)['properties'])
        self.assertEqual({}, MinimalPlugin.get_saved_info_schema(
            VOLUME.type)['properties'])
        self.assertIsNone(MinimalPlugin.get_saved_info(None, VOLUME))

    def test_operation_hooks_are_no_ops(self):
        operation = protection_plugin.Operation()
        for hook in constants.HOOKS:
            self.assertIsNone(getattr(operation, hook)(
                None, VOLUME, None, {}, operation_log=None))

    def test_config_is_kept(self):
        self.assertEqual('conf', MinimalPlugin('conf')._config)
