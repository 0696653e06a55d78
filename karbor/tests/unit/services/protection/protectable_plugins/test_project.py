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

"""Tests of the project protectable."""

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor.services.protection.protectable_plugins import project
from karbor.tests import base


class ProjectProtectableTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.plugin = project.ProjectProtectablePlugin()
        self.ctx = context.RequestContext(user_id='u', project_id='p1',
                                          project_name='demo')

    def test_type_and_parents(self):
        self.assertEqual(constants.PROJECT_RESOURCE_TYPE,
                         self.plugin.get_resource_type())
        self.assertEqual((), self.plugin.get_parent_resource_types())

    def test_lists_exactly_the_callers_project(self):
        resources = self.plugin.list_resources(self.ctx)
        self.assertEqual(1, len(resources))
        res = resources[0]
        self.assertEqual((constants.PROJECT_RESOURCE_TYPE, 'p1', 'demo'),
                         (res.type, res.id, res.name))
        self.assertIsNone(res.extra_info)

    def test_name_defaults_to_id(self):
        ctx = context.RequestContext(user_id='u', project_id='p1')
        self.assertEqual('p1', self.plugin.list_resources(ctx)[0].name)

    def test_show_own_project(self):
        self.assertEqual('p1', self.plugin.show_resource(self.ctx, 'p1').id)

    def test_show_other_project(self):
        e = self.assertRaises(exception.ProtectableResourceNotFound,
                              self.plugin.show_resource, self.ctx, 'p2')
        self.assertEqual(404, e.code)

    def test_no_dependents(self):
        self.assertEqual([], self.plugin.get_dependent_resources(
            self.ctx, self.plugin.list_resources(self.ctx)[0]))

    def test_instance_is_a_new_bound_plugin(self):
        other = self.plugin.instance(self.ctx)
        self.assertIsNot(self.plugin, other)
        self.assertIs(self.ctx, other._context)
