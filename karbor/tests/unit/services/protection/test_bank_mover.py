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

"""Tests of the bank mover between two real file-system banks."""

import errno
import hashlib
import os
import threading
import time
import tracemalloc
from unittest import mock

import ddt
from oslo_config import cfg

from karbor import exception
from karbor.services.protection import bank_mover
from karbor.services.protection import bank_plugin
from karbor.services.protection.bank_plugins import file_system_bank_plugin
from karbor.services.protection import checksums
from karbor.tests import base
from karbor.tests.fixtures import services

MIB = 1024 * 1024
SECTION = '/checkpoints/c1/resource-data/r1'


def fs_bank(directory, plugin_class=None):
    """A real file-system Bank in ``directory``."""
    conf_path = directory + '.conf'
    with open(conf_path, 'w') as f:
        f.write('[file_system_bank_plugin]\nfile_system_bank_path = %s\n'
                % directory)
    config = cfg.ConfigOpts()
    config(args=[], default_config_files=[conf_path], default_config_dirs=[],
           use_env=False)
    cls = plugin_class or file_system_bank_plugin.FileSystemBankPlugin
    return bank_plugin.Bank(cls(config))


def pattern(size, seed=0, chunk=MIB):
    """Yield ``size`` bytes of a repeatable pattern, chunk by chunk."""
    block = bytes((seed + i) % 251 for i in range(4096)) * (chunk // 4096)
    remaining = size
    while remaining > 0:
        piece = block[:min(len(block), remaining)]
        yield piece
        remaining -= len(piece)


def _corrupt(chunks):
    """The chunks, with the first byte changed."""
    first = True
    for chunk in chunks:
        if first and chunk:
            chunk = bytes([chunk[0] ^ 0xff]) + chunk[1:]
            first = False
        yield chunk


class WrongBytesPlugin(file_system_bank_plugin.FileSystemBankPlugin):
    """Stores every copied object with its first byte changed.

    The file-system plugin's own read-back then reports the digest of the
    corrupt bytes, which is what a copy must catch.
    """

    def put_copy_object(self, key, reader, size, algorithm, context=None):
        return super().put_copy_object(
            key, _corrupt(bank_plugin.iter_chunks(reader)), size, algorithm,
            context=context)

    def put_copy_objects_from_paths(self, items, algorithm, context=None):
        results = super().put_copy_objects_from_paths(items, algorithm,
                                                      context=context)
        if results is None:
            return None
        corrupt = []
        for (key, _source, _size), (read, _stored) in zip(items, results):
            with open(self._path(key), 'r+b') as f:
                data = b''.join(_corrupt([f.read()]))
                f.seek(0)
                f.write(data)
            corrupt.append((read, checksums.of_chunks([data],
                                                      algorithm)[1]))
        return corrupt


class KeptMd5Plugin(file_system_bank_plugin.FileSystemBankPlugin):
    """Keeps an MD5 per object as S3 and Swift do, and counts its reads.

    Copies write through :meth:`put_object_stream` as the base class's
    ``put_copy_object`` does, which the S3 and Swift plugins use.
    """

    stored_checksum = 'md5'
    put_copy_object = bank_plugin.BankPlugin.put_copy_object

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.digests = {}
        self.reads = 0

    def put_object_stream(self, key, reader, size=None, context=None):
        md5 = hashlib.md5()

        def hashed(chunks):
            for chunk in chunks:
                md5.update(chunk)
                yield chunk
        result = super().put_object_stream(
            key, hashed(bank_plugin.iter_chunks(reader)), size=size,
            context=context)
        self.digests[key] = md5.hexdigest()
        return dict(result, md5=self.digests[key])

    def head_stored_checksum(self, key, context=None):
        return {'size': self.get_object_size(key),
                'md5': self.digests.get(key)}

    def open_object_reader(self, key, context=None):
        self.reads += 1
        return super().open_object_reader(key, context=context)


class WrongBytesKeptMd5Plugin(KeptMd5Plugin):
    """Corrupts what it stores, and keeps the MD5 of the corrupt bytes."""

    def put_object_stream(self, key, reader, size=None, context=None):
        return super().put_object_stream(
            key, _corrupt(bank_plugin.iter_chunks(reader)), size=size,
            context=context)


class _BrokenReader:
    def __init__(self, reader):
        self._reader = reader
        self._reads = 0

    def read(self, size=-1):
        self._reads += 1
        if self._reads > 1:
            raise OSError(5, 'Input/output error')
        return self._reader.read(size)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._reader.close()


class UnreadablePlugin(file_system_bank_plugin.FileSystemBankPlugin):
    """Fails reading any object after its first chunk."""

    def open_object_reader(self, key, context=None):
        return _BrokenReader(super().open_object_reader(key, context))


class _Stream:
    """A reader with no descriptor, as a network back-end's."""

    def __init__(self, reader):
        self._reader = reader

    def read(self, size=-1):
        return self._reader.read(size)

    def close(self):
        self._reader.close()


class StreamOnlyPlugin(file_system_bank_plugin.FileSystemBankPlugin):
    """Its objects are not local files to the mover (like S3's)."""

    local_file_paths = bank_plugin.BankPlugin.local_file_paths

    def open_object_reader(self, key, context=None):
        return bank_plugin.ObjectReader(
            _Stream(super().open_object_reader(key, context)))


class FullDiskPlugin(file_system_bank_plugin.FileSystemBankPlugin):
    """Refuses every copied object, like a full destination."""

    def put_copy_object(self, key, reader, size, algorithm, context=None):
        raise exception.BankUpdateObjectFailed(key=key,
                                               reason='No space left')

    def put_copy_objects_from_paths(self, items, algorithm, context=None):
        if not items:
            return []
        raise exception.BankUpdateObjectFailed(key=items[0][0],
                                               reason='No space left')


def require_batches():
    """Skip (fail in CI) where the _fscopy extension is not built."""
    if file_system_bank_plugin._fscopy is None:
        services.unavailable('the _fscopy extension is not built (it needs '
                             'a C compiler and libxxhash-dev)')


class BanksTestCase(base.TestCase):
    """Two real file-system banks, a source and a destination.

    Small objects move one at a time, as with any bank, unless
    ``batches`` is set: then between these banks they move in batches.
    """

    batches = False

    def setUp(self):
        super().setUp()
        if self.batches:
            require_batches()
        else:
            self.patch(file_system_bank_plugin, '_fscopy', None)
        self.source_bank = fs_bank(os.path.join(self.state_path, 'src'))
        self.destination_bank = fs_bank(os.path.join(self.state_path, 'dst'))
        self.source = self.source_bank.get_sub_section(SECTION)
        self.destination = self.destination_bank.get_sub_section(SECTION)

    def _spy(self, name):
        """Record the calls of the destination plugin's method ``name``."""
        plugin = self.destination_bank.plugin
        spy = mock.patch.object(plugin, name, autospec=True,
                                side_effect=getattr(plugin, name))
        self.addCleanup(spy.stop)
        return spy.start()

    def _fill(self, count, size=1000):
        objects = {}
        for i in range(count):
            key = 'sub%d/data_%04d' % (i % 3, i)
            data = os.urandom(size + i)
            self.source.update_object(key, data)
            objects[key] = data
        return objects

    def _destination_objects(self):
        return {key: self.destination.open_object_reader(key).read()
                for key in self.destination.list_objects()}

    def _source_files(self):
        root = os.path.join(self.state_path, 'src')
        result = {}
        for directory, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(directory, name)
                with open(path, 'rb') as f:
                    result[path] = (os.stat(path).st_mtime_ns,
                                    hashlib.md5(f.read()).hexdigest())
        return result


class BankMoverTest(BanksTestCase):

    def test_many_small_objects_each_bank_listed_once(self):
        # A listing page after a marker makes the file-system bank scan
        # the whole directory again: paging made copies quadratic. And
        # the listing carries the sizes: no request per object for them.
        objects = self._fill(25)
        records = []
        plugin_class = type(self.source.bank.plugin)
        with mock.patch.object(
                plugin_class, 'list_object_sizes', autospec=True,
                side_effect=plugin_class.list_object_sizes) as ls, \
                mock.patch.object(plugin_class, 'get_object_size',
                                  autospec=True) as size:
            stats = bank_mover.copy_section(self.source, self.destination,
                                            progress=records.append)
        self.assertEqual(2, ls.call_count)
        size.assert_not_called()
        self.assertEqual(objects, self._destination_objects())
        total = sum(len(d) for d in objects.values())
        self.assertEqual(bank_mover.MoveStats(
            objects_total=25, objects_done=25, objects_copied=25,
            objects_skipped=0, bytes_total=total, bytes_done=total,
            bytes_copied=total), stats)
        self.assertEqual(stats, records[-1])

    def test_progress_is_monotonic_with_totals_in_every_report(self):
        objects = self._fill(12)
        total = sum(len(d) for d in objects.values())
        records = []
        stats = bank_mover.copy_section(self.source, self.destination,
                                        progress=records.append,
                                        max_workers=3)
        first = records[0]
        # Made as the first objects move: some may be done already.
        self.assertEqual((12, total), (first.objects_total,
                                       first.bytes_total))
        first_done = first.objects_done
        for before, after in zip(records, records[1:]):
            self.assertLessEqual(before.objects_done, after.objects_done)
            self.assertLessEqual(before.bytes_done, after.bytes_done)
            self.assertEqual((12, total), (after.objects_total,
                                           after.bytes_total))
        # With the totals as objects start moving, and at the end.
        self.assertGreaterEqual(len(records), 2)
        self.assertEqual(12, records[-1].objects_done)
        self.assertEqual(stats, records[-1])
        # Snapshots are copies: later progress does not change them.
        self.assertEqual(first_done, first.objects_done)

    def test_second_run_skips_everything(self):
        objects = self._fill(10)
        bank_mover.copy_section(self.source, self.destination)
        with mock.patch.object(self.destination_bank.plugin,
                               'put_copy_object', autospec=True) as put:
            stats = bank_mover.copy_section(self.source, self.destination)
        put.assert_not_called()
        total = sum(len(d) for d in objects.values())
        self.assertEqual((0, 0, 10, 10, total),
                         (stats.bytes_copied, stats.objects_copied,
                          stats.objects_skipped, stats.objects_done,
                          stats.bytes_done))

    def test_partial_destination_copies_only_the_missing(self):
        objects = self._fill(8)
        present = sorted(objects)[:5]
        for key in present:
            self.destination.update_object(key, objects[key])
        stats = bank_mover.copy_section(self.source, self.destination)
        missing = sorted(objects)[5:]
        self.assertEqual(3, stats.objects_copied)
        self.assertEqual(5, stats.objects_skipped)
        self.assertEqual(sum(len(objects[k]) for k in missing),
                         stats.bytes_copied)
        self.assertEqual(objects, self._destination_objects())

    def test_corrupted_destination_object_is_copied_again(self):
        objects = self._fill(3)
        bank_mover.copy_section(self.source, self.destination)
        key = sorted(objects)[1]
        good = objects[key]
        bad = bytes([good[0] ^ 1]) + good[1:]
        self.destination.update_object(key, bad)
        stats = bank_mover.copy_section(self.source, self.destination)
        self.assertEqual((1, 2, len(good)), (stats.objects_copied,
                                             stats.objects_skipped,
                                             stats.bytes_copied))
        self.assertEqual(good,
                         self.destination.open_object_reader(key).read())

    def test_destination_object_of_other_size_is_copied_again(self):
        objects = self._fill(1)
        key = list(objects)[0]
        self.destination.update_object(key, b'short')
        stats = bank_mover.copy_section(self.source, self.destination)
        self.assertEqual(1, stats.objects_copied)
        self.assertEqual(objects, self._destination_objects())

    def test_checksum_mismatch_deletes_the_bad_object(self):
        self._fill(2)
        wrong_bank = fs_bank(os.path.join(self.state_path, 'wrong'),
                             WrongBytesPlugin)
        destination = wrong_bank.get_sub_section(SECTION)
        exc = self.assertRaises(exception.ChecksumMismatch,
                                bank_mover.copy_section, self.source,
                                destination, max_workers=1)
        self.assertIsInstance(exc, exception.CopyFailed)
        self.assertIn('data_', str(exc))
        # Nothing wrong is left for a later run to skip.
        self.assertEqual([], destination.list_objects())

    def test_destination_keeping_a_checksum_is_not_read_back(self):
        objects = self._fill(3)
        kept_bank = fs_bank(os.path.join(self.state_path, 'kept'),
                            KeptMd5Plugin)
        destination = kept_bank.get_sub_section(SECTION)
        stats = bank_mover.copy_section(self.source, destination)
        self.assertEqual(3, stats.objects_copied)
        self.assertEqual(0, kept_bank.plugin.reads)
        self.assertEqual(
            sorted(hashlib.md5(data).hexdigest()
                   for data in objects.values()),
            sorted(kept_bank.plugin.digests.values()))
        # A second run compares the kept digests, still reading nothing
        # at the destination.
        stats = bank_mover.copy_section(self.source, destination)
        self.assertEqual((0, 3), (stats.objects_copied,
                                  stats.objects_skipped))
        self.assertEqual(0, kept_bank.plugin.reads)

    def test_kept_checksum_of_wrong_bytes_is_a_mismatch(self):
        self._fill(2)
        wrong_bank = fs_bank(os.path.join(self.state_path, 'wrong'),
                             WrongBytesKeptMd5Plugin)
        destination = wrong_bank.get_sub_section(SECTION)
        exc = self.assertRaises(exception.ChecksumMismatch,
                                bank_mover.copy_section, self.source,
                                destination, max_workers=1)
        self.assertIn('md5', str(exc))
        self.assertEqual(0, wrong_bank.plugin.reads)
        self.assertEqual([], destination.list_objects())

    def test_unreadable_source_fails_with_reason(self):
        # The same directory as the source bank, through a failing plugin.
        broken = fs_bank(os.path.join(self.state_path, 'src'),
                         UnreadablePlugin)
        self.source.update_object('big', b'x' * (3 * 1000))
        before = self._source_files()
        exc = self.assertRaises(exception.CopyFailed,
                                bank_mover.copy_section,
                                broken.get_sub_section(SECTION),
                                self.destination, chunk_size=1000,
                                what='checkpoint c1', where='az2')
        self.assertIn('Input/output error', str(exc))
        self.assertIn('checkpoint c1', str(exc))
        self.assertIn('az2', str(exc))
        # No partial object at the destination, and the source untouched.
        self.assertEqual([], self.destination.list_objects())
        self.assertEqual(before, self._source_files())

    def test_missing_source_bank_fails(self):
        self.source.update_object('a', b'1')
        unreachable = exception.BankListObjectsFailed(
            reason='bank unreachable')
        with mock.patch.object(self.source_bank.plugin, 'list_object_sizes',
                               autospec=True, side_effect=unreachable):
            exc = self.assertRaises(exception.CopyFailed,
                                    bank_mover.copy_section, self.source,
                                    self.destination)
        self.assertIn('bank unreachable', str(exc))

    def test_destination_write_failure(self):
        self._fill(3)
        full = fs_bank(os.path.join(self.state_path, 'full'), FullDiskPlugin)
        exc = self.assertRaises(exception.CopyFailed,
                                bank_mover.copy_section, self.source,
                                full.get_sub_section(SECTION))
        self.assertIn('No space left', str(exc))

    def test_unexpected_plugin_error_becomes_copy_failed(self):
        self._fill(1)

        def boom(items, *args, **kwargs):
            if not items:
                return []
            raise RuntimeError('boom')
        with mock.patch.object(self.destination_bank.plugin,
                               'put_copy_object', autospec=True,
                               side_effect=RuntimeError('boom')), \
                mock.patch.object(self.destination_bank.plugin,
                                  'put_copy_objects_from_paths',
                                  autospec=True, side_effect=boom):
            exc = self.assertRaises(exception.CopyFailed,
                                    bank_mover.copy_section, self.source,
                                    self.destination)
        self.assertIn('boom', str(exc))

    def test_source_is_never_written(self):
        self._fill(4)
        before = self._source_files()
        bank_mover.copy_section(self.source, self.destination)
        bank_mover.copy_section(self.source, self.destination)
        self.assertEqual(before, self._source_files())

    def test_empty_section(self):
        records = []
        stats = bank_mover.copy_section(self.source, self.destination,
                                        progress=records.append)
        self.assertEqual(bank_mover.MoveStats(), stats)
        self.assertTrue(records)
        self.assertEqual([bank_mover.MoveStats()] * len(records), records)

    def test_bad_arguments(self):
        self.assertRaises(ValueError, bank_mover.copy_section, self.source,
                          self.destination, max_workers=0)
        self.assertRaises(ValueError, bank_mover.copy_section, self.source,
                          self.destination, chunk_size=0)

    def test_stats_to_dict(self):
        self.assertEqual({'objects_total': 1, 'objects_done': 0,
                          'objects_copied': 0, 'objects_skipped': 0,
                          'bytes_total': 2, 'bytes_done': 0,
                          'bytes_copied': 0},
                         bank_mover.MoveStats(objects_total=1,
                                              bytes_total=2).to_dict())


class BankMoverBatchTest(BankMoverTest):
    """The same, with small objects moving in batches (_fscopy)."""

    batches = True

    def test_small_objects_move_in_batches(self):
        objects = self._fill(600, size=100)
        batches = self._spy('put_copy_objects_from_paths')
        one_by_one = self._spy('put_copy_object')
        stats = bank_mover.copy_section(self.source, self.destination,
                                        chunk_size=1000 * 100)
        self.assertEqual(objects, self._destination_objects())
        one_by_one.assert_not_called()
        sizes = [len(c.args[0]) for c in batches.call_args_list]
        # The empty one asks whether batches are taken; then none holds
        # more than MAX_BATCH_OBJECTS or chunk_size bytes (a little over
        # 100 bytes each here).
        self.assertEqual(0, sizes[0])
        self.assertEqual(600, sum(sizes))
        self.assertLessEqual(max(sizes), bank_mover.MAX_BATCH_OBJECTS)
        self.assertGreater(len(sizes), 600 // bank_mover.MAX_BATCH_OBJECTS)
        self.assertEqual((600, 0), (stats.objects_copied,
                                    stats.objects_skipped))

    def test_batches_of_a_few_chunks_on_at_most_two_workers(self):
        objects = self._fill(60, size=1000)
        batches = self._spy('put_copy_objects_from_paths')
        threads = set()
        real = batches.side_effect

        def record(items, *args, **kwargs):
            if items:
                # Not the empty batch asking whether batches are taken.
                threads.add(threading.current_thread().name)
            return real(items, *args, **kwargs)
        batches.side_effect = record
        bank_mover.copy_section(self.source, self.destination,
                                chunk_size=4096, max_workers=4)
        self.assertEqual(objects, self._destination_objects())
        sent = [sum(size for _key, _path, size in c.args[0])
                for c in batches.call_args_list]
        # Up to BATCH_CHUNKS chunks a batch (plus the object that fills
        # it), so fewer, larger calls than chunk-sized batches.
        self.assertGreater(max(sent), 4096)
        self.assertLess(max(sent),
                        bank_mover.BATCH_CHUNKS * 4096 + 1060)
        self.assertLessEqual(len(threads), bank_mover.BATCH_MAX_WORKERS)

    def test_objects_of_a_chunk_or_more_go_alone(self):
        objects = self._fill(20, size=100)
        objects['big'] = os.urandom(5000)
        self.source.update_object('big', objects['big'])
        batches = self._spy('put_copy_objects_from_paths')
        alone = self._spy('put_copy_object_from_file')
        bank_mover.copy_section(self.source, self.destination,
                                chunk_size=4096)
        self.assertEqual(objects, self._destination_objects())
        batched = [key for c in batches.call_args_list
                   for key, _path, _size in c.args[0]]
        self.assertEqual(20, len(batched))
        self.assertNotIn(SECTION + '/big', batched)
        self.assertEqual([SECTION + '/big'],
                         [c.args[0] for c in alone.call_args_list])

    def test_present_objects_are_checked_one_by_one(self):
        objects = self._fill(6)
        key = sorted(objects)[0]
        self.destination.update_object(key, objects[key])
        bad = sorted(objects)[1]
        self.destination.update_object(
            bad, bytes([objects[bad][0] ^ 1]) + objects[bad][1:])
        batches = self._spy('put_copy_objects_from_paths')
        stats = bank_mover.copy_section(self.source, self.destination)
        self.assertEqual(objects, self._destination_objects())
        batched = [k for c in batches.call_args_list
                   for k, _path, _size in c.args[0]]
        self.assertEqual(4, len(batched))
        self.assertEqual((5, 1), (stats.objects_copied,
                                  stats.objects_skipped))

    def test_a_source_without_local_files_moves_one_by_one(self):
        objects = self._fill(5)
        source = fs_bank(os.path.join(self.state_path, 'src'),
                         StreamOnlyPlugin)
        batches = self._spy('put_copy_objects_from_paths')
        bank_mover.copy_section(source.get_sub_section(SECTION),
                                self.destination)
        batches.assert_not_called()
        self.assertEqual(objects, self._destination_objects())

    def test_a_destination_that_cannot_be_written(self):
        self._fill(4)
        # A file where the objects' directory should be.
        self.destination_bank.update_object(SECTION + '/sub0', 'x')
        exc = self.assertRaises(exception.CopyFailed,
                                bank_mover.copy_section, self.source,
                                self.destination, what='checkpoint c1',
                                where='az2')
        self.assertIn('Not a directory', str(exc))
        self.assertIn('checkpoint c1', str(exc))
        self.assertIn('az2', str(exc))

    def test_every_written_byte_draws_on_the_limit(self):
        objects = self._fill(30)
        limit = _CountingLimit()
        bank_mover.copy_section(self.source, self.destination,
                                chunk_size=4096, rate_limit=limit)
        self.assertEqual(sum(len(d) for d in objects.values()),
                         sum(limit.consumed))
        # A batch at a time, each short of a chunk plus one object.
        self.assertLess(max(limit.consumed), 4096 + 1030)


class RateLimitTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.now = 100.0
        self.sleeps = []

        def sleep(seconds):
            self.sleeps.append(seconds)
            self.now += seconds
        self.limit = bank_mover.RateLimit(1000, clock=lambda: self.now,
                                          sleep=sleep)

    def test_transfers_are_spread_at_the_rate(self):
        for _ in range(4):
            self.limit.consume(500)
        # The first goes at once, each next one when the previous one's
        # half second is over.
        self.assertEqual([0.5, 0.5, 0.5], self.sleeps)
        self.assertEqual(101.5, self.now)

    def test_idle_time_is_not_saved_up(self):
        self.limit.consume(1000)
        self.now += 10
        self.limit.consume(1000)
        self.limit.consume(1000)
        self.assertEqual([1.0], self.sleeps)

    def test_rate_must_be_positive(self):
        self.assertRaises(ValueError, bank_mover.RateLimit, 0)


class _CountingLimit:
    def __init__(self):
        self.consumed = []

    def consume(self, nbytes):
        self.consumed.append(nbytes)


class BankMoverRateLimitTest(BanksTestCase):

    def test_every_written_byte_draws_on_the_limit(self):
        objects = self._fill(5, size=3 * MIB // 2)
        limit = _CountingLimit()
        stats = bank_mover.copy_section(self.source, self.destination,
                                        chunk_size=MIB, rate_limit=limit)
        self.assertEqual(sum(len(d) for d in objects.values()),
                         sum(limit.consumed))
        self.assertLessEqual(max(limit.consumed), MIB)
        # A second run writes nothing, so draws nothing.
        limit.consumed.clear()
        stats = bank_mover.copy_section(self.source, self.destination,
                                        rate_limit=limit)
        self.assertEqual(5, stats.objects_skipped)
        self.assertEqual([], limit.consumed)

    def test_a_real_limit_slows_the_copy(self):
        self._fill(4, size=100 * 1024)
        started = time.monotonic()
        bank_mover.copy_section(self.source, self.destination,
                                chunk_size=64 * 1024,
                                rate_limit=bank_mover.RateLimit(2 * MIB))
        # About 400 KiB at 2 MiB/s, less the first draw (a chunk when
        # streamed, an object when copied inside the kernel, which draws
        # per part of 256 KiB): at least 0.14 s.
        self.assertGreater(time.monotonic() - started, 0.14)


class BankMoverLocalFileTest(BanksTestCase):
    """Large objects of a file-system source, copied inside the kernel."""

    def _fill_mixed(self):
        objects = {'big%d' % i: os.urandom(MIB + i) for i in range(3)}
        objects['small'] = os.urandom(1000)
        for key, data in objects.items():
            self.source.update_object(key, data)
        return objects

    def test_large_objects_do_not_pass_through_python(self):
        objects = self._fill_mixed()
        from_file = self._spy('put_copy_object_from_file')
        streamed = self._spy('put_copy_object')
        stats = bank_mover.copy_section(self.source, self.destination,
                                        chunk_size=MIB)
        self.assertEqual(objects, self._destination_objects())
        self.assertEqual(
            ['big0', 'big1', 'big2'],
            sorted(c.args[0].rsplit('/', 1)[1]
                   for c in from_file.call_args_list))
        self.assertEqual([SECTION + '/small'],
                         [c.args[0] for c in streamed.call_args_list])
        total = sum(len(d) for d in objects.values())
        self.assertEqual((4, total), (stats.objects_copied,
                                      stats.bytes_copied))

    def test_source_changed_during_the_copy_is_a_mismatch(self):
        objects = self._fill_mixed()
        path = os.path.join(self.source_bank.plugin.root,
                            (SECTION + '/big1').lstrip('/'))
        real_sendfile = os.sendfile
        changed = []

        def change_source_then_send(out, source, offset, count):
            # The part was read and hashed: now its bytes change in the
            # file, before they are sent.
            if not changed and os.fstat(source).st_ino == os.stat(
                    path).st_ino:
                with open(path, 'r+b') as f:
                    f.write(bytes([objects['big1'][0] ^ 1]))
                changed.append(offset)
            return real_sendfile(out, source, offset, count)
        with mock.patch.object(file_system_bank_plugin.os, 'sendfile',
                               autospec=True,
                               side_effect=change_source_then_send):
            exc = self.assertRaises(exception.ChecksumMismatch,
                                    bank_mover.copy_section, self.source,
                                    self.destination, max_workers=1)
        self.assertEqual([0], changed)
        self.assertIn('big1', str(exc))
        self.assertNotIn('big1', self.destination.list_objects())
        # Run again, the copy is of the source as it now is.
        bank_mover.copy_section(self.source, self.destination)
        self.assertEqual(self.source.open_object_reader('big1').read(),
                         self.destination.open_object_reader('big1').read())

    def test_the_source_is_hashed_where_the_destination_did_not(self):
        objects = self._fill_mixed()
        plugin = self.destination_bank.plugin
        real = plugin.put_copy_object_from_file

        def without_source_digest(*args, **kwargs):
            result = real(*args, **kwargs)
            del result['source_xxh3_128']
            return result
        source_plugin = self.source_bank.plugin
        with mock.patch.object(plugin, 'put_copy_object_from_file',
                               autospec=True,
                               side_effect=without_source_digest), \
                mock.patch.object(source_plugin, 'head_object',
                                  autospec=True,
                                  side_effect=source_plugin.head_object) \
                as head:
            bank_mover.copy_section(self.source, self.destination)
        self.assertEqual(3, head.call_count)
        self.assertEqual(objects, self._destination_objects())

    def test_streamed_where_the_destination_declines(self):
        objects = self._fill_mixed()
        with mock.patch.object(file_system_bank_plugin.os, 'sendfile',
                               autospec=True,
                               side_effect=OSError(errno.EINVAL, 'no')):
            stats = bank_mover.copy_section(self.source, self.destination)
        self.assertEqual(objects, self._destination_objects())
        self.assertEqual(sum(len(d) for d in objects.values()),
                         stats.bytes_copied)

    def test_source_with_no_descriptor_is_streamed(self):
        objects = self._fill_mixed()
        source = fs_bank(os.path.join(self.state_path, 'src'),
                         StreamOnlyPlugin)
        from_file = self._spy('put_copy_object_from_file')
        bank_mover.copy_section(source.get_sub_section(SECTION),
                                self.destination)
        from_file.assert_not_called()
        self.assertEqual(objects, self._destination_objects())


@ddt.ddt
class BankMoverMemoryTest(base.TestCase):

    SIZE = 64 * MIB

    @ddt.data(None, StreamOnlyPlugin)
    def test_big_object_with_bounded_memory(self, source_plugin):
        # Copied inside the kernel, and streamed.
        source = fs_bank(os.path.join(self.state_path, 'src'),
                         source_plugin)
        destination = fs_bank(os.path.join(self.state_path, 'dst'))
        md5 = hashlib.md5()
        for chunk in pattern(self.SIZE):
            md5.update(chunk)
        source.put_object_stream('/s/big', pattern(self.SIZE),
                                 size=self.SIZE)
        tracemalloc.start()
        try:
            stats = bank_mover.copy_section(source.get_sub_section('/s'),
                                            destination.get_sub_section('/s'),
                                            chunk_size=MIB)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertEqual((1, self.SIZE), (stats.objects_copied,
                                          stats.bytes_copied))
        self.assertEqual({'size': self.SIZE, 'md5': md5.hexdigest()},
                         destination.head_object('/s/big'))
        # Bounded even though the copy read the object back to verify it.
        # A few chunks at most, never the object.
        self.assertLess(peak, 8 * MIB)
