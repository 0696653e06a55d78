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

"""The copy flow: copy one checkpoint to a copy destination.

One flow per source checkpoint, each on its own engine, so one failing
copy never reverts another::

    InitiateCopyTask_<copy id>     copy -> copying, log -> copying
    <copy id>_ResourceGraphFlow_copy
                                   each plugin's copy hooks, in the order
                                   of the source's stored resource graph
    CompleteCopyTask_<copy id>     verify, copy -> available (copy_status
                                   finished), log -> success

On any failure ``InitiateCopyTask`` reverts: the copy checkpoint, its
``checkpoint_copies`` row and its operation log become ``error``, with the
reason in the log. The source checkpoint is only read. Running the flow
again on the same copy (a retry, or a resume after a restart) is safe:
the movers skip what already arrived.
"""

import functools

from oslo_log import log as logging
from taskflow import task

from karbor.common import constants
from karbor import exception
from karbor import objects
from karbor.services.protection.flows import copy_progress
from karbor.services.protection.flows import copy_request
from karbor.services.protection.flows import utils
from karbor.services.protection import graph
from karbor.services.protection import resource_flow

LOG = logging.getLogger(__name__)

COPYING = constants.CHECKPOINT_STATUS_COPYING
AVAILABLE = constants.CHECKPOINT_STATUS_AVAILABLE
ERROR = constants.CHECKPOINT_STATUS_ERROR
FINISHED = constants.CHECKPOINT_STATUS_COPY_FINISHED


def set_copy_state(checkpoint_copy, status, copy_status):
    """Set a copy checkpoint's status and its copy_status marker."""
    checkpoint_copy.status = status
    checkpoint_copy.set_copy_status(copy_status)
    checkpoint_copy.commit()


def set_record_status(copy_record, status):
    copy_record.status = status
    copy_record.save()


def fail_copy(context, checkpoint_copy, copy_record, operation_log, reason):
    """Put a copy, its row and its log in ``error``, each best effort."""
    if checkpoint_copy is not None:
        utils.best_effort('mark copy %s as error' % checkpoint_copy.id,
                          set_copy_state, checkpoint_copy, ERROR, ERROR)
    if copy_record is not None:
        utils.best_effort('mark copy record %s as error' % copy_record.id,
                          set_record_status, copy_record, ERROR)
    if operation_log is not None:
        utils.fail_operation_log(context, operation_log, ERROR, reason)
    if copy_record is not None:
        copy_request.refresh(context, copy_record.request_id)


class InitiateCopyTask(task.Task):
    def execute(self, context, checkpoint_copy, operation_log, copy_record):
        set_copy_state(checkpoint_copy, COPYING, COPYING)
        copy_request.update(
            context, copy_record.request_id,
            functools.partial(set_record_status, copy_record, COPYING),
            functools.partial(utils.update_operation_log, context,
                              operation_log, status=COPYING))

    def revert(self, context, checkpoint_copy, operation_log, copy_record,
               flow_failures=None, **kwargs):
        reason = utils.failure_reason(flow_failures)
        LOG.error('Copying checkpoint %(source)s to %(copy)s failed: '
                  '%(reason)s', {'source': copy_record.source_checkpoint_id,
                                 'copy': checkpoint_copy.id,
                                 'reason': reason})
        fail_copy(context, checkpoint_copy, copy_record, operation_log,
                  reason)


def check_copy(checkpoint, checkpoint_copy, verified=()):
    """Check that every resource's data of the source is in the copy.

    A safety net under plugins' copy operations, whatever they do: it
    lists both sides' keys. Resources in ``verified`` are not listed: the
    bank mover copied their sections whole and checked each object's
    checksum (listing 20,000 objects twice was a tenth of their copy).

    :param verified: ids of resources whose sections arrived verified.
    :raises karbor.exception.CopyFailed: naming the first resource whose
        objects are missing at the destination.
    """
    seen = set(verified)
    for node in graph.iter_graph_nodes(checkpoint.resource_graph or []):
        resource_id = node.value.id
        if resource_id in seen:
            continue
        seen.add(resource_id)
        source_keys = set(checkpoint.get_resource_bank_section(
            resource_id).list_objects())
        if not source_keys:
            continue
        copied = set(checkpoint_copy.get_resource_bank_section(
            resource_id).list_objects())
        missing = source_keys - copied
        if missing:
            raise exception.CopyFailed(
                checkpoint_id=checkpoint.id,
                destination=(checkpoint_copy.copy_of or {}).get(
                    'destination'),
                reason='%d object(s) of resource %s are missing in the '
                       'copy, for instance %s' % (
                           len(missing), resource_id, sorted(missing)[0]))


class CompleteCopyTask(task.Task):
    def execute(self, context, checkpoint, checkpoint_copy, operation_log,
                copy_record, copy_progress, earlier_attempts):
        check_copy(checkpoint, checkpoint_copy,
                   verified=copy_progress.verified_sections())
        if earlier_attempts:
            # A resumed or retried copy may have been cut short before:
            # free what those writes left (an object store's unfinished
            # uploads). A first attempt that got here left nothing, and
            # looking costs a walk of the whole copy.
            checkpoint_copy.delete_leftovers(context=context)
        # The final counters go with the end of the copy: one write of
        # its index and one transaction for its row and both logs.
        totals = copy_progress.totals()
        checkpoint_copy.copy_progress = totals
        set_copy_state(checkpoint_copy, AVAILABLE, FINISHED)
        operation_log.set_progress(save=False, **totals)
        copy_request.update(
            context, copy_record.request_id,
            functools.partial(set_record_status, copy_record, AVAILABLE),
            functools.partial(
                utils.update_operation_log, context, operation_log,
                status=constants.OPERATION_LOG_STATUS_SUCCESS, ended=True),
            progress=(operation_log.id, totals))


class ForgetCopyTask(task.Task):
    """Drop a deleted copy's row, so its source can be copied again.

    Appended to the delete flow of a copy checkpoint.
    """

    def __init__(self, copy_id, **kwargs):
        super().__init__(name='ForgetCopyTask_%s' % copy_id, **kwargs)
        self._copy_id = copy_id

    def execute(self, context):
        try:
            objects.CheckpointCopy.get_by_id(
                context.elevated(), self._copy_id).destroy()
        except exception.CheckpointCopyNotFound:
            pass


def get_flow(context, workflow_engine, checkpoint, checkpoint_copy,
             provider, copy_record, operation_log, parameters=None,
             earlier_attempts=True):
    """The flow copying ``checkpoint`` into ``checkpoint_copy``.

    :param checkpoint: the source checkpoint (main bank).
    :param checkpoint_copy: the copy checkpoint (destination bank).
    :param provider: the provider, for its plugins.
    :param copy_record: the copy's ``CheckpointCopy`` object.
    :param operation_log: the copy's own operation log.
    :param parameters: the request's ``{"Type" or "Type#id": {...}}``.
    :param earlier_attempts: False only for a new copy, which no earlier
        attempt (a failed one, one cut short by a restart) can have
        written to: then there are no leftovers to look for at its end.
    :returns: ``(flow, store)``.
    """
    copy_id = checkpoint_copy.id
    flow = workflow_engine.build_flow('Copy_%s' % copy_id)
    # The source's stored graph: the copy is of what was protected, not of
    # the plan as it is today.
    resources = resource_flow.build_resource_flow(
        constants.OPERATION_COPY, context, workflow_engine,
        provider.load_plugins(), checkpoint.resource_graph, parameters,
        name_prefix='%s_' % copy_id)
    workflow_engine.add_tasks(
        flow,
        InitiateCopyTask(name='InitiateCopyTask_%s' % copy_id),
        resources,
        CompleteCopyTask(name='CompleteCopyTask_%s' % copy_id))
    request_id = copy_record.request_id
    progress = copy_progress.CopyProgress(
        checkpoint_copy=checkpoint_copy, operation_log=operation_log,
        on_flush=lambda totals: copy_request.report_progress(
            context, request_id, operation_log.id, totals))
    store = {'context': context, 'checkpoint': checkpoint,
             'checkpoint_copy': checkpoint_copy,
             'operation_log': operation_log, 'copy_record': copy_record,
             'copy_progress': progress,
             'earlier_attempts': earlier_attempts}
    return flow, store
