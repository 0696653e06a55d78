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

"""Helpers shared by protection plugins.

Restore and verify hooks report the outcome for each resource in the
restore's or verification's ``resources_status`` and ``resources_reason``,
keyed ``"Type#id"``. Hooks of one operation run on several threads and
share one object, so updates are serialised here.
"""

import threading

from oslo_log import log as logging

from karbor.common import constants
from karbor import exception
from karbor.services.protection import protection_plugin

LOG = logging.getLogger(__name__)

_RECORD_LOCK = threading.Lock()


def _update_resource_status(record, resource_type, resource_id, status,
                            reason):
    with _RECORD_LOCK:
        record.update_resource_status(resource_type, resource_id, status,
                                      reason)
        record.save()


def update_resource_restore_result(restore_record, resource_type,
                                   resource_id, status, reason=''):
    """Record the restore status of one resource.

    A failure to write is logged and swallowed: the restore itself is the
    outcome that matters, and its final status is written by the flow.
    """
    try:
        _update_resource_status(restore_record, resource_type, resource_id,
                                status, reason)
    except Exception:
        LOG.exception('Could not record status %(status)s of %(type)s '
                      '%(id)s in restore %(restore)s',
                      {'status': status, 'type': resource_type,
                       'id': resource_id,
                       'restore': getattr(restore_record, 'id', None)})


def update_resource_verify_result(verify_record, resource_type, resource_id,
                                  status, reason=''):
    """Record the verification status of one resource.

    Unlike restores, a verification whose result cannot be written has not
    verified anything, so the error propagates and fails the operation.
    """
    _update_resource_status(verify_record, resource_type, resource_id,
                            status, reason)


class CheckedRestoreOperation(protection_plugin.Operation):
    """A restore that re-creates nothing but checks the backup data.

    For plugins whose "resource" is the backup itself (no-op, test data):
    ``check(checkpoint, resource, context)`` raises a KarborException when
    the data is missing or wrong; the resource's status in the restore
    follows (restoring, then available or error with the reason), and the
    restored resource is the original one.
    """

    def __init__(self, check):
        self._check = check

    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        restore = kwargs.get('restore')
        _checked(self._check, update_resource_restore_result, restore,
                 constants.RESOURCE_STATUS_RESTORING, checkpoint, resource,
                 context)
        kwargs.get('new_resources', {})[resource.id] = resource.id


class CheckedVerifyOperation(protection_plugin.Operation):
    """A verification that checks the backup data with ``check``.

    See :class:`CheckedRestoreOperation`.
    """

    def __init__(self, check):
        self._check = check

    def on_main(self, checkpoint, resource, context, parameters, **kwargs):
        _checked(self._check, update_resource_verify_result,
                 kwargs.get('verify'), constants.RESOURCE_STATUS_VERIFYING,
                 checkpoint, resource, context)


def _checked(check, update, record, running_status, checkpoint, resource,
             context):
    update(record, resource.type, resource.id, running_status)
    try:
        check(checkpoint, resource, context)
    except exception.KarborException as exc:
        update(record, resource.type, resource.id,
               constants.RESOURCE_STATUS_ERROR, str(exc))
        raise
    update(record, resource.type, resource.id,
           constants.RESOURCE_STATUS_AVAILABLE)
