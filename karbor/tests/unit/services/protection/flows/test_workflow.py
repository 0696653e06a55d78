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
from unittest import mock

from taskflow import exceptions as tf_exceptions
from taskflow import flow as tf_flow
from taskflow.patterns import graph_flow
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
        self.engine.link_tasks(flow, [(a, b)])
        self.engine.run_engine(self.engine.get_engine(flow))
        self.assertEqual(['a', 'b'], [n for n, _t in log])

    def _links(self, flow):
        return {(u.name, v.name, bool(data.get(tf_flow.LINK_MANUAL)))
                for u, v, data in flow.iter_links()}

    def test_link_tasks_links_as_link_does_in_one_step(self):
        log = []
        tasks = [_Recorder(name, log) for name in 'abcd']
        pairs = [(tasks[0], tasks[2]), (tasks[2], tasks[1]),
                 (tasks[1], tasks[3]), (tasks[0], tasks[3])]
        one_by_one = graph_flow.Flow('g')
        one_by_one.add(*tasks)
        for u, v in pairs:
            one_by_one.link(u, v)
        flow = self.engine.build_flow('g', 'graph')
        self.engine.add_tasks(flow, *tasks)
        swap = graph_flow.Flow._swap
        with mock.patch.object(graph_flow.Flow, '_swap', autospec=True,
                               side_effect=swap) as swapped:
            self.engine.link_tasks(flow, pairs)
        # One copy of the graph checked and swapped in, not one per link.
        self.assertEqual(1, swapped.call_count)
        self.assertEqual(self._links(one_by_one), self._links(flow))
        self.engine.run_engine(self.engine.get_engine(flow))
        self.assertEqual(['a', 'c', 'b', 'd'], [n for n, _t in log])

    def test_link_tasks_with_a_cycle_changes_nothing(self):
        a, b, c = (_Recorder(name, []) for name in 'abc')
        flow = self.engine.build_flow('g', 'graph')
        self.engine.add_tasks(flow, a, b, c)
        self.engine.link_tasks(flow, [(a, b)])
        self.assertRaises(tf_exceptions.DependencyFailure,
                          self.engine.link_tasks, flow,
                          [(b, c), (c, a)])
        self.assertEqual({('a', 'b', True)}, self._links(flow))

    def test_link_tasks_with_an_unknown_task_changes_nothing(self):
        a, b, stranger = (_Recorder(name, []) for name in 'abs')
        flow = self.engine.build_flow('g', 'graph')
        self.engine.add_tasks(flow, a, b)
        self.assertRaises(ValueError, self.engine.link_tasks, flow,
                          [(a, b), (b, stranger)])
        self.assertEqual(set(), self._links(flow))

    def test_link_tasks_on_another_graph_flow(self):
        a, b = _Recorder('a', []), _Recorder('b', [])
        flow = graph_flow.Flow('g')
        flow.add(a, b)
        self.engine.link_tasks(flow, [(b, a)])
        self.assertEqual({('b', 'a', True)}, self._links(flow))

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
