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

"""Tests of karbor.resource."""

from karbor import resource
from karbor.tests import base


class ResourceTest(base.TestCase):

    def test_identity_ignores_extra_info(self):
        a = resource.Resource('OS::Nova::Server', 'id1', 'vm', {'k': 'v'})
        b = resource.Resource('OS::Nova::Server', 'id1', 'vm')
        self.assertEqual(a, b)
        self.assertEqual(hash(a), hash(b))
        self.assertEqual(1, len({a, b}))

    def test_identity_uses_type_id_and_name(self):
        a = resource.Resource('OS::Nova::Server', 'id1', 'vm')
        self.assertNotEqual(a, resource.Resource('OS::Cinder::Volume',
                                                 'id1', 'vm'))
        self.assertNotEqual(a, resource.Resource('OS::Nova::Server',
                                                 'id2', 'vm'))
        self.assertNotEqual(a, resource.Resource('OS::Nova::Server',
                                                 'id1', 'other'))

    def test_immutable(self):
        a = resource.Resource('T', 'i', 'n')
        self.assertRaises(AttributeError, setattr, a, 'id', 'x')

    def test_dict_round_trip(self):
        a = resource.Resource('T', 'i', 'n', {'x': 1})
        data = a.to_dict()
        self.assertEqual({'type': 'T', 'id': 'i', 'name': 'n',
                          'extra_info': {'x': 1}}, data)
        back = resource.Resource.from_dict(data)
        self.assertEqual(a, back)
        self.assertEqual({'x': 1}, back.extra_info)
        self.assertIsNone(resource.Resource.from_dict(
            {'type': 'T', 'id': 'i', 'name': 'n'}).extra_info)
