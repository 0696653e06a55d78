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

"""Tests of karbor.api.v1.verifications, through the real WSGI application."""

import ddt

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests.unit.api import fakes

_CHECKPOINT_ID = fakes.new_id()


def _body(**overrides):
    verification = {'provider_id': fakes.PROVIDER_ID,
                    'checkpoint_id': _CHECKPOINT_ID,
                    'parameters': {'OS::Cinder::Volume': {'deep': True}}}
    verification.update(overrides)
    return {'verification': verification}


def _save(api, ctx, verification):
    verification.create()
    return verification


@ddt.ddt
class VerificationsApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.admin_ctx = context.get_admin_context()
        self.protection.verification.side_effect = _save

    def _db_rows(self):
        return list(objects.VerificationList.get_all(self.admin_ctx))

    def _make(self, project_id=fakes.PROJECT_ID, status='success'):
        verification = objects.Verification(
            context=self.context(project_id), project_id=project_id,
            provider_id=fakes.PROVIDER_ID, checkpoint_id=_CHECKPOINT_ID,
            parameters={}, status=status, resources_status={},
            resources_reason={})
        verification.create()
        return verification

    def test_create(self):
        body = self.assertOk(self.request(
            'POST', '/verifications', _body(), admin=False))['verification']
        self.assertEqual('in_progress', body['status'])
        self.assertEqual({'OS::Cinder::Volume': {'deep': True}},
                         body['parameters'])
        self.assertNotIn('restore_target', body)
        (stored,) = self._db_rows()
        self.assertEqual(body['id'], stored.id)

    def test_create_without_parameters(self):
        body = _body()
        del body['verification']['parameters']
        verification = self.assertOk(self.request(
            'POST', '/verifications', body))['verification']
        self.assertEqual({}, verification['parameters'])

    @ddt.data(
        ('no body', dict(), 400),
        ('malformed', dict(raw_body=b'[1, 2'), 400),
        ('bad checkpoint id', dict(body=_body(checkpoint_id='x')), 400),
        ('no provider', dict(body={'verification': {
            'checkpoint_id': _CHECKPOINT_ID}}), 400),
        ('unknown key', dict(body=_body(restore_target='x')), 400),
        ('bad parameters', dict(body=_body(parameters={'T': 1})), 400),
        ('oversized', dict(raw_body=b'{"verification": "%s"}' % (
            b'x' * 200000)), 413),
    )
    @ddt.unpack
    def test_create_invalid(self, _label, kwargs, code):
        self.assertFault(self.request('POST', '/verifications', **kwargs),
                         code)
        self.protection.verification.assert_not_called()
        self.assertEqual([], self._db_rows())

    def test_create_refused_by_service(self):
        self.protection.verification.side_effect = (
            exception.CheckpointNotAvailable(checkpoint_id='c'))
        self.assertFault(self.request('POST', '/verifications', _body()),
                         409)
        self.assertEqual([], self._db_rows())

    def test_show(self):
        verification = self._make()
        body = self.assertOk(self.request(
            'GET', '/verifications/%s' % verification.id,
            admin=False))['verification']
        self.assertEqual(verification.id, body['id'])
        self.assertEqual('success', body['status'])

    def test_show_invalid_and_hidden(self):
        other = self._make(project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(self.request('GET', '/verifications/x'), 400)
        self.assertFault(self.request(
            'GET', '/verifications/%s' % other.id, admin=False), 404)

    def test_list(self):
        self._make(status='fail')
        self._make(project_id=fakes.OTHER_PROJECT_ID)
        body = self.assertOk(self.request(
            'GET', '/verifications?status=fail', admin=False))
        self.assertEqual(1, len(body['verifications']))
        self.assertFault(self.request('GET', '/verifications?limit=a'),
                         400)
