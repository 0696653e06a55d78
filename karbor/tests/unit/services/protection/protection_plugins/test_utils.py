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

"""Tests of the helpers shared by protection plugins."""

from unittest import mock

from karbor import context
from karbor import exception
from karbor import resource
from karbor.services.protection.protection_plugins import utils
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes


class ResourceResultTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)

    def test_restore_result_is_recorded_and_saved(self):
        restore = self.records.new_restore(self.ctx, create=True)
        utils.update_resource_restore_result(restore, 'T', 'i', 'error',
                                             'broken')
        stored = self.records.restore(restore.id)
        self.assertEqual({'T#i': 'error'}, stored.resources_status)
        self.assertEqual({'T#i': 'broken'}, stored.resources_reason)

    def test_restore_write_failure_is_swallowed(self):
        restore = self.records.new_restore(self.ctx, create=True)
        with mock.patch.object(restore, 'update_resource_status',
                               autospec=True,
                               side_effect=RuntimeError('db down')):
            utils.update_resource_restore_result(restore, 'T', 'i', 'x')

    def test_verify_write_failure_propagates(self):
        verify = self.records.new_verification(self.ctx, create=True)
        with mock.patch.object(verify, 'update_resource_status',
                               autospec=True,
                               side_effect=RuntimeError('db down')):
            self.assertRaises(RuntimeError,
                              utils.update_resource_verify_result,
                              verify, 'T', 'i', 'x')

    def test_verify_result_is_recorded(self):
        verify = self.records.new_verification(self.ctx, create=True)
        utils.update_resource_verify_result(verify, 'T', 'i', 'available')
        self.assertEqual({'T#i': 'available'}, self.records.verification(
            verify.id).resources_status)


class CheckedOperationTest(base.TestCase):

    RESOURCE = resource.Resource(type='T', id='i', name='n')

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.checked = []

    def _check(self, checkpoint, res, ctx):
        self.checked.append((checkpoint, res, ctx))

    def _broken(self, checkpoint, res, ctx):
        raise exception.CheckpointCorrupted(checkpoint_id='c',
                                            reason='data_1 is wrong')

    def test_restore_checks_and_records_success(self):
        restore = self.records.new_restore(self.ctx, create=True)
        new_resources = {}
        utils.CheckedRestoreOperation(self._check).on_main(
            'cp', self.RESOURCE, self.ctx, {}, restore=restore,
            new_resources=new_resources)
        self.assertEqual([('cp', self.RESOURCE, self.ctx)], self.checked)
        self.assertEqual({'i': 'i'}, new_resources)
        self.assertEqual({'T#i': 'available'},
                         self.records.restore(restore.id).resources_status)

    def test_restore_failure_records_the_reason(self):
        restore = self.records.new_restore(self.ctx, create=True)
        self.assertRaises(exception.CheckpointCorrupted,
                          utils.CheckedRestoreOperation(self._broken).on_main,
                          'cp', self.RESOURCE, self.ctx, {},
                          restore=restore, new_resources={})
        stored = self.records.restore(restore.id)
        self.assertEqual({'T#i': 'error'}, stored.resources_status)
        self.assertIn('data_1 is wrong', stored.resources_reason['T#i'])

    def test_verify_failure_records_the_reason(self):
        verify = self.records.new_verification(self.ctx, create=True)
        self.assertRaises(exception.CheckpointCorrupted,
                          utils.CheckedVerifyOperation(self._broken).on_main,
                          'cp', self.RESOURCE, self.ctx, {}, verify=verify)
        stored = self.records.verification(verify.id)
        self.assertEqual({'T#i': 'error'}, stored.resources_status)

    def test_verify_success(self):
        verify = self.records.new_verification(self.ctx, create=True)
        utils.CheckedVerifyOperation(self._check).on_main(
            'cp', self.RESOURCE, self.ctx, {}, verify=verify)
        self.assertEqual({'T#i': 'available'}, self.records.verification(
            verify.id).resources_status)
