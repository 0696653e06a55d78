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

"""The JSON view of a provider."""

_SCHEMA_KEYS = ('options_schema', 'restore_schema', 'saved_info_schema')
_DESTINATION_KEYS = ('name', 'region', 'availability_zone', 'description',
                     'default')


def detail(provider):
    """``{id, name, description, extended_info_schema, copy_destinations}``.

    The protection service builds the schemas; the view only guarantees
    the three keys clients read are there. ``copy_destinations`` (name,
    region, availability zone, description, whether it is the default) is
    additive: upstream clients ignore it.
    """
    schemas = dict(provider.get('extended_info_schema') or {})
    for key in _SCHEMA_KEYS:
        schemas.setdefault(key, {})
    return {
        'id': provider['id'],
        'name': provider.get('name'),
        'description': provider.get('description'),
        'extended_info_schema': schemas,
        'copy_destinations': [
            {key: destination.get(key) for key in _DESTINATION_KEYS}
            for destination in provider.get('copy_destinations') or ()],
    }
