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

"""Tests of karbor.objects.scheduled_operation_state (real SQLite)."""

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base


class ScheduledOperationTestCase(base.TestCase):
    """A trigger and a scheduled operation, shared by the related tests."""

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.ctx = context.RequestContext(user_id='u', project_id='proj')
        self.trigger = objects.Trigger(
            self.ctx, name='t', project_id='proj', type='time',
            properties={'format': 'calendar', 'pattern': 'x'})
        self.trigger.create()
        self.operation = objects.ScheduledOperation(
            self.ctx, name='op', operation_type='protect', user_id='u',
            project_id='proj', trigger_id=self.trigger.id,
            operation_definition={'plan_id': 'p', 'provider_id': 'v',
                                  'max_backups': '3'})
        self.operation.create()


class TestScheduledOperationState(ScheduledOperationTestCase):

    def test_lifecycle(self):
        service = objects.Service(self.ctx, host='h',
                                  binary='karbor-operationengine',
                                  topic='karbor-operationengine')
        service.create()
        state = objects.ScheduledOperationState(
            self.ctx, operation_id=self.operation.id, service_id=service.id,
            trust_id='trust', state='init')
        state.create()
        self.assertEqual(self.operation.id, state.operation.id)
        state.state = 'registered'
        state.save()
        got = objects.ScheduledOperationState.get_by_operation_id(
            self.ctx, self.operation.id)
        self.assertEqual('registered', got.state)
        self.assertEqual(['registered'], [
            s.state for s in objects.ScheduledOperationStateList.get_all(
                self.ctx, filters={'service_id': service.id})])
        got.destroy()
        self.assertRaises(
            exception.ScheduledOperationStateNotFound,
            objects.ScheduledOperationState.get_by_operation_id, self.ctx,
            self.operation.id)
