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

"""Tests of karbor.api.v1.copies, through the real WSGI application."""

from unittest import mock

import ddt

from karbor import exception
from karbor import objects
from karbor.tests.unit.api import fakes

_SERVER = {'id': fakes.new_id(), 'type': 'OS::Nova::Server',
           'name': 'vm1', 'extra_info': None}
_DESTINATION = {'name': 'az2', 'region': None, 'availability_zone': 'az2',
                'description': 'second zone', 'default': True}
_PATH = '/providers/%s/checkpoints/action'


def _result(pairs=1, status='wait_copying', parameters=None):
    return {'id': fakes.new_id(), 'status': status,
            'parameters': parameters or {},
            'destination': dict(_DESTINATION),
            'checkpoint_id': [{'checkpoint_protect_id': fakes.new_id(),
                               'checkpoint_copy_id': fakes.new_id()}
                              for _ in range(pairs)]}


@ddt.ddt
class CopiesApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.path = _PATH % fakes.PROVIDER_ID
        self.plan = self._make_plan()

    def _make_plan(self, project_id=fakes.PROJECT_ID,
                   provider_id=fakes.PROVIDER_ID):
        plan = objects.Plan(
            context=self.context(project_id), name='p',
            provider_id=provider_id, project_id=project_id,
            status='suspended', resources=[_SERVER], parameters={})
        plan.create()
        return plan

    def _copy(self, body, **kwargs):
        return self.request('POST', self.path, body, **kwargs)

    def _sent(self):
        """(plan, destination, parameters) the protection API received."""
        (_api, _ctx, plan), kwargs = self.protection.copy.call_args
        return plan, kwargs['destination'], kwargs['parameters']

    # --- accepted requests ---------------------------------------------

    def test_object_form(self):
        params = {'OS::Nova::Server': {'consistency': 'crash'},
                  'OS::Nova::Server#%s' % _SERVER['id']: {'n': 1}}
        result = _result(pairs=2, parameters=params)
        self.protection.copy.return_value = result
        body = {'copy': {'plan_id': self.plan.id, 'parameters': params,
                         'destination': 'az2'}}
        copy = self.assertOk(self._copy(body, admin=False))['copy']
        self.assertEqual(
            {'id': result['id'], 'status': 'wait_copying',
             'project_id': fakes.PROJECT_ID,
             'provider_id': fakes.PROVIDER_ID, 'plan_id': self.plan.id,
             'parameters': params, 'destination': _DESTINATION,
             'checkpoint_id': result['checkpoint_id']}, copy)
        self.assertEqual(
            ['id', 'status', 'project_id', 'provider_id', 'plan_id',
             'parameters', 'destination', 'checkpoint_id'], list(copy))
        plan, destination, parameters = self._sent()
        self.assertIsInstance(plan, objects.Plan)
        self.assertEqual(self.plan.id, plan.id)
        self.assertEqual('az2', destination)
        self.assertEqual(params, parameters)
        self.protection.copy.assert_called_once()

    def test_answer_shows_the_parameters_the_copy_uses(self):
        # The protection service reads strings as their options' types.
        self.protection.copy.return_value = _result(
            parameters={'OS::Nova::Server': {'n': 1}})
        copy = self.assertOk(self._copy({'copy': {
            'plan_id': self.plan.id,
            'parameters': {'OS::Nova::Server': {'n': '1'}}}}))['copy']
        self.assertEqual({'OS::Nova::Server': {'n': 1}}, copy['parameters'])
        self.assertEqual({'OS::Nova::Server': {'n': '1'}}, self._sent()[2])

    def test_object_form_minimal_upstream_body(self):
        self.protection.copy.return_value = _result()
        copy = self.assertOk(self._copy(
            {'copy': {'plan_id': self.plan.id}}))['copy']
        self.assertEqual({}, copy['parameters'])
        _plan, destination, parameters = self._sent()
        self.assertIsNone(destination)
        self.assertEqual({}, parameters)

    def test_null_destination_means_default(self):
        self.protection.copy.return_value = _result()
        self.assertOk(self._copy({'copy': {'plan_id': self.plan.id,
                                           'destination': None}}))
        self.assertIsNone(self._sent()[1])

    @ddt.data(None, fakes.PROVIDER_ID, fakes.PROVIDER_ID.upper(),
              fakes.PROVIDER_ID.replace('-', ''))
    def test_list_form(self, provider_id):
        self.protection.copy.return_value = _result()
        item = {'plan_id': self.plan.id, 'parameters': {},
                'destination': 'az2'}
        if provider_id is not None:
            item['provider_id'] = provider_id
        copy = self.assertOk(self._copy({'copy': [item]},
                                        admin=False))['copy']
        self.assertEqual(self.plan.id, copy['plan_id'])
        self.assertEqual(fakes.PROVIDER_ID, copy['provider_id'])
        self.assertEqual('az2', self._sent()[1])

    def test_nothing_left_in_the_pairs_is_passed_on(self):
        # The service decides what there is to copy; the API only reshapes
        # its answer, dropping nothing and inventing nothing.
        result = _result(pairs=0)
        result['destination'] = {'name': 'dr'}
        self.protection.copy.return_value = result
        copy = self.assertOk(self._copy(
            {'copy': {'plan_id': self.plan.id}}))['copy']
        self.assertEqual([], copy['checkpoint_id'])
        self.assertEqual({'name': 'dr', 'region': None,
                          'availability_zone': None, 'description': None,
                          'default': None}, copy['destination'])

    # --- refused before anything is asked of the service ---------------

    @ddt.data(
        ('no body', dict()),
        ('malformed json', dict(raw_body=b'{"copy": ')),
        ('empty object', dict(body={})),
        ('copy is a string', dict(body={'copy': 'x'})),
        ('copy is null', dict(body={'copy': None})),
        ('no plan id', dict(body={'copy': {}})),
        ('bad plan id', dict(body={'copy': {'plan_id': 'abc'}})),
        ('plan id not a string', dict(body={'copy': {'plan_id': 1}})),
        ('unknown key', dict(body={'copy': {'plan_id': fakes.PROVIDER_ID,
                                            'status': 'copying'}})),
        ('unknown top-level key', dict(body={
            'copy': {'plan_id': fakes.PROVIDER_ID}, 'x': 1})),
        ('forms mixed: provider_id in object form', dict(body={
            'copy': {'plan_id': fakes.PROVIDER_ID,
                     'provider_id': fakes.PROVIDER_ID}})),
        ('forms mixed: both at top level', dict(body={
            'copy': {'plan_id': fakes.PROVIDER_ID},
            'copies': [{'plan_id': fakes.PROVIDER_ID}]})),
        ('forms mixed: list inside list', dict(body={
            'copy': [[{'plan_id': fakes.PROVIDER_ID}]]})),
        ('empty list', dict(body={'copy': []})),
        ('two items', dict(body={'copy': [
            {'plan_id': fakes.PROVIDER_ID}, {'plan_id': fakes.PROVIDER_ID}]})),
        ('list item without plan', dict(body={'copy': [{}]})),
        ('list item unknown key', dict(body={'copy': [
            {'plan_id': fakes.PROVIDER_ID, 'status': 'x'}]})),
        ('list item bad provider id', dict(body={'copy': [
            {'plan_id': fakes.PROVIDER_ID, 'provider_id': 'abc'}]})),
        ('parameters not an object', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID, 'parameters': []}})),
        ('parameters value not an object', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID,
            'parameters': {'OS::Nova::Server': 'x'}}})),
        ('parameters nested value', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID,
            'parameters': {'OS::Nova::Server': {'a': {'b': 1}}}}})),
        ('parameters bad key', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID,
            'parameters': {'OS::Nova::Server#a#b': {}}}})),
        ('parameters empty key', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID, 'parameters': {'': {}}}})),
        ('destination empty', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID, 'destination': ''}})),
        ('destination blank', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID, 'destination': '  '}})),
        ('destination not a string', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID, 'destination': ['az2']}})),
        ('destination too long', dict(body={'copy': {
            'plan_id': fakes.PROVIDER_ID, 'destination': 'd' * 256}})),
    )
    @ddt.unpack
    def test_bad_body(self, _label, kwargs):
        self.assertFault(self.request('POST', self.path, **kwargs), 400)
        self.protection.copy.assert_not_called()

    def test_not_json(self):
        self.assertFault(self.request('POST', self.path, raw_body=b'x',
                                      content_type='text/plain'), 415)
        self.protection.copy.assert_not_called()

    def test_list_item_of_another_provider(self):
        self.assertFault(self._copy({'copy': [{
            'plan_id': self.plan.id,
            'provider_id': fakes.OTHER_PROVIDER_ID}]}), 400, 'provider_id')
        self.protection.copy.assert_not_called()

    def test_bad_provider_id(self):
        self.assertFault(self.request(
            'POST', _PATH % 'xyz', {'copy': {'plan_id': self.plan.id}}),
            400, 'provider id')
        self.protection.copy.assert_not_called()

    def test_unknown_plan(self):
        self.assertFault(self._copy({'copy': {'plan_id': fakes.new_id()}},
                                    admin=False), 404)
        self.protection.copy.assert_not_called()

    @ddt.data(True, False)
    def test_plan_of_another_project(self, admin):
        plan = self._make_plan(project_id=fakes.OTHER_PROJECT_ID)
        self.assertFault(self._copy({'copy': {'plan_id': plan.id}},
                                    admin=admin), 404)
        self.protection.copy.assert_not_called()

    def test_plan_of_another_provider(self):
        plan = self._make_plan(provider_id=fakes.OTHER_PROVIDER_ID)
        self.assertFault(self._copy({'copy': {'plan_id': plan.id}}), 400,
                         fakes.OTHER_PROVIDER_ID)
        self.protection.copy.assert_not_called()

    def test_deleted_plan(self):
        self.plan.destroy()
        self.assertFault(self._copy({'copy': {'plan_id': self.plan.id}}),
                         404)
        self.protection.copy.assert_not_called()

    @ddt.data('reader', 'other')
    def test_policy_denied(self, roles):
        self.assertFault(self._copy({'copy': {'plan_id': self.plan.id}},
                                    admin=False, roles=roles), 403)
        self.protection.copy.assert_not_called()

    def test_policy_rule_and_target(self):
        self.protection.copy.return_value = _result()
        with mock.patch('karbor.context.RequestContext.can',
                        autospec=True) as can:
            self.assertOk(self._copy({'copy': {'plan_id': self.plan.id}},
                                     admin=False))
        (ctx, rule), kwargs = can.call_args
        self.assertEqual('copy:create', rule)
        self.assertEqual(fakes.PROJECT_ID, ctx.project_id)
        self.assertEqual({}, kwargs)

    def test_url_of_another_project(self):
        self.assertFault(self.request(
            'POST', self.path, {'copy': {'plan_id': self.plan.id}},
            admin=False, url_project_id=fakes.OTHER_PROJECT_ID), 400)
        self.protection.copy.assert_not_called()

    # --- errors of the protection service keep their codes -------------

    @ddt.data(
        (exception.CopyDestinationNotFound(provider_id=fakes.PROVIDER_ID,
                                           destination='nowhere'), 400,
         'nowhere'),
        (exception.NoCopyDestination(provider_id=fakes.PROVIDER_ID), 400,
         'no copy destination'),
        (exception.CopyNotSupported(types='OS::Nova::Server'), 400,
         'OS::Nova::Server'),
        (exception.NothingToCopy(plan_id='p', destination='az2',
                                 reason='every checkpoint is copied'), 409,
         'every checkpoint is copied'),
        (exception.ProviderNotFound(provider_id=fakes.PROVIDER_ID), 404,
         None),
        (exception.CheckpointLimitExceeded(allowed=0), 413, None),
    )
    @ddt.unpack
    def test_service_errors(self, error, code, fragment):
        self.protection.copy.side_effect = error
        self.assertFault(self._copy({'copy': {'plan_id': self.plan.id,
                                              'destination': 'nowhere'}},
                                    admin=False), code, fragment)
