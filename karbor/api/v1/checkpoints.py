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

"""The checkpoints API: /v1/{project_id}/providers/{provider_id}/checkpoints.

Checkpoints live in the provider's bank, so every action goes to the
protection service; the API checks input, policy and quota.
"""

import datetime

from karbor.api import common
from karbor.api import policy_checks
from karbor.api import quota_usage
from karbor.api.schemas import checkpoints as schemas
from karbor.api.v1.views import checkpoints as views
from karbor.api import validation
from karbor.api import wsgi
from karbor.common import constants
from karbor import conf as karbor_conf
from karbor import exception
from karbor.i18n import _
from karbor import objects
from karbor.policies import providers as policy
from karbor.services.protection import api as protection_api

CONF = karbor_conf.CONF

DATE_FORMAT = '%Y-%m-%d'
_DATE_FILTERS = ('start_date', 'end_date')
# What the protection service can filter a bank listing on; other keys
# (even an admin's) would only make it fail.
_KNOWN_FILTERS = ('plan_id', 'project_id') + _DATE_FILTERS


def _parse_filters(context, params, all_tenants):
    filters = {key: value for key, value in common.get_filters(
        context, params, CONF.query_checkpoint_filters).items()
        if key in _KNOWN_FILTERS}
    # Only an admin listing all projects may narrow to one project.
    if not all_tenants:
        filters.pop('project_id', None)
    for key in _DATE_FILTERS:
        # Use the raw text: literal_eval would turn 2026-01-02 into 2023.
        if key in filters:
            value = params[key]
            try:
                filters[key] = datetime.datetime.strptime(
                    value, DATE_FORMAT).date()
            except ValueError:
                raise exception.InvalidInput(
                    reason=_('%(key)s %(value)s is not a date of the form '
                             'YYYY-MM-DD') % {'key': key, 'value': value})
    for key in ('plan_id', 'project_id'):
        if key in filters:
            filters[key] = str(params[key])
            if key == 'plan_id':
                common.validate_uuid(filters[key], key)
    return filters


class CheckpointsController:
    """List, create, show, delete and reset the state of checkpoints."""

    def __init__(self):
        self.protection_api = protection_api.API()

    def index(self, req, provider_id):
        context = req.context
        common.validate_uuid(provider_id, 'provider id')
        context.can(policy.CHECKPOINT_GET_ALL_POLICY)
        params = req.GET.copy()
        marker, limit, _offset = common.get_pagination_params(params)
        # Banks list by time; only the direction of the first sort key
        # means something.
        _keys, sort_dirs = common.get_sort_params(params)
        all_tenants = common.is_all_tenants(context, params)
        filters = _parse_filters(context, params, all_tenants)
        checkpoints = self.protection_api.list_checkpoints(
            context, provider_id, marker=marker, limit=limit,
            sort_keys=None, sort_dirs=sort_dirs[:1], filters=filters,
            all_tenants=all_tenants)
        items = [views.detail(checkpoint) for checkpoint in checkpoints]
        result = {'checkpoints': items}
        result.update(common.collection_links(req, items, 'checkpoints',
                                              limit))
        return result

    @validation.schema(schemas.create)
    def create(self, req, provider_id, body):
        context = req.context
        common.validate_uuid(provider_id, 'provider id')
        context.can(policy.CHECKPOINT_CREATE_POLICY)
        values = body['checkpoint']
        plan_id = values['plan_id']
        plan = objects.Plan.get_by_id(context, plan_id)
        # get_by_id is not project-scoped for admins, but a checkpoint is
        # always taken in the project of the URL.
        if plan.project_id != context.project_id:
            raise exception.PlanNotFound(plan_id=plan_id)
        if plan.provider_id != provider_id:
            raise exception.InvalidPlan(
                reason=_('plan %(plan)s belongs to provider %(provider)s')
                % {'plan': plan_id, 'provider': plan.provider_id})
        if not plan.resources:
            raise exception.InvalidPlan(
                reason=_('plan %s has no resources') % plan_id)

        extra_info = {'created_by': constants.CHECKPOINT_CREATED_BY_MANUAL}
        extra_info.update(values.get('extra-info') or {})
        extra_info.update(values.get('extra_info') or {})
        properties = {'status': constants.CHECKPOINT_STATUS_PROTECTING,
                      'extra_info': extra_info}
        with quota_usage.reserved(context, checkpoints=1):
            checkpoint = self.protection_api.protect(context, plan,
                                                     properties)
        return {'checkpoint': views.detail(checkpoint)}

    def show(self, req, provider_id, checkpoint_id):
        context = req.context
        checkpoint = self._get(context, provider_id, checkpoint_id,
                               policy.CHECKPOINT_GET_POLICY, hide=True)
        return {'checkpoint': views.detail(checkpoint)}

    def delete(self, req, provider_id, checkpoint_id):
        context = req.context
        checkpoint = self._get(context, provider_id, checkpoint_id,
                               policy.CHECKPOINT_DELETE_POLICY)
        self.protection_api.delete(context, provider_id, checkpoint_id)
        quota_usage.release(context, project_id=checkpoint.get('project_id'),
                            checkpoints=-1)
        return {}

    @validation.schema(schemas.reset_state)
    def update(self, req, provider_id, checkpoint_id, body):
        context = req.context
        self._get(context, provider_id, checkpoint_id,
                  policy.CHECKPOINT_UPDATE_POLICY)
        state = body['os-resetState']['state']
        self.protection_api.reset_state(context, provider_id,
                                        checkpoint_id, state)
        return {}

    def _get(self, context, provider_id, checkpoint_id, rule, hide=False):
        common.validate_uuid(provider_id, 'provider id')
        common.validate_uuid(checkpoint_id, 'checkpoint id')
        checkpoint = self.protection_api.show_checkpoint(
            context, provider_id, checkpoint_id)
        not_found = exception.CheckpointNotFound(checkpoint_id=checkpoint_id)
        policy_checks.check_object(context, rule,
                                   checkpoint.get('project_id'),
                                   hide=not_found if hide else None)
        return checkpoint


def create_resource():
    return wsgi.Resource(CheckpointsController())
