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

"""Tests of the Alembic migrations and of karbor.db.sqlalchemy.migration.

SQLite runs always. PostgreSQL and MySQL run when KARBOR_TEST_PG_URL or
KARBOR_TEST_MYSQL_URL holds the URL of a server account allowed to create
databases (e.g. ``postgresql+psycopg2://karbor:pw@localhost/postgres``);
each test creates a database of its own and drops it afterwards.
"""

import os

from alembic import script as alembic_script
from oslo_db.sqlalchemy import test_migrations
import sqlalchemy as sa

from karbor.db.sqlalchemy import engine as db_engine
from karbor.db.sqlalchemy import migration
from karbor.db.sqlalchemy import models
from karbor import exception
from karbor.tests import base
from karbor.tests.fixtures import services as service_fixtures


def _schema(engine):
    """Tables, columns, indexes and foreign keys, for comparisons."""
    inspector = sa.inspect(engine)
    result = {}
    for table in inspector.get_table_names():
        result[table] = (
            sorted((c['name'], str(c['type']), c['nullable'])
                   for c in inspector.get_columns(table)),
            sorted((i['name'], tuple(i['column_names']), bool(i['unique']))
                   for i in inspector.get_indexes(table)),
            sorted((tuple(f['constrained_columns']), f['referred_table'])
                   for f in inspector.get_foreign_keys(table)))
    return result


class SQLiteEngineMixin:
    """A private SQLite file database per test."""

    def make_engine(self):
        path = os.path.join(self.state_path, 'migrations.sqlite')
        engine = sa.create_engine('sqlite:///' + path)
        self.addCleanup(engine.dispose)
        return engine


class ServerEngineMixin:
    """A new database on the server named by the environment variable."""

    URL_VARIABLE = None

    def make_engine(self):
        url = os.environ.get(self.URL_VARIABLE)
        if not url:
            # CI starts the servers and says so: there a missing URL is a
            # broken set-up, not a reason to skip.
            if service_fixtures.services_required():
                self.fail('%s is not set' % self.URL_VARIABLE)
            self.skipTest('%s is not set' % self.URL_VARIABLE)
        database = self.useFixture(service_fixtures.ServerDatabase(url))
        engine = sa.create_engine(database.url)
        self.addCleanup(engine.dispose)
        return engine


class MigrationWalkMixin:
    """Upgrade one revision at a time, then check the end result."""

    def setUp(self):
        super().setUp()
        self.engine = self.make_engine()

    def test_walk_versions(self):
        scripts = alembic_script.ScriptDirectory.from_config(
            migration._config())
        revisions = [rev.revision for rev in scripts.walk_revisions()]
        revisions.reverse()
        self.assertIsNone(migration.version(engine=self.engine))
        for revision in revisions:
            migration.upgrade(revision, engine=self.engine)
            self.assertEqual(revision, migration.version(engine=self.engine))
        self.assertEqual(migration.head(), revisions[-1])
        tables = set(sa.inspect(self.engine).get_table_names())
        self.assertEqual(set(models.BASE.metadata.tables) |
                         {'alembic_version'}, tables)

    def test_upgrade_twice_changes_nothing(self):
        migration.upgrade(engine=self.engine)
        before = _schema(self.engine)
        migration.upgrade(engine=self.engine)
        self.assertEqual(before, _schema(self.engine))
        self.assertEqual(migration.head(),
                         migration.version(engine=self.engine))


class ModelsMigrationsSyncMixin(test_migrations.ModelsMigrationsSync):

    def setUp(self):
        super().setUp()
        self.engine = self.make_engine()

    def get_engine(self):
        return self.engine

    def get_metadata(self):
        return models.BASE.metadata

    def db_sync(self, engine):
        migration.upgrade(engine=engine)

    def include_object(self, object_, name, type_, reflected, compare_to):
        return not (type_ == 'table' and name == 'alembic_version')


class TestWalkSQLite(SQLiteEngineMixin, MigrationWalkMixin, base.TestCase):
    pass


class TestWalkPostgreSQL(ServerEngineMixin, MigrationWalkMixin,
                         base.TestCase):
    URL_VARIABLE = 'KARBOR_TEST_PG_URL'


class TestWalkMySQL(ServerEngineMixin, MigrationWalkMixin, base.TestCase):
    URL_VARIABLE = 'KARBOR_TEST_MYSQL_URL'


class TestModelsSyncSQLite(SQLiteEngineMixin, ModelsMigrationsSyncMixin,
                           base.TestCase):
    pass


class TestModelsSyncPostgreSQL(ServerEngineMixin, ModelsMigrationsSyncMixin,
                               base.TestCase):
    URL_VARIABLE = 'KARBOR_TEST_PG_URL'


class TestModelsSyncMySQL(ServerEngineMixin, ModelsMigrationsSyncMixin,
                          base.TestCase):
    URL_VARIABLE = 'KARBOR_TEST_MYSQL_URL'


class TestMigrationApi(SQLiteEngineMixin, base.TestCase):

    def setUp(self):
        super().setUp()
        self.engine = self.make_engine()

    def test_default_engine_is_the_configured_database(self):
        path = os.path.join(self.state_path, 'configured.sqlite')
        self.flags(connection='sqlite:///' + path, group='database')
        db_engine.reset()
        self.addCleanup(db_engine.reset)
        migration.upgrade()
        self.assertEqual(migration.head(), migration.version())
        self.assertTrue(os.path.exists(path))

    def test_stamp(self):
        migration.stamp(engine=self.engine)
        self.assertEqual(migration.head(),
                         migration.version(engine=self.engine))
        self.assertEqual(['alembic_version'],
                         sa.inspect(self.engine).get_table_names())

    def test_create_schema_matches_migrations(self):
        migration.create_schema(engine=self.engine)
        self.assertEqual(migration.head(),
                         migration.version(engine=self.engine))
        other = sa.create_engine('sqlite:///' + os.path.join(
            self.state_path, 'other.sqlite'))
        self.addCleanup(other.dispose)
        migration.upgrade(engine=other)
        self.assertEqual(_schema(other), _schema(self.engine))

    def test_create_schema_refuses_a_used_database(self):
        migration.upgrade(engine=self.engine)
        self.assertRaises(exception.InvalidInput, migration.create_schema,
                          engine=self.engine)

    def test_legacy_database_is_reported(self):
        with self.engine.begin() as connection:
            connection.execute(sa.text(
                'CREATE TABLE migrate_version (repository_id VARCHAR(250), '
                'repository_path TEXT, version INTEGER)'))
        for call in (migration.version, migration.upgrade, migration.stamp):
            error = self.assertRaises(exception.LegacyDatabaseSchema, call,
                                      engine=self.engine)
            self.assertIn('migrate_version', str(error))
        self.assertEqual(['migrate_version'],
                         sa.inspect(self.engine).get_table_names())

    def test_sqlite_foreign_keys_are_enforced(self):
        path = os.path.join(self.state_path, 'fk.sqlite')
        self.flags(connection='sqlite:///' + path, group='database')
        db_engine.reset()
        self.addCleanup(db_engine.reset)
        migration.upgrade()
        with db_engine.get_engine().connect() as connection:
            self.assertEqual(1, connection.execute(
                sa.text('PRAGMA foreign_keys')).scalar())
