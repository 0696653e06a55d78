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

"""Runs whole operations (protect, restore...) in the background.

RPC calls return as soon as an operation is checked and started; the
operation itself runs on this worker's bounded thread pool. Operations
beyond the pool size wait in its queue.
"""

import concurrent.futures
import os
import threading

from oslo_log import log as logging

from karbor import conf as karbor_conf

LOG = logging.getLogger(__name__)


def _default_size():
    return 4 * (os.cpu_count() or 1)


class Worker:
    """A bounded pool of threads running operations.

    :param max_workers: the pool size; by default
        ``[DEFAULT] max_concurrent_operations``, where 0 means four threads
        per CPU.
    """

    def __init__(self, max_workers=None):
        if max_workers is None:
            max_workers = karbor_conf.CONF.max_concurrent_operations
        self.max_workers = max_workers or _default_size()
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.max_workers,
            thread_name_prefix='karbor-operation')
        self._lock = threading.Lock()
        self._operations = {}
        self._stopped = False

    def submit(self, operation_id, function, *args, **kwargs):
        """Run ``function(*args, **kwargs)`` as operation ``operation_id``.

        An exception of the function is logged: operations report their
        outcome through the objects they update, not to a caller.

        :returns: a ``concurrent.futures.Future``.
        :raises RuntimeError: once the worker is stopped.
        """
        with self._lock:
            if self._stopped:
                raise RuntimeError('the worker is stopped')
            future = self._executor.submit(self._run, operation_id,
                                           function, *args, **kwargs)
            self._operations[operation_id] = future
        future.add_done_callback(
            lambda f: self._forget(operation_id, f))
        return future

    def run_flow(self, operation_id, workflow_engine, engine):
        """Submit a loaded taskflow engine as operation ``operation_id``."""
        return self.submit(operation_id, workflow_engine.run_engine, engine)

    @staticmethod
    def _run(operation_id, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            LOG.exception('Operation %s failed', operation_id)
            raise

    def _forget(self, operation_id, future):
        with self._lock:
            if self._operations.get(operation_id) is future:
                del self._operations[operation_id]

    def running(self):
        """The ids of the operations running or queued."""
        with self._lock:
            return list(self._operations)

    def wait(self, timeout=None):
        """Wait for the operations running or queued now to finish.

        :returns: whether they all finished within ``timeout`` seconds.
        """
        with self._lock:
            pending = list(self._operations.values())
        _done, not_done = concurrent.futures.wait(pending, timeout=timeout)
        return not not_done

    def stop(self, graceful=True):
        """Stop taking operations.

        :param graceful: wait for the running and queued operations to
            finish; otherwise cancel the queued ones and return at once.
        """
        with self._lock:
            self._stopped = True
        self._executor.shutdown(wait=graceful, cancel_futures=not graceful)
