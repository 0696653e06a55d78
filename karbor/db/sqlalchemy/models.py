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

"""SQLAlchemy models of every Karbor table.

Table and column names and types are upstream Karbor's, so that rows
written by an existing deployment map unchanged. Columns holding JSON keep
upstream's ``Text`` storage; ``JsonEncodedDict`` turns them into Python
values on load and back into JSON text on write.

Every table carries the soft-delete columns ``created_at``, ``updated_at``,
``deleted_at`` and ``deleted``. Upstream made ``deleted`` NOT NULL on some
tables only; that is kept so the schema matches existing databases.
"""

from oslo_db.sqlalchemy import models
from oslo_serialization import jsonutils
from oslo_utils import timeutils
from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import orm
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import types
from sqlalchemy import UniqueConstraint


class JsonEncodedDict(types.TypeDecorator):
    """A JSON document stored as text (upstream's storage for JSON)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return jsonutils.dumps(value)

    def process_result_value(self, value, dialect):
        if value is None or value == '':
            return None
        return jsonutils.loads(value)


class KarborBase(models.TimestampMixin, models.ModelBase):
    """Columns and helpers shared by every model."""

    deleted_at = Column(DateTime)
    deleted = Column(Boolean, default=False)

    def soft_delete_values(self):
        """The values that mark this row deleted."""
        return {'deleted': True, 'deleted_at': timeutils.utcnow()}


BASE = orm.declarative_base(cls=KarborBase)


def _deleted_not_null():
    return Column(Boolean, nullable=False, default=False)


class Service(BASE):
    """A running Karbor service (API, protection, operation engine)."""

    __tablename__ = 'services'

    id = Column(Integer, primary_key=True)
    host = Column(String(255))
    binary = Column(String(255))
    topic = Column(String(255))
    report_count = Column(Integer, nullable=False, default=0)
    disabled = Column(Boolean, default=False)
    disabled_reason = Column(String(255))
    modified_at = Column(DateTime)
    rpc_current_version = Column(String(36))
    rpc_available_version = Column(String(36))


class Plan(BASE):
    """A protection plan: resources to protect with one provider."""

    __tablename__ = 'plans'
    __table_args__ = (Index('plans_project_id_idx', 'project_id'),)

    id = Column(String(36), primary_key=True)
    name = Column(String(255))
    description = Column(String(255))
    provider_id = Column(String(36))
    project_id = Column(String(255))
    status = Column(String(64))
    parameters = Column(JsonEncodedDict)

    resources = orm.relationship(
        'Resource',
        primaryjoin='and_(Resource.plan_id == Plan.id, '
                    'Resource.deleted == False)',  # noqa: E712
        order_by='Resource.id',
        lazy='selectin',
        viewonly=True)


class Resource(BASE):
    """One resource of a plan."""

    __tablename__ = 'resources'
    __table_args__ = (Index('resources_plan_id_idx', 'plan_id'),)

    id = Column(Integer, primary_key=True)
    plan_id = Column(String(36), ForeignKey('plans.id'), nullable=False)
    resource_id = Column(String(36))
    resource_type = Column(String(64))
    resource_name = Column(String(255))
    resource_extra_info = Column(JsonEncodedDict)


class Restore(BASE):
    """A restore of a checkpoint."""

    __tablename__ = 'restores'
    __table_args__ = (Index('restores_project_id_idx', 'project_id'),)

    id = Column(String(36), primary_key=True)
    project_id = Column(String(255))
    provider_id = Column(String(36))
    checkpoint_id = Column(String(36))
    restore_target = Column(String(255))
    parameters = Column(JsonEncodedDict)
    status = Column(String(64))
    resources_status = Column(JsonEncodedDict)
    resources_reason = Column(JsonEncodedDict)


class Verification(BASE):
    """A verification of a checkpoint."""

    __tablename__ = 'verifications'
    __table_args__ = (Index('verifications_project_id_idx', 'project_id'),)

    id = Column(String(36), primary_key=True)
    project_id = Column(String(255), nullable=False)
    provider_id = Column(String(36), nullable=False)
    checkpoint_id = Column(String(36), nullable=False)
    status = Column(String(64))
    parameters = Column(JsonEncodedDict)
    resources_status = Column(JsonEncodedDict)
    resources_reason = Column(JsonEncodedDict)


class OperationLog(BASE):
    """The record of one protect, delete, restore, verify or copy run.

    ``extra_info`` is JSON text. Long operations (copy above all) keep their
    progress there while they run, as the keys ``objects_done``,
    ``objects_total``, ``bytes_done`` and ``bytes_total``; ``error_info``
    holds the failure reason.
    """

    __tablename__ = 'operation_logs'
    __table_args__ = (
        Index('operation_logs_project_id_idx', 'project_id'),
        Index('operation_logs_checkpoint_id_idx', 'checkpoint_id'),
    )

    deleted = _deleted_not_null()
    id = Column(String(36), primary_key=True)
    project_id = Column(String(255), nullable=False)
    operation_type = Column(String(255), nullable=False)
    checkpoint_id = Column(String(36))
    plan_id = Column(String(36))
    provider_id = Column(String(36))
    restore_id = Column(String(36))
    scheduled_operation_id = Column(String(36))
    status = Column(String(64))
    started_at = Column(DateTime)
    ended_at = Column(DateTime)
    error_info = Column(Text)
    extra_info = Column(Text)


class Trigger(BASE):
    """A time trigger of the operation engine."""

    __tablename__ = 'triggers'
    __table_args__ = (Index('triggers_project_id_idx', 'project_id'),)

    deleted = _deleted_not_null()
    id = Column(String(36), primary_key=True)
    name = Column(String(255), nullable=False)
    project_id = Column(String(255), nullable=False)
    type = Column(String(64), nullable=False)
    properties = Column(JsonEncodedDict, nullable=False)


class TriggerExecution(BASE):
    """The next time a trigger fires."""

    __tablename__ = 'trigger_executions'

    deleted = _deleted_not_null()
    id = Column(String(36), primary_key=True)
    trigger_id = Column(String(36), nullable=False, unique=True, index=True)
    execution_time = Column(DateTime, nullable=False, index=True)


class ScheduledOperation(BASE):
    """An operation the operation engine runs when a trigger fires."""

    __tablename__ = 'scheduled_operations'

    deleted = _deleted_not_null()
    id = Column(String(36), primary_key=True)
    name = Column(String(255), nullable=False)
    description = Column(String(255))
    operation_type = Column(String(64), nullable=False)
    user_id = Column(String(64), nullable=False)
    project_id = Column(String(255), nullable=False)
    trigger_id = Column(String(36), ForeignKey('triggers.id'),
                        nullable=False, index=True)
    operation_definition = Column(JsonEncodedDict, nullable=False)
    enabled = Column(Boolean, nullable=False, default=True)

    trigger = orm.relationship(
        Trigger,
        primaryjoin='and_(ScheduledOperation.trigger_id == Trigger.id, '
                    'Trigger.deleted == False)',  # noqa: E712
        lazy='selectin',
        viewonly=True)


class ScheduledOperationState(BASE):
    """Run-time state of a scheduled operation on one engine."""

    __tablename__ = 'scheduled_operation_states'

    deleted = _deleted_not_null()
    id = Column(Integer, primary_key=True, autoincrement=True)
    operation_id = Column(String(36),
                          ForeignKey('scheduled_operations.id',
                                     ondelete='CASCADE'),
                          nullable=False, unique=True, index=True)
    service_id = Column(Integer, ForeignKey('services.id'), nullable=False)
    trust_id = Column(String(64), nullable=False)
    state = Column(String(32), nullable=False)
    end_time_for_run = Column(DateTime)

    operation = orm.relationship(
        ScheduledOperation,
        primaryjoin='and_(ScheduledOperationState.operation_id == '
                    'ScheduledOperation.id, '
                    'ScheduledOperation.deleted == False)',  # noqa: E712
        lazy='selectin',
        viewonly=True)


class ScheduledOperationLog(BASE):
    """One execution of a scheduled operation."""

    __tablename__ = 'scheduled_operation_logs'

    deleted = _deleted_not_null()
    id = Column(Integer, primary_key=True, autoincrement=True)
    operation_id = Column(String(36),
                          ForeignKey('scheduled_operations.id',
                                     ondelete='CASCADE'),
                          nullable=False, index=True)
    expect_start_time = Column(DateTime)
    triggered_time = Column(DateTime)
    actual_start_time = Column(DateTime)
    end_time = Column(DateTime)
    state = Column(String(32), nullable=False)
    extend_info = Column(Text)


class CheckpointRecord(BASE):
    """A checkpoint known to the database (unused upstream, kept)."""

    __tablename__ = 'checkpoint_records'

    deleted = _deleted_not_null()
    id = Column(String(36), primary_key=True)
    project_id = Column(String(36), nullable=False)
    checkpoint_id = Column(String(36), nullable=False)
    checkpoint_status = Column(String(36), nullable=False)
    provider_id = Column(String(36), nullable=False)
    plan_id = Column(String(36), nullable=False)
    operation_id = Column(String(36))
    create_by = Column(String(36))
    extend_info = Column(Text)


class CheckpointCopy(BASE):
    """One checkpoint copied to one copy destination.

    ``id`` is the copy checkpoint's id (in the destination bank). The
    unique pair (source checkpoint, destination) is what stops two
    requests from copying one checkpoint twice; rows are hard-deleted with
    their copy checkpoint, so the pair can be copied again afterwards.
    """

    __tablename__ = 'checkpoint_copies'
    __table_args__ = (
        UniqueConstraint('source_checkpoint_id', 'destination',
                         name='uniq_checkpoint_copies0source0destination'),
        Index('checkpoint_copies_plan_id_idx', 'plan_id'),
        Index('checkpoint_copies_host_status_idx', 'host', 'status'),
    )

    deleted = _deleted_not_null()
    id = Column(String(36), primary_key=True)
    project_id = Column(String(255), nullable=False)
    provider_id = Column(String(36), nullable=False)
    plan_id = Column(String(36))
    source_checkpoint_id = Column(String(36), nullable=False)
    destination = Column(String(255), nullable=False)
    status = Column(String(64), nullable=False)
    operation_log_id = Column(String(36))
    request_id = Column(String(36))
    host = Column(String(255))


class Quota(BASE):
    """A project's limit on one resource."""

    __tablename__ = 'quotas'

    id = Column(Integer, primary_key=True)
    project_id = Column(String(255), nullable=False, index=True)
    resource = Column(String(255), nullable=False)
    hard_limit = Column(Integer)


class QuotaClass(BASE):
    """A quota class's limit on one resource (class ``default``)."""

    __tablename__ = 'quota_classes'

    id = Column(Integer, primary_key=True)
    class_name = Column(String(255), nullable=False, index=True)
    resource = Column(String(255), nullable=False)
    hard_limit = Column(Integer)


class QuotaUsage(BASE):
    """A project's use of one resource."""

    __tablename__ = 'quota_usages'

    id = Column(Integer, primary_key=True)
    project_id = Column(String(255), nullable=False, index=True)
    resource = Column(String(255), nullable=False)
    in_use = Column(Integer, default=0)
    reserved = Column(Integer, default=0)
    until_refresh = Column(Integer)

    @property
    def total(self):
        return (self.in_use or 0) + (self.reserved or 0)


class Reservation(BASE):
    """A pending change of a usage, committed or rolled back later."""

    __tablename__ = 'reservations'

    id = Column(Integer, primary_key=True)
    uuid = Column(String(36), nullable=False, index=True)
    usage_id = Column(Integer, ForeignKey('quota_usages.id'),
                      nullable=False)
    project_id = Column(String(255), index=True)
    resource = Column(String(255))
    delta = Column(Integer, nullable=False)
    expire = Column(DateTime)


def get_models():
    """Every model, in an order that respects foreign keys."""
    return (Service, Plan, Resource, Restore, Verification, OperationLog,
            Trigger, TriggerExecution, ScheduledOperation,
            ScheduledOperationState, ScheduledOperationLog, CheckpointRecord,
            CheckpointCopy, Quota, QuotaClass, QuotaUsage, Reservation)
