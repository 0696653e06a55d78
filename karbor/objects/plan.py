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

"""Plan: the resources of a project to protect with one provider."""

from karbor.objects import base
from karbor.objects import fields


@base.KarborObjectRegistry.register
class Plan(base.KarborDbObject, base.KarborObject,
           base.KarborObjectDictCompat):
    """A protection plan.

    ``resources`` is a list of ``{"id", "type", "name", "extra_info"}``
    dicts (``extra_info`` a dict or None), stored as rows of the
    ``resources`` table; ``save()`` replaces those rows when the list
    changed. ``parameters`` maps a resource type (or ``Type#id``) to the
    protect options of the provider, JSON scalars kept as given.
    """

    # Version 1.0: Initial version
    VERSION = '1.0'

    db_prefix = 'plan'
    custom_fields = ('resources', 'parameters')

    fields = {
        'id': fields.UUIDField(),
        'name': fields.StringField(nullable=True),
        'description': fields.StringField(nullable=True),
        'provider_id': fields.UUIDField(),
        'project_id': fields.StringField(),
        'status': fields.StringField(nullable=True),
        'resources': fields.PlanResourceListField(default=[]),
        'parameters': fields.DictOfDictOfJsonScalarsField(default={}),
    }

    @classmethod
    def _from_db_object(cls, context, obj, db_obj):
        super()._from_db_object(context, obj, db_obj)
        obj.resources = [{'id': row.resource_id,
                          'type': row.resource_type,
                          'name': row.resource_name,
                          'extra_info': row.resource_extra_info}
                         for row in db_obj.resources]
        obj.parameters = db_obj.parameters or {}
        obj.obj_reset_changes()
        return obj


@base.KarborObjectRegistry.register
class PlanList(base.KarborDbObjectListByProject, base.KarborObject):
    """A list of plans."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    item_name = 'Plan'

    fields = {
        'objects': fields.ListOfObjectsField('Plan'),
    }
