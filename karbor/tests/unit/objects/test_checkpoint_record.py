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

"""Tests of karbor.objects.checkpoint_record on a real SQLite database."""

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base

IDS = ['2a9b37f6-55b9-4d05-90b8-4ee2f2e3f2c9',
       'b766f37c-d011-4026-8228-28730d734a3f',
       '8d5b7f1e-4a2e-4e3c-9a53-6f0b1f7f5c11']


class TestCheckpointRecord(base.TestCase):

    USE_DB = True

    def test_lifecycle(self):
        ctx = context.RequestContext(user_id='u', project_id='proj')
        record = objects.CheckpointRecord(
            ctx, project_id='proj', checkpoint_id=IDS[0],
            checkpoint_status='available', provider_id=IDS[1],
            plan_id=IDS[2])
        record.create()
        record.checkpoint_status = 'deleted'
        record.save()
        self.assertEqual(['deleted'], [
            r.checkpoint_status for r in objects.CheckpointRecordList.get_all(
                ctx, filters={'plan_id': IDS[2]})])
        record.destroy()
        self.assertRaises(exception.CheckpointRecordNotFound,
                          objects.CheckpointRecord.get_by_id, ctx, record.id)
