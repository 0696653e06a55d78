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

"""Tests of the operation worker."""

import threading

from karbor.services.protection.flows import worker
from karbor.tests import base


class WorkerTest(base.TestCase):

    def test_size_from_option(self):
        self.flags(max_concurrent_operations=3)
        w = worker.Worker()
        self.addCleanup(w.stop)
        self.assertEqual(3, w.max_workers)

    def test_zero_means_four_per_cpu(self):
        self.flags(max_concurrent_operations=0)
        w = worker.Worker()
        self.addCleanup(w.stop)
        self.assertEqual(worker._default_size(), w.max_workers)
        self.assertGreaterEqual(w.max_workers, 4)

    def test_bound_and_tracking(self):
        w = worker.Worker(max_workers=2)
        self.addCleanup(w.stop, False)
        release = threading.Event()
        started = []
        lock = threading.Lock()

        def op(name):
            with lock:
                started.append(name)
            release.wait(timeout=10)

        futures = [w.submit(name, op, name) for name in 'abc']
        for _ in range(100):
            if len(started) == 2:
                break
            threading.Event().wait(0.01)
        # Only two run at once; the third waits in the queue.
        threading.Event().wait(0.1)
        self.assertEqual(2, len(started))
        self.assertEqual(['a', 'b', 'c'], sorted(w.running()))
        release.set()
        for f in futures:
            f.result(timeout=10)
        self.assertEqual(['a', 'b', 'c'], sorted(started))
        for _ in range(100):
            if not w.running():
                break
            threading.Event().wait(0.01)
        self.assertEqual([], w.running())

    def test_failure_is_kept_in_the_future(self):
        w = worker.Worker(max_workers=1)
        self.addCleanup(w.stop)

        def boom():
            raise ValueError('boom')

        future = w.submit('x', boom)
        self.assertRaises(ValueError, future.result, 10)

    def test_graceful_stop_waits(self):
        w = worker.Worker(max_workers=1)
        done = []
        w.submit('a', lambda: (threading.Event().wait(0.2),
                               done.append('a')))
        w.stop(graceful=True)
        self.assertEqual(['a'], done)
        self.assertRaises(RuntimeError, w.submit, 'b', lambda: None)

    def test_hard_stop_cancels_queued(self):
        w = worker.Worker(max_workers=1)
        release = threading.Event()
        w.submit('a', release.wait, 10)
        queued = w.submit('b', lambda: None)
        w.stop(graceful=False)
        self.assertTrue(queued.cancelled())
        release.set()

    def test_run_flow_uses_the_engine(self):
        w = worker.Worker(max_workers=1)
        self.addCleanup(w.stop)
        calls = []

        class Engine:
            def run_engine(self, engine):
                calls.append(engine)

        w.run_flow('x', Engine(), 'an engine').result(timeout=10)
        self.assertEqual(['an engine'], calls)

    def test_wait(self):
        w = worker.Worker(max_workers=2)
        self.addCleanup(w.stop)
        release = threading.Event()
        w.submit('a', release.wait, 10)
        self.assertFalse(w.wait(timeout=0.05))
        release.set()
        self.assertTrue(w.wait(timeout=10))
        self.assertTrue(w.wait(timeout=0))
