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

"""Field types of Karbor's objects on top of oslo.versionedobjects'.

The JSON-valued fields keep what the API received (strings, numbers,
booleans and null), rather than turning everything into strings as
upstream's ``DictOfDictOfStrings`` did, so that plan and restore parameters
come back with the types the provider's schema asked for.
"""

import copy
import numbers

from oslo_versionedobjects import fields

# Re-exported so object modules need a single fields import.
BooleanField = fields.BooleanField
IntegerField = fields.IntegerField
StringField = fields.StringField
UUIDField = fields.UUIDField
DictOfStringsField = fields.DictOfStringsField
DictOfNullableStringsField = fields.DictOfNullableStringsField
ObjectField = fields.ObjectField
ListOfObjectsField = fields.ListOfObjectsField
FieldType = fields.FieldType


class DateTimeField(fields.DateTimeField):
    """A naive UTC date and time, as upstream stored them."""

    def __init__(self, **kwargs):
        kwargs.setdefault('tzinfo_aware', False)
        super().__init__(**kwargs)


def _check_scalar(obj, attr, key, value):
    if value is None or isinstance(value, (str, bool, numbers.Real)):
        return value
    raise ValueError('%s.%s[%r]: %r is not a JSON scalar'
                     % (obj.obj_name(), attr, key, value))


def _check_dict(obj, attr, value, what='a dict'):
    if not isinstance(value, dict):
        raise ValueError('%s.%s must be %s, not %r'
                         % (obj.obj_name(), attr, what, value))
    for key in value:
        if not isinstance(key, str):
            raise ValueError('%s.%s: key %r is not a string'
                             % (obj.obj_name(), attr, key))


class DictOfJsonScalars(fields.FieldType):
    """``{str: str | int | float | bool | None}``."""

    def coerce(self, obj, attr, value):
        _check_dict(obj, attr, value)
        return {key: _check_scalar(obj, attr, key, item)
                for key, item in value.items()}


class DictOfDictOfJsonScalars(fields.FieldType):
    """``{str: {str: JSON scalar}}``.

    Options per resource type (or ``Type#id``): the shape of plan, restore
    and verification parameters.
    """

    def coerce(self, obj, attr, value):
        _check_dict(obj, attr, value)
        result = {}
        for key, options in value.items():
            _check_dict(obj, '%s[%r]' % (attr, key), options)
            result[key] = {name: _check_scalar(obj, attr, name, item)
                           for name, item in options.items()}
        return result


class PlanResourceList(fields.FieldType):
    """A list of ``{"id", "type", "name", "extra_info"}`` dicts.

    ``id``, ``type`` and ``name`` are strings (``name`` may be None);
    ``extra_info`` is a JSON-able dict or None.
    """

    _KEYS = ('id', 'type', 'name', 'extra_info')

    def coerce(self, obj, attr, value):
        if not isinstance(value, (list, tuple)):
            raise ValueError('%s.%s must be a list, not %r'
                             % (obj.obj_name(), attr, value))
        result = []
        for item in value:
            if not isinstance(item, dict):
                raise ValueError('%s.%s: %r is not a dict'
                                 % (obj.obj_name(), attr, item))
            unknown = set(item) - set(self._KEYS)
            if unknown:
                raise ValueError('%s.%s: unknown keys %s'
                                 % (obj.obj_name(), attr, sorted(unknown)))
            for key in ('id', 'type'):
                if not isinstance(item.get(key), str):
                    raise ValueError('%s.%s: %s must be a string in %r'
                                     % (obj.obj_name(), attr, key, item))
            name = item.get('name')
            if name is not None and not isinstance(name, str):
                name = str(name)
            extra_info = item.get('extra_info')
            if extra_info is not None and not isinstance(extra_info, dict):
                raise ValueError('%s.%s: extra_info must be a dict or None '
                                 'in %r' % (obj.obj_name(), attr, item))
            result.append({'id': item['id'], 'type': item['type'],
                           'name': name,
                           'extra_info': copy.deepcopy(extra_info)})
        return result


class DictOfJsonScalarsField(fields.AutoTypedField):
    AUTO_TYPE = DictOfJsonScalars()


class DictOfDictOfJsonScalarsField(fields.AutoTypedField):
    AUTO_TYPE = DictOfDictOfJsonScalars()


class PlanResourceListField(fields.AutoTypedField):
    AUTO_TYPE = PlanResourceList()
