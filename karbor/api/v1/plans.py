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

"""The plans API: /v1/{project_id}/plans."""

import jsonschema
from oslo_utils import uuidutils

from karbor.api import common
from karbor.api import policy_checks
from karbor.api import quota_usage
from karbor.api.schemas import plans as schemas
from karbor.api.v1 import listing
from karbor.api.v1.views import plans as views
from karbor.api import validation
from karbor.api import wsgi
from karbor.common import constants
from karbor.common import option_values
from karbor import conf as karbor_conf
from karbor import exception
from karbor.i18n import _
from karbor import objects
from karbor.policies import plans as policy
from karbor.services.protection import api as protection_api

CONF = karbor_conf.CONF

SORT_KEYS = ('id', 'name', 'description', 'status', 'provider_id',
             'project_id', 'created_at', 'updated_at')


def check_parameters(provider, parameters):
    """Check plan parameters against a provider's options schemas.

    Keys are a resource type the provider has options for, optionally
    followed by ``#<resource uuid>``; each value must satisfy that type's
    options schema and use only the options it declares. String values
    are first read as the type the schema wants, where they can be (see
    :mod:`karbor.common.option_values`).

    :returns: the parameters to store, with those values converted.
    :raises karbor.exception.InvalidInput: naming the offending key.
    """
    schemas_by_type = (provider.get('extended_info_schema') or {}).get(
        'options_schema') or {}
    checked = {}
    for key, options in parameters.items():
        resource_type, sep, resource_id = key.partition('#')
        if resource_type not in schemas_by_type:
            raise exception.InvalidInput(
                reason=_('parameters: the provider has no options for '
                         'resource type %s') % resource_type)
        if sep and not uuidutils.is_uuid_like(resource_id):
            raise exception.InvalidInput(
                reason=_('parameters: %s is not a valid resource id, '
                         'expected a UUID') % resource_id)
        options_schema = schemas_by_type[resource_type] or {}
        options = option_values.from_strings(options, options_schema)
        known = options_schema.get('properties')
        if known is not None:
            unknown = sorted(set(options) - set(known))
            if unknown:
                raise exception.InvalidInput(
                    reason=_('parameters: unknown options %(opts)s for '
                             '%(key)s') % {'opts': ', '.join(unknown),
                                           'key': key})
        try:
            jsonschema.validate(options, options_schema)
        except jsonschema.ValidationError as exc:
            raise exception.InvalidInput(
                reason=_('parameters: invalid options for %(key)s: '
                         '%(msg)s') % {'key': key, 'msg': exc.message})
        checked[key] = options
    return checked


class PlansController:
    """CRUD of protection plans."""

    def __init__(self):
        self.protection_api = protection_api.API()

    def index(self, req):
        context = req.context
        context.can(policy.GET_ALL_POLICY)
        plans, limit = listing.list_objects(
            req, objects.PlanList, CONF.query_plan_filters, SORT_KEYS)
        items = [views.detail(plan) for plan in plans]
        result = {'plans': items}
        result.update(common.collection_links(req, items, 'plans', limit))
        return result

    def show(self, req, id):
        plan = self._get(req.context, id, policy.GET_POLICY, hide=True)
        return {'plan': views.detail(plan)}

    @validation.schema(schemas.create)
    def create(self, req, body):
        context = req.context
        context.can(policy.CREATE_POLICY)
        values = body['plan']
        try:
            provider = self.protection_api.show_provider(
                context, values['provider_id'])
        except exception.ProviderNotFound:
            raise exception.InvalidInput(
                reason=_('provider %s does not exist') %
                values['provider_id'])
        parameters = check_parameters(provider, values['parameters'])

        plan = objects.Plan(
            context=context,
            name=values.get('name'),
            description=values.get('description'),
            provider_id=values['provider_id'],
            project_id=context.project_id,
            status=constants.PLAN_STATUS_SUSPENDED,
            resources=[_resource(r) for r in values['resources']],
            parameters=parameters)
        with quota_usage.reserved(context, plans=1):
            plan.create()
        return {'plan': views.detail(plan)}

    @validation.schema(schemas.update)
    def update(self, req, id, body):
        context = req.context
        plan = self._get(context, id, policy.UPDATE_POLICY)
        values = body['plan']
        # Upstream refused every update of a started plan, suspending it
        # included: once started, a plan could never change again. An
        # update that suspends it (with other changes or not) is allowed.
        if (plan.status != constants.PLAN_STATUS_SUSPENDED and
                values.get('status') != constants.PLAN_STATUS_SUSPENDED):
            raise exception.InvalidPlan(
                reason=_('a plan can only be updated while it is '
                         'suspended, or to suspend it'))
        if values.get('name') is not None:
            plan.name = values['name']
        if 'description' in values:
            plan.description = values['description']
        if values.get('status') is not None:
            plan.status = values['status']
        if 'resources' in values:
            plan.resources = [_resource(r) for r in values['resources']]
        plan.save()
        return {'plan': views.detail(plan)}

    def delete(self, req, id):
        context = req.context
        plan = self._get(context, id, policy.DELETE_POLICY)
        plan.destroy()
        quota_usage.release(context, project_id=plan.project_id,
                            plans=-1)

    @staticmethod
    def _get(context, plan_id, rule, hide=False):
        common.validate_uuid(plan_id, 'plan id')
        plan = objects.Plan.get_by_id(context, plan_id)
        not_found = exception.PlanNotFound(plan_id=plan_id)
        policy_checks.check_object(context, rule, plan.project_id,
                                   hide=not_found if hide else None)
        return plan


def _resource(resource):
    return {'id': resource['id'], 'type': resource['type'],
            'name': resource['name'],
            'extra_info': resource.get('extra_info')}


def create_resource():
    return wsgi.Resource(PlansController())
