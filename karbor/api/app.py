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

"""Assemble the WSGI application of the API, without paste.

The pipeline, outermost first: request id, fault wrapper, proxy headers,
body size limit, then a URL map. ``/`` answers the versions document with no
authentication; ``/v1/<project>/...`` goes through authentication (noauth
or keystone, after ``auth_strategy``) and the v1 router.
"""

from keystonemiddleware import auth_token
from oslo_middleware import http_proxy_to_wsgi
from oslo_middleware import request_id
import webob.dec

from karbor.api.middleware import auth
from karbor.api.middleware import fault
from karbor.api.middleware import sizelimit
from karbor.api.v1 import router
from karbor.api import versions
from karbor import conf as karbor_conf

CONF = karbor_conf.CONF

_V1_PREFIX = '/v1'


class URLMap:
    """Send /v1/... to the v1 application and everything else to versions.

    ``/v1`` itself (with or without the trailing slash) is the v1 version
    document and needs no token.
    """

    def __init__(self, v1_app):
        self.v1_app = v1_app

    @webob.dec.wsgify
    def __call__(self, req):
        path = req.path_info
        if path in (_V1_PREFIX, _V1_PREFIX + '/'):
            return versions.v1_version
        if path.startswith(_V1_PREFIX + '/'):
            req.path_info_pop()
            return self.v1_app
        return versions.versions


def _auth_pipeline(app, conf):
    if conf.auth_strategy == 'noauth':
        return auth.NoAuth(app)
    app = auth.KeystoneContext(app)
    app = auth_token.AuthProtocol(app, {'oslo_config_config': conf})
    return auth.TokenSizeLimit(app)


def setup_app(conf=CONF):
    """Build the API's WSGI application from the configuration."""
    app = URLMap(_auth_pipeline(router.APIRouter(), conf))
    app = sizelimit.RequestBodySizeLimiter(app, conf.max_request_body_size)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf)
    app = fault.FaultWrapper(app)
    return request_id.RequestId(app)
