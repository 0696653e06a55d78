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

"""oslo.messaging set-up shared by Karbor's services and API.

``init(conf)`` creates the process's RPC transport once; clients and
servers are then built with :func:`get_client` and :func:`get_server`.
``transport_url = karbor-inprocess://`` gives an in-process bus (the
embedded default, see :mod:`karbor.common.inprocess_rpc`), ``fake://``
oslo.messaging's own (the unit tests); ``rabbit://...`` a real broker.
Servers use the threading executor: Karbor runs on native threads, never
on eventlet.

Exceptions from ``karbor.exception`` raised by a server are re-created on
the caller's side with their class, code and message. A server treats the
client errors among them (codes below 500: not found, conflict, invalid
input...) as expected answers: they are not logged as failures with a
traceback.
"""

import functools
import inspect
import threading

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_messaging.rpc import dispatcher
from oslo_messaging import transport as messaging_transport

from karbor import context as karbor_context
from karbor import exception

LOG = logging.getLogger(__name__)

ALLOWED_EXMODS = ['karbor.exception']
CONTROL_EXCHANGE = 'karbor'

TRANSPORT = None

# How long a service waits for its transport to be released when it stops
# (see cleanup()).
SHUTDOWN_TIMEOUT = 5


def set_default_transport_url(conf, url):
    """Make ``url`` the transport used unless the configuration names one.

    The embedded default (``karbor-all``) uses it for its in-process bus.
    """
    # The very option objects oslo.messaging registers itself: a copy with
    # another default would be refused later as a duplicate option.
    conf.register_opts(messaging_transport._transport_opts)
    conf.set_default('transport_url', url)


def init(conf):
    """Create the RPC transport from ``conf`` (idempotent)."""
    global TRANSPORT
    if TRANSPORT is not None:
        return
    messaging.set_transport_defaults(control_exchange=CONTROL_EXCHANGE)
    TRANSPORT = messaging.get_rpc_transport(
        conf, allowed_remote_exmods=ALLOWED_EXMODS)


def cleanup(timeout=None):
    """Release the transport; :func:`init` may be called again after.

    With ``timeout`` (seconds), wait no longer than that for it: the
    services call this on their way out after SIGTERM, and must exit
    then. oslo.messaging's RabbitMQ driver stops its reply listener (the
    thread that waits for the answers to ``call``) only between two polls
    of the broker, up to several seconds apart, and longer while it tries
    to reconnect to a broker that went away. Returns whether the transport
    was released in time; a transport left behind is abandoned (its
    threads are daemon threads), never waited for.
    """
    global TRANSPORT
    transport, TRANSPORT = TRANSPORT, None
    if transport is None:
        return True
    if timeout is None:
        transport.cleanup()
        return True

    def release():
        try:
            transport.cleanup()
        except Exception:
            LOG.exception('Could not release the RPC transport')

    releaser = threading.Thread(target=release, name='rpc-cleanup',
                                daemon=True)
    releaser.start()
    releaser.join(timeout)
    if releaser.is_alive():
        LOG.warning('The RPC transport was not released within %s s; '
                    'going on without waiting for it', timeout)
        return False
    return True


def initialized():
    return TRANSPORT is not None


def _object_serializer():
    # Imported on use: the objects package imports the DB layer, which a
    # process that only talks RPC does not otherwise need at import time.
    try:
        from karbor.objects import base as objects_base
    except ImportError:
        LOG.warning('karbor.objects is not available: RPC arguments are '
                    'sent without object serialisation')
        return messaging.NoOpSerializer()
    return objects_base.KarborObjectSerializer()


class RequestContextSerializer(messaging.Serializer):
    """Sends the request context as a dict and entities through ``base``."""

    def __init__(self, base=None):
        self._base = base

    def serialize_entity(self, context, entity):
        if self._base is None:
            return entity
        return self._base.serialize_entity(context, entity)

    def deserialize_entity(self, context, entity):
        if self._base is None:
            return entity
        return self._base.deserialize_entity(context, entity)

    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return karbor_context.RequestContext.from_dict(context)


def _serializer(serializer):
    if serializer is None:
        serializer = _object_serializer()
    return RequestContextSerializer(serializer)


def _transport():
    if TRANSPORT is None:
        raise RuntimeError('karbor.rpc.init() was not called')
    return TRANSPORT


def get_client(target, version_cap=None, serializer=None):
    """An RPC client for ``target`` (every Karbor RPC method is a call)."""
    return messaging.get_rpc_client(_transport(), target,
                                    version_cap=version_cap,
                                    serializer=_serializer(serializer))


def is_client_error(exc):
    """True for a Karbor exception that answers a bad or stale request."""
    code = getattr(exc, 'code', 500)
    return (isinstance(exc, exception.KarborException) and
            isinstance(code, int) and 400 <= code < 500)


class ClientErrorsExpected:
    """An RPC endpoint whose client errors are expected exceptions.

    oslo.messaging logs every exception an endpoint raises at ERROR with
    its traceback, unless it is wrapped in ``ExpectedException``; a
    protection service would then log a failure for every 404 or 409 the
    API answers. Everything else about the endpoint (its ``target``, its
    attributes) is the wrapped object's.
    """

    def __init__(self, endpoint):
        self._endpoint = endpoint

    def __getattr__(self, name):
        attr = getattr(self._endpoint, name)
        # Only methods: a Target is callable too.
        if name.startswith('_') or not inspect.isroutine(attr):
            return attr

        @functools.wraps(attr)
        def call(*args, **kwargs):
            try:
                return attr(*args, **kwargs)
            except exception.KarborException as e:
                if not is_client_error(e):
                    raise
                # Carries sys.exc_info(): the caller still gets the
                # original exception.
                raise dispatcher.ExpectedException()
        return call


def get_server(target, endpoints, serializer=None):
    """An RPC server (not started) dispatching to ``endpoints``.

    It runs on oslo.messaging's threading executor, its only executor once
    eventlet is gone (naming it is deprecated). Client errors the
    endpoints raise are sent back without being logged as failures (see
    :class:`ClientErrorsExpected`).
    """
    endpoints = [ClientErrorsExpected(endpoint) for endpoint in endpoints]
    return messaging.get_rpc_server(
        _transport(), target, endpoints,
        serializer=_serializer(serializer),
        access_policy=dispatcher.DefaultRPCAccessPolicy)
