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

"""Tests of karbor.objects.scheduled_operation on a real SQLite database.
"""

from karbor import exception
from karbor import objects
from karbor.tests.unit.objects import test_scheduled_operation_state as base


class TestScheduledOperation(base.ScheduledOperationTestCase):

    def test_create_loads_trigger(self):
        self.assertTrue(self.operation.enabled)
        self.assertEqual(self.trigger.id, self.operation.trigger.id)
        got = objects.ScheduledOperation.get_by_id(self.ctx,
                                                   self.operation.id)
        self.assertEqual('calendar', got.trigger.properties['format'])
        self.assertEqual('3', got.operation_definition['max_backups'])

    def test_trigger_is_loaded_on_demand(self):
        operation = objects.ScheduledOperation(
            self.ctx, id=self.operation.id, trigger_id=self.trigger.id)
        self.assertEqual('t', operation.trigger.name)

    def test_save_destroy_list(self):
        self.operation.enabled = False
        self.operation.save()
        ops = objects.ScheduledOperationList.get_all(
            self.ctx, filters={'operation_definition': 'max_backups'})
        self.assertEqual([False], [op.enabled for op in ops])
        self.operation.destroy()
        self.assertRaises(exception.ScheduledOperationNotFound,
                          objects.ScheduledOperation.get_by_id, self.ctx,
                          self.operation.id)
