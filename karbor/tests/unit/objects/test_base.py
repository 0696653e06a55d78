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

"""Tests of karbor.objects.base: registry, fingerprints, serializer."""

from oslo_versionedobjects import fixture

from karbor import context
from karbor import objects
from karbor.objects import base
from karbor.tests import base as test_base

# Change a field or a remotable method of an object and its hash changes:
# bump the object's VERSION, add a version-history line, and update the
# hash here.
OBJECT_HASHES = {
    'CheckpointCopy': '1.0-ccfc917b646c36fc4a3a8a7ac66f37d8',
    'CheckpointCopyList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'CheckpointRecord': '1.0-8cdb3bd23dda7c6499bc0da1f4cb0aab',
    'CheckpointRecordList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'OperationLog': '1.0-b90027b2ae11b5f692417a85430631af',
    'OperationLogList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'Plan': '1.0-a9b31ed9a572ee8f2321b1afaa484a04',
    'PlanList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'Restore': '1.0-8832374e0467c5d9439e4fa737bc1fbf',
    'RestoreList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'ScheduledOperation': '1.0-64539c81ab7882725e70a169c4b75e9d',
    'ScheduledOperationList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'ScheduledOperationLog': '1.0-6e4e0b9e337cf762f7d7d058199c7fb4',
    'ScheduledOperationLogList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'ScheduledOperationState': '1.0-aec6535826cdf8a014f4c26ad0e79c8f',
    'ScheduledOperationStateList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'Service': '1.0-c32cc9d093ef14c0fdf4ff4c0325c1c5',
    'ServiceList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'Trigger': '1.0-0f16b199769f049551220dd9862b9e37',
    'TriggerList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'Verification': '1.0-c8233b63c10005afd160ab7b1be0512d',
    'VerificationList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
}


class TestObjectVersions(test_base.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()

    def test_versions(self):
        checker = fixture.ObjectVersionChecker(
            base.KarborObjectRegistry.obj_classes())
        expected, actual = checker.test_hashes(OBJECT_HASHES)
        self.assertEqual(expected, actual,
                         'Object fields or methods changed: bump VERSION '
                         'and update OBJECT_HASHES')

    def test_every_object_is_exposed_on_the_package(self):
        for name in OBJECT_HASHES:
            cls = getattr(objects, name)
            self.assertEqual(name, cls.obj_name())
            self.assertEqual('karbor', cls.OBJ_PROJECT_NAMESPACE)

    def test_persistent_objects_have_soft_delete_fields(self):
        for name in OBJECT_HASHES:
            if name.endswith('List'):
                continue
            fields = getattr(objects, name).fields
            for field in ('created_at', 'updated_at', 'deleted_at',
                          'deleted'):
                self.assertIn(field, fields, name)


class TestSerializer(test_base.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        self.ctx = context.RequestContext(user_id='u', project_id='p')

    def test_round_trip(self):
        plan = objects.Plan(
            self.ctx, id='2a9b37f6-55b9-4d05-90b8-4ee2f2e3f2c9', name='n',
            provider_id='b766f37c-d011-4026-8228-28730d734a3f',
            project_id='p', parameters={'OS::Nova::Server': {'n': 1}},
            resources=[{'id': 'x', 'type': 'OS::Nova::Server', 'name': 'vm',
                        'extra_info': {'az': 'a'}}])
        serializer = base.KarborObjectSerializer()
        primitive = serializer.serialize_entity(self.ctx, plan)
        self.assertEqual('karbor', primitive['karbor_object.namespace'])
        copy = serializer.deserialize_entity(self.ctx, primitive)
        self.assertIsInstance(copy, objects.Plan)
        self.assertEqual(plan.parameters, copy.parameters)
        self.assertEqual(plan.resources, copy.resources)

    def test_dict_compat(self):
        trigger = objects.Trigger(self.ctx, name='t', type='time')
        self.assertEqual('t', trigger['name'])
        self.assertEqual('time', trigger.get('type'))
