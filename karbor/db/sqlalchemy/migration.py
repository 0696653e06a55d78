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

"""Schema migrations with Alembic (upgrade only).

The database is the one ``[database] connection`` names, through the
enginefacade engine of ``karbor.db.sqlalchemy.engine``.
"""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa

from karbor.db.sqlalchemy import engine as db_engine
from karbor.db.sqlalchemy import models
from karbor import exception
from karbor.i18n import _

ALEMBIC_INI = os.path.join(os.path.dirname(__file__), 'alembic.ini')
# The version table of sqlalchemy-migrate, which upstream Karbor used.
LEGACY_VERSION_TABLE = 'migrate_version'


def _config(connection=None):
    config = alembic_config.Config(ALEMBIC_INI)
    config.set_main_option('script_location',
                           os.path.join(os.path.dirname(__file__),
                                        'alembic'))
    if connection is not None:
        config.attributes['connection'] = connection
    return config


def _engine(engine):
    return engine if engine is not None else db_engine.get_engine()


def head():
    """The revision the code expects."""
    return alembic_script.ScriptDirectory.from_config(
        _config()).get_current_head()


def _check_not_legacy(connection):
    tables = sa.inspect(connection).get_table_names()
    if LEGACY_VERSION_TABLE in tables and 'alembic_version' not in tables:
        raise exception.LegacyDatabaseSchema(table=LEGACY_VERSION_TABLE)


def version(engine=None):
    """The current revision of the database, or None when unversioned.

    :raises karbor.exception.LegacyDatabaseSchema: for a database still
        managed by upstream Karbor's sqlalchemy-migrate.
    """
    with _engine(engine).connect() as connection:
        _check_not_legacy(connection)
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()


def upgrade(revision='head', engine=None):
    """Upgrade the schema to ``revision`` (a no-op when already there)."""
    with _engine(engine).begin() as connection:
        _check_not_legacy(connection)
        alembic_command.upgrade(_config(connection), revision or 'head')


def stamp(revision='head', engine=None):
    """Record ``revision`` as current without running migrations."""
    with _engine(engine).begin() as connection:
        _check_not_legacy(connection)
        alembic_command.stamp(_config(connection), revision or 'head')


def create_schema(engine=None):
    """Create every table from the models and stamp the head revision.

    Faster than running the migrations; used for fresh test databases.
    Refuses a database that already has tables.
    """
    with _engine(engine).begin() as connection:
        existing = sa.inspect(connection).get_table_names()
        if existing:
            raise exception.InvalidInput(
                reason=_('The database is not empty (%s); use '
                         '"karbor-manage db sync".') % ', '.join(existing))
        models.BASE.metadata.create_all(connection)
        alembic_command.stamp(_config(connection), 'head')
