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

"""Tests of the protection manager, on real banks and a real database."""

import datetime
import os
import shutil
import threading
from unittest import mock

import ddt
import fixtures
from oslo_serialization import jsonutils

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import objects
from karbor import quota
from karbor.services.protection.flows import utils as flow_utils
from karbor.services.protection import manager
from karbor.services.protection.protection_plugins import bank_data
from karbor.services.protection.protection_plugins import noop
from karbor.tests import base
from karbor.tests.fixtures import file_trees
from karbor.tests.unit.services.protection import fake_protection as fakes

FAILING_PROVIDER_ID = 'f0000000-0000-4000-8000-00000000000f'
STRICT_PROVIDER_ID = '50000000-0000-4000-8000-000000000005'
UNKNOWN_ID = 'dead0000-0000-4000-8000-000000000000'
COPY_FAILING_PROVIDER_ID = 'c0000000-0000-4000-8000-00000000000c'
BROKEN_COPY_PLUGIN = __name__ + '.BrokenVolumeCopyPlugin'


class BrokenVolumeCopyPlugin(noop.NoopProtectionPlugin):
    """The noop plugin for volumes, whose copy always fails."""

    def get_copy_operation(self, resource):
        return fakes.FailingOperation()

    @classmethod
    def get_supported_resources_types(cls):
        return (constants.VOLUME_RESOURCE_TYPE,)


class ManagerTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        directory = self.useFixture(fixtures.TempDir()).path
        providers_dir = os.path.join(directory, 'providers.d')
        os.mkdir(providers_dir)
        self.directory = directory
        for provider_id, plugins in (
                (fakes.PROVIDER_ID, None),
                (FAILING_PROVIDER_ID, ['karbor-noop-protection-plugin',
                                       fakes.FAILING_PLUGIN]),
                (STRICT_PROVIDER_ID, [fakes.STRICT_PLUGIN]),
                (COPY_FAILING_PROVIDER_ID, ['karbor-noop-protection-plugin',
                                            BROKEN_COPY_PLUGIN])):
            # Every provider can copy to 'az2' (the default) and 'dr'.
            fakes.write_provider_file(
                providers_dir, os.path.join(directory, provider_id),
                plugins, provider_id=provider_id,
                name='%s.conf' % provider_id,
                copy_destinations=[
                    (name, os.path.join(directory, '%s-%s' % (provider_id,
                                                              name)))
                    for name in ('az2', 'dr')])
        self.flags(provider_config_dir=providers_dir)
        self.manager = manager.ProtectionManager()
        self.addCleanup(self.manager.cleanup_host)
        self.manager.init_host()
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.other_ctx = context.RequestContext(
            user_id='u2', project_id=fakes.OTHER_PROJECT_ID)
        self.admin_ctx = context.RequestContext(
            user_id='admin', project_id=fakes.OTHER_PROJECT_ID,
            is_admin=True)

    def provider(self, provider_id=fakes.PROVIDER_ID):
        return self.manager.provider_registry.show_provider(provider_id)

    def wait(self):
        self.assertTrue(self.manager.worker.wait(timeout=30))

    def protect(self, provider_id=fakes.PROVIDER_ID,
                resources=(fakes.SERVER, fakes.VOLUME), ctx=None,
                wait=True, **plan_kwargs):
        ctx = ctx or self.ctx
        plan = fakes.FakePlan([dict(r) for r in resources],
                              provider_id=provider_id,
                              project_id=ctx.project_id, **plan_kwargs)
        view = self.manager.protect(
            ctx, plan, {'status': constants.CHECKPOINT_STATUS_PROTECTING,
                        'extra_info': {'created_by': 'manual'}})
        if wait:
            self.wait()
        return view

    def status(self, checkpoint_id, provider_id=fakes.PROVIDER_ID):
        return self.provider(provider_id).get_checkpoint(
            checkpoint_id).status

    def set_status(self, checkpoint_id, status,
                   provider_id=fakes.PROVIDER_ID):
        checkpoint = self.provider(provider_id).get_checkpoint(checkpoint_id)
        checkpoint.status = status
        checkpoint.commit()


class ProtectTest(ManagerTestBase):

    def test_protect(self):
        view = self.protect(wait=False)
        self.assertEqual(constants.CHECKPOINT_STATUS_PROTECTING,
                         view['status'])
        self.assertEqual(fakes.PROJECT_ID, view['project_id'])
        self.assertEqual(fakes.PLAN_ID, view['protection_plan']['id'])
        self.assertEqual({'created_by': 'manual'},
                         jsonutils.loads(view['extra_info']))
        self.assertIn(fakes.SERVER['id'], view['resource_graph'])
        self.wait()
        self.assertEqual('available', self.status(view['id']))
        logs = self.records.operation_logs(checkpoint_id=view['id'])
        self.assertEqual(1, len(logs))
        log = logs[0]
        self.assertEqual(('protect', 'available', fakes.PLAN_ID,
                          fakes.PROVIDER_ID, fakes.PROJECT_ID),
                         (log.operation_type, log.status, log.plan_id,
                          log.provider_id, log.project_id))
        self.assertIsNotNone(log.ended_at)
        self.assertEqual('test-host', log.get_extra_info()['host'])

    def test_project_plan_builds_its_graph_on_the_default(self):
        project = {'type': constants.PROJECT_RESOURCE_TYPE,
                   'id': fakes.PROJECT_ID, 'name': 'demo'}
        view = self.protect(resources=(project,))
        self.assertEqual('available', self.status(view['id']))

    def test_failing_plugin(self):
        view = self.protect(provider_id=FAILING_PROVIDER_ID)
        self.assertEqual('error', self.status(view['id'],
                                              FAILING_PROVIDER_ID))
        log = self.records.operation_logs(checkpoint_id=view['id'])[0]
        self.assertEqual('error', log.status)
        self.assertIn('the server plugin broke', log.error_info)

    def test_plan_without_resources(self):
        e = self.assertRaises(exception.InvalidPlan, self.protect,
                              resources=())
        self.assertEqual(400, e.code)

    def test_unknown_provider(self):
        self.assertRaises(exception.ProviderNotFound, self.protect,
                          provider_id=UNKNOWN_ID)

    def test_type_without_plugin_is_refused_before_anything(self):
        e = self.assertRaises(exception.InvalidPlan, self.protect,
                              provider_id=STRICT_PROVIDER_ID)
        self.assertIn(constants.SERVER_RESOURCE_TYPE, str(e))
        self.assertEqual([], self.provider(STRICT_PROVIDER_ID)
                         .list_checkpoints(fakes.PROJECT_ID,
                                           STRICT_PROVIDER_ID))
        self.assertEqual([], self.records.operation_logs())

    def test_scheduled_operation_id_reaches_the_log(self):
        plan = fakes.FakePlan([dict(fakes.VOLUME)])
        op_id = 'e0000000-0000-4000-8000-00000000000e'
        view = self.manager.protect(self.ctx, plan, {'extra_info': {
            'created_by': 'operation-engine',
            'scheduled_operation_id': op_id}})
        self.wait()
        log = self.records.operation_logs(checkpoint_id=view['id'])[0]
        self.assertEqual(op_id, log.scheduled_operation_id)


class StartFailureTest(ManagerTestBase):
    """An operation that cannot start leaves nothing running."""

    def _checkpoint_ids(self):
        return self.provider().list_checkpoints(fakes.PROJECT_ID,
                                                fakes.PROVIDER_ID)

    def test_protect_with_a_stopped_worker(self):
        self.manager.worker.stop()
        self.assertRaises(RuntimeError, self.protect, wait=False)
        [checkpoint_id] = self._checkpoint_ids()
        self.assertEqual('error', self.status(checkpoint_id))
        log = self.records.operation_logs(checkpoint_id=checkpoint_id)[0]
        self.assertEqual('error', log.status)
        self.assertIn('stopped', log.error_info)

    def test_protect_when_the_log_cannot_be_written(self):
        with mock.patch.object(flow_utils, 'create_operation_log',
                               autospec=True,
                               side_effect=RuntimeError('db down')):
            self.assertRaises(RuntimeError, self.protect, wait=False)
        [checkpoint_id] = self._checkpoint_ids()
        self.assertEqual('error', self.status(checkpoint_id))

    def test_delete_restore_verify_with_a_stopped_worker(self):
        checkpoint_id = self.protect()['id']
        self.manager.worker.stop()
        restore = self.records.new_restore(self.ctx,
                                           checkpoint_id=checkpoint_id)
        self.assertRaises(RuntimeError, self.manager.restore, self.ctx,
                          restore)
        self.assertEqual('fail', self.records.restore(restore.id).status)
        verification = self.records.new_verification(
            self.ctx, checkpoint_id=checkpoint_id)
        self.assertRaises(RuntimeError, self.manager.verification,
                          self.ctx, verification)
        self.assertEqual('fail', self.records.verification(
            verification.id).status)
        self.assertRaises(RuntimeError, self.manager.delete, self.ctx,
                          fakes.PROVIDER_ID, checkpoint_id)
        self.assertEqual('error-deleting', self.status(checkpoint_id))
        for log in self.records.operation_logs():
            self.assertIsNotNone(log.ended_at)


class CheckpointQueriesTest(ManagerTestBase):

    def setUp(self):
        super().setUp()
        self.ids = [self.protect()['id'] for _ in range(3)]
        self.other_id = self.protect(ctx=self.other_ctx)['id']

    def test_list_is_newest_first_and_scoped_to_the_project(self):
        views = self.manager.list_checkpoints(self.ctx, fakes.PROVIDER_ID)
        self.assertEqual(set(self.ids), {v['id'] for v in views})
        keys = [(v['created_at'], v['id']) for v in views]
        self.assertEqual(3, len(keys))
        ascending = self.manager.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID, sort_dirs=['asc'])
        self.assertEqual([v['id'] for v in views],
                         [v['id'] for v in reversed(ascending)])

    def test_list_pages(self):
        first = self.manager.list_checkpoints(self.ctx, fakes.PROVIDER_ID,
                                              limit=2)
        self.assertEqual(2, len(first))
        rest = self.manager.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID, marker=first[-1]['id'])
        self.assertEqual(set(self.ids),
                         {v['id'] for v in first + rest})

    def test_list_filters(self):
        self.assertEqual([], self.manager.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID, filters={'plan_id': UNKNOWN_ID}))
        filters = {'plan_id': fakes.PLAN_ID, 'start_date': '2000-01-01'}
        self.assertEqual(3, len(self.manager.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID, filters=filters)))
        filters = {'start_date': datetime.date(2000, 1, 1),
                   'end_date': datetime.date(2000, 1, 2)}
        self.assertEqual([], self.manager.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID, filters=filters))

    def test_all_tenants_only_for_admins(self):
        self.assertEqual(3, len(self.manager.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID, all_tenants=True)))
        self.assertEqual(4, len(self.manager.list_checkpoints(
            self.admin_ctx, fakes.PROVIDER_ID, all_tenants=True)))
        self.assertEqual([self.other_id], [
            v['id'] for v in self.manager.list_checkpoints(
                self.admin_ctx, fakes.PROVIDER_ID, all_tenants=True,
                filters={'project_id': fakes.OTHER_PROJECT_ID})])

    def test_list_unknown_provider(self):
        self.assertRaises(exception.ProviderNotFound,
                          self.manager.list_checkpoints, self.ctx,
                          UNKNOWN_ID)

    def test_show(self):
        view = self.manager.show_checkpoint(self.ctx, fakes.PROVIDER_ID,
                                            self.ids[0])
        self.assertEqual('available', view['status'])
        self.assertEqual(self.ids[0], view['id'])

    def test_show_other_project(self):
        e = self.assertRaises(exception.AccessCheckpointNotAllowed,
                              self.manager.show_checkpoint, self.ctx,
                              fakes.PROVIDER_ID, self.other_id)
        self.assertEqual(403, e.code)
        self.assertEqual(self.other_id, self.manager.show_checkpoint(
            self.admin_ctx, fakes.PROVIDER_ID, self.other_id)['id'])

    def test_show_unknown(self):
        e = self.assertRaises(exception.CheckpointNotFound,
                              self.manager.show_checkpoint, self.ctx,
                              fakes.PROVIDER_ID, UNKNOWN_ID)
        self.assertEqual(404, e.code)


@ddt.ddt
class DeleteAndResetTest(ManagerTestBase):

    def setUp(self):
        super().setUp()
        self.checkpoint_id = self.protect()['id']

    def test_delete(self):
        self.manager.delete(self.ctx, fakes.PROVIDER_ID, self.checkpoint_id)
        self.wait()
        self.assertEqual('deleted', self.status(self.checkpoint_id))
        self.assertEqual([], self.manager.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID))
        log = self.records.operation_logs(operation_type='delete')[0]
        self.assertEqual((self.checkpoint_id, 'deleted'),
                         (log.checkpoint_id, log.status))

    def test_delete_sets_deleting_synchronously(self):
        self.manager.worker.stop()
        self.manager.worker = _NoRunWorker()
        self.manager.delete(self.ctx, fakes.PROVIDER_ID, self.checkpoint_id)
        self.assertEqual('deleting', self.status(self.checkpoint_id))

    def test_delete_failing_plugin(self):
        checkpoint_id = self.protect(provider_id=FAILING_PROVIDER_ID)['id']
        self.set_status(checkpoint_id, 'available', FAILING_PROVIDER_ID)
        self.manager.delete(self.ctx, FAILING_PROVIDER_ID, checkpoint_id)
        self.wait()
        self.assertEqual('error-deleting',
                         self.status(checkpoint_id, FAILING_PROVIDER_ID))
        log = self.records.operation_logs(operation_type='delete')[0]
        self.assertEqual('error-deleting', log.status)
        self.assertIn('the server plugin broke', log.error_info)

    @ddt.data('protecting', 'deleting', 'deleted', 'error-deleting',
              'copying')
    def test_delete_refused(self, status):
        self.set_status(self.checkpoint_id, status)
        e = self.assertRaises(exception.CheckpointNotBeDeleted,
                              self.manager.delete, self.ctx,
                              fakes.PROVIDER_ID, self.checkpoint_id)
        self.assertEqual(409, e.code)
        self.assertEqual(status, self.status(self.checkpoint_id))

    def test_delete_other_project(self):
        e = self.assertRaises(exception.DeleteCheckpointNotAllowed,
                              self.manager.delete, self.other_ctx,
                              fakes.PROVIDER_ID, self.checkpoint_id)
        self.assertEqual(403, e.code)

    @ddt.data('available', 'error', 'protecting', 'deleting',
              'error-deleting', 'wait_copying', 'copying')
    def test_reset_state(self, source):
        self.set_status(self.checkpoint_id, source)
        self.manager.reset_state(self.ctx, fakes.PROVIDER_ID,
                                 self.checkpoint_id, 'error')
        self.assertEqual('error', self.status(self.checkpoint_id))

    @ddt.data('deleted', 'finished')
    def test_reset_state_refused(self, source):
        self.set_status(self.checkpoint_id, source)
        e = self.assertRaises(exception.CheckpointNotBeReset,
                              self.manager.reset_state, self.ctx,
                              fakes.PROVIDER_ID, self.checkpoint_id,
                              'available')
        self.assertEqual(409, e.code)

    def test_reset_state_bad_target(self):
        self.assertRaises(exception.InvalidInput, self.manager.reset_state,
                          self.ctx, fakes.PROVIDER_ID, self.checkpoint_id,
                          'deleted')

    def test_reset_state_other_project(self):
        self.assertRaises(exception.AccessCheckpointNotAllowed,
                          self.manager.reset_state, self.other_ctx,
                          fakes.PROVIDER_ID, self.checkpoint_id, 'error')

    def test_reset_keeps_the_copy_marker(self):
        checkpoint = self.provider().get_checkpoint(self.checkpoint_id)
        checkpoint.status = 'copying'
        checkpoint.extra_info = jsonutils.dumps({'copy_of': 'x',
                                                 'copy_status': 'running'})
        checkpoint.commit()
        self.manager.reset_state(self.ctx, fakes.PROVIDER_ID,
                                 self.checkpoint_id, 'error')
        stored = self.provider().get_checkpoint(self.checkpoint_id)
        self.assertEqual({'copy_of': 'x', 'copy_status': 'running'},
                         jsonutils.loads(stored.extra_info))


class _NoRunWorker:
    def run_flow(self, *args):
        pass

    def running(self):
        return []

    def wait(self, timeout=None):
        return True

    def stop(self, graceful=True):
        pass


@ddt.ddt
class RestoreAndVerifyTest(ManagerTestBase):

    def setUp(self):
        super().setUp()
        self.checkpoint_id = self.protect()['id']

    def _new(self, kind, checkpoint_id=None, provider_id=fakes.PROVIDER_ID,
             parameters=None, ctx=None):
        return getattr(self.records, 'new_%s' % kind)(
            ctx or self.ctx, provider_id=provider_id,
            checkpoint_id=checkpoint_id or self.checkpoint_id,
            parameters=parameters)

    def _start(self, kind, record):
        if kind == 'restore':
            return self.manager.restore(record._context, record,
                                        restore_auth={'type': 'password'})
        return self.manager.verification(record._context, record)

    def _rows(self, kind):
        list_class = getattr(objects, '%sList' % kind.capitalize())
        return list(list_class.get_all(self.records.admin))

    @ddt.data('restore', 'verification')
    def test_success(self, kind):
        record = self._start(kind, self._new(kind))
        self.assertIsNotNone(record.id)
        self.wait()
        stored = getattr(self.records, kind)(record.id)
        self.assertEqual('success', stored.status)
        self.assertEqual(2, len(stored.resources_status))
        op_type = 'restore' if kind == 'restore' else 'verify'
        log = self.records.operation_logs(operation_type=op_type)[0]
        self.assertEqual(('success', self.checkpoint_id, fakes.PLAN_ID),
                         (log.status, log.checkpoint_id, log.plan_id))
        if kind == 'restore':
            self.assertEqual(record.id, log.restore_id)
        else:
            self.assertEqual(record.id,
                             log.get_extra_info()['verification_id'])

    @ddt.data('restore', 'verification')
    def test_checkpoint_not_available(self, kind):
        self.set_status(self.checkpoint_id, 'error')
        e = self.assertRaises(exception.CheckpointNotAvailable, self._start,
                              kind, self._new(kind))
        self.assertEqual(409, e.code)
        self.assertEqual([], self._rows(kind))

    @ddt.data('restore', 'verification')
    def test_other_project(self, kind):
        self.assertRaises(exception.AccessCheckpointNotAllowed, self._start,
                          kind, self._new(kind, ctx=self.other_ctx))
        self.assertEqual([], self._rows(kind))

    @ddt.data('restore', 'verification')
    def test_unknown_checkpoint_and_provider(self, kind):
        self.assertRaises(exception.CheckpointNotFound, self._start, kind,
                          self._new(kind, checkpoint_id=UNKNOWN_ID))
        self.assertRaises(exception.ProviderNotFound, self._start, kind,
                          self._new(kind, provider_id=UNKNOWN_ID))
        self.assertEqual([], self._rows(kind))

    @ddt.data('restore', 'verification')
    def test_parameters_are_validated(self, kind):
        volume = constants.VOLUME_RESOURCE_TYPE
        checkpoint_id = self.protect(provider_id=STRICT_PROVIDER_ID,
                                     resources=(fakes.VOLUME,))['id']
        for parameters in ({volume: {'colour': 'red'}},
                           {'%s#%s' % (volume, fakes.VOLUME['id']):
                            {'size': 'big'}},
                           {constants.SERVER_RESOURCE_TYPE: {}}):
            e = self.assertRaises(
                exception.InvalidParameters, self._start, kind,
                self._new(kind, checkpoint_id, STRICT_PROVIDER_ID,
                          parameters))
            self.assertEqual(400, e.code)
        self.assertEqual([], self._rows(kind))
        # A string that reads as the schema's type is taken as that type
        # (the client's --parameters sends only strings).
        record = self._start(kind, self._new(
            kind, checkpoint_id, STRICT_PROVIDER_ID, {volume: {'size': '1'}}))
        self.wait()
        stored = getattr(self.records, kind)(record.id)
        self.assertEqual('success', stored.status)
        self.assertEqual({volume: {'size': 1}}, stored.parameters)


class InterruptedOperationsTest(ManagerTestBase):

    def _log(self, operation_type, status, host='test-host', **kwargs):
        extra = kwargs.pop('extra_info', {})
        log = flow_utils.create_operation_log(self.ctx, operation_type,
                                              status, extra_info=extra,
                                              **kwargs)
        if host != 'test-host':
            log.extra_info = jsonutils.dumps({'host': host})
            log.save()
        return log

    def test_init_host_fails_this_hosts_running_operations(self):
        checkpoint_id = self.protect()['id']
        self.set_status(checkpoint_id, 'protecting')
        protect_log = self._log('protect', 'protecting',
                                checkpoint_id=checkpoint_id,
                                provider_id=fakes.PROVIDER_ID)
        foreign_log = self._log('protect', 'protecting', host='other-host',
                                checkpoint_id=checkpoint_id,
                                provider_id=fakes.PROVIDER_ID)
        restore = self.records.new_restore(self.ctx,
                                           checkpoint_id=checkpoint_id,
                                           create=True)
        restore.status = 'in_progress'
        restore.save()
        restore_log = self._log('restore', 'in_progress',
                                restore_id=restore.id,
                                checkpoint_id=checkpoint_id)
        verification = self.records.new_verification(self.ctx, create=True)
        verify_log = self._log('verify', 'in_progress',
                               extra_info={'verification_id':
                                           verification.id})

        self.manager.init_host()

        self.assertEqual('error', self.status(checkpoint_id))
        log = self.records.operation_log(protect_log.id)
        self.assertEqual('error', log.status)
        self.assertEqual('interrupted: the protection service on test-host '
                         'restarted', log.error_info)
        self.assertIsNotNone(log.ended_at)
        self.assertEqual('protecting',
                         self.records.operation_log(foreign_log.id).status)
        self.assertEqual('fail', self.records.restore(restore.id).status)
        self.assertEqual('fail',
                         self.records.operation_log(restore_log.id).status)
        self.assertEqual('fail', self.records.verification(
            verification.id).status)
        self.assertEqual('fail',
                         self.records.operation_log(verify_log.id).status)

    def test_missing_checkpoint_still_fails_the_log(self):
        log = self._log('delete', 'deleting', checkpoint_id=UNKNOWN_ID,
                        provider_id=fakes.PROVIDER_ID)
        self.manager.init_host()
        self.assertEqual('error-deleting',
                         self.records.operation_log(log.id).status)


class ProtectablesAndProvidersTest(ManagerTestBase):

    def test_types(self):
        self.assertEqual(sorted(constants.RESOURCE_TYPES),
                         self.manager.list_protectable_types(self.ctx))
        self.assertIn(constants.SERVER_RESOURCE_TYPE,
                      self.manager.show_protectable_type(
                          self.ctx, constants.PROJECT_RESOURCE_TYPE)[
                              'dependent_types'])
        self.assertRaises(exception.ProtectableTypeNotFound,
                          self.manager.show_protectable_type, self.ctx,
                          'OS::Foo::Bar')

    def test_instances(self):
        project = constants.PROJECT_RESOURCE_TYPE
        expected = {'id': fakes.PROJECT_ID, 'type': project,
                    'name': fakes.PROJECT_ID, 'extra_info': None}
        self.assertEqual([expected], self.manager.list_protectable_instances(
            self.ctx, project))
        self.assertEqual([], self.manager.list_protectable_instances(
            self.ctx, project, marker=fakes.PROJECT_ID))
        self.assertEqual([], self.manager.list_protectable_instances(
            self.ctx, project, limit=0))
        self.assertEqual(expected, self.manager.show_protectable_instance(
            self.ctx, project, fakes.PROJECT_ID))
        self.assertRaises(exception.ProtectableResourceNotFound,
                          self.manager.show_protectable_instance, self.ctx,
                          project, UNKNOWN_ID)
        self.assertRaises(exception.ProtectableServiceNotConfigured,
                          self.manager.list_protectable_instances, self.ctx,
                          constants.SERVER_RESOURCE_TYPE)
        self.assertEqual([], self.manager.list_protectable_dependents(
            self.ctx, fakes.PROJECT_ID, project, 'demo'))

    def test_providers(self):
        views = self.manager.list_providers(self.ctx)
        self.assertEqual(sorted([fakes.PROVIDER_ID, FAILING_PROVIDER_ID,
                                 STRICT_PROVIDER_ID,
                                 COPY_FAILING_PROVIDER_ID]),
                         [v['id'] for v in views])
        view = self.manager.show_provider(self.ctx, fakes.PROVIDER_ID)
        self.assertEqual('Test Provider', view['name'])
        self.assertIn('restore_schema', view['extended_info_schema'])
        self.assertRaises(exception.ProviderNotFound,
                          self.manager.show_provider, self.ctx, UNKNOWN_ID)


class CopyTestBase(ManagerTestBase):
    """Copies between real file-system banks, with a real database."""

    def plan(self, provider_id=fakes.PROVIDER_ID,
             resources=(fakes.SERVER, fakes.VOLUME), ctx=None):
        ctx = ctx or self.ctx
        return fakes.FakePlan([dict(r) for r in resources],
                              provider_id=provider_id,
                              project_id=ctx.project_id)

    def copy(self, provider_id=fakes.PROVIDER_ID, destination=None,
             ctx=None, wait=True, parameters=None,
             resources=(fakes.SERVER, fakes.VOLUME)):
        ctx = ctx or self.ctx
        result = self.manager.copy(ctx, self.plan(provider_id, resources,
                                                  ctx),
                                   destination=destination,
                                   parameters=parameters)
        if wait:
            self.wait()
        return result

    def destination(self, name='az2', provider_id=fakes.PROVIDER_ID):
        return self.provider(provider_id).copy_destinations[name]

    def copy_checkpoint(self, copy_id, name='az2',
                        provider_id=fakes.PROVIDER_ID):
        return self.destination(name, provider_id).checkpoint_collection.get(
            copy_id)

    def rows(self, **filters):
        return list(objects.CheckpointCopyList.get_all(
            self.records.admin, filters=filters))

    def row(self, copy_id):
        return objects.CheckpointCopy.get_by_id(self.records.admin, copy_id)

    def main_bank_path(self, provider_id=fakes.PROVIDER_ID):
        return os.path.join(self.directory, provider_id)


class CopyTest(CopyTestBase):

    def test_copy_two_checkpoints(self):
        sources = [self.protect()['id'] for _ in range(2)]
        main_before = file_trees.read_tree(self.main_bank_path())
        result = self.copy()

        pairs = result['checkpoint_id']
        self.assertEqual(sorted(sources),
                         sorted(p['checkpoint_protect_id'] for p in pairs))
        copy_ids = [p['checkpoint_copy_id'] for p in pairs]
        self.assertEqual(2, len(set(copy_ids) - set(sources)))
        self.assertEqual('az2', result['destination']['name'])
        self.assertEqual((fakes.PROJECT_ID, fakes.PROVIDER_ID, fakes.PLAN_ID),
                         (result['project_id'], result['provider_id'],
                          result['plan_id']))
        # The main bank is only read.
        self.assertEqual(main_before,
                         file_trees.read_tree(self.main_bank_path()))
        for pair in pairs:
            copy = self.copy_checkpoint(pair['checkpoint_copy_id'])
            source = self.provider().get_checkpoint(
                pair['checkpoint_protect_id'])
            self.assertEqual('available', copy.status)
            self.assertEqual(
                'finished', jsonutils.loads(copy.extra_info)['copy_status'])
            self.assertEqual(source.id, copy.copy_of['checkpoint_id'])
            self.assertEqual(source.metadata['resource_graph'],
                             copy.metadata['resource_graph'])
            # The noop plugin's records arrived.
            for resource_id in (fakes.SERVER['id'], fakes.VOLUME['id']):
                self.assertEqual(
                    source.get_resource_bank_section(
                        resource_id).list_objects(),
                    copy.get_resource_bank_section(
                        resource_id).list_objects())
            log = self.records.operation_log(objects.CheckpointCopy.get_by_id(
                self.records.admin, copy.id).operation_log_id)
            self.assertEqual(('copy', 'success', copy.id),
                             (log.operation_type, log.status,
                              log.checkpoint_id))
            progress = log.get_progress()
            self.assertGreater(progress['objects_total'], 0)
            self.assertEqual(progress['objects_total'],
                             progress['objects_done'])
            self.assertEqual(progress, copy.copy_progress)
            extra = log.get_extra_info()
            self.assertEqual((result['id'], source.id, 'az2'),
                             (extra['copy_request_id'],
                              extra['source_checkpoint_id'],
                              extra['destination']))
        self.assertEqual(['available', 'available'],
                         [r.status for r in self.rows()])

        request = self.records.operation_log(result['id'])
        self.assertEqual(('copy', 'success', None),
                         (request.operation_type, request.status,
                          request.checkpoint_id))
        self.assertIsNotNone(request.ended_at)
        extra = request.get_extra_info()
        self.assertEqual(pairs, extra['copies'])
        self.assertEqual('az2', extra['destination'])
        self.assertEqual('test-host', extra['host'])
        copy_logs = [self.records.operation_log(r.operation_log_id)
                     for r in self.rows()]
        self.assertEqual(
            sum(log.get_progress()['bytes_done'] for log in copy_logs),
            request.get_progress()['bytes_done'])

    def test_copies_are_listed_and_shown(self):
        source = self.protect()['id']
        copy_id = self.copy()['checkpoint_id'][0]['checkpoint_copy_id']
        views = self.manager.list_checkpoints(self.ctx, fakes.PROVIDER_ID)
        self.assertEqual({source, copy_id}, {v['id'] for v in views})
        by_id = {v['id']: v for v in views}
        self.assertNotIn('copy_of', by_id[source])
        self.assertEqual((source, 'az2'),
                         (by_id[copy_id]['copy_of'],
                          by_id[copy_id]['copy_destination']))
        shown = self.manager.show_checkpoint(self.ctx, fakes.PROVIDER_ID,
                                             copy_id)
        self.assertEqual(by_id[copy_id], shown)
        self.assertEqual([source, copy_id].__len__(), len(
            self.manager.list_checkpoints(
                self.ctx, fakes.PROVIDER_ID,
                filters={'plan_id': fakes.PLAN_ID})))
        self.assertRaises(exception.AccessCheckpointNotAllowed,
                          self.manager.show_checkpoint, self.other_ctx,
                          fakes.PROVIDER_ID, copy_id)

    def test_copy_again_creates_nothing(self):
        self.protect()
        self.copy()
        logs = len(self.records.operation_logs())
        dest_files = file_trees.read_tree(self.destination().bank.plugin.root)
        e = self.assertRaises(exception.NothingToCopy, self.copy)
        self.assertEqual(409, e.code)
        self.assertIn('already copied', str(e))
        self.assertEqual(logs, len(self.records.operation_logs()))
        self.assertEqual(1, len(self.rows()))
        self.assertEqual(
            dest_files,
            file_trees.read_tree(self.destination().bank.plugin.root))
        # Another destination is another matter.
        self.copy(destination='dr')
        self.assertEqual(['az2', 'dr'],
                         sorted(r.destination for r in self.rows()))

    def test_only_new_checkpoints_are_copied(self):
        first = self.protect()['id']
        self.copy()
        second = self.protect()['id']
        result = self.copy()
        self.assertEqual([second], [p['checkpoint_protect_id']
                                    for p in result['checkpoint_id']])
        self.assertNotEqual(first, second)

    def test_nothing_available(self):
        e = self.assertRaises(exception.NothingToCopy, self.copy)
        self.assertIn('no available checkpoint', str(e))
        checkpoint_id = self.protect()['id']
        self.set_status(checkpoint_id, 'error')
        self.assertRaises(exception.NothingToCopy, self.copy)
        self.assertEqual([], self.rows())

    def test_copies_are_not_sources(self):
        self.protect()
        self.copy()
        # A copy in the destination is never copied itself, even to
        # another destination: only main-bank checkpoints are sources.
        result = self.copy(destination='dr')
        self.assertEqual(1, len(result['checkpoint_id']))

    def test_destinations(self):
        self.protect()
        e = self.assertRaises(exception.CopyDestinationNotFound, self.copy,
                              destination='nowhere')
        self.assertEqual(400, e.code)
        self.assertEqual('dr', self.copy(destination='dr')[
            'destination']['name'])
        self.assertEqual([], self.destination('az2').checkpoint_collection
                         .list_ids(fakes.PROVIDER_ID,
                                   project_id=fakes.PROJECT_ID))

    def test_copy_not_supported_creates_nothing(self):
        provider = self.provider(FAILING_PROVIDER_ID)
        fakes.make_checkpoint(provider, status='available')
        dest_root = self.destination(
            'az2', FAILING_PROVIDER_ID).bank.plugin.root
        before = file_trees.read_tree(dest_root)
        e = self.assertRaises(exception.CopyNotSupported, self.copy,
                              provider_id=FAILING_PROVIDER_ID)
        self.assertEqual(400, e.code)
        self.assertIn(constants.SERVER_RESOURCE_TYPE, str(e))
        self.assertNotIn(constants.VOLUME_RESOURCE_TYPE, str(e))
        self.assertEqual([], self.rows())
        self.assertEqual([], self.records.operation_logs())
        self.assertEqual(before, file_trees.read_tree(dest_root))

    def test_copy_parameters_are_validated(self):
        volume = constants.VOLUME_RESOURCE_TYPE
        source = self.protect(provider_id=STRICT_PROVIDER_ID,
                              resources=(fakes.VOLUME,))['id']
        dest_root = self.destination(
            'az2', STRICT_PROVIDER_ID).bank.plugin.root
        before = file_trees.read_tree(dest_root)
        logs_before = [log.id for log in self.records.operation_logs()]
        for parameters in ({volume: {'colour': 'red'}},
                           {'%s#%s' % (volume, fakes.VOLUME['id']):
                            {'size': 'big'}},
                           {constants.SERVER_RESOURCE_TYPE: {}}):
            e = self.assertRaises(
                exception.InvalidParameters, self.copy,
                provider_id=STRICT_PROVIDER_ID, resources=(fakes.VOLUME,),
                parameters=parameters)
            self.assertEqual(400, e.code)
        self.assertEqual([], self.rows())
        self.assertEqual(logs_before,
                         [log.id for log in self.records.operation_logs()])
        self.assertEqual(before, file_trees.read_tree(dest_root))

        result = self.copy(provider_id=STRICT_PROVIDER_ID,
                           resources=(fakes.VOLUME,),
                           parameters={volume: {'size': '1'}})
        self.assertEqual(source,
                         result['checkpoint_id'][0]['checkpoint_protect_id'])
        self.assertEqual({volume: {'size': 1}}, result['parameters'])
        self.assertEqual('available', self.copy_checkpoint(
            result['checkpoint_id'][0]['checkpoint_copy_id'],
            provider_id=STRICT_PROVIDER_ID).status)

    def test_failed_copy_then_retry(self):
        source = self.protect(provider_id=COPY_FAILING_PROVIDER_ID,
                              resources=(fakes.VOLUME,))['id']
        result = self.copy(provider_id=COPY_FAILING_PROVIDER_ID,
                           resources=(fakes.VOLUME,))
        copy_id = result['checkpoint_id'][0]['checkpoint_copy_id']
        copy = self.copy_checkpoint(copy_id,
                                    provider_id=COPY_FAILING_PROVIDER_ID)
        self.assertEqual('error', copy.status)
        self.assertEqual('error',
                         jsonutils.loads(copy.extra_info)['copy_status'])
        row = self.row(copy_id)
        self.assertEqual('error', row.status)
        log = self.records.operation_log(row.operation_log_id)
        self.assertEqual('error', log.status)
        self.assertIn('the server plugin broke', log.error_info)
        self.assertIsNotNone(log.ended_at)
        request = self.records.operation_log(result['id'])
        self.assertEqual('error', request.status)
        self.assertIn(source, request.error_info)
        self.assertIn('the server plugin broke', request.error_info)
        self.assertEqual('available', self.status(
            source, COPY_FAILING_PROVIDER_ID))

        # What a write cut short by a crash would have left in the copy.
        leftover = os.path.join(
            self.destination(provider_id=COPY_FAILING_PROVIDER_ID)
            .bank.plugin.root, 'checkpoints', copy_id, 'resource-data',
            fakes.VOLUME['id'], 'data#tmp-1-1')
        os.makedirs(os.path.dirname(leftover), exist_ok=True)
        open(leftover, 'w').close()

        # Retry once the plugin works: the same copy is resumed.
        with mock.patch.object(BrokenVolumeCopyPlugin, 'get_copy_operation',
                               lambda self, resource: bank_data.
                               BankDataCopyOperation()):
            retry = self.copy(provider_id=COPY_FAILING_PROVIDER_ID,
                              resources=(fakes.VOLUME,))
        self.assertEqual(result['checkpoint_id'], retry['checkpoint_id'])
        self.assertNotEqual(result['id'], retry['id'])
        self.assertFalse(os.path.exists(leftover))
        self.assertEqual('available', self.copy_checkpoint(
            copy_id, provider_id=COPY_FAILING_PROVIDER_ID).status)
        row = self.row(copy_id)
        self.assertEqual(('available', retry['id']),
                         (row.status, row.request_id))
        self.assertEqual('success',
                         self.records.operation_log(retry['id']).status)
        # The first request keeps its outcome.
        self.assertEqual('error',
                         self.records.operation_log(result['id']).status)

    def test_copy_in_error_still_running_here_is_not_retried(self):
        self.protect(provider_id=COPY_FAILING_PROVIDER_ID,
                     resources=(fakes.VOLUME,))
        result = self.copy(provider_id=COPY_FAILING_PROVIDER_ID,
                           resources=(fakes.VOLUME,))
        copy_id = result['checkpoint_id'][0]['checkpoint_copy_id']
        self.assertEqual('error', self.row(copy_id).status)
        # As after an admin's reset of a copy whose flow still runs.
        with mock.patch.object(self.manager.worker, 'running',
                               autospec=True, return_value=[copy_id]):
            self.assertRaises(exception.NothingToCopy, self.copy,
                              provider_id=COPY_FAILING_PROVIDER_ID,
                              resources=(fakes.VOLUME,))
        self.assertEqual(('error', result['id']),
                         (self.row(copy_id).status,
                          self.row(copy_id).request_id))

    def test_copy_that_cannot_start_is_failed(self):
        self.protect()
        self.manager.worker.stop()
        result = self.copy(wait=False)
        self.assertEqual('error', result['status'])
        copy_id = result['checkpoint_id'][0]['checkpoint_copy_id']
        self.assertEqual('error', self.copy_checkpoint(copy_id).status)
        row = self.row(copy_id)
        self.assertEqual('error', row.status)
        log = self.records.operation_log(row.operation_log_id)
        self.assertEqual('error', log.status)
        self.assertIn('stopped', log.error_info)

    def test_destination_refusing_the_copy_index_gives_the_reason(self):
        source = self.protect()['id']
        root = self.destination().bank.plugin.root
        # The destination's directory is a file: not even the copy's
        # index.json can be written.
        shutil.rmtree(root)
        with open(root, 'w'):
            pass
        result = self.copy()
        copy_id = result['checkpoint_id'][0]['checkpoint_copy_id']
        row = self.row(copy_id)
        self.assertEqual('error', row.status)
        log = self.records.operation_log(row.operation_log_id)
        self.assertEqual(('error', copy_id), (log.status, log.checkpoint_id))
        self.assertIn('Not a directory', log.error_info)
        request = self.records.operation_log(result['id'])
        self.assertEqual('error', request.status)
        self.assertIn('%s: ' % source, request.error_info)
        self.assertIn('Not a directory', request.error_info)
        self.assertEqual('available', self.status(source))

        # Once the destination is back, the same copy is retried.
        os.remove(root)
        retry = self.copy()
        self.assertEqual(copy_id,
                         retry['checkpoint_id'][0]['checkpoint_copy_id'])
        self.assertEqual('available', self.copy_checkpoint(copy_id).status)
        self.assertEqual('success',
                         self.records.operation_log(retry['id']).status)

    def test_concurrent_requests_copy_each_checkpoint_once(self):
        sources = {self.protect()['id'] for _ in range(3)}
        barrier = threading.Barrier(2)
        results = []
        errors = []

        def request():
            barrier.wait()
            try:
                results.append(self.copy(wait=False))
            except exception.NothingToCopy as e:
                errors.append(e)

        threads = [threading.Thread(target=request) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.wait()
        copied = [p['checkpoint_protect_id'] for r in results
                  for p in r['checkpoint_id']]
        self.assertEqual(sorted(sources), sorted(copied))
        self.assertEqual(2, len(results) + len(errors))
        rows = self.rows()
        self.assertEqual(3, len(rows))
        self.assertEqual(sources, {r.source_checkpoint_id for r in rows})
        self.assertEqual(['available'] * 3, [r.status for r in rows])
        self.assertEqual(3, len(self.destination().checkpoint_collection
                                .list_ids(fakes.PROVIDER_ID,
                                          project_id=fakes.PROJECT_ID)))

    def test_quota(self):
        for _ in range(2):
            self.protect()
        self.flags(quota_checkpoints=1)
        e = self.assertRaises(exception.CheckpointLimitExceeded, self.copy)
        self.assertEqual(413, e.code)
        self.assertEqual([], self.rows())
        self.assertEqual(2, len(self.records.operation_logs()))
        self.flags(quota_checkpoints=10)
        self.copy()
        usage = quota.QUOTAS.get_project_quotas(
            self.ctx, fakes.PROJECT_ID)[constants.QUOTA_CHECKPOINTS]
        self.assertEqual((2, 0), (usage['in_use'], usage['reserved']))


@ddt.ddt
class CopyLifeTest(CopyTestBase):
    """Copies after the copy: main bank loss, delete, reset, paging."""

    def setUp(self):
        super().setUp()
        self.source = self.protect()['id']
        self.copy_id = self.copy()['checkpoint_id'][0]['checkpoint_copy_id']

    def test_main_bank_lost(self):
        shutil.rmtree(self.main_bank_path())
        views = self.manager.list_checkpoints(self.ctx, fakes.PROVIDER_ID)
        self.assertEqual([self.copy_id], [v['id'] for v in views])
        self.assertEqual('available', self.manager.show_checkpoint(
            self.ctx, fakes.PROVIDER_ID, self.copy_id)['status'])
        restore = self.records.new_restore(self.ctx,
                                           checkpoint_id=self.copy_id)
        restore = self.manager.restore(self.ctx, restore)
        self.wait()
        self.assertEqual('success', self.records.restore(restore.id).status)
        self.assertFalse(os.path.exists(self.main_bank_path()))

    def test_a_source_shows_its_copies(self):
        dr_copy = self.copy(destination='dr')['checkpoint_id'][0][
            'checkpoint_copy_id']
        shown = self.manager.show_checkpoint(self.ctx, fakes.PROVIDER_ID,
                                             self.source)
        self.assertEqual([{'id': self.copy_id, 'destination': 'az2',
                           'status': 'available'},
                          {'id': dr_copy, 'destination': 'dr',
                           'status': 'available'}], shown['copies'])
        # Copies and checkpoints without copies keep upstream's view;
        # listings do not look copies up.
        self.assertNotIn('copies', self.manager.show_checkpoint(
            self.ctx, fakes.PROVIDER_ID, self.copy_id))
        other = self.protect()['id']
        self.assertNotIn('copies', self.manager.show_checkpoint(
            self.ctx, fakes.PROVIDER_ID, other))
        for view in self.manager.list_checkpoints(self.ctx,
                                                  fakes.PROVIDER_ID):
            self.assertNotIn('copies', view)

    def test_copy_found_without_its_row(self):
        # A copy written by another deployment has no row here.
        objects.CheckpointCopy.get_by_id(self.records.admin,
                                         self.copy_id).destroy()
        self.assertEqual(self.source, self.manager.show_checkpoint(
            self.ctx, fakes.PROVIDER_ID, self.copy_id)['copy_of'])

    def test_delete_copy_keeps_source(self):
        source_files = file_trees.read_tree(self.main_bank_path())
        self.manager.delete(self.ctx, fakes.PROVIDER_ID, self.copy_id)
        self.wait()
        self.assertEqual('deleted', self.copy_checkpoint(self.copy_id).status)
        self.assertEqual([], self.copy_checkpoint(
            self.copy_id).get_resource_bank_section(
                fakes.VOLUME['id']).list_objects())
        self.assertEqual([], self.rows())
        self.assertEqual(source_files,
                         file_trees.read_tree(self.main_bank_path()))
        # The source can be copied again.
        again = self.copy()['checkpoint_id'][0]
        self.assertEqual(self.source, again['checkpoint_protect_id'])
        self.assertNotEqual(self.copy_id, again['checkpoint_copy_id'])

    def test_delete_source_keeps_copy(self):
        copy_root = self.destination().bank.plugin.root
        copy_files = file_trees.read_tree(copy_root)
        self.manager.delete(self.ctx, fakes.PROVIDER_ID, self.source)
        self.wait()
        self.assertEqual('deleted', self.status(self.source))
        self.assertEqual(copy_files, file_trees.read_tree(copy_root))
        self.assertEqual(['available'], [r.status for r in self.rows()])
        views = self.manager.list_checkpoints(self.ctx, fakes.PROVIDER_ID)
        self.assertEqual([self.copy_id], [v['id'] for v in views])

    @ddt.data(False, True)
    def test_source_not_deleted_while_copied(self, claimed_meanwhile):
        row = self.row(self.copy_id)

        def copying():
            row.status = constants.CHECKPOINT_STATUS_COPYING
            row.save()

        refuse = manager.ProtectionManager._refuse_while_copied
        looks = []

        def look(checkpoint):
            # The copy claims the source between the delete's first look
            # and its writing 'deleting'.
            looks.append(checkpoint.status)
            if claimed_meanwhile and len(looks) == 2:
                copying()
            refuse(checkpoint)

        if not claimed_meanwhile:
            copying()
        logs = len(self.records.operation_logs())
        with mock.patch.object(manager.ProtectionManager,
                               '_refuse_while_copied', staticmethod(look)):
            e = self.assertRaises(exception.CheckpointNotBeDeleted,
                                  self.manager.delete, self.ctx,
                                  fakes.PROVIDER_ID, self.source)
        self.assertEqual(409, e.code)
        self.assertIn('being copied to az2', str(e))
        self.assertEqual(['available', 'deleting'] if claimed_meanwhile
                         else ['available'], looks)
        self.assertEqual('available', self.status(self.source))
        self.assertEqual(logs, len(self.records.operation_logs()))

        # Once the copy is over the source can go.
        row.status = constants.CHECKPOINT_STATUS_AVAILABLE
        row.save()
        self.manager.delete(self.ctx, fakes.PROVIDER_ID, self.source)
        self.wait()
        self.assertEqual('deleted', self.status(self.source))

    def test_reset_state_of_a_copy(self):
        self.manager.reset_state(self.ctx, fakes.PROVIDER_ID, self.copy_id,
                                 'error')
        copy = self.copy_checkpoint(self.copy_id)
        self.assertEqual('error', copy.status)
        self.assertEqual(self.source, copy.copy_of['checkpoint_id'])
        self.assertEqual('error', self.rows()[0].status)
        self.assertEqual(self.source, self.manager.show_checkpoint(
            self.ctx, fakes.PROVIDER_ID, self.copy_id)['copy_of'])

    def test_paging_across_banks(self):
        for _ in range(2):
            self.protect()
        self.copy()
        self.copy(destination='dr')
        everything = self.manager.list_checkpoints(self.ctx,
                                                   fakes.PROVIDER_ID)
        self.assertEqual(9, len(everything))
        keys = [(self.copy_or_source(v)['timestamp'], v['id'])
                for v in everything]
        self.assertEqual(sorted(keys, reverse=True), keys)
        for sort_dir, expected in (('desc', everything),
                                   ('asc', list(reversed(everything)))):
            pages = []
            marker = None
            while True:
                page = self.manager.list_checkpoints(
                    self.ctx, fakes.PROVIDER_ID, limit=2, marker=marker,
                    sort_dirs=[sort_dir])
                if not page:
                    break
                self.assertLessEqual(len(page), 2)
                pages.extend(page)
                marker = page[-1]['id']
            self.assertEqual([v['id'] for v in expected],
                             [v['id'] for v in pages])

    def copy_or_source(self, view):
        if 'copy_destination' in view:
            return self.copy_checkpoint(view['id'],
                                        view['copy_destination']).metadata
        return self.provider().get_checkpoint(view['id']).metadata


class CopyResumeTest(CopyTestBase):
    """A restart finds copies in wait_copying or copying."""

    def start_copy_without_running(self):
        real_worker = self.manager.worker
        self.manager.worker = _NoRunWorker()
        try:
            result = self.copy(wait=False)
        finally:
            self.manager.worker = real_worker
        return result

    def restart(self):
        new = manager.ProtectionManager()
        self.addCleanup(new.cleanup_host)
        new.init_host()
        self.manager = new
        self.wait()

    def test_resume(self):
        self.protect()
        result = self.start_copy_without_running()
        pair = result['checkpoint_id'][0]
        self.assertEqual('wait_copying',
                         self.copy_checkpoint(
                             pair['checkpoint_copy_id']).status)
        self.restart()
        self.assertEqual('available', self.copy_checkpoint(
            pair['checkpoint_copy_id']).status)
        row = self.rows()[0]
        self.assertEqual('available', row.status)
        log = self.records.operation_log(row.operation_log_id)
        self.assertEqual(('success', None), (log.status, log.error_info))
        self.assertEqual('success',
                         self.records.operation_log(result['id']).status)

    def test_source_gone_fails_the_copy(self):
        source = self.protect()['id']
        result = self.start_copy_without_running()
        copy_id = result['checkpoint_id'][0]['checkpoint_copy_id']
        self.provider().get_checkpoint(source).purge()
        self.restart()
        self.assertEqual('error', self.copy_checkpoint(copy_id).status)
        row = self.rows()[0]
        self.assertEqual('error', row.status)
        log = self.records.operation_log(row.operation_log_id)
        self.assertEqual('error', log.status)
        self.assertIn('could not resume', log.error_info)
        self.assertIsNotNone(log.ended_at)
        request = self.records.operation_log(result['id'])
        self.assertEqual('error', request.status)

    def test_logs_of_copies_that_ended_are_settled_not_failed(self):
        # The service died after the copy finished but before its logs
        # were closed.
        self.protect()
        result = self.copy()
        row = self.rows()[0]
        for log_id in (row.operation_log_id, result['id']):
            log = self.records.operation_log(log_id)
            log.status = 'copying'
            log.ended_at = None
            log.save()
        self.restart()
        for log_id in (row.operation_log_id, result['id']):
            log = self.records.operation_log(log_id)
            self.assertEqual(('success', None),
                             (log.status, log.error_info))
            self.assertIsNotNone(log.ended_at)

    def test_other_hosts_copies_are_left_alone(self):
        self.protect()
        result = self.start_copy_without_running()
        row = self.rows()[0]
        row.host = 'other-host'
        row.save()
        for log_id in (row.operation_log_id, result['id']):
            log = self.records.operation_log(log_id)
            extra = log.get_extra_info()
            extra['host'] = 'other-host'
            log.extra_info = jsonutils.dumps(extra)
            log.save()
        self.restart()
        self.assertEqual('wait_copying', self.rows()[0].status)
        self.assertEqual('wait_copying', self.copy_checkpoint(
            result['checkpoint_id'][0]['checkpoint_copy_id']).status)
