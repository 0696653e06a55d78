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

"""The verify flow: verify the resources of a checkpoint.

``InitiateVerifyTask`` -> the resource hooks -> ``CompleteVerifyTask``. The
verification and its operation log are ``in_progress`` while it runs, then
``success``; on any failure both become ``fail``, with the reason in the
log's ``error_info``.
"""

from oslo_log import log as logging
from taskflow import task

from karbor.common import constants
from karbor.services.protection.flows import utils
from karbor.services.protection import resource_flow

LOG = logging.getLogger(__name__)

IN_PROGRESS = constants.VERIFICATION_STATUS_IN_PROGRESS
SUCCESS = constants.VERIFICATION_STATUS_SUCCESS
FAILURE = constants.VERIFICATION_STATUS_FAILURE


def _set_status(record, status):
    record.status = status
    record.save()


class InitiateVerifyTask(task.Task):
    def execute(self, context, verify, operation_log):
        _set_status(verify, IN_PROGRESS)
        utils.update_operation_log(context, operation_log,
                                   status=IN_PROGRESS)

    def revert(self, context, verify, operation_log, flow_failures=None,
               **kwargs):
        reason = utils.failure_reason(flow_failures)
        LOG.error('Verify %(id)s failed: %(reason)s',
                  {'id': verify.id, 'reason': reason})
        utils.best_effort('mark verification %s as failed' % verify.id,
                          _set_status, verify, FAILURE)
        utils.fail_operation_log(context, operation_log, FAILURE, reason)


class CompleteVerifyTask(task.Task):
    def execute(self, context, verify, operation_log):
        _set_status(verify, SUCCESS)
        utils.update_operation_log(context, operation_log, status=SUCCESS,
                                   ended=True)


def get_flow(context, workflow_engine, checkpoint, provider, verify,
             operation_log, parameters=None):
    """The verify flow of ``verify`` from ``checkpoint`` and its store.

    :returns: ``(flow, store)``.
    """
    flow = workflow_engine.build_flow('Verify_%s' % checkpoint.id)
    resources = resource_flow.build_resource_flow(
        constants.OPERATION_VERIFY, context, workflow_engine,
        provider.load_plugins(), checkpoint.resource_graph, parameters)
    workflow_engine.add_tasks(
        flow,
        InitiateVerifyTask(name='InitiateVerifyTask_%s' % verify.id),
        resources,
        CompleteVerifyTask(name='CompleteVerifyTask_%s' % verify.id))
    store = {'context': context, 'checkpoint': checkpoint,
             'operation_log': operation_log, 'verify': verify,
             'new_resources': {}}
    return flow, store
