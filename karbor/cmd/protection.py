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

"""karbor-protection: the protection service (RPC server)."""

import sys

from oslo_log import log as logging

from karbor.common import cli
from karbor.common import constants
from karbor import conf
from karbor import objects
from karbor import rpc
from karbor import service

CONF = conf.CONF
LOG = logging.getLogger(__name__)


def main(argv=None):
    cli.parse_args(sys.argv if argv is None else argv,
                   description='Karbor protection service.')
    signals = service.SignalCatcher()
    objects.register_all()
    rpc.init(CONF)
    protection = service.RPCService.create(
        CONF, constants.BINARY_PROTECTION, CONF.protection_topic,
        CONF.protection_manager)
    protection.start()
    signum = signals.wait()
    LOG.info('Signal %d received, stopping', signum)
    protection.stop()
    rpc.cleanup(timeout=rpc.SHUTDOWN_TIMEOUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
