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

"""Trigger: when the operation engine runs scheduled operations."""

from karbor.objects import base
from karbor.objects import fields


@base.KarborObjectRegistry.register
class Trigger(base.KarborDbObject, base.KarborObject,
              base.KarborObjectDictCompat):
    """A trigger.

    ``properties`` holds format, pattern, start and end time and window as
    JSON scalars.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'trigger'

    fields = {
        'id': fields.UUIDField(),
        'name': fields.StringField(),
        'project_id': fields.StringField(),
        'type': fields.StringField(),
        'properties': fields.DictOfJsonScalarsField(),
    }


@base.KarborObjectRegistry.register
class TriggerList(base.KarborDbObjectList, base.KarborObject):
    """A list of triggers."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'Trigger'

    fields = {
        'objects': fields.ListOfObjectsField('Trigger'),
    }
