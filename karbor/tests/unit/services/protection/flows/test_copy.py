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

"""Tests of the copy flow, end to end between two file-system banks."""

from unittest import mock

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import objects
from karbor.services.protection import bank_plugin
from karbor.services.protection import checkpoint as checkpoint_module
from karbor.services.protection.flows import copy as copy_flow
from karbor.services.protection.flows import utils
from karbor.services.protection.flows import workflow
from karbor.services.protection import protection_plugin
from karbor.services.protection.protection_plugins import noop
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes

LAZY_PLUGIN = __name__ + '.LazyCopyPlugin'


class LazyCopyPlugin(noop.NoopProtectionPlugin):
    """Claims to copy volumes but moves nothing."""

    def get_copy_operation(self, resource):
        return protection_plugin.Operation()

    @classmethod
    def get_supported_resources_types(cls):
        return (constants.VOLUME_RESOURCE_TYPE,)


class CopyFlowTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.engine = workflow.TaskFlowEngine()

    def _source(self, provider):
        source = fakes.make_checkpoint(
            provider, status=constants.CHECKPOINT_STATUS_AVAILABLE)
        for resource in (fakes.SERVER, fakes.VOLUME):
            section = source.get_resource_bank_section(resource['id'])
            section.update_object('status', 'available')
            section.update_object('metadata', {'id': resource['id']})
        return source

    def _prepare(self, provider, source=None, earlier_attempts=True):
        source = source or self._source(provider)
        destination = provider.get_copy_destination()
        request_log = utils.create_operation_log(
            self.ctx, constants.OPERATION_COPY,
            constants.CHECKPOINT_STATUS_WAIT_COPYING,
            provider_id=provider.id)
        copy_id = uuidutils.generate_uuid()
        record = objects.CheckpointCopy(
            context=self.ctx, id=copy_id, project_id=fakes.PROJECT_ID,
            provider_id=provider.id, plan_id=fakes.PLAN_ID,
            source_checkpoint_id=source.id, destination=destination.name,
            status=constants.CHECKPOINT_STATUS_WAIT_COPYING,
            request_id=request_log.id, host='test-host')
        record.create()
        checkpoint_copy = destination.checkpoint_collection.create_copy(
            source, copy_id=copy_id, destination=destination.name)
        operation_log = utils.create_operation_log(
            self.ctx, constants.OPERATION_COPY,
            constants.CHECKPOINT_STATUS_WAIT_COPYING, checkpoint_id=copy_id)
        record.operation_log_id = operation_log.id
        record.save()
        flow, store = copy_flow.get_flow(
            self.ctx, self.engine, source, checkpoint_copy, provider,
            record, operation_log, {}, earlier_attempts=earlier_attempts)
        return (source, checkpoint_copy, record, operation_log,
                request_log, self.engine.get_engine(flow, store=store))

    def test_leftovers_are_looked_for_after_earlier_attempts_only(self):
        provider = fakes.make_provider(self, copy_destinations=('az2',))
        for earlier, calls in ((False, 0), (True, 1)):
            engine = self._prepare(provider, earlier_attempts=earlier)[-1]
            with mock.patch.object(checkpoint_module.Checkpoint,
                                   'delete_leftovers',
                                   autospec=True) as leftovers:
                self.engine.run_engine(engine)
            self.assertEqual(calls, leftovers.call_count)

    def test_success(self):
        provider = fakes.make_provider(self, copy_destinations=('az2',))
        (source, copy, record, log, request_log,
         engine) = self._prepare(provider)
        source_before = source.metadata
        self.engine.run_engine(engine)
        stored = provider.get_copy_destination().checkpoint_collection.get(
            copy.id)
        self.assertEqual('available', stored.status)
        self.assertEqual('finished',
                         jsonutils.loads(stored.extra_info)['copy_status'])
        for resource in (fakes.SERVER, fakes.VOLUME):
            self.assertEqual(
                {'id': resource['id']},
                stored.get_resource_bank_section(
                    resource['id']).get_object('metadata'))
        self.assertEqual(source_before,
                         provider.get_checkpoint(source.id).metadata)
        log = self.records.operation_log(log.id)
        self.assertEqual('success', log.status)
        self.assertIsNotNone(log.ended_at)
        self.assertEqual(4, log.get_progress()['objects_done'])
        self.assertEqual(log.get_progress(), stored.copy_progress)
        self.assertEqual('available', objects.CheckpointCopy.get_by_id(
            self.ctx, record.id).status)
        request_log = self.records.operation_log(request_log.id)
        self.assertEqual('success', request_log.status)
        self.assertEqual(4, request_log.get_progress()['objects_done'])

    def test_failure_reverts_copy_row_and_logs(self):
        provider = fakes.make_provider(
            self, plugins=['karbor-noop-protection-plugin',
                           fakes.FAILING_PLUGIN],
            copy_destinations=('az2',))
        # FailingServerPlugin has no copy operation: the flow cannot be
        # built for a graph holding a server.
        self.assertRaises(exception.OperationNotSupported, self._prepare,
                          provider)

    def test_verification_failure_reverts(self):
        provider = fakes.make_provider(
            self, plugins=['karbor-noop-protection-plugin', LAZY_PLUGIN],
            copy_destinations=('az2',))
        (source, copy, record, log, request_log,
         engine) = self._prepare(provider)
        e = self.assertRaises(exception.CopyFailed, self.engine.run_engine,
                              engine)
        self.assertIn(fakes.VOLUME['id'], str(e))
        stored = provider.get_copy_destination().checkpoint_collection.get(
            copy.id)
        self.assertEqual('error', stored.status)
        self.assertEqual('error',
                         jsonutils.loads(stored.extra_info)['copy_status'])
        log = self.records.operation_log(log.id)
        self.assertEqual('error', log.status)
        self.assertIn('missing in the copy', log.error_info)
        self.assertIsNotNone(log.ended_at)
        self.assertEqual('error', objects.CheckpointCopy.get_by_id(
            self.ctx, record.id).status)
        request_log = self.records.operation_log(request_log.id)
        self.assertEqual('error', request_log.status)
        self.assertIn(source.id, request_log.error_info)
        self.assertEqual('available',
                         provider.get_checkpoint(source.id).status)

    def test_rerun_after_failure_finishes_the_same_copy(self):
        provider = fakes.make_provider(self, copy_destinations=('az2',))
        (source, copy, record, log, request_log,
         engine) = self._prepare(provider)
        self.engine.run_engine(engine)
        # Run the same copy again, as a retry or a resume would.
        flow, store = copy_flow.get_flow(
            self.ctx, self.engine, source, copy, provider, record, log, {})
        self.engine.run_engine(self.engine.get_engine(flow, store=store))
        self.assertEqual('available', copy.status)

    def test_atom_names_carry_the_copy_id(self):
        provider = fakes.make_provider(self, copy_destinations=('az2',))
        names = []
        for _ in range(2):
            (_source, copy, _record, _log, _request,
             engine) = self._prepare(provider)
            engine.compile()
            atoms = [a.name for a in engine.compilation.execution_graph]
            self.assertTrue(all(copy.id in name for name in atoms), atoms)
            names.extend(atoms)
        self.assertEqual(len(names), len(set(names)))
        self.assertIn('InitiateCopyTask_%s' % copy.id, names)
        self.assertIn('CompleteCopyTask_%s' % copy.id, names)


class CheckCopyTest(base.TestCase):

    def test_missing_objects_are_named(self):
        provider = fakes.make_provider(self, copy_destinations=('az2',))
        source = fakes.make_checkpoint(provider, resources=(fakes.VOLUME,))
        section = source.get_resource_bank_section(fakes.VOLUME['id'])
        section.update_object('a', 1)
        section.update_object('b', 2)
        copy = provider.get_copy_destination().checkpoint_collection\
            .create_copy(source, destination='az2')
        copy.get_resource_bank_section(fakes.VOLUME['id']).update_object(
            'a', 1)
        e = self.assertRaises(exception.CopyFailed, copy_flow.check_copy,
                              source, copy)
        self.assertIn('1 object(s)', str(e))
        # A section the bank mover verified whole is not listed again.
        with mock.patch.object(bank_plugin.BankSection, 'list_objects',
                               autospec=True) as listed:
            copy_flow.check_copy(source, copy, verified={fakes.VOLUME['id']})
        listed.assert_not_called()
        copy.get_resource_bank_section(fakes.VOLUME['id']).update_object(
            'b', 2)
        copy_flow.check_copy(source, copy)
