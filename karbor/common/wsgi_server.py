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

"""A small threaded WSGI server for karbor-api and karbor-all.

Production deployments run ``karbor.wsgi.api:application`` under uWSGI,
gunicorn or mod_wsgi. This server exists so that one command can run the
API on a laptop or in a test without any of those; it uses only the
standard library and one thread per connection.
"""

import socket
import socketserver
import threading
from wsgiref import simple_server

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class _QuietHandler(simple_server.WSGIRequestHandler):
    """Log requests through oslo.log instead of writing to stderr."""

    def log_message(self, format, *args):
        LOG.debug('%s - %s', self.address_string(), format % args)

    def address_string(self):
        return self.client_address[0]


class _ThreadingWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    # A listen backlog large enough for a benchmark client with many
    # connections.
    request_queue_size = 128

    def __init__(self, address, handler, keepalive=None):
        self._keepalive = keepalive
        family = socket.AF_INET6 if ':' in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, handler)

    def server_bind(self):
        super().server_bind()
        if self._keepalive:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)


class WSGIServer:
    """Serve one WSGI application on one address from a thread."""

    def __init__(self, app, host, port, keepalive=True):
        self._server = simple_server.make_server(
            host, port, app,
            server_class=lambda addr, handler: _ThreadingWSGIServer(
                addr, handler, keepalive=keepalive),
            handler_class=_QuietHandler)
        self._thread = None

    @property
    def host(self):
        return self._server.server_address[0]

    @property
    def port(self):
        """The bound port: useful when 0 asked for any free port."""
        return self._server.server_address[1]

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='wsgi-server', daemon=True)
        self._thread.start()

    def stop(self):
        """Stop accepting requests; requests in progress may finish."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
