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

"""The copy operation of plugins whose backup data lives in the bank.

A plugin that keeps everything it needs to restore a resource in the
resource's bank section of the checkpoint (its ``status``, ``metadata`` and
any data objects) gets copy by returning :class:`BankDataCopyOperation`
from ``get_copy_operation``: the section is moved, verified, to the same
place in the copy checkpoint with the shared bank mover.
"""

import functools

from oslo_log import log as logging

from karbor.services.protection import bank_mover
from karbor.services.protection import protection_plugin

LOG = logging.getLogger(__name__)


def _destination_label(checkpoint_copy):
    # The copy's index.json names its destination once the copy service
    # has written copy_of; the copy id identifies it otherwise.
    metadata = getattr(checkpoint_copy, 'metadata', None) or {}
    copy_of = metadata.get('copy_of') or {}
    destination = copy_of.get('destination')
    if destination:
        return '%s (copy %s)' % (destination, checkpoint_copy.id)
    return 'copy %s' % checkpoint_copy.id


def copy_schema():
    """The copy parameters of :class:`BankDataCopyOperation`: none.

    For the ``get_copy_schema`` of plugins that copy with it, so a copy
    request giving their types options is refused instead of ignoring
    them.
    """
    return {'type': 'object', 'properties': {},
            'additionalProperties': False}


class BankDataCopyOperation(protection_plugin.Operation):
    """Copy a resource's bank section from a checkpoint to its copy.

    :param max_workers: objects moved at once.
    :param chunk_size: bytes read and written at a time.
    """

    def __init__(self, max_workers=bank_mover.DEFAULT_MAX_WORKERS,
                 chunk_size=bank_mover.DEFAULT_CHUNK_SIZE):
        self._max_workers = max_workers
        self._chunk_size = chunk_size

    def on_main(self, checkpoint, resource, context, parameters,
                checkpoint_copy=None, operation_log=None, copy_progress=None,
                **kwargs):
        """Move the resource's data; see :func:`bank_mover.copy_section`.

        :param checkpoint: the source checkpoint, only read.
        :param checkpoint_copy: the copy checkpoint, in the destination
            bank.
        :param copy_progress: an optional ``CopyProgress`` (of
            ``flows.copy_progress``): its ``update(resource_id, stats)``
            receives :class:`bank_mover.MoveStats` snapshots, all with
            the totals, as objects move and at the end, its
            ``section_verified`` the resource once every object arrived
            verified.
        :raises karbor.exception.CopyFailed: with the reason (including
            ChecksumMismatch).
        """
        if checkpoint_copy is None:
            raise ValueError('BankDataCopyOperation needs checkpoint_copy')
        source = checkpoint.get_resource_bank_section(resource.id)
        destination = checkpoint_copy.get_resource_bank_section(resource.id)
        progress = None
        if copy_progress is not None:
            progress = functools.partial(copy_progress.update, resource.id)
        stats = bank_mover.copy_section(
            source, destination, progress=progress,
            max_workers=self._max_workers, chunk_size=self._chunk_size,
            context=context,
            what='%s (%s %s)' % (checkpoint.id, resource.type, resource.id),
            where=_destination_label(checkpoint_copy),
            rate_limit=destination.bank.copy_rate_limit)
        if copy_progress is not None:
            copy_progress.section_verified(resource.id)
        LOG.info('Copied %(type)s %(id)s of checkpoint %(src)s to %(dst)s: '
                 '%(copied)d of %(total)d objects written, %(bytes)d bytes',
                 {'type': resource.type, 'id': resource.id,
                  'src': checkpoint.id, 'dst': checkpoint_copy.id,
                  'copied': stats.objects_copied,
                  'total': stats.objects_total,
                  'bytes': stats.bytes_copied})
        return stats
