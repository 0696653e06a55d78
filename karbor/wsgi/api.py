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

"""WSGI entry point of the REST API: ``karbor.wsgi.api:application``.

For uWSGI (``module = karbor.wsgi.api:application``), gunicorn or mod_wsgi.
The application is built on the first request, once, under a lock, so
importing this module (documentation builds, tests) does nothing heavy.
Configuration comes from the default files (``/etc/karbor/karbor.conf``...)
or from the comma-separated list in the environment variable
``KARBOR_CONFIG_FILES``.
"""

import os
import threading

from oslo_log import log as logging

from karbor.api import app as api_app
from karbor import conf as karbor_conf
from karbor import objects
from karbor import policy
from karbor import rpc
from karbor import version

CONF = karbor_conf.CONF
CONFIG_FILES_ENV = 'KARBOR_CONFIG_FILES'

_LOCK = threading.Lock()
_APPLICATION = None


def _config_files():
    value = os.environ.get(CONFIG_FILES_ENV)
    if not value:
        return None
    return [path.strip() for path in value.split(',') if path.strip()]


def _argv():
    # Never parse sys.argv: it belongs to the server (uwsgi, gunicorn) or
    # to sphinx-build when the docs import this module, and oslo.config
    # would exit on their options.
    return []


def init_application():
    """Parse the configuration, set up the services used, build the app."""
    logging.register_options(CONF)
    CONF(_argv(), project='karbor', version=version.version_string(),
         default_config_files=_config_files())
    logging.setup(CONF, 'karbor')
    objects.register_all()
    rpc.init(CONF)
    policy.init()
    return api_app.setup_app(CONF)


def get_application():
    """The application, built on the first call."""
    global _APPLICATION
    if _APPLICATION is None:
        with _LOCK:
            if _APPLICATION is None:
                _APPLICATION = init_application()
    return _APPLICATION


def application(environ, start_response):
    """The WSGI callable: delegates to the lazily built application."""
    return get_application()(environ, start_response)
