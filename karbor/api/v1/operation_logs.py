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

"""The operation logs API: /v1/{project_id}/operation_logs."""

from karbor.api import common
from karbor.api import policy_checks
from karbor.api.v1 import listing
from karbor.api.v1.views import operation_logs as views
from karbor.api import wsgi
from karbor import conf as karbor_conf
from karbor import exception
from karbor import objects
from karbor.policies import operation_logs as policy

CONF = karbor_conf.CONF

SORT_KEYS = ('id', 'operation_type', 'checkpoint_id', 'plan_id',
             'provider_id', 'restore_id', 'scheduled_operation_id',
             'status', 'started_at', 'ended_at', 'project_id', 'created_at',
             'updated_at')


class OperationLogsController:
    """List and show the logs of protection operations."""

    def index(self, req):
        req.context.can(policy.GET_ALL_POLICY)
        logs, limit = listing.list_objects(
            req, objects.OperationLogList,
            CONF.query_operation_log_filters, SORT_KEYS)
        items = [views.detail(log) for log in logs]
        result = {'operation_logs': items}
        result.update(common.collection_links(req, items, 'operation_logs',
                                              limit))
        return result

    def show(self, req, id):
        context = req.context
        common.validate_uuid(id, 'operation log id')
        log = objects.OperationLog.get_by_id(context, id)
        policy_checks.check_object(
            context, policy.GET_POLICY, log.project_id,
            hide=exception.OperationLogNotFound(operation_log_id=id))
        return {'operation_log': views.detail(log)}


def create_resource():
    return wsgi.Resource(OperationLogsController())
