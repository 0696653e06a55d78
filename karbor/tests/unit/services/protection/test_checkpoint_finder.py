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

"""Tests of finding and listing checkpoints across a provider's banks."""

import json
import shutil
from unittest import mock

import fixtures
from oslo_utils import uuidutils

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import objects
from karbor.services.protection import checkpoint_finder
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes


class CheckpointFinderTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.provider = fakes.make_provider(
            self, copy_destinations=('az2', 'dr'))
        self.source = fakes.make_checkpoint(
            self.provider, status=constants.CHECKPOINT_STATUS_AVAILABLE)
        self.az2 = self.provider.copy_destinations['az2']
        self.dr = self.provider.copy_destinations['dr']
        self.copy = self.dr.checkpoint_collection.create_copy(
            self.source, destination='dr')

    def test_find_in_main_bank(self):
        checkpoint, where = checkpoint_finder.find_checkpoint(
            self.provider, self.source.id)
        self.assertEqual((self.source.id, None), (checkpoint.id, where))

    def test_find_a_copy_by_its_row(self):
        objects.CheckpointCopy(
            context=context.get_admin_context(), id=self.copy.id,
            project_id=fakes.PROJECT_ID, provider_id=self.provider.id,
            source_checkpoint_id=self.source.id, destination='dr',
            status='available').create()
        with mock.patch.object(self.az2.checkpoint_collection, 'get',
                               autospec=True,
                               side_effect=AssertionError('probed')):
            checkpoint, where = checkpoint_finder.find_checkpoint(
                self.provider, self.copy.id)
        self.assertEqual((self.copy.id, 'dr'), (checkpoint.id, where))

    def _row(self, status):
        objects.CheckpointCopy(
            context=context.get_admin_context(), id=self.copy.id,
            project_id=fakes.PROJECT_ID, provider_id=self.provider.id,
            source_checkpoint_id=self.source.id, destination='dr',
            status=status).create()

    def _stuck_copy(self):
        # What a copy that failed while its bank was unreachable leaves:
        # the index says copying, the row says error.
        self.copy.status = constants.CHECKPOINT_STATUS_COPYING
        self.copy.set_copy_status(constants.CHECKPOINT_STATUS_COPYING)
        self.copy.commit()
        self._row(constants.CHECKPOINT_STATUS_ERROR)

    def _copy_in_bank(self):
        return self.dr.checkpoint_collection.get(self.copy.id)

    def test_failed_copy_left_copying_in_its_bank_is_repaired(self):
        self._stuck_copy()
        checkpoint, where = checkpoint_finder.find_checkpoint(
            self.provider, self.copy.id)
        self.assertEqual('dr', where)
        self.assertEqual('error', checkpoint.status)
        stored = self._copy_in_bank()
        self.assertEqual('error', stored.status)
        self.assertEqual('error',
                         json.loads(stored.extra_info)['copy_status'])

    def test_failed_copy_is_repaired_when_listed(self):
        self._stuck_copy()
        self.assertEqual('error', checkpoint_finder.get_from(
            self.provider, self.copy.id, 'dr').status)
        self.assertEqual('error', self._copy_in_bank().status)

    def test_running_copy_is_left_alone(self):
        self.copy.status = constants.CHECKPOINT_STATUS_COPYING
        self.copy.commit()
        self._row(constants.CHECKPOINT_STATUS_COPYING)
        checkpoint, _where = checkpoint_finder.find_checkpoint(
            self.provider, self.copy.id)
        self.assertEqual('copying', checkpoint.status)
        self.assertEqual('copying', self._copy_in_bank().status)

    def test_repair_that_cannot_write_still_shows_error(self):
        self._stuck_copy()
        with mock.patch.object(type(self.copy), 'commit', autospec=True,
                               side_effect=exception.BankUpdateObjectFailed(
                                   key='k', reason='down')):
            checkpoint, _where = checkpoint_finder.find_checkpoint(
                self.provider, self.copy.id)
        self.assertEqual('error', checkpoint.status)
        self.assertEqual('copying', self._copy_in_bank().status)

    def test_find_a_copy_without_row_by_probing(self):
        checkpoint, where = checkpoint_finder.find_checkpoint(
            self.provider, self.copy.id)
        self.assertEqual((self.copy.id, 'dr'), (checkpoint.id, where))

    def test_unreadable_bank_is_not_taken_for_absence(self):
        down = exception.BankUnavailable(bank='copy destination dr',
                                         reason='no route to host')
        with mock.patch.object(self.dr.checkpoint_collection, 'get',
                               autospec=True, side_effect=down):
            # Found elsewhere: the unreadable bank does not matter.
            self.assertEqual(self.source.id, checkpoint_finder.find_checkpoint(
                self.provider, self.source.id)[0].id)
            # Perhaps there: 503, saying which bank and why, not 404.
            error = self.assertRaises(exception.CheckpointUnreachable,
                                      checkpoint_finder.find_checkpoint,
                                      self.provider, self.copy.id)
        self.assertEqual(503, error.code)
        self.assertIn(self.copy.id, str(error))
        self.assertIn('copy destination dr cannot be read', str(error))
        self.assertIn('no route to host', str(error))

    def test_not_found(self):
        self.assertRaises(exception.CheckpointNotFound,
                          checkpoint_finder.find_checkpoint, self.provider,
                          uuidutils.generate_uuid())

    def test_another_providers_checkpoint_in_a_shared_bank(self):
        # Two providers on one bank: each sees only its own checkpoints,
        # by id and by plan.
        other_plan = uuidutils.generate_uuid()
        other = self.provider.checkpoint_collection.create(
            fakes.FakePlan([dict(fakes.VOLUME)], plan_id=other_plan,
                           provider_id=uuidutils.generate_uuid()),
            {'status': constants.CHECKPOINT_STATUS_AVAILABLE})
        other_copy = self.dr.checkpoint_collection.create_copy(
            other, destination='dr')
        for checkpoint_id in (other.id, other_copy.id):
            self.assertRaises(exception.CheckpointNotFound,
                              checkpoint_finder.find_checkpoint,
                              self.provider, checkpoint_id)
        self.assertRaises(exception.CheckpointNotFound,
                          checkpoint_finder.get_from, self.provider,
                          other.id, checkpoint_finder.MAIN_BANK)
        self.assertRaises(exception.CheckpointNotFound,
                          checkpoint_finder.get_from, self.provider,
                          other_copy.id, 'dr')
        # The by-plan index does not name the provider: the listing finds
        # the entries, reading them refuses them.
        listed = self._list(plan_id=other_plan)
        self.assertEqual({(other.id, None), (other_copy.id, 'dr')},
                         set(listed))
        # The provider's own are still found.
        self.assertEqual(self.source.id, checkpoint_finder.find_checkpoint(
            self.provider, self.source.id)[0].id)

    def _list(self, **kwargs):
        return checkpoint_finder.list_checkpoints(
            self.provider, fakes.PROJECT_ID, self.provider.id, **kwargs)

    def test_list_merges_banks(self):
        self.assertEqual({(self.source.id, None), (self.copy.id, 'dr')},
                         set(self._list()))
        self.assertEqual(1, len(self._list(limit=1)))
        self.assertEqual([], self._list(limit=0))
        first = self._list(limit=1)[0][0]
        rest = self._list(marker=first)
        self.assertEqual({self.source.id, self.copy.id},
                         {first} | {i for i, _w in rest})
        self.assertEqual(1, len(rest))

    def test_unknown_marker_and_bad_sort(self):
        self.assertRaises(exception.InvalidInput, self._list,
                          marker=uuidutils.generate_uuid())
        self.assertRaises(exception.InvalidInput, self._list,
                          sort_dir='sideways')

    def test_a_broken_bank_is_skipped(self):
        def broken(*args, **kwargs):
            raise exception.BankListObjectsFailed(reason='down')
            yield  # a generator, like the real one

        for replacement in (
                mock.Mock(side_effect=exception.BankListObjectsFailed(
                    reason='down')),
                broken):
            with mock.patch.object(self.source_bank_collection(),
                                   'iter_entries', replacement):
                self.assertEqual([(self.copy.id, 'dr')], self._list())

    def test_a_bank_that_cannot_start_is_logged_without_traceback(self):
        logger = self.useFixture(fixtures.FakeLogger())
        down = exception.BankUnavailable(bank='the main bank',
                                         reason='no route to host')
        with mock.patch.object(self.source_bank_collection(), 'iter_entries',
                               autospec=True, side_effect=down):
            self.assertEqual([(self.copy.id, 'dr')], self._list())
        self.assertIn('no route to host', logger.output)
        self.assertNotIn('Traceback', logger.output)

    def source_bank_collection(self):
        return self.provider.checkpoint_collection

    def test_main_bank_gone(self):
        shutil.rmtree(self.provider.bank.plugin.root)
        self.assertEqual([(self.copy.id, 'dr')], self._list())
        checkpoint, where = checkpoint_finder.find_checkpoint(
            self.provider, self.copy.id)
        self.assertEqual('dr', where)
        self.assertEqual(self.copy.id, checkpoint_finder.get_from(
            self.provider, self.copy.id, 'dr').id)
