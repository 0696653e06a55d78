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

"""A protection plugin that protects every resource type without a backend.

It records in the bank what it was asked to protect, and checks on restore
and verify that this record is there; copy moves the record to the copy
checkpoint with the shared bank-data copy operation. It is what the
embedded default (``karbor-all``) and the tests use, and an example of a
complete plugin.
"""

from oslo_log import log as logging
from oslo_utils import timeutils

from karbor.common import constants
from karbor import exception
from karbor.services.protection import protection_plugin
from karbor.services.protection.protection_plugins import bank_data
from karbor.services.protection.protection_plugins import utils

LOG = logging.getLogger(__name__)

METADATA_KEY = 'metadata'
STATUS_KEY = 'status'


def _read_metadata(checkpoint, resource, context=None):
    section = checkpoint.get_resource_bank_section(resource.id)
    try:
        metadata = section.get_object(METADATA_KEY)
    except (exception.BankObjectNotFound, exception.BankPluginError) as e:
        raise exception.ResourceDataNotFound(
            checkpoint_id=checkpoint.id, resource_type=resource.type,
            resource_id=resource.id, reason=str(e))
    if not isinstance(metadata, dict) or metadata.get(
            'resource_id') != resource.id:
        raise exception.ResourceDataNotFound(
            checkpoint_id=checkpoint.id, resource_type=resource.type,
            resource_id=resource.id,
            reason='the metadata object is not the one the noop plugin '
                   'writes')
    return metadata


class ProtectOperation(protection_plugin.Operation):
    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        section = checkpoint.get_resource_bank_section(resource.id)
        section.update_object(STATUS_KEY, constants.RESOURCE_STATUS_PROTECTING)
        section.update_object(METADATA_KEY, {
            'resource_id': resource.id,
            'resource_type': resource.type,
            'resource_name': resource.name,
            'protected_at': timeutils.utcnow().isoformat(),
        })
        section.update_object(STATUS_KEY, constants.RESOURCE_STATUS_AVAILABLE)


class DeleteOperation(protection_plugin.Operation):
    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        section = checkpoint.get_resource_bank_section(resource.id)
        for key in section.list_objects():
            section.delete_object(key)


class NoopProtectionPlugin(protection_plugin.ProtectionPlugin):
    """Protects every resource type known to Karbor by recording it."""

    def get_protect_operation(self, resource):
        return ProtectOperation()

    def get_restore_operation(self, resource):
        return utils.CheckedRestoreOperation(_read_metadata)

    def get_verify_operation(self, resource):
        return utils.CheckedVerifyOperation(_read_metadata)

    def get_delete_operation(self, resource):
        return DeleteOperation()

    def get_copy_operation(self, resource):
        # The record is the resource's whole backup: moving the section
        # moves the backup.
        return bank_data.BankDataCopyOperation()

    @classmethod
    def get_supported_resources_types(cls):
        return constants.RESOURCE_TYPES
