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

"""Alembic environment: run migrations on Karbor's configured database.

karbor.db.sqlalchemy.migration hands over an open connection in
``config.attributes['connection']``; without one (the plain ``alembic``
command) the URL comes from karbor.conf through oslo.db.
"""

from alembic import context
from oslo_db.sqlalchemy import enginefacade

from karbor.db.sqlalchemy import models

config = context.config
target_metadata = models.BASE.metadata


def _run(connection):
    context.configure(connection=connection,
                      target_metadata=target_metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = config.attributes.get('connection')
    if connection is not None:
        _run(connection)
        return
    engine = enginefacade.writer.get_engine()
    with engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit('Offline (SQL script) migrations are not supported; '
                     'run "karbor-manage db sync".')
run_migrations_online()
