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

"""Quota bookkeeping around the actions that create or delete objects."""

import contextlib

from oslo_log import log as logging

from karbor import quota

LOG = logging.getLogger(__name__)


@contextlib.contextmanager
def reserved(context, **deltas):
    """Reserve quota for the block; commit if it succeeds, else roll back.

    :raises karbor.exception.OverQuota: (413) before the block runs when
        the project has no room left.
    """
    reservations = quota.QUOTAS.reserve(context, **deltas)
    try:
        yield
    except Exception:
        with contextlib.suppress(Exception):
            quota.QUOTAS.rollback(context, reservations)
        raise
    quota.QUOTAS.commit(context, reservations)


def release(context, project_id=None, **deltas):
    """Give quota back after a deletion; a failure is only logged.

    The object is already gone, so failing the request would mislead the
    user; usages are corrected by the quota refresh.

    :param project_id: the project the object belonged to; an admin may
        delete in another project than its own.
    """
    try:
        reservations = quota.QUOTAS.reserve(context, project_id=project_id,
                                            **deltas)
        quota.QUOTAS.commit(context, reservations, project_id=project_id)
    except Exception:
        LOG.exception('Failed to release quota %s', deltas)
