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

"""Tests of karbor.api.validation."""

import ddt

from karbor.api import validation
from karbor import exception
from karbor.tests import base

_SCHEMA = {
    'type': 'object',
    'properties': {
        'thing': {
            'type': 'object',
            'properties': {
                'id': {'type': 'string', 'format': 'uuid'},
                'name': {'type': 'string', 'format': 'name'},
                'size': {'type': 'integer', 'minimum': 1},
            },
            'required': ['id'],
            'additionalProperties': False,
        },
    },
    'required': ['thing'],
    'additionalProperties': False,
}
_UUID = '2f8f3b2c-5a3e-4a53-9d2e-0c9c1f3f7a10'


class _Controller:

    @validation.schema(_SCHEMA)
    def create(self, req, body):
        return body


@ddt.ddt
class ValidationTest(base.TestCase):

    @ddt.data({'thing': {'id': _UUID}},
              {'thing': {'id': _UUID, 'name': 'a b', 'size': 2}},
              {'thing': {'id': _UUID.replace('-', ''), 'name': ''}})
    def test_valid(self, body):
        self.assertEqual(body, _Controller().create(None, body=body))

    @ddt.data(
        (None, 'Invalid request body'),
        ([], 'Invalid request body'),
        ({}, "Missing required properties: 'thing'"),
        ({'thing': {'id': _UUID}, 'other': 1},
         "Unexpected properties: 'other'"),
        ({'thing': {'id': 'not-a-uuid'}},
         'field/attribute thing/id. Value: not-a-uuid. It is not a valid '
         'uuid'),
        ({'thing': {'id': 7}}, 'thing/id'),
        ({'thing': {'id': _UUID, 'name': '   '}}, 'thing/name'),
        ({'thing': {'id': _UUID, 'name': 'a\x00b'}}, 'thing/name'),
        ({'thing': {'id': _UUID, 'size': 0}}, 'thing/size'),
        ({'thing': {'id': _UUID, 'size': '2'}}, 'thing/size'),
        ({'thing': {'id': _UUID, 'colour': 'red'}},
         "thing. Value: dict. Unexpected properties: 'colour'"),
        ({'thing': []}, 'thing. Value: list. It must be of type object'),
    )
    @ddt.unpack
    def test_invalid(self, body, fragment):
        error = self.assertRaises(exception.ValidationError,
                                  _Controller().create, None, body=body)
        self.assertEqual(400, error.code)
        self.assertIn(fragment, str(error))
