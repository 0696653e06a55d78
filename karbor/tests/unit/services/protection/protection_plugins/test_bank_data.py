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

"""Tests of the bank-data copy operation between two real banks."""

from unittest import mock

from karbor.common import constants
from karbor import exception
from karbor import resource
from karbor.services.protection import bank_mover
from karbor.services.protection import checkpoint as checkpoint_module
from karbor.services.protection.protection_plugins import bank_data
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes

VOLUME = resource.Resource(type=constants.VOLUME_RESOURCE_TYPE, id='v1',
                           name='vol1')
SERVER = resource.Resource(type=constants.SERVER_RESOURCE_TYPE, id='s1',
                           name='srv1')


class RecordingProgress:
    """The copy flow's progress object: exactly the methods it calls."""

    def __init__(self):
        self.calls = []
        self.verified = []

    def update(self, resource_id, stats):
        self.calls.append((resource_id, stats))

    def section_verified(self, resource_id):
        self.verified.append(resource_id)


class BankDataCopyOperationTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.source = fakes.make_provider(self)
        self.destination = fakes.make_provider(self)
        plan = fakes.FakePlan([VOLUME.to_dict(), SERVER.to_dict()])
        self.checkpoint = self.source.checkpoint_collection.create(plan)
        self.checkpoint_copy = self.destination.checkpoint_collection.create(
            plan)
        section = self.checkpoint.get_resource_bank_section(VOLUME.id)
        section.update_object('metadata', {'resource_id': VOLUME.id})
        section.update_object('status', 'available')
        section.put_object_stream('data/0001', [b'a' * 5000])
        # Another resource's data is not part of this resource's copy.
        self.checkpoint.get_resource_bank_section(SERVER.id).update_object(
            'metadata', {'resource_id': SERVER.id})
        self.operation = bank_data.BankDataCopyOperation(chunk_size=1024)

    def _copy(self, **kwargs):
        return self.operation.on_main(self.checkpoint, VOLUME, None, {},
                                      checkpoint_copy=self.checkpoint_copy,
                                      operation_log=None, **kwargs)

    def test_copies_the_resource_section_only(self):
        stats = self._copy()
        copied = self.checkpoint_copy.get_resource_bank_section(VOLUME.id)
        self.assertEqual(['data/0001', 'metadata', 'status'],
                         copied.list_objects())
        self.assertEqual(b'a' * 5000,
                         copied.open_object_reader('data/0001').read())
        self.assertEqual({'resource_id': VOLUME.id},
                         copied.get_object('metadata'))
        self.assertEqual([], self.checkpoint_copy.get_resource_bank_section(
            SERVER.id).list_objects())
        self.assertEqual(3, stats.objects_copied)

    def test_progress_goes_to_copy_progress(self):
        progress = RecordingProgress()
        stats = self._copy(copy_progress=progress)
        # The totals as objects start moving, then the end.
        self.assertGreaterEqual(len(progress.calls), 2)
        self.assertEqual({VOLUME.id}, {rid for rid, _s in progress.calls})
        self.assertEqual(3, progress.calls[0][1].objects_total)
        self.assertEqual(stats, progress.calls[-1][1])
        self.assertIsInstance(stats, bank_mover.MoveStats)

    def test_a_whole_copy_is_reported_verified(self):
        progress = RecordingProgress()
        self._copy(copy_progress=progress)
        self.assertEqual([VOLUME.id], progress.verified)

    def test_a_failed_copy_is_not_reported_verified(self):
        progress = RecordingProgress()
        with mock.patch.object(bank_mover, 'copy_section', autospec=True,
                               side_effect=exception.CopyFailed(
                                   checkpoint_id='c', destination='d',
                                   reason='r')):
            self.assertRaises(exception.CopyFailed, self._copy,
                              copy_progress=progress)
        self.assertEqual([], progress.verified)

    def test_second_copy_moves_nothing(self):
        self._copy()
        stats = self._copy(copy_progress=RecordingProgress())
        self.assertEqual((0, 3), (stats.bytes_copied, stats.objects_skipped))

    def test_uses_the_mover_settings(self):
        operation = bank_data.BankDataCopyOperation(max_workers=2,
                                                    chunk_size=77)
        with mock.patch.object(bank_mover, 'copy_section', autospec=True,
                               return_value=bank_mover.MoveStats()) as mover:
            operation.on_main(self.checkpoint, VOLUME, None, {},
                              checkpoint_copy=self.checkpoint_copy)
        kwargs = mover.call_args.kwargs
        self.assertEqual((2, 77, None),
                         (kwargs['max_workers'], kwargs['chunk_size'],
                          kwargs['progress']))
        source, destination = mover.call_args.args
        self.assertEqual(self.checkpoint.get_resource_bank_section(
            VOLUME.id).section, source.section)
        self.assertIs(self.destination.bank, destination.bank)

    def test_failure_names_checkpoint_and_destination(self):
        index_key = '%s/%s' % (self.checkpoint_copy.id,
                               checkpoint_module.INDEX_FILE)
        checkpoints = self.destination.bank.get_sub_section(
            checkpoint_module.CHECKPOINTS_SECTION)
        index = checkpoints.get_object(index_key)
        index['copy_of'] = {'destination': 'az2'}
        checkpoints.update_object(index_key, index)
        self.checkpoint_copy.reload()
        full = exception.BankUpdateObjectFailed(key='k', reason='disk full')

        def full_for_batches(items, *args, **kwargs):
            if not items:
                return []
            raise full
        plugin = self.destination.bank.plugin
        with mock.patch.object(plugin, 'put_copy_object', autospec=True,
                               side_effect=full), \
                mock.patch.object(plugin, 'put_copy_objects_from_paths',
                                  autospec=True,
                                  side_effect=full_for_batches):
            exc = self.assertRaises(exception.CopyFailed, self._copy)
        message = str(exc)
        for part in (self.checkpoint.id, VOLUME.id, 'az2',
                     self.checkpoint_copy.id, 'disk full'):
            self.assertIn(part, message)

    def test_needs_a_copy_checkpoint(self):
        self.assertRaises(ValueError, self.operation.on_main,
                          self.checkpoint, VOLUME, None, {})
