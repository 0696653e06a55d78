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

"""Tests of the request-level copy log, on a real database."""

from oslo_utils import uuidutils

from karbor.common import constants
from karbor import context
from karbor import objects
from karbor.services.protection.flows import copy_request
from karbor.services.protection.flows import utils
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes


class CopyRequestTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.request = utils.create_operation_log(
            self.ctx, constants.OPERATION_COPY,
            constants.CHECKPOINT_STATUS_WAIT_COPYING)

    def _copy(self, status, progress=None, error=None):
        log = utils.create_operation_log(
            self.ctx, constants.OPERATION_COPY, status)
        if progress:
            log.set_progress(**progress)
        if error:
            log.error_info = error
            log.save()
        row = objects.CheckpointCopy(
            context=self.ctx, id=uuidutils.generate_uuid(),
            project_id=fakes.PROJECT_ID, provider_id=fakes.PROVIDER_ID,
            source_checkpoint_id=uuidutils.generate_uuid(),
            destination='az2', status=status, operation_log_id=log.id,
            request_id=self.request.id)
        row.create()
        return row

    def _request(self):
        copy_request.refresh(self.ctx, self.request.id)
        return self.records.operation_log(self.request.id)

    def test_running_then_success_with_summed_progress(self):
        self._copy('copying', {'objects_done': 1, 'bytes_done': 10})
        self._copy('wait_copying', {'objects_done': 2, 'bytes_done': 20})
        request = self._request()
        self.assertEqual('copying', request.status)
        self.assertIsNone(request.ended_at)
        self.assertEqual({'objects_done': 3, 'bytes_done': 30,
                          'objects_total': 0, 'bytes_total': 0},
                         request.get_progress())
        for row in objects.CheckpointCopyList.get_all(self.ctx):
            row.status = 'available'
            row.save()
        request = self._request()
        self.assertEqual('success', request.status)
        self.assertIsNotNone(request.ended_at)
        self.assertIsNone(request.error_info)

    def test_waiting_copies_keep_the_request_waiting(self):
        self._copy('wait_copying')
        self.assertEqual('wait_copying', self._request().status)

    def test_error_once_every_copy_ended(self):
        failed = self._copy('error', error='disk full')
        running = self._copy('copying')
        self.assertEqual('copying', self._request().status)
        running.status = 'available'
        running.save()
        request = self._request()
        self.assertEqual('error', request.status)
        self.assertEqual('%s: disk full' % failed.source_checkpoint_id,
                         request.error_info)
        self.assertIsNotNone(request.ended_at)

    def test_unknown_request_is_logged_not_raised(self):
        copy_request.refresh(self.ctx, uuidutils.generate_uuid())
        copy_request.refresh(self.ctx, None)
