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

"""ScheduledOperationState: run-time state of a scheduled operation."""

from karbor.objects import base
from karbor.objects import fields
from karbor.objects import scheduled_operation


@base.KarborObjectRegistry.register
class ScheduledOperationState(base.KarborDbObject, base.KarborObject,
                              base.KarborObjectDictCompat):
    """The state of one scheduled operation, keyed by its operation id."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'scheduled_operation_state'
    db_key_field = 'operation_id'
    read_only_fields = base.KarborDbObject.read_only_fields + (
        'operation_id',)

    fields = {
        'id': fields.IntegerField(),
        'operation_id': fields.UUIDField(),
        'service_id': fields.IntegerField(),
        'trust_id': fields.StringField(),
        'state': fields.StringField(),
        'end_time_for_run': fields.DateTimeField(nullable=True),
        'operation': fields.ObjectField('ScheduledOperation',
                                        nullable=True),
    }

    @classmethod
    def _from_db_object(cls, context, obj, db_obj):
        super()._from_db_object(context, obj, db_obj)
        db_operation = getattr(db_obj, 'operation', None)
        if db_operation is not None:
            op_cls = scheduled_operation.ScheduledOperation
            obj.operation = op_cls._from_db_object(context, op_cls(context),
                                                   db_operation)
            obj.obj_reset_changes(['operation'])
        return obj

    @classmethod
    def get_by_operation_id(cls, context, operation_id):
        """The state of the scheduled operation ``operation_id``."""
        return cls.get_by_id(context, operation_id)

    def destroy(self):
        """Soft-delete the state row."""
        db_obj = self._db_call('delete', self._context, self.operation_id)
        self.deleted = True
        self.deleted_at = db_obj.deleted_at
        self.obj_reset_changes(['deleted', 'deleted_at'])


@base.KarborObjectRegistry.register
class ScheduledOperationStateList(base.KarborDbObjectList,
                                  base.KarborObject):
    """A list of scheduled operation states."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'ScheduledOperationState'

    fields = {
        'objects': fields.ListOfObjectsField('ScheduledOperationState'),
    }
