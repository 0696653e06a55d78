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

"""Error bodies of the REST API.

Every error the API answers with has the body
``{"<faultName>": {"code": <int>, "message": "<text>"}}``, the format
python-karborclient reads. This module turns exceptions into such responses;
the Resource and the fault-wrapper middleware both use it.
"""

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_serialization import jsonutils
import webob
import webob.exc

from karbor import exception
from karbor.i18n import _

LOG = logging.getLogger(__name__)

_FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}
_DEFAULT_FAULT_NAME = 'computeFault'

GENERIC_MESSAGE = _('The server has either erred or is incapable of '
                    'performing the requested operation.')


def fault_name(code):
    """The fault name of an HTTP status code."""
    return _FAULT_NAMES.get(code, _DEFAULT_FAULT_NAME)


def fault_response(code, message, headers=None):
    """A webob response carrying the contract's fault body."""
    body = {fault_name(code): {'code': code, 'message': str(message)}}
    response = webob.Response(status=code,
                              content_type='application/json',
                              charset='UTF-8')
    response.text = jsonutils.dumps(body)
    for name, value in (headers or {}).items():
        response.headers[name] = str(value)
    return response


def _http_error_message(exc):
    # webob fills ``detail`` with what the raiser passed and
    # ``explanation`` with a canned text; the first is more useful.
    return exc.detail or exc.explanation or exc.title


def _error_headers(exc):
    headers = {}
    for name in ('Allow', 'Retry-After', 'WWW-Authenticate'):
        if name in exc.headers:
            headers[name] = exc.headers[name]
    return headers


def from_exception(exc):
    """Turn any exception into a fault response.

    Karbor exceptions keep their code; their message is shown only when the
    class says it is safe, because others may carry internal details (hosts,
    paths, driver errors). webob HTTP errors keep their code and detail. An
    RPC timeout is 503: the protection service is down or overloaded.
    Anything else is a bug: it is logged with its traceback and answered
    with a generic 500.
    """
    if isinstance(exc, exception.KarborException):
        code = exc.code if isinstance(exc.code, int) else 500
        if code < 400 or code > 599:
            code = 500
        if code >= 500:
            LOG.error('Request failed: %s', exc, exc_info=exc)
        else:
            # exc.msg, not exc: an exception re-created from an RPC reply
            # prints the remote traceback too, noise for a refusal.
            LOG.info('Request refused with %(code)s: %(msg)s',
                     {'code': code, 'msg': exc.msg})
        message = exc.msg if exc.safe else GENERIC_MESSAGE
        return fault_response(code, message, getattr(exc, 'headers', None))
    if isinstance(exc, webob.exc.HTTPException):
        code = exc.code
        if code < 400:
            # Redirects and successes raised as exceptions are responses.
            return exc
        LOG.info('Request refused with %(code)s: %(msg)s',
                 {'code': code, 'msg': _http_error_message(exc)})
        return fault_response(code, _http_error_message(exc),
                              _error_headers(exc))
    if isinstance(exc, messaging.MessagingTimeout):
        LOG.error('The protection service did not answer: %s', exc)
        return fault_response(503, _('The protection service did not '
                                     'answer in time; try again later.'))
    LOG.error('Unexpected error while handling a request', exc_info=exc)
    return fault_response(500, GENERIC_MESSAGE)
