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

"""Bad requests to every route get a 4xx with a message and change nothing.
"""

import json
import os
import uuid

from karbor.tests.functional import base

PROJECT_TYPE = 'OS::Keystone::Project'
UNKNOWN = '00000000-0000-4000-8000-000000000000'
OTHER_PROVIDER = base.TEST_DATA_PROVIDER_ID


class TestBadInput(base.FunctionalTestCase):

    def setUp(self):
        super().setUp()
        self.karbor = self.start_karbor()
        # Ordinary project members: an admin may see other projects.
        self.api = self.karbor.client(roles='member,reader')
        self.other = self.karbor.client(roles='member,reader')
        self.admin = self.karbor.client(project_id=self.api.project_id)
        self.provider = base.NOOP_PROVIDER_ID
        self.plan = self._plan(self.api)
        self.other_plan = self._plan(self.other)
        cp = self.api.post(self._cp(), {'checkpoint': {
            'plan_id': self.plan['id']}})['checkpoint']
        self.checkpoint = self.api.wait_for(
            self._cp(cp['id']), 'checkpoint', 'status', ('available',))

    def _cp(self, checkpoint_id=None, provider=None):
        path = '/providers/%s/checkpoints' % (provider or self.provider)
        return path + ('/%s' % checkpoint_id if checkpoint_id else '')

    def _plan(self, client):
        return client.post('/plans', {'plan': {
            'name': 'p', 'provider_id': self.provider, 'parameters': {},
            'resources': [{'id': client.project_id, 'type': PROJECT_TYPE,
                           'name': 'project'}]}})['plan']

    def _state(self):
        """Everything a request could have written, in a comparable form."""
        bank = os.path.join(self.karbor.state_dir, 'bank')
        files = sorted(os.path.join(d, f)
                       for d, _, names in os.walk(bank) for f in names)
        state = {'bank': files}
        for client in (self.api, self.other):
            for coll in ('plans', 'restores', 'verifications',
                         'operation_logs'):
                state[(client.project_id, coll)] = client.get(
                    '/%s' % coll)[coll]
            state[(client.project_id, 'quota')] = client.get(
                '/quotas/%s/detail' % client.project_id)
        return state

    def _cases(self):
        plan = self.plan['id']
        cp = self.checkpoint['id']
        big = 'x' * (200 * 1024)
        good_resource = [{'id': self.api.project_id, 'type': PROJECT_TYPE,
                          'name': 'project'}]

        def plan_body(**kw):
            body = {'name': 'p', 'provider_id': self.provider,
                    'parameters': {}, 'resources': good_resource}
            body.update(kw)
            return {'plan': body}

        return [
            # (method, path, body or raw bytes, expected code[, client])
            ('POST', '/plans', b'{"plan": ', 400),
            ('POST', '/plans', b'', 400),
            ('POST', '/plans', {}, 400),
            ('POST', '/plans', {'plan': 'x'}, 400),
            ('POST', '/plans', {'plan': {}}, 400),
            ('POST', '/plans', plan_body(provider_id='nope'), 400),
            ('POST', '/plans', plan_body(provider_id=UNKNOWN), 400),
            ('POST', '/plans', plan_body(resources='x'), 400),
            ('POST', '/plans', plan_body(resources=[{'id': 'x'}]), 400),
            ('POST', '/plans', plan_body(parameters=[]), 400),
            ('POST', '/plans',
             plan_body(parameters={'Bogus::Type': {}}), 400),
            ('POST', '/plans',
             plan_body(parameters={PROJECT_TYPE + '#not-a-uuid': {}}), 400),
            ('POST', '/plans', plan_body(color='red'), 400),
            ('POST', '/plans', plan_body(name=big), 413),
            ('GET', '/plans/not-a-uuid', None, 400),
            ('GET', '/plans/%s' % UNKNOWN, None, 404),
            ('GET', '/plans/%s' % self.other_plan['id'], None, 404),
            ('GET', '/plans?limit=0', None, 400),
            ('GET', '/plans?limit=abc', None, 400),
            ('GET', '/plans?offset=-1', None, 400),
            ('GET', '/plans?sort=name:sideways', None, 400),
            ('GET', '/plans?sort=name&sort_key=name', None, 400),
            ('PUT', '/plans/%s' % plan, {}, 400),
            ('PUT', '/plans/%s' % plan, {'plan': {}}, 400),
            ('PUT', '/plans/%s' % plan, {'plan': {'resources': 'x'}}, 400),
            ('PUT', '/plans/%s' % plan, {'plan': {'colour': 'x'}}, 400),
            ('PUT', '/plans/%s' % self.other_plan['id'],
             {'plan': {'name': 'mine'}}, 404),
            ('DELETE', '/plans/%s' % self.other_plan['id'], None, 404),
            ('DELETE', '/plans/not-a-uuid', None, 400),
            ('POST', self._cp(), {}, 400),
            ('POST', self._cp(), {'checkpoint': {}}, 400),
            ('POST', self._cp(), {'checkpoint': {'plan_id': 'x'}}, 400),
            ('POST', self._cp(), {'checkpoint': {'plan_id': UNKNOWN}}, 404),
            ('POST', self._cp(), {'checkpoint': {
                'plan_id': self.other_plan['id']}}, 404),
            ('POST', self._cp(provider=UNKNOWN),
             {'checkpoint': {'plan_id': plan}}, 400),
            ('POST', self._cp(provider='bad'),
             {'checkpoint': {'plan_id': plan}}, 400),
            ('POST', self._cp(), {'checkpoint': {
                'plan_id': plan, 'extra-info': {'k': ['not', 'scalar']}}},
             400),
            ('POST', self._cp(), {'checkpoint': {
                'plan_id': plan, 'surprise': 1}}, 400),
            ('GET', self._cp() + '?limit=-3', None, 400),
            ('GET', self._cp() + '?start_date=yesterday', None, 400),
            ('GET', self._cp() + '?end_date=2026-13-45', None, 400),
            ('GET', self._cp(provider=UNKNOWN), None, 404),
            ('GET', self._cp('not-a-uuid'), None, 400),
            ('GET', self._cp(UNKNOWN), None, 404),
            ('PUT', self._cp(cp), {'os-resetState': {'state': 'bogus'}},
             400),
            ('PUT', self._cp(cp), {'os-resetState': {}}, 400),
            ('PUT', self._cp(cp), {'reset': {'state': 'error'}}, 400),
            ('PUT', self._cp(UNKNOWN), {'os-resetState': {
                'state': 'error'}}, 404),
            ('DELETE', self._cp(UNKNOWN), None, 404),
            ('DELETE', self._cp('bad'), None, 400),
            # The Test Data provider shares the No-Op provider's bank in
            # karbor-all's default; the checkpoint is not its.
            ('GET', self._cp(cp, provider=OTHER_PROVIDER), None, 404),
            ('DELETE', self._cp(cp, provider=OTHER_PROVIDER), None, 404),
            ('PUT', self._cp(cp, provider=OTHER_PROVIDER),
             {'os-resetState': {'state': 'error'}}, 404, self.admin),
            ('POST', '/restores', {'restore': {
                'provider_id': OTHER_PROVIDER, 'checkpoint_id': cp,
                'parameters': {}}}, 404),
            ('POST', '/verifications', {'verification': {
                'provider_id': OTHER_PROVIDER, 'checkpoint_id': cp,
                'parameters': {}}}, 404),
            ('POST', '/restores', {}, 400),
            ('POST', '/restores', {'restore': {
                'provider_id': self.provider, 'checkpoint_id': 'bad',
                'parameters': {}}}, 400),
            ('POST', '/restores', {'restore': {
                'provider_id': self.provider, 'checkpoint_id': UNKNOWN,
                'parameters': {}}}, 404),
            ('POST', '/restores', {'restore': {
                'provider_id': UNKNOWN, 'checkpoint_id': cp,
                'parameters': {}}}, 404),
            ('POST', '/restores', {'restore': {
                'provider_id': self.provider, 'checkpoint_id': cp,
                'parameters': 'x'}}, 400),
            ('POST', '/restores', {'restore': {
                'provider_id': self.provider, 'checkpoint_id': cp}}, 400),
            ('GET', '/restores/not-a-uuid', None, 400),
            ('GET', '/restores/%s' % UNKNOWN, None, 404),
            ('POST', '/verifications', {'verification': {
                'provider_id': self.provider, 'checkpoint_id': UNKNOWN,
                'parameters': {}}}, 404),
            ('POST', '/verifications', {'verification': {
                'provider_id': 'x', 'checkpoint_id': cp}}, 400),
            ('GET', '/verifications/%s' % UNKNOWN, None, 404),
            ('GET', '/protectables/Bogus::Type', None, 400),
            ('GET', '/protectables/Bogus::Type/instances', None, 400),
            ('GET', '/protectables/%s/instances?parameters=[1]'
             % PROJECT_TYPE, None, 400),
            ('GET', '/protectables/%s/instances/%s'
             % (PROJECT_TYPE, UNKNOWN), None, 404),
            ('GET', '/operation_logs/not-a-uuid', None, 400),
            ('GET', '/operation_logs/%s' % UNKNOWN, None, 404),
            ('GET', '/providers/not-a-uuid', None, 400),
            ('GET', '/providers/%s' % UNKNOWN, None, 404),
            ('PUT', '/quotas/%s' % self.api.project_id,
             {'quota': {'plans': 1}}, 403),
            ('PUT', '/quotas/%s' % self.api.project_id,
             {'quota': {'plans': -5}}, 400, self.admin),
            ('PUT', '/quotas/%s' % self.api.project_id,
             {'quota': {'plans': 'many'}}, 400, self.admin),
            ('PUT', '/quotas/%s' % self.api.project_id, {'quota': 5}, 400,
             self.admin),
            ('PUT', '/os-services/1', {'status': 'disabled'}, 403),
            ('PUT', '/os-services/1', {'status': 'sleeping'}, 400,
             self.admin),
            ('PUT', '/os-services/999999', {'status': 'disabled'}, 404,
             self.admin),
            ('GET', '/no-such-collection', None, 404),
            ('PATCH', '/plans/%s' % plan, {'plan': {'name': 'x'}}, 405),
        ]

    def test_bad_requests_are_4xx_and_change_nothing(self):
        before = self._state()
        failures = []
        for method, path, body, expected, *client in self._cases():
            client = client[0] if client else self.api
            raw = body if isinstance(body, bytes) else None
            js = None if isinstance(body, bytes) else body
            try:
                status, payload = client.request(method, path, body=js,
                                                 raw_body=raw)
                failures.append('%s %s: %s instead of %s'
                                % (method, path[:80], status, expected))
                continue
            except base.ApiError as e:
                status, payload = e.status, e.body
            if status != expected:
                failures.append('%s %s: %s instead of %s: %s'
                                % (method, path[:80], status, expected,
                                   json.dumps(payload)[:200]))
                continue
            if status != 405:
                # The contract's fault body: one key, code and message.
                fault = list(payload.values())[0] if isinstance(
                    payload, dict) and len(payload) == 1 else None
                if (not fault or fault.get('code') != status or
                        not fault.get('message')):
                    failures.append('%s %s: bad fault body %r'
                                    % (method, path[:80], payload))
        self.assertEqual([], failures)
        self.assertEqual(before, self._state())

    def test_another_providers_plan_lists_nothing(self):
        listed = self.api.get(self._cp(provider=OTHER_PROVIDER) +
                              '?plan_id=%s' % self.plan['id'])
        self.assertEqual([], listed['checkpoints'])
        listed = self.api.get(self._cp() + '?plan_id=%s' % self.plan['id'])
        self.assertEqual([self.checkpoint['id']],
                         [c['id'] for c in listed['checkpoints']])

    def test_project_in_url_must_match_token(self):
        wrong = base.ApiClient(
            '%s/v1/%s' % (self.karbor.url, uuid.uuid4().hex),
            token=self.api.token, project_id=self.api.project_id)
        error = self.assertRaises(base.ApiError, wrong.get, '/plans')
        self.assertEqual(400, error.status)
