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

"""Options of the REST API (karbor-api and the API half of karbor-all)."""

from oslo_config import cfg

api_opts = [
    cfg.StrOpt('auth_strategy',
               default='keystone',
               choices=[('noauth', 'No authentication: a token of the form '
                         '"user:project" (or none at all) gives an admin '
                         'context for that project. For development only.'),
                        ('keystone', 'Keystone tokens, checked by '
                         'keystonemiddleware.')],
               help='How API requests are authenticated.'),
    cfg.HostAddressOpt('osapi_karbor_listen',
                       default='0.0.0.0',
                       help='IP address on which the Karbor API listens.'),
    cfg.PortOpt('osapi_karbor_listen_port',
                default=8799,
                help='Port on which the Karbor API listens.'),
    cfg.IntOpt('osapi_karbor_workers',
               min=1,
               help='Number of API worker processes. Defaults to the number '
                    'of CPUs. The standalone karbor-api server is '
                    'threaded and ignores it; run the WSGI application '
                    'under uWSGI or gunicorn for several processes.'),
    cfg.IntOpt('osapi_max_limit',
               default=1000,
               min=1,
               help='The largest number of items a collection resource '
                    'returns in a single response.'),
    cfg.URIOpt('osapi_karbor_base_URL',
               help='Base URL presented to users in links to the API. '
                    'Defaults to the URL of the request.'),
    cfg.BoolOpt('use_forwarded_for',
                default=False,
                help='Treat X-Forwarded-For as the canonical remote address. '
                     'Only enable this behind a sanitizing proxy.'),
    cfg.IntOpt('max_request_body_size',
               default=114688,
               min=1,
               help='The largest request body, in bytes, the API accepts.'),
    cfg.ListOpt('query_plan_filters',
                default=['name', 'status', 'description'],
                help='Plan filters that non-admin users may use.'),
    cfg.ListOpt('query_restore_filters',
                default=['status'],
                help='Restore filters that non-admin users may use.'),
    cfg.ListOpt('query_verification_filters',
                default=['status'],
                help='Verification filters that non-admin users may use.'),
    cfg.ListOpt('query_operation_log_filters',
                default=['checkpoint_id', 'plan_id', 'restore_id', 'status',
                         'operation_type'],
                help='Operation log filters that non-admin users may use. '
                     'Unlike upstream Karbor, operation_type is allowed by '
                     'default so that users can follow their copies.'),
    cfg.ListOpt('query_provider_filters',
                default=['name', 'description'],
                help='Provider filters that non-admin users may use.'),
    cfg.ListOpt('query_checkpoint_filters',
                default=['project_id', 'plan_id', 'start_date', 'end_date'],
                help='Checkpoint filters that non-admin users may use.'),
    cfg.ListOpt('query_instance_filters',
                default=['status'],
                help='Protectable instance filters that non-admin users '
                     'may use.'),
    cfg.BoolOpt('tcp_keepalive',
                default=True,
                help='Sets the value of TCP_KEEPALIVE (True/False) for each '
                     'server socket.'),
    cfg.IntOpt('tcp_keepalive_interval',
               help='Sets the value of TCP_KEEPINTVL in seconds for each '
                    'server socket. Not supported on OS X.'),
    cfg.IntOpt('tcp_keepalive_count',
               help='Sets the value of TCP_KEEPCNT for each server socket. '
                    'Not supported on OS X.'),
    cfg.BoolOpt('fatal_exception_format_errors',
                default=False,
                help='Make exception message format errors fatal. For '
                     'tests.'),
]


def register_opts(conf):
    conf.register_opts(api_opts)


def list_opts():
    return {'DEFAULT': api_opts}
