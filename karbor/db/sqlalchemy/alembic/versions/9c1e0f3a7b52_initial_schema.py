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

"""Initial schema: every table of upstream Karbor 1.6.0.

The columns are those upstream's migrations 001 to 003 created, so an
exported upstream database maps onto this schema, plus indexes on the
columns Karbor filters by.

Revision ID: 9c1e0f3a7b52
Revises:
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa

revision = '9c1e0f3a7b52'
down_revision = None
branch_labels = None
depends_on = None


def _soft_delete_columns(deleted_nullable=True):
    return [
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.Column('deleted_at', sa.DateTime),
        sa.Column('deleted', sa.Boolean, nullable=deleted_nullable),
    ]


def upgrade():
    op.create_table(
        'services',
        *_soft_delete_columns(),
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('host', sa.String(255)),
        sa.Column('binary', sa.String(255)),
        sa.Column('topic', sa.String(255)),
        sa.Column('report_count', sa.Integer, nullable=False),
        sa.Column('disabled', sa.Boolean),
        sa.Column('disabled_reason', sa.String(255)),
        sa.Column('modified_at', sa.DateTime),
        sa.Column('rpc_current_version', sa.String(36)),
        sa.Column('rpc_available_version', sa.String(36)),
    )

    op.create_table(
        'plans',
        *_soft_delete_columns(),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255)),
        sa.Column('description', sa.String(255)),
        sa.Column('provider_id', sa.String(36)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('status', sa.String(64)),
        sa.Column('parameters', sa.Text),
    )
    op.create_index('plans_project_id_idx', 'plans', ['project_id'])

    op.create_table(
        'resources',
        *_soft_delete_columns(),
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('plan_id', sa.String(36), sa.ForeignKey('plans.id'),
                  nullable=False),
        sa.Column('resource_id', sa.String(36)),
        sa.Column('resource_type', sa.String(64)),
        sa.Column('resource_name', sa.String(255)),
        sa.Column('resource_extra_info', sa.Text),
    )
    op.create_index('resources_plan_id_idx', 'resources', ['plan_id'])

    op.create_table(
        'restores',
        *_soft_delete_columns(),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', sa.String(255)),
        sa.Column('provider_id', sa.String(36)),
        sa.Column('checkpoint_id', sa.String(36)),
        sa.Column('restore_target', sa.String(255)),
        sa.Column('parameters', sa.Text),
        sa.Column('status', sa.String(64)),
        sa.Column('resources_status', sa.Text),
        sa.Column('resources_reason', sa.Text),
    )
    op.create_index('restores_project_id_idx', 'restores', ['project_id'])

    op.create_table(
        'verifications',
        *_soft_delete_columns(),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('provider_id', sa.String(36), nullable=False),
        sa.Column('checkpoint_id', sa.String(36), nullable=False),
        sa.Column('status', sa.String(64)),
        sa.Column('parameters', sa.Text),
        sa.Column('resources_status', sa.Text),
        sa.Column('resources_reason', sa.Text),
    )
    op.create_index('verifications_project_id_idx', 'verifications',
                    ['project_id'])

    op.create_table(
        'operation_logs',
        *_soft_delete_columns(deleted_nullable=False),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('operation_type', sa.String(255), nullable=False),
        sa.Column('checkpoint_id', sa.String(36)),
        sa.Column('plan_id', sa.String(36)),
        sa.Column('provider_id', sa.String(36)),
        sa.Column('restore_id', sa.String(36)),
        sa.Column('scheduled_operation_id', sa.String(36)),
        sa.Column('status', sa.String(64)),
        sa.Column('started_at', sa.DateTime),
        sa.Column('ended_at', sa.DateTime),
        sa.Column('error_info', sa.Text),
        sa.Column('extra_info', sa.Text),
    )
    op.create_index('operation_logs_project_id_idx', 'operation_logs',
                    ['project_id'])
    op.create_index('operation_logs_checkpoint_id_idx', 'operation_logs',
                    ['checkpoint_id'])

    op.create_table(
        'triggers',
        *_soft_delete_columns(deleted_nullable=False),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('type', sa.String(64), nullable=False),
        sa.Column('properties', sa.Text, nullable=False),
    )
    op.create_index('triggers_project_id_idx', 'triggers', ['project_id'])

    op.create_table(
        'trigger_executions',
        *_soft_delete_columns(deleted_nullable=False),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('trigger_id', sa.String(36), nullable=False),
        sa.Column('execution_time', sa.DateTime, nullable=False),
    )
    op.create_index('ix_trigger_executions_trigger_id', 'trigger_executions',
                    ['trigger_id'], unique=True)
    op.create_index('ix_trigger_executions_execution_time',
                    'trigger_executions', ['execution_time'])

    op.create_table(
        'scheduled_operations',
        *_soft_delete_columns(deleted_nullable=False),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('name', sa.String(255), nullable=False),
        sa.Column('description', sa.String(255)),
        sa.Column('operation_type', sa.String(64), nullable=False),
        sa.Column('user_id', sa.String(64), nullable=False),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('trigger_id', sa.String(36), sa.ForeignKey('triggers.id'),
                  nullable=False),
        sa.Column('operation_definition', sa.Text, nullable=False),
        sa.Column('enabled', sa.Boolean, nullable=False),
    )
    op.create_index('ix_scheduled_operations_trigger_id',
                    'scheduled_operations', ['trigger_id'])

    op.create_table(
        'scheduled_operation_states',
        *_soft_delete_columns(deleted_nullable=False),
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('operation_id', sa.String(36),
                  sa.ForeignKey('scheduled_operations.id',
                                ondelete='CASCADE'),
                  nullable=False),
        sa.Column('service_id', sa.Integer, sa.ForeignKey('services.id'),
                  nullable=False),
        sa.Column('trust_id', sa.String(64), nullable=False),
        sa.Column('state', sa.String(32), nullable=False),
        sa.Column('end_time_for_run', sa.DateTime),
    )
    op.create_index('ix_scheduled_operation_states_operation_id',
                    'scheduled_operation_states', ['operation_id'],
                    unique=True)

    op.create_table(
        'scheduled_operation_logs',
        *_soft_delete_columns(deleted_nullable=False),
        sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
        sa.Column('operation_id', sa.String(36),
                  sa.ForeignKey('scheduled_operations.id',
                                ondelete='CASCADE'),
                  nullable=False),
        sa.Column('expect_start_time', sa.DateTime),
        sa.Column('triggered_time', sa.DateTime),
        sa.Column('actual_start_time', sa.DateTime),
        sa.Column('end_time', sa.DateTime),
        sa.Column('state', sa.String(32), nullable=False),
        sa.Column('extend_info', sa.Text),
    )
    op.create_index('ix_scheduled_operation_logs_operation_id',
                    'scheduled_operation_logs', ['operation_id'])

    op.create_table(
        'checkpoint_records',
        *_soft_delete_columns(deleted_nullable=False),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', sa.String(36), nullable=False),
        sa.Column('checkpoint_id', sa.String(36), nullable=False),
        sa.Column('checkpoint_status', sa.String(36), nullable=False),
        sa.Column('provider_id', sa.String(36), nullable=False),
        sa.Column('plan_id', sa.String(36), nullable=False),
        sa.Column('operation_id', sa.String(36)),
        sa.Column('create_by', sa.String(36)),
        sa.Column('extend_info', sa.Text),
    )

    op.create_table(
        'quotas',
        *_soft_delete_columns(),
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('resource', sa.String(255), nullable=False),
        sa.Column('hard_limit', sa.Integer),
    )
    op.create_index('ix_quotas_project_id', 'quotas', ['project_id'])

    op.create_table(
        'quota_classes',
        *_soft_delete_columns(),
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('class_name', sa.String(255), nullable=False),
        sa.Column('resource', sa.String(255), nullable=False),
        sa.Column('hard_limit', sa.Integer),
    )
    op.create_index('ix_quota_classes_class_name', 'quota_classes',
                    ['class_name'])

    op.create_table(
        'quota_usages',
        *_soft_delete_columns(),
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('resource', sa.String(255), nullable=False),
        sa.Column('in_use', sa.Integer),
        sa.Column('reserved', sa.Integer),
        sa.Column('until_refresh', sa.Integer),
    )
    op.create_index('ix_quota_usages_project_id', 'quota_usages',
                    ['project_id'])

    op.create_table(
        'reservations',
        *_soft_delete_columns(),
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('usage_id', sa.Integer, sa.ForeignKey('quota_usages.id'),
                  nullable=False),
        sa.Column('project_id', sa.String(255)),
        sa.Column('resource', sa.String(255)),
        sa.Column('delta', sa.Integer, nullable=False),
        sa.Column('expire', sa.DateTime),
    )
    op.create_index('ix_reservations_uuid', 'reservations', ['uuid'])
    op.create_index('ix_reservations_project_id', 'reservations',
                    ['project_id'])
