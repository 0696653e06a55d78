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

"""Tests of karbor.objects.scheduled_operation_log (real SQLite)."""

import datetime

from oslo_utils import timeutils

from karbor import exception
from karbor import objects
from karbor.tests.unit.objects import test_scheduled_operation_state as base


class TestScheduledOperationLog(base.ScheduledOperationTestCase):

    def _log(self, state, offset):
        log = objects.ScheduledOperationLog(
            self.ctx, operation_id=self.operation.id, state=state,
            created_at=timeutils.utcnow() + datetime.timedelta(
                seconds=offset))
        log.create()
        return log

    def test_lifecycle(self):
        log = self._log('in_progress', 0)
        self.assertIsInstance(log.id, int)
        log.state = 'success'
        log.end_time = timeutils.utcnow()
        log.save()
        got = objects.ScheduledOperationLog.get_by_id(self.ctx, log.id)
        self.assertEqual('success', got.state)
        got.destroy()
        self.assertRaises(exception.ScheduledOperationLogNotFound,
                          objects.ScheduledOperationLog.get_by_id, self.ctx,
                          log.id)

    def test_destroy_oldest(self):
        for offset in range(4):
            self._log('success', offset)
        newest = self._log('success', 10)
        self.assertEqual(4, objects.ScheduledOperationLog.destroy_oldest(
            self.ctx, self.operation.id, 1))
        self.assertEqual([newest.id], [
            log.id for log in objects.ScheduledOperationLogList.get_all(
                self.ctx, filters={'operation_id': self.operation.id})])
