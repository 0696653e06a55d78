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

"""Tests of karbor.db.sqlalchemy.models."""

from karbor.db.sqlalchemy import models
from karbor.tests import base

UPSTREAM_TABLES = {
    'services', 'plans', 'resources', 'restores', 'verifications',
    'operation_logs', 'triggers', 'trigger_executions',
    'scheduled_operations', 'scheduled_operation_states',
    'scheduled_operation_logs', 'checkpoint_records', 'quotas',
    'quota_classes', 'quota_usages', 'reservations',
}
# Tables of our own, beside upstream's.
KARBOR_TABLES = {'checkpoint_copies'}


class TestModels(base.TestCase):

    def test_every_upstream_table(self):
        tables = UPSTREAM_TABLES | KARBOR_TABLES
        self.assertEqual(tables, set(models.BASE.metadata.tables))
        self.assertEqual(tables, {m.__tablename__
                                  for m in models.get_models()})

    def test_soft_delete_columns(self):
        for table in models.BASE.metadata.tables.values():
            for column in ('created_at', 'updated_at', 'deleted_at',
                           'deleted'):
                self.assertIn(column, table.columns, table.name)

    def test_json_text_round_trip(self):
        json_type = models.JsonEncodedDict()
        stored = json_type.process_bind_param({'a': [1, True, None]}, None)
        self.assertIsInstance(stored, str)
        self.assertEqual({'a': [1, True, None]},
                         json_type.process_result_value(stored, None))
        self.assertIsNone(json_type.process_bind_param(None, None))
        self.assertIsNone(json_type.process_result_value('', None))

    def test_operation_log_progress_is_documented(self):
        for key in ('objects_done', 'objects_total', 'bytes_done',
                    'bytes_total'):
            self.assertIn(key, models.OperationLog.__doc__)

    def test_usage_total(self):
        self.assertEqual(3, models.QuotaUsage(in_use=1, reserved=2).total)
        self.assertEqual(0, models.QuotaUsage().total)
