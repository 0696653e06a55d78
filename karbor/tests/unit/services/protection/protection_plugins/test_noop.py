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

"""Tests of the noop protection plugin on a real file-system bank."""

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import resource
from karbor.services.protection.protection_plugins import bank_data
from karbor.services.protection.protection_plugins import noop
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes

VOLUME = resource.Resource(type=constants.VOLUME_RESOURCE_TYPE, id='v1',
                           name='vol1')


class NoopProtectionPluginTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.provider = fakes.make_provider(self)
        self.checkpoint = self.provider.checkpoint_collection.create(
            fakes.FakePlan([VOLUME.to_dict()]))
        self.plugin = noop.NoopProtectionPlugin()
        self.section = self.checkpoint.get_resource_bank_section(VOLUME.id)

    def _hook(self, operation_type, **kwargs):
        operation = getattr(self.plugin, 'get_%s_operation' %
                            operation_type)(VOLUME)
        operation.on_main(self.checkpoint, VOLUME, None, {}, **kwargs)

    def test_supports_every_type_and_operation(self):
        self.assertEqual(set(constants.RESOURCE_TYPES),
                         set(self.plugin.get_supported_resources_types()))
        for operation in constants.OPERATION_TYPES:
            self.assertTrue(self.plugin.supports_operation(operation))
        self.assertIsInstance(self.plugin.get_copy_operation(VOLUME),
                              bank_data.BankDataCopyOperation)

    def test_copy_is_restorable_without_the_source_bank(self):
        self._hook('protect')
        other = fakes.make_provider(self)
        checkpoint_copy = other.checkpoint_collection.create(
            fakes.FakePlan([VOLUME.to_dict()]))
        self._hook('copy', checkpoint_copy=checkpoint_copy)
        copied = checkpoint_copy.get_resource_bank_section(VOLUME.id)
        self.assertEqual(self.section.get_object('metadata'),
                         copied.get_object('metadata'))
        self.assertEqual(constants.RESOURCE_STATUS_AVAILABLE,
                         copied.get_object('status'))
        # The main bank is lost; the copy's own data is what restore reads.
        self._hook('delete')
        restore = self.records.new_restore(self.ctx, create=True)
        self.plugin.get_restore_operation(VOLUME).on_main(
            checkpoint_copy, VOLUME, None, {}, restore=restore,
            new_resources={})
        self.assertEqual({'%s#v1' % VOLUME.type: 'available'},
                         self.records.restore(restore.id).resources_status)

    def test_schemas_are_empty_objects(self):
        for getter in ('get_options_schema', 'get_restore_schema',
                       'get_saved_info_schema', 'get_verify_schema',
                       'get_copy_schema'):
            self.assertEqual({'type': 'object', 'properties': {}},
                             getattr(self.plugin, getter)(VOLUME.type))

    def test_protect_writes_metadata_and_status(self):
        self._hook('protect')
        self.assertEqual(constants.RESOURCE_STATUS_AVAILABLE,
                         self.section.get_object('status'))
        metadata = self.section.get_object('metadata')
        self.assertEqual({'resource_id': 'v1',
                          'resource_type': VOLUME.type,
                          'resource_name': 'vol1'},
                         {k: metadata[k] for k in ('resource_id',
                                                   'resource_type',
                                                   'resource_name')})
        self.assertIn('protected_at', metadata)

    def test_restore_records_success(self):
        self._hook('protect')
        restore = self.records.new_restore(self.ctx, create=True)
        new_resources = {}
        self._hook('restore', restore=restore, new_resources=new_resources,
                   restore_auth=None)
        self.assertEqual({'%s#v1' % VOLUME.type: 'available'},
                         self.records.restore(restore.id).resources_status)
        self.assertEqual({'v1': 'v1'}, new_resources)

    def test_restore_without_backup_fails_clearly(self):
        restore = self.records.new_restore(self.ctx, create=True)
        e = self.assertRaises(exception.ResourceDataNotFound, self._hook,
                              'restore', restore=restore, new_resources={})
        self.assertIn('v1', str(e))
        key = '%s#v1' % VOLUME.type
        stored = self.records.restore(restore.id)
        self.assertEqual('error', stored.resources_status[key])
        self.assertIn(self.checkpoint.id, stored.resources_reason[key])

    def test_verify_records_success(self):
        self._hook('protect')
        verify = self.records.new_verification(self.ctx, create=True)
        self._hook('verify', verify=verify, new_resources={})
        self.assertEqual({'%s#v1' % VOLUME.type: 'available'},
                         verify.resources_status)

    def test_verify_without_backup_fails(self):
        verify = self.records.new_verification(self.ctx, create=True)
        self.assertRaises(exception.ResourceDataNotFound, self._hook,
                          'verify', verify=verify, new_resources={})
        self.assertEqual('error',
                         verify.resources_status['%s#v1' % VOLUME.type])

    def test_foreign_metadata_is_refused(self):
        self.section.update_object('metadata', {'resource_id': 'other'})
        self.assertRaises(exception.ResourceDataNotFound, self._hook,
                          'verify', verify=self.records.new_verification(
                              self.ctx, create=True),
                          new_resources={})

    def test_delete_removes_resource_data(self):
        self._hook('protect')
        self.assertNotEqual([], self.section.list_objects())
        self._hook('delete')
        self.assertEqual([], self.section.list_objects())
