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

"""Tests of the protectable plugin interface."""

from karbor.services.protection import protectable_plugin
from karbor.tests import base


class Complete(protectable_plugin.ProtectablePlugin):
    def get_resource_type(self):
        return 'T'

    def get_parent_resource_types(self):
        return ()

    def list_resources(self, context, parameters=None):
        return []

    def show_resource(self, context, resource_id, parameters=None):
        return None

    def get_dependent_resources(self, context, parent_resource):
        return []


class Incomplete(protectable_plugin.ProtectablePlugin):
    def get_resource_type(self):
        return 'T'


class ProtectablePluginTest(base.TestCase):

    def test_every_method_is_abstract(self):
        self.assertRaises(TypeError, Incomplete)

    def test_instance_binds_context_and_conf(self):
        plugin = Complete().instance('ctx', 'conf')
        self.assertIsInstance(plugin, Complete)
        self.assertEqual(('ctx', 'conf'), (plugin._context, plugin._conf))
