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

"""Tests of karbor.api.v1.services, through the real WSGI application."""

import datetime

from unittest import mock

import ddt
from oslo_utils import timeutils

from karbor import context
from karbor import objects
from karbor.tests.unit.api import fakes


@ddt.ddt
class ServicesApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.admin_ctx = context.get_admin_context()
        self.engine = self._make('karbor-operationengine', 'host1')
        self.protection_service = self._make('karbor-protection', 'host2')

    def _make(self, binary, host):
        service = objects.Service(context=self.admin_ctx, host=host,
                                  binary=binary, topic=binary)
        service.create()
        return service

    def test_list(self):
        body = self.assertOk(self.request('GET', '/os-services'))
        self.assertEqual({'services'}, set(body))
        by_id = {s['id']: s for s in body['services']}
        engine = by_id[self.engine.id]
        self.assertEqual(
            {'id': self.engine.id, 'binary': 'karbor-operationengine',
             'host': 'host1', 'status': 'enabled', 'state': 'up',
             'disabled_reason': None},
            {k: v for k, v in engine.items() if k != 'updated_at'})

    def test_list_filters(self):
        body = self.assertOk(self.request(
            'GET', '/os-services?host=host2&binary=karbor-protection'))
        self.assertEqual([self.protection_service.id],
                         [s['id'] for s in body['services']])

    def test_state_down_when_not_seen(self):
        with mock.patch.object(
                timeutils, 'utcnow', autospec=True,
                return_value=timeutils.utcnow() + datetime.timedelta(
                    seconds=3600)):
            body = self.assertOk(self.request('GET', '/os-services'))
        self.assertEqual({'down'}, {s['state'] for s in body['services']})

    def test_list_forbidden_for_member(self):
        self.assertFault(self.request('GET', '/os-services', admin=False),
                         403)

    def test_disable_with_reason_and_enable(self):
        path = '/os-services/%s' % self.engine.id
        body = self.assertOk(self.request(
            'PUT', path, {'status': 'disabled',
                          'disabled_reason': 'maintenance'}))['service']
        self.assertEqual(('disabled', 'maintenance'),
                         (body['status'], body['disabled_reason']))
        stored = objects.Service.get_by_id(self.admin_ctx, self.engine.id)
        self.assertTrue(stored.disabled)
        body = self.assertOk(self.request(
            'PUT', path, {'status': 'enabled'}))['service']
        self.assertEqual(('enabled', None),
                         (body['status'], body['disabled_reason']))

    @ddt.data({}, {'status': 'off'}, {'status': 'enabled',
                                      'disabled_reason': 'why'},
              {'status': 'disabled', 'host': 'x'})
    def test_update_invalid(self, body):
        self.assertFault(self.request(
            'PUT', '/os-services/%s' % self.engine.id, body), 400)
        self.assertFalse(objects.Service.get_by_id(
            self.admin_ctx, self.engine.id).disabled)

    def test_update_other_binary(self):
        self.assertFault(self.request(
            'PUT', '/os-services/%s' % self.protection_service.id,
            {'status': 'disabled'}), 400, 'karbor-operationengine')

    def test_update_bad_id(self):
        self.assertFault(self.request('PUT', '/os-services/abc',
                                      {'status': 'disabled'}), 400)
        self.assertFault(self.request('PUT', '/os-services/999',
                                      {'status': 'disabled'}), 404)

    def test_update_forbidden_for_member(self):
        self.assertFault(self.request(
            'PUT', '/os-services/%s' % self.engine.id,
            {'status': 'disabled'}, admin=False), 403)
