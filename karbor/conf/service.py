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

"""Options shared by Karbor's services: identity, RPC topics, state."""

import socket

from oslo_config import cfg

service_opts = [
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='<hostname>',
               help='Name of this node, as shown in the os-services list. '
                    'It must be valid within an AMQP key.'),
    cfg.StrOpt('protection_topic',
               default='karbor-protection',
               help='The RPC topic the protection service listens on.'),
    cfg.StrOpt('protection_manager',
               default='karbor.services.protection.manager.'
                       'ProtectionManager',
               help='Full class name of the protection service manager.'),
    cfg.StrOpt('operationengine_topic',
               default='karbor-operationengine',
               help='The RPC topic the operation engine listens on.'),
    cfg.StrOpt('operationengine_manager',
               default='karbor.services.operationengine.manager.'
                       'OperationEngineManager',
               help='Full class name of the operation engine manager.'),
    cfg.IntOpt('service_down_time',
               default=60,
               min=1,
               help='Seconds since its last report after which a service '
                    'is shown as down.'),
    cfg.IntOpt('report_interval',
               default=10,
               min=1,
               help='Seconds between two reports of a service to the '
                    'database.'),
    cfg.IntOpt('periodic_interval',
               default=60,
               min=1,
               help='Seconds between runs of periodic tasks.'),
    cfg.IntOpt('periodic_fuzzy_delay',
               default=60,
               min=0,
               help='Range, in seconds, of the random delay before the '
                    'first periodic task runs, to spread the load.'),
    cfg.BoolOpt('enable_new_services',
                default=True,
                help='Whether services register as enabled.'),
    cfg.IntOpt('malloc_arena_max',
               default=2,
               min=0,
               help='Most malloc arenas the C library (glibc) may give the '
                    'threads of a Karbor process; 0 keeps its default of '
                    'eight per CPU. Memory a thread frees stays in its '
                    'arena, so with many arenas a long-running service '
                    'holds more and more of it. Ignored when the '
                    'MALLOC_ARENA_MAX environment variable is set, and '
                    'with another C library.'),
    cfg.StrOpt('state_path',
               default='/var/lib/karbor',
               help="Top-level directory for maintaining Karbor's state."),
]


def register_opts(conf):
    conf.register_opts(service_opts)


def list_opts():
    return {'DEFAULT': service_opts}
