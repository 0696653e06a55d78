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

"""Plugin options given as strings, read as the types their schema wants.

python-karborclient's ``--parameters resource_type=T,key=value`` (and the
copy command's) sends every value as a string, and upstream Karbor kept
every parameter a string. Plugins declare integers, numbers and booleans
in their JSON schemas, so a string value whose option the schema wants as
one of those, and which reads as one, is converted before the schema is
checked. Anything else is left as it is, for the validator to judge: a
value that does not read as the type still fails, naming the type.
"""

import math
import re

from oslo_utils import strutils

_INTEGER_RE = re.compile(r'[+-]?[0-9]+')


def _as_integer(text):
    if _INTEGER_RE.fullmatch(text):
        return int(text)
    raise ValueError(text)


def _as_number(text):
    if _INTEGER_RE.fullmatch(text):
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _as_boolean(text):
    return strutils.bool_from_string(text, strict=True)


# Tried in this order when a schema allows several types.
_READERS = (('integer', _as_integer), ('number', _as_number),
            ('boolean', _as_boolean))


def _allowed_types(schema):
    allowed = schema.get('type') if isinstance(schema, dict) else None
    if isinstance(allowed, str):
        return {allowed}
    if isinstance(allowed, list):
        return set(allowed)
    return set()


def _read(text, allowed):
    text = text.strip()
    for name, reader in _READERS:
        if name in allowed:
            try:
                return reader(text)
            except ValueError:
                continue
    raise ValueError(text)


def from_strings(options, schema):
    """``options`` with string values read as their schema's types.

    :param options: one resource type's options, ``{name: value}``; not
        modified.
    :param schema: the JSON schema of those options (an ``object`` schema
        with ``properties``).
    :returns: a new dict when anything was converted, else ``options``
        itself (including when it is not a dict).
    """
    if not isinstance(options, dict) or not isinstance(schema, dict):
        return options
    properties = schema.get('properties')
    if not isinstance(properties, dict):
        return options
    converted = None
    for name, value in options.items():
        if not isinstance(value, str):
            continue
        allowed = _allowed_types(properties.get(name))
        if not allowed or 'string' in allowed:
            continue
        try:
            new_value = _read(value, allowed)
        except ValueError:
            continue
        if converted is None:
            converted = dict(options)
        converted[name] = new_value
    return options if converted is None else converted
