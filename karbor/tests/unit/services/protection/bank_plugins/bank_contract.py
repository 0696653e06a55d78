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

"""What every object-store bank plugin must do, as test mixins.

A plugin's test module mixes these into its own test cases, which set
``self.plugin`` to a plugin on an empty store (``ObjectContract``) or on
a store holding exactly ``ListingContract.KEYS`` (``ListingContract``),
or give ``make_plugin()``, ``write_config(text)`` and ``STREAMED_SIZE``
(``MoverContract``).
Behaviour particular to a plugin (its layout, its streaming, its errors)
stays in its own module.
"""

import hashlib
import os
import tracemalloc
import uuid

from oslo_config import cfg

from karbor import exception
from karbor.services.protection import bank_mover
from karbor.services.protection import bank_plugin
from karbor.services.protection.bank_plugins import file_system_bank_plugin
from karbor.services.protection import checksums
from karbor.tests.fixtures import byte_streams


def option_lines(options, keep=lambda name: True):
    """``name = value`` lines of the options whose name ``keep`` accepts."""
    return ''.join('%s = %s\n' % (name, value)
                   for name, value in options.items() if keep(name))


def upstream_sections(options, client_prefix, client_group, bank_group):
    """An upstream provider file's two sections, from one dict of options.

    The options whose name starts with ``client_prefix`` go to
    ``[client_group]``, the others to ``[bank_group]``.
    """
    return '[%s]\n%s[%s]\n%s' % (
        client_group,
        option_lines(options, lambda name: name.startswith(client_prefix)),
        bank_group,
        option_lines(options,
                     lambda name: not name.startswith(client_prefix)))


def load_config(directory, text):
    """The ``ConfigOpts`` of a new provider file holding ``text``."""
    path = os.path.join(directory, 'provider-%s.conf' % uuid.uuid4().hex)
    with open(path, 'w') as f:
        f.write(text)
    config = cfg.ConfigOpts()
    config(args=[], default_config_files=[path], default_config_dirs=[],
           use_env=False)
    return config


class ObjectContract:
    """Values, missing keys, deletes and the section wrappers."""

    def assert_large_stream_bounded(self, key, write_bound):
        """Stream 40 MiB in and out of ``key`` with bounded memory.

        The write's peak of traced memory must stay under ``write_bound``
        (what the plugin buffers before sending); reading holds one chunk
        plus transport buffers. Both sides' MD5 and size must match.
        """
        size = 40 * byte_streams.MIB
        pattern = byte_streams.pattern
        expected = byte_streams.md5_of(pattern(size, seed=3))
        tracemalloc.start()
        try:
            stored = self.plugin.put_object_stream(
                key, pattern(size, seed=3), size=size)
            _, write_peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            digest = hashlib.md5(usedforsecurity=False)
            read = 0
            largest = 0
            with self.plugin.open_object_reader(key) as reader:
                for chunk in reader:
                    digest.update(chunk)
                    read += len(chunk)
                    largest = max(largest, len(chunk))
            _, read_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertEqual({'size': size, 'md5': expected}, stored)
        self.assertEqual((size, expected), (read, digest.hexdigest()))
        self.assertLessEqual(largest, bank_plugin.CHUNK_SIZE)
        self.assertEqual(stored, self.plugin.head_object(key))
        self.assertLess(write_peak, write_bound)
        self.assertLess(read_peak,
                        bank_plugin.CHUNK_SIZE + 8 * byte_streams.MIB)

    def test_round_trips(self):
        # A str that looks like JSON stays a str: the object records how
        # it was stored (unlike the file-system bank, which guesses).
        values = {'/v/dict': {'a': 1}, '/v/list': [1, 'x'], '/v/int': 7,
                  '/v/float': 1.5, '/v/bool': True, '/v/none': None,
                  '/v/str': 'plain', '/v/numeric': '42', '/v/json-str': '[1]',
                  '/v/empty': '', '/v/unicode': 'h\u00e9llo \u2603',
                  '/v/bytes-text': b'abc'}
        for key, value in values.items():
            self.plugin.update_object(key, value)
        expected = dict(values, **{'/v/bytes-text': 'abc'})
        for key, value in expected.items():
            self.assertEqual(value, self.plugin.get_object(key), key)
        self.plugin.update_object('/v/binary', b'\xff\x00')
        self.assertEqual(b'\xff\x00', self.plugin.get_object('/v/binary'))
        # Overwriting replaces value and type.
        self.plugin.update_object('/v/int', 'now text')
        self.assertEqual('now text', self.plugin.get_object('/v/int'))

    def test_copy_write_reports_the_digest_of_what_is_stored(self):
        data = bytes(range(256)) * 40
        chunks = [data[:1000], data[1000:]]
        for algorithm in checksums.ALGORITHMS:
            key = '/copy/' + algorithm
            result = self.plugin.put_copy_object(key, iter(chunks),
                                                 len(data), algorithm)
            digest = checksums.new(algorithm)
            digest.update(data)
            self.assertEqual(digest.hexdigest(), result[algorithm],
                             algorithm)
            self.assertEqual(len(data), result['size'])
            with self.plugin.open_object_reader(key) as reader:
                self.assertEqual(data, reader.read())
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.plugin.put_copy_object, '/copy/short',
                          iter(chunks), len(data) + 1,
                          self.plugin.stored_checksum)
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.head_object, '/copy/short')

    def test_missing_keys(self):
        for method in (self.plugin.get_object, self.plugin.head_object,
                       self.plugin.get_object_size,
                       self.plugin.open_object_reader):
            self.assertRaises(exception.BankObjectNotFound, method,
                              '/no/such/key')
        self.plugin.delete_object('/no/such/key')

    def test_delete(self):
        self.plugin.update_object('/d/1', 'x')
        self.plugin.delete_object('/d/1')
        self.assertRaises(exception.BankObjectNotFound,
                          self.plugin.get_object, '/d/1')
        self.assertEqual([], self.plugin.list_objects('/d/'))

    def test_bank_wrapper_and_sections(self):
        bank = bank_plugin.Bank(self.plugin)
        section = bank.get_sub_section('/checkpoints/c9')
        section.update_object('resource-data/r/status', 'available')
        self.assertEqual(['resource-data/r/status'], section.list_objects())
        self.assertEqual('available',
                         bank.get_object('checkpoints/c9/resource-data/r/'
                                         'status'))


class ListingContract:
    """Sorted listings both ways, with prefix, marker and limit."""

    KEYS = sorted(['/l/%s/%02d' % (group, n)
                   for group in ('a', 'b', 'c-d', 'c') for n in range(7)] +
                  ['/l/a', '/l/b.', '/l/z@1', '/other/x', '/l2/y'])

    def expected(self, prefix, limit=None, marker=None, sort_dir=None):
        """What a correct listing of ``KEYS`` returns."""
        keys = sorted((k for k in self.KEYS if k.startswith(prefix)),
                      reverse=sort_dir == 'desc')
        if marker is not None:
            keys = [k for k in keys
                    if (k < marker if sort_dir == 'desc' else k > marker)]
        return keys if limit is None else keys[:limit]

    def assert_every_listing(self):
        """Compare listings for many markers, limits and both directions.

        A plugin's own test calls it with the plugin's page size made
        small, so that every listing spans several requests.
        """
        markers = [None, '/l/', '/l/a', '/l/b/03', '/l/b/99', '/l/c-d/06',
                   '/l/zz', '/a', self.KEYS[-1]]
        for sort_dir in ('asc', 'desc'):
            for marker in markers:
                for limit in (None, 1, 3, 4, 5, 100):
                    for prefix in ('/l/', '/'):
                        self.assertEqual(
                            self.expected(prefix, limit, marker, sort_dir),
                            self.plugin.list_objects(
                                prefix, limit=limit, marker=marker,
                                sort_dir=sort_dir),
                            (prefix, sort_dir, marker, limit))
        return len(markers)

    def test_prefix(self):
        self.assertEqual(self.expected('/l/'), self.plugin.list_objects('/l/'))
        self.assertEqual(self.expected('/l'), self.plugin.list_objects('/l'))
        self.assertEqual(self.KEYS, self.plugin.list_objects())
        self.assertEqual([], self.plugin.list_objects('/nothing/'))
        self.assertEqual(self.expected('/l/', sort_dir='desc'),
                         self.plugin.list_objects('/l/', sort_dir='desc'))

    def test_sizes_come_with_the_listing(self):
        for n in range(1, 4):
            # Some stores keep KEYS for the whole class: leave them so.
            self.addCleanup(self.plugin.delete_object, '/sz/%d' % n)
            self.plugin.update_object('/sz/%d' % n, 'x' * (n * 1000))
        self.assertEqual([('/sz/1', 1000), ('/sz/2', 2000), ('/sz/3', 3000)],
                         self.plugin.list_object_sizes('/sz/'))
        self.assertEqual([(key, 1) for key in self.expected('/l/')],
                         self.plugin.list_object_sizes('/l/'))
        self.assertEqual([], self.plugin.list_object_sizes('/nothing/'))

    def test_walk_in_pages_like_a_client(self):
        for sort_dir in ('asc', 'desc'):
            seen, marker = [], None
            while True:
                page = self.plugin.list_objects('/l/', limit=5, marker=marker,
                                                sort_dir=sort_dir)
                seen.extend(page)
                if len(page) < 5:
                    break
                marker = page[-1]
            self.assertEqual(self.expected('/l/', sort_dir=sort_dir), seen)

    def test_zero_limit(self):
        self.assertEqual([], self.plugin.list_objects('/l/', limit=0))


class MoverContract:
    """Sections copied from a file-system bank to the store and back.

    ``STREAMED_SIZE`` is the size from which the plugin streams a write
    (multipart upload, chunked PUT) instead of sending it whole: one
    object is larger, so both ways of writing are copied.
    """

    STREAMED_SIZE = None

    def fs_bank(self, name):
        directory = os.path.join(self.state_path, name)
        config = self.write_config('[file_system_bank_plugin]\n'
                                   'file_system_bank_path = %s\n' % directory)
        return bank_plugin.Bank(
            file_system_bank_plugin.FileSystemBankPlugin(config))

    def test_fs_to_store_and_back(self):
        pattern, md5_of = byte_streams.pattern, byte_streams.md5_of
        section = '/checkpoints/c1/resource-data/r1'
        source = self.fs_bank('source').get_sub_section(section)
        sizes = {'data_1': self.STREAMED_SIZE + 3 * byte_streams.MIB,
                 'data_2': 300 * 1024, 'empty': 0}
        digests = {}
        for n, (key, size) in enumerate(sorted(sizes.items())):
            source.put_object_stream(key, pattern(size, seed=n), size=size)
            digests[key] = md5_of(pattern(size, seed=n))
        source.update_object('metadata', {'chunks': 2})
        digests['metadata'] = hashlib.md5(b'{"chunks": 2}').hexdigest()

        store = bank_plugin.Bank(self.make_plugin())
        there = bank_mover.copy_section(source,
                                        store.get_sub_section(section))
        self.assertEqual(4, there.objects_copied)
        for key, digest in digests.items():
            self.assertEqual(digest,
                             store.head_object(section + '/' + key)['md5'])
        self.assertEqual({'chunks': 2},
                         store.get_object(section + '/metadata'))

        # Again: everything is already there and verified by checksum.
        again = bank_mover.copy_section(source,
                                        store.get_sub_section(section))
        self.assertEqual((0, 4), (again.objects_copied,
                                  again.objects_skipped))

        back = self.fs_bank('back')
        stats = bank_mover.copy_section(store.get_sub_section(section),
                                        back.get_sub_section(section))
        self.assertEqual(4, stats.objects_copied)
        for key, digest in digests.items():
            with back.open_object_reader(section + '/' + key) as reader:
                self.assertEqual(digest, md5_of(reader), key)
        self.assertEqual({'chunks': 2}, back.get_object(section +
                                                        '/metadata'))
