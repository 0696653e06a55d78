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

"""Tests of karbor.api.v1.plans, through the real WSGI application."""

import ddt

from karbor.api.v1 import plans
from karbor import context
from karbor import exception
from karbor import objects
from karbor import quota
from karbor.tests.unit.api import fakes

_SERVER = {'id': fakes.new_id(), 'type': 'OS::Nova::Server',
           'name': 'vm1'}
_VOLUME = {'id': fakes.new_id(), 'type': 'OS::Cinder::Volume',
           'name': 'vol1', 'extra_info': {'size': 1}}


def _plan_body(**overrides):
    plan = {'name': 'my plan', 'description': 'daily',
            'provider_id': fakes.PROVIDER_ID,
            'resources': [_SERVER, _VOLUME],
            'parameters': {'OS::Nova::Server': {'backup_name': 'b'}}}
    plan.update(overrides)
    return {'plan': plan}


def _without(key):
    body = _plan_body()
    del body['plan'][key]
    return body


@ddt.ddt
class PlansApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.protection.show_provider.return_value = fakes.provider()
        self.admin_ctx = context.get_admin_context()

    def _db_plans(self):
        return list(objects.PlanList.get_all(self.admin_ctx))

    def _plans_in_use(self, project_id=fakes.PROJECT_ID):
        return quota.QUOTAS.get_project_quotas(
            self.admin_ctx, project_id)['plans']['in_use']

    def _make_plan(self, project_id=fakes.PROJECT_ID, status='suspended',
                   name='p'):
        plan = objects.Plan(
            context=self.context(project_id), name=name, description=None,
            provider_id=fakes.PROVIDER_ID, project_id=project_id,
            status=status, resources=[dict(_SERVER, extra_info=None)],
            parameters={})
        plan.create()
        return plan

    # --- create --------------------------------------------------------

    def test_create(self):
        body = self.assertOk(self.request('POST', '/plans',
                                          _plan_body()))['plan']
        self.assertEqual('my plan', body['name'])
        self.assertEqual('daily', body['description'])
        self.assertEqual('suspended', body['status'])
        self.assertEqual(fakes.PROVIDER_ID, body['provider_id'])
        self.assertEqual([_SERVER, _VOLUME], body['resources'])
        self.assertEqual({'OS::Nova::Server': {'backup_name': 'b'}},
                         body['parameters'])
        (stored,) = self._db_plans()
        self.assertEqual(body['id'], stored.id)
        self.assertEqual(fakes.PROJECT_ID, stored.project_id)
        self.assertEqual(1, self._plans_in_use())
        (_api, _ctx, provider_id), _kw = (
            self.protection.show_provider.call_args)
        self.assertEqual(fakes.PROVIDER_ID, provider_id)

    def test_create_as_member(self):
        response = self.request('POST', '/plans', _plan_body(),
                                admin=False)
        plan = self.assertOk(response)['plan']
        self.assertEqual(plan['id'], self._db_plans()[0].id)

    def test_create_null_name(self):
        body = self.assertOk(self.request(
            'POST', '/plans', _plan_body(name=None)))['plan']
        self.assertIsNone(body['name'])

    @ddt.data(
        ('malformed', dict(raw_body=b'{"plan": '), 400, 'not valid JSON'),
        ('no body', dict(), 400, 'needs a JSON body'),
        ('not json', dict(raw_body=b'plan=1', content_type='text/plain'),
         415, None),
        ('list body', dict(body=[1]), 400, None),
        ('unknown top key', dict(body=dict(_plan_body(), x=1)), 400,
         "Unexpected properties: 'x'"),
        ('unknown plan key', dict(body=_plan_body(owner='me')), 400,
         "Unexpected properties: 'owner'"),
        ('bad provider id', dict(body=_plan_body(provider_id='nope')), 400,
         'plan/provider_id'),
        ('no provider', dict(body=_without('provider_id')), 400,
         'provider_id'),
        ('no parameters', dict(body=_without('parameters')), 400,
         'parameters'),
        ('no resources', dict(body=_without('resources')), 400,
         'resources'),
        ('empty resources', dict(body=_plan_body(resources=[])), 400,
         'plan/resources'),
        ('resource not a dict', dict(body=_plan_body(resources=['x'])),
         400, 'plan/resources/0'),
        ('resource without type', dict(body=_plan_body(
            resources=[{'id': 'a', 'name': 'b'}])), 400, "'type'"),
        ('name too long', dict(body=_plan_body(name='n' * 256)), 400,
         'plan/name'),
        ('name blank', dict(body=_plan_body(name='   ')), 400, 'plan/name'),
        ('name not string', dict(body=_plan_body(name=3)), 400,
         'plan/name'),
        ('parameters not a dict', dict(body=_plan_body(parameters=[])),
         400, 'plan/parameters'),
        ('parameter value not a dict', dict(body=_plan_body(
            parameters={'OS::Nova::Server': 'x'})), 400, 'parameters'),
        ('unknown parameter type', dict(body=_plan_body(
            parameters={'OS::Foo::Bar': {}})), 400, 'OS::Foo::Bar'),
        ('parameter id not uuid', dict(body=_plan_body(
            parameters={'OS::Nova::Server#abc': {}})), 400,
         'abc is not a valid resource id'),
        ('unknown option', dict(body=_plan_body(
            parameters={'OS::Nova::Server': {'colour': 'red'}})), 400,
         'unknown options colour'),
        ('option of wrong type', dict(body=_plan_body(
            parameters={'OS::Nova::Server': {'consistency': 'often'}})), 400,
         'invalid options for OS::Nova::Server'),
        ('oversized', dict(raw_body=b'{"plan": {"name": "%s"}}' % (
            b'x' * 200000)), 413, 'too large'),
    )
    @ddt.unpack
    def test_create_invalid(self, _label, kwargs, code, fragment):
        response = self.request('POST', '/plans', **kwargs)
        self.assertFault(response, code, fragment)
        self.assertEqual([], self._db_plans())
        self.assertEqual(0, self._plans_in_use())

    def test_create_parameter_for_one_resource(self):
        key = 'OS::Nova::Server#%s' % _SERVER['id']
        body = self.assertOk(self.request('POST', '/plans', _plan_body(
            parameters={key: {'backup_name': 'x'}})))['plan']
        self.assertEqual({key: {'backup_name': 'x'}}, body['parameters'])

    def test_create_reads_strings_as_the_option_types(self):
        # What ``--parameters resource_type=...,key=value`` sends.
        body = self.assertOk(self.request('POST', '/plans', _plan_body(
            parameters={'OS::Nova::Server': {'consistency': 'yes',
                                             'backup_name': '12'}})))
        expected = {'OS::Nova::Server': {'consistency': True,
                                         'backup_name': '12'}}
        self.assertEqual(expected, body['plan']['parameters'])
        self.assertEqual(expected, self._db_plans()[0].parameters)

    def test_create_unknown_provider(self):
        self.protection.show_provider.side_effect = (
            exception.ProviderNotFound(provider_id=fakes.PROVIDER_ID))
        self.assertFault(self.request('POST', '/plans', _plan_body()), 400,
                         'does not exist')
        self.assertEqual([], self._db_plans())

    def test_create_over_quota(self):
        self.flags(quota_plans=1)
        self.assertOk(self.request('POST', '/plans', _plan_body()))
        self.assertFault(self.request('POST', '/plans', _plan_body()), 413,
                         'Maximum number of plans allowed (1)')
        self.assertEqual(1, len(self._db_plans()))

    def test_create_denied_by_policy(self):
        response = self.request('POST', '/plans', _plan_body(),
                                admin=False, roles='reader')
        self.assertFault(response, 403, 'plan:create')
        self.assertEqual([], self._db_plans())

    def test_create_wrong_project_in_url(self):
        response = self.request('POST', '/plans', _plan_body(),
                                url_project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(response, 400, 'Malformed request url')
        self.assertEqual([], self._db_plans())

    # --- show / list ---------------------------------------------------

    def test_show(self):
        plan = self._make_plan()
        body = self.assertOk(self.request('GET', '/plans/%s' % plan.id,
                                          admin=False))['plan']
        self.assertEqual(
            {'id': plan.id, 'name': 'p', 'description': None,
             'resources': [_SERVER], 'provider_id': fakes.PROVIDER_ID,
             'status': 'suspended', 'parameters': {}}, body)

    def test_show_not_uuid(self):
        self.assertFault(self.request('GET', '/plans/abc'), 400,
                         'not a valid UUID')

    def test_show_missing(self):
        self.assertFault(self.request('GET', '/plans/%s' % fakes.new_id()),
                         404)

    def test_show_other_project_hidden(self):
        plan = self._make_plan(project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(self.request('GET', '/plans/%s' % plan.id,
                                      admin=False), 404)

    def test_list(self):
        mine = self._make_plan(name='a')
        self._make_plan(project_id=fakes.OTHER_PROJECT_ID)
        body = self.assertOk(self.request('GET', '/plans', admin=False))
        self.assertEqual([mine.id], [p['id'] for p in body['plans']])
        self.assertNotIn('plans_links', body)

    def test_list_all_tenants_admin(self):
        self._make_plan()
        self._make_plan(project_id=fakes.OTHER_PROJECT_ID)
        body = self.assertOk(self.request('GET', '/plans?all_tenants=1'))
        self.assertEqual(2, len(body['plans']))

    def test_list_all_tenants_ignored_for_member(self):
        self._make_plan()
        self._make_plan(project_id=fakes.OTHER_PROJECT_ID)
        body = self.assertOk(self.request('GET', '/plans?all_tenants=1',
                                          admin=False))
        self.assertEqual(1, len(body['plans']))

    def test_list_filter_and_links(self):
        self._make_plan(name='alpha')
        self._make_plan(name='beta')
        self._make_plan(name='alps')
        body = self.assertOk(self.request(
            'GET', '/plans?name=al&limit=1&sort=name:asc', admin=False))
        (plan,) = body['plans']
        self.assertEqual('alpha', plan['name'])
        (link,) = body['plans_links']
        self.assertIn('marker=%s' % plan['id'], link['href'])

    @ddt.data('limit=0', 'limit=x', 'marker=abc', 'offset=-2',
              'sort=colour', 'sort=name:up', 'sort=name&sort_key=id',
              'all_tenants=maybe')
    def test_list_invalid_query(self, query):
        self.assertFault(self.request('GET', '/plans?' + query), 400)

    # --- update --------------------------------------------------------

    def test_update(self):
        plan = self._make_plan()
        body = self.assertOk(self.request(
            'PUT', '/plans/%s' % plan.id,
            {'plan': {'name': 'new', 'description': 'd',
                      'resources': [_VOLUME], 'status': 'started'}},
            admin=False))['plan']
        self.assertEqual(('new', 'd', [_VOLUME], 'started'),
                         (body['name'], body['description'],
                          body['resources'], body['status']))
        stored = objects.Plan.get_by_id(self.admin_ctx, plan.id)
        self.assertEqual('new', stored.name)
        self.assertEqual([_VOLUME['id']],
                         [r['id'] for r in stored.resources])

    def test_update_not_suspended(self):
        plan = self._make_plan(status='started')
        self.assertFault(self.request('PUT', '/plans/%s' % plan.id,
                                      {'plan': {'name': 'new'}}),
                         400, 'suspended')
        self.assertEqual('p', objects.Plan.get_by_id(
            self.admin_ctx, plan.id).name)

    def test_started_plan_can_be_suspended(self):
        plan = self._make_plan(status='started')
        body = self.assertOk(self.request(
            'PUT', '/plans/%s' % plan.id,
            {'plan': {'status': 'suspended', 'name': 'new'}}))['plan']
        self.assertEqual(('suspended', 'new'), (body['status'], body['name']))
        stored = objects.Plan.get_by_id(self.admin_ctx, plan.id)
        self.assertEqual(('suspended', 'new'), (stored.status, stored.name))
        # Starting it again needs it suspended, as any other change.
        self.assertOk(self.request('PUT', '/plans/%s' % plan.id,
                                   {'plan': {'status': 'started'}}))
        self.assertFault(self.request('PUT', '/plans/%s' % plan.id,
                                      {'plan': {'status': 'started'}}),
                         400, 'suspended')

    @ddt.data({'plan': {}}, {'plan': {'parameters': {}}},
              {'plan': {'status': 'running'}}, {'plan': {'name': 5}},
              {'plan': {'resources': []}}, {'plan': 'x'}, {})
    def test_update_invalid(self, body):
        plan = self._make_plan()
        self.assertFault(self.request('PUT', '/plans/%s' % plan.id, body),
                         400)
        self.assertEqual('p', objects.Plan.get_by_id(
            self.admin_ctx, plan.id).name)

    def test_update_other_project(self):
        plan = self._make_plan(project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(self.request('PUT', '/plans/%s' % plan.id,
                                      {'plan': {'name': 'x'}},
                                      admin=False), 404)

    # --- delete --------------------------------------------------------

    def test_delete_releases_quota(self):
        plan = self.assertOk(self.request('POST', '/plans',
                                          _plan_body()))['plan']
        self.assertEqual(1, self._plans_in_use())
        response = self.request('DELETE', '/plans/%s' % plan['id'])
        self.assertIsNone(self.assertOk(response))
        self.assertEqual([], self._db_plans())
        self.assertEqual(0, self._plans_in_use())

    def test_delete_missing(self):
        self.assertFault(self.request('DELETE',
                                      '/plans/%s' % fakes.new_id()), 404)

    def test_delete_denied_for_reader(self):
        plan = self._make_plan()
        self.assertFault(self.request('DELETE', '/plans/%s' % plan.id,
                                      admin=False, roles='reader'), 403)
        self.assertEqual(1, len(self._db_plans()))


class CheckParametersTest(fakes.ApiTestCase):

    def test_schema_without_properties_accepts_any_option(self):
        provider = fakes.provider(options_schema={'T': {'type': 'object'}})
        plans.check_parameters(provider, {'T': {'anything': 1}})

    def test_provider_without_schemas(self):
        self.assertRaises(exception.InvalidInput, plans.check_parameters,
                          {'id': 'x'}, {'T': {}})
