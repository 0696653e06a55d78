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

"""Tests of karbor.api.v1.quota_classes, through the real WSGI application."""

import ddt

from karbor import context
from karbor import quota
from karbor.tests.unit.api import fakes


@ddt.ddt
class QuotaClassesApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.flags(quota_plans=50, quota_checkpoints=-1)
        self.admin_ctx = context.get_admin_context()

    def test_show(self):
        body = self.assertOk(self.request('GET', '/quota_classes/default',
                                          admin=False))
        self.assertEqual({'quota_class': {'plans': 50, 'checkpoints': -1,
                                          'id': 'default'}}, body)

    def test_update(self):
        body = self.assertOk(self.request(
            'PUT', '/quota_classes/gold',
            {'quota_class': {'checkpoints': 100}}))
        self.assertEqual({'quota_class': {'plans': 50,
                                          'checkpoints': 100}}, body)
        self.assertEqual(100, quota.QUOTAS.get_class_quotas(
            self.admin_ctx, 'gold')['checkpoints'])

    @ddt.data({}, {'quota_class': {'plans': -5}}, {'quota': {'plans': 1}},
              {'quota_class': {'colour': 1}})
    def test_update_invalid(self, body):
        self.assertFault(self.request('PUT', '/quota_classes/gold', body),
                         400)
        self.assertEqual({'plans': 50, 'checkpoints': -1},
                         quota.QUOTAS.get_class_quotas(self.admin_ctx,
                                                       'gold'))

    def test_update_forbidden_for_member(self):
        self.assertFault(self.request(
            'PUT', '/quota_classes/gold', {'quota_class': {'plans': 1}},
            admin=False), 403)
