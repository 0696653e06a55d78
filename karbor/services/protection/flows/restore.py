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

"""The restore flow: restore the resources of a checkpoint.

See :mod:`karbor.services.protection.flows.record_flow` for its tasks and
statuses.
"""

from karbor.common import constants
from karbor.services.protection.flows import record_flow


def get_flow(context, workflow_engine, checkpoint, provider, restore,
             operation_log, parameters=None, restore_auth=None):
    """The restore flow of ``restore`` from ``checkpoint`` and its store.

    :returns: ``(flow, store)``.
    """
    return record_flow.build_flow(
        constants.OPERATION_RESTORE, context, workflow_engine, checkpoint,
        provider, restore, operation_log, parameters,
        extra_store={'restore_auth': restore_auth})
