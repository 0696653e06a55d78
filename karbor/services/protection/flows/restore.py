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

"""The restore flow: restore the resources of a checkpoint.

``InitiateRestoreTask`` -> the resource hooks -> ``CompleteRestoreTask``. The
restore and its operation log are ``in_progress`` while it runs, then
``success``; on any failure both become ``fail``, with the reason in the
log's ``error_info``.
"""

from oslo_log import log as logging
from taskflow import task

from karbor.common import constants
from karbor.services.protection.flows import utils
from karbor.services.protection import resource_flow

LOG = logging.getLogger(__name__)

IN_PROGRESS = constants.RESTORE_STATUS_IN_PROGRESS
SUCCESS = constants.RESTORE_STATUS_SUCCESS
FAILURE = constants.RESTORE_STATUS_FAILURE


def _set_status(record, status):
    record.status = status
    record.save()


class InitiateRestoreTask(task.Task):
    def execute(self, context, restore, operation_log):
        _set_status(restore, IN_PROGRESS)
        utils.update_operation_log(context, operation_log,
                                   status=IN_PROGRESS)

    def revert(self, context, restore, operation_log, flow_failures=None,
               **kwargs):
        reason = utils.failure_reason(flow_failures)
        LOG.error('Restore %(id)s failed: %(reason)s',
                  {'id': restore.id, 'reason': reason})
        utils.best_effort('mark restore %s as failed' % restore.id,
                          _set_status, restore, FAILURE)
        utils.fail_operation_log(context, operation_log, FAILURE, reason)


class CompleteRestoreTask(task.Task):
    def execute(self, context, restore, operation_log):
        _set_status(restore, SUCCESS)
        utils.update_operation_log(context, operation_log, status=SUCCESS,
                                   ended=True)


def get_flow(context, workflow_engine, checkpoint, provider, restore,
             operation_log, parameters=None,
             restore_auth=None):
    """The restore flow of ``restore`` from ``checkpoint`` and its store.

    :returns: ``(flow, store)``.
    """
    flow = workflow_engine.build_flow('Restore_%s' % checkpoint.id)
    resources = resource_flow.build_resource_flow(
        constants.OPERATION_RESTORE, context, workflow_engine,
        provider.load_plugins(), checkpoint.resource_graph, parameters)
    workflow_engine.add_tasks(
        flow,
        InitiateRestoreTask(name='InitiateRestoreTask_%s' % restore.id),
        resources,
        CompleteRestoreTask(name='CompleteRestoreTask_%s' % restore.id))
    store = {'context': context, 'checkpoint': checkpoint,
             'operation_log': operation_log, 'restore': restore,
             'new_resources': {},
             'restore_auth': restore_auth}
    return flow, store
