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

"""Tests of karbor.api.v1.restores, through the real WSGI application."""

import ddt

from karbor import context
from karbor import exception
from karbor import objects
from karbor.tests.unit.api import fakes

_CHECKPOINT_ID = fakes.new_id()


def _body(**overrides):
    restore = {'provider_id': fakes.PROVIDER_ID,
               'checkpoint_id': _CHECKPOINT_ID,
               'restore_target': 'http://keystone/v3',
               'restore_auth': {'type': 'password', 'username': 'u',
                                'password': 'secret'},
               'parameters': {'OS::Nova::Server': {'name': 'restored'}}}
    restore.update(overrides)
    return {'restore': restore}


def _save(api, ctx, restore, restore_auth=None):
    restore.create()
    return restore


@ddt.ddt
class RestoresApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.admin_ctx = context.get_admin_context()
        self.protection.restore.side_effect = _save

    def _db_restores(self):
        return list(objects.RestoreList.get_all(self.admin_ctx))

    def _make(self, project_id=fakes.PROJECT_ID, status='success'):
        restore = objects.Restore(
            context=self.context(project_id), project_id=project_id,
            provider_id=fakes.PROVIDER_ID, checkpoint_id=_CHECKPOINT_ID,
            restore_target=None, parameters={}, status=status,
            resources_status={}, resources_reason={})
        restore.create()
        return restore

    def test_create(self):
        body = self.assertOk(self.request('POST', '/restores', _body(),
                                          admin=False))['restore']
        self.assertEqual('in_progress', body['status'])
        self.assertEqual(fakes.PROJECT_ID, body['project_id'])
        self.assertEqual('http://keystone/v3', body['restore_target'])
        self.assertEqual({'OS::Nova::Server': {'name': 'restored'}},
                         body['parameters'])
        self.assertEqual({}, body['resources_status'])
        self.assertNotIn('restore_auth', body)
        self.assertNotIn('secret', str(body))
        (_api, _ctx, restore, auth), _kw = (
            self.protection.restore.call_args)
        self.assertEqual('secret', auth['password'])
        (stored,) = self._db_restores()
        self.assertEqual(body['id'], stored.id)

    def test_create_minimal(self):
        body = _body()
        del body['restore']['restore_target']
        del body['restore']['restore_auth']
        self.assertOk(self.request('POST', '/restores', body))
        self.assertIsNone(self.protection.restore.call_args[0][3])

    @ddt.data(
        ('no body', dict(), 400),
        ('malformed', dict(raw_body=b'{"restore"'), 400),
        ('form body', dict(raw_body=b'a=b',
                           content_type='application/x-www-form-'
                                        'urlencoded'), 415),
        ('bad checkpoint id', dict(body=_body(checkpoint_id='x')), 400),
        ('bad provider id', dict(body=_body(provider_id=1)), 400),
        ('no parameters', dict(body={'restore': {
            'provider_id': fakes.PROVIDER_ID,
            'checkpoint_id': _CHECKPOINT_ID}}), 400),
        ('unknown key', dict(body=_body(status='success')), 400),
        ('auth not a dict', dict(body=_body(restore_auth='x')), 400),
        ('oversized', dict(raw_body=b'{"restore": "%s"}' % (
            b'x' * 200000)), 413),
    )
    @ddt.unpack
    def test_create_invalid(self, _label, kwargs, code):
        self.assertFault(self.request('POST', '/restores', **kwargs), code)
        self.protection.restore.assert_not_called()
        self.assertEqual([], self._db_restores())

    @ddt.data(
        (exception.AccessCheckpointNotAllowed(checkpoint_id='c'), 403),
        (exception.CheckpointNotAvailable(checkpoint_id='c'), 409),
        (exception.ProviderNotFound(provider_id='p'), 404),
        (exception.InvalidInput(reason='bad parameters'), 400),
    )
    @ddt.unpack
    def test_create_refused_by_service(self, error, code):
        self.protection.restore.side_effect = error
        self.assertFault(self.request('POST', '/restores', _body()), code)
        self.assertEqual([], self._db_restores())

    def test_show(self):
        restore = self._make()
        body = self.assertOk(self.request(
            'GET', '/restores/%s' % restore.id, admin=False))['restore']
        self.assertEqual(
            {'id': restore.id, 'project_id': fakes.PROJECT_ID,
             'provider_id': fakes.PROVIDER_ID,
             'checkpoint_id': _CHECKPOINT_ID, 'restore_target': None,
             'parameters': {}, 'status': 'success',
             'resources_status': {}, 'resources_reason': {}}, body)

    def test_show_invalid_and_hidden(self):
        other = self._make(project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(self.request('GET', '/restores/x'), 400)
        self.assertFault(self.request('GET', '/restores/%s' % other.id,
                                      admin=False), 404)

    def test_list_filters(self):
        self._make(status='success')
        self._make(status='fail')
        self._make(project_id=fakes.OTHER_PROJECT_ID)
        body = self.assertOk(self.request(
            'GET', '/restores?status=fail', admin=False))
        self.assertEqual(['fail'], [r['status'] for r in body['restores']])
        body = self.assertOk(self.request('GET', '/restores', admin=False))
        self.assertEqual(2, len(body['restores']))
        body = self.assertOk(self.request('GET',
                                          '/restores?all_tenants=True'))
        self.assertEqual(3, len(body['restores']))

    def test_list_non_whitelisted_filter_dropped(self):
        self._make()
        body = self.assertOk(self.request(
            'GET', '/restores?checkpoint_id=%s' % fakes.new_id(),
            admin=False))
        self.assertEqual(1, len(body['restores']))

    @ddt.data('limit=-1', 'marker=1', 'sort=colour:asc', 'offset=x')
    def test_list_invalid_query(self, query):
        self.assertFault(self.request('GET', '/restores?' + query), 400)

    def test_credentials_not_echoed_in_errors(self):
        body = _body(parameters='not a dict')
        response = self.request('POST', '/restores', body)
        self.assertFault(response, 400, 'restore/parameters')
        body = _body(colour='red')
        response = self.request('POST', '/restores', body)
        self.assertFault(response, 400, "Unexpected properties: 'colour'")
        self.assertNotIn('secret', response.text)
        body = {'restore': {'restore_auth': {'password': 'secret'}}}
        response = self.request('POST', '/restores', body)
        self.assertFault(response, 400, 'Missing required properties')
        self.assertNotIn('secret', response.text)
