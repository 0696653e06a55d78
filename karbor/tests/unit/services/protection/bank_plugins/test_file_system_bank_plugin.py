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

"""Tests of the file-system bank plugin, on real temporary directories."""

import errno
import gc
import hashlib
import io
import itertools
import json
import os
import shutil
from unittest import mock

import ddt
from oslo_config import cfg
import xxhash

from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.services.protection.bank_plugins import file_system_bank_plugin
from karbor.tests import base
from karbor.tests.fixtures import services


def make_config(directory, path=None, **extra):
    """Write a provider-style file and load it into its own ConfigOpts."""
    lines = ['[file_system_bank_plugin]']
    if path is not None:
        lines.append('file_system_bank_path = %s' % path)
    lines.extend('%s = %s' % item for item in extra.items())
    conf_path = os.path.join(directory, 'provider.conf')
    with open(conf_path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    config = cfg.ConfigOpts()
    config(args=[], default_config_files=[conf_path], default_config_dirs=[],
           use_env=False)
    return config


@ddt.ddt
class FileSystemBankPluginTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.bank_path = os.path.join(self.state_path, 'bank')
        self.plugin = file_system_bank_plugin.FileSystemBankPlugin(
            make_config(self.state_path, self.bank_path))
        self.root = os.path.join(self.bank_path, 'karbor')

    def _file(self, key):
        return os.path.join(self.root, key.lstrip('/'))

    def _read(self, key):
        with open(self._file(key), 'rb') as f:
            return f.read()

    def test_delete_leftovers_removes_temporary_files_only(self):
        data = '/checkpoints/c1/resource-data'
        self.plugin.update_object(data + '/r1/metadata', 'kept')
        self.plugin.update_object('/checkpoints/c2/resource-data/r/x', 'x')
        leftovers = [data + '/r1/data_000001#tmp-123-4',
                     data + '/r2/data_000002#tmp-123-5',
                     '/checkpoints/c2/resource-data/r/y#tmp-9-9']
        for key in leftovers:
            os.makedirs(os.path.dirname(self._file(key)), exist_ok=True)
            with open(self._file(key), 'wb') as f:
                f.write(b'half written')
        self.plugin.delete_leftovers(data + '/')
        self.assertFalse(os.path.exists(self._file(leftovers[0])))
        self.assertEqual(b'kept', self._read(data + '/r1/metadata'))
        # A directory left empty goes; other checkpoints are not touched.
        self.assertFalse(os.path.exists(self._file(data + '/r2')))
        self.assertTrue(os.path.exists(self._file(leftovers[2])))
        self.assertEqual([data + '/r1/metadata'],
                         self.plugin.list_objects(prefix=data + '/'))
        # Nothing left to remove, or no such directory: nothing happens.
        self.plugin.delete_leftovers(data + '/')
        self.plugin.delete_leftovers('/checkpoints/c9/resource-data/')

    def test_delete_leftovers_does_not_follow_links(self):
        outside = os.path.join(self.state_path, 'outside')
        os.makedirs(outside)
        victim = os.path.join(outside, 'file#tmp-1-1')
        open(victim, 'w').close()
        os.makedirs(self._file('/checkpoints/c1'))
        os.symlink(outside, self._file('/checkpoints/c1/resource-data'))
        self.plugin.delete_leftovers('/checkpoints/c1/resource-data/')
        self.assertTrue(os.path.exists(victim))

    def test_missing_path_is_a_clear_error(self):
        exc = self.assertRaises(
            exception.InvalidConfiguration,
            file_system_bank_plugin.FileSystemBankPlugin,
            make_config(self.state_path))
        self.assertIn('file_system_bank_path', str(exc))

    def test_options_from_another_section(self):
        conf_path = os.path.join(self.state_path, 'dest.conf')
        other = os.path.join(self.state_path, 'other-bank')
        with open(conf_path, 'w') as f:
            f.write('[file_system_bank_plugin]\n'
                    'file_system_bank_path = %s\n'
                    '[copy_destination:az2]\n'
                    'file_system_bank_path = %s\n'
                    'bank_object_container = c2\n'
                    % (self.bank_path, other))
        config = cfg.ConfigOpts()
        config(args=[], default_config_files=[conf_path],
               default_config_dirs=[], use_env=False)
        main = file_system_bank_plugin.FileSystemBankPlugin(config)
        dest = file_system_bank_plugin.FileSystemBankPlugin(
            config, section='copy_destination:az2')
        self.assertEqual(os.path.join(self.bank_path, 'karbor'), main.root)
        self.assertEqual(os.path.join(other, 'c2'), dest.root)

    def test_missing_path_in_section_names_the_section(self):
        exc = self.assertRaises(
            exception.InvalidConfiguration,
            file_system_bank_plugin.FileSystemBankPlugin,
            make_config(self.state_path, self.bank_path), section='elsewhere')
        self.assertIn('[elsewhere]', str(exc))

    def test_container_option(self):
        plugin = file_system_bank_plugin.FileSystemBankPlugin(
            make_config(self.state_path, self.bank_path,
                        bank_object_container='other'))
        plugin.update_object('/a', 'v')
        self.assertTrue(os.path.isfile(
            os.path.join(self.bank_path, 'other', 'a')))

    def test_on_disk_format_is_upstream(self):
        self.plugin.update_object('/checkpoints/c/index.json',
                                  {'id': 'c', 'n': 1})
        self.plugin.update_object('/indices/x/1@c', 'c')
        self.plugin.update_object('/blob', b'\xff\x00')
        self.assertEqual({'id': 'c', 'n': 1},
                         json.loads(self._read('/checkpoints/c/index.json')))
        self.assertEqual(b'c', self._read('/indices/x/1@c'))
        self.assertEqual(b'\xff\x00', self._read('/blob'))

    def test_reads_files_written_by_upstream(self):
        os.makedirs(os.path.join(self.root, 'checkpoints', 'c'))
        with open(self._file('/checkpoints/c/index.json'), 'w') as f:
            f.write('{"version": "0.9", "status": "available"}')
        with open(self._file('/checkpoints/c/status'), 'w') as f:
            f.write('available')
        self.assertEqual({'version': '0.9', 'status': 'available'},
                         self.plugin.get_object('/checkpoints/c/index.json'))
        self.assertEqual('available',
                         self.plugin.get_object('/checkpoints/c/status'))

    @ddt.data(('text', 'text'), ({'a': [1, None]}, {'a': [1, None]}),
              ([1, 2], [1, 2]), (12, 12), ('', ''),
              # The documented ambiguity of upstream's format.
              ('123', 123), ('null', None),
              (b'\xff\xfe', b'\xff\xfe'))
    @ddt.unpack
    def test_value_round_trip(self, value, expected):
        self.plugin.update_object('/k', value)
        self.assertEqual(expected, self.plugin.get_object('/k'))

    def test_get_missing(self):
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.get_object, '/nope')
        self.plugin.update_object('/dir/file', 'v')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.get_object, '/dir')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.get_object, '/dir/file/sub')

    def test_overwrite_is_atomic_and_leaves_no_temp_files(self):
        self.plugin.update_object('/a/b', 'one')
        self.plugin.update_object('/a/b', 'two')
        self.assertEqual('two', self.plugin.get_object('/a/b'))
        self.assertEqual(['b'], os.listdir(os.path.join(self.root, 'a')))

    def test_fsync_option(self):
        plugin = file_system_bank_plugin.FileSystemBankPlugin(
            make_config(self.state_path, self.bank_path,
                        file_system_bank_fsync='true'))
        plugin.update_object('/f', 'v')
        self.assertEqual('v', plugin.get_object('/f'))

    def test_delete_removes_empty_parents_only(self):
        self.plugin.update_object('/a/b/c/d', 'v')
        self.plugin.update_object('/a/x', 'v')
        self.plugin.delete_object('/a/b/c/d')
        self.assertFalse(os.path.exists(os.path.join(self.root, 'a', 'b')))
        self.assertTrue(os.path.isfile(self._file('/a/x')))
        self.plugin.delete_object('/a/x')
        self.assertFalse(os.path.exists(os.path.join(self.root, 'a')))
        self.assertTrue(os.path.isdir(self.root))
        # Deleting again is not an error.
        self.plugin.delete_object('/a/x')

    @ddt.data('/../outside', '/a/../../outside', '/', '/a/./b',
              '/a#tmp-x')
    def test_keys_escaping_root_rejected(self, key):
        self.assertRaises(exception.InvalidBankKey,
                          self.plugin.update_object, key, 'v')
        self.assertRaises(exception.InvalidBankKey,
                          self.plugin.get_object, key)
        self.assertRaises(exception.InvalidBankKey,
                          self.plugin.delete_object, key)
        self.assertFalse(os.path.exists(
            os.path.join(self.bank_path, 'outside')))

    def test_symlink_out_of_bank_rejected(self):
        outside = os.path.join(self.state_path, 'outside')
        os.makedirs(outside)
        os.symlink(outside, os.path.join(self.root, 'link'))
        self.assertRaises(exception.InvalidBankKey,
                          self.plugin.update_object, '/link/x', 'v')
        self.assertEqual([], os.listdir(outside))
        self.assertEqual([], self.plugin.list_objects('/'))

    def test_symlinked_object_is_not_an_object(self):
        outside = os.path.join(self.state_path, 'secret')
        with open(outside, 'w') as f:
            f.write('not bank data')
        os.symlink(outside, os.path.join(self.root, 'link'))
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.get_object, '/link')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.get_object_size, '/link')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.head_object, '/link')
        # A write replaces the link itself, never what it points to.
        self.plugin.update_object('/link', 'bank data')
        self.assertFalse(os.path.islink(self._file('/link')))
        self.assertEqual('bank data', self.plugin.get_object('/link'))
        with open(outside) as f:
            self.assertEqual('not bank data', f.read())

    def test_directory_is_not_an_object(self):
        self.plugin.update_object('/dir/x', 'v')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.get_object, '/dir')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.open_object_reader, '/dir')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.head_object, '/dir')

    def test_reader_knows_the_size(self):
        self.plugin.update_object('/o', b'x' * 100)
        with self.plugin.open_object_reader('/o') as reader:
            # Asked for far more, the reader reads what the file holds
            # and one byte (which is how a grown file would show).
            self.assertEqual(b'x' * 100, reader.read(1 << 20))
            self.assertEqual(b'', reader.read(1 << 20))

    def test_directory_turned_into_link_out_of_bank_after_cache_reset(self):
        self.plugin.update_object('/d/x', 'v')
        outside = os.path.join(self.state_path, 'outside')
        os.makedirs(outside)
        shutil.rmtree(self._file('/d'))
        os.symlink(outside, self._file('/d'))
        # Directories are resolved once; a full cache starts over.
        with mock.patch.object(file_system_bank_plugin,
                               '_INSIDE_CACHE_SIZE', 1):
            self.plugin.update_object('/e/x', 'v')
            self.assertRaises(exception.InvalidBankKey,
                              self.plugin.update_object, '/d/x', 'v')
        self.assertEqual([], os.listdir(outside))

    def test_stale_temp_file_of_same_name_does_not_block_writes(self):
        self.plugin.update_object('/k', 'old')
        # The name the next write picks, as left by an earlier process
        # with this pid.
        stale = '%s%s%d-0' % (self._file('/k'),
                              file_system_bank_plugin._TMP_MARK, os.getpid())
        with open(stale, 'w') as f:
            f.write('left by a crash')
        self.plugin._tmp_counter = itertools.count()
        self.plugin.update_object('/k', 'new')
        self.assertEqual('new', self.plugin.get_object('/k'))
        self.assertTrue(os.path.exists(stale))

    def test_owner_id_stable(self):
        self.assertEqual(self.plugin.get_owner_id(),
                         self.plugin.get_owner_id())


@ddt.ddt
class FileSystemBankListTest(base.TestCase):

    # Directory 'a' sorts among files 'a-c', 'a.b' (before 'a/') and 'ba'
    # (after); inside it, directory 'b' among 'b-', 'b0' and 'bz'.
    KEYS = ['/a-c', '/a/b-', '/a/b/c', '/a/b/d/e', '/a/b0', '/a/bz', '/a.b',
            '/b/1@x', '/b/2@x', '/ba']

    def setUp(self):
        super().setUp()
        self.plugin = file_system_bank_plugin.FileSystemBankPlugin(
            make_config(self.state_path,
                        os.path.join(self.state_path, 'bank')))
        self.keys = list(self.KEYS)
        for key in self.keys:
            self.plugin.update_object(key, 'v')

    def test_sorted_both_ways(self):
        self.assertEqual(sorted(self.keys), self.plugin.list_objects())
        self.assertEqual(sorted(self.keys, reverse=True),
                         self.plugin.list_objects(sort_dir='desc'))

    @ddt.data('/', '/a', '/a/', '/a/b', '/a/b/', '/a/b/d/', '/b/', '/b/1',
              '/c', '/nothing/here/', '/a-', '/a/b/c/')
    def test_prefix(self, prefix):
        expected = sorted(k for k in self.keys if k.startswith(prefix))
        self.assertEqual(expected, self.plugin.list_objects(prefix))
        self.assertEqual(expected[::-1],
                         self.plugin.list_objects(prefix, sort_dir='desc'))
        self.assertEqual([(key, 1) for key in expected],
                         self.plugin.list_object_sizes(prefix))

    def test_sizes_skip_temporary_files_and_linked_directories(self):
        root = self.plugin.root
        with open(os.path.join(root, 'a', 'b', 'c#tmp-1-2'), 'wb') as f:
            f.write(b'half written')
        os.symlink(os.path.join(root, 'b'), os.path.join(root, 'a', 'lb'))
        self.assertEqual(['/a/b-', '/a/b/c', '/a/b/d/e', '/a/b0', '/a/bz'],
                         [key for key, _ in
                          self.plugin.list_object_sizes('/a/')])

    def test_sizes_of_a_vanished_directory(self):
        shutil.rmtree(os.path.join(self.plugin.root, 'a'))
        self.assertEqual([], self.plugin.list_object_sizes('/a/b/'))

    def test_sizes_listing_failure(self):
        self.assertRaises(exception.BankListObjectsFailed,
                          self.plugin.list_object_sizes,
                          '/' + 'x' * 5000 + '/')

    def test_sizes_from_the_directory_entries(self):
        self.plugin.put_object_stream('/a/b/c', [b'x' * 70000])
        os.symlink(os.path.join(self.plugin.root, 'ba'),
                   os.path.join(self.plugin.root, 'a', 'link'))
        with mock.patch('builtins.open', autospec=True) as opened:
            sizes = dict(self.plugin.list_object_sizes('/a/'))
        opened.assert_not_called()
        # Links are not objects, here as in listings.
        self.assertEqual({'/a/b-': 1, '/a/b/c': 70000, '/a/b/d/e': 1,
                          '/a/b0': 1, '/a/bz': 1}, sizes)

    @ddt.data(None, '/', '/a', '/a/b', '/a/b/c', '/a/b/d', '/a/c', '/a.b',
              '/a/b0', '/b/1@x', '/zzz', '/0')
    def test_marker_and_limit(self, marker):
        for desc in (False, True):
            ordered = sorted(self.keys, reverse=desc)
            if marker is not None:
                ordered = [k for k in ordered
                           if (k < marker if desc else k > marker)]
            for limit in (None, 1, 2, 100):
                expected = ordered if limit is None else ordered[:limit]
                self.assertEqual(
                    expected,
                    self.plugin.list_objects(
                        marker=marker, limit=limit,
                        sort_dir='desc' if desc else 'asc'),
                    'marker=%s limit=%s desc=%s' % (marker, limit, desc))

    def test_zero_limit(self):
        self.assertEqual([], self.plugin.list_objects(limit=0))

    def test_listing_does_not_open_files(self):
        with mock.patch('builtins.open', autospec=True,
                        side_effect=AssertionError), \
                mock.patch.object(os, 'open', autospec=True,
                                  side_effect=AssertionError):
            self.assertEqual(sorted(self.keys), self.plugin.list_objects())

    def test_temp_files_are_not_listed(self):
        tmp = os.path.join(self.state_path, 'bank', 'karbor', 'b',
                           '3@x#tmp-123')
        with open(tmp, 'w') as f:
            f.write('partial')
        self.assertEqual(['/b/1@x', '/b/2@x'],
                         self.plugin.list_objects('/b/'))

    def test_large_directory_starts_at_prefix(self):
        prefix = '/indices/by-provider/p/proj/'
        base_dir = os.path.join(self.state_path, 'bank', 'karbor',
                                'indices', 'by-provider', 'p', 'proj')
        os.makedirs(base_dir)
        names = ['%d@id%05d' % (1700000000 + i, i) for i in range(10000)]
        for name in names:
            with open(os.path.join(base_dir, name), 'w') as f:
                f.write('x')
        scanned = []
        real_scandir = os.scandir

        def counting_scandir(path):
            scanned.append(path)
            return real_scandir(path)
        self.patch(os, 'scandir', counting_scandir)
        page = self.plugin.list_objects(prefix, limit=3, sort_dir='desc')
        self.assertEqual([prefix + n for n in names[-1:-4:-1]], page)
        page = self.plugin.list_objects(prefix, limit=2,
                                        marker=prefix + names[5000])
        self.assertEqual([prefix + n for n in names[5001:5003]], page)
        self.assertEqual(10000, len(self.plugin.list_objects(prefix)))
        self.assertEqual({base_dir}, set(scanned))


class FileSystemBankListPythonTest(FileSystemBankListTest):
    """The same listings without the _fslist extension (Python walk)."""

    def setUp(self):
        self.patch(file_system_bank_plugin, '_fslist', None)
        super().setUp()


class FsListExtensionTest(base.TestCase):
    """_fslist.list_sizes itself: what it lists, order, errors."""

    def setUp(self):
        super().setUp()
        self.fslist = file_system_bank_plugin._fslist
        if self.fslist is None:
            services.unavailable('the _fslist extension is not built (it '
                                 'needs a C compiler)')
        self.top = os.path.join(self.state_path, 'top')
        for name, size in (('x1', 1), ('x2', 20), ('y', 3), ('d/x', 4),
                           ('d/e/f', 5), ('x/z', 6)):
            path = os.path.join(self.top, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'wb') as f:
                f.write(b'.' * size)

    def test_keys_sizes_and_order(self):
        self.assertEqual(
            [('k/d/e/f', 5), ('k/d/x', 4), ('k/x/z', 6), ('k/x1', 1),
             ('k/x2', 20), ('k/y', 3)],
            self.fslist.list_sizes(self.top, '', 'k/', '#'))

    def test_prefix_applies_to_the_top_directory_only(self):
        self.assertEqual(
            [('/x/z', 6), ('/x1', 1), ('/x2', 20)],
            self.fslist.list_sizes(self.top, 'x', '/', '#'))

    def test_skips_marked_names_links_and_other_files(self):
        os.symlink(os.path.join(self.top, 'y'), os.path.join(self.top, 'l'))
        os.symlink(os.path.join(self.top, 'd'),
                   os.path.join(self.top, 'x', 'ld'))
        os.mkfifo(os.path.join(self.top, 'fifo'))
        with open(os.path.join(self.top, 'd', 'e', 'g#tmp-1'), 'wb'):
            pass
        os.mkdir(os.path.join(self.top, 'h#tmp-2'))
        with open(os.path.join(self.top, 'h#tmp-2', 'i'), 'wb'):
            pass
        self.assertEqual(
            ['/d/e/f', '/d/x', '/x/z', '/x1', '/x2', '/y'],
            [key for key, _ in
             self.fslist.list_sizes(self.top, '', '/', '#tmp-')])

    def test_the_top_directory_may_be_reached_through_a_link(self):
        link = os.path.join(self.state_path, 'link')
        os.symlink(os.path.join(self.top, 'd'), link)
        self.assertEqual([('/e/f', 5), ('/x', 4)],
                         self.fslist.list_sizes(link, '', '/', '#'))

    def test_missing_or_not_a_directory_lists_nothing(self):
        self.assertEqual([], self.fslist.list_sizes(
            os.path.join(self.top, 'none'), '', '/', '#'))
        self.assertEqual([], self.fslist.list_sizes(
            os.path.join(self.top, 'y'), '', '/', '#'))

    def test_errors_raise_oserror_with_the_path(self):
        long_name = os.path.join(self.top, 'n' * 300)
        error = self.assertRaises(OSError, self.fslist.list_sizes,
                                  long_name, '', '/', '#')
        self.assertEqual(errno.ENAMETOOLONG, error.errno)

    def test_large_directories_are_looked_up_on_several_threads(self):
        # 2,048 entries or more: the sizes are looked up in ranges, one
        # per thread; every file still comes out once, with its size.
        big = os.path.join(self.top, 'big')
        os.mkdir(big)
        for i in range(2500):
            with open(os.path.join(big, '%04d' % i), 'wb') as f:
                f.write(b'.' * (i % 7))
        os.mkdir(os.path.join(big, 'sub'))
        with open(os.path.join(big, 'sub', 'z'), 'wb') as f:
            f.write(b'..')
        os.symlink(os.path.join(big, '0001'), os.path.join(big, 'link'))
        self.assertEqual(
            [('/%04d' % i, i % 7) for i in range(2500)] + [('/sub/z', 2)],
            self.fslist.list_sizes(big, '', '/', '#'))

    def test_non_utf8_names(self):
        name = os.fsdecode(b'\xff\xfe')
        with open(os.path.join(self.top, 'd', name), 'wb') as f:
            f.write(b'..')
        self.assertIn(('/d/' + name, 2),
                      self.fslist.list_sizes(self.top, '', '/', '#'))

    def test_bad_arguments(self):
        self.assertRaises(TypeError, self.fslist.list_sizes, self.top)
        self.assertRaises(TypeError, self.fslist.list_sizes, 1, '', '/', '#')
        self.assertRaises(ValueError, self.fslist.list_sizes,
                          self.top, '', '/', '')


class FileSystemBankTestCase(base.TestCase):
    """A file-system bank in the test's directory, and its Bank."""

    def setUp(self):
        super().setUp()
        self.plugin = file_system_bank_plugin.FileSystemBankPlugin(
            make_config(self.state_path,
                        os.path.join(self.state_path, 'bank')))
        self.bank = bank_plugin.Bank(self.plugin)


class FileSystemBankStreamTest(FileSystemBankTestCase):

    def test_stream_round_trip(self):
        data = os.urandom(3 * 1024 * 1024 + 17)
        reads = []

        class Source(io.BytesIO):
            def read(self, size=-1):
                reads.append(size)
                return super().read(size)

        result = self.bank.put_object_stream('/data/blob', Source(data),
                                             size=len(data))
        md5 = hashlib.md5(data).hexdigest()
        # A file keeps no checksum: the write reports only its size.
        self.assertEqual({'size': len(data)}, result)
        # Streaming reads bounded chunks, never the whole source at once.
        self.assertNotIn(-1, reads)
        self.assertTrue(all(0 < s <= bank_plugin.CHUNK_SIZE for s in reads))
        self.assertEqual({'size': len(data), 'md5': md5},
                         self.bank.head_object('/data/blob'))
        with self.bank.open_object_reader('/data/blob') as reader:
            chunks = list(reader)
        self.assertEqual(data, b''.join(chunks))
        self.assertTrue(all(len(c) <= bank_plugin.CHUNK_SIZE
                            for c in chunks))

    def test_stream_from_iterable(self):
        result = self.bank.put_object_stream('/x', iter([b'ab', b'cd']))
        self.assertEqual(4, result['size'])
        self.assertEqual(b'abcd', self.bank.open_object_reader('/x').read())

    def test_size_mismatch_keeps_old_object(self):
        self.bank.update_object('/x', 'old')
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.bank.put_object_stream, '/x',
                          io.BytesIO(b'new data'), size=3)
        self.assertEqual('old', self.bank.get_object('/x'))
        self.assertEqual(['x'], os.listdir(self.plugin.root))

    def test_failing_source_keeps_old_object(self):
        self.bank.update_object('/x', 'old')

        def chunks():
            yield b'partial'
            raise IOError('source broke')
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.bank.put_object_stream, '/x', chunks())
        self.assertEqual('old', self.bank.get_object('/x'))
        self.assertEqual(['x'], os.listdir(self.plugin.root))

    def test_object_size_from_the_file_system(self):
        self.bank.put_object_stream('/data/blob', iter([b'x' * 1000]))
        with mock.patch.object(self.plugin, '_open_fd',
                               autospec=True) as opener:
            self.assertEqual(1000, self.bank.get_object_size('/data/blob'))
        opener.assert_not_called()
        self.assertRaises(exception.BankObjectNotFound,
                          self.bank.get_object_size, '/none')
        self.assertRaises(exception.BankObjectNotFound,
                          self.bank.get_object_size, '/data')

    def test_head_reads_what_is_on_disk(self):
        self.bank.put_object_stream('/x', iter([b'abcd']))
        with open(os.path.join(self.plugin.root, 'x'), 'wb') as f:
            f.write(b'abce')
        self.assertEqual({'size': 4, 'md5': hashlib.md5(b'abce').hexdigest()},
                         self.bank.head_object('/x'))

    def test_readers_release_their_descriptors(self):
        self.bank.put_object_stream('/x', iter([b'abc']))
        before = len(os.listdir('/proc/self/fd'))
        for _ in range(50):
            self.bank.get_object('/x')
            self.bank.head_object('/x', algorithm='xxh3_128')
            with self.bank.open_object_reader('/x') as reader:
                reader.read(1)
            # Dropped without close: collected, it closes its file.
            self.bank.open_object_reader('/x').read(1)
        gc.collect()
        self.assertEqual(before, len(os.listdir('/proc/self/fd')))
        reader = self.bank.open_object_reader('/x')
        reader.close()
        reader.close()
        self.assertTrue(reader.closed)
        self.assertRaises(ValueError, reader.read, 1)

    def test_head_hashes_objects_larger_than_a_read(self):
        data = os.urandom(bank_plugin.HASH_CHUNK_SIZE * 2 + 12345)
        self.bank.put_object_stream('/big', iter([data]))
        self.assertEqual({'size': len(data),
                          'xxh3_128': xxhash.xxh3_128_hexdigest(data)},
                         self.bank.head_object('/big',
                                               algorithm='xxh3_128'))
        self.bank.put_object_stream('/empty', iter([]))
        self.assertEqual({'size': 0, 'sha256': hashlib.sha256().hexdigest()},
                         self.bank.head_object('/empty', algorithm='sha256'))
        self.assertRaises(ValueError, self.bank.head_object, '/big',
                          algorithm='crc7')

    def _count_reads(self):
        calls = []
        for name in ('read', 'preadv'):
            real = getattr(os, name)

            def counted(*args, _real=real, _name=name):
                calls.append(_name)
                return _real(*args)
            patcher = mock.patch.object(file_system_bank_plugin.os, name,
                                        autospec=True, side_effect=counted)
            patcher.start()
            self.addCleanup(patcher.stop)
        return calls

    def test_whole_files_take_one_read(self):
        # Each read asks for the byte after the expected end; that it did
        # not come shows the end, with no read returning nothing.
        data = os.urandom(20000)
        self.bank.put_object_stream('/o', iter([data]))
        reads = self._count_reads()
        self.assertEqual(data, self.bank.get_object('/o'))
        head = self.bank.head_object('/o', algorithm='xxh3_128')
        self.assertEqual(xxhash.xxh3_128_hexdigest(data), head['xxh3_128'])
        self.assertEqual(
            {'size': len(data), 'md5': hashlib.md5(data).hexdigest()},
            self.bank.put_copy_object('/c', [data], len(data), 'md5'))
        self.assertEqual(['read', 'preadv', 'preadv'], reads)

    def test_hash_reads_a_file_longer_than_expected_whole(self):
        data = os.urandom(bank_plugin.HASH_CHUNK_SIZE + 10)
        path = os.path.join(self.state_path, 'grown')
        with open(path, 'wb') as f:
            f.write(data)
        fd = os.open(path, os.O_RDONLY)
        self.addCleanup(os.close, fd)
        for expected_size in (0, 5, len(data) - 1, len(data), len(data) + 5):
            self.assertEqual(
                (len(data), xxhash.xxh3_128_hexdigest(data)),
                file_system_bank_plugin._hash_file(fd, expected_size,
                                                   'xxh3_128'))

    def test_missing_objects(self):
        self.assertRaises(exception.BankObjectNotFound,
                          self.bank.open_object_reader, '/none')
        self.assertRaises(exception.BankObjectNotFound,
                          self.bank.head_object, '/none')


@ddt.ddt
class FileSystemBankCopyWriteTest(FileSystemBankTestCase):
    """put_copy_object: in place, read back through its own descriptor."""

    def _path(self, key):
        return os.path.join(self.plugin.root, key.lstrip('/'))

    @ddt.data('md5', 'sha256', 'xxh3_128')
    def test_reports_the_digest_of_the_file(self, algorithm):
        data = os.urandom(bank_plugin.HASH_CHUNK_SIZE * 2 + 3)
        chunks = [data[:1000], data[1000:]]
        result = self.bank.put_copy_object('/new/dir/obj', chunks,
                                           len(data), algorithm)
        expected = {'size': len(data),
                    algorithm: bank_plugin.checksums.new(algorithm)}
        expected[algorithm].update(data)
        expected[algorithm] = expected[algorithm].hexdigest()
        self.assertEqual(expected, result)
        with open(self._path('/new/dir/obj'), 'rb') as f:
            self.assertEqual(data, f.read())
        # Written in place: no temporary file was made.
        self.assertEqual(['obj'],
                         os.listdir(os.path.dirname(self._path('/new/dir/o'))))

    def test_digest_is_of_what_reads_back(self):
        real_preadv = os.preadv

        def flipped(fd, buffers, offset):
            count = real_preadv(fd, buffers, offset)
            if count:
                buffers[0][0] ^= 1
            return count
        with mock.patch.object(file_system_bank_plugin.os, 'preadv',
                               autospec=True, side_effect=flipped):
            result = self.bank.put_copy_object('/o', [b'abc'], 3,
                                               'xxh3_128')
        self.assertEqual(xxhash.xxh3_128_hexdigest(b'`bc'),
                         result['xxh3_128'])

    def test_replaces_an_object_without_writing_through_links(self):
        self.bank.update_object('/a/original', b'keep me')
        os.link(self._path('/a/original'), self._path('/a/hard'))
        outside = os.path.join(self.state_path, 'outside')
        with open(outside, 'wb') as f:
            f.write(b'not the bank')
        os.symlink(outside, self._path('/a/soft'))
        for key in ('/a/hard', '/a/soft'):
            self.bank.put_copy_object(key, [b'copied'], 6, 'md5')
            self.assertFalse(os.path.islink(self._path(key)))
            self.assertEqual(b'copied',
                             self.bank.open_object_reader(key).read())
        self.assertEqual(b'keep me',
                         self.bank.open_object_reader('/a/original').read())
        with open(outside, 'rb') as f:
            self.assertEqual(b'not the bank', f.read())

    def test_wrong_size_or_failing_source_leaves_no_object(self):
        def broken():
            yield b'partial'
            raise OSError(5, 'Input/output error')
        for chunks, size in (([b'abcd'], 3), ([b'ab'], 3), (broken(), None)):
            self.assertRaises(exception.BankUpdateObjectFailed,
                              self.bank.put_copy_object, '/d/o', chunks,
                              size, 'md5')
            self.assertEqual([], self.bank.list_objects('/'))

    def test_fsync_when_configured(self):
        self.plugin._fsync = True
        with mock.patch.object(file_system_bank_plugin.os, 'fsync',
                               autospec=True) as fsync:
            self.bank.put_copy_object('/o', [b'abc'], 3, 'md5')
        self.assertEqual(1, fsync.call_count)

    def _source_file(self, data):
        path = os.path.join(self.state_path, 'source-file')
        with open(path, 'wb') as f:
            f.write(data)
        fd = os.open(path, os.O_RDONLY)
        self.addCleanup(os.close, fd)
        return fd

    def test_copy_from_a_file_inside_the_kernel(self):
        data = os.urandom(2 * file_system_bank_plugin._SEND_PART + 5)
        fd = self._source_file(data)
        parts = []
        with mock.patch.object(file_system_bank_plugin.os, 'sendfile',
                               autospec=True,
                               side_effect=os.sendfile) as sendfile:
            result = self.bank.put_copy_object_from_file(
                '/new/dir/obj', fd, len(data), 'xxh3_128',
                on_bytes=parts.append)
        digest = xxhash.xxh3_128_hexdigest(data)
        # The source's digest too, from the bytes read on the way.
        self.assertEqual({'size': len(data), 'xxh3_128': digest,
                          'source_xxh3_128': digest}, result)
        self.assertEqual(3, sendfile.call_count)
        self.assertEqual([file_system_bank_plugin._SEND_PART] * 2 + [5],
                         parts)
        with open(self._path('/new/dir/obj'), 'rb') as f:
            self.assertEqual(data, f.read())
        # The caller's descriptor was read at offsets, not moved.
        self.assertEqual(0, os.lseek(fd, 0, os.SEEK_CUR))

    def test_copy_from_a_file_replaces_links_not_their_targets(self):
        outside = os.path.join(self.state_path, 'outside')
        with open(outside, 'wb') as f:
            f.write(b'not the bank')
        self.bank.update_object('/a/x', 'placeholder')
        os.symlink(outside, self._path('/a/soft'))
        self.bank.put_copy_object_from_file(
            '/a/soft', self._source_file(b'copied'), 6, 'md5')
        self.assertFalse(os.path.islink(self._path('/a/soft')))
        with open(outside, 'rb') as f:
            self.assertEqual(b'not the bank', f.read())

    def test_copy_from_a_shorter_file_leaves_no_object(self):
        fd = self._source_file(b'abc')
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.bank.put_copy_object_from_file, '/d/o', fd,
                          10, 'md5')
        self.assertEqual([], self.bank.list_objects('/'))

    @ddt.data(errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP)
    def test_copy_from_a_file_declined_where_sendfile_cannot(self, code):
        fd = self._source_file(b'abc')
        with mock.patch.object(file_system_bank_plugin.os, 'sendfile',
                               autospec=True,
                               side_effect=OSError(code, 'no')):
            self.assertIsNone(self.bank.put_copy_object_from_file(
                '/d/o', fd, 3, 'md5'))
        self.assertEqual([], self.bank.list_objects('/'))

    def test_copy_from_a_file_failing_midway_leaves_no_object(self):
        data = os.urandom(file_system_bank_plugin._SEND_PART + 1)
        fd = self._source_file(data)
        calls = []
        real_sendfile = os.sendfile

        def fail_second(out, source, offset, count):
            calls.append(offset)
            if len(calls) > 1:
                # Even the "not between these files" errors, once bytes
                # moved, are failures.
                raise OSError(errno.EINVAL, 'Invalid argument')
            return real_sendfile(out, source, offset, count)
        with mock.patch.object(file_system_bank_plugin.os, 'sendfile',
                               autospec=True, side_effect=fail_second):
            self.assertRaises(exception.BankUpdateObjectFailed,
                              self.bank.put_copy_object_from_file, '/d/o',
                              fd, len(data), 'md5')
        self.assertEqual([], self.bank.list_objects('/'))

    def test_a_directory_at_the_key_is_an_error(self):
        self.bank.update_object('/d/inner', 'x')
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.bank.put_copy_object, '/d', [b'x'], 1, 'md5')
        self.assertEqual('x', self.bank.get_object('/d/inner'))


class FileSystemBankCopyBatchTest(FileSystemBankTestCase):
    """put_copy_objects_from_paths: batches copied by _fscopy."""

    def setUp(self):
        super().setUp()
        if file_system_bank_plugin._fscopy is None:
            services.unavailable('the _fscopy extension is not built (it '
                                 'needs a C compiler and libxxhash-dev)')
        self.sources = os.path.join(self.state_path, 'sources')
        os.mkdir(self.sources)

    def _source(self, name, data):
        path = os.path.join(self.sources, name)
        with open(path, 'wb') as f:
            f.write(data)
        return path

    def _read(self, key):
        with open(os.path.join(self.plugin.root, key.lstrip('/')),
                  'rb') as f:
            return f.read()

    def test_copies_and_reports_both_digests(self):
        datas = [b'', b'x', os.urandom(16384), os.urandom(300000)]
        items = [('/new/dir%d/obj%d' % (i % 2, i),
                  self._source('s%d' % i, data), len(data))
                 for i, data in enumerate(datas)]
        results = self.bank.put_copy_objects_from_paths(items, 'xxh3_128')
        self.assertEqual([(xxhash.xxh3_128_hexdigest(d),) * 2
                          for d in datas], results)
        for (key, _path, _size), data in zip(items, datas):
            self.assertEqual(data, self._read(key))
        # Written in place: no temporary file was made.
        self.assertEqual(['obj0', 'obj2'], sorted(os.listdir(
            os.path.join(self.plugin.root, 'new', 'dir0'))))

    def test_an_empty_batch_tells_it_would_copy(self):
        self.assertEqual(
            [], self.bank.put_copy_objects_from_paths([], 'xxh3_128'))

    def test_declined_without_the_extension_or_for_other_digests(self):
        items = [('/o', self._source('s', b'abc'), 3)]
        for algorithm in ('md5', 'sha256'):
            self.assertIsNone(
                self.bank.put_copy_objects_from_paths(items, algorithm))
        limit = file_system_bank_plugin._BATCH_OBJECT_LIMIT
        self.assertIsNone(self.bank.put_copy_objects_from_paths(
            items + [('/big', items[0][1], limit + 1)], 'xxh3_128'))
        with mock.patch.object(file_system_bank_plugin, '_fscopy', None):
            self.assertIsNone(
                self.bank.put_copy_objects_from_paths(items, 'xxh3_128'))
            self.assertIsNone(
                self.bank.put_copy_objects_from_paths([], 'xxh3_128'))
        self.assertEqual([], self.bank.list_objects('/'))

    def test_local_file_paths(self):
        self.bank.update_object('/a/b', 'x')
        self.assertEqual([os.path.join(self.plugin.root, 'a', 'b'),
                          os.path.join(self.plugin.root, 'c')],
                         self.bank.local_file_paths(['/a/b', 'c']))
        self.assertRaises(exception.InvalidBankKey,
                          self.bank.local_file_paths, ['/a/../../x'])

    def test_paths_of_a_batch_are_checked_like_single_ones(self):
        # Plain keys are checked at once, the others one by one.
        root = self.plugin.root
        keys = ['/a/b', '/a/c', '/d/e@f']
        self.assertEqual([root + key for key in keys],
                         self.plugin.local_file_paths(keys))
        self.assertEqual([root + '/a/b', root + '/x/y'],
                         self.plugin.local_file_paths(['/a/b', 'x//y/']))
        for bad in (['/a', '/b/../../c'], ['/a', '/b/#tmp-1'], ['/a', '']):
            self.assertRaises(exception.InvalidBankKey,
                              self.plugin.local_file_paths, bad)
        outside = os.path.join(self.state_path, 'outside')
        os.makedirs(outside)
        os.symlink(outside, os.path.join(root, 'link'))
        self.assertRaises(exception.InvalidBankKey,
                          self.plugin.local_file_paths, ['/a/b', '/link/x'])

    def test_replaces_objects_without_writing_through_links(self):
        self.bank.update_object('/a/original', b'keep me')
        root = self.plugin.root
        os.link(os.path.join(root, 'a', 'original'),
                os.path.join(root, 'a', 'hard'))
        outside = self._source('outside', b'not the bank')
        os.symlink(outside, os.path.join(root, 'a', 'soft'))
        source = self._source('s', b'copied')
        self.bank.put_copy_objects_from_paths(
            [('/a/hard', source, 6), ('/a/soft', source, 6)], 'xxh3_128')
        for key in ('/a/hard', '/a/soft'):
            self.assertFalse(os.path.islink(os.path.join(root, key[1:])))
            self.assertEqual(b'copied', self._read(key))
        self.assertEqual(b'keep me', self._read('/a/original'))
        with open(outside, 'rb') as f:
            self.assertEqual(b'not the bank', f.read())

    def test_a_source_of_another_size_stops_the_batch_there(self):
        good = self._source('good', b'abc')
        items = [('/d/1', good, 3), ('/d/2', self._source('long', b'abcd'),
                                     3), ('/d/3', good, 3)]
        exc = self.assertRaises(exception.BankGetObjectFailed,
                                self.bank.put_copy_objects_from_paths,
                                items, 'xxh3_128')
        self.assertIn('/d/2', str(exc))
        self.assertIn('holds 4 bytes, not 3', str(exc))
        # The objects before it are written, it and the rest are not.
        self.assertEqual(['/d/1'], self.bank.list_objects('/'))

    def test_source_links_and_missing_files_are_not_read(self):
        target = self._source('target', b'abc')
        link = os.path.join(self.sources, 'link')
        os.symlink(target, link)
        for path in (link, os.path.join(self.sources, 'none'),
                     self.sources):
            exc = self.assertRaises(exception.BankGetObjectFailed,
                                    self.bank.put_copy_objects_from_paths,
                                    [('/o', path, 3)], 'xxh3_128')
            self.assertIn('open source', str(exc))
        self.assertEqual([], self.bank.list_objects('/'))

    def test_a_destination_that_cannot_be_written(self):
        # A file where the object's directory should be.
        self.bank.update_object('/d', 'x')
        exc = self.assertRaises(exception.BankUpdateObjectFailed,
                                self.bank.put_copy_objects_from_paths,
                                [('/d/o', self._source('s', b'abc'), 3)],
                                'xxh3_128')
        self.assertIn('Not a directory', str(exc))
        self.assertEqual('x', self.bank.get_object('/d'))

    def test_a_directory_at_the_key_is_an_error(self):
        self.bank.update_object('/d/inner', 'x')
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.bank.put_copy_objects_from_paths,
                          [('/d', self._source('s', b'abc'), 3)],
                          'xxh3_128')
        self.assertEqual('x', self.bank.get_object('/d/inner'))

    def test_fsync_when_configured(self):
        self.plugin._fsync = True
        calls = []
        real = file_system_bank_plugin._fscopy.copy_files

        def copy_files(items, fsync=False):
            calls.append(fsync)
            return real(items, fsync=fsync)
        with mock.patch.object(file_system_bank_plugin._fscopy,
                               'copy_files', autospec=True,
                               side_effect=copy_files):
            self.bank.put_copy_objects_from_paths(
                [('/o', self._source('s', b'abc'), 3)], 'xxh3_128')
        self.assertEqual([True], calls)
        self.assertEqual(b'abc', self._read('/o'))


class FsCopyExtensionTest(base.TestCase):
    """_fscopy.copy_files itself: results, failures, bad arguments."""

    def setUp(self):
        super().setUp()
        self.fscopy = file_system_bank_plugin._fscopy
        if self.fscopy is None:
            services.unavailable('the _fscopy extension is not built (it '
                                 'needs a C compiler and libxxhash-dev)')

    def _file(self, name, data):
        path = os.path.join(self.state_path, name)
        with open(path, 'wb') as f:
            f.write(data)
        return path

    def test_failure_names_the_stage_and_errno(self):
        source = self._file('s', b'abc')
        missing_dir = os.path.join(self.state_path, 'none', 'o')
        self.assertEqual(([], ('create', errno.ENOENT, 0)),
                         self.fscopy.copy_files([(source, missing_dir, 3)]))
        self.assertEqual(([], ('source size', 0, 3)),
                         self.fscopy.copy_files([(source, missing_dir, 2)]))
        self.assertEqual(
            ([], ('open source', errno.ENOENT, 0)),
            self.fscopy.copy_files([(source + 'x', missing_dir, 3)]))

    def test_digests_are_xxh3_128_whatever_the_size(self):
        # Sizes around XXH3's internal boundaries; where the CPU has AVX2
        # the extension hashes with its AVX2 build, which must agree.
        for size in (0, 1, 3, 4, 8, 9, 16, 17, 128, 129, 240, 241, 1024,
                     1025, 16384, 16385, 65537, 1 << 20):
            data = os.urandom(size)
            source = self._file('s%d' % size, data)
            expected = xxhash.xxh3_128(data).hexdigest()
            self.assertEqual(
                ([(expected, expected)], None),
                self.fscopy.copy_files([(source, source + '.copy', size)]),
                'size %d' % size)

    def test_bad_arguments(self):
        self.assertRaises(TypeError, self.fscopy.copy_files, [('a', 'b')])
        self.assertRaises(TypeError, self.fscopy.copy_files, 3)
        self.assertRaises(ValueError, self.fscopy.copy_files,
                          [('a', 'b', -1)])
        self.assertEqual(([], None), self.fscopy.copy_files([]))
