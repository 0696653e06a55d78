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

"""The request-level operation log of a copy request.

One copy request copies several checkpoints, each with its own flow and
operation log. The request's own log (the ``id`` the API returns) sums
their progress and ends when they all have: ``success`` when every copy
succeeded, ``error`` (with their reasons) when any failed, ``copying``
while some still run.

Its status is always recomputed from the database rows of the request's
copies, so it is right whichever flow finishes last, and after a restart.
Its progress is the sum of what each copy last reported; the copies of a
request run in one process, which keeps those reports in memory (seeded
from the copies' logs the first time it sees the request, after a restart
too). A report thus costs no read of the other copies' logs, and is
written at most every ``PROGRESS_INTERVAL`` seconds per request: reading
every copy's log on each report made a request of N checkpoints cost N
squared reads.
"""

import threading
import time

from oslo_db import api as oslo_db_api
from oslo_log import log as logging
from oslo_utils import timeutils

from karbor.common import constants
from karbor.db import api as db_api
from karbor import exception
from karbor import objects
from karbor.objects import operation_log as operation_log_module
from karbor.services.protection.flows import utils

LOG = logging.getLogger(__name__)

RUNNING = (constants.CHECKPOINT_STATUS_WAIT_COPYING,
           constants.CHECKPOINT_STATUS_COPYING)

# The copies of one request run in one process; this lock makes each
# recomputation see and write a consistent state.
_LOCK = threading.Lock()

# The least number of seconds between two progress writes of a request.
PROGRESS_INTERVAL = 0.5

# {request id: {copy operation log id: progress totals}} of the requests
# with copies running in this process, and when each request's progress
# was last written (time.monotonic).
_PROGRESS = {}
_LAST_WRITE = {}
_clock = time.monotonic


def _copy_logs(context, rows):
    logs = {}
    for row in rows:
        if not row.operation_log_id:
            continue
        try:
            logs[row.id] = objects.OperationLog.get_by_id(
                context, row.operation_log_id)
        except exception.OperationLogNotFound:
            continue
    return logs


def _sum(progress):
    totals = {key: 0 for key in operation_log_module.PROGRESS_KEYS}
    for copy_totals in progress.values():
        for key in totals:
            totals[key] += copy_totals.get(key, 0)
    return totals


def refresh(context, request_id):
    """Recompute the status and progress of request ``request_id``.

    Errors are logged, never raised: this runs from flow tasks and
    reverts, which must not fail because of the request's bookkeeping.
    """
    if not request_id:
        return
    utils.best_effort('update copy request %s' % request_id, update,
                      context, request_id)


def update(context, request_id, *writes, progress=None):
    """Make a copy's own changes and recompute its request, all at once.

    A copy starting or ending changes its ``checkpoint_copies`` row, its
    operation log and its request's log. Made in one transaction, the
    three never disagree (a stop between two separate writes left, for
    instance, an available copy whose log said ``copying``), and the
    change costs one transaction instead of six or seven (each costs
    about a millisecond on SQLite, more while a copy keeps the CPUs busy).

    :param writes: callables making the copy's changes (saving its row,
        its log), called in order inside the transaction.
    :param progress: ``(copy log id, totals)``, the copy's last counters,
        to sum into the request's progress.
    :raises: what the writes or the database raise; nothing is then
        written. A request log that is gone is logged, not an error.
    """
    with _LOCK:
        _update_locked(context, request_id, writes, progress)


# A deadlock aborts the whole transaction (PostgreSQL refuses any
# statement after it): it is retried whole, here.
@oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)
def _update_locked(context, request_id, writes, progress):
    with db_api.get_instance().transaction():
        for write in writes:
            write()
        if not request_id:
            return
        if progress is not None:
            sums = _PROGRESS.get(request_id)
            if sums is not None:
                copy_log_id, totals = progress
                sums[copy_log_id] = _counters(totals)
        try:
            _refresh_locked(context, request_id)
        except exception.OperationLogNotFound:
            LOG.warning('The log of copy request %s is gone', request_id)


def _counters(totals):
    return {key: totals.get(key, 0)
            for key in operation_log_module.PROGRESS_KEYS}


def report_progress(context, request_id, copy_log_id, totals):
    """Record the progress ``totals`` of one copy of request ``request_id``.

    :param copy_log_id: the id of the copy's own operation log.
    :param totals: its counters (``objects_done``, ``bytes_total``...).

    The request's log gets the new sum at most every
    ``PROGRESS_INTERVAL`` seconds; a copy's start and end go through
    :func:`refresh`, which always writes. Errors are logged, never raised.
    """
    if not request_id:
        return
    utils.best_effort('record the progress of copy request %s' % request_id,
                      _report, context, request_id, copy_log_id, totals)


def _report(context, request_id, copy_log_id, totals):
    with _LOCK:
        progress = _PROGRESS.get(request_id)
        if progress is None:
            # First sight of the request here: read every copy's log once.
            progress = _refresh_locked(context, request_id)
            if progress is None:
                return
        progress[copy_log_id] = _counters(totals)
        now = _clock()
        last = _LAST_WRITE.get(request_id)
        if last is not None and now - last < PROGRESS_INTERVAL:
            return
        _LAST_WRITE[request_id] = now
        request_log = objects.OperationLog.get_by_id(context, request_id)
        request_log.set_progress(**_sum(progress))


def _refresh_locked(context, request_id):
    """Recompute and write the request's log.

    :returns: the request's progress map while copies still run, None
        once the request has ended (its map is then dropped).
    """
    request_log = objects.OperationLog.get_by_id(context, request_id)
    rows = objects.CheckpointCopyList.get_all(
        context, filters={'request_id': request_id})
    progress = _PROGRESS.get(request_id)
    if progress is None:
        progress = {log.id: log.get_progress()
                    for log in _copy_logs(context, rows).values()}
    request_log.set_progress(save=False, **_sum(progress))
    statuses = [row.status for row in rows]
    ended = True
    if any(status in RUNNING for status in statuses):
        ended = False
        if any(status == constants.CHECKPOINT_STATUS_COPYING
               for status in statuses):
            request_log.status = constants.CHECKPOINT_STATUS_COPYING
    elif any(status == constants.CHECKPOINT_STATUS_ERROR
             for status in statuses) or not rows:
        request_log.status = constants.OPERATION_LOG_STATUS_ERROR
        failed = [row for row in rows
                  if row.status == constants.CHECKPOINT_STATUS_ERROR]
        logs = _copy_logs(context, failed)
        reasons = ['%s: %s' % (row.source_checkpoint_id,
                               (logs.get(row.id) and
                                logs[row.id].error_info) or 'failed')
                   for row in failed]
        request_log.error_info = '; '.join(reasons) or 'nothing copied'
        request_log.ended_at = request_log.ended_at or timeutils.utcnow()
    else:
        request_log.status = constants.OPERATION_LOG_STATUS_SUCCESS
        request_log.ended_at = request_log.ended_at or timeutils.utcnow()
    request_log.save()
    if ended:
        _PROGRESS.pop(request_id, None)
        _LAST_WRITE.pop(request_id, None)
        return None
    _PROGRESS[request_id] = progress
    _LAST_WRITE[request_id] = _clock()
    return progress
