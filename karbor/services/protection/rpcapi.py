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

"""Client side of the protection service's RPC API."""

import datetime

import oslo_messaging as messaging

from karbor import conf as karbor_conf
from karbor import rpc


def _primitive_filters(filters):
    # Dates do not survive every transport's JSON encoding as dates; the
    # manager parses the ISO strings back.
    if not filters:
        return filters
    return {key: (value.isoformat() if isinstance(value, datetime.date)
                  else value)
            for key, value in filters.items()}


class ProtectionAPI:
    """Client side of the protection RPC API.

    API version history:

    * 1.0 - Initial version: protect, restore, verification, delete,
      reset_state, show/list checkpoints, protectables and providers.
    * 1.1 - Add copy.
    """

    RPC_API_VERSION = '1.1'

    def __init__(self):
        target = messaging.Target(topic=karbor_conf.CONF.protection_topic,
                                  version=self.RPC_API_VERSION)
        self.client = rpc.get_client(target,
                                     version_cap=self.RPC_API_VERSION)

    def _call(self, ctxt, method, version='1.0', **kwargs):
        # Each method asks for the version that introduced it, so a 1.0
        # server still serves every 1.0 method during a rolling upgrade.
        cctxt = self.client.prepare(version=version)
        return cctxt.call(ctxt, method, **kwargs)

    def protect(self, ctxt, plan, checkpoint_properties=None):
        return self._call(ctxt, 'protect', plan=plan,
                          checkpoint_properties=checkpoint_properties)

    def copy(self, ctxt, plan, destination=None, parameters=None):
        return self._call(ctxt, 'copy', version='1.1', plan=plan,
                          destination=destination, parameters=parameters)

    def restore(self, ctxt, restore, restore_auth=None):
        return self._call(ctxt, 'restore', restore=restore,
                          restore_auth=restore_auth)

    def verification(self, ctxt, verification):
        return self._call(ctxt, 'verification', verification=verification)

    def delete(self, ctxt, provider_id, checkpoint_id):
        return self._call(ctxt, 'delete', provider_id=provider_id,
                          checkpoint_id=checkpoint_id)

    def reset_state(self, ctxt, provider_id, checkpoint_id, state):
        return self._call(ctxt, 'reset_state', provider_id=provider_id,
                          checkpoint_id=checkpoint_id, state=state)

    def show_checkpoint(self, ctxt, provider_id, checkpoint_id):
        return self._call(ctxt, 'show_checkpoint', provider_id=provider_id,
                          checkpoint_id=checkpoint_id)

    def list_checkpoints(self, ctxt, provider_id, marker=None, limit=None,
                         sort_keys=None, sort_dirs=None, filters=None,
                         all_tenants=False):
        return self._call(ctxt, 'list_checkpoints', provider_id=provider_id,
                          marker=marker, limit=limit, sort_keys=sort_keys,
                          sort_dirs=sort_dirs,
                          filters=_primitive_filters(filters),
                          all_tenants=all_tenants)

    def list_protectable_types(self, ctxt):
        return self._call(ctxt, 'list_protectable_types')

    def show_protectable_type(self, ctxt, protectable_type):
        return self._call(ctxt, 'show_protectable_type',
                          protectable_type=protectable_type)

    def list_protectable_instances(self, ctxt, protectable_type, marker=None,
                                   limit=None, sort_keys=None,
                                   sort_dirs=None, filters=None,
                                   parameters=None):
        return self._call(ctxt, 'list_protectable_instances',
                          protectable_type=protectable_type, marker=marker,
                          limit=limit, sort_keys=sort_keys,
                          sort_dirs=sort_dirs, filters=filters,
                          parameters=parameters)

    def show_protectable_instance(self, ctxt, protectable_type,
                                  protectable_id, parameters=None):
        return self._call(ctxt, 'show_protectable_instance',
                          protectable_type=protectable_type,
                          protectable_id=protectable_id,
                          parameters=parameters)

    def list_protectable_dependents(self, ctxt, protectable_id,
                                    protectable_type, protectable_name):
        return self._call(ctxt, 'list_protectable_dependents',
                          protectable_id=protectable_id,
                          protectable_type=protectable_type,
                          protectable_name=protectable_name)

    def list_providers(self, ctxt, marker=None, limit=None, sort_keys=None,
                       sort_dirs=None, filters=None):
        return self._call(ctxt, 'list_providers', marker=marker,
                          limit=limit, sort_keys=sort_keys,
                          sort_dirs=sort_dirs, filters=filters)

    def show_provider(self, ctxt, provider_id):
        return self._call(ctxt, 'show_provider', provider_id=provider_id)
