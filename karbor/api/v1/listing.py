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

"""Listing of database-backed resources with the common query conventions."""

from karbor.api import common


def list_objects(req, list_class, allowed_filters, sort_keys):
    """Page through ``list_class`` as the query string of ``req`` asks.

    Non-admins (and admins without ``all_tenants``) see their project only.

    :param list_class: an objects ``*List`` class with ``get_all`` and
        ``get_all_by_project``.
    :param allowed_filters: the filters non-admins may use.
    :param sort_keys: the fields one may sort on.
    :returns: (objects, limit) where limit is the page size asked for.
    """
    context = req.context
    params = req.GET.copy()
    marker, limit, offset = common.get_pagination_params(params)
    keys, dirs = common.get_sort_params(params, sort_keys)
    all_tenants = common.is_all_tenants(context, params)
    filters = common.get_filters(context, params, allowed_filters)
    kwargs = dict(marker=marker, limit=limit, sort_keys=keys,
                  sort_dirs=dirs, filters=filters, offset=offset)
    if all_tenants:
        return list_class.get_all(context, **kwargs), limit
    filters.pop('project_id', None)
    return (list_class.get_all_by_project(context, context.project_id,
                                          **kwargs), limit)
