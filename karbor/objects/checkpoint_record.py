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

"""CheckpointRecord: a checkpoint known to the database.

Upstream defined it but never used it; it is kept so the table and the
object stay available (for example to index checkpoints by plan).
"""

from karbor.objects import base
from karbor.objects import fields


@base.KarborObjectRegistry.register
class CheckpointRecord(base.KarborDbObject, base.KarborObject,
                       base.KarborObjectDictCompat):
    """A checkpoint record."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'checkpoint_record'

    fields = {
        'id': fields.UUIDField(),
        'project_id': fields.StringField(),
        'checkpoint_id': fields.UUIDField(),
        'checkpoint_status': fields.StringField(),
        'provider_id': fields.UUIDField(),
        'plan_id': fields.UUIDField(),
        'operation_id': fields.UUIDField(nullable=True),
        'create_by': fields.StringField(nullable=True),
        'extend_info': fields.StringField(nullable=True),
    }


@base.KarborObjectRegistry.register
class CheckpointRecordList(base.KarborDbObjectList, base.KarborObject):
    """A list of checkpoint records."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'CheckpointRecord'

    fields = {
        'objects': fields.ListOfObjectsField('CheckpointRecord'),
    }
