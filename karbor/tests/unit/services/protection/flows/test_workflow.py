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

"""Tests of the workflow engine wrapper."""

import threading

from taskflow import task

from karbor.services.protection.flows import workflow
from karbor.tests import base


class _Recorder(task.Task):
    def __init__(self, name, log, barrier=None):
        super().__init__(name=name)
        self._log = log
        self._barrier = barrier

    def execute(self):
        if self._barrier is not None:
            self._barrier.wait(timeout=5)
        self._log.append((self.name, threading.current_thread().name))


class TaskFlowEngineTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.engine = workflow.TaskFlowEngine()

    def test_linear_flow_runs_in_order(self):
        log = []
        flow = self.engine.build_flow('f')
        self.engine.add_tasks(flow, _Recorder('a', log), _Recorder('b', log))
        self.engine.run_engine(self.engine.get_engine(flow))
        self.assertEqual(['a', 'b'], [n for n, _t in log])

    def test_graph_flow_runs_in_parallel_on_task_threads(self):
        log = []
        # Both tasks must be running at once to pass the barrier.
        barrier = threading.Barrier(2)
        flow = self.engine.build_flow('g', 'graph')
        self.engine.add_tasks(flow, _Recorder('a', log, barrier),
                              _Recorder('b', log, barrier))
        self.engine.run_engine(self.engine.get_engine(flow))
        self.assertEqual({'a', 'b'}, {n for n, _t in log})
        self.assertTrue(all(t.startswith('karbor-task') for _n, t in log))

    def test_link_orders_graph_tasks(self):
        log = []
        flow = self.engine.build_flow('g', 'graph')
        a, b = _Recorder('a', log), _Recorder('b', log)
        self.engine.add_tasks(flow, b, a)
        self.engine.link_task(flow, a, b)
        self.engine.run_engine(self.engine.get_engine(flow))
        self.assertEqual(['a', 'b'], [n for n, _t in log])

    def test_pool_is_bounded_by_option(self):
        self.flags(max_concurrent_resource_tasks=3)
        engine = self.engine.get_engine(self.engine.build_flow('f'))
        self.assertEqual(3, engine.karbor_executor._max_workers)

    def test_store_and_functor_tasks(self):
        flow = self.engine.build_flow('f')
        self.engine.add_tasks(flow, self.engine.create_task(
            lambda x: x * 2, requires=['x'], provides='y', name='double'))
        engine = self.engine.get_engine(flow, store={'x': 21})
        self.engine.run_engine(engine)
        self.assertEqual(42, self.engine.output(engine, 'y'))

    def test_failure_propagates_and_pool_is_shut_down(self):
        def boom():
            raise ValueError('boom')

        flow = self.engine.build_flow('f')
        self.engine.add_tasks(flow, self.engine.create_task(boom,
                                                            name='boom'))
        engine = self.engine.get_engine(flow)
        self.assertRaises(ValueError, self.engine.run_engine, engine)
        self.assertRaises(RuntimeError, engine.karbor_executor.submit, boom)

    def test_unknown_flow_type(self):
        self.assertRaises(ValueError, self.engine.build_flow, 'f', 'circle')
