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

"""Tests of the restore and verify flows, end to end on a file-system bank.
"""

import ddt
from taskflow import exceptions as taskflow_exc

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor.services.protection.flows import protect
from karbor.services.protection.flows import restore
from karbor.services.protection.flows import utils
from karbor.services.protection.flows import verify
from karbor.services.protection.flows import workflow
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes

# operation -> (flow module, Records method that makes a record, Records
# method that reloads it, extra get_flow arguments)
OPERATIONS = {
    constants.OPERATION_RESTORE: (restore, 'new_restore', 'restore',
                                  {'restore_auth': None}),
    constants.OPERATION_VERIFY: (verify, 'new_verification',
                                 'verification', {}),
}


@ddt.ddt
class RecordFlowTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.engine = workflow.TaskFlowEngine()

    def _protected_checkpoint(self):
        # Protect with the noop plugin so that its metadata is there.
        provider = fakes.make_provider(self)
        checkpoint = fakes.make_checkpoint(provider)
        log = utils.create_operation_log(self.ctx, 'protect', 'protecting')
        flow, store = protect.get_flow(self.ctx, self.engine, checkpoint,
                                       provider, log)
        self.engine.run_engine(self.engine.get_engine(flow, store=store))
        return provider, checkpoint

    def _run(self, operation, provider, checkpoint):
        module, new_record, _reload, extra = OPERATIONS[operation]
        record = getattr(self.records, new_record)(
            self.ctx, provider.id, checkpoint.id, create=True)
        operation_log = utils.create_operation_log(
            self.ctx, operation, constants.OPERATION_LOG_STATUS_IN_PROGRESS,
            checkpoint_id=checkpoint.id)
        flow, store = module.get_flow(
            self.ctx, self.engine, checkpoint, provider, record,
            operation_log, {}, **extra)
        return record, operation_log, self.engine.get_engine(flow,
                                                             store=store)

    def _reload(self, operation, record, operation_log):
        reload_record = getattr(self.records, OPERATIONS[operation][2])
        return (reload_record(record.id),
                self.records.operation_log(operation_log.id))

    @ddt.data(*OPERATIONS)
    def test_success(self, operation):
        provider, checkpoint = self._protected_checkpoint()
        record, operation_log, engine = self._run(operation, provider,
                                                  checkpoint)
        self.engine.run_engine(engine)
        record, operation_log = self._reload(operation, record,
                                             operation_log)
        self.assertEqual('success', record.status)
        self.assertEqual('success', operation_log.status)
        self.assertIsNotNone(operation_log.ended_at)
        self.assertEqual(
            {'%s#%s' % (r['type'], r['id']): 'available'
             for r in (fakes.SERVER, fakes.VOLUME)},
            record.resources_status)

    @ddt.data(*OPERATIONS)
    def test_missing_backup_fails_with_reason(self, operation):
        provider = fakes.make_provider(self)
        checkpoint = fakes.make_checkpoint(
            provider, status=constants.CHECKPOINT_STATUS_AVAILABLE)
        record, operation_log, engine = self._run(operation, provider,
                                                  checkpoint)
        # Both resources fail, which taskflow wraps in one failure.
        self.assertRaises(taskflow_exc.WrappedFailure,
                          self.engine.run_engine, engine)
        record, operation_log = self._reload(operation, record,
                                             operation_log)
        self.assertEqual('fail', record.status)
        self.assertEqual('fail', operation_log.status)
        self.assertIn('holds no backup data', operation_log.error_info)
        self.assertIsNotNone(operation_log.ended_at)

    @ddt.data(*OPERATIONS)
    def test_failing_plugin(self, operation):
        provider = fakes.make_provider(
            self, plugins=['karbor-noop-protection-plugin',
                           fakes.FAILING_PLUGIN])
        checkpoint = fakes.make_checkpoint(
            provider, resources=(fakes.SERVER,),
            status=constants.CHECKPOINT_STATUS_AVAILABLE)
        record, operation_log, engine = self._run(operation, provider,
                                                  checkpoint)
        self.assertRaises(exception.KarborException,
                          self.engine.run_engine, engine)
        record, operation_log = self._reload(operation, record,
                                             operation_log)
        self.assertEqual('fail', record.status)
        self.assertIn('the server plugin broke', operation_log.error_info)

    @ddt.data(*OPERATIONS)
    def test_task_names_and_store(self, operation):
        provider, checkpoint = self._protected_checkpoint()
        record, _log, engine = self._run(operation, provider, checkpoint)
        title = operation.capitalize()
        engine.compile()
        names = {atom.name for atom in engine.compilation.execution_graph}
        self.assertIn('Initiate%sTask_%s' % (title, record.id), names)
        self.assertIn('Complete%sTask_%s' % (title, record.id), names)
