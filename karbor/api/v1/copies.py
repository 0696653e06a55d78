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

"""The checkpoint copy action.

``POST /v1/{project_id}/providers/{provider_id}/checkpoints/action`` with a
``copy`` body copies the plan's uncopied checkpoints to one of the
provider's copy destinations. The API checks the body, the policy and the
plan; the protection service checks the destination, the plugins, what is
left to copy and the quota, and only then creates anything.
"""

import uuid

from karbor.api import common
from karbor.api.schemas import copies as schemas
from karbor.api.v1.views import copies as views
from karbor.api import validation
from karbor.api import wsgi
from karbor import exception
from karbor.i18n import _
from karbor import objects
from karbor.policies import copies as policy
from karbor.services.protection import api as protection_api


def _same_id(first, second):
    # UUID-like ids may differ in case or dashes and still name the same
    # provider.
    try:
        return uuid.UUID(first) == uuid.UUID(second)
    except (TypeError, ValueError):
        return first == second


def _request_values(body, provider_id):
    """The request's item, whichever form the body has."""
    values = body['copy']
    if isinstance(values, list):
        # The schema allows exactly one item.
        values = values[0]
        item_provider = values.get('provider_id')
        if item_provider is not None and not _same_id(item_provider,
                                                      provider_id):
            raise exception.InvalidInput(
                reason=_('provider_id %(item)s of the copy request is not '
                         'the provider %(url)s of the URL') %
                {'item': item_provider, 'url': provider_id})
    return values


class CopiesController:
    """Copy the checkpoints of a plan to a copy destination."""

    def __init__(self):
        self.protection_api = protection_api.API()

    @validation.schema(schemas.create)
    def create(self, req, provider_id, body):
        """Start copying; answer with the request id to poll and the pairs.

        The ``id`` of the answer is an operation log
        (``GET /operation_logs/{id}``) that follows the whole request.
        """
        context = req.context
        context.can(policy.CREATE_POLICY)
        common.validate_uuid(provider_id, 'provider id')
        values = _request_values(body, provider_id)
        plan_id = values['plan_id']
        parameters = values.get('parameters') or {}
        destination = values.get('destination')

        plan = objects.Plan.get_by_id(context, plan_id)
        # get_by_id is not project-scoped for admins, but a copy is always
        # made in the project of the URL.
        if plan.project_id != context.project_id:
            raise exception.PlanNotFound(plan_id=plan_id)
        if not _same_id(plan.provider_id, provider_id):
            raise exception.InvalidPlan(
                reason=_('plan %(plan)s belongs to provider %(provider)s')
                % {'plan': plan_id, 'provider': plan.provider_id})

        result = self.protection_api.copy(context, plan,
                                          destination=destination,
                                          parameters=parameters)
        return {'copy': views.detail(result, context.project_id,
                                     provider_id, plan_id)}


def create_resource():
    return wsgi.Resource(CopiesController())
