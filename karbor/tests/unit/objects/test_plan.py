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

"""Tests of karbor.objects.plan on a real SQLite database."""

from oslo_utils import uuidutils

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base

PROVIDER = 'b766f37c-d011-4026-8228-28730d734a3f'


class TestPlan(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.ctx = context.RequestContext(user_id='u', project_id='proj')

    def _plan(self, **kwargs):
        values = {'name': 'my plan', 'provider_id': PROVIDER,
                  'project_id': 'proj', 'status': 'suspended',
                  'parameters': {'OS::Cinder::Volume': {'backup_mode': 'full',
                                                        'incremental': False,
                                                        'retries': 2}},
                  'resources': [{'id': 'vol-1', 'type': 'OS::Cinder::Volume',
                                 'name': 'data', 'extra_info': None}]}
        values.update(kwargs)
        plan = objects.Plan(self.ctx, **values)
        plan.create()
        return plan

    def test_create_get(self):
        plan = self._plan()
        self.assertTrue(uuidutils.is_uuid_like(plan.id))
        self.assertEqual(set(), plan.obj_what_changed())
        got = objects.Plan.get_by_id(self.ctx, plan.id)
        self.assertEqual(plan.parameters, got.parameters)
        self.assertIs(False,
                      got.parameters['OS::Cinder::Volume']['incremental'])
        self.assertEqual(plan.resources, got.resources)
        self.assertIsNotNone(got.created_at)
        self.assertFalse(got.deleted)

    def test_save_replaces_resources_only_when_changed(self):
        plan = self._plan()
        plan.resources = [{'id': 'vm-1', 'type': 'OS::Nova::Server',
                           'name': 'vm', 'extra_info': {'az': 'az1'}}]
        plan.save()
        self.assertEqual(set(), plan.obj_what_changed())
        got = objects.Plan.get_by_id(self.ctx, plan.id)
        self.assertEqual([{'id': 'vm-1', 'type': 'OS::Nova::Server',
                           'name': 'vm', 'extra_info': {'az': 'az1'}}],
                         got.resources)
        got.name = 'renamed'
        got.save()
        again = objects.Plan.get_by_id(self.ctx, plan.id)
        self.assertEqual('renamed', again.name)
        self.assertEqual(got.resources, again.resources)

    def test_destroy(self):
        plan = self._plan()
        plan.destroy()
        self.assertTrue(plan.deleted)
        self.assertRaises(exception.PlanNotFound, objects.Plan.get_by_id,
                          self.ctx, plan.id)

    def test_other_project_cannot_see_it(self):
        plan = self._plan()
        other = context.RequestContext(user_id='u', project_id='other')
        self.assertRaises(exception.PlanNotFound, objects.Plan.get_by_id,
                          other, plan.id)

    def test_list(self):
        first = self._plan(name='alpha')
        self._plan(name='beta', status='started')
        plans = objects.PlanList.get_all(self.ctx, filters={'name': 'alp'})
        self.assertEqual([first.id], [p.id for p in plans])
        plans = objects.PlanList.get_all_by_project(
            self.ctx, 'proj', filters={'status': 'started'})
        self.assertEqual(['beta'], [p.name for p in plans])
        page = objects.PlanList.get_all(self.ctx, limit=1)
        self.assertEqual(1, len(page))
        self.assertEqual('beta', page[0].name)
