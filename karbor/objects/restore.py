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

"""Restore: the restore of a checkpoint, with per-resource statuses."""

from karbor.objects import base
from karbor.objects import fields


class ResourceStatusMixin:
    """``update_resource_status`` for restores and verifications."""

    def update_resource_status(self, resource_type, resource_id, status,
                               reason=None):
        """Record the status (and reason) of one resource.

        The change is merged into the row inside one database transaction,
        so plugins that update different resources of the same operation
        from parallel threads do not lose each other's updates.
        """
        key = '%s#%s' % (resource_type, resource_id)
        db_obj = self._db_call('update_resource_status', self._context,
                               self.id, key, status, reason)
        self.resources_status = db_obj.resources_status or {}
        self.resources_reason = db_obj.resources_reason or {}
        self.obj_reset_changes(['resources_status', 'resources_reason'])


@base.KarborObjectRegistry.register
class Restore(ResourceStatusMixin, base.KarborDbObject, base.KarborObject,
              base.KarborObjectDictCompat):
    """A restore of a checkpoint into the cloud.

    ``resources_status`` and ``resources_reason`` are keyed by
    ``"<resource type>#<resource id>"``.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'restore'

    fields = {
        'id': fields.UUIDField(),
        'project_id': fields.StringField(),
        'provider_id': fields.UUIDField(),
        'checkpoint_id': fields.UUIDField(),
        'restore_target': fields.StringField(nullable=True),
        'parameters': fields.DictOfDictOfJsonScalarsField(nullable=True),
        'status': fields.StringField(nullable=True),
        'resources_status': fields.DictOfStringsField(nullable=True),
        'resources_reason': fields.DictOfNullableStringsField(nullable=True),
    }


@base.KarborObjectRegistry.register
class RestoreList(base.KarborDbObjectListByProject, base.KarborObject):
    """A list of restores."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'Restore'

    fields = {
        'objects': fields.ListOfObjectsField('Restore'),
    }
