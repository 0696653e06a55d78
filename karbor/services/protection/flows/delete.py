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

"""The delete flow: remove a checkpoint's backups, then the checkpoint.

``InitiateDeleteTask`` -> the resource hooks -> ``CompleteDeleteTask``.
The checkpoint is ``deleting`` while it runs, then ``deleted``; on any
failure it and its operation log become ``error-deleting``, with the reason
in the log's ``error_info``.
"""

from oslo_log import log as logging
from taskflow import task

from karbor.common import constants
from karbor.services.protection.flows import utils
from karbor.services.protection import resource_flow

LOG = logging.getLogger(__name__)

DELETING = constants.CHECKPOINT_STATUS_DELETING
DELETED = constants.CHECKPOINT_STATUS_DELETED
ERROR_DELETING = constants.CHECKPOINT_STATUS_ERROR_DELETING


class InitiateDeleteTask(task.Task):
    def execute(self, context, checkpoint, operation_log):
        utils.set_checkpoint_status(checkpoint, DELETING)
        utils.update_operation_log(context, operation_log,
                                   status=DELETING)

    def revert(self, context, checkpoint, operation_log, flow_failures=None,
               **kwargs):
        reason = utils.failure_reason(flow_failures)
        LOG.error('Deleting checkpoint %(id)s failed: %(reason)s',
                  {'id': checkpoint.id, 'reason': reason})
        status = constants.CHECKPOINT_STATUS_ERROR_DELETING
        utils.best_effort(
            'mark checkpoint %s as %s' % (checkpoint.id, status),
            utils.set_checkpoint_status, checkpoint, status)
        utils.fail_operation_log(context, operation_log, status, reason)


class CompleteDeleteTask(task.Task):
    def execute(self, context, checkpoint, operation_log):
        # Sets the status to deleted and drops the checkpoint's index keys.
        checkpoint.delete()
        utils.update_operation_log(context, operation_log,
                                   status=DELETED,
                                   ended=True)


def get_flow(context, workflow_engine, checkpoint, provider, operation_log):
    """The delete flow of ``checkpoint`` and its engine store.

    :returns: ``(flow, store)``.
    """
    flow = workflow_engine.build_flow('Delete_Checkpoint_%s' % checkpoint.id)
    resources = resource_flow.build_resource_flow(
        constants.OPERATION_DELETE, context, workflow_engine,
        provider.load_plugins(), checkpoint.resource_graph, None)
    workflow_engine.add_tasks(
        flow,
        InitiateDeleteTask(name='InitiateDeleteTask_%s' % checkpoint.id),
        resources,
        CompleteDeleteTask(name='CompleteDeleteTask_%s' % checkpoint.id))
    store = {'context': context, 'checkpoint': checkpoint,
             'operation_log': operation_log}
    return flow, store
