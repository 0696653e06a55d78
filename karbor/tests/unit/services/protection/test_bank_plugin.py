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

"""Tests of karbor.services.protection.bank_plugin."""

import hashlib
import io
import json
import threading
from unittest import mock

import ddt
import xxhash

from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.tests import base


class DictBankPlugin(bank_plugin.BankPlugin):
    """A bank plugin in a dict, relying on the base streaming defaults."""

    def __init__(self):
        super().__init__(None)
        self.objects = {}
        self.calls = []

    def update_object(self, key, value, context=None):
        self.calls.append(('update', key))
        if isinstance(value, (str, bytes)):
            self.objects[key] = value
        else:
            self.objects[key] = json.dumps(value)

    def get_object(self, key, context=None):
        self.calls.append(('get', key))
        if key not in self.objects:
            raise exception.BankObjectNotFound(key=key)
        return self.objects[key]

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        self.calls.append(('list', prefix, marker))
        desc = sort_dir == 'desc'
        keys = sorted((k for k in self.objects
                       if k.startswith(prefix or '/')), reverse=desc)
        if marker is not None:
            keys = [k for k in keys if (k < marker if desc else k > marker)]
        return keys if limit is None else keys[:limit]

    def delete_object(self, key, context=None):
        self.calls.append(('delete', key))
        self.objects.pop(key, None)

    def get_owner_id(self, context=None):
        return 'owner'


class KeptChecksumPlugin(DictBankPlugin):
    """Keeps a (fake) SHA-256 per object and counts its reads."""

    stored_checksum = 'sha256'

    def __init__(self):
        super().__init__()
        self.reads = 0

    def head_stored_checksum(self, key, context=None):
        return {'size': len(self.objects[key]), 'sha256': 'kept'}

    def open_object_reader(self, key, context=None):
        self.reads += 1
        return super().open_object_reader(key, context=context)


class RecordingRaw(io.BytesIO):
    """A BytesIO recording the sizes it is asked to read.

    :param most: the most one read returns, as a network body may return
        less than asked before its end.
    """

    def __init__(self, data, most=None):
        super().__init__(data)
        self.asked = []
        self._most = most

    def read(self, size=-1):
        self.asked.append(size)
        if self._most is not None and (size is None or size < 0 or
                                       size > self._most):
            size = self._most
        return super().read(size)


@ddt.ddt
class BankTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.plugin = DictBankPlugin()
        self.bank = bank_plugin.Bank(self.plugin)

    @ddt.data(('a', '/a'), ('/a', '/a'), ('a/b/c', '/a/b/c'),
              ('//a//b', '/a/b'), ('a.b-c_d@e', '/a.b-c_d@e'),
              ('/.hidden', '/.hidden'))
    @ddt.unpack
    def test_key_normalised(self, key, expected):
        self.bank.update_object(key, 'v')
        self.assertEqual({expected: 'v'}, self.plugin.objects)
        self.assertEqual('v', self.bank.get_object(key))

    @ddt.data('', 'a/', '/a/b/', 'a b', 'a#b', 'a/../b', '../a', 'a/./b',
              '.', '..', 'a/..', 'é', None, 5)
    def test_invalid_keys(self, key):
        self.assertRaises(exception.InvalidBankKey,
                          self.bank.update_object, key, 'v')
        self.assertRaises(exception.InvalidBankKey,
                          self.bank.get_object, key)
        self.assertRaises(exception.InvalidBankKey,
                          self.bank.delete_object, key)
        self.assertEqual({}, self.plugin.objects)

    def test_list_prefix_keeps_trailing_slash(self):
        for key in ('/a/b', '/a/bc', '/ab'):
            self.bank.update_object(key, 'v')
        self.assertEqual(['/a/b', '/a/bc'], self.bank.list_objects('a/'))
        self.assertEqual(['/a/b', '/a/bc', '/ab'],
                         self.bank.list_objects('/a'))
        self.assertEqual(['/ab', '/a/bc', '/a/b'],
                         self.bank.list_objects(sort_dir='desc'))
        self.assertEqual(['/a/bc'],
                         self.bank.list_objects('/a/', marker='a/b'))

    def test_delegation_and_owner(self):
        self.bank.update_object('/x', {'a': 1})
        self.assertEqual('{"a": 1}', self.bank.get_object('/x'))
        self.bank.delete_object('x')
        self.assertEqual({}, self.plugin.objects)
        self.assertEqual('owner', self.bank.get_owner_id())

    def test_default_streaming(self):
        data = b'\x00\x01' * 100000
        result = self.bank.put_object_stream('/blob', io.BytesIO(data),
                                             size=len(data))
        # The default keeps no checksum, so its write reports none.
        self.assertEqual({'size': len(data)}, result)
        self.assertEqual({'size': len(data),
                          'md5': hashlib.md5(data).hexdigest()},
                         self.bank.head_object('blob'))
        self.assertEqual({'size': len(data),
                          'xxh3_128': xxhash.xxh3_128(data).hexdigest()},
                         self.bank.head_object('blob',
                                               algorithm='xxh3_128'))
        self.assertRaises(ValueError, self.bank.head_object, 'blob',
                          algorithm='crc7')
        with self.bank.open_object_reader('blob') as reader:
            self.assertEqual(data, b''.join(reader))

    def test_default_stream_from_iterable_and_size_mismatch(self):
        result = self.bank.put_object_stream('/blob', [b'ab', b'', b'cd'])
        self.assertEqual(4, result['size'])
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.bank.put_object_stream, '/other',
                          [b'abc'], size=2)
        self.assertNotIn('/other', self.plugin.objects)

    def test_default_reader_serialises_values(self):
        self.plugin.objects['/s'] = 'text'
        self.plugin.objects['/d'] = {'a': 1}
        self.assertEqual(b'text', self.bank.open_object_reader('s').read())
        self.assertEqual({'a': 1}, json.loads(
            self.bank.open_object_reader('d').read()))
        self.assertRaises(exception.BankObjectNotFound,
                          self.bank.head_object, 'missing')
        self.assertRaises(exception.BankObjectNotFound,
                          self.bank.open_object_reader, 'missing')

    def test_stored_checksum_is_answered_without_reading(self):
        plugin = KeptChecksumPlugin()
        plugin.update_object('/blob', b'data')
        self.assertEqual({'size': 4, 'sha256': 'kept'},
                         plugin.head_object('/blob', algorithm='sha256'))
        self.assertEqual(0, plugin.reads)
        # Another algorithm is computed from the data.
        self.assertEqual({'size': 4,
                          'md5': hashlib.md5(b'data').hexdigest()},
                         plugin.head_object('/blob', algorithm='md5'))
        self.assertEqual(1, plugin.reads)

    def test_stored_checksum_without_its_head_is_a_plugin_bug(self):
        plugin = DictBankPlugin()
        plugin.stored_checksum = 'md5'
        plugin.update_object('/blob', b'data')
        self.assertRaises(NotImplementedError, plugin.head_object, '/blob')

    def test_default_copy_write_reads_the_object_back(self):
        result = self.bank.put_copy_object('blob', [b'ab', b'cd'], 4,
                                           'xxh3_128')
        self.assertEqual({'size': 4,
                          'xxh3_128': xxhash.xxh3_128(b'abcd').hexdigest()},
                         result)
        # The digest is of what the plugin holds: read after the write.
        self.assertEqual([('update', '/blob'), ('get', '/blob')],
                         self.plugin.calls)

    def test_default_copy_write_reports_a_kept_digest_unread(self):
        plugin = KeptChecksumPlugin()
        self.assertEqual({'size': 4, 'sha256': 'kept'},
                         plugin.put_copy_object('/blob', [b'data'], 4,
                                                'sha256'))
        self.assertEqual(0, plugin.reads)

    def test_default_copy_write_checks_the_size(self):
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.bank.put_copy_object, '/blob', [b'abc'], 2,
                          'md5')
        self.assertNotIn('/blob', self.plugin.objects)

    def test_default_copy_write_of_a_vanishing_object_fails(self):
        with mock.patch.object(self.plugin, 'head_object', autospec=True,
                               side_effect=exception.BankObjectNotFound(
                                   key='/blob')):
            exc = self.assertRaises(exception.BankUpdateObjectFailed,
                                    self.bank.put_copy_object, '/blob',
                                    [b'ab'], 2, 'md5')
        self.assertIn('gone', str(exc))

    def test_object_reader_chunks(self):
        reader = bank_plugin.ObjectReader(io.BytesIO(b'abcdefg'),
                                          chunk_size=3)
        self.assertEqual([b'abc', b'def', b'g'], list(reader))
        reader = bank_plugin.ObjectReader(io.BytesIO(b'abcdefg'))
        self.assertEqual(b'ab', reader.read(2))
        self.assertEqual(b'cdefg', reader.read())
        buf = bytearray(4)
        reader = bank_plugin.ObjectReader(io.BytesIO(b'xy'))
        self.assertEqual(2, reader.readinto(buf))
        reader.close()
        self.assertTrue(reader.closed)

    def test_object_reader_of_known_size_asks_no_more_than_left(self):
        raw = RecordingRaw(b'0123456789')
        reader = bank_plugin.ObjectReader(raw, chunk_size=1024, size=10)
        self.assertEqual([b'0123456789'], list(reader))
        # What is left plus one byte; the byte did not come, so that was
        # the end: no read only to be told so.
        self.assertEqual([11], raw.asked)
        self.assertEqual(b'', reader.read(5))
        self.assertEqual([11], raw.asked)

    def test_object_reader_short_reads_before_the_end_go_on(self):
        raw = RecordingRaw(b'0123456789', most=4)
        reader = bank_plugin.ObjectReader(raw, chunk_size=1024, size=10)
        self.assertEqual([b'0123', b'4567', b'89'], list(reader))
        # Short reads that ended before the known size were followed by
        # more; the one short of the byte beyond it ended the stream.
        self.assertEqual([11, 7, 3], raw.asked)

    def test_object_reader_of_an_object_shorter_than_announced(self):
        raw = RecordingRaw(b'01234')
        reader = bank_plugin.ObjectReader(raw, chunk_size=1024, size=10)
        self.assertEqual(b'01234', b''.join(reader))
        self.assertEqual([11, 6], raw.asked)

    def test_object_reader_reads_on_past_an_end_that_moved(self):
        raw = RecordingRaw(b'0123456789' * 3)
        reader = bank_plugin.ObjectReader(raw, chunk_size=1024, size=10)
        self.assertEqual(b'0123456789' * 3, b''.join(reader))
        # Once more than announced came, reads are no longer capped.
        self.assertEqual([11, 1024, 1024], raw.asked)

    def test_object_reader_descriptor_only_of_local_files(self):
        class Raw:
            def read(self, size=-1):
                return b''

            def close(self):
                pass

        for raw in (Raw(), io.BytesIO(b'x')):
            reader = bank_plugin.ObjectReader(raw)
            self.assertRaises(io.UnsupportedOperation, reader.fileno)
        with open(__file__, 'rb') as f:
            self.assertEqual(f.fileno(),
                             bank_plugin.ObjectReader(f).fileno())

    def test_default_copy_from_file_declines_and_writes_nothing(self):
        with open(__file__, 'rb') as f:
            self.assertIsNone(self.bank.put_copy_object_from_file(
                '/blob', f.fileno(), 10, 'md5'))
        self.assertEqual({}, self.plugin.objects)

    def test_value_to_bytes(self):
        self.assertEqual(b'abc', bank_plugin.value_to_bytes('abc'))
        self.assertEqual(b'\xff', bank_plugin.value_to_bytes(b'\xff'))
        self.assertEqual(b'[1, 2]', bank_plugin.value_to_bytes([1, 2]))
        self.assertEqual(b'null', bank_plugin.value_to_bytes(None))

    def test_abstract(self):
        self.assertRaises(TypeError, bank_plugin.BankPlugin, None)
        self.assertRaises(TypeError, bank_plugin.LeasePlugin)


class DeferredPluginTest(base.TestCase):
    """A bank whose plugin starts when used, and again after failing."""

    def setUp(self):
        super().setUp()
        self.now = 100.0
        self.attempts = 0
        self.down = True
        self.plugin = DictBankPlugin()
        # Looked up at each start, so that a test can replace it.
        self.deferred = bank_plugin.DeferredPlugin(
            lambda: self._start(), 'copy destination dr', retry_interval=30,
            clock=lambda: self.now)
        self.bank = bank_plugin.Bank(self.deferred)

    def _start(self):
        self.attempts += 1
        if self.down:
            raise exception.BankPluginError(reason='no route to host')
        return self.plugin

    def _unavailable(self, call, *args):
        error = self.assertRaises(exception.BankUnavailable, call, *args)
        self.assertEqual(503, error.code)
        self.assertIn('copy destination dr', str(error))
        self.assertIn('no route to host', str(error))
        return error

    def test_sections_are_made_before_the_plugin_starts(self):
        section = self.bank.get_sub_section('/checkpoints/c1')
        self.assertEqual(0, self.attempts)
        self._unavailable(section.update_object, 'index.json', 'v')
        self.assertEqual(1, self.attempts)
        self.down = False
        self.now += 30
        section.update_object('index.json', 'v')
        self.assertEqual({'/checkpoints/c1/index.json': 'v'},
                         self.plugin.objects)
        self.assertIs(self.plugin, self.bank.plugin)

    def test_failures_are_not_retried_before_the_interval(self):
        self._unavailable(self.bank.list_objects)
        self.down = False
        self.now += 29
        error = self._unavailable(self.bank.get_object, 'k')
        self.assertIsNone(error.__cause__)  # the last reason, not a try
        self.assertEqual(1, self.attempts)
        self.now += 1
        self.assertEqual([], self.bank.list_objects())
        self.assertEqual(2, self.attempts)

    def test_a_started_plugin_is_kept(self):
        self.down = False
        self.bank.update_object('k', 'v')
        self.down = True
        self.now += 1000
        self.assertEqual('v', self.bank.get_object('k'))
        self.assertEqual(1, self.attempts)

    def test_uses_during_a_retry_do_not_wait_for_it(self):
        self._unavailable(self.bank.list_objects)
        self.now += 30
        trying = threading.Event()
        release = threading.Event()

        def slow_start():
            trying.set()
            release.wait(10)
            raise exception.BankPluginError(reason='no route to host')

        self._start = slow_start
        retry = threading.Thread(target=self.assertRaises, args=(
            exception.BankUnavailable, self.bank.list_objects))
        retry.start()
        self.assertTrue(trying.wait(10))
        # The bank was down a moment ago: answered at once, not blocked.
        self._unavailable(self.bank.get_object, 'k')
        release.set()
        retry.join(10)
        self.assertFalse(retry.is_alive())

    def test_the_first_start_is_waited_for(self):
        # No failure yet: a concurrent use waits for the first start.
        self.down = False
        started = threading.Event()
        release = threading.Event()
        real_start = self._start

        def slow_start():
            started.set()
            release.wait(10)
            return real_start()

        self._start = slow_start
        first = threading.Thread(target=self.bank.list_objects)
        first.start()
        self.assertTrue(started.wait(10))
        second = []
        waiter = threading.Thread(
            target=lambda: second.append(self.bank.list_objects()))
        waiter.start()
        release.set()
        first.join(10)
        waiter.join(10)
        self.assertEqual([[]], second)
        self.assertIs(self.plugin, self.bank.plugin)

    def test_the_cause_is_kept(self):
        error = self._unavailable(self.deferred.get)
        self.assertIsInstance(error.__cause__, exception.BankPluginError)

    def test_a_plain_plugin_is_used_as_is(self):
        self.assertIs(self.plugin, bank_plugin.Bank(self.plugin).plugin)


class BankSectionTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.plugin = DictBankPlugin()
        self.bank = bank_plugin.Bank(self.plugin)
        self.section = self.bank.get_sub_section('/checkpoints/cp1')

    def test_relative_keys(self):
        self.section.update_object('index.json', {'a': 1})
        self.section.update_object('/data/x', 'v')
        self.assertEqual({'/checkpoints/cp1/index.json': '{"a": 1}',
                          '/checkpoints/cp1/data/x': 'v'},
                         self.plugin.objects)
        self.assertEqual('v', self.section.get_object('data/x'))
        self.assertEqual('/checkpoints/cp1/', self.section.section)

    def test_list_relative_with_marker_and_prefix(self):
        for key in ('a', 'b', 'c/d', 'c/e'):
            self.section.update_object(key, 'v')
        self.bank.update_object('/checkpoints/cp10/x', 'v')
        self.bank.update_object('/checkpoints/cp0', 'v')
        self.assertEqual(['a', 'b', 'c/d', 'c/e'],
                         self.section.list_objects())
        self.assertEqual(['c/d', 'c/e'], self.section.list_objects('c/'))
        self.assertEqual(['c/e'], self.section.list_objects('c/',
                                                            marker='c/d'))
        self.assertEqual(['c/e', 'c/d', 'b'],
                         self.section.list_objects(sort_dir='desc', limit=3))
        self.assertEqual(['b', 'a'], self.section.list_objects(
            marker='c/d', sort_dir='desc'))
        self.assertIn(('list', '/checkpoints/cp1/c/',
                       '/checkpoints/cp1/c/d'), self.plugin.calls)

    def test_batch_keys_are_checked_like_single_ones(self):
        # local_file_paths and put_copy_objects_from_paths check a batch
        # of normal keys at once, the others one by one: same outcome.
        self._fake(self.plugin, 'local_file_paths',
                   lambda keys, context=None: list(keys))
        for keys in (['a', 'b/c.d', 'e-f/g@h_i'], ['/a', 'b//c', 'd'],
                     ['a', '.b/..c']):
            self.assertEqual([self.section._full_key(key) for key in keys],
                             self.section.local_file_paths(keys))
        for bad in (['a', '..'], ['a/../..', 'b'], ['a', ''], ['a', 3],
                    ['a\n/b'], ['a', 'b/']):
            self.assertRaises(exception.InvalidBankKey,
                              self.section.local_file_paths, bad)
        self.assertEqual([], self.section.local_file_paths([]))
        self._fake(self.plugin, 'put_copy_objects_from_paths',
                   lambda items, algorithm, context=None: items)
        self.assertEqual(
            [('/checkpoints/cp1/a', '/p/a', 1),
             ('/checkpoints/cp1/b/c', '/p/b', 2)],
            self.section.put_copy_objects_from_paths(
                [('a', '/p/a', 1), ('/b/c', '/p/b', 2)], 'xxh3_128'))
        self.assertRaises(exception.InvalidBankKey,
                          self.section.put_copy_objects_from_paths,
                          [('a', '/p/a', 1), ('..', '/p/b', 2)], 'xxh3_128')

    def _fake(self, obj, name, function):
        patcher = mock.patch.object(obj, name, autospec=True,
                                    side_effect=function)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_readonly(self):
        self.section.update_object('k', 'v')
        readonly = self.bank.get_sub_section('/checkpoints/cp1',
                                             is_writable=False)
        self.assertFalse(readonly.is_writable())
        self.assertEqual('v', readonly.get_object('k'))
        self.assertEqual(['k'], readonly.list_objects())
        self.assertRaises(exception.BankReadonlyViolation,
                          readonly.update_object, 'k', 'w')
        self.assertRaises(exception.BankReadonlyViolation,
                          readonly.delete_object, 'k')
        self.assertRaises(exception.BankReadonlyViolation,
                          readonly.put_object_stream, 'k', [b'x'])
        self.assertRaises(exception.BankReadonlyViolation,
                          readonly.put_copy_object, 'k', [b'x'], 1, 'md5')
        self.assertRaises(exception.BankReadonlyViolation,
                          readonly.put_copy_object_from_file, 'k', 0, 1,
                          'md5')
        self.assertRaises(exception.BankReadonlyViolation,
                          readonly.delete_leftovers)
        nested = readonly.get_sub_section('sub', is_writable=True)
        self.assertFalse(nested.is_writable())
        self.assertEqual({'/checkpoints/cp1/k': 'v'}, self.plugin.objects)

    def test_delete_leftovers_gets_the_section_prefix(self):
        # The base plugin has nothing to remove; a plugin that has gets
        # the section's prefix, or the bank's normalised one.
        self.assertIsNone(self.section.delete_leftovers())
        with mock.patch.object(self.plugin, 'delete_leftovers',
                               autospec=True) as delete:
            self.section.get_sub_section('resource-data').delete_leftovers()
            self.bank.delete_leftovers('checkpoints//cp2')
        self.assertEqual(
            [mock.call('/checkpoints/cp1/resource-data/', context=None),
             mock.call('/checkpoints/cp2/', context=None)],
            delete.call_args_list)

    def test_nested_sections(self):
        nested = self.section.get_sub_section('resource-data/r1')
        self.assertTrue(nested.is_writable())
        nested.update_object('status', 'available')
        self.assertEqual(
            'available',
            self.plugin.objects['/checkpoints/cp1/resource-data/r1/status'])
        self.assertEqual(['resource-data/r1/status'],
                         self.section.list_objects())

    def test_keys_cannot_escape_section(self):
        for key in ('../cp2/index.json', '', '/', 'a/../../x'):
            self.assertRaises(exception.InvalidBankKey,
                              self.section.update_object, key, 'v')
        self.assertEqual({}, self.plugin.objects)

    def test_streaming_through_section(self):
        self.section.put_object_stream('blob', io.BytesIO(b'data'))
        self.assertEqual({'size': 4, 'md5': hashlib.md5(b'data').hexdigest()},
                         self.section.head_object('blob'))
        self.assertEqual(b'data',
                         self.section.open_object_reader('blob').read())
        self.assertEqual('owner', self.section.get_owner_id())
        # The default size comes from head_object; keys are the section's.
        self.assertEqual(4, self.section.get_object_size('blob'))
        self.assertEqual(4, self.bank.get_object_size(
            '/checkpoints/cp1/blob'))
        self.assertRaises(exception.BankObjectNotFound,
                          self.section.get_object_size, 'missing')
        self.section.put_copy_object('copied', [b'xy'], 2, 'md5')
        self.assertEqual(b'xy',
                         self.plugin.objects['/checkpoints/cp1/copied'])

    def test_read_only_view_of_a_section(self):
        self.section.update_object('k', 'v')
        view = self.section.get_sub_section('/', is_writable=False)
        self.assertEqual(self.section.section, view.section)
        self.assertEqual(['k'], view.list_objects())
        self.assertRaises(exception.BankReadonlyViolation,
                          view.put_object_stream, 'k', [b'x'])


class ObjectStoreHelpersTest(base.TestCase):
    """What the object-store banks (S3, Swift) share."""

    def test_decode_follows_the_serialized_flag(self):
        decode = bank_plugin.decode_value
        self.assertEqual({'a': 1}, decode('/k', b'{"a": 1}', 'True'))
        self.assertEqual('{"a": 1}', decode('/k', b'{"a": 1}', 'False'))
        # No flag (another client's object): JSON when it parses.
        self.assertEqual([1], decode('/k', b'[1]', None))
        self.assertEqual('text', decode('/k', b'text', None))
        self.assertEqual(b'\xff', decode('/k', b'\xff', None))
        self.assertEqual(b'\xff', decode('/k', b'\xff', 'False'))
        for bad in (b'\xff', b'{bad'):
            self.assertRaises(exception.BankGetObjectFailed, decode, '/k',
                              bad, 'True')

    def test_looks_serialized(self):
        self.assertTrue(bank_plugin.looks_serialized(b'{"a": 1}'))
        self.assertTrue(bank_plugin.looks_serialized(b'7'))
        self.assertFalse(bank_plugin.looks_serialized(b'plain'))
        self.assertFalse(bank_plugin.looks_serialized(b'\xff\x00'))

    def test_error_mapping_reader(self):
        class Body:
            closed = False

            def __init__(self, error=None):
                self.error = error

            def read(self, size=None):
                if self.error:
                    raise self.error
                return b'abc' if size is None else b'abc'[:size]

            def close(self):
                self.closed = True

        reader = bank_plugin.ErrorMappingReader(Body(), '/k', (KeyError,))
        self.assertEqual(b'ab', reader.read(2))
        self.assertEqual(b'abc', reader.read())
        reader.close()
        self.assertTrue(reader._body.closed)
        error = self.assertRaises(
            OSError, bank_plugin.ErrorMappingReader(
                Body(KeyError('gone')), '/k', (KeyError,)).read, 1)
        self.assertIn('reading bank object /k', str(error))
        # OSError passes as it is; other errors are not hidden.
        self.assertRaises(ConnectionResetError, bank_plugin.ErrorMappingReader(
            Body(ConnectionResetError()), '/k', (KeyError,)).read)
        self.assertRaises(ValueError, bank_plugin.ErrorMappingReader(
            Body(ValueError()), '/k', (KeyError,)).read)
