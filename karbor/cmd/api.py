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

"""karbor-api: the REST API on a small threaded server.

For production, serve ``karbor.wsgi.api:application`` with uWSGI, gunicorn
or mod_wsgi instead; this command is for development and simple set-ups.
"""

import sys

from oslo_log import log as logging

from karbor.api import app as api_app
from karbor.common import cli
from karbor.common import wsgi_server
from karbor import conf
from karbor import objects
from karbor import rpc
from karbor import service

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def main(argv=None):
    cli.parse_args(sys.argv if argv is None else argv,
                   description='Karbor REST API server.')
    signals = service.SignalCatcher()
    objects.register_all()
    rpc.init(CONF)
    server = wsgi_server.WSGIServer(api_app.setup_app(CONF),
                                    CONF.osapi_karbor_listen,
                                    CONF.osapi_karbor_listen_port,
                                    keepalive=CONF.tcp_keepalive)
    server.start()
    LOG.info('karbor-api listening on %s:%s', server.host, server.port)
    signum = signals.wait()
    LOG.info('Signal %d received, stopping', signum)
    server.stop()
    # Bounded: a call still waiting for its answer must not hold the exit.
    rpc.cleanup(timeout=rpc.SHUTDOWN_TIMEOUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
