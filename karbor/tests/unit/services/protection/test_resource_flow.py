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

"""Tests of the per-resource hook flow."""

import threading

import ddt
from taskflow import engines

from karbor.common import constants
from karbor import exception
from karbor import resource
from karbor.services.protection.flows import workflow
from karbor.services.protection import graph
from karbor.services.protection import protection_plugin
from karbor.services.protection import resource_flow
from karbor.tests import base

SERVER = resource.Resource(type=constants.SERVER_RESOURCE_TYPE, id='s1',
                           name='server')
VOLUME1 = resource.Resource(type=constants.VOLUME_RESOURCE_TYPE, id='v1',
                            name='vol1')
VOLUME2 = resource.Resource(type=constants.VOLUME_RESOURCE_TYPE, id='v2',
                            name='vol2')
IMAGE = resource.Resource(type=constants.IMAGE_RESOURCE_TYPE, id='i1',
                          name='image')


class RecordingOperation(protection_plugin.Operation):
    def __init__(self, calls, lock):
        self._calls = calls
        self._lock = lock

    def _record(self, hook, resource, parameters, kwargs):
        with self._lock:
            self._calls.append((hook, resource.id, parameters,
                                sorted(kwargs)))

    def on_prepare_begin(self, checkpoint, resource, context, parameters,
                         **kwargs):
        self._record('on_prepare_begin', resource, parameters, kwargs)

    def on_prepare_finish(self, checkpoint, resource, context, parameters,
                          **kwargs):
        self._record('on_prepare_finish', resource, parameters, kwargs)

    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        self._record('on_main', resource, parameters, kwargs)

    def on_complete(self, checkpoint, resource, context, parameters,
                    **kwargs):
        self._record('on_complete', resource, parameters, kwargs)


class RecordingPlugin(protection_plugin.ProtectionPlugin):
    def __init__(self):
        super().__init__()
        self.calls = []
        self._lock = threading.Lock()

    def _operation(self, resource):
        return RecordingOperation(self.calls, self._lock)

    get_protect_operation = _operation
    get_restore_operation = _operation
    get_delete_operation = _operation
    get_verify_operation = _operation
    get_copy_operation = _operation

    @classmethod
    def get_supported_resources_types(cls):
        return constants.RESOURCE_TYPES


def _operation_with(hooks, calls, lock):
    """An Operation implementing only ``hooks``, recording their calls."""
    def recorder(hook):
        def method(self, checkpoint, resource, context, parameters,
                   **kwargs):
            with lock:
                calls.append((hook, resource.id, parameters, sorted(kwargs)))
        return method
    body = {hook: recorder(hook) for hook in hooks}
    return type('Partial', (protection_plugin.Operation,), body)()


class PartialPlugin(RecordingPlugin):
    """Each resource's operation implements the hooks ``hooks[id]`` gives."""

    def __init__(self, hooks):
        super().__init__()
        self.hooks = hooks

    def _operation(self, resource):
        return _operation_with(self.hooks[resource.id], self.calls,
                               self._lock)

    get_protect_operation = _operation
    get_restore_operation = _operation
    get_delete_operation = _operation
    get_verify_operation = _operation
    get_copy_operation = _operation


def _store(operation_type):
    store = {key: None for key in resource_flow.get_store_keys(
        operation_type)}
    store['new_resources'] = {}
    return store


def _graph():
    # server -> (vol1, image); image -> vol2 (a made-up dependency, so
    # the graph has two levels).
    return graph.build_graph(
        [SERVER],
        lambda r: {SERVER: [VOLUME1, IMAGE], IMAGE: [VOLUME2]}.get(r, []))


@ddt.ddt
class ResourceFlowTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.engine = workflow.TaskFlowEngine()
        self.plugin = RecordingPlugin()
        self.plugins = {t: self.plugin for t in constants.RESOURCE_TYPES}

    def _run(self, operation_type, resource_graph, parameters=None):
        flow = resource_flow.build_resource_flow(
            operation_type, None, self.engine, self.plugins, resource_graph,
            parameters)
        # The parallel engine, as in the service.
        self.engine.run_engine(self.engine.get_engine(
            flow, store=_store(operation_type)))
        return self.plugin.calls

    def _position(self, calls, hook, resource_id):
        return [(c[0], c[1]) for c in calls].index((hook, resource_id))

    @ddt.data(*constants.OPERATION_TYPES)
    def test_every_hook_runs_once_per_resource(self, operation_type):
        calls = self._run(operation_type, _graph())
        self.assertEqual(16, len(calls))
        for res in (SERVER, VOLUME1, VOLUME2, IMAGE):
            for hook in constants.HOOKS:
                self._position(calls, hook, res.id)

    @ddt.data(*constants.OPERATION_TYPES)
    def test_parent_child_ordering(self, operation_type):
        for _ in range(5):
            self.plugin.calls[:] = []
            calls = self._run(operation_type, _graph())

            def pos(hook, res):
                return self._position(calls, hook, res.id)

            for parent, child in ((SERVER, VOLUME1), (SERVER, IMAGE),
                                  (IMAGE, VOLUME2)):
                self.assertLess(pos('on_prepare_begin', parent),
                                pos('on_prepare_begin', child))
                self.assertLess(pos('on_prepare_finish', child),
                                pos('on_prepare_finish', parent))
                self.assertLess(pos('on_complete', child),
                                pos('on_complete', parent))
            for res in (SERVER, VOLUME1, VOLUME2, IMAGE):
                positions = [self._position(calls, hook, res.id)
                             for hook in constants.HOOKS]
                self.assertEqual(sorted(positions), positions)

    @ddt.unpack
    @ddt.data(
        ('protect', ['operation_log']),
        ('delete', ['operation_log']),
        ('restore', ['new_resources', 'operation_log', 'restore',
                     'restore_auth']),
        ('verify', ['new_resources', 'operation_log', 'verify']),
        ('copy', ['checkpoint_copy', 'copy_progress', 'operation_log']),
    )
    def test_hook_keyword_arguments(self, operation_type, expected):
        calls = self._run(operation_type, [graph.GraphNode(VOLUME1, ())])
        self.assertEqual({tuple(expected)}, {tuple(c[3]) for c in calls})

    def test_extra_args_are_not_mutated(self):
        before = dict(resource_flow.OPERATION_EXTRA_ARGS)
        for _ in range(3):
            self._run('restore', [graph.GraphNode(VOLUME1, ())])
        self.assertEqual(before, resource_flow.OPERATION_EXTRA_ARGS)

    def test_task_names(self):
        flow = resource_flow.build_resource_flow(
            'protect', None, self.engine, self.plugins, _graph(), None,
            name_prefix='abc_')
        names = {atom.name for atom in flow}
        self.assertIn('abc_protect_on_main_OS::Nova::Server_s1', names)
        self.assertIn('abc_protect_on_prepare_begin_OS::Cinder::Volume_v2',
                      names)
        self.assertEqual(16, len(names))
        self.assertEqual('abc_ResourceGraphFlow_protect', flow.name)

    def test_two_flows_combine_with_prefixes(self):
        outer = self.engine.build_flow('outer')
        for prefix in ('a_', 'b_'):
            self.engine.add_tasks(outer, resource_flow.build_resource_flow(
                'protect', None, self.engine, self.plugins, _graph(), None,
                name_prefix=prefix))
        engines.run(outer, store=_store('protect'))
        self.assertEqual(32, len(self.plugin.calls))

    def test_shared_child_gets_one_set_of_tasks(self):
        resource_graph = graph.build_graph(
            [SERVER, IMAGE],
            lambda r: {SERVER: [VOLUME1], IMAGE: [VOLUME1]}.get(r, []))
        calls = self._run('protect', resource_graph)
        self.assertEqual(12, len(calls))

    def test_parameters_type_then_resource(self):
        parameters = {
            constants.VOLUME_RESOURCE_TYPE: {'a': 1, 'b': 1},
            '%s#v1' % constants.VOLUME_RESOURCE_TYPE: {'b': 2},
            constants.SERVER_RESOURCE_TYPE: {'s': True},
        }
        calls = self._run('protect', _graph(), parameters)
        by_resource = {c[1]: c[2] for c in calls if c[0] == 'on_main'}
        self.assertEqual({'a': 1, 'b': 2}, by_resource['v1'])
        self.assertEqual({'a': 1, 'b': 1}, by_resource['v2'])
        self.assertEqual({'s': True}, by_resource['s1'])
        self.assertEqual({}, by_resource['i1'])

    def test_missing_plugin(self):
        del self.plugins[constants.IMAGE_RESOURCE_TYPE]
        e = self.assertRaises(
            exception.ProtectionPluginNotFound,
            resource_flow.build_resource_flow, 'protect', None, self.engine,
            self.plugins, _graph(), None)
        self.assertIn(constants.IMAGE_RESOURCE_TYPE, str(e))

    def test_unsupported_operation(self):
        class NoVerify(RecordingPlugin):
            get_verify_operation = (
                protection_plugin.ProtectionPlugin.get_verify_operation)

        plugins = {constants.VOLUME_RESOURCE_TYPE: NoVerify()}
        self.assertRaises(
            exception.OperationNotSupported,
            resource_flow.build_resource_flow, 'verify', None, self.engine,
            plugins, [graph.GraphNode(VOLUME1, ())], None)

    def test_hook_failure_fails_the_flow(self):
        class Broken(protection_plugin.Operation):
            def on_main(self, *args, **kwargs):
                raise RuntimeError('boom')

        self.plugin.get_protect_operation = lambda r: Broken()
        flow = resource_flow.build_resource_flow(
            'protect', None, self.engine, self.plugins,
            [graph.GraphNode(VOLUME1, ())], None)
        self.assertRaises(RuntimeError, engines.run, flow,
                          store=_store('protect'))

    def _use(self, plugin):
        self.plugin = plugin
        self.plugins = {t: plugin for t in constants.RESOURCE_TYPES}

    def test_hooks_that_do_nothing_get_no_task(self):
        self._use(PartialPlugin({r.id: ['on_main'] for r in
                                 (SERVER, VOLUME1, VOLUME2, IMAGE)}))
        flow = resource_flow.build_resource_flow(
            'copy', None, self.engine, self.plugins, _graph(), None)
        self.assertEqual(
            {'copy_on_main_%s_%s' % (r.type, r.id)
             for r in (SERVER, VOLUME1, VOLUME2, IMAGE)},
            {atom.name for atom in flow})
        calls = self._run('copy', _graph())
        self.assertEqual({('on_main', r.id) for r in
                          (SERVER, VOLUME1, VOLUME2, IMAGE)},
                         {(c[0], c[1]) for c in calls})

    def test_an_operation_doing_nothing_runs_nothing(self):
        self._use(PartialPlugin({r.id: [] for r in
                                 (SERVER, VOLUME1, VOLUME2, IMAGE)}))
        self.assertEqual([], self._run('protect', _graph()))

    def test_ordering_holds_across_hooks_that_do_nothing(self):
        # The image (between the server and volume 2) implements nothing,
        # and each other resource only some hooks: what runs keeps the
        # order the left-out hooks stood for.
        self._use(PartialPlugin({
            SERVER.id: ['on_prepare_finish', 'on_complete'],
            IMAGE.id: [],
            VOLUME1.id: ['on_prepare_begin', 'on_complete'],
            VOLUME2.id: ['on_prepare_begin', 'on_prepare_finish',
                         'on_complete'],
        }))
        for _ in range(5):
            self.plugin.calls[:] = []
            calls = self._run('protect', _graph())
            self.assertEqual(7, len(calls))

            def pos(hook, res):
                return self._position(calls, hook, res.id)

            for first, then in (
                    (('on_prepare_finish', VOLUME2),
                     ('on_prepare_finish', SERVER)),
                    (('on_prepare_begin', VOLUME1),
                     ('on_prepare_finish', SERVER)),
                    (('on_complete', VOLUME2), ('on_complete', SERVER)),
                    (('on_complete', VOLUME1), ('on_complete', SERVER)),
                    (('on_prepare_begin', VOLUME2),
                     ('on_prepare_finish', VOLUME2)),
                    (('on_prepare_finish', SERVER),
                     ('on_complete', SERVER))):
                self.assertLess(pos(*first), pos(*then))

    def test_empty_graph(self):
        self.assertEqual([], self._run('protect', []))
