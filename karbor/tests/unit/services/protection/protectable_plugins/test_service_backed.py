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

"""Tests of the protectables backed by another service."""

import ddt

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import resource
from karbor.services.protection.protectable_plugins import database
from karbor.services.protection.protectable_plugins import image
from karbor.services.protection.protectable_plugins import network
from karbor.services.protection.protectable_plugins import pod
from karbor.services.protection.protectable_plugins import server
from karbor.services.protection.protectable_plugins import share
from karbor.services.protection.protectable_plugins import volume
from karbor.tests import base

P = constants.PROJECT_RESOURCE_TYPE
PLUGINS = {
    server.ServerProtectablePlugin: (
        constants.SERVER_RESOURCE_TYPE, (P,), 'nova'),
    volume.VolumeProtectablePlugin: (
        constants.VOLUME_RESOURCE_TYPE,
        (constants.SERVER_RESOURCE_TYPE, constants.POD_RESOURCE_TYPE, P),
        'cinder'),
    image.ImageProtectablePlugin: (
        constants.IMAGE_RESOURCE_TYPE, (constants.SERVER_RESOURCE_TYPE, P),
        'glance'),
    share.ShareProtectablePlugin: (constants.SHARE_RESOURCE_TYPE, (P,),
                                   'manila'),
    network.NetworkProtectablePlugin: (constants.NETWORK_RESOURCE_TYPE, (P,),
                                       'neutron'),
    database.DatabaseProtectablePlugin: (constants.DATABASE_RESOURCE_TYPE,
                                         (P,), 'trove'),
    pod.K8sPodProtectablePlugin: (constants.POD_RESOURCE_TYPE, (P,), 'k8s'),
}

PROJECT = resource.Resource(type=P, id='p1', name='demo')


@ddt.ddt
class ServiceProtectableTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.ctx = context.RequestContext(user_id='u', project_id='p1')

    @ddt.data(*PLUGINS)
    def test_type_and_parents(self, plugin_class):
        resource_type, parents, _svc = PLUGINS[plugin_class]
        plugin = plugin_class()
        self.assertEqual(resource_type, plugin.get_resource_type())
        self.assertEqual(set(parents),
                         set(plugin.get_parent_resource_types()))

    @ddt.data(*PLUGINS)
    def test_unconfigured_list_and_show_name_the_option_group(
            self, plugin_class):
        _type, _parents, svc = PLUGINS[plugin_class]
        plugin = plugin_class()
        for call, args in ((plugin.list_resources, (self.ctx,)),
                           (plugin.show_resource, (self.ctx, 'x'))):
            e = self.assertRaises(exception.ProtectableServiceNotConfigured,
                                  call, *args)
            self.assertIn('[%s_client]' % svc, str(e))
            self.assertIn('no %s endpoint' % svc, str(e))

    @ddt.data(*PLUGINS)
    def test_unconfigured_has_no_dependents(self, plugin_class):
        self.assertEqual([], plugin_class().get_dependent_resources(
            self.ctx, PROJECT))

    def test_configured_endpoint_reports_missing_client(self):
        self.flags(group='nova_client', nova_endpoint='http://nova:8774')
        plugin = server.ServerProtectablePlugin()
        self.assertTrue(plugin.is_service_configured(self.ctx))
        e = self.assertRaises(exception.ProtectableServiceNotConfigured,
                              plugin.list_resources, self.ctx)
        self.assertIn('has no nova client', str(e))
        # The registry logs this and treats the server as having no
        # dependents; the plugin itself must not pretend there are none.
        self.assertRaises(exception.ProtectableServiceNotConfigured,
                          plugin.get_dependent_resources, self.ctx, PROJECT)

    def test_catalog_entry_counts_as_configured(self):
        ctx = context.RequestContext(
            user_id='u', project_id='p1',
            service_catalog=[{'type': 'volumev3', 'endpoints': []}])
        self.assertTrue(
            volume.VolumeProtectablePlugin().is_service_configured(ctx))
        self.assertFalse(
            image.ImageProtectablePlugin().is_service_configured(ctx))
