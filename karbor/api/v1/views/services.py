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

"""The JSON view of a service (os-services)."""

from oslo_utils import timeutils

from karbor import conf as karbor_conf

CONF = karbor_conf.CONF


def is_up(service):
    """Whether the service reported within ``service_down_time``."""
    last_seen = service.updated_at or service.created_at
    if last_seen is None:
        return False
    elapsed = timeutils.delta_seconds(last_seen.replace(tzinfo=None),
                                      timeutils.utcnow())
    return abs(elapsed) <= CONF.service_down_time


def detail(service):
    """``{id, binary, host, status, state, updated_at, disabled_reason}``"""
    return {
        'id': service.id,
        'binary': service.binary,
        'host': service.host,
        'status': 'disabled' if service.disabled else 'enabled',
        'state': 'up' if is_up(service) else 'down',
        'updated_at': service.updated_at,
        'disabled_reason': service.disabled_reason,
    }
