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

"""ScheduledOperation: an operation run each time a trigger fires."""

from karbor.objects import base
from karbor.objects import fields
from karbor.objects import trigger as trigger_obj


@base.KarborObjectRegistry.register
class ScheduledOperation(base.KarborDbObject, base.KarborObject,
                         base.KarborObjectDictCompat):
    """A scheduled operation; ``trigger`` is its Trigger, loaded with it."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'scheduled_operation'

    fields = {
        'id': fields.UUIDField(),
        'name': fields.StringField(),
        'description': fields.StringField(nullable=True),
        'operation_type': fields.StringField(),
        'user_id': fields.StringField(),
        'project_id': fields.StringField(),
        'trigger_id': fields.UUIDField(),
        'operation_definition': fields.DictOfJsonScalarsField(),
        'enabled': fields.BooleanField(default=True),
        'trigger': fields.ObjectField('Trigger', nullable=True),
    }

    @classmethod
    def _from_db_object(cls, context, obj, db_obj):
        super()._from_db_object(context, obj, db_obj)
        db_trigger = getattr(db_obj, 'trigger', None)
        if db_trigger is not None:
            obj.trigger = trigger_obj.Trigger._from_db_object(
                context, trigger_obj.Trigger(context), db_trigger)
            obj.obj_reset_changes(['trigger'])
        return obj

    def obj_load_attr(self, attrname):
        if attrname == 'trigger':
            self.trigger = trigger_obj.Trigger.get_by_id(self._context,
                                                         self.trigger_id)
            self.obj_reset_changes(['trigger'])
            return
        super().obj_load_attr(attrname)


@base.KarborObjectRegistry.register
class ScheduledOperationList(base.KarborDbObjectList, base.KarborObject):
    """A list of scheduled operations."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'ScheduledOperation'

    fields = {
        'objects': fields.ListOfObjectsField('ScheduledOperation'),
    }
