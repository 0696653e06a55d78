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

"""The services API: /v1/{project_id}/os-services (administrators only)."""

from karbor.api.schemas import services as schemas
from karbor.api.v1.views import services as views
from karbor.api import validation
from karbor.api import wsgi
from karbor.common import constants
from karbor import exception
from karbor.i18n import _
from karbor import objects
from karbor.policies import services as policy

# Only the operation engine may be switched off: it is the one service
# whose work (scheduled operations) can be moved to its peers.
UPDATABLE_BINARIES = (constants.BINARY_OPERATIONENGINE,)


def _service_id(value):
    try:
        return int(value)
    except ValueError:
        raise exception.InvalidInput(
            reason=_('service id must be an integer, not %s') % value)


class ServicesController:
    """List Karbor's services and enable or disable them."""

    def index(self, req):
        context = req.context
        context.can(policy.GET_ALL_POLICY)
        filters = {key: req.GET[key] for key in ('host', 'binary')
                   if req.GET.get(key)}
        services = objects.ServiceList.get_all(context, filters=filters)
        return {'services': [views.detail(s) for s in services]}

    @validation.schema(schemas.update)
    def update(self, req, id, body):
        context = req.context
        context.can(policy.UPDATE_POLICY)
        service_id = _service_id(id)
        disabled = body['status'] == 'disabled'
        reason = body.get('disabled_reason')
        if reason and not disabled:
            raise exception.InvalidInput(
                reason=_('disabled_reason is only allowed when disabling '
                         'a service'))
        service = objects.Service.get_by_id(context, service_id)
        if service.binary not in UPDATABLE_BINARIES:
            raise exception.InvalidInput(
                reason=_('only %(allowed)s services can be updated, not '
                         '%(binary)s') %
                {'allowed': ', '.join(UPDATABLE_BINARIES),
                 'binary': service.binary})
        service.disabled = disabled
        service.disabled_reason = reason if disabled else None
        service.save()
        return {'service': views.detail(service)}


def create_resource():
    return wsgi.Resource(ServicesController())
