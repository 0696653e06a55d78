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

"""What the REST API calls to reach the protection service.

Every method takes the request context first and is a synchronous RPC
call; long work runs on the protection service's threads after the call
returns. Exceptions of ``karbor.exception`` raised by the service reach the
caller unchanged. The methods are described in
doc/source/contributor/internals.rst.
"""

from karbor.services.protection import rpcapi


class API:
    """A thin client of the protection service."""

    def __init__(self):
        self._rpcapi = None

    @property
    def protection_rpcapi(self):
        # Built on first use: the transport is set up after import time.
        if self._rpcapi is None:
            self._rpcapi = rpcapi.ProtectionAPI()
        return self._rpcapi

    def list_providers(self, context, marker=None, limit=None,
                       sort_keys=None, sort_dirs=None, filters=None):
        return self.protection_rpcapi.list_providers(
            context, marker=marker, limit=limit, sort_keys=sort_keys,
            sort_dirs=sort_dirs, filters=filters)

    def show_provider(self, context, provider_id):
        return self.protection_rpcapi.show_provider(context, provider_id)

    def protect(self, context, plan, checkpoint_properties):
        return self.protection_rpcapi.protect(context, plan,
                                              checkpoint_properties)

    def copy(self, context, plan, destination=None, parameters=None):
        """Copy the plan's uncopied checkpoints to a copy destination.

        See ``ProtectionManager.copy`` for the result and the errors.
        """
        return self.protection_rpcapi.copy(context, plan,
                                           destination=destination,
                                           parameters=parameters)

    def list_checkpoints(self, context, provider_id, marker=None, limit=None,
                         sort_keys=None, sort_dirs=None, filters=None,
                         all_tenants=False):
        return self.protection_rpcapi.list_checkpoints(
            context, provider_id, marker=marker, limit=limit,
            sort_keys=sort_keys, sort_dirs=sort_dirs, filters=filters,
            all_tenants=all_tenants)

    def show_checkpoint(self, context, provider_id, checkpoint_id):
        return self.protection_rpcapi.show_checkpoint(context, provider_id,
                                                      checkpoint_id)

    def delete(self, context, provider_id, checkpoint_id):
        return self.protection_rpcapi.delete(context, provider_id,
                                             checkpoint_id)

    def reset_state(self, context, provider_id, checkpoint_id, state):
        return self.protection_rpcapi.reset_state(context, provider_id,
                                                  checkpoint_id, state)

    def restore(self, context, restore, restore_auth=None):
        return self.protection_rpcapi.restore(context, restore,
                                              restore_auth=restore_auth)

    def verification(self, context, verification):
        return self.protection_rpcapi.verification(context, verification)

    def list_protectable_types(self, context):
        return self.protection_rpcapi.list_protectable_types(context)

    def show_protectable_type(self, context, protectable_type):
        return self.protection_rpcapi.show_protectable_type(
            context, protectable_type)

    def list_protectable_instances(self, context, protectable_type,
                                   marker=None, limit=None, sort_keys=None,
                                   sort_dirs=None, filters=None,
                                   parameters=None):
        return self.protection_rpcapi.list_protectable_instances(
            context, protectable_type, marker=marker, limit=limit,
            sort_keys=sort_keys, sort_dirs=sort_dirs, filters=filters,
            parameters=parameters)

    def show_protectable_instance(self, context, protectable_type,
                                  protectable_id, parameters=None):
        return self.protection_rpcapi.show_protectable_instance(
            context, protectable_type, protectable_id, parameters=parameters)

    def list_protectable_dependents(self, context, protectable_id,
                                    protectable_type, protectable_name):
        return self.protection_rpcapi.list_protectable_dependents(
            context, protectable_id, protectable_type, protectable_name)
