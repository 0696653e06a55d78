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

"""CheckpointCopy: one checkpoint copied to one copy destination.

The row links a source checkpoint (in the provider's main bank) to its
copy (a checkpoint in a destination bank, whose id is the row's id). Its
unique (source, destination) pair is the guard against copying one
checkpoint twice, and its ``host`` tells which protection service resumes
the copy after a restart.
"""

from karbor.common import constants
from karbor.objects import base
from karbor.objects import fields


@base.KarborObjectRegistry.register
class CheckpointCopy(base.KarborDbObject, base.KarborObject,
                     base.KarborObjectDictCompat):
    """A copy of a checkpoint.

    ``status`` follows the copy checkpoint: ``wait_copying``, ``copying``,
    then ``available`` or ``error``. ``operation_log_id`` is the copy's
    own operation log, ``request_id`` the request-level log that started
    it. :meth:`destroy` deletes the row for good.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'checkpoint_copy'

    fields = {
        'id': fields.UUIDField(),
        'project_id': fields.StringField(),
        'provider_id': fields.UUIDField(),
        'plan_id': fields.UUIDField(nullable=True),
        'source_checkpoint_id': fields.UUIDField(),
        'destination': fields.StringField(),
        'status': fields.StringField(),
        'operation_log_id': fields.UUIDField(nullable=True),
        'request_id': fields.UUIDField(nullable=True),
        'host': fields.StringField(nullable=True),
    }

    def claim_for_retry(self, **values):
        """Take over this copy if it is in ``error``; return whether won.

        The status becomes ``wait_copying`` (plus ``values``) in one
        conditional update, so of two requests retrying the same failed
        copy exactly one wins.
        """
        values['status'] = constants.CHECKPOINT_STATUS_WAIT_COPYING
        won = self._db_call('claim_for_retry', self._context, self.id,
                            values)
        if won:
            for name, value in values.items():
                setattr(self, name, value)
            self.obj_reset_changes(list(values))
        return won

    def destroy(self):
        """Delete the row, so the source can be copied there again."""
        self._db_call('destroy', self._context, self.id)


@base.KarborObjectRegistry.register
class CheckpointCopyList(base.KarborDbObjectList, base.KarborObject):
    """A list of checkpoint copies."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'CheckpointCopy'

    fields = {
        'objects': fields.ListOfObjectsField('CheckpointCopy'),
    }
