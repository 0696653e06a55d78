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

"""Protection providers and the registry that loads them.

A provider is one ``providers.d/*.conf`` file: a ``[provider]`` section
naming its protection plugins and its bank, plus one section per plugin
with that plugin's options. Each file is read into its own ``ConfigOpts``,
separate from karbor.conf, and the plugins register their options on it.

A provider may also name copy destinations, banks that checkpoints are
copied to::

    [provider]
    ...
    copy_destinations = az2, dr-region
    default_copy_destination = az2

    [copy_destination:az2]
    bank = karbor-fs-bank-plugin
    availability_zone = az2
    description = NFS export in the second availability zone
    file_system_bank_path = /mnt/az2/karbor

Each destination's bank plugin reads its own options from the
destination's section. A file without ``copy_destinations`` loads as
upstream's did.

A configuration error (an unknown plugin, a missing section, two banks on
the same storage) keeps the provider from loading. A bank plugin that is
configured right but fails to start, its storage unreachable, does not:
the provider loads without that bank, which is started again when needed
(see :class:`karbor.services.protection.bank_plugin.DeferredPlugin`), so
a site that is down stops neither protection at the other nor restores
from the copies kept there.
"""

import collections
import functools
import glob
import inspect
import os
import re
import threading

from oslo_config import cfg
from oslo_log import log as logging

from karbor import conf
from karbor import exception
from karbor.services.protection import bank_mover
from karbor.services.protection import bank_plugin
from karbor.services.protection import checkpoint
from karbor import utils

CONF = conf.CONF
LOG = logging.getLogger(__name__)

PLUGIN_NAMESPACE = 'karbor.protections'
PROVIDER_GROUP = 'provider'

provider_opts = [
    cfg.StrOpt('name', default='', help='The provider name.'),
    cfg.StrOpt('description', default='',
               help='The provider description.'),
    cfg.StrOpt('id', default='', help='The provider id, a UUID.'),
    cfg.MultiStrOpt('plugin', default=[],
                    help='A protection plugin, by entry-point name or full '
                         'class path; repeat the line for each plugin.'),
    cfg.StrOpt('bank', default='',
               help='The bank plugin, by entry-point name or full class '
                    'path. A provider without a bank is not loaded.'),
    cfg.BoolOpt('enabled', default=False,
                help='Whether the provider is loaded.'),
    cfg.ListOpt('copy_destinations', default=[],
                help='Names of the banks checkpoints may be copied to, in '
                     'the order they are listed. Each name has its own '
                     '[copy_destination:<name>] section.'),
    cfg.StrOpt('default_copy_destination',
               help='The destination of a copy request that names none; '
                    'one of copy_destinations. Defaults to the first.'),
]

COPY_DESTINATION_PREFIX = 'copy_destination:'

# Options of a [copy_destination:<name>] section; the bank plugin adds its
# own options to the same section.
copy_destination_opts = [
    cfg.StrOpt('bank',
               help='The bank plugin of the destination, by entry-point '
                    'name or full class path. Required.'),
    cfg.StrOpt('region', help='The region the destination is in.'),
    cfg.StrOpt('availability_zone',
               help='The availability zone the destination is in.'),
    cfg.StrOpt('description', default='',
               help='What the destination is, for users choosing one.'),
    cfg.FloatOpt('bandwidth_limit', default=0, min=0,
                 help='The most data, in MiB per second, that copies to '
                      'this destination write, all the copies a '
                      'protection service runs at once together; 0 for no '
                      'limit. Leaves room for other traffic on a link to '
                      'another site.'),
]

# Destination names appear in API requests and in copies' index.json.
_DESTINATION_NAME_RE = re.compile(r'^[A-Za-z0-9_.\-]{1,255}$')

# The schemas a provider publishes, by key of extended_info_schema, and the
# plugin class method giving each. verify_schema is missing upstream, which
# made every verification with parameters fail; copy_schema is ours.
_SCHEMA_GETTERS = (
    ('options_schema', 'get_options_schema'),
    ('restore_schema', 'get_restore_schema'),
    ('saved_info_schema', 'get_saved_info_schema'),
    ('verify_schema', 'get_verify_schema'),
    ('copy_schema', 'get_copy_schema'),
)


def list_opts():
    """Options of a provider file, for the configuration reference."""
    return [(PROVIDER_GROUP, provider_opts),
            (COPY_DESTINATION_PREFIX + '<name>', copy_destination_opts)]


def load_provider_config(path):
    """Read one provider file into its own ConfigOpts."""
    config = cfg.ConfigOpts()
    config.register_opts(provider_opts, group=PROVIDER_GROUP)
    config(args=[], default_config_files=[path], default_config_dirs=[],
           use_env=False)
    return config


def _bank_plugin_class(plugin_name):
    """The class of bank plugin ``plugin_name``.

    :raises karbor.exception.ProviderNotLoaded: it cannot be found, or is
        not a bank plugin.
    """
    cls = utils.load_plugin_class(PLUGIN_NAMESPACE, plugin_name)
    if not (isinstance(cls, type) and
            issubclass(cls, bank_plugin.BankPlugin)):
        raise exception.ProviderNotLoaded(
            name=plugin_name, reason='%s is not a bank plugin' % plugin_name)
    return cls


class _StartFailed(Exception):
    """A bank plugin's constructor failed; the message says which."""


def _plugin_maker(cls, label, *args, **kwargs):
    """A callable making a ``cls`` plugin, its failures saying which."""
    def make():
        try:
            return cls(*args, **kwargs)
        except Exception as exc:
            raise _StartFailed('bank plugin %s failed to start: %s'
                               % (label, exc)) from exc
    return make


class _SharedStorage(exception.ProviderNotLoaded):
    """Two banks of a provider store into the same place."""


class _BankStarter:
    """Starts the banks of one provider, checking they do not overlap.

    A copy into the bank it comes from, or into a directory inside it or
    around it, is lost with it, which defeats copying; plugins that expose
    their storage root (``root``) are checked against the banks of the
    provider already started, whenever they start.
    """

    def __init__(self, provider_name):
        self._provider_name = provider_name
        self._roots = {}
        self._lock = threading.Lock()

    def deferred(self, label, make_plugin):
        """A DeferredPlugin starting ``make_plugin()`` as bank ``label``."""
        return bank_plugin.DeferredPlugin(
            functools.partial(self._start, label, make_plugin),
            '%s of provider %s' % (label, self._provider_name),
            retry_interval=CONF.bank_start_retry_interval)

    def _start(self, label, make_plugin):
        plugin = make_plugin()
        root = getattr(plugin, 'root', None)
        if root is None:
            return plugin
        with self._lock:
            for other_label, other in self._roots.items():
                reason = _storage_overlap(root, other)
                if reason:
                    raise _SharedStorage(
                        name=self._provider_name,
                        reason='%s: %s %s (%s)' % (label, reason,
                                                   other_label, other))
            self._roots[label] = root
        return plugin


def _start_now(bank):
    """Start ``bank`` at load time if it can be.

    :raises karbor.exception.ProviderNotLoaded: it shares storage with
        another bank of the provider; any other failure is logged (by the
        DeferredPlugin) and left for a later start.
    """
    try:
        bank.check_available()
    except exception.BankUnavailable as exc:
        if isinstance(exc.__cause__, _SharedStorage):
            raise exc.__cause__


def _accepts_section(cls):
    """Tell whether a bank plugin class's constructor takes ``section``."""
    try:
        parameters = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == 'section' or p.kind == p.VAR_KEYWORD
               for p in parameters)


class CopyDestination:
    """A bank that a provider's checkpoints can be copied to.

    :param name: the destination's name in the provider file.
    :param bank_plugin_name: the bank plugin, as named in the file.
    :param bank: the destination's :class:`bank_plugin.Bank`.
    :param region: the region label, or None.
    :param availability_zone: the availability zone label, or None.
    :param description: free text for users.
    :param is_default: whether a request naming no destination uses it.
    """

    def __init__(self, name, bank_plugin_name, bank, region=None,
                 availability_zone=None, description='', is_default=False):
        self.name = name
        self.bank_plugin_name = bank_plugin_name
        self.bank = bank
        self.region = region
        self.availability_zone = availability_zone
        self.description = description or ''
        self.is_default = is_default
        self.checkpoint_collection = checkpoint.CheckpointCollection(bank)

    def to_dict(self):
        """The API view of the destination."""
        return {
            'name': self.name,
            'region': self.region,
            'availability_zone': self.availability_zone,
            'description': self.description,
            'default': self.is_default,
        }


def _destination_error(provider_name, destination, reason):
    return exception.ProviderNotLoaded(
        name=provider_name,
        reason='copy destination %s: %s' % (destination, reason))


def _load_copy_destination(config, provider_name, name, is_default,
                           starter):
    group = COPY_DESTINATION_PREFIX + name
    if group not in config.list_all_sections():
        raise _destination_error(provider_name, name,
                                 'the file has no [%s] section' % group)
    config.register_opts(copy_destination_opts, group=group)
    options = config[group]
    if not options.bank:
        raise _destination_error(provider_name, name,
                                 '[%s] names no bank' % group)
    try:
        bandwidth_limit = options.bandwidth_limit
    except (cfg.Error, ValueError) as exc:
        raise _destination_error(provider_name, name, exc)
    try:
        cls = _bank_plugin_class(options.bank)
    except exception.ProviderNotLoaded as exc:
        raise _destination_error(provider_name, name, exc)
    if not _accepts_section(cls):
        raise _destination_error(
            provider_name, name,
            'bank plugin %s cannot be a copy destination: its constructor '
            'takes no "section" argument, so it cannot read its options '
            'from [%s]' % (options.bank, group))
    rate_limit = None
    if bandwidth_limit:
        rate_limit = bank_mover.RateLimit(bandwidth_limit * 1024 * 1024)
    return CopyDestination(
        name, options.bank,
        bank_plugin.Bank(
            starter.deferred('copy destination %s' % name, _plugin_maker(
                cls, '%s of [%s]' % (options.bank, group), config,
                section=group)),
            copy_rate_limit=rate_limit),
        region=options.region, availability_zone=options.availability_zone,
        description=options.description, is_default=is_default)


def load_copy_destinations(config, provider_name, starter=None):
    """Load the copy destinations a provider file names.

    Their banks are not started: see :func:`_start_now`.

    :param config: the provider file's ``ConfigOpts``.
    :param provider_name: for error messages.
    :param starter: the provider's :class:`_BankStarter`, which checks
        that no two of its banks share storage; a new one by default.
    :returns: an ordered dict, destination name -> :class:`CopyDestination`.
    :raises karbor.exception.ProviderNotLoaded: on any bad destination.
    """
    starter = starter or _BankStarter(provider_name)
    section = config[PROVIDER_GROUP]
    names = [n.strip() for n in section.copy_destinations]
    default = section.default_copy_destination
    if not names:
        if default:
            raise _destination_error(provider_name, default,
                                     'default_copy_destination names a '
                                     'destination but copy_destinations '
                                     'is empty')
        return {}
    for name in names:
        if not _DESTINATION_NAME_RE.match(name):
            raise _destination_error(
                provider_name, name or '""',
                'a name has 1 to 255 letters, digits, "_", "." or "-"')
    if len(set(names)) != len(names):
        raise _destination_error(provider_name, ', '.join(names),
                                 'a destination is listed twice')
    default = default or names[0]
    if default not in names:
        raise _destination_error(provider_name, default,
                                 'default_copy_destination is not one of '
                                 'copy_destinations')
    destinations = {}
    for name in names:
        destinations[name] = _load_copy_destination(
            config, provider_name, name, name == default, starter)
    return destinations


def _storage_overlap(root, other):
    """How storage ``root`` overlaps ``other``, or None if it does not.

    Roots are absolute directories (file-system banks) or URLs of a bucket
    or container (object stores), which overlap only when equal.
    """
    if root == other:
        return 'it stores into the same place as'
    if not (os.path.isabs(root) and os.path.isabs(other)):
        return None
    shared = os.path.commonpath([root, other])
    if shared == other:
        return 'it stores inside the directory of'
    if shared == root:
        return 'its directory holds that of'
    return None


class PluggableProtectionProvider:
    """A provider built from one provider file.

    :param provider_config: the ConfigOpts of the provider file, as
        returned by :func:`load_provider_config`.
    :param start_banks: False leaves every bank to start when first used
        (a check of the file that must not touch storage).
    :raises karbor.exception.ProviderNotLoaded: when the bank or a plugin
        cannot be loaded.
    """

    def __init__(self, provider_config, start_banks=True):
        self._config = provider_config
        section = provider_config[PROVIDER_GROUP]
        self.id = section.id
        self.name = section.name
        self.description = section.description
        self.enabled = section.enabled
        if not section.bank:
            raise exception.ProviderNotLoaded(
                name=self.name or self.id, reason='no bank is configured')
        self.bank_plugin_name = section.bank
        label = self.name or self.id
        starter = _BankStarter(label)
        # The main bank's plugin reads its options from its own default
        # section, as in upstream provider files.
        bank_class = _bank_plugin_class(section.bank)
        self.bank = bank_plugin.Bank(starter.deferred(
            'the main bank',
            _plugin_maker(bank_class, section.bank, provider_config)))
        self.checkpoint_collection = checkpoint.CheckpointCollection(
            self.bank)
        self.copy_destinations = load_copy_destinations(
            provider_config, label, starter)
        if start_banks:
            for bank in [self.bank] + [d.bank for d in
                                       self.copy_destinations.values()]:
                _start_now(bank)
        self.plugins = {}
        for plugin_name in section.plugin:
            cls = utils.load_plugin_class(PLUGIN_NAMESPACE, plugin_name)
            # A later plugin wins for a type two plugins support.
            for resource_type in cls.get_supported_resources_types():
                self.plugins[resource_type] = cls
        self.extended_info_schema = self._build_schemas()

    @property
    def config(self):
        """The provider file's ConfigOpts."""
        return self._config

    def _build_schemas(self):
        schemas = {key: {} for key, _getter in _SCHEMA_GETTERS}
        for resource_type, cls in self.plugins.items():
            for key, getter in _SCHEMA_GETTERS:
                schemas[key][resource_type] = getattr(cls, getter)(
                    resource_type)
        return schemas

    def load_plugins(self):
        """Return fresh plugin instances by resource type.

        One instance is made per plugin class and shared by the types that
        class serves; every call makes new ones, so flows never share
        plugin state.
        """
        instances = {}
        result = {}
        for resource_type, cls in self.plugins.items():
            if cls not in instances:
                instances[cls] = cls(self._config)
            result[resource_type] = instances[cls]
        return result

    def get_copy_destination(self, name=None):
        """Return the destination ``name``, or the default one.

        :raises karbor.exception.NoCopyDestination: when the provider has
            no destination at all.
        :raises karbor.exception.CopyDestinationNotFound: when it has none
            of that name.
        """
        if not self.copy_destinations:
            raise exception.NoCopyDestination(provider_id=self.id)
        if name is None:
            for destination in self.copy_destinations.values():
                if destination.is_default:
                    return destination
        try:
            return self.copy_destinations[name]
        except (KeyError, TypeError):
            raise exception.CopyDestinationNotFound(provider_id=self.id,
                                                    destination=name)

    def get_checkpoint(self, checkpoint_id, context=None):
        """Return the checkpoint, or raise CheckpointNotFound."""
        return self.checkpoint_collection.get(checkpoint_id, context=context)

    def list_checkpoints(self, project_id, provider_id, limit=None,
                         marker=None, plan_id=None, start_date=None,
                         end_date=None, sort_dir=None, context=None,
                         all_tenants=False):
        """Return checkpoint ids; see CheckpointCollection.list_ids."""
        return self.checkpoint_collection.list_ids(
            provider_id=provider_id, project_id=project_id, limit=limit,
            marker=marker, plan_id=plan_id, start_date=start_date,
            end_date=end_date, sort_dir=sort_dir, context=context,
            all_tenants=all_tenants)

    def to_dict(self):
        """The API view of the provider."""
        return {
            'id': self.id,
            'name': self.name,
            'description': self.description,
            'extended_info_schema': self.extended_info_schema,
            'copy_destinations': [d.to_dict() for d in
                                  self.copy_destinations.values()],
        }


ProviderFile = collections.namedtuple('ProviderFile',
                                      ('path', 'provider', 'problem'))
ProviderFile.__doc__ = """One provider file and what loading it gave.

``provider`` is the loaded provider, or None; ``problem`` says why a file
that is not loaded is not (None for a disabled file).
"""


def read_provider_files(start_banks=True):
    """Load every ``*.conf`` file of ``CONF.provider_config_dir``.

    Files are read in name order; a file using a provider id an earlier
    one uses is not loaded.

    :param start_banks: see :class:`PluggableProtectionProvider`.
    :returns: a list of :class:`ProviderFile`.
    :raises karbor.exception.InvalidConfiguration: the directory cannot
        be found.
    """
    directory = utils.find_config(CONF.provider_config_dir)
    files = []
    users = {}
    for path in sorted(glob.glob(os.path.join(directory, '*.conf'))):
        provider, problem = _read_provider_file(path, start_banks)
        if provider is not None:
            if provider.id in users:
                provider, problem = None, (
                    'provider id %s is already used by %s'
                    % (provider.id, users[provider.id]))
            else:
                users[provider.id] = path
        files.append(ProviderFile(path, provider, problem))
    return files


def _read_provider_file(path, start_banks):
    """``(provider, None)``, ``(None, why not)``, or ``(None, None)``."""
    try:
        config = load_provider_config(path)
        section = config[PROVIDER_GROUP]
        if not section.enabled:
            return None, None
        if not section.bank:
            return None, 'it names no bank'
        if not section.id:
            return None, 'it has no id'
        return PluggableProtectionProvider(config,
                                           start_banks=start_banks), None
    except exception.ProviderNotLoaded as exc:
        return None, str(exc)
    except Exception as exc:
        # A syntax error of the file, or a bug of a plugin.
        LOG.debug('Provider file %s could not be loaded', path,
                  exc_info=True)
        return None, 'it could not be loaded: %s' % exc


class ProviderRegistry:
    """All enabled providers of ``CONF.provider_config_dir``.

    One bad provider file is logged and skipped; it never stops the others
    or the service.
    """

    _FILTER_KEYS = ('id', 'name', 'description')

    def __init__(self):
        self.providers = {}
        self.load_providers()

    def load_providers(self):
        """(Re)load every ``*.conf`` file of the provider directory."""
        providers = {}
        try:
            files = read_provider_files()
        except exception.InvalidConfiguration as exc:
            LOG.error('No provider is loaded: %s', exc)
            files = []
        for path, provider, problem in files:
            if provider is not None:
                LOG.info('Loaded provider %(name)s (%(id)s) from %(path)s',
                         {'name': provider.name, 'id': provider.id,
                          'path': path})
                providers[provider.id] = provider
            elif problem is None:
                LOG.info('Provider file %s is skipped: not enabled', path)
            else:
                LOG.error('Provider file %(path)s is skipped: %(reason)s',
                          {'path': path, 'reason': problem})
        self.providers = providers

    def list_providers(self, marker=None, limit=None, sort_keys=None,
                       sort_dirs=None, filters=None):
        """Return providers sorted by id, filtered and paged.

        :param filters: exact-match values for ``id``, ``name`` or
            ``description``; other keys are ignored.
        :param marker: a provider id; only providers after it are returned.
        """
        providers = sorted(self.providers.values(), key=lambda p: p.id)
        for key, value in (filters or {}).items():
            if key in self._FILTER_KEYS:
                providers = [p for p in providers
                             if getattr(p, key) == value]
        if marker is not None:
            providers = [p for p in providers if p.id > marker]
        if limit is not None:
            providers = providers[:max(limit, 0)]
        return providers

    def show_provider(self, provider_id):
        """Return the provider, or raise ProviderNotFound."""
        try:
            return self.providers[provider_id]
        except (KeyError, TypeError):
            raise exception.ProviderNotFound(provider_id=provider_id)
