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

"""The protectables API: /v1/{project_id}/protectables.

What kinds of resources can be protected, and which instances of a kind the
caller can see.
"""

import ast

from karbor.api import common
from karbor.api import wsgi
from karbor import conf as karbor_conf
from karbor import exception
from karbor.i18n import _
from karbor.policies import protectables as policy
from karbor.services.protection import api as protection_api

CONF = karbor_conf.CONF


def _parameters(params):
    """The ``parameters`` query argument: a dict literal, or None."""
    text = params.pop('parameters', None)
    if text is None:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError,
            RecursionError):
        value = text
    if not isinstance(value, dict):
        raise exception.InvalidInput(
            reason=_('parameters must be a dict, such as '
                     "{'key': 'value'}, not %r") % text)
    return value


def _dependent(resource):
    return {'type': resource['type'], 'id': resource['id'],
            'name': resource.get('name'),
            'extra_info': resource.get('extra_info')}


class ProtectablesController:
    """Protectable types and their instances."""

    def __init__(self):
        self.protection_api = protection_api.API()

    def index(self, req):
        context = req.context
        context.can(policy.GET_ALL_POLICY)
        types = self.protection_api.list_protectable_types(context)
        return {'protectable_type': list(types)}

    def show(self, req, protectable_type):
        context = req.context
        context.can(policy.GET_POLICY)
        self._check_type(context, protectable_type)
        info = self.protection_api.show_protectable_type(context,
                                                         protectable_type)
        return {'protectable_type': {
            'name': info.get('name', protectable_type),
            'dependent_types': list(info.get('dependent_types') or []),
        }}

    def instances_index(self, req, protectable_type):
        context = req.context
        context.can(policy.INSTANCES_GET_ALL_POLICY)
        params = req.GET.copy()
        parameters = _parameters(params)
        marker, limit, _offset = common.get_pagination_params(
            params, uuid_marker=False)
        sort_keys, sort_dirs = common.get_sort_params(params)
        filters = common.get_filters(context, params,
                                     CONF.query_instance_filters)
        self._check_type(context, protectable_type)
        instances = self.protection_api.list_protectable_instances(
            context, protectable_type, marker=marker, limit=limit,
            sort_keys=sort_keys, sort_dirs=sort_dirs, filters=filters,
            parameters=parameters)
        items = [self._with_dependents(context, protectable_type, instance)
                 for instance in instances]
        result = {'instances': items}
        result.update(common.collection_links(req, items, 'instances',
                                              limit))
        return result

    def instances_show(self, req, protectable_type, protectable_id):
        context = req.context
        context.can(policy.INSTANCES_GET_POLICY)
        params = req.GET.copy()
        parameters = _parameters(params)
        self._check_type(context, protectable_type)
        instance = self.protection_api.show_protectable_instance(
            context, protectable_type, protectable_id,
            parameters=parameters)
        if not instance:
            raise exception.ProtectableResourceNotFound(
                resource_id=protectable_id, resource_type=protectable_type,
                reason=_('no such instance'))
        return {'instance': self._with_dependents(context, protectable_type,
                                                  instance)}

    def _check_type(self, context, protectable_type):
        types = self.protection_api.list_protectable_types(context)
        if protectable_type not in types:
            raise exception.ProtectableTypeNotFound(
                protectable_type=protectable_type)

    def _with_dependents(self, context, protectable_type, instance):
        instance_type = instance.get('type') or protectable_type
        dependents = self.protection_api.list_protectable_dependents(
            context, instance['id'], instance_type, instance.get('name'))
        return {
            'id': instance['id'],
            'type': instance_type,
            'name': instance.get('name'),
            'extra_info': instance.get('extra_info'),
            'dependent_resources': [_dependent(d) for d in dependents],
        }


def create_resource():
    return wsgi.Resource(ProtectablesController())
