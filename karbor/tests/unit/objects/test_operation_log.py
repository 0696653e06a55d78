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

"""Tests of karbor.objects.operation_log on a real SQLite database."""

from oslo_serialization import jsonutils
from oslo_utils import timeutils

from karbor import context
from karbor import objects
from karbor.tests import base

CHECKPOINT = '2a9b37f6-55b9-4d05-90b8-4ee2f2e3f2c9'


class TestOperationLog(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.ctx = context.RequestContext(user_id='u', project_id='proj')
        self.log = objects.OperationLog(
            self.ctx, project_id='proj', operation_type='copy',
            checkpoint_id=CHECKPOINT, status='wait_copying',
            started_at=timeutils.utcnow())
        self.log.create()

    def test_progress_is_kept_in_extra_info(self):
        self.log.set_progress(objects_total=10, bytes_total=4096)
        self.log.set_progress(objects_done=3, bytes_done=1024)
        got = objects.OperationLog.get_by_id(self.ctx, self.log.id)
        self.assertEqual({'objects_done': 3, 'objects_total': 10,
                          'bytes_done': 1024, 'bytes_total': 4096},
                         got.get_progress())
        self.assertEqual(got.get_progress(),
                         jsonutils.loads(got.extra_info))

    def test_progress_keeps_other_extra_info(self):
        self.log.extra_info = jsonutils.dumps({'source': 'x'})
        self.log.set_progress(save=False, objects_done=1)
        self.assertIn('extra_info', self.log.obj_what_changed())
        self.assertEqual({'source': 'x', 'objects_done': 1},
                         self.log.get_extra_info())

    def test_progress_rejects_bad_values(self):
        self.assertRaises(ValueError, self.log.set_progress, percent=5)
        self.assertRaises(ValueError, self.log.set_progress, bytes_done=-1)
        self.assertRaises(ValueError, self.log.set_progress,
                          bytes_done=True)

    def test_non_json_extra_info_reads_as_empty(self):
        self.log.extra_info = 'not json'
        self.assertEqual({}, self.log.get_progress())

    def test_status_and_list(self):
        self.log.status = 'success'
        self.log.ended_at = timeutils.utcnow()
        self.log.save()
        logs = objects.OperationLogList.get_all(
            self.ctx, filters={'checkpoint_id': CHECKPOINT,
                               'operation_type': 'copy'})
        self.assertEqual(['success'], [log.status for log in logs])
        self.assertIsNotNone(logs[0].ended_at)
