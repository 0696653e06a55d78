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

"""Tests of karbor.api.v1.operation_logs, through the real WSGI application."""

import datetime

import ddt

from karbor import objects
from karbor.tests.unit.api import fakes


@ddt.ddt
class OperationLogsApiTest(fakes.ApiTestCase):

    def _make(self, project_id=fakes.PROJECT_ID, operation_type='protect',
              status='available'):
        log = objects.OperationLog(
            context=self.context(project_id), project_id=project_id,
            operation_type=operation_type, checkpoint_id=fakes.new_id(),
            plan_id=fakes.new_id(), provider_id=fakes.PROVIDER_ID,
            status=status, started_at=datetime.datetime(2026, 11, 26, 8),
            extra_info=None)
        log.create()
        return log

    def test_show(self):
        log = self._make()
        body = self.assertOk(self.request(
            'GET', '/operation_logs/%s' % log.id,
            admin=False))['operation_log']
        self.assertEqual(
            ['id', 'operation_type', 'checkpoint_id', 'plan_id',
             'provider_id', 'restore_id', 'scheduled_operation_id',
             'status', 'started_at', 'ended_at', 'error_info',
             'extra_info'], list(body))
        self.assertEqual(log.checkpoint_id, body['checkpoint_id'])
        self.assertTrue(body['started_at'].startswith('2026-11-26T08:00'))
        self.assertIsNone(body['ended_at'])

    def test_show_invalid_and_hidden(self):
        other = self._make(project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(self.request('GET', '/operation_logs/abc'), 400)
        self.assertFault(self.request(
            'GET', '/operation_logs/%s' % other.id, admin=False), 404)
        self.assertFault(self.request(
            'GET', '/operation_logs/%s' % fakes.new_id()), 404)

    def test_list_operation_type_filter_for_members(self):
        self._make(operation_type='copy')
        self._make(operation_type='protect')
        self._make(project_id=fakes.OTHER_PROJECT_ID, operation_type='copy')
        body = self.assertOk(self.request(
            'GET', '/operation_logs?operation_type=copy', admin=False))
        self.assertEqual(['copy'], [log['operation_type']
                                    for log in body['operation_logs']])

    def test_list_whitelist_configurable(self):
        self.flags(query_operation_log_filters=['status'])
        self._make(operation_type='copy')
        self._make(operation_type='protect')
        body = self.assertOk(self.request(
            'GET', '/operation_logs?operation_type=copy', admin=False))
        self.assertEqual(2, len(body['operation_logs']))

    def test_list_paging(self):
        logs = [self._make() for _ in range(3)]
        body = self.assertOk(self.request(
            'GET', '/operation_logs?limit=2&sort=id:asc'))
        expected = sorted(log.id for log in logs)[:2]
        self.assertEqual(expected,
                         [log['id'] for log in body['operation_logs']])
        self.assertIn('operation_logs_links', body)

    @ddt.data('limit=0', 'sort=password', 'marker=zzz')
    def test_list_invalid_query(self, query):
        self.assertFault(self.request('GET', '/operation_logs?' + query),
                         400)
