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

"""Dispatch of routed requests to controller methods.

A ``Resource`` wraps one controller. For every request routed to it, it
checks that the project in the URL is the caller's, decodes the JSON body,
calls the controller action with the path variables, and turns the result
or the error into a response.
"""

import inspect

from oslo_log import log as logging
from oslo_serialization import jsonutils
import webob
import webob.dec
import webob.exc

from karbor.api import faults
from karbor import exception
from karbor.i18n import _

LOG = logging.getLogger(__name__)

#: The WSGI environment key under which the auth middleware stores the
#: karbor.context.RequestContext of the request.
CONTEXT_KEY = 'karbor.context'

_ROUTING_KEYS = ('controller', 'action', 'format')


class Request(webob.Request):
    """A webob request that knows its Karbor context."""

    @property
    def context(self):
        return self.environ.get(CONTEXT_KEY)


def _is_json(content_type):
    # No content type is tolerated: curl users often forget it, and the
    # body is parsed as JSON anyway.
    return (not content_type or content_type == 'application/json' or
            content_type.endswith('+json'))


def decode_body(req):
    """The JSON document of the request body, or None without a body.

    :raises webob.exc.HTTPUnsupportedMediaType: not a JSON body.
    :raises karbor.exception.MalformedRequestBody: not valid JSON.
    """
    body = req.body
    if not body:
        return None
    if not _is_json(req.content_type):
        raise webob.exc.HTTPUnsupportedMediaType(
            detail=_('Unsupported content type %s: the API only accepts '
                     'application/json.') % req.content_type)
    try:
        return jsonutils.loads(body)
    except (ValueError, RecursionError) as exc:
        raise exception.MalformedRequestBody(
            reason=_('the body is not valid JSON (%s)') % exc)


def json_response(result):
    """A 200 response: the JSON of ``result``, empty for None."""
    response = webob.Response(status=200, charset='UTF-8',
                              content_type='application/json')
    if result is None:
        response.body = b''
    else:
        response.text = jsonutils.dumps(result)
    return response


class Resource:
    """The WSGI application of one controller.

    The router stores the action name and the path variables in the
    request's routing arguments. An action is a controller method called as
    ``method(req, **path_variables)``; when its signature has a ``body``
    parameter, the decoded JSON body is passed as ``body`` and a request
    without body is refused unless the parameter has a default. The action
    returns a dict (answered as JSON with 200), None (200, empty body) or a
    webob response.
    """

    def __init__(self, controller):
        self.controller = controller

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        try:
            response = self._dispatch(req)
        except Exception as exc:
            response = faults.from_exception(exc)
        context = req.context
        if context is not None and context.request_id:
            response.headers['x-compute-request-id'] = context.request_id
        return response

    def _dispatch(self, req):
        args = dict(req.urlvars)
        action = args.pop('action')
        for key in _ROUTING_KEYS:
            args.pop(key, None)
        self._check_project(req, args.pop('project_id', None))

        method = getattr(self.controller, action)
        params = inspect.signature(method).parameters
        if 'body' in params:
            body = decode_body(req)
            if body is None and (params['body'].default is
                                 inspect.Parameter.empty):
                raise exception.MalformedRequestBody(
                    reason=_('this request needs a JSON body'))
            args['body'] = body

        result = method(req, **args)
        if isinstance(result, webob.Response):
            return result
        return json_response(result)

    @staticmethod
    def _check_project(req, project_id):
        context = req.context
        if context is None:
            raise webob.exc.HTTPUnauthorized()
        if project_id is not None and project_id != context.project_id:
            # Admins included: the project of a URL is always the
            # caller's; other projects are reached with filters.
            raise exception.MalformedRequestUrl(
                reason=_('project %(url)s in the URL is not the project '
                         'of the token') % {'url': project_id})
