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

"""Tests of the protect flow, end to end on a file-system bank."""

from oslo_serialization import jsonutils

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor.services.protection.flows import protect
from karbor.services.protection.flows import utils
from karbor.services.protection.flows import workflow
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes


class ProtectFlowTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.engine = workflow.TaskFlowEngine()

    def _run(self, provider):
        checkpoint = fakes.make_checkpoint(provider)
        operation_log = utils.create_operation_log(
            self.ctx, constants.OPERATION_PROTECT,
            constants.CHECKPOINT_STATUS_PROTECTING,
            checkpoint_id=checkpoint.id)
        flow, store = protect.get_flow(self.ctx, self.engine, checkpoint,
                                       provider, operation_log, {})
        engine = self.engine.get_engine(flow, store=store)
        return checkpoint, operation_log, engine

    def test_success(self):
        provider = fakes.make_provider(self)
        checkpoint, operation_log, engine = self._run(provider)
        self.engine.run_engine(engine)
        operation_log = self.records.operation_log(operation_log.id)
        stored = provider.get_checkpoint(checkpoint.id)
        self.assertEqual('available', stored.status)
        section = stored.get_resource_bank_section(fakes.VOLUME['id'])
        self.assertEqual('available', section.get_object('status'))
        self.assertEqual('available', operation_log.status)
        self.assertIsNotNone(operation_log.ended_at)
        self.assertIsNone(operation_log.error_info)
        self.assertEqual('test-host', jsonutils.loads(
            operation_log.extra_info)['host'])

    def test_failing_plugin_marks_checkpoint_and_log(self):
        provider = fakes.make_provider(
            self, plugins=['karbor-noop-protection-plugin',
                           fakes.FAILING_PLUGIN])
        checkpoint, operation_log, engine = self._run(provider)
        self.assertRaises(exception.KarborException,
                          self.engine.run_engine, engine)
        operation_log = self.records.operation_log(operation_log.id)
        self.assertEqual('error', provider.get_checkpoint(
            checkpoint.id).status)
        self.assertEqual('error', operation_log.status)
        self.assertIn('the server plugin broke', operation_log.error_info)
        self.assertIsNotNone(operation_log.ended_at)

    def test_flow_names_include_the_checkpoint(self):
        provider = fakes.make_provider(self)
        checkpoint = fakes.make_checkpoint(provider)
        flow, _store = protect.get_flow(self.ctx, self.engine, checkpoint,
                                        provider, None)
        names = [atom.name for atom in flow]
        self.assertEqual('Protect_%s' % checkpoint.id, flow.name)
        self.assertIn('InitiateProtectTask_%s' % checkpoint.id, names)
        self.assertIn('CompleteProtectTask_%s' % checkpoint.id, names)
