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

"""Add checkpoint_copies: which checkpoint was copied where.

Revision ID: 4b7d2c1e9f10
Revises: 9c1e0f3a7b52
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa

revision = '4b7d2c1e9f10'
down_revision = '9c1e0f3a7b52'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'checkpoint_copies',
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.Column('deleted_at', sa.DateTime),
        sa.Column('deleted', sa.Boolean, nullable=False),
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('project_id', sa.String(255), nullable=False),
        sa.Column('provider_id', sa.String(36), nullable=False),
        sa.Column('plan_id', sa.String(36)),
        sa.Column('source_checkpoint_id', sa.String(36), nullable=False),
        sa.Column('destination', sa.String(255), nullable=False),
        sa.Column('status', sa.String(64), nullable=False),
        sa.Column('operation_log_id', sa.String(36)),
        sa.Column('request_id', sa.String(36)),
        sa.Column('host', sa.String(255)),
        # The guard against copying one checkpoint twice to one place.
        sa.UniqueConstraint('source_checkpoint_id', 'destination',
                            name='uniq_checkpoint_copies0source0destination'),
    )
    op.create_index('checkpoint_copies_plan_id_idx', 'checkpoint_copies',
                    ['plan_id'])
    op.create_index('checkpoint_copies_host_status_idx', 'checkpoint_copies',
                    ['host', 'status'])
