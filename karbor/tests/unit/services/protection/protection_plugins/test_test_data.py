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

"""Tests of the test-data protection plugin on real file-system banks."""

import hashlib
import os
import shutil
import tracemalloc

import jsonschema
import xxhash

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import resource
from karbor.services.protection.protection_plugins import bank_data
from karbor.services.protection.protection_plugins import test_data
from karbor.services.protection import provider as provider_module
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes

VOLUME = resource.Resource(type=constants.VOLUME_RESOURCE_TYPE, id='v1',
                           name='vol1')
SERVER = resource.Resource(type=constants.SERVER_RESOURCE_TYPE, id='s1',
                           name='srv1')

_PROVIDER = """[provider]
name = Test Data
id = %(id)s
plugin = karbor-test-data-protection-plugin
bank = karbor-fs-bank-plugin
enabled = True

[file_system_bank_plugin]
file_system_bank_path = %(bank)s

[test_data_protection_plugin]
objects_per_resource = 3
object_size = 1500
"""


def make_provider(directory, name, provider_id=fakes.PROVIDER_ID):
    path = os.path.join(directory, name + '.conf')
    with open(path, 'w') as f:
        f.write(_PROVIDER % {'id': provider_id,
                             'bank': os.path.join(directory, name)})
    return provider_module.PluggableProtectionProvider(
        provider_module.load_provider_config(path))


class TestDataPluginTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = self.useFixture(fakes.Records())
        self.ctx = context.RequestContext(user_id='u',
                                          project_id=fakes.PROJECT_ID)
        self.provider = make_provider(self.state_path, 'main')
        self.plugin = self.provider.load_plugins()[VOLUME.type]
        self.checkpoint = self.provider.checkpoint_collection.create(
            fakes.FakePlan([VOLUME.to_dict(), SERVER.to_dict()]))
        self.section = self.checkpoint.get_resource_bank_section(VOLUME.id)

    def _hook(self, operation_type, checkpoint=None, res=VOLUME,
              parameters=None, **kwargs):
        operation = getattr(self.plugin, 'get_%s_operation' %
                            operation_type)(res)
        operation.on_main(checkpoint or self.checkpoint, res, self.ctx,
                          parameters or {}, **kwargs)

    def _restore(self, checkpoint=None):
        restore = self.records.new_restore(self.ctx, create=True)
        self._hook('restore', checkpoint=checkpoint, restore=restore,
                   new_resources={})
        return restore

    def test_registered_and_supports_everything(self):
        self.assertIsInstance(self.plugin,
                              test_data.TestDataProtectionPlugin)
        self.assertEqual(set(constants.RESOURCE_TYPES),
                         set(self.provider.plugins))
        for operation in constants.OPERATION_TYPES:
            self.assertTrue(self.plugin.supports_operation(operation))
        self.assertIsInstance(self.plugin.get_copy_operation(VOLUME),
                              bank_data.BankDataCopyOperation)

    def test_protect_uses_provider_options(self):
        self._hook('protect')
        self.assertEqual(['data_000000', 'data_000001', 'data_000002',
                          'metadata', 'status'], self.section.list_objects())
        metadata = self.section.get_object('metadata')
        self.assertEqual((VOLUME.id, VOLUME.type, 3, 1500),
                         (metadata['resource_id'],
                          metadata['resource_type'], metadata['count'],
                          metadata['object_size']))
        for entry in metadata['objects']:
            data = self.section.open_object_reader(entry['name']).read()
            self.assertEqual(1500, len(data))
            self.assertEqual(1500, entry['size'])
            self.assertEqual(xxhash.xxh3_128_hexdigest(data),
                             entry['xxh3_128'])
        self.assertEqual(constants.RESOURCE_STATUS_AVAILABLE,
                         self.section.get_object('status'))

    def test_parameters_override_options(self):
        self._hook('protect', parameters={'objects': 2, 'object_size': 10})
        metadata = self.section.get_object('metadata')
        self.assertEqual([('data_000000', 10), ('data_000001', 10)],
                         [(o['name'], o['size'])
                          for o in metadata['objects']])

    def test_defaults_without_configuration(self):
        plugin = test_data.TestDataProtectionPlugin()
        plugin.get_protect_operation(VOLUME).on_main(
            self.checkpoint, VOLUME, self.ctx, {'object_size': 7})
        self.assertEqual(4, self.section.get_object('metadata')['count'])

    def test_options_schema(self):
        schema = self.plugin.get_options_schema(VOLUME.type)
        jsonschema.validate({'objects': 5, 'object_size': 1024}, schema)
        for bad in ({'objects': -1}, {'object_size': 'big'},
                    {'objects': test_data.MAX_OBJECTS + 1}):
            self.assertRaises(jsonschema.ValidationError,
                              jsonschema.validate, bad, schema)
        self.assertEqual(schema,
                         self.provider.extended_info_schema[
                             'options_schema'][VOLUME.type])
        schema['properties'].clear()
        self.assertIn('objects', self.plugin.get_options_schema(
            VOLUME.type)['properties'])

    def test_copy_takes_no_options(self):
        schema = self.plugin.get_copy_schema(VOLUME.type)
        jsonschema.validate({}, schema)
        self.assertRaises(jsonschema.ValidationError, jsonschema.validate,
                          {'objects': 1}, schema)
        self.assertEqual(schema, self.provider.extended_info_schema[
            'copy_schema'][VOLUME.type])

    def test_data_is_deterministic_and_distinct(self):
        first = b''.join(test_data.generate('c', 'r', 0, 3000,
                                            chunk_size=1000))
        again = b''.join(test_data.generate('c', 'r', 0, 3000,
                                            chunk_size=1000))
        self.assertEqual(3000, len(first))
        self.assertEqual(first, again)
        for other in (('c2', 'r', 0), ('c', 'r2', 0), ('c', 'r', 1)):
            self.assertNotEqual(first, b''.join(
                test_data.generate(*other, size=3000, chunk_size=1000)))
        self.assertEqual([1000, 1000, 1], [len(c) for c in test_data.generate(
            'c', 'r', 0, 2001, chunk_size=1000)])
        self.assertEqual([], list(test_data.generate('c', 'r', 0, 0)))

    def test_protect_streams_big_objects(self):
        size = 32 * 1024 * 1024
        tracemalloc.start()
        try:
            self._hook('protect', parameters={'objects': 1,
                                              'object_size': size})
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertEqual(size, self.section.get_object_size('data_000000'))
        self.assertLess(peak, 8 * 1024 * 1024)

    def test_restore_and_verify_check_every_object(self):
        self._hook('protect')
        restore = self._restore()
        key = '%s#%s' % (VOLUME.type, VOLUME.id)
        self.assertEqual({key: 'available'},
                         self.records.restore(restore.id).resources_status)
        verify = self.records.new_verification(self.ctx, create=True)
        self._hook('verify', verify=verify, new_resources={})
        self.assertEqual({key: 'available'}, verify.resources_status)

    def test_corrupted_object_fails_naming_it(self):
        self._hook('protect')
        good = self.section.open_object_reader('data_000001').read()
        self.section.update_object('data_000001',
                                   bytes([good[0] ^ 1]) + good[1:])
        restore = self.records.new_restore(self.ctx, create=True)
        exc = self.assertRaises(exception.CheckpointCorrupted, self._hook,
                                'restore', restore=restore,
                                new_resources={})
        self.assertIn('data_000001', str(exc))
        key = '%s#%s' % (VOLUME.type, VOLUME.id)
        stored = self.records.restore(restore.id)
        self.assertEqual('error', stored.resources_status[key])
        self.assertIn('data_000001', stored.resources_reason[key])
        verify = self.records.new_verification(self.ctx, create=True)
        self.assertRaises(exception.CheckpointCorrupted, self._hook,
                          'verify', verify=verify, new_resources={})
        self.assertEqual('error', verify.resources_status[key])

    def test_manifests_recording_md5_are_still_checked(self):
        # Checkpoints protected before the manifest moved to XXH3.
        self._hook('protect')
        metadata = self.section.get_object('metadata')
        for entry in metadata['objects']:
            data = self.section.open_object_reader(entry['name']).read()
            del entry['xxh3_128']
            entry['md5'] = hashlib.md5(data).hexdigest()
        metadata['objects'][1]['md5'] = '0' * 32
        self.section.update_object('metadata', metadata)
        verify = self.records.new_verification(self.ctx, create=True)
        exc = self.assertRaises(exception.CheckpointCorrupted, self._hook,
                                'verify', verify=verify, new_resources={})
        self.assertIn('data_000001', str(exc))
        self.assertIn('md5 ' + '0' * 32, str(exc))
        metadata['objects'][1]['md5'] = hashlib.md5(
            self.section.open_object_reader('data_000001').read()
        ).hexdigest()
        self.section.update_object('metadata', metadata)
        verify = self.records.new_verification(self.ctx, create=True)
        self._hook('verify', verify=verify, new_resources={})

    def test_entry_without_checksum_is_corrupted(self):
        self._hook('protect')
        metadata = self.section.get_object('metadata')
        del metadata['objects'][0]['xxh3_128']
        self.section.update_object('metadata', metadata)
        verify = self.records.new_verification(self.ctx, create=True)
        exc = self.assertRaises(exception.CheckpointCorrupted, self._hook,
                                'verify', verify=verify, new_resources={})
        self.assertIn('records no checksum for data object data_000000',
                      str(exc))

    def test_missing_object_fails_naming_it(self):
        self._hook('protect')
        self.section.delete_object('data_000002')
        exc = self.assertRaises(exception.ResourceDataNotFound,
                                test_data.check_resource_data,
                                self.checkpoint, VOLUME)
        self.assertIn('data_000002', str(exc))

    def test_missing_or_foreign_metadata(self):
        self.assertRaises(exception.ResourceDataNotFound,
                          test_data.check_resource_data, self.checkpoint,
                          VOLUME)
        self.section.update_object('metadata', {'resource_id': 'other'})
        self.assertRaises(exception.ResourceDataNotFound,
                          test_data.check_resource_data, self.checkpoint,
                          VOLUME)

    def test_delete_removes_the_resource_data(self):
        self._hook('protect')
        self._hook('protect', res=SERVER)
        self._hook('delete')
        self.assertEqual([], self.section.list_objects())
        self.assertNotEqual([], self.checkpoint.get_resource_bank_section(
            SERVER.id).list_objects())

    def test_copy_restores_from_the_copy_alone(self):
        self._hook('protect')
        other = make_provider(self.state_path, 'az2')
        checkpoint_copy = other.checkpoint_collection.create(
            fakes.FakePlan([VOLUME.to_dict()]))
        self._hook('copy', checkpoint_copy=checkpoint_copy,
                   operation_log=None)
        copied = checkpoint_copy.get_resource_bank_section(VOLUME.id)
        self.assertEqual(self.section.list_objects(), copied.list_objects())
        # The main bank is gone from disk; the copy restores on its own.
        shutil.rmtree(os.path.join(self.state_path, 'main'))
        restore = self._restore(checkpoint=checkpoint_copy)
        self.assertEqual(
            {'%s#%s' % (VOLUME.type, VOLUME.id): 'available'},
            self.records.restore(restore.id).resources_status)
        self.assertRaises(exception.ResourceDataNotFound,
                          test_data.check_resource_data, self.checkpoint,
                          VOLUME)

    def test_list_opts(self):
        self.assertEqual(
            ['objects_per_resource', 'object_size'],
            [o.name for o in dict(test_data.list_opts())[
                test_data.OPTS_GROUP]])
