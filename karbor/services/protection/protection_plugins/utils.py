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
