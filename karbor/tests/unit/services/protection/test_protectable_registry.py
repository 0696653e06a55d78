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

"""Tests of the protectable registry."""

from unittest import mock

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import resource
from karbor.services.protection import graph
from karbor.services.protection import protectable_plugin
from karbor.services.protection import protectable_registry
from karbor.tests import base

PROJECT = resource.Resource(type=constants.PROJECT_RESOURCE_TYPE, id='p1',
                            name='project')
SERVER = resource.Resource(type=constants.SERVER_RESOURCE_TYPE, id='s1',
                           name='server')
VOLUME = resource.Resource(type=constants.VOLUME_RESOURCE_TYPE, id='v1',
                           name='volume')


class _FakePlugin(protectable_plugin.ProtectablePlugin):
    TYPE = None
    PARENTS = ()
    CHILDREN = {}
    instances = []

    def __init__(self, context=None, conf=None):
        super().__init__(context, conf)
        type(self).instances.append(self)

    def get_resource_type(self):
        return self.TYPE

    def get_parent_resource_types(self):
        return self.PARENTS

    def list_resources(self, context, parameters=None):
        return [r for r in (PROJECT, SERVER, VOLUME) if r.type == self.TYPE]

    def show_resource(self, context, resource_id, parameters=None):
        return {r.id: r for r in self.list_resources(context)}.get(
            resource_id)

    def get_dependent_resources(self, context, parent_resource):
        return self.CHILDREN.get(parent_resource.id, [])


class ProjectPlugin(_FakePlugin):
    TYPE = constants.PROJECT_RESOURCE_TYPE


class ServerPlugin(_FakePlugin):
    TYPE = constants.SERVER_RESOURCE_TYPE
    PARENTS = (constants.PROJECT_RESOURCE_TYPE,)
    CHILDREN = {'p1': [SERVER]}


class VolumePlugin(_FakePlugin):
    TYPE = constants.VOLUME_RESOURCE_TYPE
    # A bare string, as some upstream plugins return.
    PARENTS = constants.SERVER_RESOURCE_TYPE
    CHILDREN = {'s1': [VOLUME]}


class BrokenVolumePlugin(VolumePlugin):
    def get_dependent_resources(self, context, parent_resource):
        raise RuntimeError('cinder is down')


class ProtectableRegistryTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.registry = protectable_registry.ProtectableRegistry()
        for plugin in (ProjectPlugin, ServerPlugin, VolumePlugin):
            self.registry.register_plugin(plugin)
        self.ctx = context.RequestContext(user_id='u', project_id='p1')

    def test_list_resource_types(self):
        self.assertEqual(sorted([constants.PROJECT_RESOURCE_TYPE,
                                 constants.SERVER_RESOURCE_TYPE,
                                 constants.VOLUME_RESOURCE_TYPE]),
                         self.registry.list_resource_types())

    def test_unknown_type(self):
        e = self.assertRaises(exception.ProtectableTypeNotFound,
                              self.registry.get_protectable_resource_plugin,
                              'OS::Foo::Bar')
        self.assertEqual(400, e.code)
        self.assertRaises(exception.ProtectableTypeNotFound,
                          self.registry.show_protectable_type, 'OS::Foo::Bar')
        self.assertRaises(exception.ProtectableTypeNotFound,
                          self.registry.list_resources, self.ctx,
                          'OS::Foo::Bar')

    def test_show_protectable_type(self):
        self.assertEqual(
            {'name': constants.PROJECT_RESOURCE_TYPE,
             'dependent_types': [constants.SERVER_RESOURCE_TYPE]},
            self.registry.show_protectable_type(
                constants.PROJECT_RESOURCE_TYPE))
        self.assertEqual(
            {'name': constants.SERVER_RESOURCE_TYPE,
             'dependent_types': [constants.VOLUME_RESOURCE_TYPE]},
            self.registry.show_protectable_type(
                constants.SERVER_RESOURCE_TYPE))
        self.assertEqual([], self.registry.show_protectable_type(
            constants.VOLUME_RESOURCE_TYPE)['dependent_types'])

    def test_list_and_show_resources(self):
        self.assertEqual([SERVER], self.registry.list_resources(
            self.ctx, constants.SERVER_RESOURCE_TYPE))
        self.assertEqual(VOLUME, self.registry.show_resource(
            self.ctx, constants.VOLUME_RESOURCE_TYPE, 'v1'))

    def test_instances_are_bound_to_each_callers_context(self):
        ServerPlugin.instances = []
        other = context.RequestContext(user_id='u2', project_id='p2')
        self.registry.list_resources(self.ctx,
                                     constants.SERVER_RESOURCE_TYPE)
        self.registry.list_resources(other, constants.SERVER_RESOURCE_TYPE)
        self.assertEqual([self.ctx, other],
                         [p._context for p in ServerPlugin.instances[-2:]])

    def test_fetch_dependent_resources(self):
        self.assertEqual([SERVER], self.registry.fetch_dependent_resources(
            self.ctx, PROJECT))
        self.assertEqual([VOLUME], self.registry.fetch_dependent_resources(
            self.ctx, SERVER))
        self.assertEqual([], self.registry.fetch_dependent_resources(
            self.ctx, VOLUME))

    def test_failing_dependent_listing_counts_as_none(self):
        self.registry.register_plugin(BrokenVolumePlugin)
        self.assertEqual([], self.registry.fetch_dependent_resources(
            self.ctx, SERVER))

    def test_build_graph(self):
        roots = self.registry.build_graph(self.ctx, [PROJECT])
        self.assertEqual(1, len(roots))
        self.assertEqual(PROJECT, roots[0].value)
        self.assertEqual([PROJECT, SERVER, VOLUME],
                         [n.value for n in graph.iter_graph_nodes(roots)])

    def test_build_graph_drops_start_nodes_that_are_children(self):
        roots = self.registry.build_graph(self.ctx, [VOLUME, SERVER])
        self.assertEqual([SERVER], [n.value for n in roots])


class LoadPluginsTest(base.TestCase):

    def test_real_entry_points(self):
        registry = protectable_registry.ProtectableRegistry()
        registry.load_plugins()
        self.assertEqual(sorted(constants.RESOURCE_TYPES),
                         registry.list_resource_types())

    def test_broken_plugin_is_skipped(self):
        good = mock.Mock(plugin=ServerPlugin)
        good.name = 'server'
        bad = mock.Mock(plugin=mock.Mock(side_effect=RuntimeError('bad')))
        bad.name = 'bad'
        with mock.patch('stevedore.extension.ExtensionManager',
                        autospec=True) as manager:
            manager.return_value.__iter__.return_value = iter([bad, good])
            registry = protectable_registry.ProtectableRegistry()
            registry.load_plugins()
        self.assertEqual([constants.SERVER_RESOURCE_TYPE],
                         registry.list_resource_types())

    def test_load_failure_callback_only_logs(self):
        entry_point = mock.Mock()
        entry_point.name = 'broken'
        protectable_registry.ProtectableRegistry._on_load_failure(
            None, entry_point, ImportError('no module'))
