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

"""Tests of karbor.objects.restore on a real SQLite database."""

import threading

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base

PROVIDER = 'b766f37c-d011-4026-8228-28730d734a3f'
CHECKPOINT = '2a9b37f6-55b9-4d05-90b8-4ee2f2e3f2c9'


class TestRestore(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.ctx = context.RequestContext(user_id='u', project_id='proj')

    def _restore(self, **kwargs):
        values = {'project_id': 'proj', 'provider_id': PROVIDER,
                  'checkpoint_id': CHECKPOINT, 'restore_target': None,
                  'parameters': {'OS::Nova::Server': {'restore_net': True}},
                  'status': 'in_progress'}
        values.update(kwargs)
        restore = objects.Restore(self.ctx, **values)
        restore.create()
        return restore

    def test_crud(self):
        restore = self._restore()
        restore.status = 'success'
        restore.save()
        got = objects.Restore.get_by_id(self.ctx, restore.id)
        self.assertEqual('success', got.status)
        self.assertEqual({'OS::Nova::Server': {'restore_net': True}},
                         got.parameters)
        got.destroy()
        self.assertRaises(exception.RestoreNotFound,
                          objects.Restore.get_by_id, self.ctx, restore.id)

    def test_update_resource_status(self):
        restore = self._restore()
        restore.update_resource_status('OS::Nova::Server', 'vm-1',
                                       'restoring')
        restore.update_resource_status('OS::Cinder::Volume', 'v-1', 'error',
                                       'no space')
        self.assertEqual({'OS::Nova::Server#vm-1': 'restoring',
                          'OS::Cinder::Volume#v-1': 'error'},
                         restore.resources_status)
        got = objects.Restore.get_by_id(self.ctx, restore.id)
        self.assertEqual({'OS::Cinder::Volume#v-1': 'no space'},
                         got.resources_reason)

    def test_parallel_resource_updates_are_not_lost(self):
        restore = self._restore()
        errors = []

        def update(index):
            try:
                # Each thread holds its own copy, as plugins do.
                mine = objects.Restore.get_by_id(self.ctx, restore.id)
                mine.update_resource_status('T', str(index), 'available')
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=update, args=(i,))
                   for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([], errors)
        got = objects.Restore.get_by_id(self.ctx, restore.id)
        self.assertEqual({'T#%d' % i: 'available' for i in range(8)},
                         got.resources_status)

    def test_list_filters_are_exact(self):
        self._restore(status='success')
        self._restore()
        self.assertEqual(1, len(objects.RestoreList.get_all(
            self.ctx, filters={'status': 'success'})))
        self.assertEqual(0, len(objects.RestoreList.get_all(
            self.ctx, filters={'unknown': 'x'})))
        self.assertEqual(2, len(objects.RestoreList.get_all_by_project(
            self.ctx, 'proj')))
