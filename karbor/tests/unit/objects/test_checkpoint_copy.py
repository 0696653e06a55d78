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

"""Tests of karbor.objects.checkpoint_copy on a real SQLite database."""

import threading

from oslo_utils import uuidutils

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base


class TestCheckpointCopy(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.ctx = context.RequestContext(user_id='u', project_id='proj')

    def _copy(self, status='wait_copying', source=None):
        record = objects.CheckpointCopy(
            self.ctx, id=uuidutils.generate_uuid(), project_id='proj',
            provider_id=uuidutils.generate_uuid(),
            source_checkpoint_id=source or uuidutils.generate_uuid(),
            destination='az2', status=status, host='h')
        record.create()
        return record

    def test_lifecycle(self):
        record = self._copy()
        record.status = 'available'
        record.save()
        self.assertEqual(['available'], [
            r.status for r in objects.CheckpointCopyList.get_all(
                self.ctx, filters={'destination': 'az2'})])
        self.assertRaises(exception.CheckpointCopyExists, self._copy,
                          source=record.source_checkpoint_id)
        record.destroy()
        self.assertRaises(exception.CheckpointCopyNotFound,
                          objects.CheckpointCopy.get_by_id, self.ctx,
                          record.id)
        self._copy(source=record.source_checkpoint_id)

    def test_claim_for_retry(self):
        record = self._copy(status='error')
        request_id = uuidutils.generate_uuid()
        self.assertTrue(record.claim_for_retry(request_id=request_id))
        self.assertEqual(('wait_copying', request_id),
                         (record.status, record.request_id))
        stored = objects.CheckpointCopy.get_by_id(self.ctx, record.id)
        self.assertEqual(('wait_copying', request_id),
                         (stored.status, stored.request_id))
        self.assertFalse(stored.claim_for_retry())

    def test_concurrent_claims_have_one_winner(self):
        record = self._copy(status='error')
        barrier = threading.Barrier(4)
        wins = []

        def claim():
            mine = objects.CheckpointCopy.get_by_id(self.ctx, record.id)
            barrier.wait()
            wins.append(mine.claim_for_retry())

        threads = [threading.Thread(target=claim) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([False, False, False, True], sorted(wins))
