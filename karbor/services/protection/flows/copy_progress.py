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

"""The progress of one checkpoint copy, summed over its resources.

The copy operations of a checkpoint's resources run in parallel, each
reporting its own counters (objects and bytes, done and total). This
aggregator sums them and writes the sums to the copy's operation log
(``extra_info``) and to the copy checkpoint's index (``copy_progress``),
at most once per interval (a quarter of a second by default) so that a
copy of many small objects does not spend its time writing progress. The
end of the copy writes the final sums (:meth:`CopyProgress.totals`) with
its new status.
"""

import threading
import time

from oslo_log import log as logging

from karbor.objects import operation_log as operation_log_module

LOG = logging.getLogger(__name__)

PROGRESS_KEYS = operation_log_module.PROGRESS_KEYS


def _counter(stats, key):
    # Movers report a mapping or an object with counter attributes
    # (bank_mover.MoveStats).
    if isinstance(stats, dict):
        value = stats.get(key)
    else:
        value = getattr(stats, key, None)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return 0
    return value


class CopyProgress:
    """A thread-safe sum of per-resource copy counters.

    :param checkpoint_copy: the copy :class:`Checkpoint`, or None.
    :param operation_log: the copy's ``OperationLog``, or None.
    :param on_flush: called with the totals after each write (the request
        log sums its copies there).
    :param interval: the least number of seconds between two writes.
    :param clock: a monotonic clock (tests pass their own).
    """

    def __init__(self, checkpoint_copy=None, operation_log=None,
                 on_flush=None, interval=0.25, clock=time.monotonic):
        self._checkpoint_copy = checkpoint_copy
        self._operation_log = operation_log
        self._on_flush = on_flush
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._stats = {}
        self._last_flush = None
        self._flushed = None
        self._verified = set()

    def update(self, resource_id, stats):
        """Record the latest counters of one resource.

        :param stats: a mapping, or an object with attributes, holding
            any of ``objects_total``, ``objects_done``, ``bytes_total``,
            ``bytes_done`` (anything else is ignored).
        """
        with self._lock:
            self._stats[resource_id] = {key: _counter(stats, key)
                                        for key in PROGRESS_KEYS}
            now = self._clock()
            due = (self._last_flush is None or
                   now - self._last_flush >= self._interval)
            if due:
                self._flush_locked(now)

    def section_verified(self, resource_id):
        """Record that a resource's whole bank section arrived verified.

        What the bank mover's copy operation reports when it copied (or
        found, with the right checksum) every object the source section
        held: the end of the copy then need not list both sections again
        to check it (see ``check_copy`` in ``flows.copy``).
        """
        with self._lock:
            self._verified.add(resource_id)

    def verified_sections(self):
        """The resource ids recorded by :meth:`section_verified`."""
        with self._lock:
            return frozenset(self._verified)

    def totals(self):
        """The counters summed over every resource reported so far."""
        with self._lock:
            return self._totals_locked()

    def _totals_locked(self):
        return {key: sum(stats[key] for stats in self._stats.values())
                for key in PROGRESS_KEYS}

    def _flush_locked(self, now):
        self._last_flush = now
        totals = self._totals_locked()
        if totals == self._flushed:
            return
        # Progress is informative: failing to write it must not fail the
        # copy, whose data movement is what matters.
        try:
            if self._operation_log is not None:
                self._operation_log.set_progress(**totals)
            if self._checkpoint_copy is not None:
                self._checkpoint_copy.copy_progress = totals
                self._checkpoint_copy.commit()
            if self._on_flush is not None:
                self._on_flush(totals)
        except Exception:
            LOG.exception('Could not record the progress of a copy')
            return
        self._flushed = totals
