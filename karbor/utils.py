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

"""Small helpers shared by Karbor's services: plugin and config lookup."""

import importlib.metadata
import os

from oslo_log import log as logging
from oslo_utils import importutils
from stevedore import driver

from karbor import conf
from karbor import exception

CONF = conf.CONF
LOG = logging.getLogger(__name__)

# Searched, in this order, after the directories of the configuration files
# and the current directory. Upstream Karbor used the same fallbacks, and
# existing deployments keep their providers.d there.
_CONFIG_SEARCH_DIRS = (
    '/var/lib/karbor/etc/karbor',
    '/var/lib/karbor/etc',
    '/var/lib/karbor',
    '/etc/karbor',
)


def find_config(path):
    """Return the absolute path of a configuration file or directory.

    An absolute ``path`` is returned as is when it exists. A relative one is
    looked up in the directories of the files in ``CONF.config_file``, then
    in the current directory, then in the usual Karbor locations.

    :raises karbor.exception.InvalidConfiguration: when nothing is found.
    """
    if os.path.isabs(path):
        candidates = [path]
    else:
        dirs = [os.path.dirname(os.path.abspath(f))
                for f in (CONF.config_file or [])]
        dirs.append(os.getcwd())
        dirs.extend(_CONFIG_SEARCH_DIRS)
        candidates = [os.path.join(d, path) for d in dirs]
    for candidate in candidates:
        if os.path.exists(candidate):
            return os.path.abspath(candidate)
    raise exception.InvalidConfiguration(
        reason='%s not found (searched: %s)' % (path, ', '.join(candidates)))


def _import_class_path(path):
    # Accept both 'package.module:Class' (entry-point style) and
    # 'package.module.Class' (what upstream providers.d files use).
    return importutils.import_class(path.replace(':', '.'))


def load_plugin_class(namespace, name):
    """Return the class named ``name`` in a stevedore namespace.

    The entry-point name is tried first, then ``name`` as a full
    ``module:Class`` or ``module.Class`` path.

    :raises karbor.exception.ProviderNotLoaded: with the reason when
        neither works.
    """
    entry_points = importlib.metadata.entry_points(group=namespace)
    if name in entry_points.names:
        failures = []

        def _on_failure(manager, entrypoint, exc):
            failures.append(exc)

        try:
            manager = driver.DriverManager(
                namespace, name, invoke_on_load=False,
                on_load_failure_callback=_on_failure)
            return manager.driver
        except Exception as exc:  # stevedore raises several types
            reason = failures[0] if failures else exc
            raise exception.ProviderNotLoaded(
                name=name, reason='entry point %s of %s failed to load: %s'
                                  % (name, namespace, reason))
    if '.' not in name and ':' not in name:
        raise exception.ProviderNotLoaded(
            name=name, reason='no entry point of that name in namespace %s'
                              % namespace)
    try:
        return _import_class_path(name)
    except Exception as exc:
        raise exception.ProviderNotLoaded(
            name=name, reason='not an entry point of %s and not an importable '
                              'class path: %s' % (namespace, exc))


def load_plugin(namespace, name, *args, **kwargs):
    """Load a plugin class with :func:`load_plugin_class` and instantiate it.

    Extra positional and keyword arguments go to the class's constructor.

    :raises karbor.exception.ProviderNotLoaded: when the class cannot be
        found or its constructor fails.
    """
    cls = load_plugin_class(namespace, name)
    try:
        return cls(*args, **kwargs)
    except Exception as exc:
        raise exception.ProviderNotLoaded(
            name=name, reason='the plugin failed to start: %s' % exc)
