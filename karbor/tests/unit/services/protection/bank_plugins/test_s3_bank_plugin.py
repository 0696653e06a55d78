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

"""Tests of the S3 bank plugin against a real S3 server (moto).

The server runs in its own process, started once for each test class;
each test works in its own buckets.
"""

import hashlib
import io
import json
import os
from unittest import mock


from karbor import exception
from karbor.services.protection.bank_plugins import s3_bank_plugin
from karbor.services.protection import provider
from karbor.tests import base
from karbor.tests.fixtures import byte_streams
from karbor.tests.fixtures import s3 as s3_fixture
from karbor.tests.unit.services.protection.bank_plugins import (
    bank_contract)

MIB = byte_streams.MIB
pattern = byte_streams.pattern
md5_of = byte_streams.md5_of


class S3TestCase(s3_fixture.S3ServerMixin, base.TestCase):

    def write_config(self, text):
        return bank_contract.load_config(self.state_path, text)

    def make_plugin(self, bucket=None, **extra):
        """A plugin configured like upstream: [s3_client]+[s3_bank_plugin]."""
        return s3_bank_plugin.S3BankPlugin(self.write_config(
            bank_contract.upstream_sections(
                dict(self.s3.options(bucket), **extra), 's3_', 's3_client',
                's3_bank_plugin')))


class TestS3BankPluginObjects(bank_contract.ObjectContract, S3TestCase):

    def setUp(self):
        super().setUp()
        self.plugin = self.make_plugin()
        self.client = self.s3.client()
        self.bucket = self.plugin.bucket

    def test_delete_leftovers_aborts_unfinished_uploads(self):
        # What a process killed during a multipart upload leaves.
        def start(key):
            upload = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=key)['UploadId']
            self.client.upload_part(Bucket=self.bucket, Key=key,
                                    UploadId=upload, PartNumber=1,
                                    Body=b'x' * 1024)
            return upload

        data = '/checkpoints/c1/resource-data/'
        for n in range(3):
            start(data + 'r/data_%06d' % n)
        other = start('/checkpoints/c2/resource-data/r/data_000000')
        self.plugin.update_object(data + 'r/metadata', 'kept')

        def unfinished():
            return [(u['Key'], u['UploadId']) for u in
                    self.client.list_multipart_uploads(
                        Bucket=self.bucket).get('Uploads', [])]

        self.assertEqual(4, len(unfinished()))
        self.plugin.delete_leftovers(data)
        self.assertEqual([('/checkpoints/c2/resource-data/r/data_000000',
                           other)], unfinished())
        self.assertEqual('kept', self.plugin.get_object(data + 'r/metadata'))

    def test_creates_the_bucket(self):
        self.client.head_bucket(Bucket=self.bucket)
        # A second plugin on the existing bucket is fine too.
        again = self.make_plugin(self.bucket)
        self.assertEqual(self.bucket, again.bucket)
        self.assertNotEqual(self.plugin.get_owner_id(), again.get_owner_id())

    def test_bucket_that_cannot_be_created(self):
        error = self.assertRaises(exception.InvalidConfiguration,
                                  self.make_plugin, bucket='ab')
        self.assertIn('bucket ab', str(error))
        self.assertIn('[s3_client]', str(error))

    def test_stored_like_upstream(self):
        self.plugin.update_object('/checkpoints/c1/index.json',
                                  {'id': 'c1', 'n': [1, 2]})
        self.plugin.update_object('/checkpoints/c1/status', 'available')
        raw = self.client.get_object(Bucket=self.bucket,
                                     Key='/checkpoints/c1/index.json')
        self.assertEqual({'id': 'c1', 'n': [1, 2]},
                         json.loads(raw['Body'].read()))
        self.assertEqual('True',
                         raw['Metadata']['x-object-meta-serialized'])
        raw = self.client.get_object(Bucket=self.bucket,
                                     Key='/checkpoints/c1/status')
        self.assertEqual(b'available', raw['Body'].read())
        self.assertEqual('False',
                         raw['Metadata']['x-object-meta-serialized'])

    def test_reads_upstream_objects(self):
        # What upstream's plugin writes: the metadata decides decoding,
        # so a str that looks like JSON stays a str.
        put = self.client.put_object
        put(Bucket=self.bucket, Key='/a/json', Body=b'{"k": [1, null]}',
            Metadata={'x-object-meta-serialized': 'True'})
        put(Bucket=self.bucket, Key='/a/str', Body=b'123',
            Metadata={'x-object-meta-serialized': 'False'})
        put(Bucket=self.bucket, Key='/a/bare-json', Body=b'[1]')
        put(Bucket=self.bucket, Key='/a/bare-text', Body=b'hello')
        self.assertEqual({'k': [1, None]}, self.plugin.get_object('/a/json'))
        self.assertEqual('123', self.plugin.get_object('/a/str'))
        self.assertEqual([1], self.plugin.get_object('/a/bare-json'))
        self.assertEqual('hello', self.plugin.get_object('/a/bare-text'))

    def test_head_of_single_part_objects(self):
        self.plugin.update_object('/h/mine', 'some text')
        self.assertEqual({'size': 9,
                          'md5': hashlib.md5(b'some text').hexdigest()},
                         self.plugin.head_object('/h/mine'))
        # Written by someone else: the ETag of a single PUT is the MD5.
        self.client.put_object(Bucket=self.bucket, Key='/h/theirs',
                               Body=b'12345')
        self.assertEqual({'size': 5, 'md5': hashlib.md5(b'12345').hexdigest()},
                         self.plugin.head_object('/h/theirs'))
        self.assertEqual(5, self.plugin.get_object_size('/h/theirs'))

    def test_head_of_multipart_objects(self):
        size = 2 * s3_bank_plugin.PART_SIZE + 12345
        stored = self.plugin.put_object_stream('/m/mine', pattern(size),
                                               size=size)
        expected = md5_of(pattern(size))
        self.assertEqual({'size': size, 'md5': expected}, stored)
        self.assertEqual(stored, self.plugin.head_object('/m/mine'))
        raw = self.client.head_object(Bucket=self.bucket, Key='/m/mine')
        self.assertEqual('False', raw['Metadata']['x-object-meta-serialized'])
        # Someone else's multipart object: its ETag is no MD5, and no MD5
        # is made up for it.
        upload = self.client.create_multipart_upload(Bucket=self.bucket,
                                                     Key='/m/theirs')
        parts = []
        for number, chunk in enumerate(pattern(6 * MIB, chunk=5 * MIB), 1):
            etag = self.client.upload_part(
                Bucket=self.bucket, Key='/m/theirs', PartNumber=number,
                UploadId=upload['UploadId'], Body=chunk)['ETag']
            parts.append({'ETag': etag, 'PartNumber': number})
        self.client.complete_multipart_upload(
            Bucket=self.bucket, Key='/m/theirs', UploadId=upload['UploadId'],
            MultipartUpload={'Parts': parts})
        self.assertEqual({'size': 6 * MIB, 'md5': None},
                         self.plugin.head_object('/m/theirs'))

    def test_small_stream_is_one_put(self):
        with mock.patch.object(self.plugin._client, 'create_multipart_upload',
                               autospec=True,
                               side_effect=AssertionError('multipart')):
            stored = self.plugin.put_object_stream(
                '/s/small', io.BytesIO(b'x' * 1000), size=1000)
        self.assertEqual({'size': 1000,
                          'md5': hashlib.md5(b'x' * 1000).hexdigest()},
                         stored)
        with self.plugin.open_object_reader('/s/small') as reader:
            self.assertEqual(b'x' * 1000, reader.read())

    def test_large_stream_with_bounded_memory(self):
        # Two parts for writing (the one being filled, the one being
        # sent); measured: 17 MiB, whatever the object's size.
        self.assert_large_stream_bounded(
            '/big/data', 2 * s3_bank_plugin.PART_SIZE + 4 * MIB)

    def assertNoUploads(self):
        uploads = self.client.list_multipart_uploads(Bucket=self.bucket)
        self.assertEqual([], uploads.get('Uploads', []))

    def test_wrong_size_aborts(self):
        size = s3_bank_plugin.PART_SIZE + MIB
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.plugin.put_object_stream, '/w/long',
                          pattern(size), size=size + 1)
        self.assertRaises(exception.BankUpdateObjectFailed,
                          self.plugin.put_object_stream, '/w/short',
                          pattern(100), size=99)
        self.assertEqual([], self.plugin.list_objects('/w/'))
        self.assertNoUploads()

    def test_failing_reader_aborts(self):
        def broken():
            yield from pattern(s3_bank_plugin.PART_SIZE + MIB)
            raise OSError('source gone')

        self.assertRaises(OSError, self.plugin.put_object_stream,
                          '/f/broken', broken())
        self.assertEqual([], self.plugin.list_objects('/f/'))
        self.assertNoUploads()

    def test_failing_part_upload_aborts(self):
        original = self.plugin._client.upload_part
        calls = []

        def second_fails(**kwargs):
            calls.append(kwargs['PartNumber'])
            if len(calls) == 2:
                raise s3_bank_plugin.botocore_exceptions.ConnectionError(
                    error='injected')
            return original(**kwargs)

        size = 3 * s3_bank_plugin.PART_SIZE
        with mock.patch.object(self.plugin._client, 'upload_part',
                               autospec=True, side_effect=second_fails):
            self.assertRaises(exception.BankUpdateObjectFailed,
                              self.plugin.put_object_stream, '/f/part',
                              pattern(size))
        self.assertEqual([1, 2], calls)
        self.assertEqual([], self.plugin.list_objects('/f/'))
        self.assertNoUploads()

    def test_md5_of_objects_over_the_copy_limit(self):
        # Objects over 5 GiB get their MD5 through a multipart copy; the
        # limit is lowered to exercise that path with a small object.
        size = 2 * s3_bank_plugin.PART_SIZE + MIB
        with mock.patch.object(s3_bank_plugin, 'COPY_LIMIT',
                               s3_bank_plugin.PART_SIZE):
            with mock.patch.object(self.plugin._client, 'copy_object',
                                   autospec=True,
                                   side_effect=AssertionError('copy')):
                stored = self.plugin.put_object_stream(
                    '/c/large', pattern(size, seed=5))
        self.assertEqual({'size': size, 'md5': md5_of(pattern(size, 5))},
                         stored)
        self.assertEqual(stored, self.plugin.head_object('/c/large'))
        with self.plugin.open_object_reader('/c/large') as reader:
            self.assertEqual(stored['md5'], md5_of(reader))

    def test_reader_errors_are_os_errors(self):
        self.plugin.update_object('/r/x', 'data')
        reader = self.plugin.open_object_reader('/r/x')
        with mock.patch.object(
                reader._raw._body, 'read', autospec=True,
                side_effect=s3_bank_plugin.botocore_exceptions.
                ReadTimeoutError(endpoint_url='x')):
            self.assertRaises(OSError, reader.read, 10)
        reader.close()


class TestS3BankPluginListing(bank_contract.ListingContract, S3TestCase):

    def setUp(self):
        super().setUp()
        self.plugin = self.make_plugin()
        for key in self.KEYS:
            self.plugin.update_object(key, 'v')

    def test_paging_both_directions(self):
        # Pages of 4 keys: every listing spans several ListObjectsV2 pages.
        calls = []
        original = self.plugin._client.list_objects_v2

        def counted(**kwargs):
            calls.append(kwargs['MaxKeys'])
            return original(**kwargs)

        with mock.patch.object(s3_bank_plugin, 'LIST_PAGE', 4), \
                mock.patch.object(self.plugin._client, 'list_objects_v2',
                                  autospec=True, side_effect=counted):
            count = self.assert_every_listing()
        self.assertLessEqual(max(calls), 4)
        self.assertGreater(len(calls), 10 * count)


class TestS3BankPluginSection(S3TestCase):

    def test_options_from_the_destination_section(self):
        bucket = s3_fixture.unique_bucket()
        lines = ''.join('%s = %s\n' % item
                        for item in self.s3.options(bucket).items())
        # The upstream groups point elsewhere: they must not be read.
        config = self.write_config(
            '[s3_client]\ns3_endpoint = http://127.0.0.1:9\n'
            '[s3_bank_plugin]\nbank_s3_object_bucket = wrong\n'
            '[copy_destination:x]\nbank = karbor-s3-bank-plugin\n%s'
            % lines)
        plugin = s3_bank_plugin.S3BankPlugin(config,
                                             section='copy_destination:x')
        self.assertEqual(bucket, plugin.bucket)
        self.assertEqual('s3:%s/%s' % (self.s3.endpoint, bucket), plugin.root)
        plugin.update_object('/k', [1])
        self.assertEqual([1], plugin.get_object('/k'))
        self.s3.client().head_object(Bucket=bucket, Key='/k')

    def test_unreachable_endpoint_is_a_clear_error(self):
        config = self.write_config(
            '[copy_destination:x]\ns3_endpoint = http://127.0.0.1:9\n'
            's3_access_key = a\ns3_secret_key = b\ns3_retry_attempts = 0\n')
        error = self.assertRaises(exception.InvalidConfiguration,
                                  s3_bank_plugin.S3BankPlugin, config,
                                  section='copy_destination:x')
        self.assertIn('copy_destination:x', str(error))
        self.assertIn('http://127.0.0.1:9', str(error))

    def test_list_opts(self):
        groups = dict(s3_bank_plugin.list_opts())
        self.assertEqual(['s3_endpoint', 's3_access_key', 's3_secret_key',
                          's3_region', 's3_retry_attempts',
                          's3_retry_backoff'],
                         [o.name for o in groups['s3_client']])
        self.assertIn('bank_s3_object_bucket',
                      [o.name for o in groups['s3_bank_plugin']])


class TestS3BankMover(bank_contract.MoverContract, S3TestCase):
    """Sections copied between a file-system bank and an S3 bank."""

    STREAMED_SIZE = s3_bank_plugin.PART_SIZE


class TestS3BankInProviders(S3TestCase):

    def test_destination_on_the_main_bucket_is_refused(self):
        options = self.s3.options()
        client = ''.join('%s = %s\n' % (k, v) for k, v in options.items()
                         if k.startswith('s3_'))
        path = os.path.join(self.state_path, 'p.conf')
        with open(path, 'w') as f:
            f.write('[provider]\nname = p\nid = %s\nbank = '
                    'karbor-s3-bank-plugin\nenabled = True\n'
                    'copy_destinations = same\n'
                    '[s3_client]\n%s[s3_bank_plugin]\n'
                    'bank_s3_object_bucket = %s\n'
                    '[copy_destination:same]\nbank = karbor-s3-bank-plugin\n'
                    '%s' % ('4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8', client,
                            options['bank_s3_object_bucket'],
                            ''.join('%s = %s\n' % item
                                    for item in options.items())))
        config = provider.load_provider_config(path)
        error = self.assertRaises(exception.ProviderNotLoaded,
                                  provider.PluggableProtectionProvider,
                                  config)
        self.assertIn('same place', str(error))
