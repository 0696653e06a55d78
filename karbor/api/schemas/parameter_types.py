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

"""Building blocks shared by the request schemas."""

uuid = {'type': 'string', 'format': 'uuid'}

name = {'type': 'string', 'minLength': 0, 'maxLength': 255,
        'format': 'name'}

nullable_name = {'type': ['string', 'null'], 'minLength': 0,
                 'maxLength': 255, 'format': 'name'}

description = {'type': ['string', 'null'], 'minLength': 0,
               'maxLength': 255}

# A flat map of JSON scalars, as stored in checkpoint extra_info and in
# plan parameters.
metadata = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9_:. /-]{1,255}$': {
            'type': ['string', 'integer', 'boolean'],
        },
    },
    'additionalProperties': False,
}

nullable_metadata = dict(metadata, type=['object', 'null'])

# Keys are a resource type ("OS::Nova::Server") or a type and a resource
# id ("OS::Nova::Server#<uuid>"); the controllers check them further
# against the provider's schemas.
parameters = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9_:.# -]{1,255}$': metadata,
    },
    'additionalProperties': False,
}

resource = {
    'type': 'object',
    'properties': {
        'id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'type': {'type': 'string', 'minLength': 1, 'maxLength': 64},
        'name': {'type': 'string', 'minLength': 0, 'maxLength': 255},
        'extra_info': {'type': ['object', 'null']},
    },
    'required': ['id', 'type', 'name'],
    'additionalProperties': False,
}

resources = {
    'type': 'array',
    'items': resource,
    'minItems': 1,
}

# Quota limits: -1 is unlimited. The legacy CLI may send numbers as
# strings.
quota_limit = {
    'anyOf': [
        {'type': 'integer', 'minimum': -1},
        {'type': 'string', 'pattern': r'^\s*(-1|[0-9]+)\s*$'},
    ],
}
