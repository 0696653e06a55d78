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

"""Move the objects of one bank section to another, verifying each.

:func:`copy_section` is what plugins keeping their backup data in the bank
use to copy it to a copy destination. It lists the source section, learns
every object's size (so the totals are known before any byte moves), then
copies the objects on a bounded number of threads. Each object is
streamed in fixed-size chunks, hashed on the way, and written with the
destination's ``put_copy_object``, which returns the digest of what it now
holds: the one its back-end computed and keeps (the MD5 of S3 and Swift)
or, for a destination that keeps none (a file system), the digest of the
object read back from it. The algorithm is the destination's own where
it has one, else XXH3-128 (see :mod:`karbor.services.protection.checksums`).
An object of at least a chunk whose source is a local file (a file-system
bank) is first offered to the destination's ``put_copy_object_from_file``,
which a file-system destination implements by copying inside the kernel,
hashing both sides on the way; the source is hashed by its own bank after
the copy when the destination did not.
Small objects (a checkpoint of many, see ``SMALL_OBJECT_SIZE``) whose source
bank gives their local files are offered to the destination in batches,
with ``put_copy_objects_from_paths``: a file-system destination copies a
batch in native code, outside the GIL, on two workers at once (see
``BATCH_MAX_WORKERS``).
An object the destination already holds with the same size and checksum
is skipped, so running a copy again after a failure or a crash moves only
what is missing or wrong.

Memory is bounded by the number of workers times the chunk size, whatever
the size of the objects. The source section is only ever read.
"""

import dataclasses
import threading
import time

from oslo_log import log as logging

from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.services.protection import checksums

LOG = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 1024 * 1024
DEFAULT_MAX_WORKERS = 4

# Below this average object size, objects move in batches where both
# banks can (see _units), else on one thread: moving a small object one
# at a time is Python work under the GIL, which more threads only fight
# over (measured: 16 KiB objects copy 40% faster on one thread than on
# four). Large objects spend their time hashing and in I/O, which release
# the GIL, so they use every worker.
SMALL_OBJECT_SIZE = 256 * 1024


class RateLimit:
    """Caps the average rate of the transfers that draw on it.

    One instance is shared by every transfer it limits: the workers of a
    copy, and all the copies to one destination. Each :meth:`consume`
    reserves the next stretch of time its bytes take at the rate and waits
    until that stretch begins, so over any period the bytes let through
    exceed ``rate * period`` by at most one chunk per caller. Time left
    unused is not saved up: after a pause, transfers resume at the rate,
    not faster.

    :param bytes_per_second: the rate; must be positive.
    """

    def __init__(self, bytes_per_second, clock=time.monotonic,
                 sleep=time.sleep):
        if bytes_per_second <= 0:
            raise ValueError('the rate must be positive')
        self.bytes_per_second = float(bytes_per_second)
        self._lock = threading.Lock()
        self._next = None
        self._clock = clock
        self._sleep = sleep

    def consume(self, nbytes):
        """Wait until ``nbytes`` more may go, and count them as gone."""
        with self._lock:
            now = self._clock()
            start = now if self._next is None else max(now, self._next)
            self._next = start + nbytes / self.bytes_per_second
        if start > now:
            self._sleep(start - now)


@dataclasses.dataclass
class MoveStats:
    """Counters of a section copy.

    ``objects_done`` and ``bytes_done`` include the skipped objects;
    ``objects_copied`` and ``bytes_copied`` count only what was written.
    """

    objects_total: int = 0
    objects_done: int = 0
    objects_copied: int = 0
    objects_skipped: int = 0
    bytes_total: int = 0
    bytes_done: int = 0
    bytes_copied: int = 0

    def to_dict(self):
        """The counters as a plain dict (for operation logs)."""
        return dataclasses.asdict(self)


class _Counters:
    """MoveStats shared by the worker threads, behind a lock.

    One method per event, each a few additions: they run for every chunk
    and every object, and a generic "add these fields" costs more than
    moving a small object's bytes does.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._stats = MoveStats()

    def set_totals(self, objects, nbytes):
        with self._lock:
            self._stats.objects_total = objects
            self._stats.bytes_total = nbytes

    def bytes_copied(self, nbytes):
        with self._lock:
            self._stats.bytes_done += nbytes
            self._stats.bytes_copied += nbytes

    def object_copied(self):
        with self._lock:
            self._stats.objects_done += 1
            self._stats.objects_copied += 1

    def batch_copied(self, objects, nbytes):
        with self._lock:
            self._stats.objects_done += objects
            self._stats.objects_copied += objects
            self._stats.bytes_done += nbytes
            self._stats.bytes_copied += nbytes

    def object_skipped(self, nbytes):
        with self._lock:
            self._stats.objects_done += 1
            self._stats.objects_skipped += 1
            self._stats.bytes_done += nbytes

    def snapshot(self):
        with self._lock:
            return dataclasses.replace(self._stats)


def _checksum(section, key, algorithm, context=None):
    """The (size, digest) ``section`` reports for ``key``, None if absent."""
    try:
        head = section.head_object(key, context=context, algorithm=algorithm)
    except exception.BankObjectNotFound:
        return None
    return head['size'], head.get(algorithm)


class _Mover:
    def __init__(self, source, destination, chunk_size, counters, context,
                 what, where, rate_limit=None):
        self._source = source
        self._rate_limit = rate_limit
        self._destination = destination
        # The destination's own checksum when it keeps one: then its
        # digest of what it stored costs no read.
        self._algorithm = (destination.stored_checksum or
                           checksums.DEFAULT)
        # {key: size} of what the destination held when the copy started.
        self._present = {}
        self._chunk_size = chunk_size
        self._counters = counters
        self._context = context
        self._what = what
        self._where = where

    def set_present(self, sizes):
        self._present = dict(sizes)

    def failure(self, reason):
        return exception.CopyFailed(checkpoint_id=self._what,
                                    destination=self._where, reason=reason)

    def _already_there(self, key, size):
        # Cheapest checks first: the destination listing taken at the
        # start, with sizes; only an object of the right size has both
        # sides' digests computed (which may mean reading both).
        if self._present.get(key) != size:
            return False
        try:
            present = _checksum(self._destination, key, self._algorithm,
                                context=self._context)
        except exception.KarborException as exc:
            # An unreadable destination object is rewritten, not trusted.
            LOG.warning('Cannot check %(key)s at the destination, copying '
                        'it again: %(exc)s', {'key': key, 'exc': exc})
            return False
        if present is None or present[0] != size or present[1] is None:
            return False
        return self._source_digest(key) == present[1]

    def _source_digest(self, key):
        try:
            source = self._source.head_object(key, context=self._context,
                                              algorithm=self._algorithm)
        except exception.KarborException as exc:
            raise self.failure('cannot read source object %s: %s'
                               % (key, exc))
        return source.get(self._algorithm)

    def _chunks(self, key, reader, digest):
        read = reader.read
        while True:
            try:
                chunk = read(self._chunk_size)
            except OSError as exc:
                raise self.failure('cannot read source object %s: %s'
                                   % (key, exc))
            if not chunk:
                return
            digest.update(chunk)
            self._sent(len(chunk))
            yield chunk

    def move(self, key, size):
        """Copy one object unless the destination already has it."""
        try:
            self._move(key, size)
        except exception.CopyFailed:
            raise
        except Exception as exc:
            # Third-party bank plugins may raise anything; the caller is
            # promised CopyFailed with the reason.
            LOG.exception('Unexpected failure copying %s', key)
            raise self.failure('copying object %s: %s' % (key, exc))

    def _move(self, key, size):
        if self._already_there(key, size):
            self._counters.object_skipped(size)
            return
        try:
            reader = self._source.open_object_reader(key,
                                                     context=self._context)
        except exception.KarborException as exc:
            raise self.failure('cannot read source object %s: %s'
                               % (key, exc))
        try:
            with reader:
                copied = None
                if size >= self._chunk_size:
                    copied = self._copy_local_file(key, reader, size)
                if copied is None:
                    copied = self._stream(key, reader, size)
        except exception.CopyFailed:
            raise
        except exception.KarborException as exc:
            raise self.failure('cannot write object %s: %s' % (key, exc))
        expected, stored = copied
        self._verify(key, expected, stored.get(self._algorithm))
        self._counters.object_copied()

    def _stream(self, key, reader, size):
        # The bytes pass through here, hashed on their way.
        digest = checksums.new(self._algorithm)
        stored = self._destination.put_copy_object(
            key, self._chunks(key, reader, digest), size, self._algorithm,
            context=self._context)
        return digest.hexdigest(), stored

    def _copy_local_file(self, key, reader, size):
        # A large object in a local file: the destination may copy it
        # without the bytes passing through Python. The source is then
        # hashed after the copy, by its bank: a source that changed
        # meanwhile shows as a mismatch, never as a good copy.
        fileno = getattr(reader, 'fileno', None)
        if fileno is None:
            return None
        try:
            fd = fileno()
        except (OSError, ValueError):
            # io.UnsupportedOperation: not a local file.
            return None
        stored = self._destination.put_copy_object_from_file(
            key, fd, size, self._algorithm, on_bytes=self._sent,
            context=self._context)
        if stored is None:
            return None
        read = stored.get(bank_plugin.SOURCE_DIGEST_PREFIX + self._algorithm)
        if read is None:
            read = self._source_digest(key)
        return read, stored

    def copies_in_batches(self, sizes):
        """Whether both banks can copy these objects in batches.

        The source must give its objects' local files, and the
        destination accept them (asked with an empty batch).
        """
        if not sizes:
            return False
        try:
            if self._source.local_file_paths(
                    [sizes[0][0]], context=self._context) is None:
                return False
            return self._destination.put_copy_objects_from_paths(
                [], self._algorithm, context=self._context) is not None
        except exception.KarborException:
            # Each object's own copy will say what is wrong with it.
            return False

    def move_batch(self, items):
        """Copy several small ``(key, size)`` objects in one batch.

        Those the destination may already hold are checked and moved one
        by one, as :meth:`move` does.
        """
        present = self._present
        if present:
            todo = []
            for key, size in items:
                if present.get(key) == size:
                    self.move(key, size)
                else:
                    todo.append((key, size))
            items = todo
            if not items:
                return
        keys = [key for key, _size in items]
        try:
            paths = self._source.local_file_paths(keys,
                                                  context=self._context)
        except exception.KarborException as exc:
            raise self.failure('cannot read a source object: %s' % exc)
        if paths is None or len(paths) != len(keys):
            raise self.failure('the source has no local file for some '
                               'objects')
        batch = [(key, path, size)
                 for (key, size), path in zip(items, paths)]
        nbytes = sum(size for _key, size in items)
        if self._rate_limit is not None:
            self._rate_limit.consume(nbytes)
        try:
            results = self._destination.put_copy_objects_from_paths(
                batch, self._algorithm, context=self._context)
        except exception.BankGetObjectFailed as exc:
            raise self.failure('cannot read a source object: %s' % exc)
        except exception.KarborException as exc:
            raise self.failure('cannot write an object: %s' % exc)
        except Exception as exc:
            LOG.exception('Unexpected failure copying a batch of objects')
            raise self.failure('copying objects: %s' % exc)
        if results is None or len(results) != len(batch):
            # The destination answered the empty batch but not this one.
            raise self.failure('the destination copied %s of a batch of %d '
                               'objects' % (None if results is None
                                            else len(results), len(batch)))
        wrong = [(key, expected, stored) for (key, _path, _size),
                 (expected, stored) in zip(batch, results)
                 if expected != stored]
        if wrong:
            # Every wrong object of the batch goes, not just the first.
            for key, _expected, _stored in wrong[1:]:
                self._discard(key)
            self._verify(*wrong[0])
        self._counters.batch_copied(len(batch), nbytes)

    def _sent(self, nbytes):
        if self._rate_limit is not None:
            self._rate_limit.consume(nbytes)
        self._counters.bytes_copied(nbytes)

    def _discard(self, key):
        # Never leave bad data behind: a later run must not skip it.
        try:
            self._destination.delete_object(key, context=self._context)
        except exception.KarborException:
            LOG.exception('Could not delete corrupted object %s at the '
                          'destination', key)

    def _verify(self, key, expected, actual):
        if actual == expected:
            return
        self._discard(key)
        raise exception.ChecksumMismatch(
            key=key, algorithm=self._algorithm, expected=expected,
            actual=actual, checkpoint_id=self._what, destination=self._where)


def copy_section(source, destination, progress=None,
                 max_workers=DEFAULT_MAX_WORKERS,
                 chunk_size=DEFAULT_CHUNK_SIZE, context=None,
                 what=None, where=None, rate_limit=None):
    """Copy every object of ``source`` to the same key in ``destination``.

    :param source: the :class:`BankSection` to read; never written.
    :param destination: the :class:`BankSection` to write.
    :param progress: an optional callable given a :class:`MoveStats`
        snapshot with the totals as the first objects move, then every
        ``PROGRESS_INTERVAL`` seconds while objects move, and at the end.
        It is called from the calling thread, so it needs no locking; it
        should return quickly (throttle writes on its side).
    :param max_workers: the number of objects moved at once (one when the
        objects are small on average, see ``SMALL_OBJECT_SIZE``, at most
        ``BATCH_MAX_WORKERS`` batches when they move in batches).
    :param chunk_size: the bytes read and written at a time.
    :param context: the request context, passed to the banks.
    :param what: names the data being copied in errors (e.g. a
        checkpoint id); defaults to the source section.
    :param where: names the destination in errors; defaults to the
        destination section.
    :param rate_limit: an optional :class:`RateLimit` every byte written
        draws on (a destination's ``bandwidth_limit``).
    :returns: the final :class:`MoveStats`.
    :raises karbor.exception.ChecksumMismatch: when the destination does
        not hold what was read (the bad object is deleted).
    :raises karbor.exception.CopyFailed: when the source cannot be read or
        the destination cannot be written, with the reason.
    """
    if max_workers < 1 or chunk_size < 1:
        raise ValueError('max_workers and chunk_size must be positive')
    # A read-only view: the mover cannot write the source even by mistake.
    source = source.get_sub_section('/', is_writable=False)
    counters = _Counters()
    mover = _Mover(source, destination, chunk_size, counters, context,
                   what or source.section, where or destination.section,
                   rate_limit=rate_limit)
    # One listing of each side, with sizes: no request per object, and
    # no pages (a page after a marker costs some banks a new scan of the
    # whole section, which made listing quadratic).
    try:
        sizes = source.list_object_sizes(context=context)
    except Exception as exc:
        raise mover.failure('cannot list the source: %s' % exc)
    try:
        mover.set_present(destination.list_object_sizes(context=context))
    except Exception as exc:
        raise mover.failure('cannot list the destination: %s' % exc)
    bytes_total = sum(size for _key, size in sizes)
    counters.set_totals(len(sizes), bytes_total)
    batch_bytes = 0
    if sizes and bytes_total / len(sizes) < SMALL_OBJECT_SIZE:
        if mover.copies_in_batches(sizes):
            # A limited copy draws on its limit about a chunk at a time.
            batch_bytes = chunk_size * (1 if rate_limit else BATCH_CHUNKS)
            max_workers = min(max_workers, BATCH_MAX_WORKERS)
        else:
            max_workers = 1
    _run(mover, sizes, max_workers, progress, counters, batch_bytes,
         chunk_size)
    return counters.snapshot()


def _report(progress, counters):
    if progress is not None:
        progress(counters.snapshot())


# While objects move, progress is reported at most this often (seconds),
# and once more at the end.
PROGRESS_INTERVAL = 0.1


# The most objects a batch holds, and the most bytes in chunks (see
# _units).
MAX_BATCH_OBJECTS = 256
BATCH_CHUNKS = 4

# Batches are copied outside the GIL, but each is prepared and checked
# under it, about an eighth of its time: with more workers than that
# leaves room for, they queue for the GIL. Measured on two cores with
# 20,000 objects of 16 KiB: four workers took 390 ms, 35 to 70 of them
# each waiting for the GIL; two workers with batches four times larger
# took 310 ms, 5 to 15 waiting.
BATCH_MAX_WORKERS = 2


def _units(sizes, batch_bytes, alone_from=None):
    """What the workers take in turn: ``(key, size)``, or a batch.

    Without ``batch_bytes``, each object alone. With it, objects smaller
    than ``alone_from`` (default: ``batch_bytes``) go in lists of up to
    ``batch_bytes`` bytes (or :data:`MAX_BATCH_OBJECTS` objects), which
    the destination copies a batch at a time; larger objects still go
    alone.
    """
    if not batch_bytes:
        yield from sizes
        return
    if alone_from is None:
        alone_from = batch_bytes
    batch = []
    nbytes = 0
    for item in sizes:
        if item[1] >= alone_from:
            yield item
            continue
        batch.append(item)
        nbytes += item[1]
        if nbytes >= batch_bytes or len(batch) >= MAX_BATCH_OBJECTS:
            yield batch
            batch = []
            nbytes = 0
    if batch:
        yield batch


def _run(mover, sizes, max_workers, progress, counters, batch_bytes=0,
         alone_from=None):
    # Each worker takes the next unit from a shared iterator until none
    # is left or one of them failed: no future per object, which would
    # cost more than moving a small object.
    units = _units(sizes, batch_bytes, alone_from)
    units_lock = threading.Lock()
    failed = threading.Event()
    errors = []

    def next_unit():
        with units_lock:
            return next(units, None)

    def work():
        while not failed.is_set():
            unit = next_unit()
            if unit is None:
                return
            try:
                if isinstance(unit, list):
                    mover.move_batch(unit)
                else:
                    mover.move(*unit)
            except BaseException as exc:
                errors.append(exc)
                failed.set()
                return

    workers = [threading.Thread(target=work, name='bank-mover-%d' % n,
                                daemon=True)
               for n in range(min(max_workers, len(sizes)))]
    for worker in workers:
        worker.start()
    # The totals are reported while the first objects move: writing them
    # (a database transaction, an index in the destination bank) need not
    # hold the copy back.
    _report(progress, counters)
    for worker in workers:
        while worker.is_alive():
            worker.join(PROGRESS_INTERVAL)
            _report(progress, counters)
    if errors:
        raise errors[0]
    _report(progress, counters)
