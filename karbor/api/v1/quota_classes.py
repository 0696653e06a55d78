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

"""The quota classes API: /v1/{project_id}/quota_classes/{id}."""

from karbor.api.schemas import quotas as schemas
from karbor.api.v1 import quotas
from karbor.api import validation
from karbor.api import wsgi
from karbor.policies import quota_classes as policy
from karbor import quota

QUOTAS = quota.QUOTAS


class QuotaClassesController:
    """Show and update the limits of a quota class."""

    def show(self, req, id):
        context = req.context
        context.can(policy.GET_POLICY)
        view = quotas.limits(QUOTAS.get_class_quotas(context, id))
        view['id'] = id
        return {'quota_class': view}

    @validation.schema(schemas.update_class)
    def update(self, req, id, body):
        context = req.context
        context.can(policy.UPDATE_POLICY)
        values = quotas.limit_values(body['quota_class'])
        return {'quota_class': quotas.limits(
            QUOTAS.update_class_quotas(context, id, values))}


def create_resource():
    return wsgi.Resource(QuotaClassesController())
