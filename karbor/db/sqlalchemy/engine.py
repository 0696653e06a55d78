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

import threading

from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa

_LOCK = threading.Lock()
_STATE = {'manager': None}
_TLS = threading.local()


def _serialize_sqlite_transactions(engine):
    """Make every SQLite transaction take the write lock when it begins.

    SQLite cannot upgrade the shared lock of a reading transaction to a
    write lock while another transaction reads: one of two threads that
    read-then-write the same file fails at once with "database is locked"
    instead of waiting. Beginning with BEGIN IMMEDIATE makes them queue
    (up to the driver's busy timeout). The embedded deployment and the tests
    run on SQLite with several threads; other databases are not affected.
    """

    def _begin(connection):
        # oslo.db emits a plain (deferred) BEGIN from its own listener and
        # marks the connection with 'in_transaction'. Whichever runs first,
        # end up in an immediate transaction: an empty deferred one is
        # committed first (nothing has run in it yet).
        if 'in_transaction' in connection.info:
            connection.exec_driver_sql('COMMIT')
        connection.exec_driver_sql('BEGIN IMMEDIATE')
        connection.info['in_transaction'] = True

    sa.event.listen(engine, 'begin', _begin)


def get_context_manager():
    """The transaction context manager, built on first use."""
    with _LOCK:
        manager = _STATE['manager']
        if manager is None:
            manager = enginefacade.transaction_context()
            # Upstream relied on foreign keys; SQLite only honours them
            # when asked.
            manager.configure(sqlite_fk=True)
            engine = manager.writer.get_engine()
            if engine.dialect.name == 'sqlite':
                _serialize_sqlite_transactions(engine)
            _STATE['manager'] = manager
        return manager


def reset():
    """Forget the engine; the next session reads ``[database]`` again."""
    with _LOCK:
        manager = _STATE['manager']
        _STATE['manager'] = None
    if manager is not None:
        manager.dispose_pool()


def reader():
    """A reader session context: ``with reader() as session``."""
    return get_context_manager().reader.using(_TLS)


def writer():
    """A writer session context: ``with writer() as session``."""
    return get_context_manager().writer.using(_TLS)


def get_engine():
    """The writer engine (migrations, schema checks)."""
    return get_context_manager().writer.get_engine()
