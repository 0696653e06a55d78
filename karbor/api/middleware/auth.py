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

"""Build the request context: Keystone headers or the development no-auth."""

from oslo_log import log as logging
from oslo_serialization import jsonutils
import webob.dec

from karbor.api import faults
from karbor.api import wsgi
from karbor import context
from karbor.i18n import _
from karbor import policy

LOG = logging.getLogger(__name__)

# The roles the no-auth mode grants: every persona, so that any policy
# passes as it would for a cloud administrator.
NOAUTH_ROLES = ('admin', 'member', 'reader')


def _request_id(req):
    return req.environ.get('openstack.request_id')


# Keystone's tokens (fernet, JWS) are a few hundred bytes.
MAX_TOKEN_LENGTH = 4096
_TOKEN_HEADERS = ('X-Auth-Token', 'X-Service-Token')


class TokenSizeLimit:
    """Drop token headers too long to hold a valid token.

    Goes in front of keystonemiddleware. Keystone's web server refuses a
    header over about 8 KiB, which keystonemiddleware reports to the
    caller as Keystone being unavailable (503); without the header the
    request gets keystonemiddleware's usual 401 instead, and Keystone is
    not asked.
    """

    def __init__(self, application, max_length=MAX_TOKEN_LENGTH):
        self.application = application
        self.max_length = max_length

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        for name in _TOKEN_HEADERS:
            length = len(req.headers.get(name, ''))
            if length > self.max_length:
                LOG.info('Ignoring a %(name)s header of %(length)d bytes, '
                         'more than any token (%(max)d at most)',
                         {'name': name, 'length': length,
                          'max': self.max_length})
                del req.headers[name]
        return req.get_response(self.application)


class KeystoneContext:
    """Make a RequestContext from the headers keystonemiddleware sets.

    Requests without a user identity get 401: they did not go through a
    token check.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        headers = req.headers
        user_id = headers.get('X_USER_ID') or headers.get('X_USER')
        if not user_id:
            LOG.debug('Neither X_USER_ID nor X_USER found in request')
            return faults.fault_response(
                401, _('The request has no authenticated user.'))
        project_id = (headers.get('X_PROJECT_ID') or
                      headers.get('X_TENANT_ID') or
                      headers.get('X_TENANT'))
        roles_header = headers.get('X_ROLES') or headers.get('X_ROLE', '')
        roles = [role.strip() for role in roles_header.split(',')
                 if role.strip()]
        catalog = []
        catalog_header = headers.get('X_SERVICE_CATALOG')
        if catalog_header:
            try:
                catalog = jsonutils.loads(catalog_header)
            except ValueError:
                LOG.error('Invalid X_SERVICE_CATALOG header: not JSON')
                return faults.fault_response(500, faults.GENERIC_MESSAGE)
        ctx = context.RequestContext(
            user_id=user_id,
            project_id=project_id,
            user_name=headers.get('X_USER_NAME'),
            project_name=headers.get('X_PROJECT_NAME'),
            user_domain_id=headers.get('X_USER_DOMAIN_ID'),
            project_domain_id=headers.get('X_PROJECT_DOMAIN_ID'),
            roles=roles,
            auth_token=headers.get('X_AUTH_TOKEN'),
            service_catalog=catalog,
            request_id=_request_id(req))
        # The policy rule context_is_admin decides, so an operator who
        # changes it changes who is an admin everywhere.
        ctx.is_admin = policy.check_is_admin(ctx)
        req.environ[wsgi.CONTEXT_KEY] = ctx
        return req.get_response(self.application)


class NoAuth:
    """Development authentication: the token names who is calling.

    * ``user:project`` gives an admin context (roles admin, member and
      reader) for that project, as upstream's no-auth did;
    * ``user:project:role1,role2`` gives a context with just those roles,
      so that policies can be exercised without Keystone;
    * no token at all gives an admin context for the project named in the
      URL (``/v1/<project_id>/...``).
    """

    def __init__(self, application):
        self.application = application

    @staticmethod
    def _url_project(req):
        # Mounted under /v1, PATH_INFO is /<project_id>/...; mounted at
        # the root it still starts with v1.
        parts = [p for p in req.path_info.split('/') if p]
        if parts and parts[0] == 'v1' and not req.script_name:
            parts = parts[1:]
        return parts[0] if parts else None

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        token = req.headers.get('X-Auth-Token')
        if token:
            user_id, _sep, rest = token.partition(':')
            project_id, _sep, roles_text = rest.partition(':')
            project_id = project_id or user_id
        else:
            user_id, project_id, roles_text = 'admin', None, ''
            project_id = self._url_project(req)
        roles = [r.strip() for r in roles_text.split(',') if r.strip()]
        ctx = context.RequestContext(
            user_id=user_id,
            project_id=project_id,
            roles=roles or list(NOAUTH_ROLES),
            auth_token=token,
            request_id=_request_id(req))
        ctx.is_admin = policy.check_is_admin(ctx)
        req.environ[wsgi.CONTEXT_KEY] = ctx
        return req.get_response(self.application)
