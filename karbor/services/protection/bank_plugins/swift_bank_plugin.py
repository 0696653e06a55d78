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

"""A bank in an OpenStack Swift container.

Every object is the Swift object whose name is the bank key itself,
leading ``/`` included, in the container ``bank_swift_object_container``:
the layout upstream Karbor's Swift bank uses, so an existing container
stays readable.

Serialisation follows upstream too: a str (or bytes) value is stored raw
and anything else as JSON, and the object metadata
``X-Object-Meta-Serialized`` (``True``/``False``) records which, so a read
decodes exactly what was written. An object without that metadata (not
written by Karbor) is decoded as the file-system bank does: JSON when it
parses, text otherwise. Streamed writes carry no type; see
:meth:`SwiftBankPlugin.put_object_stream` for how they are flagged.

Large objects are streamed with bounded memory: writes send a chunked
PUT, reads stream the response body. A plain Swift object's ETag is the
MD5 of its content, checked after every write and returned by
:meth:`SwiftBankPlugin.head_object`. Objects are plain objects, so they
are limited by the cluster's ``max_file_size`` (5 GiB by default); a
larger stream fails with BankUpdateObjectFailed and leaves nothing behind.

Authentication follows the auth URL: one ending in ``/v1.0`` (tempauth,
swauth) uses v1 auth with ``swift_user`` and ``swift_key``; any other is
Keystone password auth through a keystoneauth1 session (the identity
API version is discovered, v3 preferred), with the
project ``swift_tenant_name`` and the domain name options.

Options are read from ``[swift_client]`` and ``[swift_bank_plugin]`` for
a provider's main bank (upstream's groups) or all from one
``[copy_destination:<name>]`` section for a copy destination.
"""

import hashlib
import http.client
import re
import threading
import urllib.parse
import uuid

from keystoneauth1 import exceptions as ksa_exceptions
from keystoneauth1.identity import generic as ksa_generic
from keystoneauth1 import session as ksa_session
from oslo_config import cfg
from oslo_log import log as logging
import requests
from swiftclient import client as swift_client
from swiftclient import exceptions as swift_exceptions
import urllib3

from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.services.protection import checksums

LOG = logging.getLogger(__name__)

CLIENT_GROUP = 'swift_client'
BANK_GROUP = 'swift_bank_plugin'

swift_client_opts = [
    cfg.StrOpt('swift_auth_url',
               help='The authentication URL: one ending in /v1.0 (for '
                    'instance http://swift.example:8080/auth/v1.0, '
                    'tempauth) uses v1 auth with swift_user and swift_key; '
                    'any other is a Keystone URL (for instance '
                    'http://keystone.example:5000/v3 or, as upstream '
                    'devstack writes it, http://keystone.example/identity; '
                    'the API version is discovered).'),
    cfg.StrOpt('swift_user', help='The user name.'),
    cfg.StrOpt('swift_key', secret=True, help='The user\'s key or password.'),
    cfg.StrOpt('swift_tenant_name',
               help='The project to authenticate in (Keystone only).'),
    # Names, not ids: Keystone's default domain is named Default (its id
    # is default), and only a case-insensitive database finds it as
    # "default".
    cfg.StrOpt('swift_project_domain_name', default='Default',
               help='The name of the project\'s domain (Keystone only).'),
    cfg.StrOpt('swift_user_domain_name', default='Default',
               help='The name of the user\'s domain (Keystone only).'),
    cfg.IntOpt('swift_retry_attempts', default=3, min=0,
               help='How many times a request that failed with a transient '
                    'error (connection error, 5xx) is retried.'),
    cfg.IntOpt('swift_retry_backoff', default=2, min=1,
               help='Seconds to wait before the first retry; the wait '
                    'doubles with every further retry.'),
    cfg.StrOpt('swift_ca_cert_file',
               help='A CA bundle to verify the TLS certificates of Swift '
                    'and Keystone with, instead of the system\'s.'),
    cfg.BoolOpt('swift_auth_insecure', default=False,
                help='Do not verify TLS certificates. Insecure: for tests '
                     'only.'),
    cfg.StrOpt('swift_endpoint',
               help='The storage URL (for instance '
                    'http://swift.example:8080/v1/AUTH_<project id>). Set, '
                    'it replaces the one the authentication returns.'),
    cfg.StrOpt('swift_catalog_info', default='object-store:swift:publicURL',
               help='Where to find Swift in the Keystone catalog, as '
                    '<service type>:<service name>:<interface> (publicURL, '
                    'internalURL or adminURL, or public, internal, admin). '
                    'Not used with v1 auth or when swift_endpoint is set.'),
]

swift_bank_opts = [
    cfg.StrOpt('bank_swift_object_container', default='karbor',
               help='The container holding the bank\'s objects. Created '
                    'when missing.'),
    cfg.IntOpt('lease_expire_window', default=600,
               help='Accepted for compatibility with upstream provider '
                    'files; unused: the bank takes no lease (checkpoint '
                    'code never consulted it).'),
    cfg.IntOpt('lease_renew_window', default=120,
               help='Accepted for compatibility; unused (no lease).'),
    cfg.IntOpt('lease_validity_window', default=100,
               help='Accepted for compatibility; unused (no lease).'),
]

SERIALIZED_META = bank_plugin.SERIALIZED_META
# Streams shorter than this are buffered and written with one PUT that
# carries their length, MD5 and type; longer ones are sent as a chunked
# PUT while they are read: this much first, then one chunk at a time.
SMALL_OBJECT_SIZE = 8 * 1024 * 1024
# The most names one container listing returns by default
# (container_listing_limit); the cluster's own limit is read from /info.
LIST_PAGE = 10000
# Seconds a connection or a read may wait for the server.
TIMEOUT = 60

_MD5_RE = re.compile(r'^[0-9a-f]{32}$')
_V1_AUTH_RE = re.compile(r'/v1\.0/?$')
_INTERFACES = {'publicURL': 'public', 'internalURL': 'internal',
               'adminURL': 'admin'}
# What a read of a response body may raise besides OSError.
_READ_ERRORS = (swift_exceptions.ClientException,
                requests.exceptions.RequestException,
                urllib3.exceptions.HTTPError, http.client.HTTPException)
_CLIENT_ERRORS = _READ_ERRORS + (ksa_exceptions.ClientException, OSError)


def list_opts():
    """Options of this plugin, for the provider configuration reference."""
    return [(CLIENT_GROUP, swift_client_opts), (BANK_GROUP, swift_bank_opts)]


def _status(exc):
    return getattr(exc, 'http_status', None)


def _is_v1_auth(url):
    return bool(_V1_AUTH_RE.search(urllib.parse.urlparse(url).path))


def _parse_catalog_info(info):
    parts = (info or '').split(':')
    if len(parts) != 3 or not parts[0]:
        raise ValueError('swift_catalog_info must be <service type>:'
                         '<service name>:<interface>, not %r' % info)
    service_type, service_name, interface = parts
    return (service_type, service_name or None,
            _INTERFACES.get(interface, interface or 'public'))


def _plain_md5(headers):
    """The MD5 of a plain object from its ETag; None for a large object.

    The ETag of a static or dynamic large object is not the MD5 of its
    content.
    """
    if ('x-static-large-object' in headers or
            'x-object-manifest' in headers):
        return None
    etag = (headers.get('etag') or '').strip('"').lower()
    return etag if _MD5_RE.match(etag) else None


class _StreamAborted(Exception):
    """Raised into the HTTP library to abort a chunked PUT.

    Not an ``OSError``: the HTTP libraries would take one for a network
    error and retry or wrap it.
    """


class SwiftBankPlugin(bank_plugin.BankPlugin):
    """Bank plugin storing each object in a Swift container.

    :param config: the provider file's ``ConfigOpts``.
    :param section: the group holding all of this bank's options (a copy
        destination's ``copy_destination:<name>``); by default the client
        options come from ``[swift_client]`` and the bank options from
        ``[swift_bank_plugin]``, as in upstream provider files.
    :raises karbor.exception.InvalidConfiguration: when Swift cannot be
        reached or authenticated with, or the container does not exist
        and cannot be created.
    """

    # The service computes an object's MD5 from the bytes it received,
    # checks it against the one sent, and keeps it.
    stored_checksum = checksums.MD5

    def __init__(self, config, section=None):
        super().__init__(config, section=section)
        client_group = section or CLIENT_GROUP
        bank_group = section or BANK_GROUP
        config.register_opts(swift_client_opts, group=client_group)
        config.register_opts(swift_bank_opts, group=bank_group)
        client_opts = config[client_group]
        self._container = config[bank_group].bank_swift_object_container
        self._owner_id = str(uuid.uuid4())
        self._local = threading.local()
        self._where = ('options in [%s] and [%s]'
                       % (client_group, bank_group) if section is None
                       else 'options in [%s]' % section)
        self._auth_url = client_opts.swift_auth_url
        if not self._auth_url:
            raise exception.InvalidConfiguration(
                reason='Swift bank: swift_auth_url is not set (%s)'
                       % self._where)
        try:
            self._connection_args = self._make_connection_args(client_opts)
            connection = self._connection()
            self._storage_url = connection.get_auth()[0]
        except (ValueError,) + _CLIENT_ERRORS as exc:
            raise exception.InvalidConfiguration(
                reason='Swift bank: cannot authenticate at %s (%s): %s'
                       % (self._auth_url, self._where, exc))
        self._ensure_container()
        self._list_page = self._listing_limit()

    def _make_connection_args(self, opts):
        if opts.swift_auth_insecure:
            verify = False
        else:
            verify = opts.swift_ca_cert_file or True
        args = {'retries': opts.swift_retry_attempts,
                'starting_backoff': opts.swift_retry_backoff,
                'cacert': opts.swift_ca_cert_file,
                'insecure': opts.swift_auth_insecure,
                'timeout': TIMEOUT}
        os_options = {}
        if opts.swift_endpoint:
            os_options['object_storage_url'] = opts.swift_endpoint
        if _is_v1_auth(self._auth_url):
            args.update(authurl=self._auth_url, user=opts.swift_user,
                        key=opts.swift_key, auth_version='1')
        else:
            # Keystone: a keystoneauth1 session, shared by the connections
            # of every thread, which keeps and renews the token. The
            # generic plugin discovers the version, so upstream's
            # unversioned URLs (http://host/identity) work as well.
            auth = ksa_generic.Password(
                auth_url=self._auth_url, username=opts.swift_user,
                password=opts.swift_key,
                project_name=opts.swift_tenant_name,
                user_domain_name=opts.swift_user_domain_name,
                project_domain_name=opts.swift_project_domain_name)
            session = ksa_session.Session(auth=auth, verify=verify,
                                          timeout=TIMEOUT)
            service_type, service_name, interface = _parse_catalog_info(
                opts.swift_catalog_info)
            # swiftclient looks its endpoint up again on every
            # authentication, then replaces it with object_storage_url.
            os_options.update(service_type=service_type,
                              endpoint_type=interface)
            if not opts.swift_endpoint:
                endpoint = session.get_endpoint(
                    service_type=service_type, service_name=service_name,
                    interface=interface)
                if not endpoint:
                    raise ValueError('no %s endpoint in the catalog (%s)'
                                     % (interface, opts.swift_catalog_info))
                os_options['object_storage_url'] = endpoint
            args.update(session=session, auth_version='3')
        args['os_options'] = os_options
        return args

    def _reason(self, exc):
        """A failure's reason, naming the cluster (errors may not)."""
        return 'Swift at %s: %s' % (self._storage_url, exc)

    def _connection(self):
        """This thread's swiftclient Connection (they are not shareable)."""
        connection = getattr(self._local, 'connection', None)
        if connection is None:
            connection = swift_client.Connection(**self._connection_args)
            self._local.connection = connection
        return connection

    @property
    def root(self):
        """Where the objects are: storage URL and container.

        The provider loader compares it between the main bank and the copy
        destinations, which must not share their storage.
        """
        return 'swift:%s/%s' % (self._storage_url.rstrip('/'),
                                self._container)

    @property
    def container(self):
        """The container holding the objects."""
        return self._container

    def _ensure_container(self):
        connection = self._connection()
        try:
            connection.head_container(self._container)
            return
        except _CLIENT_ERRORS as exc:
            if _status(exc) != 404:
                raise exception.InvalidConfiguration(
                    reason='Swift bank: cannot access container %s at %s '
                           '(%s): %s' % (self._container, self._storage_url,
                                         self._where, exc))
        try:
            connection.put_container(self._container)
        except _CLIENT_ERRORS as exc:
            raise exception.InvalidConfiguration(
                reason='Swift bank: container %s does not exist at %s and '
                       'cannot be created (%s): %s'
                       % (self._container, self._storage_url, self._where,
                          exc))
        LOG.info('Created the Swift bank container %s', self._container)

    def _listing_limit(self):
        """The most names one listing returns, or None when unknown."""
        try:
            info = self._connection().get_capabilities()
            limit = int(info['swift']['container_listing_limit'])
        except (KeyError, TypeError, ValueError) + _CLIENT_ERRORS as exc:
            LOG.debug('Swift bank: cluster limits unknown (%s); listings '
                      'page until an empty page', exc)
            return None
        return min(limit, LIST_PAGE)

    # Plain objects.

    def _put(self, key, data, serialized, md5):
        # The ETag sent makes Swift refuse data damaged on the way.
        try:
            etag = self._connection().put_object(
                self._container, key, data, content_length=len(data),
                etag=md5, headers={SERIALIZED_META: str(serialized)})
        except _CLIENT_ERRORS as exc:
            raise exception.BankUpdateObjectFailed(
                key=key, reason=self._reason(exc))
        if etag and etag != md5:
            self._delete_after_failure(key)
            raise exception.BankUpdateObjectFailed(
                key=key, reason='stored with MD5 %s, sent %s' % (etag, md5))

    def update_object(self, key, value, context=None):
        data = bank_plugin.value_to_bytes(value)
        self._put(key, data, not isinstance(value, (str, bytes)),
                  hashlib.md5(data, usedforsecurity=False).hexdigest())

    def get_object(self, key, context=None):
        try:
            headers, data = self._connection().get_object(self._container,
                                                          key)
        except _CLIENT_ERRORS as exc:
            if _status(exc) == 404:
                raise exception.BankObjectNotFound(key=key)
            raise exception.BankGetObjectFailed(
                key=key, reason=self._reason(exc))
        return bank_plugin.decode_value(key, data,
                                        headers.get(SERIALIZED_META))

    def delete_object(self, key, context=None):
        try:
            self._connection().delete_object(self._container, key)
        except _CLIENT_ERRORS as exc:
            if _status(exc) == 404:
                return
            raise exception.BankDeleteObjectFailed(
                key=key, reason=self._reason(exc))

    def get_owner_id(self, context=None):
        return self._owner_id

    # Listing.

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        """List keys; see :meth:`BankPlugin.list_objects`.

        Both directions are listed by Swift itself (a descending listing
        with ``reverse=on``, where the marker bounds from above), page by
        page with the marker, stopping as soon as ``limit`` keys are
        found. Swift orders names by their UTF-8 bytes, which is Python's
        order for bank keys (ASCII).
        """
        if limit is not None and limit <= 0:
            return []
        query = 'reverse=on' if sort_dir == bank_plugin.SORT_DESC else None
        return [item['name']
                for item in self._listing(prefix, limit, marker, query)]

    def list_object_sizes(self, prefix=None, context=None):
        """``[(key, size)]`` from the container listing, which has both."""
        return [(item['name'], item['bytes'])
                for item in self._listing(prefix, None, None, None)]

    def _listing(self, prefix, limit, marker, query):
        """Yield the listing's entries, page by page with the marker."""
        prefix = prefix or '/'
        # swiftclient's full_listing drops query_string (so the reverse
        # flag) on its next pages: the pages are requested here.
        page_limit = self._list_page or LIST_PAGE
        count = 0
        connection = self._connection()
        while True:
            wanted = page_limit
            if limit is not None:
                wanted = min(wanted, limit - count)
            try:
                _, page = connection.get_container(
                    self._container, marker=marker, limit=wanted,
                    prefix=prefix, query_string=query)
            except _CLIENT_ERRORS as exc:
                raise exception.BankListObjectsFailed(reason=self._reason(exc))
            yield from page
            count += len(page)
            if not page or (limit is not None and count >= limit):
                return
            if self._list_page is not None and len(page) < wanted:
                return
            marker = page[-1]['name']

    # Streaming.

    def open_object_reader(self, key, context=None):
        try:
            headers, body = self._connection().get_object(
                self._container, key, resp_chunk_size=bank_plugin.CHUNK_SIZE)
        except _CLIENT_ERRORS as exc:
            if _status(exc) == 404:
                raise exception.BankObjectNotFound(key=key)
            raise exception.BankGetObjectFailed(
                key=key, reason=self._reason(exc))
        length = headers.get('content-length')
        return bank_plugin.ObjectReader(bank_plugin.ErrorMappingReader(
            body, key, _READ_ERRORS),
            size=None if length is None else int(length))

    def _head(self, key):
        try:
            return self._connection().head_object(self._container, key)
        except _CLIENT_ERRORS as exc:
            if _status(exc) == 404:
                raise exception.BankObjectNotFound(key=key)
            raise exception.BankGetObjectFailed(
                key=key, reason=self._reason(exc))

    def head_stored_checksum(self, key, context=None):
        """``{'size', 'md5'}`` of ``key`` from a HEAD request.

        The MD5 is the ETag, which Swift computes over a plain object's
        content; None for a large object (SLO or DLO) written by others.
        """
        headers = self._head(key)
        return {'size': int(headers['content-length']),
                'md5': _plain_md5(headers)}

    def get_object_size(self, key, context=None):
        return int(self._head(key)['content-length'])

    def put_object_stream(self, key, reader, size=None, context=None):
        """Write ``key`` from a stream with bounded memory.

        A stream shorter than :data:`SMALL_OBJECT_SIZE` is written with one
        PUT carrying its length and MD5. A longer one is sent as a chunked
        PUT as it is read; a failure of the reader, or a size other than
        ``size``, aborts the request before its end, so Swift stores
        nothing. The ETag Swift answers, the MD5 of what it stored, must
        be the MD5 computed while sending, or the object is deleted.

        Streams are untyped bytes: a small object is flagged as serialised
        when it parses as JSON, so that :meth:`get_object` decodes a copied
        object as the file-system bank it came from does; a large object
        (backup data) is flagged as raw.
        """
        chunks = bank_plugin.iter_chunks(reader)
        md5 = hashlib.md5(usedforsecurity=False)
        buffer = bytearray()
        for chunk in chunks:
            md5.update(chunk)
            buffer.extend(chunk)
            if len(buffer) >= SMALL_OBJECT_SIZE:
                return self._put_chunked(key, chunks, md5, buffer, size)
        bank_plugin.check_stream_size(key, size, len(buffer))
        data = bytes(buffer)
        del buffer
        digest = md5.hexdigest()
        self._put(key, data, bank_plugin.looks_serialized(data), digest)
        return {'size': len(data), 'md5': digest}

    def _put_chunked(self, key, chunks, md5, buffer, expected_size):
        sent = {'size': 0}
        failures = []

        def body():
            try:
                first = bytes(buffer)
                buffer.clear()
                sent['size'] = len(first)
                yield first
                del first
                for chunk in chunks:
                    md5.update(chunk)
                    sent['size'] += len(chunk)
                    if (expected_size is not None and
                            sent['size'] > expected_size):
                        bank_plugin.check_stream_size(key, expected_size,
                                                      sent['size'])
                    yield chunk
                # Before the request's last chunk: a wrong size stores
                # nothing.
                bank_plugin.check_stream_size(key, expected_size,
                                              sent['size'])
            except Exception as exc:
                failures.append(exc)
                raise _StreamAborted() from exc

        # Straight to swiftclient's request function: Connection's retries
        # would fail anyway (a stream cannot be rewound) and hide the
        # error. A fresh authentication gives a token that is valid now.
        connection = self._connection()
        http_conn = None
        try:
            url, token = connection.get_auth()
            http_conn = connection.http_connection(url)
            etag = swift_client.put_object(
                url, token, self._container, key, contents=body(),
                headers={SERIALIZED_META: 'False'}, http_conn=http_conn)
        except _StreamAborted:
            raise failures[0]
        except _CLIENT_ERRORS as exc:
            if failures:
                raise failures[0]
            raise exception.BankUpdateObjectFailed(
                key=key, reason=self._reason(exc))
        finally:
            if http_conn is not None:
                http_conn[1].close()
        digest = md5.hexdigest()
        if etag != digest:
            self._delete_after_failure(key)
            raise exception.BankUpdateObjectFailed(
                key=key, reason='stored with MD5 %s, sent %s' % (etag, digest))
        return {'size': sent['size'], 'md5': digest}

    def _delete_after_failure(self, key):
        try:
            self._connection().delete_object(self._container, key)
        except _CLIENT_ERRORS:
            LOG.exception('Could not delete %s after a failed write', key)
