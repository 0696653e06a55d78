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

"""Running Karbor's services: an RPC server with its manager, and a clock
that reports the service's liveness to the database.
"""

import signal
import threading

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import importutils

from karbor import context
from karbor import exception
from karbor import objects
from karbor import rpc

LOG = logging.getLogger(__name__)


class RPCService:
    """One manager served on one RPC topic, registered in os-services.

    :param conf: the configuration.
    :param binary: the service's binary name, as shown in os-services.
    :param topic: the RPC topic to listen on.
    :param manager: the manager object whose public methods are the RPC
        endpoints. It may define ``init_host()`` (called before the server
        starts) and ``cleanup_host()`` (called after it stopped).

    The service is registered in os-services (and so shown ``up``) only
    once its RPC server listens: a caller that waits for the service to be
    up can send it requests.
    """

    def __init__(self, conf, binary, topic, manager):
        self.conf = conf
        self.binary = binary
        self.topic = topic
        self.manager = manager
        self._server = None
        self._service_id = None
        self._stopped = threading.Event()
        self._reporter = None

    @classmethod
    def create(cls, conf, binary, topic, manager_class_path):
        manager = importutils.import_object(manager_class_path)
        return cls(conf, binary, topic, manager)

    def start(self):
        init_host = getattr(self.manager, 'init_host', None)
        if init_host is not None:
            init_host()
        target = messaging.Target(topic=self.topic, server=self.conf.host)
        self._server = rpc.get_server(target, [self.manager])
        # The server first, the os-services row after it. start() returns
        # once the topic's queues are declared and bound on the broker;
        # until the first server of a topic has done that, RabbitMQ drops
        # every request sent to the topic (an exchange with no queue bound
        # routes nowhere) and the caller waits rpc_response_timeout for an
        # answer that cannot come. os-services shows a new row as up, so a
        # row written before the server started announced a service that
        # could not yet be reached.
        self._server.start()
        try:
            self._register()
        except Exception:
            # No server left running behind a start() that failed.
            self._server.stop()
            self._server.wait()
            self._server = None
            raise
        self._reporter = threading.Thread(target=self._report_loop,
                                          name='%s-report' % self.binary,
                                          daemon=True)
        self._reporter.start()
        LOG.info('%(binary)s is serving topic %(topic)s on host %(host)s',
                 {'binary': self.binary, 'topic': self.topic,
                  'host': self.conf.host})

    def stop(self):
        """Stop taking requests, then let the manager wind down its work."""
        self._stopped.set()
        if self._server is not None:
            self._server.stop()
            self._server.wait()
            self._server = None
        cleanup_host = getattr(self.manager, 'cleanup_host', None)
        if cleanup_host is not None:
            cleanup_host()
        if self._reporter is not None:
            self._reporter.join(timeout=5)
        LOG.info('%s stopped', self.binary)

    def _register(self):
        ctxt = context.get_admin_context()
        try:
            service = objects.Service.get_by_args(ctxt, self.conf.host,
                                                  self.binary)
        except exception.NotFound:
            service = objects.Service(
                context=ctxt, host=self.conf.host, binary=self.binary,
                topic=self.topic, report_count=0,
                disabled=not self.conf.enable_new_services)
            service.create()
        self._service_id = service.id

    def _report_loop(self):
        while not self._stopped.wait(self.conf.report_interval):
            self.report_state()

    def report_state(self):
        """Record that this service is alive; a failure is only logged."""
        ctxt = context.get_admin_context()
        try:
            service = objects.Service.get_by_id(ctxt, self._service_id)
            service.report_count += 1
            service.save()
        except Exception:
            # The database may be briefly unreachable; the service goes on
            # and os-services shows it down until the next good report.
            LOG.exception('Could not report the state of %s', self.binary)


class SignalCatcher:
    """Catch SIGINT and SIGTERM from the moment it is created.

    Create it before a service announces it is ready, so that a signal
    sent right after the announcement is caught instead of killing the
    process; then :meth:`wait` for it.
    """

    def __init__(self, signals=(signal.SIGINT, signal.SIGTERM)):
        self._event = threading.Event()
        self._received = []
        self._previous = {sig: signal.signal(sig, self._handler)
                          for sig in signals}

    def _handler(self, signum, frame):
        self._received.append(signum)
        self._event.set()

    def wait(self):
        """Block until a signal arrives; return its number.

        The previous handlers are back in place when it returns, so a
        second signal during shutdown acts as it would have before.
        """
        try:
            # A timed wait keeps the main thread responsive to signals.
            while not self._event.wait(1):
                pass
        finally:
            for sig, handler in self._previous.items():
                signal.signal(sig, handler)
        return self._received[0]
