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

"""protect -> list -> restore -> verify -> delete on a running karbor-all."""

import json

from karbor.tests.functional import base

PROJECT_TYPE = 'OS::Keystone::Project'


class TestProtectionCycle(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.karbor = self.start_karbor()
        self.api = self.karbor.client()

    def _create_plan(self):
        project = self.api.get('/protectables/%s/instances/%s'
                               % (PROJECT_TYPE, self.api.project_id))
        instance = project['instance']
        body = {'plan': {
            'name': 'my plan',
            'description': 'functional',
            'provider_id': base.NOOP_PROVIDER_ID,
            'resources': [{'id': instance['id'], 'type': instance['type'],
                           'name': instance['name']}],
            'parameters': {},
        }}
        return self.api.post('/plans', body)['plan']

    def test_full_cycle(self):
        providers = self.api.get('/providers')['providers']
        self.assertIn(base.NOOP_PROVIDER_ID, [p['id'] for p in providers])
        types = self.api.get('/protectables')['protectable_type']
        self.assertIn(PROJECT_TYPE, types)

        plan = self._create_plan()
        self.assertEqual('suspended', plan['status'])
        cp_path = '/providers/%s/checkpoints' % base.NOOP_PROVIDER_ID
        created = self.api.post(cp_path, {'checkpoint': {
            'plan_id': plan['id'], 'extra-info': {'note': 'first'}}})
        checkpoint = created['checkpoint']
        # The OSC command parses these two as JSON: never null.
        self.assertIsInstance(checkpoint['resource_graph'], str)
        json.loads(checkpoint['resource_graph'])
        self.assertEqual({'created_by': 'manual', 'note': 'first'},
                         json.loads(checkpoint['extra_info']))

        cp_item = '%s/%s' % (cp_path, checkpoint['id'])
        shown = self.api.wait_for(cp_item, 'checkpoint', 'status',
                                  ('available', 'error'))
        self.assertEqual('available', shown['status'])
        self.assertEqual(plan['id'], shown['protection_plan']['id'])
        listed = self.api.get(cp_path + '?plan_id=%s' % plan['id'])
        self.assertEqual([checkpoint['id']],
                         [c['id'] for c in listed['checkpoints']])

        restore = self.api.post('/restores', {'restore': {
            'provider_id': base.NOOP_PROVIDER_ID,
            'checkpoint_id': checkpoint['id'],
            'restore_target': None,
            'parameters': {}}})['restore']
        restore = self.api.wait_for('/restores/%s' % restore['id'],
                                    'restore', 'status', ('success', 'fail'))
        self.assertEqual('success', restore['status'])

        verification = self.api.post('/verifications', {'verification': {
            'provider_id': base.NOOP_PROVIDER_ID,
            'checkpoint_id': checkpoint['id'],
            'parameters': {}}})['verification']
        verification = self.api.wait_for(
            '/verifications/%s' % verification['id'], 'verification',
            'status', ('success', 'fail'))
        self.assertEqual('success', verification['status'])

        logs = self.api.get('/operation_logs?checkpoint_id=%s'
                            % checkpoint['id'])['operation_logs']
        by_type = {log['operation_type']: log for log in logs}
        self.assertEqual('available', by_type['protect']['status'])
        self.assertIsNotNone(by_type['protect']['ended_at'])

        self.api.delete(cp_item)
        gone = self.api.wait_for(cp_item, 'checkpoint', 'status',
                                 ('deleted', 'error-deleting'))
        self.assertEqual('deleted', gone['status'])
        listed = self.api.get(cp_path + '?plan_id=%s' % plan['id'])
        self.assertEqual([], listed['checkpoints'])
        self.api.delete('/plans/%s' % plan['id'])
        self.assertEqual(
            404, self.assertRaises(base.ApiError, self.api.get,
                                   '/plans/%s' % plan['id']).status)

    def test_stop_is_clean(self):
        self.assertEqual(0, self.karbor.stop())
