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

"""Tests of karbor.db.sqlalchemy.api on a real SQLite database."""

import datetime
from unittest import mock

import ddt
from oslo_db import exception as db_exc
from oslo_utils import timeutils
from oslo_utils import uuidutils

from karbor import context
from karbor.db.sqlalchemy import api
from karbor.db.sqlalchemy import engine
from karbor import exception
from karbor.tests import base

PROJECT = 'project-a'
OTHER_PROJECT = 'project-b'


def _ctx(project_id=PROJECT, is_admin=False):
    return context.RequestContext(user_id='user', project_id=project_id,
                                  is_admin=is_admin)


class DbTestCase(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.conn = api.Connection()
        self.ctx = _ctx()
        self.admin = _ctx(is_admin=True)


@ddt.ddt
class PlanTestCase(DbTestCase):

    def _plan(self, ctx=None, **values):
        data = {'name': 'plan', 'description': 'desc',
                'provider_id': uuidutils.generate_uuid(),
                'project_id': PROJECT, 'status': 'suspended',
                'parameters': {'OS::Nova::Server': {'consistency': 'os',
                                                    'count': 3,
                                                    'full': True}},
                'resources': [{'id': 'vm-1', 'type': 'OS::Nova::Server',
                               'name': 'vm', 'extra_info': {'az': 'nova'}}]}
        data.update(values)
        return self.conn.plan_create(ctx or self.ctx, data)

    def test_create_and_get_keeps_json_types(self):
        plan = self._plan()
        got = self.conn.plan_get(self.ctx, plan.id)
        self.assertEqual({'OS::Nova::Server': {'consistency': 'os',
                                               'count': 3, 'full': True}},
                         got.parameters)
        self.assertEqual([('vm-1', 'OS::Nova::Server', 'vm',
                           {'az': 'nova'})],
                         [(r.resource_id, r.resource_type, r.resource_name,
                           r.resource_extra_info) for r in got.resources])
        self.assertIsNotNone(got.created_at)
        self.assertFalse(got.deleted)

    def test_update_replaces_resources(self):
        plan = self._plan()
        self.conn.plan_update(self.ctx, plan.id, {
            'name': 'renamed',
            'resources': [{'id': 'v-1', 'type': 'OS::Cinder::Volume',
                           'name': 'vol', 'extra_info': None},
                          {'id': 'v-2', 'type': 'OS::Cinder::Volume',
                           'name': 'vol2', 'extra_info': None}]})
        got = self.conn.plan_get(self.ctx, plan.id)
        self.assertEqual('renamed', got.name)
        self.assertEqual(['v-1', 'v-2'],
                         [r.resource_id for r in got.resources])

    def test_update_without_resources_keeps_them(self):
        plan = self._plan()
        self.conn.plan_update(self.ctx, plan.id, {'status': 'started'})
        got = self.conn.plan_get(self.ctx, plan.id)
        self.assertEqual(['vm-1'], [r.resource_id for r in got.resources])

    def test_destroy_hides_plan_and_resources(self):
        plan = self._plan()
        self.conn.plan_destroy(self.ctx, plan.id)
        self.assertRaises(exception.PlanNotFound,
                          self.conn.plan_get, self.ctx, plan.id)
        deleted = self.conn.plan_get(
            context.RequestContext(project_id=PROJECT, show_deleted=True),
            plan.id)
        self.assertTrue(deleted.deleted)
        self.assertIsNotNone(deleted.deleted_at)
        self.assertEqual([], deleted.resources)

    def test_get_is_scoped_to_the_project(self):
        plan = self._plan()
        self.assertRaises(exception.PlanNotFound, self.conn.plan_get,
                          _ctx(OTHER_PROJECT), plan.id)
        self.assertEqual(plan.id,
                         self.conn.plan_get(_ctx(OTHER_PROJECT,
                                                 is_admin=True),
                                            plan.id).id)

    def test_get_all_non_admin_sees_own_project_only(self):
        mine = self._plan()
        self._plan(ctx=_ctx(OTHER_PROJECT), project_id=OTHER_PROJECT)
        self.assertEqual([mine.id],
                         [p.id for p in self.conn.plan_get_all(self.ctx)])
        self.assertEqual(2, len(self.conn.plan_get_all(self.admin)))

    def test_get_all_by_project_of_another_project_is_refused(self):
        self.assertRaises(exception.NotAuthorized,
                          self.conn.plan_get_all_by_project, self.ctx,
                          OTHER_PROJECT)
        self.assertEqual([], self.conn.plan_get_all_by_project(
            self.admin, OTHER_PROJECT))

    @ddt.data(({'name': '^back'}, ['backup-1', 'backup-2']),
              ({'name': 'up-2'}, ['backup-2']),
              ({'name': 'b.*2$'}, ['backup-2']),
              ({'name': '[unclosed'}, ['[unclosed plan']),
              ({'description': 'nightly'}, ['backup-1']),
              ({'status': 'started'}, ['backup-2']),
              ({'status': 'start'}, []),
              ({'unknown_key': 'x'}, ['[unclosed plan', 'backup-1',
                                      'backup-2']))
    @ddt.unpack
    def test_get_all_filters(self, filters, expected):
        self._plan(name='backup-1', description='nightly backup')
        self._plan(name='backup-2', status='started')
        self._plan(name='[unclosed plan')
        plans = self.conn.plan_get_all(self.ctx, filters=filters)
        self.assertEqual(expected, sorted(p.name for p in plans))

    def test_default_order_is_newest_first(self):
        now = timeutils.utcnow()
        ids = []
        for age in (3, 1, 2):
            ids.append((age, self._plan(
                created_at=now - datetime.timedelta(minutes=age)).id))
        expected = [plan_id for age, plan_id in sorted(ids)]
        self.assertEqual(expected,
                         [p.id for p in self.conn.plan_get_all(self.ctx)])

    def test_marker_limit_offset_paging(self):
        now = timeutils.utcnow()
        ids = [self._plan(name='p%d' % i,
                          created_at=now - datetime.timedelta(minutes=i)).id
               for i in range(5)]
        page1 = self.conn.plan_get_all(self.ctx, limit=2)
        self.assertEqual(ids[:2], [p.id for p in page1])
        page2 = self.conn.plan_get_all(self.ctx, limit=2,
                                       marker=page1[-1].id)
        self.assertEqual(ids[2:4], [p.id for p in page2])
        page3 = self.conn.plan_get_all(self.ctx, limit=2,
                                       marker=page2[-1].id)
        self.assertEqual(ids[4:], [p.id for p in page3])
        self.assertEqual(ids[3:], [p.id for p in self.conn.plan_get_all(
            self.ctx, offset=3)])
        ascending = self.conn.plan_get_all(self.ctx, sort_keys=['name'],
                                           sort_dirs=['asc'], limit=2,
                                           marker=ids[1])
        self.assertEqual(['p2', 'p3'], [p.name for p in ascending])

    def test_same_created_at_pages_by_id(self):
        now = timeutils.utcnow()
        for i in range(4):
            self._plan(created_at=now)
        seen = []
        marker = None
        while True:
            page = self.conn.plan_get_all(self.ctx, limit=1, marker=marker)
            if not page:
                break
            seen.append(page[0].id)
            marker = page[0].id
        self.assertEqual(4, len(set(seen)))
        self.assertEqual(sorted(seen, reverse=True), seen)

    def test_unknown_marker(self):
        self.assertRaises(exception.PlanNotFound, self.conn.plan_get_all,
                          self.ctx, marker=uuidutils.generate_uuid())

    @ddt.data((['name'], ['up']), (['bogus'], ['asc']),
              (['name'], ['asc', 'desc']))
    @ddt.unpack
    def test_bad_sort(self, keys, dirs):
        self.assertRaises(exception.InvalidInput, self.conn.plan_get_all,
                          self.ctx, sort_keys=keys, sort_dirs=dirs)


@ddt.ddt
class ExactFilterTestCase(DbTestCase):
    """Restores, verifications and operation logs: upstream's rules."""

    def _restore(self, **values):
        data = {'project_id': PROJECT,
                'provider_id': uuidutils.generate_uuid(),
                'checkpoint_id': uuidutils.generate_uuid(),
                'status': 'in_progress', 'parameters': {}}
        data.update(values)
        return self.conn.restore_create(self.ctx, data)

    @ddt.data(({'status': 'success'}, 1), ({'status': 'succ'}, 0),
              ({'status': ['success', 'in_progress']}, 2),
              ({'not_a_column': 'x'}, 0), ({}, 2))
    @ddt.unpack
    def test_restore_filters(self, filters, count):
        self._restore(status='success')
        self._restore()
        self.assertEqual(count, len(self.conn.restore_get_all(
            self.ctx, filters=filters)))

    def test_operation_log_filters_and_scope(self):
        checkpoint = uuidutils.generate_uuid()
        for op_type in ('protect', 'copy'):
            self.conn.operation_log_create(self.ctx, {
                'project_id': PROJECT, 'operation_type': op_type,
                'checkpoint_id': checkpoint, 'status': 'copying'})
        self.conn.operation_log_create(self.ctx, {
            'project_id': OTHER_PROJECT, 'operation_type': 'copy',
            'status': 'copying'})
        logs = self.conn.operation_log_get_all(
            self.ctx, filters={'operation_type': 'copy'})
        self.assertEqual([checkpoint], [log.checkpoint_id for log in logs])
        self.assertEqual(2, len(self.conn.operation_log_get_all(
            self.admin, filters={'operation_type': 'copy'})))
        self.assertEqual([], self.conn.operation_log_get_all(
            self.ctx, filters={'bogus': 1}))
        self.assertEqual(2, len(self.conn.operation_log_get_all_by_project(
            self.ctx, PROJECT)))

    def test_resource_status_updates_merge(self):
        restore = self._restore()
        self.conn.restore_update_resource_status(
            self.ctx, restore.id, 'OS::Nova::Server#1', 'restoring')
        self.conn.restore_update_resource_status(
            self.ctx, restore.id, 'OS::Cinder::Volume#2', 'error', 'boom')
        row = self.conn.restore_update_resource_status(
            self.ctx, restore.id, 'OS::Nova::Server#1', 'available')
        self.assertEqual({'OS::Nova::Server#1': 'available',
                          'OS::Cinder::Volume#2': 'error'},
                         row.resources_status)
        self.assertEqual({'OS::Cinder::Volume#2': 'boom'},
                         self.conn.restore_get(self.ctx,
                                               restore.id).resources_reason)

    def test_verification_crud(self):
        row = self.conn.verification_create(self.ctx, {
            'project_id': PROJECT,
            'provider_id': uuidutils.generate_uuid(),
            'checkpoint_id': uuidutils.generate_uuid(),
            'status': 'in_progress'})
        self.conn.verification_update(self.ctx, row.id,
                                      {'status': 'success'})
        self.conn.verification_update_resource_status(
            self.ctx, row.id, 'T#1', 'available')
        got = self.conn.verification_get(self.ctx, row.id)
        self.assertEqual(('success', {'T#1': 'available'}),
                         (got.status, got.resources_status))
        self.conn.verification_destroy(self.ctx, row.id)
        self.assertRaises(exception.VerificationNotFound,
                          self.conn.verification_get, self.ctx, row.id)

    def test_update_missing(self):
        self.assertRaises(exception.OperationLogNotFound,
                          self.conn.operation_log_update, self.ctx,
                          uuidutils.generate_uuid(), {'status': 'x'})

    def test_duplicate_id(self):
        restore = self._restore()
        self.assertRaises(exception.DBEntryExists, self._restore,
                          id=restore.id)


@ddt.ddt
class SchedulingTestCase(DbTestCase):

    def _trigger(self, **values):
        data = {'name': 'daily', 'project_id': PROJECT, 'type': 'time',
                'properties': {'format': 'crontab', 'pattern': '0 1 * * *',
                               'window': 1800}}
        data.update(values)
        return self.conn.trigger_create(self.ctx, data)

    def _operation(self, trigger_id, **values):
        data = {'name': 'protect vm', 'operation_type': 'protect',
                'user_id': 'user', 'project_id': PROJECT,
                'trigger_id': trigger_id,
                'operation_definition': {'plan_id': 'p', 'provider_id': 'v'}}
        data.update(values)
        return self.conn.scheduled_operation_create(self.ctx, data)

    @ddt.data(({'properties': 'crontab'}, 1), ({'properties': '^x'}, 0),
              ({'type': 'time'}, 1), ({'name': 'dai'}, 1))
    @ddt.unpack
    def test_trigger_filters(self, filters, count):
        trigger = self._trigger()
        self.assertEqual(1800, self.conn.trigger_get(
            self.ctx, trigger.id).properties['window'])
        self.assertEqual(count, len(self.conn.trigger_get_all(
            self.ctx, filters=filters)))

    def test_scheduled_operation_has_trigger(self):
        trigger = self._trigger()
        operation = self._operation(trigger.id)
        self.assertEqual(trigger.id, operation.trigger.id)
        self.assertEqual(1, len(self.conn.scheduled_operation_get_all(
            self.ctx, filters={'operation_definition': 'plan_id'})))

    def test_trigger_foreign_key_is_enforced(self):
        self.assertRaises(exception.InvalidInput, self._operation,
                          uuidutils.generate_uuid())

    def test_state_and_logs(self):
        trigger = self._trigger()
        operation = self._operation(trigger.id)
        service = self.conn.service_create(self.ctx, {
            'host': 'h', 'binary': 'karbor-operationengine',
            'topic': 'karbor-operationengine'})
        state = self.conn.scheduled_operation_state_create(self.ctx, {
            'operation_id': operation.id, 'service_id': service.id,
            'trust_id': 't', 'state': 'init'})
        self.assertEqual(operation.id, state.operation.id)
        self.conn.scheduled_operation_state_update(
            self.ctx, operation.id, {'state': 'registered'})
        self.assertEqual('registered', self.conn.scheduled_operation_state_get(
            self.ctx, operation.id).state)
        now = timeutils.utcnow()
        for i, state_name in enumerate(['success', 'in_progress', 'failed',
                                        'success']):
            self.conn.scheduled_operation_log_create(self.ctx, {
                'operation_id': operation.id, 'state': state_name,
                'created_at': now + datetime.timedelta(seconds=i)})
        deleted = self.conn.scheduled_operation_log_delete_oldest(
            self.ctx, operation.id, 1, excepted_states=['in_progress'])
        self.assertEqual(2, deleted)
        left = self.conn.scheduled_operation_log_get_all(
            self.ctx, filters={'operation_id': operation.id})
        self.assertEqual(['success', 'in_progress'],
                         [log.state for log in left])

    def test_trigger_executions(self):
        now = timeutils.utcnow().replace(microsecond=0)
        later = now + datetime.timedelta(hours=1)
        self.conn.trigger_execution_create(self.ctx, 't-late', later)
        first = self.conn.trigger_execution_create(self.ctx, 't-early', now)
        self.assertEqual(first.id,
                         self.conn.trigger_execution_get_next(self.ctx).id)
        self.assertTrue(self.conn.trigger_execution_update(
            self.ctx, first.id, now, later + datetime.timedelta(hours=1)))
        # A second engine that read the old time loses the race.
        self.assertFalse(self.conn.trigger_execution_update(
            self.ctx, first.id, now, later))
        self.assertEqual('t-late',
                         self.conn.trigger_execution_get_next(
                             self.ctx).trigger_id)
        self.assertEqual(1, self.conn.trigger_execution_delete(
            self.ctx, trigger_id='t-late'))


class ServiceTestCase(DbTestCase):

    def test_lookups(self):
        svc = self.conn.service_create(self.ctx, {
            'host': 'h1', 'binary': 'karbor-protection',
            'topic': 'karbor-protection'})
        self.conn.service_create(self.ctx, {
            'host': 'h2', 'binary': 'karbor-protection',
            'topic': 'karbor-protection', 'disabled': True})
        self.assertEqual(0, svc.report_count)
        self.assertEqual(svc.id, self.conn.service_get_by_args(
            self.ctx, 'h1', 'karbor-protection').id)
        self.assertEqual(svc.id, self.conn.service_get_by_host_and_topic(
            self.ctx, 'h1', 'karbor-protection').id)
        self.assertRaises(exception.HostBinaryNotFound,
                          self.conn.service_get_by_args, self.ctx, 'h3',
                          'karbor-protection')
        self.assertEqual(['h1', 'h2'], [s.host for s in
                                        self.conn.service_get_all(self.ctx)])
        self.assertEqual(['h2'], [s.host for s in
                                  self.conn.service_get_all_by_topic(
                                      self.ctx, 'karbor-protection',
                                      disabled=True)])
        self.conn.service_update(self.ctx, svc.id, {'report_count': 5})
        self.assertEqual(5, self.conn.service_get(self.ctx,
                                                  svc.id).report_count)


class CheckpointRecordTestCase(DbTestCase):

    def test_crud(self):
        row = self.conn.checkpoint_record_create(self.ctx, {
            'project_id': PROJECT, 'checkpoint_id': 'c',
            'checkpoint_status': 'available', 'provider_id': 'p',
            'plan_id': 'pl'})
        self.conn.checkpoint_record_update(self.ctx, row.id,
                                           {'checkpoint_status': 'error'})
        self.assertEqual(['error'], [r.checkpoint_status for r in
                                     self.conn.checkpoint_record_get_all(
                                         self.ctx,
                                         filters={'plan_id': 'pl'})])
        self.conn.checkpoint_record_destroy(self.ctx, row.id)
        self.assertRaises(exception.CheckpointRecordNotFound,
                          self.conn.checkpoint_record_get, self.ctx, row.id)


class CheckpointCopyTestCase(DbTestCase):

    def _copy(self, ctx=None, **values):
        data = {'id': uuidutils.generate_uuid(), 'project_id': PROJECT,
                'provider_id': uuidutils.generate_uuid(),
                'plan_id': uuidutils.generate_uuid(),
                'source_checkpoint_id': uuidutils.generate_uuid(),
                'destination': 'az2', 'status': 'wait_copying',
                'host': 'host-a', 'request_id': uuidutils.generate_uuid()}
        data.update(values)
        return self.conn.checkpoint_copy_create(ctx or self.ctx, data)

    def test_create_get_update_list(self):
        row = self._copy()
        self.assertEqual('az2', self.conn.checkpoint_copy_get(
            self.ctx, row.id).destination)
        self.conn.checkpoint_copy_update(self.ctx, row.id,
                                         {'status': 'copying'})
        other = self._copy(status='error', host='host-b')
        self._copy(ctx=_ctx(OTHER_PROJECT), project_id=OTHER_PROJECT)

        def ids(**filters):
            return {r.id for r in self.conn.checkpoint_copy_get_all(
                self.ctx, filters=filters)}

        self.assertEqual({row.id, other.id}, ids())
        self.assertEqual({row.id}, ids(host='host-a',
                                       status=['copying', 'wait_copying']))
        self.assertEqual({other.id}, ids(source_checkpoint_id=[
            other.source_checkpoint_id, uuidutils.generate_uuid()]))
        self.assertEqual({row.id, other.id}, ids(destination='az2'))
        self.assertEqual(set(), ids(destination='dr'))
        self.assertEqual(3, len(self.conn.checkpoint_copy_get_all(
            self.admin)))
        self.assertRaises(exception.CheckpointCopyNotFound,
                          self.conn.checkpoint_copy_get, _ctx(OTHER_PROJECT),
                          row.id)

    def test_one_copy_per_source_and_destination(self):
        row = self._copy()
        e = self.assertRaises(
            exception.CheckpointCopyExists, self._copy,
            source_checkpoint_id=row.source_checkpoint_id)
        self.assertIn(row.source_checkpoint_id, str(e))
        self._copy(source_checkpoint_id=row.source_checkpoint_id,
                   destination='dr')

    def test_destroy_frees_the_pair(self):
        row = self._copy()
        self.conn.checkpoint_copy_destroy(self.ctx, row.id)
        self.assertRaises(exception.CheckpointCopyNotFound,
                          self.conn.checkpoint_copy_get, self.admin, row.id)
        self._copy(source_checkpoint_id=row.source_checkpoint_id)
        self.assertRaises(exception.CheckpointCopyNotFound,
                          self.conn.checkpoint_copy_destroy, self.ctx,
                          row.id)

    def test_claim_for_retry_only_from_error(self):
        row = self._copy(status='error')
        values = {'status': 'wait_copying', 'host': 'host-c'}
        self.assertFalse(self.conn.checkpoint_copy_claim_for_retry(
            _ctx(OTHER_PROJECT), row.id, values))
        self.assertTrue(self.conn.checkpoint_copy_claim_for_retry(
            self.ctx, row.id, values))
        self.assertFalse(self.conn.checkpoint_copy_claim_for_retry(
            self.ctx, row.id, values))
        stored = self.conn.checkpoint_copy_get(self.ctx, row.id)
        self.assertEqual(('wait_copying', 'host-c'),
                         (stored.status, stored.host))
        self.assertFalse(self.conn.checkpoint_copy_claim_for_retry(
            self.ctx, uuidutils.generate_uuid(), values))


class QuotaDbTestCase(DbTestCase):

    def _expire(self):
        return timeutils.utcnow() + datetime.timedelta(hours=1)

    def test_limits_and_classes(self):
        self.conn.quota_set(self.ctx, PROJECT, 'plans', 5)
        self.conn.quota_set(self.ctx, PROJECT, 'plans', 7)
        self.conn.quota_class_set(self.ctx, 'default', 'checkpoints', 9)
        self.assertEqual({'project_id': PROJECT, 'plans': 7},
                         self.conn.quota_get_all_by_project(self.ctx,
                                                            PROJECT))
        self.assertEqual(7, self.conn.quota_get(self.ctx, PROJECT,
                                                'plans').hard_limit)
        self.assertEqual({'class_name': 'default', 'checkpoints': 9},
                         self.conn.quota_class_get_all_by_name(self.ctx,
                                                               'default'))
        self.conn.quota_class_destroy_all_by_name(self.ctx, 'default')
        self.assertEqual({'class_name': 'default'},
                         self.conn.quota_class_get_all_by_name(self.ctx,
                                                               'default'))
        self.conn.quota_destroy_all_by_project(self.ctx, PROJECT)
        self.assertRaises(exception.ProjectQuotaNotFound,
                          self.conn.quota_get, self.ctx, PROJECT, 'plans')

    def test_reserve_commit_rollback(self):
        limits = {'plans': 2}
        first = self.conn.quota_reserve(self.ctx, limits, {'plans': 1},
                                        self._expire(), PROJECT)
        second = self.conn.quota_reserve(self.ctx, limits, {'plans': 1},
                                         self._expire(), PROJECT)
        self.assertRaises(exception.OverQuota, self.conn.quota_reserve,
                          self.ctx, limits, {'plans': 1}, self._expire(),
                          PROJECT)
        self.conn.reservation_commit(self.ctx, first)
        self.conn.reservation_rollback(self.ctx, second)
        self.assertEqual({'project_id': PROJECT,
                          'plans': {'in_use': 1, 'reserved': 0}},
                         self.conn.quota_usage_get_all_by_project(self.ctx,
                                                                  PROJECT))
        # Committing twice changes nothing.
        self.assertEqual(0, self.conn.reservation_commit(self.ctx, first))
        release = self.conn.quota_reserve(self.ctx, limits, {'plans': -1},
                                          self._expire(), PROJECT)
        self.conn.reservation_commit(self.ctx, release)
        self.assertEqual(0, self.conn.quota_usage_get_all_by_project(
            self.ctx, PROJECT)['plans']['in_use'])

    def test_unlimited(self):
        self.conn.quota_reserve(self.ctx, {'checkpoints': -1},
                                {'checkpoints': 1000}, self._expire(),
                                PROJECT)

    def test_expire(self):
        past = timeutils.utcnow() - datetime.timedelta(seconds=1)
        self.conn.quota_reserve(self.ctx, {'plans': 1}, {'plans': 1}, past,
                                PROJECT)
        self.assertEqual(1, self.conn.reservation_expire(self.ctx))
        self.assertEqual(0, self.conn.quota_usage_get_all_by_project(
            self.ctx, PROJECT)['plans']['reserved'])


class RetryOnDeadlockTestCase(DbTestCase):
    """Write methods run again after a deadlock, unless nested."""

    def setUp(self):
        super().setUp()
        self.useFixture(base.fixtures.MockPatch('time.sleep', autospec=True))
        self.calls = []

        @api._retry_on_deadlock
        def deadlocks_once():
            self.calls.append(engine.in_transaction())
            if len(self.calls) == 1:
                raise db_exc.DBDeadlock()
            return 'done'
        self.deadlocks_once = deadlocks_once

    def test_a_call_of_its_own_is_retried(self):
        self.assertEqual('done', self.deadlocks_once())
        self.assertEqual([False, False], self.calls)

    def test_a_call_inside_a_transaction_is_not(self):
        def inside():
            with engine.writer():
                return self.deadlocks_once()
        self.assertRaises(db_exc.DBDeadlock, inside)
        self.assertEqual([True], self.calls)
        self.assertFalse(engine.in_transaction())

    def test_write_methods_retry(self):
        plan = self.conn.plan_create(self.ctx, {
            'name': 'p', 'provider_id': uuidutils.generate_uuid(),
            'project_id': PROJECT, 'status': 'suspended', 'resources': []})
        real = api._soft_delete
        failures = []

        def deadlock_once(row):
            if not failures:
                failures.append(row)
                raise db_exc.DBDeadlock()
            return real(row)
        with mock.patch.object(api, '_soft_delete', autospec=True,
                               side_effect=deadlock_once):
            self.conn.plan_destroy(self.ctx, plan.id)
        self.assertEqual(1, len(failures))
        self.assertRaises(exception.PlanNotFound, self.conn.plan_get,
                          self.ctx, plan.id)
