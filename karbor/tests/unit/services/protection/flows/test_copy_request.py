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

import functools
from unittest import mock

import fixtures
from oslo_utils import uuidutils

from karbor.common import constants
from karbor import context
from karbor import exception
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

    def _set_clock(self, now):
        self.now = now
        self.useFixture(fixtures.MonkeyPatch(
            'karbor.services.protection.flows.copy_request._clock',
            lambda: self.now))

    def _progress(self):
        return self.records.operation_log(self.request.id).get_progress()

    def _reads(self):
        return mock.patch.object(objects.OperationLog, 'get_by_id',
                                 wraps=objects.OperationLog.get_by_id)

    def test_reports_are_summed_in_memory_and_written_at_intervals(self):
        self._set_clock(100.0)
        first = self._copy('copying', {'objects_done': 1})
        second = self._copy('copying', {'objects_done': 2})
        # The first report seeds the sums from every copy's log.
        copy_request.report_progress(self.ctx, self.request.id,
                                     first.operation_log_id,
                                     {'objects_done': 5})
        self.assertEqual(3, self._progress()['objects_done'])
        self.now += copy_request.PROGRESS_INTERVAL / 2
        with self._reads() as reads:
            copy_request.report_progress(self.ctx, self.request.id,
                                         second.operation_log_id,
                                         {'objects_done': 7})
        # Too soon: kept, not written, nothing read.
        self.assertEqual(0, reads.call_count)
        self.assertEqual(3, self._progress()['objects_done'])
        self.now += copy_request.PROGRESS_INTERVAL
        with self._reads() as reads:
            copy_request.report_progress(self.ctx, self.request.id,
                                         first.operation_log_id,
                                         {'objects_done': 6})
        # Only the request's own log is read, whatever the copies.
        self.assertEqual(1, reads.call_count)
        self.assertEqual(13, self._progress()['objects_done'])

    def test_refresh_reads_the_copies_logs_once(self):
        rows = [self._copy('copying') for _ in range(10)]
        with self._reads() as reads:
            copy_request.refresh(self.ctx, self.request.id)
        self.assertEqual(11, reads.call_count)
        with self._reads() as reads:
            copy_request.refresh(self.ctx, self.request.id)
        self.assertEqual(1, reads.call_count)
        for row in rows:
            row.status = 'available'
            row.save()
        self.assertEqual('success', self._request().status)
        # The request ended: its sums are forgotten.
        self.assertNotIn(self.request.id, copy_request._PROGRESS)

    def test_reported_totals_end_in_the_request(self):
        self._set_clock(100.0)
        row = self._copy('copying')
        self._request()
        copy_request.report_progress(
            self.ctx, self.request.id, row.operation_log_id,
            {'objects_done': 4, 'objects_total': 4, 'bytes_done': 40,
             'bytes_total': 40})
        row.status = 'available'
        row.save()
        request = self._request()
        self.assertEqual('success', request.status)
        self.assertEqual({'objects_done': 4, 'objects_total': 4,
                          'bytes_done': 40, 'bytes_total': 40},
                         request.get_progress())

    def _set_status(self, row, status):
        row.status = status
        row.save()

    def test_update_writes_and_recomputes_in_one_go(self):
        row = self._copy('copying')
        log = self.records.operation_log(row.operation_log_id)
        self._request()

        def close_log():
            log.status = 'success'
            log.save()
        copy_request.update(
            self.ctx, self.request.id,
            functools.partial(self._set_status, row, 'available'),
            close_log, progress=(log.id, {'objects_done': 2,
                                          'objects_total': 2}))
        self.assertEqual('available', objects.CheckpointCopy.get_by_id(
            self.ctx, row.id).status)
        self.assertEqual('success',
                         self.records.operation_log(log.id).status)
        request = self.records.operation_log(self.request.id)
        self.assertEqual('success', request.status)
        self.assertEqual(2, request.get_progress()['objects_done'])

    def test_update_writes_nothing_when_a_write_fails(self):
        row = self._copy('wait_copying')
        self._request()

        def fail():
            raise exception.CheckpointCopyNotFound(copy_id=row.id)
        self.assertRaises(
            exception.CheckpointCopyNotFound, copy_request.update,
            self.ctx, self.request.id,
            functools.partial(self._set_status, row, 'copying'), fail)
        self.assertEqual('wait_copying', objects.CheckpointCopy.get_by_id(
            self.ctx, row.id).status)
        self.assertEqual('wait_copying',
                         self.records.operation_log(self.request.id).status)

    def test_update_of_a_gone_or_no_request_still_writes(self):
        row = self._copy('wait_copying')
        for request_id in (uuidutils.generate_uuid(), None):
            copy_request.update(
                self.ctx, request_id,
                functools.partial(self._set_status, row, 'copying'))
            self.assertEqual('copying', objects.CheckpointCopy.get_by_id(
                self.ctx, row.id).status)
            self._set_status(row, 'wait_copying')

    def test_unknown_request_is_logged_not_raised(self):
        copy_request.refresh(self.ctx, uuidutils.generate_uuid())
        copy_request.refresh(self.ctx, None)
        copy_request.report_progress(self.ctx, uuidutils.generate_uuid(),
                                     'log', {'objects_done': 1})
        copy_request.report_progress(self.ctx, None, 'log', {})
