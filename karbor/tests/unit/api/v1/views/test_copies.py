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

"""Tests of karbor.api.v1.views.copies."""

from karbor.api.v1.views import copies
from karbor.tests import base


class CopyViewTest(base.TestCase):

    def test_detail(self):
        result = {
            'id': 'req', 'status': 'wait_copying',
            'parameters': {'T': {'k': 'v'}},
            'destination': {'name': 'az2', 'region': 'RegionTwo',
                            'availability_zone': 'az2',
                            'description': 'd', 'default': False,
                            'bank': 'internal, not shown'},
            'checkpoint_id': [{'checkpoint_protect_id': 's',
                               'checkpoint_copy_id': 'c',
                               'internal': 'not shown'}],
            'internal': 'not shown'}
        self.assertEqual(
            {'id': 'req', 'status': 'wait_copying', 'project_id': 'prj',
             'provider_id': 'prv', 'plan_id': 'pln',
             'parameters': {'T': {'k': 'v'}},
             'destination': {'name': 'az2', 'region': 'RegionTwo',
                             'availability_zone': 'az2',
                             'description': 'd', 'default': False},
             'checkpoint_id': [{'checkpoint_protect_id': 's',
                                'checkpoint_copy_id': 'c'}]},
            copies.detail(result, 'prj', 'prv', 'pln'))

    def test_missing_optional_parts(self):
        view = copies.detail({'id': 'req', 'status': 'copying'}, 'prj',
                             'prv', 'pln')
        self.assertEqual([], view['checkpoint_id'])
        self.assertEqual({}, view['parameters'])
        self.assertEqual({'name': None, 'region': None,
                          'availability_zone': None, 'description': None,
                          'default': None}, view['destination'])
