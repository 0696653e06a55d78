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

"""Options for reaching other OpenStack services.

``[karbor_client]`` is read by the operation engine; the others by the
protectable and protection plugins of each service.
"""

from oslo_config import cfg

SERVICES = {
    'karbor': ('data-protect', 'karbor'),
    'cinder': ('volumev3', 'cinderv3'),
    'glance': ('image', 'glance'),
    'manila': ('sharev2', 'manilav2'),
    'neutron': ('network', 'neutron'),
    'nova': ('compute', 'nova'),
}


def _client_opts(name, service_type, service_name):
    return [
        cfg.StrOpt('service_name', default=service_name,
                   help='Name of the %s service in the catalog.' % name),
        cfg.StrOpt('service_type', default=service_type,
                   help='Type of the %s service in the catalog.' % name),
        cfg.StrOpt('version',
                   help='API version of the %s service to use.' % name),
        cfg.StrOpt('region_id', default='RegionOne',
                   help='Region of the %s endpoint.' % name),
        cfg.StrOpt('interface', default='internal',
                   choices=['public', 'internal', 'admin'],
                   help='Endpoint interface of the %s service.' % name),
        cfg.StrOpt('%s_endpoint' % name,
                   help='URL of the %s endpoint; overrides the catalog '
                        '(the project id is appended).' % name),
        cfg.StrOpt('%s_catalog_info' % name,
                   default='%s:%s:publicURL' % (service_type, service_name),
                   help='Where to find the %s endpoint in the catalog, as '
                        '<service_type>:<service_name>:<endpoint_type>.'
                        % name),
        cfg.StrOpt('ca_cert_file',
                   help='CA certificates file for TLS to %s.' % name),
        cfg.BoolOpt('auth_insecure', default=False,
                    help='Skip TLS certificate checks of %s.' % name),
    ]


CLIENT_OPTS = {
    '%s_client' % name: _client_opts(name, stype, sname)
    for name, (stype, sname) in SERVICES.items()
}

keystone_opts = [
    cfg.StrOpt('auth_uri', default='',
               help='Unversioned Keystone URL used to look up projects and '
                    'the service catalog.'),
]


def register_opts(conf):
    for group, opts in CLIENT_OPTS.items():
        conf.register_opts(opts, group=group)
    conf.register_opts(keystone_opts, group='clients_keystone')


def list_opts():
    result = dict(CLIENT_OPTS)
    result['clients_keystone'] = keystone_opts
    return result
