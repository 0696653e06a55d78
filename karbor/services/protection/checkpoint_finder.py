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

"""Finding and listing a provider's checkpoints across its banks.

A provider's checkpoints live in its main bank, and its copies in the
banks of its copy destinations. Users see them as one set: a listing
merges the banks' indices, and a checkpoint id is looked up in the main
bank first, then where the ``checkpoint_copies`` table says its copy is,
then in every destination. A bank that cannot be read is logged and
skipped, so copies stay reachable when the main bank is lost.

Providers may share a bank (the two of ``karbor-all``'s embedded default
do, and deployments often point several providers at one container): a
checkpoint found in a provider's bank is that provider's only if its
index says so. Otherwise another provider's checkpoint could be shown,
listed by plan, deleted, or restored with the wrong plugins.

Every checkpoint returned goes through :func:`_settled`, which repairs a
copy whose failure could not be written to its bank.
"""

import heapq

from oslo_log import log as logging

from karbor.common import constants
from karbor import context as karbor_context
from karbor import exception
from karbor import objects
from karbor.services.protection import bank_plugin

LOG = logging.getLogger(__name__)

MAIN_BANK = None

_RUNNING_COPY = (constants.CHECKPOINT_STATUS_WAIT_COPYING,
                 constants.CHECKPOINT_STATUS_COPYING)


def _collections(provider):
    """``(destination name or None, collection)`` of each bank."""
    yield MAIN_BANK, provider.checkpoint_collection
    for name, destination in (getattr(provider, 'copy_destinations', None)
                              or {}).items():
        yield name, destination.checkpoint_collection


def _belongs(provider, checkpoint):
    # An index without a provider was not written by Karbor's protect or
    # copy; nothing says it is another provider's.
    owner = checkpoint.provider_id
    return owner is None or owner == provider.id


def _get(provider, collection, checkpoint_id, unreadable, name):
    """The checkpoint in one bank, or None.

    A bank that cannot be read holds nothing we can show; why it cannot
    is appended to ``unreadable``, naming the bank (``name``).
    """
    try:
        checkpoint = collection.get(checkpoint_id)
    except exception.CheckpointNotFound:
        return None
    except exception.CheckpointCorrupted:
        raise
    except Exception as exc:
        LOG.warning('Could not read checkpoint %(id)s from a bank: %(exc)s',
                    {'id': checkpoint_id, 'exc': exc},
                    exc_info=_traceback_of(exc))
        unreadable.append('%s cannot be read (%s)' % (
            'the main bank' if name is MAIN_BANK
            else 'copy destination %s' % name, exc))
        return None
    return checkpoint if _belongs(provider, checkpoint) else None


def _copy_row(checkpoint_id):
    try:
        return objects.CheckpointCopy.get_by_id(
            karbor_context.get_admin_context(), checkpoint_id)
    except exception.CheckpointCopyNotFound:
        return None


def _recorded_destination(checkpoint_id):
    row = _copy_row(checkpoint_id)
    return None if row is None else row.destination


def _settled(checkpoint):
    """``checkpoint``, in ``error`` if its copy ended in error.

    A copy that fails because its destination is unreachable cannot write
    its failure there: its index keeps saying ``copying`` while its row
    (the authority on whether the copy runs) says ``error``. The first
    read after the bank answers again writes the failure, so the copy
    shows ``error`` and can be deleted or retried.

    A retry claims the row before rewriting the index, so a read racing
    it can at worst mark the index ``error`` just after the retry reset
    it; the retry's own status writes then put it right.
    """
    if checkpoint.status not in _RUNNING_COPY:
        return checkpoint
    row = _copy_row(checkpoint.id)
    if row is None or row.status != constants.CHECKPOINT_STATUS_ERROR:
        return checkpoint
    LOG.info('Copy %s failed while its bank could not be written; marking '
             'it error there now', checkpoint.id)
    checkpoint.status = constants.CHECKPOINT_STATUS_ERROR
    checkpoint.set_copy_status(constants.CHECKPOINT_STATUS_ERROR)
    try:
        checkpoint.commit()
    except Exception:
        LOG.warning('Could not mark copy %s as error in its bank',
                    checkpoint.id, exc_info=True)
    return checkpoint


def find_checkpoint(provider, checkpoint_id):
    """Return ``(checkpoint, destination name or None)``.

    :raises karbor.exception.CheckpointNotFound: in no bank.
    :raises karbor.exception.CheckpointUnreachable: in none of the banks
        that could be read, and some could not (503, saying which).
    """
    checkpoint, where = _find(provider, checkpoint_id)
    return _settled(checkpoint), where


def _find(provider, checkpoint_id):
    unreadable = []
    checkpoint = _get(provider, provider.checkpoint_collection,
                      checkpoint_id, unreadable, MAIN_BANK)
    if checkpoint is not None:
        return checkpoint, MAIN_BANK
    destinations = getattr(provider, 'copy_destinations', None) or {}
    recorded = _recorded_destination(checkpoint_id)
    if recorded in destinations:
        checkpoint = _get(provider,
                          destinations[recorded].checkpoint_collection,
                          checkpoint_id, unreadable, recorded)
        if checkpoint is not None:
            return checkpoint, recorded
    # No row (a copy written by another deployment, or its row lost):
    # probe every destination.
    for name, destination in destinations.items():
        if name == recorded:
            continue
        checkpoint = _get(provider, destination.checkpoint_collection,
                          checkpoint_id, unreadable, name)
        if checkpoint is not None:
            return checkpoint, name
    if unreadable:
        raise exception.CheckpointUnreachable(
            checkpoint_id=checkpoint_id, reason='; '.join(unreadable))
    raise exception.CheckpointNotFound(checkpoint_id=checkpoint_id)


def _safe_entries(name, list_entries, **kwargs):
    """``(timestamp, id, bank name)`` of a bank's entries, errors logged."""
    try:
        for timestamp, checkpoint_id in list_entries(**kwargs):
            yield timestamp, checkpoint_id, name
    except exception.InvalidInput:
        raise
    except Exception as exc:
        LOG.warning('Skipping the checkpoints of bank %(bank)s: it cannot '
                    'be listed: %(exc)s', {'bank': name or 'main',
                                           'exc': exc},
                    exc_info=_traceback_of(exc))


def _traceback_of(exc):
    # A bank that could not start says why in its message, on every
    # request while it is down: a traceback adds nothing but noise.
    return not isinstance(exc, exception.BankUnavailable)


def list_checkpoints(provider, project_id, provider_id, limit=None,
                     marker=None, plan_id=None, start_date=None,
                     end_date=None, sort_dir=None, context=None,
                     all_tenants=False):
    """Return ``[(checkpoint id, destination name or None)]``, one page.

    The banks' listings are merged on ``(timestamp, id)``, newest first
    unless ``sort_dir`` is ``asc``, reading only index keys, and only as
    many as the page needs. The other arguments are those of
    ``CheckpointCollection.list_ids``; the marker may be a checkpoint of
    any of the banks.

    :raises karbor.exception.InvalidInput: bad ``sort_dir`` or unknown
        marker.
    """
    sort_dir = sort_dir or bank_plugin.SORT_DESC
    if sort_dir not in (bank_plugin.SORT_ASC, bank_plugin.SORT_DESC):
        raise exception.InvalidInput(
            reason='sort_dir must be asc or desc, not %s' % sort_dir)
    if limit is not None and limit <= 0:
        return []
    descending = sort_dir == bank_plugin.SORT_DESC
    marker_entry = None
    if marker is not None:
        try:
            checkpoint, _name = find_checkpoint(provider, marker)
        except exception.CheckpointNotFound:
            raise exception.InvalidInput(
                reason='marker checkpoint %s not found' % marker)
        marker_entry = (checkpoint.timestamp, checkpoint.id,
                        checkpoint.created_at)

    streams = []
    for name, collection in _collections(provider):
        streams.append(_safe_entries(
            name, collection.iter_entries, provider_id=provider_id,
            project_id=project_id, plan_id=plan_id, start_date=start_date,
            end_date=end_date, sort_dir=sort_dir, marker_entry=marker_entry,
            context=context, all_tenants=all_tenants))
    merged = heapq.merge(*streams, key=lambda e: (e[0], e[1]),
                         reverse=descending)
    result = []
    seen = set()
    for _timestamp, checkpoint_id, name in merged:
        if checkpoint_id in seen:
            continue
        seen.add(checkpoint_id)
        result.append((checkpoint_id, name))
        if limit is not None and len(result) >= limit:
            break
    return result


def get_from(provider, checkpoint_id, destination):
    """The checkpoint of a listing entry, from the bank it was listed in.

    :raises karbor.exception.CheckpointNotFound: it is not there, or it
        is another provider's (listed by its plan from a shared bank).
    """
    bank = (provider if destination is MAIN_BANK
            else provider.copy_destinations[destination])
    checkpoint = bank.checkpoint_collection.get(checkpoint_id)
    if not _belongs(provider, checkpoint):
        raise exception.CheckpointNotFound(checkpoint_id=checkpoint_id)
    return _settled(checkpoint)
