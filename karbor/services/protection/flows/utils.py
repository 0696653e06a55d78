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

"""Operation logs and failure reporting shared by the flows.

Every operation writes one operation log. Its ``extra_info`` is a JSON
object holding at least ``"host"``, the protection service that runs the
operation: when that service restarts it finds the operations it was
running (their log is still in a running status) and fails them.
"""

from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils

from karbor import conf as karbor_conf
from karbor import objects

LOG = logging.getLogger(__name__)


def create_operation_log(context, operation_type, status, checkpoint_id=None,
                         plan_id=None, provider_id=None, restore_id=None,
                         scheduled_operation_id=None, extra_info=None,
                         project_id=None, operation_log_id=None):
    """Create the operation log of an operation that is starting.

    :param extra_info: a dict stored as JSON together with ``host``.
    :param operation_log_id: the log's id, when others must know it
        before it is written (default: a new UUID).
    """
    extra = dict(extra_info or {})
    extra['host'] = karbor_conf.CONF.host
    operation_log = objects.OperationLog(
        context=context,
        project_id=project_id or context.project_id,
        operation_type=operation_type,
        checkpoint_id=checkpoint_id,
        plan_id=plan_id,
        provider_id=provider_id,
        restore_id=restore_id,
        scheduled_operation_id=scheduled_operation_id,
        status=status,
        started_at=timeutils.utcnow(),
        extra_info=jsonutils.dumps(extra))
    if operation_log_id is not None:
        operation_log.id = operation_log_id
    operation_log.create()
    return operation_log


def update_operation_log(context, operation_log, status=None, ended=False,
                         error_info=None):
    """Record a status change, the end and the failure reason if any."""
    if status is not None:
        operation_log.status = status
    if error_info is not None:
        operation_log.error_info = error_info
    if ended:
        operation_log.ended_at = timeutils.utcnow()
    operation_log.save()


def set_checkpoint_status(checkpoint, status):
    checkpoint.status = status
    checkpoint.commit()


def get_operation_log_extra_info(operation_log):
    """The decoded ``extra_info`` of an operation log (a dict)."""
    try:
        extra = jsonutils.loads(operation_log.extra_info or '{}')
    except (TypeError, ValueError):
        return {}
    return extra if isinstance(extra, dict) else {}


def failure_reason(flow_failures=None, default='unknown error'):
    """A readable reason from taskflow's ``flow_failures`` mapping."""
    reasons = []
    for failure in (flow_failures or {}).values():
        text = (failure.exception_str if failure.exception_str
                else failure.exception_type_names[0])
        if text not in reasons:
            reasons.append(text)
    return '; '.join(reasons) or default


def best_effort(what, function, *args, **kwargs):
    """Call ``function`` from a revert path, logging instead of raising.

    A revert marks several records as failed; one that cannot be written
    must not keep the others in a running status.
    """
    try:
        function(*args, **kwargs)
    except Exception:
        LOG.exception('Could not %s', what)


def fail_operation_log(context, operation_log, status, reason):
    best_effort('mark operation log %s as %s' % (
        getattr(operation_log, 'id', None), status),
        update_operation_log, context, operation_log, status=status,
        ended=True, error_info=reason)
