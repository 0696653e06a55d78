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

"""Query-string conventions shared by the list actions.

Paging (``marker``, ``limit``, ``offset``), sorting (``sort=k1:dir,k2`` or the
older ``sort_key``/``sort_dir``), filters (whitelisted for non-admins,
values read as Python literals), ``all_tenants`` and the ``<collection>_links``
of a full page.
"""

import ast
import urllib.parse

from oslo_log import log as logging
from oslo_utils import strutils
from oslo_utils import uuidutils

from karbor import conf as karbor_conf
from karbor import exception
from karbor.i18n import _

CONF = karbor_conf.CONF
LOG = logging.getLogger(__name__)

SORT_DIRS = ('asc', 'desc')
DEFAULT_SORT_KEY = 'created_at'
DEFAULT_SORT_DIR = 'desc'

_PAGING_KEYS = ('marker', 'limit', 'offset')
_SORT_KEYS = ('sort', 'sort_key', 'sort_dir')


def validate_uuid(value, field='id'):
    """Refuse an id that is not UUID-like with 400."""
    if not uuidutils.is_uuid_like(value):
        raise exception.InvalidInput(
            reason=_('%(field)s %(value)s is not a valid UUID') %
            {'field': field, 'value': value})
    return value


def _non_negative_int(value, field, minimum):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exception.InvalidInput(
            reason=_('%(field)s must be an integer, not %(value)r') %
            {'field': field, 'value': value})
    if number < minimum:
        raise exception.InvalidInput(
            reason=_('%(field)s must be >= %(min)d') %
            {'field': field, 'min': minimum})
    return number


def get_pagination_params(params, max_limit=None, uuid_marker=True):
    """Pop and check marker, limit and offset from a dict of parameters.

    ``limit`` must be a positive integer and is capped at ``max_limit``
    (``osapi_max_limit`` by default); ``offset`` a non-negative integer;
    ``marker`` an id (UUID-like unless ``uuid_marker`` is false).

    :returns: (marker, limit, offset), None for those not given.
    """
    max_limit = max_limit or CONF.osapi_max_limit
    marker = params.pop('marker', None)
    limit = params.pop('limit', None)
    offset = params.pop('offset', None)
    if marker is not None and uuid_marker:
        validate_uuid(marker, 'marker')
    if limit is not None:
        limit = min(_non_negative_int(limit, 'limit', 1), max_limit)
    if offset is not None:
        offset = _non_negative_int(offset, 'offset', 0)
    return marker, limit, offset


def _check_dir(sort_dir):
    sort_dir = sort_dir.strip().lower()
    if sort_dir not in SORT_DIRS:
        raise exception.InvalidInput(
            reason=_('Unknown sort direction %(dir)s, must be one of '
                     '%(dirs)s') % {'dir': sort_dir,
                                    'dirs': ', '.join(SORT_DIRS)})
    return sort_dir


def _check_key(key, allowed_keys):
    key = key.strip()
    if not key or (allowed_keys is not None and key not in allowed_keys):
        raise exception.InvalidInput(
            reason=_('Unknown sort key %(key)r, must be one of %(keys)s') %
            {'key': key, 'keys': ', '.join(sorted(allowed_keys or ()))})
    return key


def get_sort_params(params, allowed_keys=None,
                    default_key=DEFAULT_SORT_KEY,
                    default_dir=DEFAULT_SORT_DIR):
    """Pop and check the sort parameters from a dict of parameters.

    ``sort=k1:dir1,k2`` is the current form; ``sort_key`` and ``sort_dir``
    the older one, and mixing both forms is refused. A key without a
    direction takes the first direction given, or ``default_dir``.

    :returns: (sort_keys, sort_dirs), two lists of the same length.
    """
    sort = params.pop('sort', None)
    sort_key = params.pop('sort_key', None)
    sort_dir = params.pop('sort_dir', None)
    if sort is not None and (sort_key is not None or sort_dir is not None):
        raise exception.InvalidInput(
            reason=_('The sort parameter cannot be used with sort_key or '
                     'sort_dir.'))
    keys, dirs = [], []
    if sort is not None:
        for part in sort.split(','):
            key, _sep, direction = part.partition(':')
            keys.append(_check_key(key, allowed_keys))
            dirs.append(_check_dir(direction) if direction else None)
    else:
        keys.append(_check_key(sort_key, allowed_keys)
                    if sort_key is not None else default_key)
        dirs.append(_check_dir(sort_dir) if sort_dir is not None else None)
    first_dir = next((d for d in dirs if d), default_dir)
    return keys, [d or first_dir for d in dirs]


def is_all_tenants(context, params):
    """Pop all_tenants; true only for an admin asking for it."""
    value = params.pop('all_tenants', None)
    if value is None:
        return False
    try:
        wanted = strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidInput(
            reason=_('all_tenants must be a boolean, not %r') % value)
    return bool(wanted and context.is_admin)


def _literal(value):
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError,
            RecursionError):
        return value


def get_filters(context, params, allowed):
    """The remaining query parameters as filters.

    For non-admins, keys outside ``allowed`` (the resource's
    ``query_*_filters`` option) are dropped, as upstream does. Values that
    parse as Python literals become those values, so that
    ``parameters={'a': 'b'}`` arrives as a dict.
    """
    filters = {}
    for key, value in params.items():
        if key in _PAGING_KEYS or key in _SORT_KEYS:
            continue
        if not context.is_admin and key not in allowed:
            LOG.debug('Dropping filter %s: not allowed for non-admins', key)
            continue
        filters[key] = _literal(value)
    return filters


def _base_url(req):
    if CONF.osapi_karbor_base_URL:
        # The configured URL replaces scheme, host and any prefix a proxy
        # adds in front of /v1.
        return (CONF.osapi_karbor_base_URL.rstrip('/') + '/v1' +
                req.path_info)
    return req.path_url


def collection_links(req, items, collection_name, limit, id_key='id'):
    """``{<collection>_links: [next]}`` when the page is full, else {}."""
    page_size = min(limit or CONF.osapi_max_limit, CONF.osapi_max_limit)
    if not items or len(items) < page_size:
        return {}
    params = [(key, value) for key, value in req.GET.items()
              if key != 'marker']
    params.append(('marker', items[-1][id_key]))
    href = '%s?%s' % (_base_url(req), urllib.parse.urlencode(params))
    return {'%s_links' % collection_name: [{'rel': 'next', 'href': href}]}
