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

"""ScheduledOperationLog: one execution of a scheduled operation."""

from karbor.objects import base
from karbor.objects import fields


@base.KarborObjectRegistry.register
class ScheduledOperationLog(base.KarborDbObject, base.KarborObject,
                            base.KarborObjectDictCompat):
    """An execution log of a scheduled operation."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'scheduled_operation_log'

    fields = {
        'id': fields.IntegerField(),
        'operation_id': fields.UUIDField(),
        'expect_start_time': fields.DateTimeField(nullable=True),
        'triggered_time': fields.DateTimeField(nullable=True),
        'actual_start_time': fields.DateTimeField(nullable=True),
        'end_time': fields.DateTimeField(nullable=True),
        'state': fields.StringField(),
        'extend_info': fields.StringField(nullable=True),
    }

    def destroy(self):
        """Soft-delete the log."""
        db_obj = self._db_call('delete', self._context, self.id)
        self.deleted = True
        self.deleted_at = db_obj.deleted_at
        self.obj_reset_changes(['deleted', 'deleted_at'])

    @classmethod
    def destroy_oldest(cls, context, operation_id, retained_num,
                       excepted_states=()):
        """Keep only the newest ``retained_num`` logs of an operation."""
        return cls._db_call('delete_oldest', context, operation_id,
                            retained_num, excepted_states)


@base.KarborObjectRegistry.register
class ScheduledOperationLogList(base.KarborDbObjectList, base.KarborObject):
    """A list of scheduled operation logs."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'ScheduledOperationLog'

    fields = {
        'objects': fields.ListOfObjectsField('ScheduledOperationLog'),
    }
