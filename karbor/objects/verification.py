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

"""Verification: the check of a checkpoint, with per-resource statuses."""

from karbor.objects import base
from karbor.objects import fields
from karbor.objects import restore


@base.KarborObjectRegistry.register
class Verification(restore.ResourceStatusMixin, base.KarborDbObject,
                   base.KarborObject, base.KarborObjectDictCompat):
    """A verification of a checkpoint.

    ``resources_status`` and ``resources_reason`` are keyed by
    ``"<resource type>#<resource id>"``.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'verification'

    fields = {
        'id': fields.UUIDField(),
        'project_id': fields.StringField(),
        'provider_id': fields.UUIDField(),
        'checkpoint_id': fields.UUIDField(),
        'parameters': fields.DictOfDictOfJsonScalarsField(nullable=True),
        'status': fields.StringField(nullable=True),
        'resources_status': fields.DictOfStringsField(nullable=True),
        'resources_reason': fields.DictOfNullableStringsField(nullable=True),
    }


@base.KarborObjectRegistry.register
class VerificationList(base.KarborDbObjectListByProject, base.KarborObject):
    """A list of verifications."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'Verification'

    fields = {
        'objects': fields.ListOfObjectsField('Verification'),
    }
