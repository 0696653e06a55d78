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

"""Tests of karbor.db.sqlalchemy.engine."""

import os

import sqlalchemy as sa

from karbor.db.sqlalchemy import engine
from karbor.tests import base


class TestEngine(base.TestCase):

    def setUp(self):
        super().setUp()
        engine.reset()
        self.addCleanup(engine.reset)

    def _use(self, name):
        path = os.path.join(self.state_path, name)
        self.flags(connection='sqlite:///' + path, group='database')
        return path

    def test_reset_reads_configuration_again(self):
        self._use('one.sqlite')
        first = engine.get_engine()
        self.assertIn('one.sqlite', str(first.url))
        self.assertIs(first, engine.get_engine())
        self._use('two.sqlite')
        engine.reset()
        self.assertIn('two.sqlite', str(engine.get_engine().url))

    def test_writer_in_writer_shares_the_transaction(self):
        self._use('nest.sqlite')
        with engine.writer() as session:
            session.execute(sa.text('CREATE TABLE t (x INTEGER)'))
        with engine.writer() as outer:
            outer.execute(sa.text('INSERT INTO t VALUES (1)'))
            with engine.writer() as inner:
                self.assertIs(outer, inner)
        with engine.reader() as session:
            self.assertEqual(1, session.execute(
                sa.text('SELECT count(*) FROM t')).scalar())

    def test_sqlite_transactions_begin_immediate(self):
        self._use('lock.sqlite')
        statements = []
        sa.event.listen(engine.get_engine(), 'before_cursor_execute',
                        lambda conn, cur, stmt, *args:
                        statements.append(stmt))
        with engine.reader() as session:
            session.execute(sa.text('SELECT 1'))
        self.assertIn('BEGIN IMMEDIATE', statements)
        self.assertLess(statements.index('BEGIN IMMEDIATE'),
                        statements.index('SELECT 1'))
