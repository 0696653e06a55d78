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

"""Tests of the delete flow, end to end on a file-system bank."""

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor.services.protection.flows import delete
from karbor.services.protection.flows import utils
from karbor.services.protection.flows import workflow
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes


class DeleteFlowTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.engine = workflow.TaskFlowEngine()

    def _run(self, provider):
        checkpoint = fakes.make_checkpoint(
            provider, status=constants.CHECKPOINT_STATUS_AVAILABLE)
        section = checkpoint.get_resource_bank_section(fakes.VOLUME['id'])
        section.update_object('metadata', {'resource_id': 'x'})
        operation_log = utils.create_operation_log(
            self.ctx, constants.OPERATION_DELETE,
            constants.CHECKPOINT_STATUS_DELETING,
            checkpoint_id=checkpoint.id)
        flow, store = delete.get_flow(self.ctx, self.engine, checkpoint,
                                      provider, operation_log)
        return (checkpoint, section, operation_log,
                self.engine.get_engine(flow, store=store))

    def test_success(self):
        provider = fakes.make_provider(self)
        checkpoint, section, operation_log, engine = self._run(provider)
        self.engine.run_engine(engine)
        operation_log = self.records.operation_log(operation_log.id)
        self.assertEqual('deleted', provider.get_checkpoint(
            checkpoint.id).status)
        self.assertEqual([], section.list_objects())
        self.assertEqual([], provider.list_checkpoints(
            fakes.PROJECT_ID, fakes.PROVIDER_ID))
        self.assertEqual('deleted', operation_log.status)
        self.assertEqual('delete', operation_log.operation_type)
        self.assertIsNotNone(operation_log.ended_at)

    def test_failing_plugin(self):
        provider = fakes.make_provider(
            self, plugins=['karbor-noop-protection-plugin',
                           fakes.FAILING_PLUGIN])
        checkpoint, _s, operation_log, engine = self._run(provider)
        self.assertRaises(exception.KarborException,
                          self.engine.run_engine, engine)
        operation_log = self.records.operation_log(operation_log.id)
        self.assertEqual('error-deleting', provider.get_checkpoint(
            checkpoint.id).status)
        self.assertEqual('error-deleting', operation_log.status)
        self.assertIn('the server plugin broke', operation_log.error_info)
        self.assertIsNotNone(operation_log.ended_at)
