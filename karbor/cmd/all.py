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

"""karbor-all: the whole of Karbor in one process, on an embedded default.

The API and the protection service run together, talk over in-process
messaging, keep their rows in SQLite and their checkpoints in a file-system
bank, all under one state directory, with no authentication. It is meant
for a laptop, a demo and CI; any option can still be set in a
configuration file given with ``--config-file``, which wins over the
embedded defaults.
"""

import os
import sys

from oslo_config import cfg
from oslo_log import log as logging

from karbor.api import app as api_app
from karbor.common import cli
from karbor.common import constants
from karbor.common import wsgi_server
from karbor import conf
from karbor.db import migration
from karbor import objects
from karbor import rpc
from karbor import service

CONF = conf.CONF
LOG = logging.getLogger(__name__)

NOOP_PROVIDER_ID = 'b766f37c-d011-4026-8228-28730d734a3f'

cli_opts = [
    cfg.StrOpt('state-dir',
               help='Directory holding the database, the banks and the '
                    'generated provider files. Defaults to '
                    '$XDG_DATA_HOME/karbor (~/.local/share/karbor).'),
    cfg.HostAddressOpt('bind-host',
                       default='127.0.0.1',
                       help='Address the API listens on.'),
    cfg.PortOpt('bind-port',
                default=8799,
                help='Port the API listens on; 0 picks a free one.'),
]

# The Test Data Provider writes real bytes (generated, checkable) so that
# functional tests and benchmarks copy and restore actual data.
TEST_DATA_PROVIDER_ID = '5d3a8c42-6e1f-4b7a-9c2d-0f8e7b6a5c41'

# Both embedded providers share the main bank and the az2 destination: a
# second file-system bank in its own directory, standing for another
# availability zone.
_HEADER = """\
# Written by karbor-all at every start; edits are lost. To use providers of
# your own, set provider_config_dir in a file given with --config-file.
"""

_DESTINATION = """\
copy_destinations = az2
default_copy_destination = az2

[file_system_bank_plugin]
file_system_bank_path = {bank}

[copy_destination:az2]
bank = karbor-fs-bank-plugin
availability_zone = az2
description = A second file-system bank, standing for another availability \
zone.
file_system_bank_path = {bank_az2}
"""

_NOOP_PROVIDER = _HEADER + """\
[provider]
name = No-Op Provider
description = Protects every resource type without touching it.
id = {id}
plugin = karbor-noop-protection-plugin
bank = karbor-fs-bank-plugin
enabled = True
""" + _DESTINATION

_TEST_DATA_PROVIDER = _HEADER + """\
[provider]
name = Test Data Provider
description = Protects every resource type by writing generated test data \
that restore and verify check; for tests and benchmarks.
id = {id}
plugin = karbor-test-data-protection-plugin
bank = karbor-fs-bank-plugin
enabled = True
""" + _DESTINATION


def default_state_dir():
    data_home = (os.environ.get('XDG_DATA_HOME') or
                 os.path.join(os.path.expanduser('~'), '.local', 'share'))
    return os.path.join(data_home, 'karbor')


def prepare_state_dir(state_dir):
    """Create the state directory and write the embedded provider files.

    Returns the directory of the provider files.
    """
    providers_dir = os.path.join(state_dir, 'providers.d')
    os.makedirs(providers_dir, exist_ok=True)
    banks = {'bank': os.path.join(state_dir, 'bank'),
             'bank_az2': os.path.join(state_dir, 'bank-az2')}
    for name, text, provider_id in (
            ('noop.conf', _NOOP_PROVIDER, NOOP_PROVIDER_ID),
            ('test-data.conf', _TEST_DATA_PROVIDER, TEST_DATA_PROVIDER_ID)):
        with open(os.path.join(providers_dir, name), 'w') as f:
            f.write(text.format(id=provider_id, **banks))
    return providers_dir


def apply_embedded_defaults(conf, state_dir, providers_dir):
    """Point every option left at its default at the embedded parts."""
    conf.set_default('state_path', state_dir)
    conf.set_default('connection',
                     'sqlite:///%s' % os.path.join(state_dir,
                                                   'karbor.sqlite'),
                     group='database')
    conf.set_default('auth_strategy', 'noauth')
    conf.set_default('provider_config_dir', providers_dir)
    rpc.set_default_transport_url(conf, 'karbor-inprocess://')


def main(argv=None):
    cli.parse_args(sys.argv if argv is None else argv,
                   description='Run the Karbor API and protection service '
                               'in one process on an embedded default.',
                   cli_opts=cli_opts)
    state_dir = os.path.abspath(CONF.state_dir or default_state_dir())
    providers_dir = prepare_state_dir(state_dir)
    apply_embedded_defaults(CONF, state_dir, providers_dir)

    # From here on SIGINT/SIGTERM stop the process cleanly, even one sent
    # the moment it says it is listening.
    signals = service.SignalCatcher()
    migration.db_sync()
    objects.register_all()
    rpc.init(CONF)
    protection = service.RPCService.create(
        CONF, constants.BINARY_PROTECTION, CONF.protection_topic,
        CONF.protection_manager)
    protection.start()
    try:
        server = wsgi_server.WSGIServer(api_app.setup_app(CONF),
                                        CONF.bind_host, CONF.bind_port,
                                        keepalive=CONF.tcp_keepalive)
    except OSError as e:
        protection.stop()
        sys.exit('karbor-all: error: cannot listen on %s:%s: %s'
                 % (CONF.bind_host, CONF.bind_port, e.strerror))
    server.start()
    host = server.host if ':' not in server.host else '[%s]' % server.host
    LOG.info('karbor-all state directory: %s', state_dir)
    print('listening on http://%s:%s' % (host, server.port), flush=True)

    signum = signals.wait()
    LOG.info('Signal %d received, stopping', signum)
    server.stop()
    protection.stop()
    rpc.cleanup(timeout=rpc.SHUTDOWN_TIMEOUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
