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

"""The cost of an operation's flow itself, per resource.

Every protect, restore, verify, delete and copy runs the hooks of each
resource of its plan in a taskflow graph flow. This builds and runs such
flows for plans of one to a few hundred independent resources, with hooks
that return at once, on the engine the service uses: what is measured is
the flow's own cost, which every operation pays before and around its
plugins' work. Two kinds of operation: one implementing only ``on_main``
(as most do), one implementing its four hooks.
"""

import statistics
import time

from karbor.common import constants
from karbor import resource
from karbor.services.protection.flows import workflow
from karbor.services.protection import graph
from karbor.services.protection import protection_plugin
from karbor.services.protection import resource_flow


class _MainOnly(protection_plugin.Operation):
    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        pass


class _AllHooks(_MainOnly):
    def on_prepare_begin(self, checkpoint, resource, context, parameters,
                         **kwargs):
        pass

    def on_prepare_finish(self, checkpoint, resource, context, parameters,
                          **kwargs):
        pass

    def on_complete(self, checkpoint, resource, context, parameters,
                    **kwargs):
        pass


class _Plugin(protection_plugin.ProtectionPlugin):
    def __init__(self, operation_class):
        super().__init__()
        self._operation_class = operation_class

    def _operation(self, resource):
        return self._operation_class()

    get_protect_operation = _operation
    get_restore_operation = _operation
    get_delete_operation = _operation

    @classmethod
    def get_supported_resources_types(cls):
        return constants.RESOURCE_TYPES


def _time_flow(engine, plugins, resource_graph):
    started = time.perf_counter()
    flow = resource_flow.build_resource_flow(
        constants.OPERATION_PROTECT, None, engine, plugins, resource_graph,
        None)
    store = {key: None for key in resource_flow.get_store_keys(
        constants.OPERATION_PROTECT)}
    loaded = engine.get_engine(flow, store=store)
    built = time.perf_counter()
    engine.run_engine(loaded)
    return built - started, time.perf_counter() - built


def run(sizes=(1, 10, 100, 300), repeat=3):
    engine = workflow.TaskFlowEngine()
    rows = []
    for label, operation_class in (('on_main only', _MainOnly),
                                   ('all four hooks', _AllHooks)):
        plugin = _Plugin(operation_class)
        plugins = {t: plugin for t in constants.RESOURCE_TYPES}
        for count in sizes:
            resources = [resource.Resource(
                type=constants.VOLUME_RESOURCE_TYPE, id='v%d' % i,
                name='volume %d' % i) for i in range(count)]
            resource_graph = graph.build_graph(resources, lambda r: [])
            times = [_time_flow(engine, plugins, resource_graph)
                     for _ in range(repeat)]
            rows.append((label, count,
                         statistics.median(t[0] for t in times),
                         statistics.median(t[1] for t in times)))
    print()
    header = '%-16s %9s %9s %9s' % (
        'operation', 'resources', 'build ms', 'run ms')
    print(header)
    print('-' * len(header))
    for label, count, build, ran in rows:
        print('%-16s %9d %9.1f %9.1f' % (label, count, build * 1000,
                                         ran * 1000))
    print('median of %d runs each; hooks return at once' % repeat)
    return rows
