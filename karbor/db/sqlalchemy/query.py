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

"""Filtering, sorting and paging of list queries (SQLAlchemy 2 select()).

The rules are upstream Karbor's (contract §4 "DB list filtering"):

* exact filters compare a column with a value (a list means "one of");
* regexp filters match a column against a regular expression. SQLAlchemy
  registers a REGEXP function on SQLite connections, PostgreSQL and MySQL
  have their own operator. A value that is not a valid regular expression
  is matched as a plain substring instead of failing the request;
* a filter key that is not a column gives an empty result where upstream
  did so (restores, verifications, operation logs);
* the default order is ``created_at``, then ``id``, newest first. ``id``
  is always appended so that marker paging is stable.
"""

import re

import sqlalchemy as sa

from karbor import exception
from karbor.i18n import _

DEFAULT_SORT_KEYS = ('created_at', 'id')
DEFAULT_SORT_DIR = 'desc'
_SORT_DIRS = ('asc', 'desc')


def not_deleted(model):
    """A criterion that keeps rows not soft-deleted (NULL counts as not)."""
    return model.deleted.is_not(True)


def exact_filter(stmt, model, filters, keys=None):
    """Add equality criteria for ``filters``.

    :param keys: the keys matched here; None means every key, and then a key
        that is not a column of ``model`` yields None (no row can match).
    :returns: the statement, or None when no row can match.
    """
    for key, value in filters.items():
        if keys is not None and key not in keys:
            continue
        column = getattr(model, key, None)
        if column is None or key not in model.__table__.columns:
            return None
        if isinstance(value, (list, tuple, set, frozenset)):
            stmt = stmt.where(column.in_(list(value)))
        else:
            stmt = stmt.where(column == value)
    return stmt


def regexp_filter(stmt, model, filters, keys):
    """Add regular-expression criteria for the ``keys`` of ``filters``."""
    for key in keys:
        if key not in filters:
            continue
        value = filters[key]
        # The JSON columns must be matched as the text they are stored as.
        column = sa.type_coerce(getattr(model, key), sa.Text)
        pattern = str(value)
        try:
            re.compile(pattern)
        except re.error:
            stmt = stmt.where(column.contains(pattern, autoescape=True))
        else:
            stmt = stmt.where(column.regexp_match(pattern))
    return stmt


def normalize_sort(model, sort_keys=None, sort_dirs=None):
    """Validate sort keys and directions and complete them.

    :raises karbor.exception.InvalidInput: unknown key or direction.
    :returns: ``(keys, dirs)`` of equal length, ending with the default
        keys when they were not given.
    """
    keys = list(sort_keys or [])
    dirs = list(sort_dirs or [])
    for sort_dir in dirs:
        if sort_dir not in _SORT_DIRS:
            raise exception.InvalidInput(
                reason=_("Unknown sort direction %s, must be 'desc' or "
                         "'asc'.") % sort_dir)
    if len(dirs) > len(keys):
        raise exception.InvalidInput(
            reason=_('More sort directions than sort keys.'))
    default_dir = dirs[0] if dirs else DEFAULT_SORT_DIR
    dirs.extend([default_dir] * (len(keys) - len(dirs)))
    for key in keys:
        if key not in model.__table__.columns:
            raise exception.InvalidInput(
                reason=_('Unknown sort key %s.') % key)
    for key in DEFAULT_SORT_KEYS:
        if key not in keys:
            keys.append(key)
            dirs.append(default_dir)
    return keys, dirs


def paginate(stmt, model, sort_keys, sort_dirs, marker_row=None,
             limit=None, offset=None):
    """Order ``stmt`` and keep the rows after ``marker_row``.

    The marker criterion is the lexicographic "after" over the sort keys:
    (k1 after m1) or (k1 = m1 and k2 after m2) or ... A NULL marker value
    cannot be compared and only contributes its equality part.
    """
    for key, sort_dir in zip(sort_keys, sort_dirs):
        column = getattr(model, key)
        stmt = stmt.order_by(column.desc() if sort_dir == 'desc'
                             else column.asc())
    if marker_row is not None:
        alternatives = []
        for index, (key, sort_dir) in enumerate(zip(sort_keys, sort_dirs)):
            value = getattr(marker_row, key)
            if value is None:
                continue
            column = getattr(model, key)
            equal_before = [getattr(model, k) == getattr(marker_row, k)
                            for k in sort_keys[:index]]
            after = column < value if sort_dir == 'desc' else column > value
            alternatives.append(sa.and_(*equal_before, after))
        if alternatives:
            stmt = stmt.where(sa.or_(*alternatives))
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return stmt
