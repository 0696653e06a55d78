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

"""The process-wide oslo.db transaction context of Karbor's database.

Sessions come only from ``reader()`` and ``writer()``. Both are bound to a
thread-local, so a writer opened while another is active in the same
thread joins its transaction. The context is built lazily from
``[database]`` options; ``reset()`` drops it (tests, and karbor-manage
after it parsed its configuration) so the next use reads the options
again.
"""

import contextlib
import os
import threading
import weakref

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

_LOCK = threading.Lock()
_STATE = {'manager': None, 'sqlite_turn': None}
_TLS = threading.local()


class _SqliteTurn:
    """Whose turn it is to hold the SQLite write lock in this process.

    SQLite makes a transaction that finds the file locked sleep and try
    again, sleeping longer each time (up to 100 ms): under load a waiter
    keeps missing the moments the lock is free while newcomers take it,
    and a few requests wait many times longer than the others (measured:
    with four clients creating plans on karbor-all, a p99 of about six
    times the mean). Threads of one process instead queue on this lock,
    taken before BEGIN IMMEDIATE and released when the transaction ends,
    so the lock passes straight to a waiter. Other processes sharing the
    file still meet SQLite's own waiting. A wait longer than ``timeout``
    (SQLite's default busy timeout) gives up the turn and falls back on
    SQLite's waiting, so a transaction never waits forever for one that
    waits for it.
    """

    timeout = 5

    def __init__(self):
        self._lock = threading.Lock()
        _TURNS.add(self)

    def forget(self):
        """Start free again (in a forked child; see _forget_turns)."""
        self._lock = threading.Lock()

    def take(self):
        """Wait for the turn; return whether it was taken."""
        return self._lock.acquire(timeout=self.timeout)

    def give_back(self):
        self._lock.release()

    def taken(self):
        return self._lock.locked()


_HOLDS_TURN = 'karbor_holds_sqlite_turn'
_TURNS = weakref.WeakSet()


def _forget_turns():
    # A child forked while one of the parent's threads held a turn would
    # wait for a thread it does not have.
    for turn in list(_TURNS):
        turn.forget()


os.register_at_fork(after_in_child=_forget_turns)


def _serialize_sqlite_transactions(engine):
    """Make every SQLite transaction take the write lock when it begins.

    SQLite cannot upgrade the shared lock of a reading transaction to a
    write lock while another transaction reads: one of two threads that
    read-then-write the same file fails at once with "database is locked"
    instead of waiting. Beginning with BEGIN IMMEDIATE makes them queue,
    in this process on a :class:`_SqliteTurn` (fair and without sleeps),
    between processes up to the driver's busy timeout. The embedded
    deployment and the tests run on SQLite with several threads; other
    databases are not affected.

    :returns: the engine's :class:`_SqliteTurn`.
    """
    turn = _SqliteTurn()

    # oslo.db emits a plain (deferred) BEGIN from a listener of its own,
    # which this one would have to commit before beginning its own: two
    # statements more per transaction, a sixth of an empty one's time.
    for listener in list(engine.dispatch.begin):
        if listener.__qualname__.endswith('._sqlite_emit_begin'):
            sa.event.remove(engine, 'begin', listener)

    def _begin(connection):
        # Should oslo.db's listener still be there (renamed), it marks the
        # connection with 'in_transaction' and has begun a deferred
        # transaction, empty yet: commit it to begin an immediate one.
        if 'in_transaction' in connection.info:
            connection.exec_driver_sql('COMMIT')
        holds = turn.take()
        try:
            connection.exec_driver_sql('BEGIN IMMEDIATE')
        except BaseException:
            if holds:
                turn.give_back()
            raise
        connection.info['in_transaction'] = True
        connection.info[_HOLDS_TURN] = holds

    def _end(connection):
        if connection.info.pop(_HOLDS_TURN, False):
            turn.give_back()

    sa.event.listen(engine, 'begin', _begin)
    # Both fire however a transaction ends, also when its connection is
    # closed or invalidated with the transaction open.
    sa.event.listen(engine, 'commit', _end)
    sa.event.listen(engine, 'rollback', _end)
    return turn


def get_context_manager():
    """The transaction context manager, built on first use."""
    with _LOCK:
        manager = _STATE['manager']
        if manager is None:
            manager = enginefacade.transaction_context()
            # Upstream relied on foreign keys; SQLite only honours them
            # when asked. thread_checkin makes every connection check-in
            # sleep(0) so that eventlet's green threads get a turn; Karbor
            # runs on OS threads, for which it only hands the GIL away.
            manager.configure(sqlite_fk=True, thread_checkin=False)
            engine = manager.writer.get_engine()
            if engine.dialect.name == 'sqlite':
                _STATE['sqlite_turn'] = _serialize_sqlite_transactions(
                    engine)
            _STATE['manager'] = manager
        return manager


def reset():
    """Forget the engine; the next session reads ``[database]`` again."""
    with _LOCK:
        manager = _STATE['manager']
        _STATE['manager'] = None
        _STATE['sqlite_turn'] = None
    if manager is not None:
        manager.dispose_pool()


@contextlib.contextmanager
def _counted(scope):
    # How many session contexts this thread is in: see in_transaction.
    with scope as session:
        _TLS.depth = getattr(_TLS, 'depth', 0) + 1
        try:
            yield session
        finally:
            _TLS.depth -= 1


def reader():
    """A reader session context: ``with reader() as session``."""
    return _counted(get_context_manager().reader.using(_TLS))


def writer():
    """A writer session context: ``with writer() as session``."""
    return _counted(get_context_manager().writer.using(_TLS))


def in_transaction():
    """Whether this thread is inside a reader or writer context."""
    return getattr(_TLS, 'depth', 0) > 0


def get_engine():
    """The writer engine (migrations, schema checks)."""
    return get_context_manager().writer.get_engine()
