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

"""The providers API: /v1/{project_id}/providers."""

from karbor.api import common
from karbor.api.v1.views import providers as views
from karbor.api import wsgi
from karbor import conf as karbor_conf
from karbor import exception
from karbor.policies import providers as policy
from karbor.services.protection import api as protection_api

CONF = karbor_conf.CONF


class ProvidersController:
    """List and show the protection providers."""

    def __init__(self):
        self.protection_api = protection_api.API()

    def index(self, req):
        context = req.context
        context.can(policy.GET_ALL_POLICY)
        params = req.GET.copy()
        marker, limit, _offset = common.get_pagination_params(params)
        # Providers come from configuration files and are listed in id
        # order; sort parameters are accepted and ignored, as upstream.
        common.get_sort_params(params)
        common.is_all_tenants(context, params)
        filters = common.get_filters(context, params,
                                     CONF.query_provider_filters)
        providers = self.protection_api.list_providers(
            context, marker=marker, limit=limit, filters=filters)
        items = [views.detail(provider) for provider in providers]
        result = {'providers': items}
        result.update(common.collection_links(req, items, 'providers',
                                              limit))
        return result

    def show(self, req, provider_id):
        context = req.context
        common.validate_uuid(provider_id, 'provider id')
        try:
            context.can(policy.GET_POLICY)
        except exception.NotAuthorized:
            raise exception.ProviderNotFound(provider_id=provider_id)
        provider = self.protection_api.show_provider(context, provider_id)
        return {'provider': views.detail(provider)}


def create_resource():
    return wsgi.Resource(ProvidersController())
