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

"""karbor-status: pre-upgrade checks (``karbor-status upgrade check``).

The checks read the database with plain SQL and Alembic, not through
karbor.objects, so that they also work on a schema one release behind.
Provider files are loaded as the protection service loads them, without
starting their banks: the check touches no storage.
"""

import logging
import sys

from oslo_config import cfg
from oslo_upgradecheck import common_checks
from oslo_upgradecheck import upgradecheck

from karbor.common import cli
from karbor import conf
from karbor.db import migration
from karbor import exception
from karbor.i18n import _
from karbor.services.protection import provider

CONF = conf.CONF


class Checks(upgradecheck.UpgradeCommands):
    """Karbor's upgrade checks."""

    def _check_db_schema(self):
        try:
            current = migration.db_version()
        except exception.LegacyDatabaseSchema as e:
            return upgradecheck.Result(upgradecheck.Code.FAILURE, str(e))
        except Exception as e:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                _('The database cannot be read: %s') % e)
        head = migration.db_head()
        if current != head:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                _('The database schema is at revision %(current)s, the '
                  'code expects %(head)s: run "karbor-manage db sync".')
                % {'current': current, 'head': head})
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    def _check_policy_file(self):
        result = common_checks.check_policy_json(self, CONF)
        if result.code == upgradecheck.Code.FAILURE:
            # A JSON policy file still works; it is deprecated, not broken.
            return upgradecheck.Result(upgradecheck.Code.WARNING,
                                       result.details)
        return result

    def _check_provider_files(self):
        try:
            files = provider.read_provider_files(start_banks=False)
        except exception.InvalidConfiguration as e:
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                _('No provider can be loaded: %s') % e)
        problems = ['%s: %s' % (f.path, f.problem) for f in files
                    if f.problem]
        if problems:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                _('The protection service will not load these provider '
                  'files:\n%s') % '\n'.join(problems))
        loaded = [f.provider for f in files if f.provider is not None]
        if not loaded:
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                _('No provider file of %s is enabled.')
                % CONF.provider_config_dir)
        return upgradecheck.Result(
            upgradecheck.Code.SUCCESS,
            ', '.join('%s (%s)' % (p.name, p.id) for p in loaded))

    _upgrade_checks = (
        (_('Database schema at head'), _check_db_schema),
        (_('Policy file format'), _check_policy_file),
        (_('Provider files'), _check_provider_files),
    )


def _add_parsers(subparsers):
    # The same command line as oslo.upgradecheck's main(), on an option
    # object of our own so that it can be unregistered afterwards.
    upgrade = subparsers.add_parser('upgrade')
    upgrade.add_argument('check')
    upgrade.add_argument('--json', action='store_true',
                         help='Output the results in JSON format.')
    upgrade.set_defaults(action_fn=lambda: Checks().check())


command_opt = cfg.SubCommandOpt('command', handler=_add_parsers)


def main(argv=None):
    argv = sys.argv if argv is None else argv
    try:
        cli.parse_args(argv, description='Karbor upgrade checks.',
                       cli_opts=[command_opt])
        if not CONF.debug:
            logging.getLogger('alembic').setLevel(logging.WARNING)
        # oslo.upgradecheck reads --json through its module global.
        upgradecheck.CONF = CONF
        return upgradecheck.run(CONF)
    finally:
        cli.unregister_cli_opts([command_opt])


if __name__ == "__main__":
    sys.exit(main())
