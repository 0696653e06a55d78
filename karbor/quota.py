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

"""Quotas on plans and checkpoints, kept in the database.

``QUOTAS`` is the engine every service uses. A limit is looked up in the
project's own quotas, then in its quota class (class ``default`` unless
another is named), then in the configuration defaults (``quota_plans``,
``quota_checkpoints``); -1 means unlimited.

Creating something counted by a quota is a two-step affair::

    reservations = QUOTAS.reserve(ctx, plans=1)
    try:
        ...create the plan...
    except Exception:
        QUOTAS.rollback(ctx, reservations)
        raise
    QUOTAS.commit(ctx, reservations)

and releasing one is ``QUOTAS.reserve(ctx, plans=-1)`` then ``commit``.
Reservations not committed or rolled back expire after
``reservation_expire`` seconds (``QUOTAS.expire(ctx)`` releases them).
"""

import datetime

from oslo_db import api as oslo_db_api
from oslo_utils import timeutils

from karbor.common import constants
from karbor import conf
from karbor.db import api as db_api
from karbor import exception
from karbor.i18n import _

CONF = conf.CONF

DEFAULT_QUOTA_CLASS = 'default'
UNLIMITED = -1

# Resource name -> the option holding its default limit.
RESOURCES = {
    constants.QUOTA_PLANS: 'quota_plans',
    constants.QUOTA_CHECKPOINTS: 'quota_checkpoints',
}

# The exception raised when a reservation exceeds the limit of a resource.
_LIMIT_EXCEEDED = {
    constants.QUOTA_PLANS: exception.PlanLimitExceeded,
    constants.QUOTA_CHECKPOINTS: exception.CheckpointLimitExceeded,
}


def _db():
    return db_api.get_instance()


class DbQuotaDriver:
    """The quota engine, on the quota tables of Karbor's database."""

    @property
    def resources(self):
        """The names of the resources under quota."""
        return sorted(RESOURCES)

    def _check_known(self, names):
        unknown = sorted(set(names) - set(RESOURCES))
        if unknown:
            raise exception.QuotaResourceUnknown(unknown=unknown)

    @staticmethod
    def _check_limit(resource, value):
        if isinstance(value, bool):
            raise exception.InvalidQuotaValue(
                value=value, resource=resource,
                reason=_('it must be an integer'))
        try:
            limit = int(value)
        except (TypeError, ValueError):
            raise exception.InvalidQuotaValue(
                value=value, resource=resource,
                reason=_('it must be an integer'))
        if limit < UNLIMITED:
            raise exception.InvalidQuotaValue(
                value=value, resource=resource,
                reason=_('it must be -1 (unlimited) or more'))
        return limit

    # --- limits ------------------------------------------------------------

    def get_defaults(self, context):
        """``{resource: default limit}`` from the configuration."""
        return {name: CONF[option] for name, option in RESOURCES.items()}

    def get_class_quotas(self, context, class_name, defaults=True):
        """``{resource: limit}`` of a quota class.

        :param defaults: fill resources the class does not set with the
            configuration defaults; otherwise leave them out.
        """
        stored = _db().quota_class_get_all_by_name(context, class_name)
        result = {}
        for name, default in self.get_defaults(context).items():
            if name in stored:
                result[name] = stored[name]
            elif defaults:
                result[name] = default
        return result

    def get_project_quotas(self, context, project_id, quota_class=None,
                           defaults=True, usages=True):
        """The limits (and usages) of a project.

        :param quota_class: the class to fall back on (``default`` when
            None).
        :param defaults: include resources the project does not set
            itself, with their class or configuration limit.
        :param usages: when true each value is ``{"limit", "in_use",
            "reserved"}``; otherwise it is the limit.
        """
        project = _db().quota_get_all_by_project(context, project_id)
        class_limits = self.get_class_quotas(
            context, quota_class or DEFAULT_QUOTA_CLASS, defaults=True)
        used = (_db().quota_usage_get_all_by_project(context, project_id)
                if usages else {})
        result = {}
        for name in RESOURCES:
            if name in project:
                limit = project[name]
            elif defaults:
                limit = class_limits[name]
            else:
                continue
            if usages:
                usage = used.get(name) or {}
                result[name] = {'limit': limit,
                                'in_use': usage.get('in_use', 0),
                                'reserved': usage.get('reserved', 0)}
            else:
                result[name] = limit
        return result

    def update_project_quotas(self, context, project_id, values):
        """Set limits of a project (``PUT /quotas/{project_id}``).

        :param values: ``{resource: limit}``, limits -1 or more.
        :raises karbor.exception.QuotaResourceUnknown: unknown resource.
        :raises karbor.exception.InvalidQuotaValue: bad limit.
        :returns: the project's limits after the update.
        """
        self._check_known(values)
        limits = {name: self._check_limit(name, value)
                  for name, value in values.items()}
        for name, limit in limits.items():
            _db().quota_set(context, project_id, name, limit)
        return self.get_project_quotas(context, project_id, usages=False)

    def destroy_project_quotas(self, context, project_id):
        """Drop a project's limits, usages and reservations (DELETE)."""
        _db().quota_destroy_all_by_project(context, project_id)

    def update_class_quotas(self, context, class_name, values):
        """Set limits of a quota class (``PUT /quota_classes/{name}``).

        :returns: the class's limits after the update.
        """
        self._check_known(values)
        limits = {name: self._check_limit(name, value)
                  for name, value in values.items()}
        for name, limit in limits.items():
            _db().quota_class_set(context, class_name, name, limit)
        return self.get_class_quotas(context, class_name)

    def destroy_class_quotas(self, context, class_name):
        """Drop every limit of a quota class."""
        _db().quota_class_destroy_all_by_name(context, class_name)

    # --- reservations ------------------------------------------------------

    @staticmethod
    def _expiry(expire):
        now = timeutils.utcnow()
        if expire is None:
            return now + datetime.timedelta(seconds=CONF.reservation_expire)
        if isinstance(expire, bool):
            raise exception.InvalidReservationExpiration(expire=expire)
        if isinstance(expire, int):
            return now + datetime.timedelta(seconds=expire)
        if isinstance(expire, datetime.timedelta):
            return now + expire
        if isinstance(expire, datetime.datetime):
            return expire
        raise exception.InvalidReservationExpiration(expire=expire)

    def reserve(self, context, expire=None, project_id=None, **deltas):
        """Reserve changes of usage, checked against the limits.

        :param expire: seconds, a timedelta or a datetime; default
            ``reservation_expire`` seconds from now.
        :param project_id: default the context's project.
        :param deltas: ``resource=count``; negative counts release.
        :raises karbor.exception.PlanLimitExceeded: (413) plans over quota.
        :raises karbor.exception.CheckpointLimitExceeded: (413) likewise.
        :raises karbor.exception.OverQuota: (413) several resources over.
        :returns: the reservation ids, for ``commit`` or ``rollback``.
        """
        self._check_known(deltas)
        if project_id is None:
            project_id = context.project_id
        deltas = {name: int(delta) for name, delta in deltas.items()
                  if delta}
        if not deltas:
            return []
        try:
            return self._reserve(context, deltas, self._expiry(expire),
                                 project_id)
        except exception.OverQuota as e:
            overs = [name for name in deltas
                     if name in e.kwargs.get('overs', '').split(', ')]
            if len(overs) == 1 and overs[0] in _LIMIT_EXCEEDED:
                raise _LIMIT_EXCEEDED[overs[0]](
                    allowed=e.kwargs['quotas'][overs[0]])
            raise

    # A deadlock aborts the whole transaction (PostgreSQL refuses any
    # statement after it): it is retried whole, here, not statement by
    # statement inside it.
    @oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)
    def _reserve(self, context, deltas, expire, project_id):
        # Limits and usages read in the transaction that reserves: one
        # transaction instead of three, and no limit changed between.
        with _db().transaction():
            limits = self.get_project_quotas(context, project_id,
                                             usages=False)
            return _db().quota_reserve(
                context, {name: limits[name] for name in deltas}, deltas,
                expire, project_id)

    def commit(self, context, reservations, project_id=None):
        """Apply reservations to the usages."""
        if reservations:
            _db().reservation_commit(context, reservations,
                                     project_id=project_id)

    def rollback(self, context, reservations, project_id=None):
        """Release reservations without changing the usages."""
        if reservations:
            _db().reservation_rollback(context, reservations,
                                       project_id=project_id)

    def expire(self, context):
        """Release every expired reservation; returns how many."""
        return _db().reservation_expire(context)


QUOTAS = DbQuotaDriver()
