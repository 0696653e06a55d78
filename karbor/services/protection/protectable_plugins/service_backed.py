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

"""Base of the protectables whose resources live in another service.

Listing servers, volumes, images... needs a client of that service. This
tree does not ship those clients yet, so these plugins report clearly that
the service is not configured instead of failing with an obscure error. As
parents of other types they contribute no dependent resources while their
service is not configured, so a project plan still builds its graph on the
embedded default.
"""

from oslo_config import cfg
from oslo_log import log as logging

from karbor import conf as karbor_conf
from karbor import exception
from karbor.services.protection import protectable_plugin

LOG = logging.getLogger(__name__)


class ServiceProtectablePlugin(protectable_plugin.ProtectablePlugin):
    """A protectable backed by an OpenStack (or Kubernetes) service.

    Subclasses set ``RESOURCE_TYPE``, ``PARENT_TYPES``, ``SERVICE`` (the
    short name of the service, which names its ``[<service>_client]``
    option group) and ``CATALOG_TYPES`` (its service-catalog types).
    """

    RESOURCE_TYPE = None
    PARENT_TYPES = ()
    SERVICE = None
    CATALOG_TYPES = ()

    def get_resource_type(self):
        return self.RESOURCE_TYPE

    def get_parent_resource_types(self):
        return self.PARENT_TYPES

    @property
    def _group(self):
        return '%s_client' % self.SERVICE

    def is_service_configured(self, context):
        """Whether an endpoint of the service is configured or cataloged."""
        conf = self._conf or karbor_conf.CONF
        try:
            if conf[self._group]['%s_endpoint' % self.SERVICE]:
                return True
        except (cfg.NoSuchOptError, cfg.NoSuchGroupError, KeyError):
            pass
        catalog = getattr(context, 'service_catalog', None) or []
        return any(entry.get('type') in self.CATALOG_TYPES
                   for entry in catalog)

    def _unavailable(self, context):
        if self.is_service_configured(context):
            reason = ('the %(svc)s service is configured in [%(group)s] but '
                      'this Karbor has no %(svc)s client to reach it')
        else:
            reason = ('no %(svc)s endpoint: set [%(group)s] '
                      '%(svc)s_endpoint or register the service in the '
                      'catalog')
        return exception.ProtectableServiceNotConfigured(
            type=self.RESOURCE_TYPE,
            reason=reason % {'svc': self.SERVICE, 'group': self._group})

    def list_resources(self, context, parameters=None):
        raise self._unavailable(context)

    def show_resource(self, context, resource_id, parameters=None):
        raise self._unavailable(context)

    def get_dependent_resources(self, context, parent_resource):
        if not self.is_service_configured(context):
            return []
        raise self._unavailable(context)
