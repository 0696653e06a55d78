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

"""A bank in an S3 bucket (AWS S3, Ceph RGW, Swift s3api, MinIO, ...).

Every object is the S3 object whose key is the bank key itself, leading
``/`` included, in the bucket ``bank_s3_object_bucket``: the layout
upstream Karbor's S3 bank uses, so an existing bucket stays readable.

Serialisation follows upstream too: a str (or bytes) value is stored raw
and anything else as JSON, and the user metadata
``x-object-meta-serialized`` (``True``/``False``) records which, so a read
decodes exactly what was written. An object without that metadata (not
written by Karbor) is decoded as the file-system bank does: JSON when it
parses, text otherwise. Streamed writes carry no type; see
:meth:`S3BankPlugin.put_object_stream` for how they are flagged.

Large objects are streamed with bounded memory: writes use a multipart
upload of fixed-size parts, reads stream the response body. The MD5 of
every object this plugin writes is stored in its metadata, because S3's
ETag is not an MD5 for multipart uploads.

Options are read from ``[s3_client]`` and ``[s3_bank_plugin]`` for a
provider's main bank (upstream's groups) or all from one
``[copy_destination:<name>]`` section for a copy destination.
"""

import base64
import hashlib
import re
import uuid

import boto3
from botocore import config as botocore_config
from botocore import exceptions as botocore_exceptions
from oslo_config import cfg
from oslo_log import log as logging

from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.services.protection import checksums

LOG = logging.getLogger(__name__)

CLIENT_GROUP = 's3_client'
BANK_GROUP = 's3_bank_plugin'

s3_client_opts = [
    cfg.StrOpt('s3_endpoint',
               help='URL of the S3 service, e.g. http://rgw.example:8080. '
                    'Unset means AWS S3 itself.'),
    cfg.StrOpt('s3_access_key', help='The access key of the S3 account.'),
    cfg.StrOpt('s3_secret_key', secret=True,
               help='The secret key of the S3 account.'),
    cfg.StrOpt('s3_region',
               help='The region to sign requests for and to create the '
                    'buckets in. Unset means us-east-1, which S3-compatible '
                    'services accept.'),
    cfg.IntOpt('s3_retry_attempts', default=3, min=0,
               help='How many times a request that failed with a transient '
                    'error (connection error, throttling, 5xx) is retried.'),
    cfg.IntOpt('s3_retry_backoff', default=2, min=1,
               help='Accepted for compatibility with upstream provider '
                    'files. The wait between retries is botocore\'s '
                    'exponential backoff (a random fraction of 2^n seconds, '
                    'at most 20 s), whose base 2 is this option\'s default; '
                    'other values are not applied.'),
]

s3_bank_opts = [
    cfg.StrOpt('bank_s3_object_bucket', default='karbor',
               help='The bucket holding the bank\'s objects. Created when '
                    'missing.'),
    cfg.StrOpt('bank_s3_lease_bucket', default='lease',
               help='Accepted for compatibility with upstream provider '
                    'files: the bank takes no lease (checkpoint code never '
                    'consulted it), so this bucket is not used.'),
    cfg.IntOpt('lease_expire_window', default=600,
               help='Accepted for compatibility; unused (no lease).'),
    cfg.IntOpt('lease_renew_window', default=120,
               help='Accepted for compatibility; unused (no lease).'),
    cfg.IntOpt('lease_validity_window', default=100,
               help='Accepted for compatibility; unused (no lease).'),
]

# Upstream's user metadata telling how a value was serialised.
SERIALIZED_META = bank_plugin.SERIALIZED_META
# The MD5 of the object's whole content, written by this plugin.
MD5_META = 'x-object-meta-md5'

# Multipart part size. 8 MiB keeps a transfer's memory near two parts and
# the request count low; S3 needs at least 5 MiB for every part but the
# last, and allows 10000 parts, so objects up to ~78 GiB stream.
PART_SIZE = 8 * 1024 * 1024
# A single CopyObject copies at most 5 GiB; larger objects are copied
# part by part.
COPY_LIMIT = 5 * 1024 * 1024 * 1024
# The most keys one ListObjectsV2 request returns.
LIST_PAGE = 1000

_MD5_RE = re.compile(r'^[0-9a-f]{32}$')
_NOT_FOUND = ('404', 'NoSuchKey', 'NotFound')
_BOTO_ERRORS = (botocore_exceptions.BotoCoreError,
                botocore_exceptions.ClientError)


def list_opts():
    """Options of this plugin, for the provider configuration reference."""
    return [(CLIENT_GROUP, s3_client_opts), (BANK_GROUP, s3_bank_opts)]


def _error_code(exc):
    if isinstance(exc, botocore_exceptions.ClientError):
        return str(exc.response.get('Error', {}).get('Code', ''))
    return ''


def _is_not_found(exc):
    return _error_code(exc) in _NOT_FOUND


def _content_md5(data):
    digest = hashlib.md5(data, usedforsecurity=False)
    return digest, base64.b64encode(digest.digest()).decode('ascii')


def _plain_etag(etag):
    """The MD5 an ETag stands for, or None (multipart or unknown ETag)."""
    etag = (etag or '').strip('"').lower()
    return etag if _MD5_RE.match(etag) else None


class S3BankPlugin(bank_plugin.BankPlugin):
    """Bank plugin storing each object in an S3 bucket.

    :param config: the provider file's ``ConfigOpts``.
    :param section: the group holding all of this bank's options (a copy
        destination's ``copy_destination:<name>``); by default the client
        options come from ``[s3_client]`` and the bank options from
        ``[s3_bank_plugin]``, as in upstream provider files.
    :raises karbor.exception.InvalidConfiguration: when the bucket does not
        exist and cannot be created.
    """

    # The service computes an object's MD5 from the bytes it received,
    # checks it against the one sent, and keeps it.
    stored_checksum = checksums.MD5

    def __init__(self, config, section=None):
        super().__init__(config, section=section)
        client_group = section or CLIENT_GROUP
        bank_group = section or BANK_GROUP
        config.register_opts(s3_client_opts, group=client_group)
        config.register_opts(s3_bank_opts, group=bank_group)
        client_opts = config[client_group]
        bank_opts = config[bank_group]
        if client_opts.s3_retry_backoff != 2:
            LOG.warning('[%s] s3_retry_backoff = %s is not applied: retries '
                        'use botocore\'s exponential backoff (base 2)',
                        client_group, client_opts.s3_retry_backoff)
        self._bucket = bank_opts.bank_s3_object_bucket
        self._region = client_opts.s3_region
        self._endpoint = client_opts.s3_endpoint
        self._owner_id = str(uuid.uuid4())
        self._client = boto3.session.Session().client(
            's3',
            endpoint_url=self._endpoint or None,
            aws_access_key_id=client_opts.s3_access_key,
            aws_secret_access_key=client_opts.s3_secret_key,
            region_name=self._region or 'us-east-1',
            config=botocore_config.Config(
                # Path style works with every S3-compatible service and
                # with bucket names that are not DNS names.
                s3={'addressing_style': 'path'},
                retries={'max_attempts': client_opts.s3_retry_attempts,
                         'mode': 'standard'},
                # Many S3-compatible services reject the CRC checksums
                # recent botocore sends by default; integrity is checked
                # with Content-MD5 and the stored MD5 instead.
                request_checksum_calculation='when_required',
                response_checksum_validation='when_required',
                connect_timeout=10, read_timeout=60,
                # The bank mover runs several transfers at once.
                max_pool_connections=16))
        self._ensure_bucket(self._bucket, client_group, bank_group)

    @property
    def root(self):
        """Where the objects are: endpoint and bucket.

        The provider loader compares it between the main bank and the copy
        destinations, which must not share their storage.
        """
        return 's3:%s/%s' % (self._endpoint or 'aws', self._bucket)

    @property
    def bucket(self):
        """The bucket holding the objects."""
        return self._bucket

    def _ensure_bucket(self, bucket, client_group, bank_group):
        try:
            self._client.head_bucket(Bucket=bucket)
            return
        except _BOTO_ERRORS as exc:
            if not _is_not_found(exc) and _error_code(exc) != 'NoSuchBucket':
                raise exception.InvalidConfiguration(
                    reason='S3 bank: cannot access bucket %s at %s (options '
                           'in [%s] and [%s]): %s'
                           % (bucket, self._endpoint or 'AWS', client_group,
                              bank_group, exc))
        kwargs = {'Bucket': bucket}
        if self._region and self._region != 'us-east-1':
            kwargs['CreateBucketConfiguration'] = {
                'LocationConstraint': self._region}
        try:
            self._client.create_bucket(**kwargs)
        except _BOTO_ERRORS as exc:
            # Another process may have created it meanwhile.
            if _error_code(exc) in ('BucketAlreadyOwnedByYou',):
                return
            raise exception.InvalidConfiguration(
                reason='S3 bank: bucket %s does not exist at %s and cannot '
                       'be created (options in [%s] and [%s]): %s'
                       % (bucket, self._endpoint or 'AWS', client_group,
                          bank_group, exc))
        LOG.info('Created the S3 bank bucket %s', bucket)

    # Plain objects.

    def update_object(self, key, value, context=None):
        data = bank_plugin.value_to_bytes(value)
        serialized = not isinstance(value, (str, bytes))
        digest, content_md5 = _content_md5(data)
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=key, Body=data,
                ContentMD5=content_md5,
                Metadata={SERIALIZED_META: str(serialized),
                          MD5_META: digest.hexdigest()})
        except _BOTO_ERRORS as exc:
            raise exception.BankUpdateObjectFailed(key=key, reason=exc)

    def _get(self, key):
        try:
            return self._client.get_object(Bucket=self._bucket, Key=key)
        except _BOTO_ERRORS as exc:
            if _is_not_found(exc):
                raise exception.BankObjectNotFound(key=key)
            raise exception.BankGetObjectFailed(key=key, reason=exc)

    def get_object(self, key, context=None):
        response = self._get(key)
        try:
            with response['Body'] as body:
                data = body.read()
        except _BOTO_ERRORS as exc:
            raise exception.BankGetObjectFailed(key=key, reason=exc)
        return bank_plugin.decode_value(
            key, data, response.get('Metadata', {}).get(SERIALIZED_META))

    def delete_object(self, key, context=None):
        # S3 answers a delete of a missing key with success as well.
        try:
            self._client.delete_object(Bucket=self._bucket, Key=key)
        except _BOTO_ERRORS as exc:
            if _is_not_found(exc):
                return
            raise exception.BankDeleteObjectFailed(key=key, reason=exc)

    def get_owner_id(self, context=None):
        return self._owner_id

    # Listing.

    def _pages(self, prefix, start_after=None, page_size=None):
        """Yield lists of keys under ``prefix``, ascending, after a key."""
        for items in self._item_pages(prefix, start_after, page_size):
            yield [item['Key'] for item in items]

    def _item_pages(self, prefix, start_after=None, page_size=None):
        """Yield the listing's entries (``Key``, ``Size``...) by pages."""
        kwargs = {'Bucket': self._bucket, 'Prefix': prefix,
                  'MaxKeys': page_size or LIST_PAGE}
        if start_after:
            kwargs['StartAfter'] = start_after
        while True:
            try:
                response = self._client.list_objects_v2(**kwargs)
            except _BOTO_ERRORS as exc:
                raise exception.BankListObjectsFailed(reason=exc)
            yield response.get('Contents', [])
            token = response.get('NextContinuationToken')
            if not response.get('IsTruncated') or not token:
                return
            kwargs.pop('StartAfter', None)
            kwargs['ContinuationToken'] = token

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        """List keys; see :meth:`BankPlugin.list_objects`.

        Ascending listings map onto ListObjectsV2 (``StartAfter`` is the
        marker) and stop as soon as ``limit`` keys are found. S3 cannot
        list backwards, so a descending listing reads every key under the
        prefix that sorts before the marker (all of them without one), one
        request per 1000 keys, keeping only the last ``limit``: its cost
        grows with the number of keys under the prefix, not with
        ``limit``.
        """
        if limit is not None and limit <= 0:
            return []
        prefix = prefix or '/'
        if sort_dir == bank_plugin.SORT_DESC:
            return self._list_descending(prefix, limit, marker)
        result = []
        page_size = LIST_PAGE if limit is None else min(limit, LIST_PAGE)
        for page in self._pages(prefix, start_after=marker,
                                page_size=page_size):
            result.extend(page)
            if limit is not None and len(result) >= limit:
                return result[:limit]
        return result

    def list_object_sizes(self, prefix=None, context=None):
        """``[(key, size)]`` from ListObjectsV2, which returns both."""
        return [(item['Key'], item['Size'])
                for items in self._item_pages(prefix or '/')
                for item in items]

    def _list_descending(self, prefix, limit, marker):
        # Only the last `limit` keys before the marker are kept, so memory
        # stays bounded by the limit whatever the size of the prefix.
        kept = []
        for page in self._pages(prefix):
            if marker is not None:
                before = [k for k in page if k < marker]
                kept.extend(before)
                done = len(before) < len(page)
            else:
                kept.extend(page)
                done = False
            if limit is not None and len(kept) > limit:
                del kept[:len(kept) - limit]
            if done:
                break
        kept.reverse()
        return kept

    # Streaming.

    def open_object_reader(self, key, context=None):
        response = self._get(key)
        return bank_plugin.ObjectReader(bank_plugin.ErrorMappingReader(
            response['Body'], key, _BOTO_ERRORS),
            size=response.get('ContentLength'))

    def head_stored_checksum(self, key, context=None):
        """``{'size', 'md5'}`` of ``key`` from a HEAD request.

        The MD5 is the one this plugin stored when writing, or the ETag
        when that is a plain MD5 (single-part objects written by others);
        None otherwise (multipart objects written by others).
        """
        response = self._head(key)
        md5 = response.get('Metadata', {}).get(MD5_META)
        if not (md5 and _MD5_RE.match(md5)):
            md5 = _plain_etag(response.get('ETag'))
        return {'size': response['ContentLength'], 'md5': md5}

    def get_object_size(self, key, context=None):
        return self._head(key)['ContentLength']

    def _head(self, key):
        try:
            return self._client.head_object(Bucket=self._bucket, Key=key)
        except _BOTO_ERRORS as exc:
            if _is_not_found(exc):
                raise exception.BankObjectNotFound(key=key)
            raise exception.BankGetObjectFailed(key=key, reason=exc)

    def put_object_stream(self, key, reader, size=None, context=None):
        """Write ``key`` from a stream with at most ~2 parts in memory.

        A stream shorter than one part is written with one PUT; a longer
        one with a multipart upload that is aborted on any failure, so no
        orphan parts stay billed. Each part is sent with its Content-MD5,
        so the service rejects a part damaged on the way.

        Streams are untyped bytes: a single-part object is flagged as
        serialised when it parses as JSON, so that :meth:`get_object`
        decodes a copied object as the file-system bank it came from
        does; a multipart object (backup data) is flagged as raw.
        """
        chunks = bank_plugin.iter_chunks(reader)
        md5 = hashlib.md5(usedforsecurity=False)
        buffer = bytearray()
        for chunk in chunks:
            md5.update(chunk)
            buffer.extend(chunk)
            if len(buffer) >= PART_SIZE:
                return self._multipart(key, chunks, md5, buffer, size)
        bank_plugin.check_stream_size(key, size, len(buffer))
        data = bytes(buffer)
        del buffer
        _, content_md5 = _content_md5(data)
        try:
            self._client.put_object(
                Bucket=self._bucket, Key=key, Body=data,
                ContentMD5=content_md5,
                Metadata={SERIALIZED_META:
                          str(bank_plugin.looks_serialized(data)),
                          MD5_META: md5.hexdigest()})
        except _BOTO_ERRORS as exc:
            raise exception.BankUpdateObjectFailed(key=key, reason=exc)
        return {'size': len(data), 'md5': md5.hexdigest()}

    def _multipart(self, key, chunks, md5, buffer, expected_size):
        try:
            upload_id = self._client.create_multipart_upload(
                Bucket=self._bucket, Key=key,
                Metadata={SERIALIZED_META: 'False'})['UploadId']
        except _BOTO_ERRORS as exc:
            raise exception.BankUpdateObjectFailed(key=key, reason=exc)
        parts = []
        size = 0
        try:
            while True:
                while len(buffer) >= PART_SIZE:
                    # Through a view: a plain slice would be one more
                    # part-sized copy in memory.
                    with memoryview(buffer) as view:
                        part = bytes(view[:PART_SIZE])
                    del buffer[:PART_SIZE]
                    size += len(part)
                    parts.append(self._upload_part(key, upload_id,
                                                   len(parts) + 1, part))
                    del part
                chunk = next(chunks, None)
                if chunk is None:
                    break
                md5.update(chunk)
                buffer.extend(chunk)
            if buffer:
                size += len(buffer)
                parts.append(self._upload_part(key, upload_id,
                                               len(parts) + 1,
                                               bytes(buffer)))
                buffer.clear()
            bank_plugin.check_stream_size(key, expected_size, size)
            self._client.complete_multipart_upload(
                Bucket=self._bucket, Key=key, UploadId=upload_id,
                MultipartUpload={'Parts': parts})
        except BaseException as exc:
            self._abort(key, upload_id)
            if isinstance(exc, _BOTO_ERRORS):
                raise exception.BankUpdateObjectFailed(key=key, reason=exc)
            raise
        digest = md5.hexdigest()
        self._store_md5(key, size, digest)
        return {'size': size, 'md5': digest}

    def _upload_part(self, key, upload_id, number, data):
        digest, content_md5 = _content_md5(data)
        response = self._client.upload_part(
            Bucket=self._bucket, Key=key, UploadId=upload_id,
            PartNumber=number, Body=data, ContentMD5=content_md5)
        etag = response['ETag']
        stored = _plain_etag(etag)
        if stored is not None and stored != digest.hexdigest():
            raise exception.BankUpdateObjectFailed(
                key=key, reason='part %d was stored with MD5 %s, sent %s'
                                % (number, stored, digest.hexdigest()))
        return {'ETag': etag, 'PartNumber': number}

    def delete_leftovers(self, prefix, context=None):
        """Abort the multipart uploads left unfinished under ``prefix``.

        An upload is aborted when its write fails; one whose process was
        killed stays, its parts stored (and billed) but in no listing.
        """
        kwargs = {'Bucket': self._bucket, 'Prefix': prefix}
        aborted = 0
        while True:
            try:
                response = self._client.list_multipart_uploads(**kwargs)
            except _BOTO_ERRORS as exc:
                raise exception.BankListObjectsFailed(reason=exc)
            for upload in response.get('Uploads', []):
                self._abort(upload['Key'], upload['UploadId'])
                aborted += 1
            if not response.get('IsTruncated'):
                break
            kwargs['KeyMarker'] = response.get('NextKeyMarker')
            kwargs['UploadIdMarker'] = response.get('NextUploadIdMarker')
        if aborted:
            LOG.info('Aborted %(count)d multipart uploads left unfinished '
                     'under %(prefix)s', {'count': aborted, 'prefix': prefix})

    def _abort(self, key, upload_id):
        try:
            self._client.abort_multipart_upload(
                Bucket=self._bucket, Key=key, UploadId=upload_id)
        except _BOTO_ERRORS as exc:
            LOG.warning('Could not abort the multipart upload %(id)s of '
                        '%(key)s; the bucket\'s lifecycle rules must clean '
                        'it up: %(exc)s',
                        {'id': upload_id, 'key': key, 'exc': exc})

    def _store_md5(self, key, size, digest):
        # A multipart upload's metadata is fixed when it starts, before the
        # MD5 is known: it is added by a server-side copy of the object
        # onto itself, which moves no data through this process.
        metadata = {SERIALIZED_META: 'False', MD5_META: digest}
        source = {'Bucket': self._bucket, 'Key': key}
        try:
            if size <= COPY_LIMIT:
                self._client.copy_object(
                    Bucket=self._bucket, Key=key, CopySource=source,
                    Metadata=metadata, MetadataDirective='REPLACE')
            else:
                self._copy_in_parts(key, size, source, metadata)
        except BaseException as exc:
            # An object without its MD5 would pass for unverifiable; the
            # write failed, so it must not stay behind either.
            try:
                self._client.delete_object(Bucket=self._bucket, Key=key)
            except _BOTO_ERRORS:
                LOG.exception('Could not delete %s after a failed write', key)
            if isinstance(exc, _BOTO_ERRORS):
                raise exception.BankUpdateObjectFailed(
                    key=key, reason='storing the MD5: %s' % exc)
            raise

    def _copy_in_parts(self, key, size, source, metadata):
        upload_id = self._client.create_multipart_upload(
            Bucket=self._bucket, Key=key, Metadata=metadata)['UploadId']
        parts = []
        try:
            start = 0
            while start < size:
                end = min(start + COPY_LIMIT, size) - 1
                response = self._client.upload_part_copy(
                    Bucket=self._bucket, Key=key, UploadId=upload_id,
                    PartNumber=len(parts) + 1, CopySource=source,
                    CopySourceRange='bytes=%d-%d' % (start, end))
                parts.append({'ETag': response['CopyPartResult']['ETag'],
                              'PartNumber': len(parts) + 1})
                start = end + 1
            self._client.complete_multipart_upload(
                Bucket=self._bucket, Key=key, UploadId=upload_id,
                MultipartUpload={'Parts': parts})
        except BaseException:
            self._abort(key, upload_id)
            raise
