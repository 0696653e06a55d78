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

"""The protect flow: take a checkpoint of a plan's resources.

``InitiateProtectTask`` -> the resource hooks -> ``CompleteProtectTask``.
The checkpoint is ``protecting`` while it runs, then ``available``; on any
failure it and its operation log become ``error``, with the reason in the
log's ``error_info``.
"""

from oslo_log import log as logging
from taskflow import task

from karbor.common import constants
from karbor.services.protection.flows import utils
from karbor.services.protection import resource_flow

LOG = logging.getLogger(__name__)

PROTECTING = constants.CHECKPOINT_STATUS_PROTECTING
AVAILABLE = constants.CHECKPOINT_STATUS_AVAILABLE
ERROR = constants.CHECKPOINT_STATUS_ERROR


class InitiateProtectTask(task.Task):
    def execute(self, context, checkpoint, operation_log):
        utils.set_checkpoint_status(checkpoint, PROTECTING)
        utils.update_operation_log(
            context, operation_log,
            status=PROTECTING)

    def revert(self, context, checkpoint, operation_log, flow_failures=None,
               **kwargs):
        reason = utils.failure_reason(flow_failures)
        LOG.error('Protecting checkpoint %(id)s failed: %(reason)s',
                  {'id': checkpoint.id, 'reason': reason})
        utils.best_effort('mark checkpoint %s as error' % checkpoint.id,
                          utils.set_checkpoint_status, checkpoint,
                          ERROR)
        utils.fail_operation_log(context, operation_log,
                                 ERROR, reason)


class CompleteProtectTask(task.Task):
    def execute(self, context, checkpoint, operation_log):
        utils.set_checkpoint_status(checkpoint, AVAILABLE)
        utils.update_operation_log(
            context, operation_log,
            status=AVAILABLE, ended=True)


def get_flow(context, workflow_engine, checkpoint, provider, operation_log,
             parameters=None):
    """The protect flow of ``checkpoint`` and its engine store.

    The checkpoint's ``resource_graph`` must already be set.

    :returns: ``(flow, store)``.
    """
    flow = workflow_engine.build_flow('Protect_%s' % checkpoint.id)
    resources = resource_flow.build_resource_flow(
        constants.OPERATION_PROTECT, context, workflow_engine,
        provider.load_plugins(), checkpoint.resource_graph, parameters)
    workflow_engine.add_tasks(
        flow,
        InitiateProtectTask(name='InitiateProtectTask_%s' % checkpoint.id),
        resources,
        CompleteProtectTask(name='CompleteProtectTask_%s' % checkpoint.id))
    store = {'context': context, 'checkpoint': checkpoint,
             'operation_log': operation_log}
    return flow, store
