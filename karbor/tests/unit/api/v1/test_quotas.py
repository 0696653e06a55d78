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

"""Tests of karbor.api.v1.quotas, through the real WSGI application."""

import ddt

from karbor import context
from karbor import quota
from karbor.tests.unit.api import fakes


@ddt.ddt
class QuotasApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.flags(quota_plans=50, quota_checkpoints=-1)
        self.admin_ctx = context.get_admin_context()
        self.path = '/quotas/%s' % fakes.PROJECT_ID

    def test_show(self):
        body = self.assertOk(self.request('GET', self.path, admin=False))
        self.assertEqual({'quota': {'plans': 50, 'checkpoints': -1,
                                    'id': fakes.PROJECT_ID}}, body)

    def test_detail(self):
        reservations = quota.QUOTAS.reserve(self.admin_ctx,
                                            project_id=fakes.PROJECT_ID,
                                            plans=2)
        quota.QUOTAS.commit(self.admin_ctx, reservations,
                            project_id=fakes.PROJECT_ID)
        body = self.assertOk(self.request('GET', self.path + '/detail'))
        self.assertEqual({'limit': 50, 'in_use': 2, 'reserved': 0},
                         body['quota']['plans'])
        self.assertEqual(fakes.PROJECT_ID, body['quota']['id'])

    def test_defaults(self):
        quota.QUOTAS.update_project_quotas(self.admin_ctx, fakes.PROJECT_ID,
                                           {'plans': 3})
        body = self.assertOk(self.request('GET', self.path + '/defaults',
                                          admin=False))
        self.assertEqual({'plans': 50, 'checkpoints': -1,
                          'id': fakes.PROJECT_ID}, body['quota'])

    def test_show_other_project_forbidden_for_member(self):
        self.assertFault(self.request(
            'GET', '/quotas/%s' % fakes.OTHER_PROJECT_ID, admin=False), 403)

    def test_show_other_project_for_admin(self):
        body = self.assertOk(self.request(
            'GET', '/quotas/%s' % fakes.OTHER_PROJECT_ID))
        self.assertEqual(fakes.OTHER_PROJECT_ID, body['quota']['id'])

    def test_show_not_uuid(self):
        self.assertFault(self.request('GET', '/quotas/abc'), 400)

    @ddt.data({'plans': 10}, {'plans': '10'}, {'checkpoints': -1},
              {'plans': 0, 'checkpoints': 7})
    def test_update(self, values):
        body = self.assertOk(self.request('PUT', self.path,
                                          {'quota': values}))
        expected = {'plans': 50, 'checkpoints': -1}
        expected.update({k: int(v) for k, v in values.items()})
        self.assertEqual({'quota': expected}, body)
        self.assertEqual(expected, quota.QUOTAS.get_project_quotas(
            self.admin_ctx, fakes.PROJECT_ID, usages=False))

    @ddt.data({}, {'quota': {}}, {'quota': {'plans': -2}},
              {'quota': {'plans': 'many'}}, {'quota': {'plans': 1.5}},
              {'quota': {'triggers': 1}}, {'quota': {'plans': None}},
              {'quota': {'plans': True}}, {'quota': 5})
    def test_update_invalid(self, body):
        self.assertFault(self.request('PUT', self.path, body), 400)
        self.assertEqual(50, quota.QUOTAS.get_project_quotas(
            self.admin_ctx, fakes.PROJECT_ID, usages=False)['plans'])

    def test_update_forbidden_for_member(self):
        self.assertFault(self.request('PUT', self.path,
                                      {'quota': {'plans': 99}},
                                      admin=False), 403)
        self.assertEqual(50, quota.QUOTAS.get_project_quotas(
            self.admin_ctx, fakes.PROJECT_ID, usages=False)['plans'])

    def test_delete(self):
        quota.QUOTAS.update_project_quotas(self.admin_ctx, fakes.PROJECT_ID,
                                           {'plans': 3})
        self.assertIsNone(self.assertOk(self.request('DELETE', self.path)))
        self.assertEqual(50, quota.QUOTAS.get_project_quotas(
            self.admin_ctx, fakes.PROJECT_ID, usages=False)['plans'])

    def test_delete_forbidden_for_member(self):
        self.assertFault(self.request('DELETE', self.path, admin=False),
                         403)
