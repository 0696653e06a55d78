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

"""Base classes of Karbor's versioned objects.

* ``KarborObjectRegistry`` registers object classes and exposes each one as
  ``karbor.objects.<Name>``.
* ``KarborObject`` is the base of every object (namespace ``karbor``).
* ``KarborPersistentObject`` adds the soft-delete timestamp fields.
* ``KarborDbObject`` and ``KarborDbObjectList`` give a persistent object
  the common methods (``get_by_id``, ``create``, ``save``, ``destroy``,
  ``List.get_all``) on top of ``karbor.db.api``, driven by the class
  attribute ``db_prefix`` (``plan`` -> ``plan_get``, ``plan_create``...).
* ``KarborObjectSerializer`` carries objects over RPC.

Every object class keeps a version-history comment; change a field or a
remotable method and you bump ``VERSION`` (the fingerprint test in
``karbor/tests/unit/objects/test_objects.py`` fails until you do).
"""

from oslo_utils import versionutils
from oslo_versionedobjects import base
from oslo_versionedobjects import exception as ovo_exception

from karbor.db import api as db_api
from karbor.objects import fields


class KarborObjectRegistry(base.VersionedObjectRegistry):
    """Registry that makes objects reachable as ``karbor.objects.Name``."""

    def registration_hook(self, cls, index):
        # Imported here: karbor.objects imports this module.
        from karbor import objects
        current = getattr(objects, cls.obj_name(), None)
        if current is None or (
                versionutils.convert_version_to_tuple(cls.VERSION) >=
                versionutils.convert_version_to_tuple(current.VERSION)):
            setattr(objects, cls.obj_name(), cls)


class KarborObject(base.VersionedObject):
    """Base of every Karbor object."""

    OBJ_SERIAL_NAMESPACE = 'karbor_object'
    OBJ_PROJECT_NAMESPACE = 'karbor'

    def karbor_obj_get_changes(self):
        """The changed fields, without object-valued ones."""
        changes = self.obj_get_changes()
        for name, field in self.fields.items():
            if isinstance(field, (fields.ObjectField,
                                  fields.ListOfObjectsField)):
                changes.pop(name, None)
        return changes


class KarborObjectDictCompat(base.VersionedObjectDictCompat):
    """Dict-style access (``obj['name']``) for code that expects dicts."""


class KarborPersistentObject:
    """Mixin adding the soft-delete timestamp fields of every table."""

    fields = {
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
        'deleted_at': fields.DateTimeField(nullable=True),
        'deleted': fields.BooleanField(default=False),
    }


class ObjectListBase(base.ObjectListBase):
    """Base of the ``*List`` objects."""


class KarborObjectSerializer(base.VersionedObjectSerializer):
    """Serializes Karbor objects for oslo.messaging."""

    OBJ_BASE_CLASS = KarborObject


def _db():
    return db_api.get_instance()


def make_list(context, list_cls, item_cls, db_objs):
    """A ``list_cls`` of ``item_cls`` objects built from database rows."""
    items = [item_cls._from_db_object(context, item_cls(context), db_obj)
             for db_obj in db_objs]
    result = list_cls(context, objects=items)
    result.obj_reset_changes()
    return result


class KarborDbObject(KarborPersistentObject):
    """Common persistence methods; set ``db_prefix`` in the subclass.

    ``db_key_field`` names the field the DB API addresses rows by (``id``
    unless the table is keyed otherwise); ``custom_fields`` are left to the
    subclass's ``_from_db_object``. Fields listed in
    ``read_only_fields`` are never written by ``save()``.
    """

    db_prefix = None
    db_key_field = 'id'
    # Fields the subclass's _from_db_object fills itself.
    custom_fields = ()
    read_only_fields = ('id', 'created_at', 'updated_at', 'deleted_at',
                        'deleted')

    @classmethod
    def _db_call(cls, operation, *args, **kwargs):
        method = getattr(_db(), '%s_%s' % (cls.db_prefix, operation))
        return method(*args, **kwargs)

    @classmethod
    def _from_db_object(cls, context, obj, db_obj):
        """Fill ``obj`` from a database row and mark it unchanged."""
        for name, field in obj.fields.items():
            if name in obj.custom_fields or isinstance(
                    field, (fields.ObjectField, fields.ListOfObjectsField)):
                continue
            value = getattr(db_obj, name, None)
            if value is None and not field.nullable:
                if field.default != fields.fields.UnspecifiedDefault:
                    value = field.default
                else:
                    continue
            setattr(obj, name, value)
        obj._context = context
        obj.obj_reset_changes()
        return obj

    def _db_values(self, updates):
        """Turn changed fields into column values (override for renames)."""
        return updates

    @classmethod
    def get_by_id(cls, context, id):
        """Load a row by id (project-scoped for non-admin contexts)."""
        db_obj = cls._db_call('get', context, id)
        return cls._from_db_object(context, cls(context), db_obj)

    def create(self):
        """Insert this object; ids are generated when not set."""
        updates = self._db_values(self.karbor_obj_get_changes())
        db_obj = self._db_call('create', self._context, updates)
        self._from_db_object(self._context, self, db_obj)

    def save(self):
        """Write the changed fields."""
        updates = self.karbor_obj_get_changes()
        for name in self.read_only_fields:
            updates.pop(name, None)
        if updates:
            db_obj = self._db_call('update', self._context,
                                   getattr(self, self.db_key_field),
                                   self._db_values(updates))
            self._from_db_object(self._context, self, db_obj)
        self.obj_reset_changes()

    def destroy(self):
        """Soft-delete the row."""
        db_obj = self._db_call('destroy', self._context,
                               getattr(self, self.db_key_field))
        self.deleted = True
        self.deleted_at = db_obj.deleted_at
        self.obj_reset_changes(['deleted', 'deleted_at'])

    def obj_load_attr(self, attrname):
        raise ovo_exception.ObjectActionError(
            action='obj_load_attr',
            reason='attribute %s is not set' % attrname)


class KarborDbObjectList(ObjectListBase):
    """``get_all`` for a list of ``KarborDbObject``; set ``item_name``."""

    item_name = None

    @classmethod
    def _item_cls(cls):
        # Looked up at call time: the registry keeps the newest version.
        from karbor import objects
        return getattr(objects, cls.item_name)

    @classmethod
    def _make(cls, context, db_objs):
        return make_list(context, cls, cls._item_cls(), db_objs)

    @classmethod
    def _db_call(cls, operation, *args, **kwargs):
        return cls._item_cls()._db_call(operation, *args, **kwargs)

    @classmethod
    def get_all(cls, context, marker=None, limit=None, sort_keys=None,
                sort_dirs=None, filters=None, offset=None):
        """Rows matching ``filters`` (see karbor.db.api for the rules)."""
        db_objs = cls._db_call('get_all', context, marker=marker,
                               limit=limit, sort_keys=sort_keys,
                               sort_dirs=sort_dirs, filters=filters,
                               offset=offset)
        return cls._make(context, db_objs)


class KarborDbObjectListByProject(KarborDbObjectList):
    """Adds ``get_all_by_project`` where upstream has it."""

    @classmethod
    def get_all_by_project(cls, context, project_id, marker=None,
                           limit=None, sort_keys=None, sort_dirs=None,
                           filters=None, offset=None):
        """Rows of one project.

        Non-admin contexts get ``NotAuthorized`` for another project.
        """
        db_objs = cls._db_call('get_all_by_project', context, project_id,
                               marker=marker, limit=limit,
                               sort_keys=sort_keys, sort_dirs=sort_dirs,
                               filters=filters, offset=offset)
        return cls._make(context, db_objs)
