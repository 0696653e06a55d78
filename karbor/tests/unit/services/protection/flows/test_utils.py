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

"""Tests of the operation-log helpers of the flows."""

from unittest import mock

from oslo_serialization import jsonutils
from taskflow.types import failure

from karbor import context
from karbor.services.protection.flows import utils
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes


def _failure(exc):
    try:
        raise exc
    except Exception:
        return failure.Failure()


class OperationLogTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)

    def test_create(self):
        log = utils.create_operation_log(
            self.ctx, 'restore', 'in_progress',
            checkpoint_id=fakes.PLAN_ID, restore_id=fakes.PROVIDER_ID,
            extra_info={'verification_id': 'x'})
        stored = self.records.operation_log(log.id)
        self.assertEqual(('restore', 'in_progress', fakes.PROJECT_ID,
                          fakes.PLAN_ID, fakes.PROVIDER_ID),
                         (stored.operation_type, stored.status,
                          stored.project_id, stored.checkpoint_id,
                          stored.restore_id))
        self.assertIsNotNone(stored.started_at)
        self.assertIsNone(stored.ended_at)
        self.assertEqual({'host': 'test-host', 'verification_id': 'x'},
                         jsonutils.loads(stored.extra_info))
        self.assertEqual({'host': 'test-host', 'verification_id': 'x'},
                         utils.get_operation_log_extra_info(stored))

    def test_create_with_a_chosen_id(self):
        log = utils.create_operation_log(
            self.ctx, 'copy', 'wait_copying',
            operation_log_id=fakes.PLAN_ID)
        self.assertEqual(fakes.PLAN_ID, log.id)
        self.assertEqual('copy',
                         self.records.operation_log(fakes.PLAN_ID)
                         .operation_type)

    def test_update_and_fail(self):
        log = utils.create_operation_log(self.ctx, 'protect', 'protecting')
        utils.update_operation_log(self.ctx, log, status='protecting')
        self.assertIsNone(self.records.operation_log(log.id).ended_at)
        utils.fail_operation_log(self.ctx, log, 'error', 'it broke')
        stored = self.records.operation_log(log.id)
        self.assertEqual(('error', 'it broke'),
                         (stored.status, stored.error_info))
        self.assertIsNotNone(stored.ended_at)

    def test_fail_never_raises(self):
        log = utils.create_operation_log(self.ctx, 'protect', 'protecting')
        with mock.patch.object(log, 'save', autospec=True,
                               side_effect=RuntimeError('db down')):
            utils.fail_operation_log(self.ctx, log, 'error', 'x')

    def test_extra_info_that_is_not_an_object(self):
        log = mock.Mock(extra_info='[1]')
        self.assertEqual({}, utils.get_operation_log_extra_info(log))
        log.extra_info = 'not json'
        self.assertEqual({}, utils.get_operation_log_extra_info(log))
        log.extra_info = None
        self.assertEqual({}, utils.get_operation_log_extra_info(log))


class FailureReasonTest(base.TestCase):

    def test_reasons_are_joined_once(self):
        failures = {'a': _failure(ValueError('bad value')),
                    'b': _failure(ValueError('bad value')),
                    'c': _failure(KeyError('k'))}
        reason = utils.failure_reason(failures)
        self.assertEqual(1, reason.count('bad value'))
        self.assertIn("'k'", reason)

    def test_no_failure(self):
        self.assertEqual('unknown error', utils.failure_reason(None))

    def test_set_checkpoint_status_commits(self):
        checkpoint = mock.Mock()
        utils.set_checkpoint_status(checkpoint, 'error')
        self.assertEqual('error', checkpoint.status)
        checkpoint.commit.assert_called_once_with()
