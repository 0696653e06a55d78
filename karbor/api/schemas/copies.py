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

"""Request schema of /providers/{provider_id}/checkpoints/action (copy).

Two forms of the body are accepted: upstream Karbor's object form
``{"copy": {"plan_id", "parameters"?, "destination"?}}`` and the original
specification's list form ``{"copy": [{"provider_id"?, "plan_id",
"parameters"?, "destination"?}]}``, whose list holds exactly one item.
"""

from karbor.api.schemas import parameter_types

# A copy parameter key is a resource type ("OS::Nova::Server"), optionally
# followed by "#" and the id of one resource of that type; the value is a
# flat map of scalars, as for protect and restore parameters.
_PARAMETER_KEY = r'^(?=.{1,255}$)[a-zA-Z0-9_:. -]+(#[a-zA-Z0-9_. -]+)?$'

parameters = {
    'type': 'object',
    'patternProperties': {
        _PARAMETER_KEY: parameter_types.metadata,
    },
    'additionalProperties': False,
}

# The name of one of the provider's copy destinations; null or absent
# means the provider's default destination.
destination = {'type': ['string', 'null'], 'minLength': 1,
               'maxLength': 255, 'format': 'name'}

_OBJECT_FORM_PROPERTIES = {
    'plan_id': parameter_types.uuid,
    'parameters': parameters,
    'destination': destination,
}

_LIST_ITEM = {
    'type': 'object',
    'properties': dict(_OBJECT_FORM_PROPERTIES,
                       provider_id=parameter_types.uuid),
    'required': ['plan_id'],
    'additionalProperties': False,
}

# One schema serves both forms: JSON Schema applies the object keywords
# only to an object and the array keywords only to an array. That keeps
# the error messages about the offending field, which "oneOf" would blur
# into "is not valid under any of the given schemas". The object form
# refuses provider_id as upstream does (the provider is the URL's).
create = {
    'type': 'object',
    'properties': {
        'copy': {
            'type': ['object', 'array'],
            'properties': _OBJECT_FORM_PROPERTIES,
            'required': ['plan_id'],
            'additionalProperties': False,
            'items': _LIST_ITEM,
            'minItems': 1,
            'maxItems': 1,
        },
    },
    'required': ['copy'],
    'additionalProperties': False,
}
