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

"""Options of the protection service."""

from oslo_config import cfg

protection_opts = [
    cfg.StrOpt('provider_registry',
               default='provider-registry',
               help='The provider registry to load, by its name in the '
                    'karbor.provider entry-point namespace.'),
    cfg.StrOpt('provider_config_dir',
               default='providers.d',
               help='Directory of the provider configuration files '
                    '(``*.conf``). A relative path is looked up next to the '
                    'configuration files, then in /etc/karbor.'),
    cfg.IntOpt('max_concurrent_operations',
               default=0,
               min=0,
               help='Largest number of protect, restore, verify, delete '
                    'and copy operations a protection service runs at '
                    'once; 0 means one per CPU times four. Operations '
                    'beyond it wait in a queue.'),
    cfg.IntOpt('max_concurrent_resource_tasks',
               default=8,
               min=1,
               help='Largest number of resource hooks one operation runs '
                    'in parallel.'),
    cfg.StrOpt('workflow_engine',
               default='karbor.services.protection.flows.workflow.'
                       'TaskFlowEngine',
               help='Full class name of the workflow engine. Kept for '
                    'compatibility; only the TaskFlow engine exists.'),
    cfg.FloatOpt('bank_start_retry_interval',
                 default=30,
                 min=0,
                 help='Seconds before a bank whose plugin failed to start '
                      '(its storage unreachable) is tried again. A '
                      'provider loads without such a bank; requests that '
                      'need it in the meantime fail at once with the '
                      'reason (503), the first one after the interval '
                      'tries to start it.'),
    cfg.IntOpt('sync_status_interval',
               default=20,
               min=1,
               help='Seconds between two status polls of a plugin waiting '
                    'for a backend operation.'),
]


def register_opts(conf):
    conf.register_opts(protection_opts)


def list_opts():
    return {'DEFAULT': protection_opts}
