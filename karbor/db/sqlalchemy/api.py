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

"""The SQLAlchemy implementation of ``karbor.db.api.Connection``.

Every method opens an oslo.db enginefacade reader or writer session (see
``karbor.db.sqlalchemy.engine``); writers are retried on deadlock. The
returned rows are detached model instances with every column loaded (the
sessions do not expire on commit), which karbor.objects copies into
versioned objects.
"""

import contextlib
import functools

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from karbor.common import constants
from karbor.db import api
from karbor.db.sqlalchemy import engine
from karbor.db.sqlalchemy import models
from karbor.db.sqlalchemy import query
from karbor import exception
from karbor.i18n import _


class _Kind:
    """How one table is looked up, scoped and filtered."""

    def __init__(self, model, not_found, id_kwarg, id_column='id',
                 exact_keys=None, regexp_keys=()):
        self.model = model
        self.not_found = not_found
        self.id_kwarg = id_kwarg
        self.id_column = id_column
        # None: every filter key must be a column (unknown key => no rows).
        self.exact_keys = exact_keys
        self.regexp_keys = regexp_keys

    @property
    def scoped(self):
        return 'project_id' in self.model.__table__.columns

    def raise_not_found(self, value):
        raise self.not_found(**{self.id_kwarg: value})


_PLANS = _Kind(models.Plan, exception.PlanNotFound, 'plan_id',
               exact_keys=('project_id', 'status'),
               regexp_keys=('name', 'description'))
_RESTORES = _Kind(models.Restore, exception.RestoreNotFound, 'restore_id')
_VERIFICATIONS = _Kind(models.Verification,
                       exception.VerificationNotFound, 'verification_id')
_OPERATION_LOGS = _Kind(models.OperationLog,
                        exception.OperationLogNotFound, 'operation_log_id')
_TRIGGERS = _Kind(models.Trigger, exception.TriggerNotFound, 'id',
                  exact_keys=('project_id', 'type'),
                  regexp_keys=('name', 'properties'))
_SCHEDULED_OPERATIONS = _Kind(
    models.ScheduledOperation, exception.ScheduledOperationNotFound, 'id',
    exact_keys=('project_id', 'operation_type', 'trigger_id'),
    regexp_keys=('name', 'operation_definition'))
_OPERATION_STATES = _Kind(models.ScheduledOperationState,
                          exception.ScheduledOperationStateNotFound,
                          'op_id', id_column='operation_id')
_OPERATION_EXE_LOGS = _Kind(models.ScheduledOperationLog,
                            exception.ScheduledOperationLogNotFound,
                            'log_id')
_CHECKPOINT_RECORDS = _Kind(models.CheckpointRecord,
                            exception.CheckpointRecordNotFound, 'id')
_CHECKPOINT_COPIES = _Kind(
    models.CheckpointCopy, exception.CheckpointCopyNotFound, 'copy_id',
    exact_keys=('project_id', 'provider_id', 'plan_id', 'destination',
                'status', 'source_checkpoint_id', 'host', 'request_id'))
_SERVICES = _Kind(models.Service, exception.ServiceNotFound, 'service_id')


@contextlib.contextmanager
def _writing(model):
    """A writer session that maps integrity errors to Karbor's."""
    try:
        with engine.writer() as session:
            yield session
    except db_exc.DBDuplicateEntry as e:
        raise exception.DBEntryExists(
            model=model.__name__, column=', '.join(e.columns or ()),
            value=e.value)
    except db_exc.DBReferenceError as e:
        raise exception.InvalidInput(
            reason=_('%(model)s refers to a missing %(table)s row '
                     '(%(key)s).') % {'model': model.__name__,
                                      'table': e.key_table, 'key': e.key})


def _select(kind, context, project_only=True):
    stmt = sa.select(kind.model)
    if not getattr(context, 'show_deleted', False):
        stmt = stmt.where(query.not_deleted(kind.model))
    if (project_only and kind.scoped and not context.is_admin):
        stmt = stmt.where(kind.model.project_id == context.project_id)
    return stmt


def _get_row(session, kind, context, value):
    column = getattr(kind.model, kind.id_column)
    row = session.scalars(
        _select(kind, context).where(column == value)).first()
    if row is None:
        kind.raise_not_found(value)
    return row


def _soft_delete(row):
    row.update(row.soft_delete_values())


def _plan_resource_rows(plan_id, resources):
    return [models.Resource(plan_id=plan_id,
                            resource_id=res.get('id'),
                            resource_type=res.get('type'),
                            resource_name=res.get('name'),
                            resource_extra_info=res.get('extra_info'))
            for res in resources or ()]


def _retry_on_deadlock(function):
    """Run ``function`` again, up to five times, after a deadlock.

    oslo.db's own ``retry_on_deadlock`` only marks a function for its
    DBAPI loader, which Karbor does not use: it never retried anything.
    A call made inside an enclosing transaction is not retried: a deadlock
    aborts that whole transaction (PostgreSQL refuses any statement after
    it), so only its outermost caller can run it again.
    """
    retrying = oslo_db_api.wrap_db_retry(max_retries=5,
                                         retry_on_deadlock=True)(function)

    @functools.wraps(function)
    def call(*args, **kwargs):
        if engine.in_transaction():
            return function(*args, **kwargs)
        return retrying(*args, **kwargs)
    return call


class Connection(api.Connection):
    """SQLAlchemy implementation of Karbor's database API."""

    def transaction(self):
        # Writers opened inside, by this thread, join it (see engine).
        return engine.writer()

    # --- generic helpers ---------------------------------------------------

    def _get(self, kind, context, value):
        with engine.reader() as session:
            return _get_row(session, kind, context, value)

    def _create(self, kind, values):
        values = dict(values)
        if (kind.id_column == 'id' and 'id' not in values
                and isinstance(kind.model.id.type, sa.String)):
            values['id'] = uuidutils.generate_uuid()
        with _writing(kind.model) as session:
            row = kind.model()
            row.update(values)
            session.add(row)
            session.flush()
            return row

    def _update(self, kind, context, value, values):
        with _writing(kind.model) as session:
            row = _get_row(session, kind, context, value)
            row.update(values)
            session.flush()
            return row

    def _destroy(self, kind, context, value):
        with _writing(kind.model) as session:
            row = _get_row(session, kind, context, value)
            _soft_delete(row)
            return row

    def _get_all(self, kind, context, marker=None, limit=None,
                 sort_keys=None, sort_dirs=None, filters=None, offset=None,
                 project_id=None):
        filters = dict(filters or {})
        if project_id is not None:
            if (not context.is_admin
                    and project_id != context.project_id):
                raise exception.NotAuthorized()
            filters['project_id'] = project_id
        if limit is not None and limit <= 0:
            return []
        keys, dirs = query.normalize_sort(kind.model, sort_keys, sort_dirs)
        with engine.reader() as session:
            stmt = _select(kind, context)
            stmt = query.exact_filter(stmt, kind.model, filters,
                                      kind.exact_keys)
            if stmt is None:
                return []
            stmt = query.regexp_filter(stmt, kind.model, filters,
                                       kind.regexp_keys)
            marker_row = None
            if marker is not None:
                marker_row = _get_row(session, kind, context, marker)
            stmt = query.paginate(stmt, kind.model, keys, dirs, marker_row,
                                  limit=limit, offset=offset)
            return list(session.scalars(stmt).all())

    # --- services ----------------------------------------------------------

    def service_get(self, context, service_id):
        return self._get(_SERVICES, context, service_id)

    def service_get_by_host_and_topic(self, context, host, topic):
        rows = self.service_get_all(context, {'host': host, 'topic': topic,
                                              'disabled': False})
        if not rows:
            raise exception.ServiceNotFound(service_id=None)
        return rows[0]

    def service_get_by_args(self, context, host, binary):
        rows = self.service_get_all(context, {'host': host,
                                              'binary': binary})
        if not rows:
            raise exception.HostBinaryNotFound(host=host, binary=binary)
        return rows[0]

    def service_get_all(self, context, filters=None):
        return self._get_all(_SERVICES, context, filters=filters,
                             sort_keys=['id'], sort_dirs=['asc'])

    def service_get_all_by_topic(self, context, topic, disabled=None):
        filters = {'topic': topic}
        if disabled is not None:
            filters['disabled'] = disabled
        return self.service_get_all(context, filters)

    @_retry_on_deadlock
    def service_create(self, context, values):
        return self._create(_SERVICES, values)

    @_retry_on_deadlock
    def service_update(self, context, service_id, values):
        return self._update(_SERVICES, context, service_id, values)

    @_retry_on_deadlock
    def service_destroy(self, context, service_id):
        return self._destroy(_SERVICES, context, service_id)

    # --- plans -------------------------------------------------------------

    def plan_get(self, context, plan_id):
        return self._get(_PLANS, context, plan_id)

    def plan_get_all(self, context, marker=None, limit=None, sort_keys=None,
                     sort_dirs=None, filters=None, offset=None):
        return self._get_all(_PLANS, context, marker, limit, sort_keys,
                             sort_dirs, filters, offset)

    def plan_get_all_by_project(self, context, project_id, marker=None,
                                limit=None, sort_keys=None, sort_dirs=None,
                                filters=None, offset=None):
        return self._get_all(_PLANS, context, marker, limit, sort_keys,
                             sort_dirs, filters, offset,
                             project_id=project_id)

    @staticmethod
    def _replace_resources(session, plan, resources):
        old = session.scalars(
            sa.select(models.Resource)
            .where(models.Resource.plan_id == plan.id)
            .where(query.not_deleted(models.Resource))).all()
        for row in old:
            _soft_delete(row)
        session.add_all(_plan_resource_rows(plan.id, resources))
        session.flush()
        # Reload the view-only relationship while the session is open.
        session.expire(plan, ['resources'])
        list(plan.resources)

    @_retry_on_deadlock
    def plan_create(self, context, values):
        values = dict(values)
        resources = values.pop('resources', None) or []
        values.setdefault('id', uuidutils.generate_uuid())
        with _writing(models.Plan) as session:
            plan = models.Plan()
            plan.update(values)
            session.add(plan)
            session.flush()
            self._replace_resources(session, plan, resources)
            return plan

    @_retry_on_deadlock
    def plan_update(self, context, plan_id, values):
        values = dict(values)
        resources = values.pop('resources', None)
        with _writing(models.Plan) as session:
            plan = _get_row(session, _PLANS, context, plan_id)
            plan.update(values)
            session.flush()
            if resources is not None:
                self._replace_resources(session, plan, resources)
            return plan

    @_retry_on_deadlock
    def plan_resources_update(self, context, plan_id, resources):
        with _writing(models.Plan) as session:
            plan = _get_row(session, _PLANS, context, plan_id)
            self._replace_resources(session, plan, resources)
            return list(plan.resources)

    @_retry_on_deadlock
    def plan_destroy(self, context, plan_id):
        with _writing(models.Plan) as session:
            plan = _get_row(session, _PLANS, context, plan_id)
            self._replace_resources(session, plan, [])
            _soft_delete(plan)
            return plan

    # --- restores, verifications, operation logs, checkpoint records ------

    def restore_get(self, context, restore_id):
        return self._get(_RESTORES, context, restore_id)

    def restore_get_all(self, context, marker=None, limit=None,
                        sort_keys=None, sort_dirs=None, filters=None,
                        offset=None):
        return self._get_all(_RESTORES, context, marker, limit, sort_keys,
                             sort_dirs, filters, offset)

    def restore_get_all_by_project(self, context, project_id, marker=None,
                                   limit=None, sort_keys=None,
                                   sort_dirs=None, filters=None,
                                   offset=None):
        return self._get_all(_RESTORES, context, marker, limit, sort_keys,
                             sort_dirs, filters, offset,
                             project_id=project_id)

    @_retry_on_deadlock
    def restore_create(self, context, values):
        return self._create(_RESTORES, values)

    @_retry_on_deadlock
    def restore_update(self, context, restore_id, values):
        return self._update(_RESTORES, context, restore_id, values)

    @_retry_on_deadlock
    def restore_destroy(self, context, restore_id):
        return self._destroy(_RESTORES, context, restore_id)

    @staticmethod
    def _update_resource_status(kind, context, value, key, status, reason):
        with _writing(kind.model) as session:
            row = session.scalars(
                _select(kind, context)
                .where(kind.model.id == value).with_for_update()).first()
            if row is None:
                kind.raise_not_found(value)
            # New dicts: the JSON columns are not mutation-tracked.
            statuses = dict(row.resources_status or {})
            reasons = dict(row.resources_reason or {})
            statuses[key] = status
            if reason is not None:
                reasons[key] = reason
            else:
                reasons.pop(key, None)
            row.resources_status = statuses
            row.resources_reason = reasons
            session.flush()
            return row

    @_retry_on_deadlock
    def restore_update_resource_status(self, context, restore_id, key,
                                       status, reason=None):
        return self._update_resource_status(_RESTORES, context, restore_id,
                                            key, status, reason)

    def verification_get(self, context, verification_id):
        return self._get(_VERIFICATIONS, context, verification_id)

    def verification_get_all(self, context, marker=None, limit=None,
                             sort_keys=None, sort_dirs=None, filters=None,
                             offset=None):
        return self._get_all(_VERIFICATIONS, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset)

    def verification_get_all_by_project(self, context, project_id,
                                        marker=None, limit=None,
                                        sort_keys=None, sort_dirs=None,
                                        filters=None, offset=None):
        return self._get_all(_VERIFICATIONS, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset,
                             project_id=project_id)

    @_retry_on_deadlock
    def verification_create(self, context, values):
        return self._create(_VERIFICATIONS, values)

    @_retry_on_deadlock
    def verification_update(self, context, verification_id, values):
        return self._update(_VERIFICATIONS, context, verification_id, values)

    @_retry_on_deadlock
    def verification_destroy(self, context, verification_id):
        return self._destroy(_VERIFICATIONS, context, verification_id)

    @_retry_on_deadlock
    def verification_update_resource_status(self, context, verification_id,
                                            key, status, reason=None):
        return self._update_resource_status(_VERIFICATIONS, context,
                                            verification_id, key, status,
                                            reason)

    def operation_log_get(self, context, operation_log_id):
        return self._get(_OPERATION_LOGS, context, operation_log_id)

    def operation_log_get_all(self, context, marker=None, limit=None,
                              sort_keys=None, sort_dirs=None, filters=None,
                              offset=None):
        return self._get_all(_OPERATION_LOGS, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset)

    def operation_log_get_all_by_project(self, context, project_id,
                                         marker=None, limit=None,
                                         sort_keys=None, sort_dirs=None,
                                         filters=None, offset=None):
        return self._get_all(_OPERATION_LOGS, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset,
                             project_id=project_id)

    @_retry_on_deadlock
    def operation_log_create(self, context, values):
        return self._create(_OPERATION_LOGS, values)

    @_retry_on_deadlock
    def operation_log_update(self, context, operation_log_id, values):
        return self._update(_OPERATION_LOGS, context, operation_log_id,
                            values)

    @_retry_on_deadlock
    def operation_log_destroy(self, context, operation_log_id):
        return self._destroy(_OPERATION_LOGS, context, operation_log_id)

    def checkpoint_record_get(self, context, checkpoint_record_id):
        return self._get(_CHECKPOINT_RECORDS, context, checkpoint_record_id)

    def checkpoint_record_get_all(self, context, marker=None, limit=None,
                                  sort_keys=None, sort_dirs=None,
                                  filters=None, offset=None):
        return self._get_all(_CHECKPOINT_RECORDS, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset)

    @_retry_on_deadlock
    def checkpoint_record_create(self, context, values):
        return self._create(_CHECKPOINT_RECORDS, values)

    @_retry_on_deadlock
    def checkpoint_record_update(self, context, checkpoint_record_id,
                                 values):
        return self._update(_CHECKPOINT_RECORDS, context,
                            checkpoint_record_id, values)

    @_retry_on_deadlock
    def checkpoint_record_destroy(self, context, checkpoint_record_id):
        return self._destroy(_CHECKPOINT_RECORDS, context,
                             checkpoint_record_id)

    # --- checkpoint copies -------------------------------------------------

    @_retry_on_deadlock
    def checkpoint_copy_create(self, context, values):
        try:
            return self._create(_CHECKPOINT_COPIES, values)
        except exception.DBEntryExists:
            raise exception.CheckpointCopyExists(
                checkpoint_id=values.get('source_checkpoint_id'),
                destination=values.get('destination'))

    def checkpoint_copy_get(self, context, copy_id):
        return self._get(_CHECKPOINT_COPIES, context, copy_id)

    def checkpoint_copy_get_all(self, context, marker=None, limit=None,
                                sort_keys=None, sort_dirs=None,
                                filters=None, offset=None):
        return self._get_all(_CHECKPOINT_COPIES, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset)

    @_retry_on_deadlock
    def checkpoint_copy_update(self, context, copy_id, values):
        return self._update(_CHECKPOINT_COPIES, context, copy_id, values)

    @_retry_on_deadlock
    def checkpoint_copy_claim_for_retry(self, context, copy_id, values):
        model = models.CheckpointCopy
        values = dict(values)
        values.setdefault('updated_at', timeutils.utcnow())
        # One conditional UPDATE: the database serialises concurrent
        # claims, and only the one that still sees 'error' changes the row.
        stmt = (sa.update(model)
                .where(model.id == copy_id)
                .where(model.status == constants.CHECKPOINT_STATUS_ERROR)
                .where(query.not_deleted(model))
                .values(**values))
        if not context.is_admin:
            stmt = stmt.where(model.project_id == context.project_id)
        with _writing(model) as session:
            result = session.execute(stmt)
            return result.rowcount == 1

    @_retry_on_deadlock
    def checkpoint_copy_destroy(self, context, copy_id):
        model = models.CheckpointCopy
        with _writing(model) as session:
            row = _get_row(session, _CHECKPOINT_COPIES, context, copy_id)
            session.delete(row)
            return row

    # --- triggers and their executions -------------------------------------

    def trigger_get(self, context, trigger_id):
        return self._get(_TRIGGERS, context, trigger_id)

    def trigger_get_all(self, context, marker=None, limit=None,
                        sort_keys=None, sort_dirs=None, filters=None,
                        offset=None):
        return self._get_all(_TRIGGERS, context, marker, limit, sort_keys,
                             sort_dirs, filters, offset)

    @_retry_on_deadlock
    def trigger_create(self, context, values):
        return self._create(_TRIGGERS, values)

    @_retry_on_deadlock
    def trigger_update(self, context, trigger_id, values):
        return self._update(_TRIGGERS, context, trigger_id, values)

    @_retry_on_deadlock
    def trigger_destroy(self, context, trigger_id):
        return self._destroy(_TRIGGERS, context, trigger_id)

    @_retry_on_deadlock
    def trigger_execution_create(self, context, trigger_id, time):
        with _writing(models.TriggerExecution) as session:
            row = models.TriggerExecution(id=uuidutils.generate_uuid(),
                                          trigger_id=trigger_id,
                                          execution_time=time)
            session.add(row)
            session.flush()
            return row

    def trigger_execution_get_next(self, context):
        model = models.TriggerExecution
        with engine.reader() as session:
            return session.scalars(
                sa.select(model).where(query.not_deleted(model))
                .order_by(model.execution_time.asc()).limit(1)).first()

    @_retry_on_deadlock
    def trigger_execution_update(self, context, execution_id, current_time,
                                 new_time):
        model = models.TriggerExecution
        with _writing(model) as session:
            result = session.execute(
                sa.update(model)
                .where(model.id == execution_id)
                .where(model.execution_time == current_time)
                .where(query.not_deleted(model))
                .values(execution_time=new_time,
                        updated_at=timeutils.utcnow()))
            return result.rowcount == 1

    @_retry_on_deadlock
    def trigger_execution_delete(self, context, execution_id=None,
                                 trigger_id=None):
        model = models.TriggerExecution
        with _writing(model) as session:
            stmt = sa.delete(model)
            if execution_id is not None:
                stmt = stmt.where(model.id == execution_id)
            if trigger_id is not None:
                stmt = stmt.where(model.trigger_id == trigger_id)
            return session.execute(stmt).rowcount

    # --- scheduled operations ----------------------------------------------

    def scheduled_operation_get(self, context, operation_id):
        return self._get(_SCHEDULED_OPERATIONS, context, operation_id)

    def scheduled_operation_get_all(self, context, marker=None, limit=None,
                                    sort_keys=None, sort_dirs=None,
                                    filters=None, offset=None):
        return self._get_all(_SCHEDULED_OPERATIONS, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset)

    @_retry_on_deadlock
    def scheduled_operation_create(self, context, values):
        row = self._create(_SCHEDULED_OPERATIONS, values)
        # Load the joined trigger for the caller.
        return self.scheduled_operation_get(context.elevated(), row.id)

    @_retry_on_deadlock
    def scheduled_operation_update(self, context, operation_id, values):
        self._update(_SCHEDULED_OPERATIONS, context, operation_id, values)
        return self.scheduled_operation_get(context.elevated(),
                                            operation_id)

    @_retry_on_deadlock
    def scheduled_operation_destroy(self, context, operation_id):
        return self._destroy(_SCHEDULED_OPERATIONS, context, operation_id)

    def scheduled_operation_state_get(self, context, operation_id):
        return self._get(_OPERATION_STATES, context, operation_id)

    def scheduled_operation_state_get_all(self, context, marker=None,
                                          limit=None, sort_keys=None,
                                          sort_dirs=None, filters=None,
                                          offset=None):
        return self._get_all(_OPERATION_STATES, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset)

    @_retry_on_deadlock
    def scheduled_operation_state_create(self, context, values):
        row = self._create(_OPERATION_STATES, values)
        return self.scheduled_operation_state_get(context,
                                                  row.operation_id)

    @_retry_on_deadlock
    def scheduled_operation_state_update(self, context, operation_id,
                                         values):
        self._update(_OPERATION_STATES, context, operation_id, values)
        return self.scheduled_operation_state_get(context, operation_id)

    @_retry_on_deadlock
    def scheduled_operation_state_delete(self, context, operation_id):
        return self._destroy(_OPERATION_STATES, context, operation_id)

    def scheduled_operation_log_get(self, context, log_id):
        return self._get(_OPERATION_EXE_LOGS, context, log_id)

    def scheduled_operation_log_get_all(self, context, marker=None,
                                        limit=None, sort_keys=None,
                                        sort_dirs=None, filters=None,
                                        offset=None):
        return self._get_all(_OPERATION_EXE_LOGS, context, marker, limit,
                             sort_keys, sort_dirs, filters, offset)

    @_retry_on_deadlock
    def scheduled_operation_log_create(self, context, values):
        return self._create(_OPERATION_EXE_LOGS, values)

    @_retry_on_deadlock
    def scheduled_operation_log_update(self, context, log_id, values):
        return self._update(_OPERATION_EXE_LOGS, context, log_id, values)

    @_retry_on_deadlock
    def scheduled_operation_log_delete(self, context, log_id):
        return self._destroy(_OPERATION_EXE_LOGS, context, log_id)

    @_retry_on_deadlock
    def scheduled_operation_log_delete_oldest(self, context, operation_id,
                                              retained_num,
                                              excepted_states=()):
        model = models.ScheduledOperationLog
        with _writing(model) as session:
            stmt = (sa.select(model)
                    .where(model.operation_id == operation_id)
                    .where(query.not_deleted(model)))
            if excepted_states:
                stmt = stmt.where(model.state.not_in(list(excepted_states)))
            stmt = stmt.order_by(model.created_at.desc(), model.id.desc())
            rows = session.scalars(stmt.offset(max(retained_num, 0))).all()
            for row in rows:
                _soft_delete(row)
            return len(rows)

    # --- quotas ------------------------------------------------------------

    def quota_get(self, context, project_id, resource):
        model = models.Quota
        with engine.reader() as session:
            row = session.scalars(
                sa.select(model).where(model.project_id == project_id)
                .where(model.resource == resource)
                .where(query.not_deleted(model))).first()
        if row is None:
            raise exception.ProjectQuotaNotFound(project_id=project_id)
        return row

    def quota_get_all_by_project(self, context, project_id):
        model = models.Quota
        with engine.reader() as session:
            rows = session.scalars(
                sa.select(model).where(model.project_id == project_id)
                .where(query.not_deleted(model))).all()
        result = {'project_id': project_id}
        result.update((row.resource, row.hard_limit) for row in rows)
        return result

    @_retry_on_deadlock
    def quota_set(self, context, project_id, resource, limit):
        model = models.Quota
        with _writing(model) as session:
            row = session.scalars(
                sa.select(model).where(model.project_id == project_id)
                .where(model.resource == resource)
                .where(query.not_deleted(model))).first()
            if row is None:
                row = model(project_id=project_id, resource=resource)
                session.add(row)
            row.hard_limit = limit
            session.flush()
            return row

    @_retry_on_deadlock
    def quota_destroy_all_by_project(self, context, project_id):
        with _writing(models.Quota) as session:
            for model in (models.Quota, models.QuotaUsage,
                          models.Reservation):
                rows = session.scalars(
                    sa.select(model).where(model.project_id == project_id)
                    .where(query.not_deleted(model))).all()
                for row in rows:
                    _soft_delete(row)

    def quota_class_get_all_by_name(self, context, class_name):
        model = models.QuotaClass
        with engine.reader() as session:
            rows = session.scalars(
                sa.select(model).where(model.class_name == class_name)
                .where(query.not_deleted(model))).all()
        result = {'class_name': class_name}
        result.update((row.resource, row.hard_limit) for row in rows)
        return result

    @_retry_on_deadlock
    def quota_class_set(self, context, class_name, resource, limit):
        model = models.QuotaClass
        with _writing(model) as session:
            row = session.scalars(
                sa.select(model).where(model.class_name == class_name)
                .where(model.resource == resource)
                .where(query.not_deleted(model))).first()
            if row is None:
                row = model(class_name=class_name, resource=resource)
                session.add(row)
            row.hard_limit = limit
            session.flush()
            return row

    @_retry_on_deadlock
    def quota_class_destroy_all_by_name(self, context, class_name):
        model = models.QuotaClass
        with _writing(model) as session:
            rows = session.scalars(
                sa.select(model).where(model.class_name == class_name)
                .where(query.not_deleted(model))).all()
            for row in rows:
                _soft_delete(row)

    def quota_usage_get_all_by_project(self, context, project_id):
        model = models.QuotaUsage
        with engine.reader() as session:
            rows = session.scalars(
                sa.select(model).where(model.project_id == project_id)
                .where(query.not_deleted(model))).all()
        result = {'project_id': project_id}
        result.update((row.resource, {'in_use': row.in_use or 0,
                                      'reserved': row.reserved or 0})
                      for row in rows)
        return result

    @staticmethod
    def _usages_for_update(session, project_id, resources):
        model = models.QuotaUsage
        rows = session.scalars(
            sa.select(model).where(model.project_id == project_id)
            .where(model.resource.in_(list(resources)))
            .where(query.not_deleted(model))
            .with_for_update()).all()
        usages = {row.resource: row for row in rows}
        for resource in resources:
            if resource not in usages:
                row = model(project_id=project_id, resource=resource,
                            in_use=0, reserved=0)
                session.add(row)
                usages[resource] = row
        session.flush()
        return usages

    # Not retried on a deadlock here: the quota driver calls it inside a
    # transaction of its own, which it retries whole.
    def quota_reserve(self, context, limits, deltas, expire, project_id):
        with _writing(models.Reservation) as session:
            usages = self._usages_for_update(session, project_id, deltas)
            overs = []
            for resource, delta in deltas.items():
                limit = limits[resource]
                usage = usages[resource]
                # Only growth is checked: releasing never exceeds a limit.
                if (delta > 0 and limit >= 0
                        and usage.total + delta > limit):
                    overs.append(resource)
            if overs:
                raise exception.OverQuota(
                    overs=', '.join(sorted(overs)),
                    usages={r: {'in_use': u.in_use or 0,
                                'reserved': u.reserved or 0}
                            for r, u in usages.items()},
                    quotas=dict(limits))
            reservations = []
            for resource, delta in deltas.items():
                usage = usages[resource]
                row = models.Reservation(
                    uuid=uuidutils.generate_uuid(), usage_id=usage.id,
                    project_id=project_id, resource=resource, delta=delta,
                    expire=expire)
                session.add(row)
                # A release is not reserved: it must not block others.
                if delta > 0:
                    usage.reserved = (usage.reserved or 0) + delta
                reservations.append(row.uuid)
            session.flush()
            return reservations

    @staticmethod
    def _finish_reservations(session, reservations, project_id, commit):
        model = models.Reservation
        stmt = (sa.select(model).where(model.uuid.in_(list(reservations)))
                .where(query.not_deleted(model)))
        if project_id is not None:
            stmt = stmt.where(model.project_id == project_id)
        rows = session.scalars(stmt.with_for_update()).all()
        for row in rows:
            usage = session.get(models.QuotaUsage, row.usage_id)
            if row.delta > 0:
                usage.reserved = max((usage.reserved or 0) - row.delta, 0)
            if commit:
                usage.in_use = max((usage.in_use or 0) + row.delta, 0)
            _soft_delete(row)
        session.flush()
        return len(rows)

    @_retry_on_deadlock
    def reservation_commit(self, context, reservations, project_id=None):
        with _writing(models.Reservation) as session:
            return self._finish_reservations(session, reservations,
                                             project_id, commit=True)

    @_retry_on_deadlock
    def reservation_rollback(self, context, reservations, project_id=None):
        with _writing(models.Reservation) as session:
            return self._finish_reservations(session, reservations,
                                             project_id, commit=False)

    @_retry_on_deadlock
    def reservation_expire(self, context, now=None):
        model = models.Reservation
        now = now or timeutils.utcnow()
        with _writing(model) as session:
            uuids = session.scalars(
                sa.select(model.uuid).where(model.expire < now)
                .where(query.not_deleted(model))).all()
            return self._finish_reservations(session, uuids, None,
                                             commit=False)


def get_backend():
    """The implementation ``karbor.db.api.get_instance()`` returns."""
    return Connection()
