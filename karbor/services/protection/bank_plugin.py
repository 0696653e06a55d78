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

"""Banks: the key/value object stores that hold checkpoints.

A :class:`BankPlugin` talks to one storage back-end (a file system, S3,
Swift). :class:`Bank` wraps a plugin, validates and normalises keys, and
hands out :class:`BankSection` objects, each a key prefix that may be read
only. Keys are absolute, '/'-separated paths such as
``/checkpoints/<id>/index.json``.
"""

import abc
import io
import json
import os
import re
import threading
import time

from oslo_log import log as logging

from karbor import exception
from karbor.services.protection import checksums

# Size of the chunks streamed between banks; large enough to keep system
# calls and HTTP requests few, small enough to bound memory per transfer.
CHUNK_SIZE = 4 * 1024 * 1024

# Reads that are only hashed use less: several run at once during a copy's
# verification, and hashing gains nothing from bigger buffers.
HASH_CHUNK_SIZE = 1024 * 1024

_KEY_RE = re.compile(r'^[A-Za-z0-9/_.\-@]+(?<!/)$')
# A segment of a key in normal form: neither '.' nor '..' (before a '/',
# the end, or the newline that separates keys checked as a batch).
_NORMAL_SEGMENT = r'(?!\.\.?(?:[/\n]|$))[A-Za-z0-9_.\-@]+'
# A key already in normal form: absolute, no empty, '.' or '..' segment,
# no trailing '/'. Most keys are (the section and the bank wrappers both
# normalise), and one match is much cheaper than normalising again.
_NORMAL_KEY_RE = re.compile(r'(?:/%s)+' % _NORMAL_SEGMENT)
# The same, relative (a key within a section): checking the few characters
# a section adds to its prefix is cheaper than checking the whole key.
_NORMAL_RELATIVE_KEY = r'%s(?:/%s)*' % (_NORMAL_SEGMENT, _NORMAL_SEGMENT)
_NORMAL_RELATIVE_KEY_RE = re.compile(_NORMAL_RELATIVE_KEY)
# Several relative keys in normal form, one per line: a batch of keys is
# checked with one match instead of one per key (a copy checks two keys
# per object, in batches of many small objects).
_NORMAL_RELATIVE_KEYS_RE = re.compile(
    r'%s(?:\n%s)*' % (_NORMAL_RELATIVE_KEY, _NORMAL_RELATIVE_KEY))
SORT_ASC = 'asc'
SORT_DESC = 'desc'

LOG = logging.getLogger(__name__)


def value_to_bytes(value):
    """Return the bytes a bank stores for ``value``.

    str is stored as UTF-8 text and bytes as they are; anything else is
    stored as JSON. This is the on-bank format upstream Karbor uses.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode('utf-8')
    return json.dumps(value).encode('utf-8')


# The user metadata with which upstream's object-store banks (S3, Swift)
# record how a value was stored: 'True' for JSON, 'False' for a raw str.
SERIALIZED_META = 'x-object-meta-serialized'


def decode_value(key, data, serialized):
    """Return the value an object-store bank stored as ``data``.

    ``serialized`` is the object's ``x-object-meta-serialized`` metadata:
    ``'True'`` decodes JSON, ``'False'`` returns the text as it is, and
    None (an object another client wrote) decodes as the file-system bank
    does: JSON when it parses, text otherwise. Bytes that are not UTF-8
    are returned as bytes.

    :raises karbor.exception.BankGetObjectFailed: when an object flagged
        as serialised is not valid UTF-8 JSON.
    """
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        if serialized == 'True':
            raise exception.BankGetObjectFailed(
                key=key, reason='serialized value is not UTF-8')
        return data
    if serialized == 'False':
        return text
    try:
        return json.loads(text)
    except ValueError:
        if serialized == 'True':
            raise exception.BankGetObjectFailed(
                key=key, reason='serialized value is not valid JSON')
        return text


def looks_serialized(data):
    """Whether streamed bytes should be flagged as serialised (JSON).

    A stream carries no type; it comes from another bank (a copy), whose
    reader decodes an object as JSON when it parses as JSON. Flagging it
    the same way makes the copy read back like the source did.
    """
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def next_read_size(size, left):
    """How much to ask a read for: ``size``, or less when little is left.

    ``left`` is what remains of an object of known size (None when the
    size is unknown, negative once the object proved longer). A read asks
    for no more than that plus one byte, which shows an object that grew:
    CPython allocates the buffer a read asks for, and a megabyte buffer
    for a 16 KiB object costs several times what reading it does.
    """
    if left is None or left < 0:
        return size
    return min(size, left + 1)


class ObjectReader:
    """A read-only binary stream over a bank object, iterable in chunks.

    File-like (``read``, ``readinto``, ``readable``, ``close``,
    ``closed``, a context manager) without being an ``io`` class: a copy
    opens one per object, and ``io.RawIOBase``'s set-up and finaliser cost
    more than reading a small object. Iterating yields chunks of at most
    ``chunk_size`` bytes (not lines, as a plain binary file would), which
    is what streaming copies want.

    :param raw: a binary file-like object with ``read(size)`` and
        ``close()``.
    :param size: the object's size when the back-end told it, or None.
        Reads then ask ``raw`` for no more than what is left plus one byte
        (see :func:`next_read_size`), and a read that asked for that byte
        more and ended exactly at ``size`` ends the stream: ``raw`` is not
        asked again only to return nothing (a system call a small object).
    """

    def __init__(self, raw, chunk_size=CHUNK_SIZE, size=None):
        self._raw = raw
        self._chunk_size = chunk_size
        self._left = size
        self._ended = False
        self.closed = False

    def readable(self):
        return True

    def read(self, size=-1):
        if self.closed:
            raise ValueError('read from a closed bank object reader')
        if self._ended:
            return b''
        if size is None or size < 0:
            return self._raw.read()
        want = next_read_size(size, self._left)
        data = self._raw.read(want)
        if self._left is not None:
            self._left -= len(data)
            # Short of the byte asked beyond the known size: the object
            # ended where the back-end said. (A short read elsewhere
            # proves nothing; the next read tells.)
            self._ended = self._left == 0 and len(data) < want
        return data

    def fileno(self):
        """The descriptor of the local file holding the object.

        Only for a back-end whose objects are local files; others raise
        ``io.UnsupportedOperation``, as a stream with no descriptor does.
        The descriptor stays the reader's: use it with explicit offsets
        (``os.pread``, ``os.sendfile``) and do not close it.
        """
        fileno = getattr(self._raw, 'fileno', None)
        if fileno is None:
            raise io.UnsupportedOperation('the object is not a local file')
        return fileno()

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def __iter__(self):
        return self

    def __next__(self):
        chunk = self.read(self._chunk_size)
        if not chunk:
            raise StopIteration
        return chunk

    def close(self):
        if not self.closed:
            self.closed = True
            self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


class ErrorMappingReader:
    """A response body whose read errors are ``OSError``.

    Callers of bank readers (the bank mover) treat ``OSError`` as a failed
    read; HTTP client libraries raise their own exception types
    mid-stream.

    :param body: a binary file-like object with ``read(size)``.
    :param key: the bank key, for error messages.
    :param errors: the exception types to turn into ``OSError``.
    """

    def __init__(self, body, key, errors):
        self._body = body
        self._key = key
        self._errors = errors

    def read(self, size=-1):
        try:
            return self._body.read(None if size is None or size < 0
                                   else size)
        except OSError:
            raise
        except self._errors as exc:
            raise OSError('reading bank object %s: %s' % (self._key, exc))

    def close(self):
        self._body.close()


def iter_chunks(reader, chunk_size=CHUNK_SIZE):
    """Yield the chunks of ``reader``: a file-like object or an iterable."""
    if hasattr(reader, 'read'):
        while True:
            chunk = reader.read(chunk_size)
            if not chunk:
                return
            yield chunk
    else:
        for chunk in reader:
            if chunk:
                yield chunk


class BankPlugin(metaclass=abc.ABCMeta):
    """Base class of bank plugins.

    A bank plugin stores objects under absolute keys (``/a/b/c``) in one
    back-end. Plugins are loaded from the ``karbor.protections`` stevedore
    namespace and constructed with the provider file's own ``ConfigOpts``;
    a plugin registers its option group on it.

    Subclasses implement the five abstract methods. The streaming methods
    have default implementations built on them, which hold a whole object
    in memory; plugins whose objects may be large override them.

    :param config: the provider file's ``ConfigOpts``.
    :param section: the group of ``config`` holding this bank's options, or
        None for the plugin's own default group. A provider's main bank
        uses the default group (as upstream provider files do); a copy
        destination passes its ``copy_destination:<name>`` section, so two
        banks of one kind can be configured side by side. A plugin that
        can be a copy destination accepts this argument.
    """

    def __init__(self, config=None, section=None):
        self._config = config
        self._section = section

    @abc.abstractmethod
    def update_object(self, key, value, context=None):
        """Create or overwrite the object ``key``.

        A str or bytes value is stored as it is; any other value is stored
        as JSON.
        """

    @abc.abstractmethod
    def get_object(self, key, context=None):
        """Return the value of the object ``key``.

        The value is JSON-decoded when it was written from a value that was
        neither str nor bytes, otherwise it is returned as str.

        :raises karbor.exception.BankObjectNotFound: when there is no such
            object.
        :raises karbor.exception.BankGetObjectFailed: on back-end errors.
        """

    @abc.abstractmethod
    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        """Return the full keys that start with ``prefix``.

        Keys are sorted ascending, or descending when ``sort_dir`` is
        ``'desc'``. Only keys strictly after ``marker`` in that order are
        returned, and at most ``limit`` of them (applied after sorting).
        """

    @abc.abstractmethod
    def delete_object(self, key, context=None):
        """Delete the object ``key``; a missing object is not an error."""

    @abc.abstractmethod
    def get_owner_id(self, context=None):
        """Return the id this plugin instance records as checkpoint owner."""

    #: The checksum algorithm (a name in :data:`checksums.ALGORITHMS`) of
    #: the digest the back-end itself computes and keeps for every object
    #: it stores, or None. When set, :meth:`put_object_stream` returns it
    #: for what was stored and :meth:`head_object` answers it without
    #: reading the data; copies to this bank are then verified with it.
    stored_checksum = None

    def list_object_sizes(self, prefix=None, context=None):
        """Return ``[(key, size in bytes)]`` under ``prefix``, ascending.

        What a copy lists first, to know its totals before any byte moves.
        The default asks :meth:`get_object_size` for every key; plugins
        whose listings carry sizes (object stores, directory entries)
        override it to save a request per object. A key deleted while
        listing may be left out.
        """
        sizes = []
        for key in self.list_objects(prefix=prefix, context=context):
            try:
                sizes.append((key, self.get_object_size(key,
                                                        context=context)))
            except exception.BankObjectNotFound:
                continue
        return sizes

    def open_object_reader(self, key, context=None):
        """Return a binary, chunk-iterable reader of the object ``key``.

        :raises karbor.exception.BankObjectNotFound: when there is no such
            object.
        """
        data = value_to_bytes(self.get_object(key, context=context))
        return ObjectReader(io.BytesIO(data))

    def put_object_stream(self, key, reader, size=None, context=None):
        """Write the object ``key`` from a binary stream.

        :param reader: a file-like object with ``read(size)`` or an iterable
            of bytes chunks.
        :param size: the expected size in bytes, checked when given.
        :returns: ``{'size': <bytes written>}``, plus the digest the
            back-end keeps (``{stored_checksum: <hex digest>}``) when
            :attr:`stored_checksum` is set. A digest the plugin computed
            itself over the chunks it was given is not reported: it would
            only repeat the writer's own.
        :raises karbor.exception.BankUpdateObjectFailed: when the stream is
            shorter or longer than ``size``.
        """
        buffer = bytearray()
        for chunk in iter_chunks(reader):
            buffer.extend(chunk)
        check_stream_size(key, size, len(buffer))
        self.update_object(key, bytes(buffer), context=context)
        return {'size': len(buffer)}

    def put_copy_object(self, key, reader, size, algorithm, context=None):
        """Write one object of a copy; return the digest of what is stored.

        What the bank mover calls for every object it copies into this
        bank. It differs from :meth:`put_object_stream` in two ways:

        - The result always carries ``algorithm``: the digest of the object
          as the back-end now holds it, which the mover compares with the
          digest of what it read. It is the back-end's own when
          ``algorithm`` is :attr:`stored_checksum`; otherwise the object
          is read back (the default calls :meth:`head_object`; a plugin
          may read it back more cheaply, e.g. before closing what it
          wrote).
        - The object need not replace a previous one atomically. A copy's
          objects are not read until the copy has finished and verified
          them all, and a copy run again after a crash compares sizes and
          digests, so a partly written object is found and written again.
          A plugin whose atomic writes cost extra (a temporary file and a
          rename) may write in place. It must still never write through to
          another object's data (a hard link, a symbolic link).

        :param reader: a file-like object or an iterable of bytes chunks.
        :param size: the expected size in bytes, checked.
        :param algorithm: one of :data:`checksums.ALGORITHMS`.
        :returns: ``{'size': int, algorithm: hex digest or None}``; None
            only when the back-end keeps the digest but has none for this
            object, which the mover reports as a mismatch.
        :raises karbor.exception.BankUpdateObjectFailed: when the write
            fails or the stream is not ``size`` bytes long.
        """
        stored = self.put_object_stream(key, reader, size=size,
                                        context=context)
        if stored.get(algorithm) is None:
            try:
                stored = self.head_object(key, context=context,
                                          algorithm=algorithm)
            except exception.BankObjectNotFound:
                raise exception.BankUpdateObjectFailed(
                    key=key, reason='the object is gone right after it was '
                                    'written')
        return stored

    def put_copy_object_from_file(self, key, fd, size, algorithm,
                                  on_bytes=None, context=None):
        """Write one object of a copy from a local file, if that is faster.

        What the bank mover offers first for a large object whose source
        is a local file (see :meth:`ObjectReader.fileno`): the same as
        :meth:`put_copy_object`, but the bytes are the first ``size`` of
        the file open at ``fd``, and need not pass through Python. A
        back-end writing to a local file system can copy them inside the
        kernel. The mover hashes the source itself, through its bank.

        :param fd: a descriptor open for reading; read with explicit
            offsets from 0, never closed or moved.
        :param on_bytes: if given, called with a byte count after each
            part written (the mover's progress and rate limit).
        :returns: as :meth:`put_copy_object`, plus, if the plugin saw the
            bytes it copied, their digest under
            ``SOURCE_DIGEST_PREFIX + algorithm`` (the mover then does not
            read the source again to hash it); or None (the default) when
            this back-end has no faster way, having written nothing of
            the object: the mover then streams it to
            :meth:`put_copy_object`.
        :raises karbor.exception.BankUpdateObjectFailed: as
            :meth:`put_copy_object`.
        """
        return None

    def local_file_paths(self, keys, context=None):
        """The paths of the local files holding ``keys``, or None.

        For copies between banks on local file systems: a destination's
        :meth:`put_copy_objects_from_paths` reads the objects' files
        itself. Only ever read, through a descriptor that does not follow
        a symbolic link at the path. The default, for back-ends that keep
        no object in a local file, is None.

        :param keys: a list of keys.
        :returns: a list of paths, one per key in order, or None.
        :raises karbor.exception.InvalidBankKey: for a key that names no
            object of this bank.
        """
        return None

    def put_copy_objects_from_paths(self, items, algorithm, context=None):
        """Write several small objects of a copy from local files, if faster.

        What the bank mover calls, when the objects are small and their
        source bank gives their :meth:`local_file_paths`, instead of one
        :meth:`put_copy_object` each: a small object costs more in the
        calls around its bytes than in moving them, which a back-end can
        save by doing the whole batch at once (the file-system bank does
        it in native code, outside the GIL). Each object is written and
        its digests computed as :meth:`put_copy_object` does, with the
        source's digest computed from the bytes read.

        :param items: a list of ``(key, source path, size)``; the source is
            a regular file whose first ``size`` bytes are the object, and
            must hold no more.
        :param algorithm: one of :data:`checksums.ALGORITHMS`.
        :returns: a list with, for each item in order, ``(source digest,
            stored digest)``: the digest of the bytes read from the source
            and of what the back-end now holds. Or None (the default) when
            this back-end has no faster way for these objects, having
            written none of them: the mover then copies them one by one.
            Called with no items, returns whether it would copy such
            objects: ``[]`` if so, else None.
        :raises karbor.exception.BankGetObjectFailed: a source cannot be
            read or is not ``size`` bytes long; the objects before it in
            ``items`` are written, it and those after it are not.
        :raises karbor.exception.BankUpdateObjectFailed: as
            :meth:`put_copy_object`, with the same rule for the others.
        """
        return None

    def get_object_size(self, key, context=None):
        """Return the size in bytes of the object ``key``.

        Cheaper than :meth:`head_object` where the back-end knows sizes
        without reading the data; the default calls it.

        :raises karbor.exception.BankObjectNotFound: when there is no such
            object.
        """
        return self.head_object(key, context=context)['size']

    def head_object(self, key, context=None, algorithm=checksums.MD5):
        """Return ``{'size': int, algorithm: hex digest or None}``.

        For the plugin's :attr:`stored_checksum` algorithm this is
        :meth:`head_stored_checksum`: no data is read. Any other algorithm
        is computed by reading the object, so the digest is of what the
        back-end holds.

        :param algorithm: one of :data:`checksums.ALGORITHMS`.
        :raises karbor.exception.BankObjectNotFound: when there is no such
            object.
        :raises karbor.exception.BankGetObjectFailed: when reading fails.
        """
        if algorithm == self.stored_checksum:
            return self.head_stored_checksum(key, context=context)
        with self.open_object_reader(key, context=context) as reader:
            try:
                size, digest = checksums.of_chunks(
                    iter_chunks(reader, HASH_CHUNK_SIZE), algorithm)
            except OSError as exc:
                raise exception.BankGetObjectFailed(key=key, reason=exc)
        return {'size': size, algorithm: digest}

    def head_stored_checksum(self, key, context=None):
        """Return ``{'size': int, stored_checksum: hex digest or None}``.

        What the back-end keeps about ``key``, without reading its data.
        Plugins that set :attr:`stored_checksum` implement it; the digest
        is None when the back-end has none it can vouch for (a large
        object another client wrote, for instance).

        :raises karbor.exception.BankObjectNotFound: when there is no such
            object.
        """
        raise NotImplementedError(
            '%s sets stored_checksum but does not implement '
            'head_stored_checksum' % type(self).__name__)

    def delete_leftovers(self, prefix, context=None):
        """Remove what interrupted writes left under ``prefix``.

        A write cut short by a crash may leave storage behind that is not
        an object, so no listing shows it and no ``delete_object`` frees
        it: a file system's temporary file, an object store's unfinished
        multipart upload. Karbor calls this when a checkpoint is deleted,
        with the prefix of its data, once nothing writes there any more.
        The default does nothing (a plugin whose writes leave nothing
        behind).

        :param prefix: an absolute key prefix ending in '/'.
        """


# put_copy_object_from_file's result may hold the digest of the bytes it
# read from the source under this prefix and the algorithm's name.
SOURCE_DIGEST_PREFIX = 'source_'


def check_stream_size(key, expected, actual):
    """Raise BankUpdateObjectFailed when a stream's size is not expected."""
    if expected is not None and expected != actual:
        raise exception.BankUpdateObjectFailed(
            key=key, reason='expected %d bytes, got %d' % (expected, actual))


class LeasePlugin(metaclass=abc.ABCMeta):
    """Base class of bank leases: proof that this process owns its data."""

    @abc.abstractmethod
    def acquire_lease(self):
        """Take the lease, raising AcquireLeaseFailed when it cannot."""

    @abc.abstractmethod
    def renew_lease(self):
        """Extend the lease before it expires."""

    @abc.abstractmethod
    def check_lease_validity(self):
        """Return True while the lease is held and not expired."""


def _normalize_key(key, allow_trailing_slash=False):
    if isinstance(key, str) and _NORMAL_KEY_RE.fullmatch(key):
        return key
    if not isinstance(key, str) or not key:
        raise exception.InvalidBankKey(key=key, reason='empty or not a string')
    trailing = allow_trailing_slash and key.endswith('/')
    checked = key.rstrip('/') if trailing else key
    if checked == '':
        return '/'
    if not _KEY_RE.match(checked):
        raise exception.InvalidBankKey(
            key=key, reason='only letters, digits and /_.-@ are allowed, '
                            'and the key may not end with /')
    if any(part in ('.', '..') for part in checked.split('/')):
        raise exception.InvalidBankKey(
            key=key, reason='"." and ".." segments are not allowed')
    normalized = os.path.normpath('/' + checked.lstrip('/'))
    # POSIX normpath keeps a leading '//' as is; a key never needs it.
    normalized = '/' + normalized.lstrip('/')
    if trailing and normalized != '/':
        normalized += '/'
    return normalized


class DeferredPlugin:
    """Starts a bank plugin when it is first needed, and after a failure.

    Starting a plugin may need its storage: an object store authenticates
    and looks at its container. A bank in another region, or a main bank
    whose site is down, must not keep a provider from loading: its other
    banks still serve (copies stay listable and restorable when the main
    bank is lost; protection goes on when a copy destination is). A
    plugin that fails to start is tried again on the first use at least
    ``retry_interval`` seconds later; uses in between fail at once with
    the last reason, so that requests do not each wait for an unreachable
    endpoint; so do uses while another thread tries again.

    :param start: a callable returning the started :class:`BankPlugin`;
        whatever it raises is the reason the bank is unavailable.
    :param name: names the bank in errors and logs.
    :param retry_interval: seconds (the protection service passes its
        ``bank_start_retry_interval``).
    """

    def __init__(self, start, name, retry_interval=30.0,
                 clock=time.monotonic):
        self._start = start
        self.name = name
        self._retry_interval = retry_interval
        self._clock = clock
        self._plugin = None
        self._failed_at = None
        self._reason = None
        self._lock = threading.Lock()

    def get(self):
        """The started plugin.

        :raises karbor.exception.BankUnavailable: it cannot start, or
            could not a moment ago.
        """
        plugin = self._plugin
        if plugin is not None:
            return plugin
        reason = self._reason
        if not self._lock.acquire(blocking=reason is None):
            # Another thread is trying again; starting may take as long
            # as the storage takes to time out, and the bank was down a
            # moment ago: one request waits for the answer, not all.
            plugin = self._plugin
            if plugin is not None:
                return plugin  # it has just started
            raise exception.BankUnavailable(bank=self.name, reason=reason)
        try:
            if self._plugin is None:
                self._plugin = self._try_start()
            return self._plugin
        finally:
            self._lock.release()

    def _try_start(self):
        now = self._clock()
        if (self._failed_at is not None and
                now - self._failed_at < self._retry_interval):
            raise exception.BankUnavailable(bank=self.name,
                                            reason=self._reason)
        try:
            plugin = self._start()
        except Exception as exc:
            self._failed_at = now
            self._reason = str(exc) or type(exc).__name__
            LOG.error('Bank %(bank)s is unavailable, it will be started '
                      'again when needed (at most every %(interval)g s): '
                      '%(reason)s', {'bank': self.name,
                                     'interval': self._retry_interval,
                                     'reason': self._reason})
            raise exception.BankUnavailable(bank=self.name,
                                            reason=self._reason) from exc
        if self._failed_at is not None:
            LOG.info('Bank %s is available again', self.name)
        self._failed_at = self._reason = None
        return plugin


class Bank:
    """A bank plugin behind validated, absolute keys.

    :param plugin: a :class:`BankPlugin` instance, or a
        :class:`DeferredPlugin` that starts one when first needed.
    :param copy_rate_limit: what copies into this bank draw on for every
        byte they write (a ``bank_mover.RateLimit``), or None: set on the
        bank of a copy destination that has a ``bandwidth_limit``.
    """

    def __init__(self, plugin, copy_rate_limit=None):
        if isinstance(plugin, DeferredPlugin):
            self._deferred, self._plugin = plugin, None
        else:
            self._deferred, self._plugin = None, plugin
        self.copy_rate_limit = copy_rate_limit

    @property
    def plugin(self):
        """The started plugin.

        :raises karbor.exception.BankUnavailable: a deferred plugin that
            cannot start.
        """
        plugin = self._plugin
        if plugin is None:
            plugin = self._plugin = self._deferred.get()
        return plugin

    def check_available(self):
        """Start a deferred plugin now.

        :raises karbor.exception.BankUnavailable: it cannot start.
        """
        self.plugin  # noqa: B018 (the property starts it)

    @staticmethod
    def normalize_key(key):
        """Return the absolute form of ``key``, or raise InvalidBankKey."""
        return _normalize_key(key)

    def update_object(self, key, value, context=None):
        return self.plugin.update_object(_normalize_key(key), value,
                                         context=context)

    def get_object(self, key, context=None):
        return self.plugin.get_object(_normalize_key(key), context=context)

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        """List full keys under ``prefix`` (a trailing '/' is kept)."""
        prefix = '/' if prefix is None else _normalize_key(
            prefix, allow_trailing_slash=True)
        if marker is not None:
            marker = _normalize_key(marker)
        return self.plugin.list_objects(prefix=prefix, limit=limit,
                                        marker=marker, sort_dir=sort_dir,
                                        context=context)

    def list_object_sizes(self, prefix=None, context=None):
        """``[(full key, size)]`` under ``prefix``, ascending."""
        prefix = '/' if prefix is None else _normalize_key(
            prefix, allow_trailing_slash=True)
        return self.plugin.list_object_sizes(prefix=prefix, context=context)

    def delete_object(self, key, context=None):
        return self.plugin.delete_object(_normalize_key(key),
                                         context=context)

    def get_owner_id(self, context=None):
        return self.plugin.get_owner_id(context=context)

    def open_object_reader(self, key, context=None):
        return self.plugin.open_object_reader(_normalize_key(key),
                                              context=context)

    def put_object_stream(self, key, reader, size=None, context=None):
        return self.plugin.put_object_stream(_normalize_key(key), reader,
                                             size=size, context=context)

    def put_copy_object(self, key, reader, size, algorithm, context=None):
        return self.plugin.put_copy_object(_normalize_key(key), reader,
                                           size, algorithm, context=context)

    def delete_leftovers(self, prefix, context=None):
        """See :meth:`BankPlugin.delete_leftovers`."""
        prefix = _normalize_key(prefix, allow_trailing_slash=True)
        return self.plugin.delete_leftovers(prefix.rstrip('/') + '/',
                                            context=context)

    def put_copy_object_from_file(self, key, fd, size, algorithm,
                                  on_bytes=None, context=None):
        return self.plugin.put_copy_object_from_file(
            _normalize_key(key), fd, size, algorithm, on_bytes=on_bytes,
            context=context)

    def local_file_paths(self, keys, context=None):
        return self.plugin.local_file_paths(
            [_normalize_key(key) for key in keys], context=context)

    def put_copy_objects_from_paths(self, items, algorithm, context=None):
        return self.plugin.put_copy_objects_from_paths(
            [(_normalize_key(key), path, size) for key, path, size in items],
            algorithm, context=context)

    @property
    def stored_checksum(self):
        return self.plugin.stored_checksum

    def head_object(self, key, context=None, algorithm=checksums.MD5):
        return self.plugin.head_object(_normalize_key(key), context=context,
                                       algorithm=algorithm)

    def get_object_size(self, key, context=None):
        return self.plugin.get_object_size(_normalize_key(key),
                                           context=context)

    def get_sub_section(self, section, is_writable=True):
        """Return a :class:`BankSection` for the prefix ``section``."""
        return BankSection(self, section, is_writable=is_writable)


class BankSection:
    """A key prefix of a bank; every key is relative to the prefix.

    :param bank: the :class:`Bank`.
    :param section: the prefix, e.g. ``/checkpoints/<id>``.
    :param is_writable: False makes every write raise
        BankReadonlyViolation.
    """

    def __init__(self, bank, section, is_writable=True):
        self._bank = bank
        self._prefix = _normalize_key(section,
                                      allow_trailing_slash=True).rstrip('/')
        self._prefix += '/'
        self._is_writable = is_writable

    @property
    def bank(self):
        return self._bank

    @property
    def _plugin(self):
        # Keys are normalised here, so the plugin is called directly: going
        # through the Bank would check each key a second time. Looked up
        # on each call: the bank may start its plugin only when used.
        return self._bank.plugin

    @property
    def section(self):
        """The section's absolute prefix, always ending in '/'."""
        return self._prefix

    def is_writable(self):
        return self._is_writable

    def _full_key(self, key):
        if isinstance(key, str) and _NORMAL_RELATIVE_KEY_RE.fullmatch(key):
            return self._prefix + key
        if not isinstance(key, str) or not key.strip('/'):
            raise exception.InvalidBankKey(key=key, reason='empty key')
        return _normalize_key(self._prefix + key.lstrip('/'))

    def _full_keys(self, keys):
        """:meth:`_full_key` of each of ``keys``, checked at once if normal."""
        try:
            normal = _NORMAL_RELATIVE_KEYS_RE.fullmatch('\n'.join(keys))
        except TypeError:
            normal = None
        if normal is None:
            return [self._full_key(key) for key in keys]
        prefix = self._prefix
        return [prefix + key for key in keys]

    def _check_writable(self):
        if not self._is_writable:
            raise exception.BankReadonlyViolation(section=self._prefix)

    def _relative(self, key):
        return key[len(self._prefix):]

    def update_object(self, key, value, context=None):
        self._check_writable()
        return self._plugin.update_object(self._full_key(key), value,
                                          context=context)

    def get_object(self, key, context=None):
        return self._plugin.get_object(self._full_key(key), context=context)

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        """List keys relative to the section, optionally under ``prefix``.

        ``prefix`` and ``marker`` are relative to the section as well.
        """
        full_prefix = self._prefix + (prefix or '').lstrip('/')
        full_marker = None if marker is None else self._full_key(marker)
        keys = self._bank.list_objects(prefix=full_prefix, limit=limit,
                                       marker=full_marker, sort_dir=sort_dir,
                                       context=context)
        return [self._relative(k) for k in keys]

    def list_object_sizes(self, context=None):
        """``[(key relative to the section, size)]``, ascending."""
        start = len(self._prefix)
        return [(key[start:], size) for key, size in
                self._bank.list_object_sizes(prefix=self._prefix,
                                             context=context)]

    def delete_object(self, key, context=None):
        self._check_writable()
        return self._plugin.delete_object(self._full_key(key), context=context)

    def get_owner_id(self, context=None):
        return self._bank.get_owner_id(context=context)

    def open_object_reader(self, key, context=None):
        return self._plugin.open_object_reader(self._full_key(key),
                                               context=context)

    def put_object_stream(self, key, reader, size=None, context=None):
        self._check_writable()
        return self._plugin.put_object_stream(self._full_key(key), reader,
                                              size=size, context=context)

    def put_copy_object(self, key, reader, size, algorithm, context=None):
        """See :meth:`BankPlugin.put_copy_object`."""
        self._check_writable()
        return self._plugin.put_copy_object(self._full_key(key), reader,
                                            size, algorithm, context=context)

    def delete_leftovers(self, context=None):
        """Remove what interrupted writes left in the section.

        See :meth:`BankPlugin.delete_leftovers`.
        """
        self._check_writable()
        return self._plugin.delete_leftovers(self._prefix, context=context)

    def put_copy_object_from_file(self, key, fd, size, algorithm,
                                  on_bytes=None, context=None):
        """See :meth:`BankPlugin.put_copy_object_from_file`."""
        self._check_writable()
        return self._plugin.put_copy_object_from_file(
            self._full_key(key), fd, size, algorithm, on_bytes=on_bytes,
            context=context)

    def local_file_paths(self, keys, context=None):
        """See :meth:`BankPlugin.local_file_paths`."""
        return self._plugin.local_file_paths(self._full_keys(keys),
                                             context=context)

    def put_copy_objects_from_paths(self, items, algorithm, context=None):
        """See :meth:`BankPlugin.put_copy_objects_from_paths`.

        The keys of ``items`` are relative to the section.
        """
        self._check_writable()
        keys = self._full_keys([key for key, _path, _size in items])
        return self._plugin.put_copy_objects_from_paths(
            [(key, path, size)
             for key, (_key, path, size) in zip(keys, items)],
            algorithm, context=context)

    @property
    def stored_checksum(self):
        return self._bank.stored_checksum

    def head_object(self, key, context=None, algorithm=checksums.MD5):
        return self._plugin.head_object(self._full_key(key), context=context,
                                        algorithm=algorithm)

    def get_object_size(self, key, context=None):
        return self._plugin.get_object_size(self._full_key(key),
                                            context=context)

    def get_sub_section(self, section, is_writable=True):
        """Return a nested section; it is read only if this one is."""
        return BankSection(self._bank, self._prefix + section.lstrip('/'),
                           is_writable=is_writable and self._is_writable)
