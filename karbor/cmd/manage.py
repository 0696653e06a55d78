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

"""karbor-manage: administration of Karbor's database.

Usage::

    karbor-manage [--config-file F] db sync [--version REVISION]
    karbor-manage [--config-file F] db version
"""

import logging
import sys

from oslo_config import cfg
from oslo_db import exception as db_exc
from sqlalchemy import exc as sa_exc

from karbor.common import cli
from karbor import conf
from karbor.db import migration
from karbor import exception

CONF = conf.CONF


def db_sync(version=None):
    """Upgrade the database schema (idempotent)."""
    migration.db_sync(version)
    print('Database schema is at revision %s.' % migration.db_version())


def db_version():
    """Print the current schema revision ("None" for an empty database)."""
    print(migration.db_version())


def _add_parsers(subparsers):
    db = subparsers.add_parser('db', help='Database schema management.')
    actions = db.add_subparsers(dest='action')
    actions.required = True
    sync = actions.add_parser('sync', help='Upgrade the schema.')
    sync.add_argument('--version', default=None,
                      help='Revision to upgrade to (default: the latest).')
    sync.set_defaults(action_fn=lambda args: db_sync(args.version))
    version = actions.add_parser('version',
                                 help='Show the schema revision.')
    version.set_defaults(action_fn=lambda args: db_version())


category_opt = cfg.SubCommandOpt('category', title='Command categories',
                                 handler=_add_parsers)


def main(argv=None):
    argv = sys.argv if argv is None else argv
    try:
        prog = cli.parse_args(argv, description='Karbor administration.',
                              cli_opts=[category_opt])
        if not CONF.debug:
            # Alembic reports every step at INFO; the output of this command
            # is its result.
            logging.getLogger('alembic').setLevel(logging.WARNING)
        try:
            CONF.category.action_fn(CONF.category)
        except (exception.LegacyDatabaseSchema, db_exc.DBError,
                sa_exc.SQLAlchemyError) as e:
            # The database is unreachable, refused or not ours: say why in
            # one line rather than with a traceback.
            cli.fail(prog, e, status=1)
        return 0
    finally:
        cli.unregister_cli_opts([category_opt])


if __name__ == "__main__":
    sys.exit(main())
