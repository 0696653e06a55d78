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

"""The quotas API: /v1/{project_id}/quotas/{id}, where id is a project."""

from karbor.api import common
from karbor.api.schemas import quotas as schemas
from karbor.api import validation
from karbor.api import wsgi
from karbor.policies import quotas as policy
from karbor import quota

QUOTAS = quota.QUOTAS


def limits(quotas):
    """``{resource: limit}`` from quotas with or without usages."""
    return {resource: (value['limit'] if isinstance(value, dict)
                       else value)
            for resource, value in quotas.items()}


def limit_values(values):
    """Validated request limits as integers (strings are accepted)."""
    return {resource: int(value) for resource, value in values.items()}


class QuotasController:
    """Show, update and reset the quotas of a project."""

    def show(self, req, id):
        return self._show(req, id, usages=False)

    def detail(self, req, id):
        return self._show(req, id, usages=True)

    def defaults(self, req, id):
        context = req.context
        common.validate_uuid(id, 'project id')
        context.can(policy.GET_DEFAULT_POLICY, {'project_id': id})
        quotas = limits(QUOTAS.get_defaults(context))
        quotas['id'] = id
        return {'quota': quotas}

    @validation.schema(schemas.update)
    def update(self, req, id, body):
        context = req.context
        common.validate_uuid(id, 'project id')
        context.can(policy.UPDATE_POLICY, {'project_id': id})
        quotas = QUOTAS.update_project_quotas(context, id,
                                              limit_values(body['quota']))
        return {'quota': limits(quotas)}

    def delete(self, req, id):
        context = req.context
        common.validate_uuid(id, 'project id')
        context.can(policy.DELETE_POLICY, {'project_id': id})
        QUOTAS.destroy_project_quotas(context, id)

    @staticmethod
    def _show(req, project_id, usages):
        context = req.context
        common.validate_uuid(project_id, 'project id')
        context.can(policy.GET_POLICY, {'project_id': project_id})
        quotas = QUOTAS.get_project_quotas(context, project_id,
                                           usages=usages)
        view = (dict(quotas) if usages else limits(quotas))
        view['id'] = project_id
        return {'quota': view}


def create_resource():
    return wsgi.Resource(QuotasController())
