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

import ddt
import jsonschema

from karbor.common import option_values
from karbor.tests import base

SCHEMA = {'type': 'object',
          'properties': {'count': {'type': 'integer'},
                         'ratio': {'type': 'number'},
                         'force': {'type': 'boolean'},
                         'name': {'type': 'string'},
                         'limit': {'type': ['integer', 'null']},
                         'label': {'type': ['string', 'integer']},
                         'any': {}}}


@ddt.ddt
class FromStringsTest(base.TestCase):

    @ddt.data(
        ('count', '3', 3), ('count', ' -12 ', -12), ('count', '+7', 7),
        ('ratio', '0.5', 0.5), ('ratio', '2', 2), ('ratio', '1e3', 1000.0),
        ('force', 'True', True), ('force', 'no', False), ('force', '1', True),
        ('limit', '10', 10),
    )
    @ddt.unpack
    def test_strings_read_as_the_schema_type(self, name, text, expected):
        options = {name: text}
        result = option_values.from_strings(options, SCHEMA)
        self.assertEqual({name: expected}, result)
        self.assertIs(type(expected), type(result[name]))
        self.assertEqual({name: text}, options)  # not modified
        jsonschema.validate(result, SCHEMA)

    @ddt.data(
        ('count', 'three'), ('count', '1.5'), ('count', '1_000'),
        ('ratio', 'nan'), ('ratio', 'inf'), ('ratio', 'x'),
        ('force', 'maybe'), ('force', ''),
    )
    @ddt.unpack
    def test_unreadable_strings_are_left_for_the_validator(self, name, text):
        options = {name: text}
        self.assertIs(options, option_values.from_strings(options, SCHEMA))
        self.assertRaises(jsonschema.ValidationError, jsonschema.validate,
                          options, SCHEMA)

    @ddt.data(
        {'name': '3'},     # the schema wants a string
        {'label': '3'},    # a string is allowed
        {'any': '3'},      # no type
        {'unknown': '3'},  # not in the schema
        {'count': 3},      # not a string
        {},
    )
    def test_other_values_are_untouched(self, options):
        self.assertIs(options, option_values.from_strings(options, SCHEMA))

    @ddt.data(None, 'x', ['count'])
    def test_non_objects_are_returned_as_given(self, options):
        self.assertIs(options, option_values.from_strings(options, SCHEMA))

    @ddt.data({}, {'type': 'object'}, {'properties': []}, None)
    def test_schemas_without_properties_change_nothing(self, schema):
        options = {'count': '3'}
        self.assertIs(options, option_values.from_strings(options, schema))
