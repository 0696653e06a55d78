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

"""JSON-schema validation of request bodies.

Controllers decorate their actions with ``@validation.schema(<schema>)``.
Schemas are JSON Schema Draft 4 with two extra formats: ``uuid`` and
``name``. A body that does not match gives 400 with a message naming the
offending field.
"""

import functools
import re

import jsonschema
from oslo_utils import uuidutils

from karbor import exception
from karbor.i18n import _

_FORMAT_CHECKER = jsonschema.FormatChecker(formats=())


@_FORMAT_CHECKER.checks('uuid')
def _is_uuid(instance):
    if not isinstance(instance, str):
        return True
    return uuidutils.is_uuid_like(instance)


@_FORMAT_CHECKER.checks('name')
def _is_name(instance):
    # A name may be empty, but not only blanks, and control characters
    # have no place in a name shown in tables.
    if not isinstance(instance, str):
        return True
    if instance and not instance.strip():
        return False
    return all(ch.isprintable() for ch in instance)


def _field_path(error):
    path = [str(part) for part in error.absolute_path]
    return '/'.join(path) if path else None


_SCALARS = (str, int, float, bool, type(None))


def _message(error):
    # jsonschema's messages repeat the whole offending value; for objects
    # that may be a large body or hold credentials (restore_auth), which
    # must not be echoed nor logged. Scalars are short and useful.
    if isinstance(error.instance, _SCALARS):
        return error.message
    if error.validator == 'required':
        missing = [key for key in error.validator_value
                   if key not in error.instance]
        return _("Missing required properties: %s.") % ', '.join(
            repr(key) for key in missing)
    if error.validator == 'additionalProperties':
        known = error.schema.get('properties', {})
        patterns = list(error.schema.get('patternProperties', {}))
        extra = sorted(key for key in error.instance if key not in known and
                       not any(re.search(p, key) for p in patterns))
        return _("Unexpected properties: %s.") % ', '.join(
            repr(key) for key in extra)
    if error.validator == 'type':
        return _("It must be of type %s.") % error.validator_value
    return _("It must match the schema (%(validator)s: %(value)s).") % {
        'validator': error.validator, 'value': error.validator_value}


def _describe(error):
    field = _field_path(error)
    if error.validator == 'format':
        detail = (_("Invalid input for field/attribute %(field)s. Value: "
                    "%(value)s. It is not a valid %(format)s.") %
                  {'field': field, 'value': error.instance,
                   'format': error.validator_value})
    elif field:
        value = (error.instance if isinstance(error.instance, _SCALARS)
                 else type(error.instance).__name__)
        detail = (_("Invalid input for field/attribute %(field)s. Value: "
                    "%(value)s. %(message)s") %
                  {'field': field, 'value': value,
                   'message': _message(error)})
    else:
        detail = _("Invalid request body: %s") % _message(error)
    return detail


def validate(body, schema):
    """Check ``body`` against ``schema``.

    :raises karbor.exception.ValidationError: with a message that names the
        wrong field.
    """
    validator = jsonschema.Draft4Validator(schema,
                                           format_checker=_FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        raise exception.ValidationError(detail=_describe(error))


def schema(request_body_schema):
    """Decorate a controller action taking ``body`` to validate it first."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, req, *args, body=None, **kwargs):
            validate(body, request_body_schema)
            return func(self, req, *args, body=body, **kwargs)
        return wrapper
    return decorator
