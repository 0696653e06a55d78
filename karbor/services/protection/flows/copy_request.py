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
while some still run. It is always recomputed from the database rows of
the request's copies, so it is right whichever flow finishes last, and
after a restart.
"""

import threading

from oslo_log import log as logging
from oslo_utils import timeutils

from karbor.common import constants
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


def refresh(context, request_id):
    """Recompute the status and progress of request ``request_id``.

    Errors are logged, never raised: this runs from flow tasks and
    reverts, which must not fail because of the request's bookkeeping.
    """
    if not request_id:
        return
    utils.best_effort('update copy request %s' % request_id, _refresh,
                      context, request_id)


def _refresh(context, request_id):
    with _LOCK:
        request_log = objects.OperationLog.get_by_id(context, request_id)
        rows = objects.CheckpointCopyList.get_all(
            context, filters={'request_id': request_id})
        logs = _copy_logs(context, rows)
        totals = {key: 0 for key in operation_log_module.PROGRESS_KEYS}
        for log in logs.values():
            for key, value in log.get_progress().items():
                totals[key] += value
        request_log.set_progress(save=False, **totals)
        statuses = [row.status for row in rows]
        if any(status in RUNNING for status in statuses):
            if any(status == constants.CHECKPOINT_STATUS_COPYING
                   for status in statuses):
                request_log.status = constants.CHECKPOINT_STATUS_COPYING
        elif any(status == constants.CHECKPOINT_STATUS_ERROR
                 for status in statuses) or not rows:
            request_log.status = constants.OPERATION_LOG_STATUS_ERROR
            reasons = ['%s: %s' % (row.source_checkpoint_id,
                                   (logs.get(row.id) and
                                    logs[row.id].error_info) or 'failed')
                       for row in rows
                       if row.status == constants.CHECKPOINT_STATUS_ERROR]
            request_log.error_info = '; '.join(reasons) or 'nothing copied'
            request_log.ended_at = request_log.ended_at or timeutils.utcnow()
        else:
            request_log.status = constants.OPERATION_LOG_STATUS_SUCCESS
            request_log.ended_at = request_log.ended_at or timeutils.utcnow()
        request_log.save()
