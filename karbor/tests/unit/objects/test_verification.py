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

"""Tests of karbor.objects.verification on a real SQLite database."""

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests import base

PROVIDER = 'b766f37c-d011-4026-8228-28730d734a3f'
CHECKPOINT = '2a9b37f6-55b9-4d05-90b8-4ee2f2e3f2c9'


class TestVerification(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.ctx = context.RequestContext(user_id='u', project_id='proj')

    def test_lifecycle(self):
        verification = objects.Verification(
            self.ctx, project_id='proj', provider_id=PROVIDER,
            checkpoint_id=CHECKPOINT, parameters={}, status='in_progress')
        verification.create()
        verification.update_resource_status('OS::Glance::Image', 'img',
                                            'available')
        verification.status = 'success'
        verification.save()
        got = objects.Verification.get_by_id(self.ctx, verification.id)
        self.assertEqual('success', got.status)
        self.assertEqual({'OS::Glance::Image#img': 'available'},
                         got.resources_status)
        self.assertEqual([verification.id], [
            v.id for v in objects.VerificationList.get_all_by_project(
                self.ctx, 'proj', filters={'status': 'success'})])
        got.destroy()
        self.assertRaises(exception.VerificationNotFound,
                          objects.Verification.get_by_id, self.ctx,
                          verification.id)
