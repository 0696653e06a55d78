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

"""Checkpoints in a bank, in upstream Karbor's on-bank layout.

A checkpoint is ``/checkpoints/<id>/index.json`` (its metadata, format
version "0.9"), per-resource data under ``/checkpoints/<id>/resource-data/
<resource id>/`` and three index keys whose value is the checkpoint id::

    /indices/by-provider/<provider id>/<project id>/<timestamp>@<id>
    /indices/by-date/<YYYY-MM-DD>/<project id>/<timestamp>@<id>
    /indices/by-plan/<plan id>/<project id>/<YYYY-MM-DD>/<timestamp>@<id>

Listing reads only index keys, so it costs the same whatever the size of
the checkpoints. The timestamp is a 10-digit epoch so that key order is
time order.
"""

import copy
import datetime
import json

from oslo_log import log as logging
from oslo_utils import timeutils
from oslo_utils import uuidutils

from karbor.common import constants
from karbor import exception
from karbor.services.protection import bank_plugin
from karbor.services.protection import graph

LOG = logging.getLogger(__name__)

INDEX_VERSION = '0.9'
INDEX_FILE = 'index.json'
CHECKPOINTS_SECTION = '/checkpoints'
INDICES_SECTION = '/indices'
RESOURCE_DATA = 'resource-data'
BY_PROVIDER = 'by-provider'
BY_DATE = 'by-date'
BY_PLAN = 'by-plan'
DATE_FORMAT = '%Y-%m-%d'
COPY_OF = 'copy_of'
COPY_PROGRESS = 'copy_progress'
# The index.json keys a copy takes from its source as they are.
_SNAPSHOT_KEYS = ('provider_id', 'project_id', 'protection_plan',
                  'resource_graph', 'created_at', 'timestamp')


def _plan_field(plan, name):
    if isinstance(plan, dict):
        return plan.get(name)
    return getattr(plan, name, None)


def _extra_info_text(value):
    # The bank and the API carry extra_info as a JSON string; upstream copy
    # checkpoints stored a bare object, which is normalised here.
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value)


def _as_date(value):
    # datetime is a subclass of date but does not compare with one.
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _date_of(timestamp):
    return datetime.datetime.fromtimestamp(
        timestamp, datetime.timezone.utc).date()


def _index_keys(index):
    cid = index['id']
    entry = '%s@%s' % (index['timestamp'], cid)
    project = index['project_id']
    date = index['created_at']
    plan_id = (index.get('protection_plan') or {}).get('id')
    return [
        '/'.join((BY_PROVIDER, index['provider_id'], project, entry)),
        '/'.join((BY_DATE, date, project, entry)),
        '/'.join((BY_PLAN, plan_id, project, date, entry)),
    ]


class Checkpoint:
    """One checkpoint: its index.json plus access to its resource data.

    Setting a property changes the cached metadata only; :meth:`commit`
    writes it to the bank.
    """

    def __init__(self, checkpoints_section, indices_section, checkpoint_id,
                 index=None, bank_lease=None):
        self._checkpoints_section = checkpoints_section
        self._indices_section = indices_section
        self._id = checkpoint_id
        self._bank_lease = bank_lease
        self._index = index
        if index is None:
            self.reload()

    def _index_key(self):
        return '%s/%s' % (self._id, INDEX_FILE)

    def reload(self, context=None):
        """Re-read index.json from the bank.

        :raises karbor.exception.CheckpointNotFound: when it is gone.
        """
        try:
            index = self._checkpoints_section.get_object(self._index_key(),
                                                         context=context)
        except (exception.BankObjectNotFound, exception.InvalidBankKey):
            raise exception.CheckpointNotFound(checkpoint_id=self._id)
        if not isinstance(index, dict):
            raise exception.CheckpointCorrupted(
                checkpoint_id=self._id, reason='index.json is not an object')
        if index.get('version') != INDEX_VERSION:
            raise exception.CheckpointCorrupted(
                checkpoint_id=self._id,
                reason='unsupported index version %r' % index.get('version'))
        self._index = index

    def commit(self, context=None):
        """Write the checkpoint's metadata to index.json."""
        self._checkpoints_section.update_object(self._index_key(),
                                                self._index, context=context)

    @property
    def id(self):
        return self._id

    @property
    def status(self):
        return self._index.get('status')

    @status.setter
    def status(self, value):
        self._index['status'] = value

    @property
    def owner_id(self):
        return self._index.get('owner_id')

    @property
    def provider_id(self):
        return self._index.get('provider_id')

    @property
    def project_id(self):
        return self._index.get('project_id')

    @property
    def protection_plan(self):
        """The plan as it was when the checkpoint was taken (a dict)."""
        return self._index.get('protection_plan')

    @property
    def created_at(self):
        """The creation date as a 'YYYY-MM-DD' string (UTC)."""
        return self._index.get('created_at')

    @property
    def timestamp(self):
        return self._index.get('timestamp')

    @property
    def extra_info(self):
        """A JSON string, or None."""
        return _extra_info_text(self._index.get('extra_info'))

    @extra_info.setter
    def extra_info(self, value):
        self._index['extra_info'] = _extra_info_text(value)

    def update_extra_info(self, mapping):
        """Merge ``mapping`` into the JSON extra_info (commit to save it)."""
        current = self.extra_info
        merged = json.loads(current) if current else {}
        if not isinstance(merged, dict):
            merged = {}
        merged.update(mapping)
        self._index['extra_info'] = json.dumps(merged)

    @property
    def resource_graph(self):
        """The resource graph (list of GraphNodes), or None if not set."""
        text = self._index.get('resource_graph')
        if text is None:
            return None
        return graph.deserialize_resource_graph(text)

    @resource_graph.setter
    def resource_graph(self, value):
        if value is None:
            self._index.pop('resource_graph', None)
        else:
            self._index['resource_graph'] = (
                graph.serialize_resource_graph(value))

    @property
    def copy_of(self):
        """What this checkpoint is a copy of, or None for an original.

        ``{checkpoint_id, provider_id, bank, destination, copied_at}``.
        """
        value = self._index.get(COPY_OF)
        return copy.deepcopy(value) if isinstance(value, dict) else None

    @property
    def is_copy(self):
        return self.copy_of is not None

    @property
    def copy_progress(self):
        """The progress of a running copy (a dict), or None."""
        value = self._index.get(COPY_PROGRESS)
        return dict(value) if isinstance(value, dict) else None

    @copy_progress.setter
    def copy_progress(self, value):
        if value is None:
            self._index.pop(COPY_PROGRESS, None)
        else:
            self._index[COPY_PROGRESS] = dict(value)

    def set_copy_status(self, copy_status):
        """Set upstream's ``extra_info.copy_status`` marker (commit after)."""
        self.update_extra_info(
            {constants.CHECKPOINT_COPY_STATUS_KEY: copy_status})

    @property
    def metadata(self):
        """A copy of the raw index.json dict."""
        return copy.deepcopy(self._index)

    @property
    def bank_section(self):
        """The checkpoint's own writable section, /checkpoints/<id>/."""
        return self._checkpoints_section.get_sub_section(self._id)

    def get_resource_bank_section(self, resource_id):
        """Return the writable section holding one resource's data."""
        return self._checkpoints_section.get_sub_section(
            '%s/%s/%s' % (self._id, RESOURCE_DATA, resource_id))

    def _delete_index_keys(self, context=None):
        for key in _index_keys(self._index):
            self._indices_section.delete_object(key, context=context)

    def delete(self, context=None):
        """Mark the checkpoint deleted and drop it from the indices.

        index.json stays in the bank, with status ``deleted``, as upstream
        does, so the checkpoint can still be shown by id.
        """
        self.status = constants.CHECKPOINT_STATUS_DELETED
        self.commit(context=context)
        self._delete_index_keys(context=context)
        self.delete_leftovers(context=context)

    def delete_leftovers(self, context=None):
        """Free what writes interrupted by a crash left in the checkpoint.

        Objects stay, index.json included; see
        :meth:`BankPlugin.delete_leftovers`. For when nothing writes in
        the checkpoint any more: once it is deleted, or once a copy that
        was resumed has verified all its data. Failures are logged.
        """
        section = self._checkpoints_section.get_sub_section(self._id)
        try:
            section.delete_leftovers(context=context)
        except Exception:
            LOG.warning('Could not remove what interrupted writes left in '
                        'checkpoint %s', self._id, exc_info=True)

    def purge(self, context=None):
        """Remove everything the checkpoint has in the bank.

        Index keys go first, so a listing never names a half-purged
        checkpoint, and index.json last, so a failed purge can be retried.
        """
        self._delete_index_keys(context=context)
        data = self._checkpoints_section.get_sub_section(
            '%s/%s' % (self._id, RESOURCE_DATA))
        for key in data.list_objects(context=context):
            data.delete_object(key, context=context)
        self.delete_leftovers(context=context)
        self._checkpoints_section.delete_object(self._index_key(),
                                                context=context)

    def to_dict(self):
        """The API view of the checkpoint."""
        view = {
            'id': self._id,
            'project_id': self.project_id,
            'status': self.status,
            'protection_plan': copy.deepcopy(self.protection_plan),
            # Clients json-decode this field, so it is never a bare null.
            'resource_graph': self._index.get('resource_graph') or 'null',
            'created_at': self.created_at,
            'extra_info': self.extra_info,
        }
        copy_of = self.copy_of
        if copy_of is not None:
            # Only copies get these keys: an ordinary checkpoint's view
            # stays exactly upstream's.
            view['copy_of'] = copy_of.get('checkpoint_id')
            view['copy_destination'] = copy_of.get('destination')
            progress = self.copy_progress
            if progress is not None:
                view['copy_progress'] = progress
        return view


class CheckpointCollection:
    """The checkpoints of one bank.

    :param bank: a :class:`karbor.services.protection.bank_plugin.Bank`.
    :param bank_lease: an optional LeasePlugin, kept for the checkpoints.
    """

    def __init__(self, bank, bank_lease=None):
        self._bank = bank
        self._bank_lease = bank_lease
        self._checkpoints_section = bank.get_sub_section(CHECKPOINTS_SECTION)
        self._indices_section = bank.get_sub_section(INDICES_SECTION)

    @property
    def bank(self):
        return self._bank

    def create(self, plan, checkpoint_properties=None, context=None):
        """Create a checkpoint of ``plan`` and return it.

        :param plan: an object (or dict) with ``id``, ``name``,
            ``provider_id``, ``project_id`` and ``resources``.
        :param checkpoint_properties: optional dict with ``status`` (default
            ``protecting``), ``extra_info`` (a JSON string, a dict or None)
            and ``id`` (default: a new UUID).
        """
        properties = checkpoint_properties or {}
        checkpoint_id = properties.get('id') or uuidutils.generate_uuid()
        now = timeutils.utcnow(with_timezone=True)
        resources = [dict(r) for r in (_plan_field(plan, 'resources') or [])]
        index = {
            'version': INDEX_VERSION,
            'id': checkpoint_id,
            'status': (properties.get('status') or
                       constants.CHECKPOINT_STATUS_PROTECTING),
            'owner_id': self._bank.get_owner_id(context=context),
            'provider_id': _plan_field(plan, 'provider_id'),
            'project_id': _plan_field(plan, 'project_id'),
            'protection_plan': {
                'id': _plan_field(plan, 'id'),
                'name': _plan_field(plan, 'name'),
                'provider_id': _plan_field(plan, 'provider_id'),
                'resources': resources,
            },
            'extra_info': _extra_info_text(properties.get('extra_info')),
            'created_at': now.strftime(DATE_FORMAT),
            'timestamp': int(now.timestamp()),
        }
        checkpoint = Checkpoint(self._checkpoints_section,
                                self._indices_section, checkpoint_id,
                                index=index, bank_lease=self._bank_lease)
        # index.json first: an index key must never name a checkpoint that
        # cannot be read.
        checkpoint.commit(context=context)
        for key in _index_keys(index):
            self._indices_section.update_object(key, checkpoint_id,
                                                context=context)
        return checkpoint

    def create_copy(self, source_checkpoint, copy_id=None, destination=None,
                    source_bank=None, context=None):
        """Create, in this collection, the copy of ``source_checkpoint``.

        The copy's index.json is a snapshot of the source's: the same
        plan, resource graph, project, provider and point in time (so it
        lists where the source does), the source's ``extra_info`` keys
        plus ``copy_status: wait_copying``, and ``copy_of`` naming the
        source. Its status is ``wait_copying``; its resource data is
        written later by the copy flow. The source is only read.

        :param source_checkpoint: a :class:`Checkpoint` of the main bank.
        :param copy_id: the copy's id (default: a new UUID).
        :param destination: the copy destination's name.
        :param source_bank: the source bank's plugin name.
        """
        checkpoint_id = copy_id or uuidutils.generate_uuid()
        source = source_checkpoint.metadata
        index = {key: copy.deepcopy(source.get(key))
                 for key in _SNAPSHOT_KEYS}
        index.update({
            'version': INDEX_VERSION,
            'id': checkpoint_id,
            'status': constants.CHECKPOINT_STATUS_WAIT_COPYING,
            'owner_id': self._bank.get_owner_id(context=context),
            'extra_info': source_checkpoint.extra_info,
            COPY_OF: {
                'checkpoint_id': source_checkpoint.id,
                'provider_id': source.get('provider_id'),
                'bank': source_bank,
                'destination': destination,
                'copied_at': timeutils.utcnow().strftime(
                    '%Y-%m-%dT%H:%M:%SZ'),
            },
        })
        if index['resource_graph'] is None:
            index.pop('resource_graph')
        checkpoint = Checkpoint(self._checkpoints_section,
                                self._indices_section, checkpoint_id,
                                index=index, bank_lease=self._bank_lease)
        checkpoint.set_copy_status(constants.CHECKPOINT_STATUS_WAIT_COPYING)
        checkpoint.commit(context=context)
        for key in _index_keys(index):
            self._indices_section.update_object(key, checkpoint_id,
                                                context=context)
        return checkpoint

    def get(self, checkpoint_id, context=None):
        """Return the checkpoint, or raise CheckpointNotFound."""
        if (not isinstance(checkpoint_id, str) or not checkpoint_id or
                '/' in checkpoint_id):
            raise exception.CheckpointNotFound(checkpoint_id=checkpoint_id)
        return Checkpoint(self._checkpoints_section, self._indices_section,
                          checkpoint_id, bank_lease=self._bank_lease)

    def list_ids(self, provider_id, project_id=None, limit=None, marker=None,
                 plan_id=None, start_date=None, end_date=None,
                 sort_dir='desc', context=None, all_tenants=False):
        """Return checkpoint ids, newest first unless ``sort_dir`` is 'asc'.

        Only index keys are read (plus the marker's own index.json), never
        the checkpoints' metadata. ``start_date`` and ``end_date`` are
        inclusive ``datetime.date`` bounds, each optional. Without
        ``all_tenants`` the listing covers ``project_id`` only. With
        ``plan_id`` the by-plan index is used, otherwise the by-provider
        one; ids are ordered by creation time, then id.

        :raises karbor.exception.InvalidInput: for a bad ``sort_dir`` or a
            marker that is not a checkpoint of this bank.
        """
        if limit is not None and limit <= 0:
            return []
        marker_entry = None
        if marker is not None:
            marker_entry = self.marker_entry(marker, context=context)
        result = []
        for _timestamp, checkpoint_id in self.iter_entries(
                provider_id, project_id=project_id, plan_id=plan_id,
                start_date=start_date, end_date=end_date, sort_dir=sort_dir,
                marker_entry=marker_entry, context=context,
                all_tenants=all_tenants):
            result.append(checkpoint_id)
            if limit is not None and len(result) >= limit:
                break
        return result

    def iter_entries(self, provider_id, project_id=None, plan_id=None,
                     start_date=None, end_date=None, sort_dir='desc',
                     marker_entry=None, context=None, all_tenants=False):
        """Yield ``(timestamp, checkpoint id)`` in listing order, lazily.

        The arguments are those of :meth:`list_ids`, except that the
        marker is a position, ``(timestamp, id, created_at)`` as returned
        by :meth:`marker_entry`, which need not be a checkpoint of this
        bank: listings of several banks merge on these positions.
        """
        sort_dir = sort_dir or bank_plugin.SORT_DESC
        if sort_dir not in (bank_plugin.SORT_ASC, bank_plugin.SORT_DESC):
            raise exception.InvalidInput(
                reason='sort_dir must be asc or desc, not %s' % sort_dir)
        descending = sort_dir == bank_plugin.SORT_DESC
        start_date = _as_date(start_date)
        end_date = _as_date(end_date)
        if plan_id is not None:
            prefix = '%s/%s/' % (BY_PLAN, plan_id)
        else:
            prefix = '%s/%s/' % (BY_PROVIDER, provider_id)
        single_project = not all_tenants
        if single_project:
            prefix += '%s/' % project_id

        if single_project:
            entries = self._iter_project_entries(
                prefix, sort_dir, marker_entry, plan_id is not None,
                context=context)
        else:
            entries = self._all_entries(prefix, descending, marker_entry,
                                        context=context)
        for timestamp, checkpoint_id in entries:
            date = _date_of(timestamp)
            if start_date is not None and date < start_date:
                if descending:
                    return
                continue
            if end_date is not None and date > end_date:
                if not descending:
                    return
                continue
            yield timestamp, checkpoint_id

    def marker_entry(self, marker, context=None):
        """The listing position of checkpoint ``marker`` of this bank.

        :raises karbor.exception.InvalidInput: it is not in this bank.
        """
        try:
            checkpoint = self.get(marker, context=context)
        except exception.CheckpointNotFound:
            raise exception.InvalidInput(
                reason='marker checkpoint %s not found' % marker)
        return checkpoint.timestamp, checkpoint.id, checkpoint.created_at

    def _iter_project_entries(self, prefix, sort_dir, marker_entry,
                              by_plan, context=None, page_size=1000):
        # Within one project the bank's key order is time order, so the
        # bank pages and skips to the marker for us.
        bank_marker = None
        if marker_entry is not None:
            timestamp, checkpoint_id, created_at = marker_entry
            bank_marker = '%s@%s' % (timestamp, checkpoint_id)
            if by_plan:
                bank_marker = '%s/%s' % (created_at, bank_marker)
        while True:
            keys = self._indices_section.list_objects(
                prefix=prefix, limit=page_size,
                marker=None if bank_marker is None else prefix + bank_marker,
                sort_dir=sort_dir, context=context)
            for key in keys:
                entry = _parse_entry(key)
                if entry is not None:
                    yield entry
            if len(keys) < page_size:
                return
            bank_marker = keys[-1][len(prefix):]

    def _all_entries(self, prefix, descending, marker_entry, context=None):
        keys = self._indices_section.list_objects(prefix=prefix,
                                                  context=context)
        entries = sorted((e for e in map(_parse_entry, keys) if e),
                         reverse=descending)
        if marker_entry is not None:
            position = marker_entry[:2]
            entries = [e for e in entries
                       if (e < position if descending else e > position)]
        return entries


def _parse_entry(key):
    """Return (timestamp, checkpoint id) of an index key, or None."""
    name = key.rsplit('/', 1)[-1]
    timestamp, sep, checkpoint_id = name.partition('@')
    if not sep or not timestamp.isdigit() or not checkpoint_id:
        LOG.warning('Ignoring malformed checkpoint index key %s', key)
        return None
    return int(timestamp), checkpoint_id
