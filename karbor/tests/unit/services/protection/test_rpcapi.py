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

"""Tests of the protection RPC client against a real protection manager."""

import datetime

from karbor.common import constants
from karbor import exception
from karbor import objects
from karbor.services.protection import rpcapi
from karbor.tests.unit.services.protection import fake_protection as fakes
from karbor.tests.unit.services.protection import test_manager


class ProtectionRpcApiTest(test_manager.ManagerTestBase):

    def setUp(self):
        super().setUp()
        self.useFixture(fakes.RpcServer([self.manager]))
        self.rpcapi = rpcapi.ProtectionAPI()

    def test_version(self):
        self.assertEqual('1.1', self.rpcapi.RPC_API_VERSION)
        self.assertEqual('1.1', self.manager.target.version)

    def test_providers(self):
        providers = self.rpcapi.list_providers(self.ctx)
        self.assertEqual(4, len(providers))
        self.assertEqual('Test Provider', self.rpcapi.show_provider(
            self.ctx, fakes.PROVIDER_ID)['name'])

    def test_exceptions_keep_class_and_code(self):
        e = self.assertRaises(exception.ProviderNotFound,
                              self.rpcapi.show_provider, self.ctx,
                              test_manager.UNKNOWN_ID)
        self.assertEqual(404, e.code)

    def test_protect_list_and_restore(self):
        plan = objects.Plan(
            context=self.ctx, id=fakes.PLAN_ID, name='plan',
            provider_id=fakes.PROVIDER_ID, project_id=fakes.PROJECT_ID,
            status=constants.PLAN_STATUS_SUSPENDED,
            resources=[dict(fakes.VOLUME, extra_info=None)],
            parameters={})
        view = self.rpcapi.protect(self.ctx, plan,
                                   {'extra_info': {'created_by': 'manual'}})
        self.assertEqual('protecting', view['status'])
        self.wait()
        today = datetime.date.today()
        listed = self.rpcapi.list_checkpoints(
            self.ctx, fakes.PROVIDER_ID,
            filters={'start_date': today - datetime.timedelta(days=1)})
        self.assertEqual([view['id']], [c['id'] for c in listed])
        self.assertEqual('available', self.rpcapi.show_checkpoint(
            self.ctx, fakes.PROVIDER_ID, view['id'])['status'])

        restore = self.records.new_restore(self.ctx,
                                           checkpoint_id=view['id'])
        result = self.rpcapi.restore(self.ctx, restore)
        self.assertIsInstance(result, objects.Restore)
        self.assertIsNotNone(result.id)
        self.wait()
        self.assertEqual('success', self.records.restore(result.id).status)

    def test_copy(self):
        plan = objects.Plan(
            context=self.ctx, id=fakes.PLAN_ID, name='plan',
            provider_id=fakes.PROVIDER_ID, project_id=fakes.PROJECT_ID,
            status=constants.PLAN_STATUS_SUSPENDED,
            resources=[dict(fakes.VOLUME, extra_info=None)],
            parameters={})
        source = self.rpcapi.protect(self.ctx, plan, None)['id']
        self.wait()
        result = self.rpcapi.copy(self.ctx, plan, destination='dr')
        self.assertEqual([source], [p['checkpoint_protect_id']
                                    for p in result['checkpoint_id']])
        self.assertEqual('dr', result['destination']['name'])
        self.wait()
        copy_id = result['checkpoint_id'][0]['checkpoint_copy_id']
        self.assertEqual(source, self.rpcapi.show_checkpoint(
            self.ctx, fakes.PROVIDER_ID, copy_id)['copy_of'])
        e = self.assertRaises(exception.NothingToCopy, self.rpcapi.copy,
                              self.ctx, plan, destination='dr')
        self.assertEqual(409, e.code)

    def test_protectables(self):
        self.assertIn(constants.PROJECT_RESOURCE_TYPE,
                      self.rpcapi.list_protectable_types(self.ctx))
        self.assertEqual(
            [fakes.PROJECT_ID],
            [i['id'] for i in self.rpcapi.list_protectable_instances(
                self.ctx, constants.PROJECT_RESOURCE_TYPE)])
