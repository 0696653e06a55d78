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

"""Tests of karbor.api.v1.checkpoints, through the real WSGI application."""

import datetime
from unittest import mock

import ddt
from oslo_serialization import jsonutils

from karbor import context
from karbor import exception
from karbor import objects
from karbor import quota
from karbor.tests.unit.api import fakes

_SERVER = {'id': fakes.new_id(), 'type': 'OS::Nova::Server',
           'name': 'vm1', 'extra_info': None}
_GRAPH = jsonutils.dumps([{'0x0': ['OS::Nova::Server', _SERVER['id'],
                                   'vm1', None]}, []])


def _checkpoint(checkpoint_id=None, project_id=fakes.PROJECT_ID,
                status='available', **overrides):
    view = {'id': checkpoint_id or fakes.new_id(),
            'project_id': project_id, 'status': status,
            'protection_plan': {'id': fakes.new_id(), 'name': 'p',
                                'provider_id': fakes.PROVIDER_ID,
                                'resources': [_SERVER]},
            'resource_graph': _GRAPH, 'created_at': '2026-11-26',
            'extra_info': '{"created_by": "manual"}'}
    view.update(overrides)
    return view


@ddt.ddt
class CheckpointsApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.admin_ctx = context.get_admin_context()
        self.base = '/providers/%s/checkpoints' % fakes.PROVIDER_ID

    def _make_plan(self, project_id=fakes.PROJECT_ID,
                   provider_id=fakes.PROVIDER_ID, resources=None):
        plan = objects.Plan(
            context=self.context(project_id), name='p',
            provider_id=provider_id, project_id=project_id,
            status='suspended',
            resources=[_SERVER] if resources is None else resources,
            parameters={})
        plan.create()
        return plan

    def _in_use(self):
        return quota.QUOTAS.get_project_quotas(
            self.admin_ctx, fakes.PROJECT_ID)['checkpoints']['in_use']

    # --- create --------------------------------------------------------

    def _protect_returns(self, **overrides):
        def protect(api, ctx, plan, properties):
            return _checkpoint(
                status=properties['status'],
                extra_info=jsonutils.dumps(properties['extra_info']),
                **overrides)
        self.protection.protect.side_effect = protect

    def test_create_with_client_key(self):
        plan = self._make_plan()
        self._protect_returns()
        body = {'checkpoint': {'plan_id': plan.id,
                               'extra-info': {'trigger_id': 't1'}}}
        checkpoint = self.assertOk(self.request('POST', self.base, body,
                                                admin=False))['checkpoint']
        self.assertEqual('protecting', checkpoint['status'])
        (_api, ctx, sent_plan, properties), _kw = (
            self.protection.protect.call_args)
        self.assertEqual(plan.id, sent_plan.id)
        self.assertEqual(
            {'status': 'protecting',
             'extra_info': {'created_by': 'manual', 'trigger_id': 't1'}},
            properties)
        self.assertEqual({'created_by': 'manual', 'trigger_id': 't1'},
                         jsonutils.loads(checkpoint['extra_info']))
        self.assertEqual(1, self._in_use())

    def test_create_with_api_ref_key_and_engine_created_by(self):
        plan = self._make_plan()
        self._protect_returns()
        body = {'checkpoint': {'plan_id': plan.id, 'extra_info': {
            'created_by': 'operation-engine'}}}
        self.assertOk(self.request('POST', self.base, body))
        properties = self.protection.protect.call_args[0][3]
        self.assertEqual({'created_by': 'operation-engine'},
                         properties['extra_info'])

    def test_create_null_extra_info(self):
        plan = self._make_plan()
        self._protect_returns()
        body = {'checkpoint': {'plan_id': plan.id, 'extra-info': None}}
        self.assertOk(self.request('POST', self.base, body))
        self.assertEqual({'created_by': 'manual'},
                         self.protection.protect.call_args[0][3][
                             'extra_info'])

    def test_create_graph_never_null(self):
        plan = self._make_plan()
        self._protect_returns(resource_graph=None, created_at=None)
        checkpoint = self.assertOk(self.request(
            'POST', self.base, {'checkpoint': {'plan_id': plan.id}}))[
                'checkpoint']
        self.assertEqual([{}, []],
                         jsonutils.loads(checkpoint['resource_graph']))

    @ddt.data(
        ('no body', dict(), 400),
        ('malformed', dict(raw_body=b'{'), 400),
        ('not json', dict(raw_body=b'x', content_type='text/xml'), 415),
        ('no plan id', dict(body={'checkpoint': {}}), 400),
        ('bad plan id', dict(body={'checkpoint': {'plan_id': 'x'}}), 400),
        ('unknown key', dict(body={'checkpoint': {
            'plan_id': fakes.PROVIDER_ID, 'status': 'available'}}), 400),
        ('extra info not a dict', dict(body={'checkpoint': {
            'plan_id': fakes.PROVIDER_ID, 'extra-info': 'x'}}), 400),
        ('extra info nested', dict(body={'checkpoint': {
            'plan_id': fakes.PROVIDER_ID, 'extra-info': {'a': {}}}}), 400),
        ('missing plan', dict(body={'checkpoint': {
            'plan_id': fakes.PROVIDER_ID}}), 404),
        ('oversized', dict(raw_body=b'{"checkpoint": "%s"}' % (
            b'x' * 200000)), 413),
    )
    @ddt.unpack
    def test_create_invalid(self, _label, kwargs, code):
        self.assertFault(self.request('POST', self.base, **kwargs), code)
        self.protection.protect.assert_not_called()
        self.assertEqual(0, self._in_use())

    def test_create_bad_provider_id(self):
        plan = self._make_plan()
        self.assertFault(self.request(
            'POST', '/providers/xyz/checkpoints',
            {'checkpoint': {'plan_id': plan.id}}), 400, 'provider id')
        self.protection.protect.assert_not_called()

    def test_create_plan_of_other_provider(self):
        plan = self._make_plan(provider_id=fakes.OTHER_PROVIDER_ID)
        self.assertFault(self.request(
            'POST', self.base, {'checkpoint': {'plan_id': plan.id}}), 400,
            'Invalid plan')
        self.protection.protect.assert_not_called()

    def test_create_plan_without_resources(self):
        plan = self._make_plan(resources=[])
        self.assertFault(self.request(
            'POST', self.base, {'checkpoint': {'plan_id': plan.id}}), 400,
            'no resources')

    @ddt.data(True, False)
    def test_create_plan_of_other_project(self, admin):
        plan = self._make_plan(project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(self.request(
            'POST', self.base, {'checkpoint': {'plan_id': plan.id}},
            admin=admin), 404)
        self.protection.protect.assert_not_called()

    def test_create_failure_rolls_back_quota(self):
        plan = self._make_plan()
        self.protection.protect.side_effect = exception.FlowError(
            flow='protect', error='boom')
        self.assertFault(self.request(
            'POST', self.base, {'checkpoint': {'plan_id': plan.id}}), 500)
        self.assertEqual(0, self._in_use())

    def test_create_over_quota(self):
        self.flags(quota_checkpoints=0)
        plan = self._make_plan()
        self.assertFault(self.request(
            'POST', self.base, {'checkpoint': {'plan_id': plan.id}}), 413)
        self.protection.protect.assert_not_called()

    # --- list ----------------------------------------------------------

    def test_list(self):
        self.protection.list_checkpoints.return_value = [
            _checkpoint(extra_info={'copy_status': 'pending'})]
        body = self.assertOk(self.request('GET', self.base, admin=False))
        (checkpoint,) = body['checkpoints']
        self.assertEqual('{"copy_status": "pending"}',
                         checkpoint['extra_info'])
        self.assertEqual(
            ['id', 'project_id', 'status', 'protection_plan',
             'resource_graph', 'created_at', 'extra_info'],
            list(checkpoint))
        _args, kwargs = self.protection.list_checkpoints.call_args
        self.assertEqual({}, kwargs['filters'])
        self.assertFalse(kwargs['all_tenants'])
        self.assertEqual(['desc'], kwargs['sort_dirs'])

    def test_list_filters(self):
        self.protection.list_checkpoints.return_value = []
        plan_id = fakes.new_id()
        self.assertOk(self.request(
            'GET', self.base + '?plan_id=%s&start_date=2026-11-12'
            '&end_date=2026-11-30&project_id=x&status=y&sort=created_at:asc'
            % plan_id, admin=False))
        kwargs = self.protection.list_checkpoints.call_args[1]
        self.assertEqual({'plan_id': plan_id,
                          'start_date': datetime.date(2026, 11, 12),
                          'end_date': datetime.date(2026, 11, 30)},
                         kwargs['filters'])
        self.assertEqual(['asc'], kwargs['sort_dirs'])

    def test_list_all_tenants_admin(self):
        self.protection.list_checkpoints.return_value = []
        self.assertOk(self.request(
            'GET', self.base + '?all_tenants=true&project_id=%s&status=x' %
            fakes.OTHER_PROJECT_ID))
        kwargs = self.protection.list_checkpoints.call_args[1]
        self.assertTrue(kwargs['all_tenants'])
        self.assertEqual({'project_id': fakes.OTHER_PROJECT_ID},
                         kwargs['filters'])

    def test_list_links(self):
        items = [_checkpoint(), _checkpoint()]
        self.protection.list_checkpoints.return_value = items
        body = self.assertOk(self.request('GET', self.base + '?limit=2'))
        self.assertIn('marker=%s' % items[1]['id'],
                      body['checkpoints_links'][0]['href'])

    @ddt.data('start_date=2026-13-01', 'end_date=yesterday',
              'plan_id=abc', 'limit=0', 'marker=abc', 'sort_dir=up')
    def test_list_invalid_query(self, query):
        self.assertFault(self.request('GET', self.base + '?' + query,
                                      admin=False), 400)
        self.protection.list_checkpoints.assert_not_called()

    def test_list_unknown_provider(self):
        self.protection.list_checkpoints.side_effect = (
            exception.ProviderNotFound(provider_id=fakes.PROVIDER_ID))
        self.assertFault(self.request('GET', self.base), 404)

    # --- show / delete / reset -----------------------------------------

    def test_show(self):
        checkpoint = _checkpoint()
        self.protection.show_checkpoint.return_value = checkpoint
        body = self.assertOk(self.request(
            'GET', '%s/%s' % (self.base, checkpoint['id']), admin=False))
        self.assertEqual(checkpoint, body['checkpoint'])

    def test_show_bad_checkpoint_id(self):
        self.assertFault(self.request('GET', self.base + '/abc'), 400,
                         'checkpoint id abc')
        self.protection.show_checkpoint.assert_not_called()

    def test_show_bad_provider_id(self):
        self.assertFault(self.request(
            'GET', '/providers/abc/checkpoints/%s' % fakes.new_id()), 400,
            'provider id abc')
        self.protection.show_checkpoint.assert_not_called()

    def test_show_other_project_hidden(self):
        checkpoint = _checkpoint(project_id=fakes.OTHER_PROJECT_ID)
        self.protection.show_checkpoint.return_value = checkpoint
        self.assertFault(self.request(
            'GET', '%s/%s' % (self.base, checkpoint['id']), admin=False),
            404)

    def test_show_not_allowed_from_service(self):
        self.protection.show_checkpoint.side_effect = (
            exception.AccessCheckpointNotAllowed(checkpoint_id='c'))
        self.assertFault(self.request(
            'GET', '%s/%s' % (self.base, fakes.new_id())), 403)

    def test_delete_releases_quota(self):
        plan = self._make_plan()
        self._protect_returns()
        checkpoint = self.assertOk(self.request(
            'POST', self.base, {'checkpoint': {'plan_id': plan.id}}))[
                'checkpoint']
        self.assertEqual(1, self._in_use())
        self.protection.show_checkpoint.return_value = checkpoint
        self.assertEqual({}, self.assertOk(self.request(
            'DELETE', '%s/%s' % (self.base, checkpoint['id']))))
        self.protection.delete.assert_called_once_with(
            mock.ANY, mock.ANY, fakes.PROVIDER_ID,
            checkpoint['id'])
        self.assertEqual(0, self._in_use())

    def test_delete_conflict_keeps_quota(self):
        checkpoint = _checkpoint(status='protecting')
        self.protection.show_checkpoint.return_value = checkpoint
        self.protection.delete.side_effect = (
            exception.CheckpointNotBeDeleted(checkpoint_id=checkpoint['id'],
                                             status='protecting'))
        self.assertFault(self.request(
            'DELETE', '%s/%s' % (self.base, checkpoint['id'])), 409)

    def test_delete_denied_for_reader(self):
        checkpoint = _checkpoint()
        self.protection.show_checkpoint.return_value = checkpoint
        self.assertFault(self.request(
            'DELETE', '%s/%s' % (self.base, checkpoint['id']), admin=False,
            roles='reader'), 403)
        self.protection.delete.assert_not_called()

    @ddt.data('available', 'error')
    def test_reset_state(self, state):
        checkpoint = _checkpoint(status='copying')
        self.protection.show_checkpoint.return_value = checkpoint
        self.assertEqual({}, self.assertOk(self.request(
            'PUT', '%s/%s' % (self.base, checkpoint['id']),
            {'os-resetState': {'state': state}}, admin=False)))
        self.protection.reset_state.assert_called_once_with(
            mock.ANY, mock.ANY, fakes.PROVIDER_ID,
            checkpoint['id'], state)

    @ddt.data({}, {'os-resetState': {}},
              {'os-resetState': {'state': 'protecting'}},
              {'os-resetState': {'state': 'error', 'x': 1}},
              {'os-resetState': 'error'})
    def test_reset_state_invalid(self, body):
        self.protection.show_checkpoint.return_value = _checkpoint()
        self.assertFault(self.request(
            'PUT', '%s/%s' % (self.base, fakes.new_id()), body), 400)
        self.protection.reset_state.assert_not_called()
