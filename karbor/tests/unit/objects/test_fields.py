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

"""Tests of karbor.objects.fields."""

import ddt

from karbor.objects import base
from karbor.objects import fields
from karbor.tests import base as test_base


@base.KarborObjectRegistry.register_if(False)
class _Holder(base.KarborObject):
    fields = {
        'scalars': fields.DictOfJsonScalarsField(nullable=True),
        'params': fields.DictOfDictOfJsonScalarsField(nullable=True),
        'resources': fields.PlanResourceListField(nullable=True),
        'when': fields.DateTimeField(nullable=True),
    }


@ddt.ddt
class TestJsonFields(test_base.TestCase):

    def test_scalars_keep_their_types(self):
        holder = _Holder(scalars={'s': 'x', 'i': 3, 'f': 1.5, 'b': False,
                                  'n': None},
                         params={'OS::Nova::Server': {'count': 2,
                                                      'full': True}})
        self.assertIs(False, holder.scalars['b'])
        self.assertEqual(3, holder.scalars['i'])
        self.assertIs(True, holder.params['OS::Nova::Server']['full'])

    @ddt.data({'a': [1]}, {'a': {'b': 1}}, {1: 'x'}, ['a'], 'text')
    def test_scalars_reject(self, value):
        self.assertRaises(ValueError, setattr, _Holder(), 'scalars', value)

    @ddt.data({'T': 'x'}, {'T': {'k': [1]}}, {'T': {1: 'v'}}, [])
    def test_dict_of_dict_rejects(self, value):
        self.assertRaises(ValueError, setattr, _Holder(), 'params', value)

    def test_plan_resources(self):
        holder = _Holder(resources=[{'id': 'a', 'type': 'T', 'name': 'n',
                                     'extra_info': {'k': {'nested': 1}}},
                                    {'id': 'b', 'type': 'T'}])
        self.assertEqual([{'id': 'a', 'type': 'T', 'name': 'n',
                           'extra_info': {'k': {'nested': 1}}},
                          {'id': 'b', 'type': 'T', 'name': None,
                           'extra_info': None}], holder.resources)

    @ddt.data([{'type': 'T'}], [{'id': 'a', 'type': 'T', 'bogus': 1}],
              [{'id': 'a', 'type': 'T', 'extra_info': 'text'}],
              ['not a dict'], {'id': 'a'})
    def test_plan_resources_reject(self, value):
        self.assertRaises(ValueError, setattr, _Holder(), 'resources', value)

    def test_datetime_is_naive(self):
        holder = _Holder(when='2026-01-02T03:04:05')
        self.assertIsNone(holder.when.tzinfo)
