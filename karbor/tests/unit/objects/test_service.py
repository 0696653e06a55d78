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

"""Tests of karbor.objects.service on a real SQLite database."""

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base


class TestService(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.ctx = context.get_admin_context()
        self.service = objects.Service(self.ctx, host='h1',
                                       binary='karbor-protection',
                                       topic='karbor-protection')
        self.service.create()

    def test_defaults_and_lookups(self):
        self.assertEqual(0, self.service.report_count)
        self.assertFalse(self.service.disabled)
        for lookup in (objects.Service.get_by_args,
                       objects.Service.get_by_host_and_binary):
            self.assertEqual(self.service.id,
                             lookup(self.ctx, 'h1', 'karbor-protection').id)
        self.assertEqual(self.service.id,
                         objects.Service.get_by_host_and_topic(
                             self.ctx, 'h1', 'karbor-protection').id)
        self.assertRaises(exception.HostBinaryNotFound,
                          objects.Service.get_by_args, self.ctx, 'h1',
                          'karbor-api')

    def test_update_and_list(self):
        self.service.report_count += 1
        self.service.disabled = True
        self.service.disabled_reason = 'maintenance'
        self.service.save()
        got = objects.Service.get_by_id(self.ctx, self.service.id)
        self.assertEqual((1, True, 'maintenance'),
                         (got.report_count, got.disabled,
                          got.disabled_reason))
        self.assertEqual(['h1'], [s.host for s in objects.ServiceList.get_all(
            self.ctx, {'binary': 'karbor-protection'})])
        self.assertEqual([], objects.ServiceList.get_all(
            self.ctx, {'host': 'h2'}).objects)
        self.assertEqual(1, len(objects.ServiceList.get_all_by_topic(
            self.ctx, 'karbor-protection', disabled=True)))
