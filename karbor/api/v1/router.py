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

"""The v1 URL map: every route of the API to a controller action.

Routes are a table, so a new resource (triggers, scheduled operations, the
checkpoint copy action) plugs in with a controller module offering
``create_resource()`` and a few lines in ``_ROUTES``.
"""

import routes
import routes.middleware
import webob.dec

from karbor.api import faults
from karbor.api.v1 import checkpoints
from karbor.api.v1 import copies
from karbor.api.v1 import operation_logs
from karbor.api.v1 import plans
from karbor.api.v1 import protectables
from karbor.api.v1 import providers
from karbor.api.v1 import quota_classes
from karbor.api.v1 import quotas
from karbor.api.v1 import restores
from karbor.api.v1 import services
from karbor.api.v1 import verifications
from karbor.api import wsgi
from karbor.i18n import _

_CONTROLLERS = {
    'checkpoints': checkpoints,
    'copies': copies,
    'operation_logs': operation_logs,
    'plans': plans,
    'protectables': protectables,
    'providers': providers,
    'quota_classes': quota_classes,
    'quotas': quotas,
    'restores': restores,
    'services': services,
    'verifications': verifications,
}

# (path below /v1/{project_id}, controller, {HTTP method: action}).
# A specific route is always matched before the "wrong method" fallback of
# any path, so order only matters between routes of the same shape.
_ROUTES = (
    ('/providers', 'providers', {'GET': 'index'}),
    ('/providers/{provider_id}', 'providers', {'GET': 'show'}),
    ('/providers/{provider_id}/checkpoints', 'checkpoints',
     {'GET': 'index', 'POST': 'create'}),
    ('/providers/{provider_id}/checkpoints/action', 'copies',
     {'POST': 'create'}),
    ('/providers/{provider_id}/checkpoints/{checkpoint_id}', 'checkpoints',
     {'GET': 'show', 'DELETE': 'delete', 'PUT': 'update'}),
    ('/plans', 'plans', {'GET': 'index', 'POST': 'create'}),
    ('/plans/{id}', 'plans',
     {'GET': 'show', 'PUT': 'update', 'DELETE': 'delete'}),
    ('/protectables', 'protectables', {'GET': 'index'}),
    ('/protectables/{protectable_type}', 'protectables', {'GET': 'show'}),
    ('/protectables/{protectable_type}/instances', 'protectables',
     {'GET': 'instances_index'}),
    ('/protectables/{protectable_type}/instances/{protectable_id}',
     'protectables', {'GET': 'instances_show'}),
    ('/restores', 'restores', {'GET': 'index', 'POST': 'create'}),
    ('/restores/{id}', 'restores', {'GET': 'show'}),
    ('/verifications', 'verifications', {'GET': 'index', 'POST': 'create'}),
    ('/verifications/{id}', 'verifications', {'GET': 'show'}),
    ('/operation_logs', 'operation_logs', {'GET': 'index'}),
    ('/operation_logs/{id}', 'operation_logs', {'GET': 'show'}),
    ('/quotas/{id}', 'quotas',
     {'GET': 'show', 'PUT': 'update', 'DELETE': 'delete'}),
    ('/quotas/{id}/detail', 'quotas', {'GET': 'detail'}),
    ('/quotas/{id}/defaults', 'quotas', {'GET': 'defaults'}),
    ('/quota_classes/{id}', 'quota_classes',
     {'GET': 'show', 'PUT': 'update'}),
    ('/os-services', 'services', {'GET': 'index'}),
    ('/os-services/{id}', 'services', {'PUT': 'update'}),
)

_PROJECT_PREFIX = '/{project_id}'
# Upstream's mapper accepted a format suffix (/plans.json); only JSON is
# spoken, so only .json is recognised.
_FORMAT_SUFFIX = '{.format}'
_FORMAT_REQUIREMENTS = {'format': 'json'}


class APIRouter:
    """The WSGI application of /v1: routes requests to controller actions.

    An unknown path gets 404 and a known path with a method it does not
    support 405, both with the contract's fault body.
    """

    def __init__(self, extra_routes=(), extra_controllers=None):
        controllers = dict(_CONTROLLERS, **(extra_controllers or {}))
        resources = {name: module.create_resource()
                     for name, module in controllers.items()}
        self.mapper = routes.Mapper()
        table = tuple(_ROUTES) + tuple(extra_routes)
        for path, controller, actions in table:
            for method, action in actions.items():
                self.mapper.connect(_PROJECT_PREFIX + path + _FORMAT_SUFFIX,
                                    controller=resources[controller],
                                    action=action,
                                    conditions={'method': [method]},
                                    requirements=_FORMAT_REQUIREMENTS)
        for path, _controller, actions in table:
            self.mapper.connect(_PROJECT_PREFIX + path + _FORMAT_SUFFIX,
                                controller=None,
                                allowed=','.join(sorted(actions)),
                                requirements=_FORMAT_REQUIREMENTS)
        self._app = routes.middleware.RoutesMiddleware(self._dispatch,
                                                       self.mapper)

    def __call__(self, environ, start_response):
        return self._app(environ, start_response)

    @staticmethod
    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def _dispatch(req):
        match = req.environ['wsgiorg.routing_args'][1]
        if not match:
            return faults.fault_response(
                404, _('The resource could not be found.'))
        app = match['controller']
        if app is None:
            return faults.fault_response(
                405, _('The method %s is not allowed for this resource.')
                % req.method, headers={'Allow': match['allowed']})
        return app
