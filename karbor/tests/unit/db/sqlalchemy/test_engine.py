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
import sqlite3
import threading
from unittest import mock

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

    def test_no_eventlet_yield_at_connection_checkin(self):
        self._use('yield.sqlite')
        with mock.patch('time.sleep', autospec=True) as sleep:
            with engine.writer() as session:
                session.execute(sa.text('SELECT 1'))
        sleep.assert_not_called()

    def test_sqlite_transactions_begin_immediate(self):
        self._use('lock.sqlite')
        statements = []
        sa.event.listen(engine.get_engine(), 'before_cursor_execute',
                        lambda conn, cur, stmt, *args:
                        statements.append(stmt))
        with engine.reader() as session:
            session.execute(sa.text('SELECT 1'))
        # Not oslo.db's deferred BEGIN first, which had to be committed.
        self.assertEqual(['BEGIN IMMEDIATE', 'SELECT 1'], statements)


class TestSerializeOtherBegin(base.TestCase):
    """A deferred-BEGIN listener left in place is committed, not nested."""

    def test_deferred_transaction_is_committed_first(self):
        path = os.path.join(self.state_path, 'other.sqlite')
        other = sa.create_engine('sqlite:///' + path,
                                 isolation_level='AUTOCOMMIT')
        self.addCleanup(other.dispose)

        def deferred_begin(connection):
            connection.exec_driver_sql('BEGIN')
            connection.info['in_transaction'] = True

        def end(connection):
            connection.info.pop('in_transaction', None)
        sa.event.listen(other, 'begin', deferred_begin)
        sa.event.listen(other, 'commit', end)
        sa.event.listen(other, 'rollback', end)
        turn = engine._serialize_sqlite_transactions(other)
        statements = []
        sa.event.listen(other, 'before_cursor_execute',
                        lambda conn, cur, stmt, *args:
                        statements.append(stmt))
        with other.begin() as connection:
            connection.exec_driver_sql('SELECT 1')
        self.assertEqual(['BEGIN', 'COMMIT', 'BEGIN IMMEDIATE', 'SELECT 1'],
                         statements)
        self.assertFalse(turn.taken())


class TestSqliteTurn(base.TestCase):
    """Threads of one process take turns at SQLite's write lock."""

    def setUp(self):
        super().setUp()
        engine.reset()
        self.addCleanup(engine.reset)
        self.path = os.path.join(self.state_path, 'turn.sqlite')
        self.flags(connection='sqlite:///%s?timeout=0.2' % self.path,
                   group='database')
        with engine.writer() as session:
            session.execute(sa.text('CREATE TABLE t (x INTEGER)'))
        self.turn = engine._STATE['sqlite_turn']

    def _count(self):
        with engine.reader() as session:
            return session.execute(sa.text('SELECT count(*) FROM t')).scalar()

    def test_a_transaction_waits_for_the_turn_then_runs(self):
        holding = threading.Event()
        release = threading.Event()
        order = []

        def first():
            with engine.writer() as session:
                session.execute(sa.text('INSERT INTO t VALUES (1)'))
                holding.set()
                release.wait(5)
                order.append('first')

        def second():
            holding.wait(5)
            with engine.writer() as session:
                # The transaction begins with its first statement.
                session.execute(sa.text('INSERT INTO t VALUES (2)'))
                order.append('second')

        threads = [threading.Thread(target=first),
                   threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        holding.wait(5)
        self.assertTrue(self.turn.taken())
        # Longer than SQLite's busy timeout here: the second would have
        # failed with "database is locked" without the turn to wait on.
        threads[1].join(0.5)
        self.assertTrue(threads[1].is_alive())
        release.set()
        for thread in threads:
            thread.join(5)
        self.assertEqual(['first', 'second'], order)
        self.assertEqual(2, self._count())
        self.assertFalse(self.turn.taken())

    def test_turn_given_back_when_the_transaction_fails(self):
        def fail():
            with engine.writer() as session:
                session.execute(sa.text('INSERT INTO t VALUES (1)'))
                raise RuntimeError('boom')
        self.assertRaises(RuntimeError, fail)
        self.assertFalse(self.turn.taken())
        self.assertEqual(0, self._count())

    def test_turn_given_back_when_begin_fails(self):
        # Another process's transaction holds the file longer than the
        # busy timeout.
        other = sqlite3.connect(self.path, isolation_level=None)
        self.addCleanup(other.close)
        other.execute('BEGIN EXCLUSIVE')
        exc = self.assertRaises(sa.exc.OperationalError, self._count)
        self.assertIn('database is locked', str(exc))
        self.assertFalse(self.turn.taken())
        other.execute('ROLLBACK')
        self.assertEqual(0, self._count())

    def test_a_long_wait_falls_back_on_sqlite(self):
        # A thread waiting for the turn while holding what the holder
        # waits for must not wait forever: past the timeout it goes on
        # without the turn, and does not give back one it did not take.
        self.assertTrue(self.turn.take())
        self.addCleanup(self.turn.give_back)
        with mock.patch.object(self.turn, 'timeout', 0.05):
            with engine.writer() as session:
                session.execute(sa.text('INSERT INTO t VALUES (1)'))
        self.assertTrue(self.turn.taken())
        self.assertEqual(1, self._count_without_turn())

    def _count_without_turn(self):
        with sqlite3.connect(self.path) as connection:
            return connection.execute('SELECT count(*) FROM t').fetchone()[0]

    def test_a_forked_child_starts_with_free_turns(self):
        self.assertTrue(self.turn.take())
        engine._forget_turns()
        self.assertFalse(self.turn.taken())
