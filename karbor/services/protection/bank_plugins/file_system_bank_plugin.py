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

"""A bank on a local or mounted file system.

Every object is a file at ``<file_system_bank_path>/<bank_object_container>
/<key>``; this is the layout upstream Karbor's file-system bank uses, so an
existing bank directory can be read and written by this plugin.

Serialisation follows upstream too: a str value is written as raw text,
anything else as JSON, and nothing records which of the two was used. On
read, an object that decodes as JSON is returned decoded, otherwise as
text. The ambiguity is inherited: the str ``"123"`` or ``"null"`` reads back
as the int 123 or None. Karbor's own str values (ids, statuses) are never
valid JSON; binary data should use the streaming methods.
"""

import errno
import itertools
import json
import os
import stat
import uuid

from oslo_config import cfg
from oslo_log import log as logging

from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.services.protection import checksums

try:
    from karbor.services.protection.bank_plugins import _fscopy
except ImportError:
    # Built when the package is installed where a C compiler and
    # xxhash.h are (see setup.py); without it, copies of small objects
    # take the Python path, one object at a time.
    _fscopy = None

try:
    from karbor.services.protection.bank_plugins import _fslist
except ImportError:
    # Built where a C compiler is (see setup.py); without it, listings
    # with sizes walk the directories in Python (_collect_sizes).
    _fslist = None

LOG = logging.getLogger(__name__)

OPTS_GROUP = 'file_system_bank_plugin'
file_system_bank_plugin_opts = [
    cfg.StrOpt('file_system_bank_path',
               help='Directory of the bank. Required.'),
    cfg.StrOpt('bank_object_container',
               default='karbor',
               help='Sub-directory of file_system_bank_path holding the '
                    'objects.'),
    cfg.BoolOpt('file_system_bank_fsync',
                default=False,
                help='Flush every written object to stable storage before '
                     'it replaces the previous version. Slower, but an '
                     'object survives a power loss once written.'),
]

# Temporary files carry a character that bank keys may not contain, so a
# listing can never mistake a half-written object for a real one.
_TMP_MARK = '#tmp-'

# How many directories _path remembers as resolving inside the bank.
_INSIDE_CACHE_SIZE = 4096


def list_opts():
    """Options of this plugin, for the provider configuration reference."""
    return [(OPTS_GROUP, file_system_bank_plugin_opts)]


class FileSystemBankPlugin(bank_plugin.BankPlugin):
    """Bank plugin storing each object as a file.

    Writes go to a temporary file that then replaces the object atomically,
    so a reader sees the old or the new value, never a partial one.

    :param config: the provider file's ``ConfigOpts``.
    :param section: the group holding this bank's options; by default
        ``[file_system_bank_plugin]``, as in upstream provider files. A copy
        destination passes its own ``copy_destination:<name>`` section.
    """

    def __init__(self, config, section=None):
        super().__init__(config, section=section)
        group = section or OPTS_GROUP
        config.register_opts(file_system_bank_plugin_opts, group=group)
        opts = config[group]
        if not opts.file_system_bank_path:
            raise exception.InvalidConfiguration(
                reason='[%s] file_system_bank_path is required by the '
                       'file system bank plugin' % group)
        self._root = os.path.realpath(os.path.join(
            opts.file_system_bank_path, opts.bank_object_container))
        self._fsync = opts.file_system_bank_fsync
        self._owner_id = str(uuid.uuid4())
        # Directories known to resolve inside the root (see _path).
        self._inside = set()
        self._tmp_counter = itertools.count()
        try:
            os.makedirs(self._root, exist_ok=True)
        except OSError as exc:
            raise exception.InvalidConfiguration(
                reason='cannot create the bank directory %s: %s'
                       % (self._root, exc))

    @property
    def root(self):
        """The directory holding the objects."""
        return self._root

    def _path(self, key):
        if _is_plain_key(key):
            # The normal form the Bank wrapper passes: a few substring
            # searches instead of splitting and joining (a copy asks
            # three paths an object).
            path = self._root + key
            directory = path[:path.rindex('/')]
        else:
            parts = [p for p in key.split('/') if p]
            if not parts or any(p in ('.', '..') or _TMP_MARK in p
                                for p in parts):
                raise exception.InvalidBankKey(
                    key=key,
                    reason='the key must name a file inside the bank')
            directory = os.path.join(self._root, *parts[:-1])
            path = os.path.join(directory, parts[-1])
        if directory not in self._inside:
            self._check_inside(key, directory)
        # The object itself is never followed if it is a symbolic link:
        # reads use O_NOFOLLOW, sizes lstat, writes replace the link.
        return path

    def _paths(self, keys):
        """:meth:`_path` of each of ``keys``.

        When every key is plain (see :func:`_is_plain_key`) they are
        checked as one string, and each directory once: a copy asks the
        paths of batches of many small objects.
        """
        try:
            joined = '\n'.join(keys)
        except TypeError:
            joined = None
        if not joined or not _all_plain(joined, len(keys)):
            return [self._path(key) for key in keys]
        root = self._root
        paths = [root + key for key in keys]
        inside = self._inside
        for path in paths:
            directory = path[:path.rindex('/')]
            if directory not in inside:
                self._check_inside(path[len(root):], directory)
        return paths

    def _check_inside(self, key, directory):
        # Symbolic links inside the bank must not lead out of it either.
        # Resolving a path costs a system call per component, so each
        # directory is resolved once; the cache is bounded. A directory
        # swapped for a link after its check goes unnoticed until the
        # cache starts over: whoever can do that can write the bank's
        # files directly anyway.
        real = os.path.realpath(directory)
        if os.path.commonpath([real, self._root]) != self._root:
            raise exception.InvalidBankKey(
                key=key, reason='the key leads outside the bank')
        if len(self._inside) >= _INSIDE_CACHE_SIZE:
            self._inside.clear()
        self._inside.add(directory)

    def _create_temp(self, path):
        # A per-process counter, not a random name: the name only has to
        # be unique among writers, and O_EXCL catches any clash.
        tmp = '%s%s%d-%d' % (path, _TMP_MARK, os.getpid(),
                             next(self._tmp_counter))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        for attempt in range(3):
            try:
                # 0o666 and the umask give the same mode as a plain open().
                return tmp, os.open(tmp, flags, 0o666)
            except FileNotFoundError:
                # The directory is made only when missing: most writes go
                # to an existing one. A concurrent delete may also remove
                # a freshly made, still empty directory; make it again.
                if attempt == 2:
                    raise
                os.makedirs(os.path.dirname(path), exist_ok=True)
            except FileExistsError:
                # Left by a crashed process with the same pid.
                tmp = '%s%s%s' % (path, _TMP_MARK, uuid.uuid4().hex)

    def _store(self, key, chunks, expected_size=None):
        path = self._path(key)
        size = 0
        tmp = None
        try:
            tmp, fd = self._create_temp(path)
            try:
                for chunk in chunks:
                    size += _write_all(fd, chunk)
                if self._fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            bank_plugin.check_stream_size(key, expected_size, size)
            os.replace(tmp, path)
        except BaseException as exc:
            if tmp is not None:
                _remove_quietly(tmp)
            if isinstance(exc, (OSError, ValueError)):
                raise exception.BankUpdateObjectFailed(key=key, reason=exc)
            raise
        return {'size': size}

    def update_object(self, key, value, context=None):
        self._store(key, [bank_plugin.value_to_bytes(value)])

    def put_object_stream(self, key, reader, size=None, context=None):
        return self._store(key, bank_plugin.iter_chunks(reader),
                           expected_size=size)

    def put_copy_object(self, key, reader, size, algorithm, context=None):
        """Write the file in place and hash it back through its descriptor.

        See :meth:`BankPlugin.put_copy_object`. A copy makes many small
        objects, for which a temporary file, a rename and a second open
        for the read-back were a third of the system calls. The file is always
        created afresh (a previous one is unlinked first), so a hard or
        symbolic link at the key never leads the write to other data.
        """
        def write(fd):
            written = 0
            for chunk in bank_plugin.iter_chunks(reader):
                written += _write_all(fd, chunk)
            return written, None
        return self._write_copy(key, size, algorithm, write)

    def put_copy_object_from_file(self, key, fd, size, algorithm,
                                  on_bytes=None, context=None):
        """Copy the file inside the kernel, hashing both sides on the way.

        See :meth:`BankPlugin.put_copy_object_from_file`. ``sendfile``
        moves the bytes from page cache to page cache, where reading them
        into Python and writing them out copies them twice more (on a
        local disk a verified copy of large objects took two to three
        times as long as ``cp``). Unlike ``copy_file_range``, it never
        makes the copy share the source's blocks on file systems that can
        (XFS, Btrfs): a copy kept for disaster recovery holds data of its
        own. Both digests are computed part by part (see
        :func:`_send_file`), so the result carries the source's too.
        Returns None, leaving no object at the key, where the file
        systems do not support it.
        """
        source_digest = []

        def send(out):
            sent, read, stored = _send_file(fd, out, size, algorithm,
                                            on_bytes)
            source_digest.append(read)
            return sent, stored
        try:
            result = self._write_copy(key, size, algorithm, send)
        except _NoInKernelCopy:
            return None
        result[bank_plugin.SOURCE_DIGEST_PREFIX + algorithm] = \
            source_digest[0]
        return result

    def local_file_paths(self, keys, context=None):
        """The objects' files; see :meth:`BankPlugin.local_file_paths`."""
        return self._paths(keys)

    def put_copy_objects_from_paths(self, items, algorithm, context=None):
        """Copy a batch of small files in native code, outside the GIL.

        See :meth:`BankPlugin.put_copy_objects_from_paths`. Each object is
        copied as :meth:`put_copy_object` does it (a fresh file in place,
        read back through its descriptor), by the ``_fscopy`` extension:
        a 16 KiB object costs the interpreter about three times what its
        system calls do, and the batch runs while the mover's other
        threads run theirs. None where the extension is not built, or for
        another algorithm than XXH3-128 (the only one it computes), and
        for objects of more than ``_BATCH_OBJECT_LIMIT`` bytes (it holds
        an object whole in memory, twice).
        """
        if (_fscopy is None or algorithm != checksums.XXH3_128 or
                any(size > _BATCH_OBJECT_LIMIT for _k, _p, size in items)):
            return None
        paths = self._paths([key for key, _source, _size in items])
        batch = [(source, path, size)
                 for (_key, source, size), path in zip(items, paths)]
        results = []
        retried = None
        while len(results) < len(batch):
            done, failure = _fscopy.copy_files(batch[len(results):],
                                               fsync=self._fsync)
            results.extend(done)
            if failure is None:
                break
            index = len(results)
            stage, error, found = failure
            if (stage == 'create' and error == errno.ENOENT and
                    retried != index):
                # Directories are made only when missing, as by
                # _create_in_place; once per object, for a concurrent
                # delete removing one just made.
                retried = index
                self._make_directory(items[index][0], batch[index][1])
                continue
            raise _batch_failure(items[index], stage, error, found)
        return results

    def _make_directory(self, key, path):
        """Make the directory of the object file ``path`` (of ``key``)."""
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        except OSError as exc:
            raise exception.BankUpdateObjectFailed(key=key, reason=exc)

    def _write_copy(self, key, size, algorithm, write):
        # In place, see put_copy_object. write(fd) returns the bytes
        # written and the digest of what the file holds, read back, or
        # None for the file to be read back here.
        path = self._path(key)
        fd = self._create_in_place(key, path)
        try:
            done, digest = write(fd)
            bank_plugin.check_stream_size(key, size, done)
            if self._fsync:
                os.fsync(fd)
            if digest is None:
                done, digest = _hash_file(fd, done, algorithm)
        except BaseException as exc:
            # Leave nothing a later run could take for a whole object.
            _remove_quietly(path)
            if isinstance(exc, (OSError, ValueError)):
                raise exception.BankUpdateObjectFailed(key=key, reason=exc)
            raise
        finally:
            os.close(fd)
        return {'size': done, algorithm: digest}

    def _create_in_place(self, key, path):
        flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW |
                 os.O_CLOEXEC)
        try:
            for _attempt in range(2):
                try:
                    return os.open(path, flags, 0o666)
                except FileExistsError:
                    # Unlinked rather than truncated: it may be a link.
                    _remove_quietly(path)
                except FileNotFoundError:
                    self._make_directory(key, path)
            return os.open(path, flags, 0o666)
        except OSError as exc:
            raise exception.BankUpdateObjectFailed(key=key, reason=exc)

    def _open_fd(self, key):
        """Return a read-only descriptor of the object's file and its size."""
        path = self._path(key)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except (FileNotFoundError, NotADirectoryError):
            raise exception.BankObjectNotFound(key=key)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                # A symbolic link is not an object (listings skip it too).
                raise exception.BankObjectNotFound(key=key)
            raise exception.BankGetObjectFailed(key=key, reason=exc)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise exception.BankObjectNotFound(key=key)
        except BaseException:
            os.close(fd)
            raise
        return fd, info.st_size

    def get_object(self, key, context=None):
        fd, size = self._open_fd(key)
        with _FileReader(fd) as f:
            try:
                data = f.read_all(size)
            except OSError as exc:
                raise exception.BankGetObjectFailed(key=key, reason=exc)
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError:
            return data
        try:
            return json.loads(text)
        except ValueError:
            return text

    def open_object_reader(self, key, context=None):
        fd, size = self._open_fd(key)
        return bank_plugin.ObjectReader(_FileReader(fd), size=size)

    def head_object(self, key, context=None, algorithm=checksums.MD5):
        """Hash the object's file; see :meth:`BankPlugin.head_object`.

        The same as the default, on the bare descriptor: a copy to this
        bank reads every object back this way, and for small objects the
        reader objects of the default cost more than the reading.
        """
        fd, size = self._open_fd(key)
        try:
            done, digest = _hash_file(fd, size, algorithm)
        except OSError as exc:
            raise exception.BankGetObjectFailed(key=key, reason=exc)
        finally:
            os.close(fd)
        return {'size': done, algorithm: digest}

    def get_object_size(self, key, context=None):
        path = self._path(key)
        try:
            info = os.stat(path, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):
            raise exception.BankObjectNotFound(key=key)
        except OSError as exc:
            raise exception.BankGetObjectFailed(key=key, reason=exc)
        if not stat.S_ISREG(info.st_mode):
            raise exception.BankObjectNotFound(key=key)
        return info.st_size

    def delete_object(self, key, context=None):
        path = self._path(key)
        try:
            os.remove(path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise exception.BankDeleteObjectFailed(key=key, reason=exc)
        self._remove_empty_parents(os.path.dirname(path))

    def delete_leftovers(self, prefix, context=None):
        """Remove the temporary files of interrupted writes under ``prefix``.

        A write goes to a temporary file renamed over the object once
        complete; a process killed meanwhile leaves the temporary file,
        which no listing shows. The directories this leaves empty go too.
        """
        directory = self._path(prefix.rstrip('/'))
        if os.path.islink(directory):
            return  # a link out of the bank is not walked
        removed = 0
        # Bottom-up, so that a directory is looked at after its contents;
        # links to directories are not followed.
        for parent, _dirs, names in os.walk(directory, topdown=False):
            for name in names:
                if _TMP_MARK in name:
                    _remove_quietly(os.path.join(parent, name))
                    removed += 1
            try:
                os.rmdir(parent)
            except OSError:
                pass  # not empty: it holds objects
        if removed:
            LOG.info('Removed %(count)d temporary files left by interrupted '
                     'writes under %(prefix)s',
                     {'count': removed, 'prefix': prefix})
        self._remove_empty_parents(os.path.dirname(directory))

    def _remove_empty_parents(self, directory):
        while directory != self._root and directory.startswith(self._root):
            try:
                os.rmdir(directory)
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST,
                                     errno.ENOENT):
                    LOG.warning('Could not remove empty bank directory '
                                '%(dir)s: %(exc)s',
                                {'dir': directory, 'exc': exc})
                return
            directory = os.path.dirname(directory)

    def get_owner_id(self, context=None):
        return self._owner_id

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        if limit is not None and limit <= 0:
            return []
        result = []
        try:
            for key, _entry in self._walk(prefix, sort_dir, marker):
                result.append(key)
                if limit is not None and len(result) >= limit:
                    break
        except OSError as exc:
            raise exception.BankListObjectsFailed(reason=exc)
        return result

    def list_object_sizes(self, prefix=None, context=None):
        """``[(key, size)]`` from the directory entries, no file opened.

        Not walked in order as :meth:`list_objects` does: each directory
        is read once through a descriptor, its files' sizes looked up
        relative to it (not along the whole path again), and the keys
        sorted once at the end, which costs half as much (a copy lists
        every object of a checkpoint this way before it starts). The
        ``_fslist`` extension, where built, walks in native code, in
        half the time again.
        """
        directory, name_prefix, key_base = self._start_of(prefix)
        try:
            if _fslist is not None:
                result = _fslist.list_sizes(directory, name_prefix,
                                            key_base, _TMP_MARK)
            else:
                result = []
                _collect_sizes(directory, name_prefix, key_base, result)
        except OSError as exc:
            raise exception.BankListObjectsFailed(reason=exc)
        # Already in order from _fslist unless names are not UTF-8 (it
        # sorts bytes): then sorting again costs one pass.
        result.sort()
        return result

    def _start_of(self, prefix):
        """``(directory, name prefix, key base)`` of a listing's start.

        The deepest directory ``prefix`` names, so listing one checkpoint
        index never walks the rest of the bank; the start of the names to
        list in it; and the key of that directory, ending in '/'.
        """
        prefix = prefix or '/'
        dir_part, _, name_prefix = prefix.rpartition('/')
        parts = [p for p in dir_part.split('/') if p]
        if any(p in ('.', '..') for p in parts):
            raise exception.InvalidBankKey(key=prefix,
                                           reason='bad path segment')
        directory = os.path.join(self._root, *parts)
        key_base = '/' + '/'.join(parts) + ('/' if parts else '')
        return directory, name_prefix, key_base

    def _walk(self, prefix, sort_dir, marker):
        """Yield (key, directory entry) under ``prefix`` in key order."""
        descending = sort_dir == bank_plugin.SORT_DESC
        directory, name_prefix, key_base = self._start_of(prefix)
        entries = _sorted_entries(directory, name_prefix, key_base,
                                  descending)
        stack = [iter(entries)]
        while stack:
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
                continue
            sort_key, entry, is_dir = item
            if is_dir:
                if marker is not None and _subtree_before_marker(
                        sort_key, marker, descending):
                    continue
                stack.append(iter(_sorted_entries(entry.path, '', sort_key,
                                                  descending)))
                continue
            if marker is not None and (sort_key >= marker if descending
                                       else sort_key <= marker):
                continue
            yield sort_key, entry


def _is_plain_key(key):
    """Whether ``key`` maps to a path by prefixing the root.

    It does when it is absolute, made of non-empty segments none of which
    starts with '.' (so neither '.' nor '..'), and names no temporary file
    (nor holds a newline, see :func:`_all_plain`).
    """
    return _all_plain(key, 1)


def _all_plain(joined, count):
    """Whether ``count`` keys joined by newlines are all plain.

    The conditions of :func:`_is_plain_key`, on the joined string:
    ``count - 1`` newlines, each followed by '/' (so no key holds one, and
    every key is absolute), no key ending in '/', no empty segment, none
    starting with '.', no temporary file's mark.
    """
    return (joined[:1] == '/' and joined[-1:] != '/' and
            joined.count('\n') == count - 1 and
            joined.count('\n/') == count - 1 and '/\n' not in joined and
            '//' not in joined and '/.' not in joined and
            _TMP_MARK not in joined)


def _subtree_before_marker(dir_key, marker, descending):
    # dir_key ends with '/'; every key of the subtree starts with it.
    if marker.startswith(dir_key):
        return False
    return marker <= dir_key if descending else marker > dir_key


# A directory that is gone, or was swapped for something else, between
# being listed and being opened: nothing to list in it.
_GONE_ERRNOS = frozenset((errno.ENOENT, errno.ENOTDIR, errno.ELOOP))


def _collect_sizes(path, name_prefix, key_base, result, dir_fd=None):
    """Append ``(key, size)`` of the files under a directory to ``result``.

    ``path`` is relative to ``dir_fd`` when given (a subdirectory, then
    not followed if it became a symbolic link), else the start of the
    listing. Unordered; symbolic links and temporary files are skipped,
    as by :func:`_sorted_entries`.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
    if dir_fd is not None:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in _GONE_ERRNOS:
            return
        raise
    try:
        directories = []
        with os.scandir(fd) as scanner:
            for entry in scanner:
                name = entry.name
                if _TMP_MARK in name or not name.startswith(name_prefix):
                    continue
                if entry.is_file(follow_symlinks=False):
                    try:
                        size = entry.stat(follow_symlinks=False).st_size
                    except FileNotFoundError:
                        # Deleted since the directory was read.
                        continue
                    result.append((key_base + name, size))
                elif entry.is_dir(follow_symlinks=False):
                    directories.append(name)
        for name in directories:
            _collect_sizes(name, '', key_base + name + '/', result,
                           dir_fd=fd)
    finally:
        os.close(fd)


def _sorted_entries(directory, name_prefix, key_base, descending):
    """Entries of ``directory`` as (key or key prefix, entry, is_dir).

    Directories sort by their name plus '/', which is exactly where every
    key inside them falls among the files' keys.
    """
    entries = []
    try:
        scanner = os.scandir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return entries
    with scanner:
        for entry in scanner:
            name = entry.name
            if _TMP_MARK in name or not name.startswith(name_prefix):
                continue
            if entry.is_dir(follow_symlinks=False):
                entries.append((key_base + name + '/', entry, True))
            elif entry.is_file(follow_symlinks=False):
                entries.append((key_base + name, entry, False))
    entries.sort(key=lambda e: e[0], reverse=descending)
    return entries


class _FileReader:
    """Reads of a file descriptor, with no buffer or io object between.

    ``read`` is ``os.read``; the descriptor is closed by ``close``, or
    when the reader is collected.
    """

    __slots__ = ('_fd',)

    def __init__(self, fd):
        self._fd = fd

    def read(self, size=-1):
        if size is None or size < 0:
            return self.read_all()
        return os.read(self._fd, size)

    def fileno(self):
        if self._fd < 0:
            raise ValueError('the reader is closed')
        return self._fd

    def read_all(self, size_hint=0):
        # One read of the expected size (plus one byte to see the end)
        # for most files, more reads for one that grew.
        chunks = []
        want = size_hint + 1
        while True:
            chunk = os.read(self._fd, want)
            if not chunk:
                return b''.join(chunks)
            if not chunks and len(chunk) == size_hint:
                # Short of the byte asked beyond the expected size.
                return chunk
            chunks.append(chunk)
            want = bank_plugin.CHUNK_SIZE

    def close(self):
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        self.close()


def _hash_file(fd, size, algorithm):
    """``(size, hex digest)`` of the file open at ``fd``, read from 0.

    ``size`` is what the file is expected to hold: the reads go to one
    buffer of a chunk, or of the size plus one byte for a smaller file,
    so the file's end is normally seen without a last read returning
    nothing, and a file that grew is read whole. The buffer is reused: a
    new one per read, as ``os.pread`` makes, made hashing a copy's large
    objects back a tenth slower.
    """
    digest = checksums.new(algorithm)
    buffer = bytearray(bank_plugin.next_read_size(
        bank_plugin.HASH_CHUNK_SIZE, size))
    with memoryview(buffer) as view:
        done = 0
        while True:
            count = os.preadv(fd, [buffer], done)
            if not count:
                break
            digest.update(view[:count])
            done += count
            if done == size and count < len(buffer):
                break
    return done, digest.hexdigest()


# What sendfile moves at a time (see _send_file), between two progress
# reports and rate-limit draws. Small enough for a part to stay in the
# CPU's cache between being sent and read back.
_SEND_PART = 256 * 1024

# sendfile's errors meaning "not between these two files" rather than a
# failed write.
_NO_SENDFILE_ERRNOS = frozenset((errno.EINVAL, errno.ENOSYS,
                                 errno.EOPNOTSUPP))


class _NoInKernelCopy(Exception):
    """sendfile cannot copy between these files (nothing was copied)."""


def _send_file(source, out, size, algorithm, on_bytes=None):
    """Copy ``source`` to ``out`` with ``sendfile``, hashing both sides.

    Part by part: a part is read from ``source`` and hashed, sent, then
    read back from ``out`` and hashed. The last two find the part in the
    CPU's cache; hashing each whole file after the copy read both from
    memory again (measured on tmpfs: a fifth slower). The source's digest
    is of the bytes read: a source that changed between the read and the
    send of a part makes the two digests differ.

    Reads ask for one byte beyond ``size``, so a source that grew is
    copied with it and the caller finds the size wrong.

    :returns: ``(bytes sent, source digest, stored digest)``.
    :raises _NoInKernelCopy: the first part cannot be sent at all.
    """
    read_digest = checksums.new(algorithm)
    stored_digest = checksums.new(algorithm)
    buffer = bytearray(min(_SEND_PART, size + 1))
    sent = 0
    with memoryview(buffer) as view:
        while sent <= size:
            count = os.preadv(source, [view[:size + 1 - sent]], sent)
            if not count:
                break
            read_digest.update(view[:count])
            part = _send_part(source, out, sent, count)
            stored_digest.update(view[:os.preadv(out, [view[:part]], sent)])
            sent += part
            if on_bytes is not None:
                on_bytes(part)
            if part < count:
                # The source shrank since it was read: the digests differ.
                break
    return sent, read_digest.hexdigest(), stored_digest.hexdigest()


def _send_part(source, out, offset, count):
    """Send ``count`` bytes of ``source`` from ``offset``; the count sent.

    Fewer only when ``source`` ended first.
    """
    done = 0
    while done < count:
        try:
            sent = os.sendfile(out, source, offset + done, count - done)
        except OSError as exc:
            if offset + done == 0 and exc.errno in _NO_SENDFILE_ERRNOS:
                raise _NoInKernelCopy() from exc
            raise
        if not sent:
            break
        done += sent
    return done


# The largest object put_copy_objects_from_paths takes: the bank mover
# batches objects of less than its chunk (a megabyte by default).
_BATCH_OBJECT_LIMIT = 8 * 1024 * 1024

# The _fscopy stages that concern the source file.
_SOURCE_STAGES = frozenset(('open source', 'read source', 'source size'))


def _batch_failure(item, stage, error, found):
    """The bank exception for an object ``_fscopy`` could not copy."""
    key, source, size = item
    if stage == 'source size':
        reason = '%s holds %d bytes, not %d' % (source, found, size)
    elif stage == 'stored size':
        reason = 'wrote %d bytes, read %d back' % (size, found)
    else:
        reason = '%s: %s' % (stage, os.strerror(error))
    if stage in _SOURCE_STAGES:
        return exception.BankGetObjectFailed(key=key, reason=reason)
    return exception.BankUpdateObjectFailed(key=key, reason=reason)


def _write_all(fd, data):
    # os.write may write less than it is given (a signal, a full disk
    # reached mid-way); the rest is written or the error raised.
    written = os.write(fd, data)
    if written < len(data):
        with memoryview(data) as view:
            while written < len(data):
                written += os.write(fd, view[written:])
    return written


def _remove_quietly(path):
    try:
        os.remove(path)
    except OSError:
        pass
