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

"""Flows of operations that have a record of their own: restore, verify.

A restore and a verification each have a database row whose status follows
the operation beside its operation log: ``in_progress`` while it runs, then
``success``; on any failure both become ``fail``, with the reason in the
log's ``error_info``. Their flows are the same apart from names::

    Initiate<Op>Task -> the resource hooks -> Complete<Op>Task

The record is found in the flow's store under the operation's own name
(``restore``, ``verify``), which is what plugins' hooks receive it as.
"""

from oslo_log import log as logging
from taskflow import task

from karbor.common import constants
from karbor.services.protection.flows import utils
from karbor.services.protection import resource_flow

LOG = logging.getLogger(__name__)

# Restores and verifications share these statuses.
IN_PROGRESS = constants.RESTORE_STATUS_IN_PROGRESS
SUCCESS = constants.RESTORE_STATUS_SUCCESS
FAILURE = constants.RESTORE_STATUS_FAILURE


def _set_status(record, status):
    record.status = status
    record.save()


class InitiateRecordTask(task.Task):
    """Marks the record and its log in progress; on revert, failed."""

    def execute(self, context, record, operation_log):
        _set_status(record, IN_PROGRESS)
        utils.update_operation_log(context, operation_log,
                                   status=IN_PROGRESS)

    def revert(self, context, record, operation_log, flow_failures=None,
               **kwargs):
        reason = utils.failure_reason(flow_failures)
        LOG.error('%(task)s: %(id)s failed: %(reason)s',
                  {'task': self.name, 'id': record.id, 'reason': reason})
        utils.best_effort('mark %s as failed' % record.id,
                          _set_status, record, FAILURE)
        utils.fail_operation_log(context, operation_log, FAILURE, reason)


class CompleteRecordTask(task.Task):
    """Marks the record and its log successful."""

    def execute(self, context, record, operation_log):
        _set_status(record, SUCCESS)
        utils.update_operation_log(context, operation_log, status=SUCCESS,
                                   ended=True)


def build_flow(operation_type, context, workflow_engine, checkpoint,
               provider, record, operation_log, parameters=None,
               extra_store=None):
    """The flow of ``operation_type`` for ``record``, and its store.

    :param operation_type: ``restore`` or ``verify``; also the store key
        of the record.
    :param extra_store: more values for the store (e.g. ``restore_auth``).
    :returns: ``(flow, store)``.
    """
    title = operation_type.capitalize()
    flow = workflow_engine.build_flow('%s_%s' % (title, checkpoint.id))
    resources = resource_flow.build_resource_flow(
        operation_type, context, workflow_engine, provider.load_plugins(),
        checkpoint.resource_graph, parameters)
    rebind = {'record': operation_type}
    workflow_engine.add_tasks(
        flow,
        InitiateRecordTask(name='Initiate%sTask_%s' % (title, record.id),
                           rebind=rebind),
        resources,
        CompleteRecordTask(name='Complete%sTask_%s' % (title, record.id),
                           rebind=rebind))
    store = {'context': context, 'checkpoint': checkpoint,
             'operation_log': operation_log, operation_type: record,
             'new_resources': {}}
    store.update(extra_store or {})
    return flow, store
