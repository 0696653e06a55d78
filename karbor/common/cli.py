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

"""Configuration parsing for console scripts.

``parse_args(argv)`` loads the command line and configuration files into
the global CONF, checks every option value (oslo.config would otherwise
only complain when a bad value is first read, deep inside a service),
caps the process's malloc arenas (``[DEFAULT] malloc_arena_max``) and
sets up logging. Any configuration error ends the process with status 2
and a one-line ``<prog>: error: <reason>`` on stderr, never a traceback.
"""

import os
import re
import sys

from oslo_config import cfg
from oslo_log import log as logging

from karbor.common import malloc_arenas
from karbor import conf
from karbor import version

CONF = conf.CONF

EXIT_CONFIG_ERROR = 2


def _register_cli_opts(opts):
    try:
        CONF.register_cli_opts(opts)
    except cfg.ArgsAlreadyParsedError:
        # Parsed before (tests run several commands in one process):
        # forget the previous command line, keep options and overrides.
        CONF.clear()
        CONF.register_cli_opts(opts)


def unregister_cli_opts(opts):
    """Undo ``parse_args(cli_opts=...)`` (for callers sharing CONF)."""
    CONF.clear()
    for opt in opts:
        try:
            CONF.unregister_opt(opt)
        except cfg.NoSuchOptError:
            pass


def _check_values(conf_obj):
    """Read every registered option so invalid values fail now."""
    for name in list(conf_obj):
        value = conf_obj[name]
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            _check_values(value)


# oslo.config names the source of a bad value with a LocationInfo repr.
_LOCATION = re.compile(r"LocationInfo\(.*?detail='([^']*)'\)")


def fail(prog, reason, status=EXIT_CONFIG_ERROR):
    """Print ``<prog>: error: <reason>`` on stderr and exit."""
    reason = _LOCATION.sub(r'\1', ' '.join(str(reason).split()))
    sys.stderr.write('%s: error: %s\n' % (prog, reason))
    sys.exit(status)


def parse_args(argv, description=None, cli_opts=(),
               default_config_files=None):
    """Load configuration for a console script and set up logging.

    :param argv: the full command line (``sys.argv``), program name first.
    :param description: shown by ``--help``.
    :param cli_opts: extra command-line options (sub-commands) to register
        first.
    :param default_config_files: config files used when no
        ``--config-file`` is given (oslo.config's search by default).
    :returns: the program name.
    """
    prog = os.path.basename(argv[0]) if argv else 'karbor'
    try:
        logging.register_options(CONF)
    except cfg.ArgsAlreadyParsedError:
        CONF.clear()
        logging.register_options(CONF)
    _register_cli_opts(list(cli_opts))
    try:
        CONF(argv[1:], project='karbor', prog=prog,
             version=version.version_string(), description=description,
             default_config_files=default_config_files)
        _check_values(CONF)
    except (cfg.Error, ValueError) as e:
        fail(prog, e)
    # Before any thread of the service starts (see malloc_arenas.limit).
    malloc_arenas.limit(CONF.malloc_arena_max)
    logging.setup(CONF, 'karbor')
    return prog
