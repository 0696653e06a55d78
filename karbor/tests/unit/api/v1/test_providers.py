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

"""Tests of karbor.api.v1.providers, through the real WSGI application."""

import ddt

from karbor import exception
from karbor.tests.unit.api import fakes


@ddt.ddt
class ProvidersApiTest(fakes.ApiTestCase):

    def test_list(self):
        self.protection.list_providers.return_value = [fakes.provider()]
        body = self.assertOk(self.request(
            'GET', '/providers?name=x&description=y&colour=z&limit=5',
            admin=False))
        (provider,) = body['providers']
        self.assertEqual(fakes.provider(), provider)
        self.assertNotIn('providers_links', body)
        kwargs = self.protection.list_providers.call_args[1]
        self.assertEqual({'name': 'x', 'description': 'y'},
                         kwargs['filters'])
        self.assertEqual(5, kwargs['limit'])

    def test_list_links(self):
        self.protection.list_providers.return_value = [fakes.provider()]
        body = self.assertOk(self.request('GET', '/providers?limit=1'))
        self.assertIn('marker=%s' % fakes.PROVIDER_ID,
                      body['providers_links'][0]['href'])

    @ddt.data('limit=0', 'marker=abc')
    def test_list_invalid_query(self, query):
        self.assertFault(self.request('GET', '/providers?' + query), 400)
        self.protection.list_providers.assert_not_called()

    def test_show_fills_missing_schemas(self):
        provider = fakes.provider()
        del provider['extended_info_schema']['restore_schema']
        self.protection.show_provider.return_value = provider
        body = self.assertOk(self.request(
            'GET', '/providers/%s' % fakes.PROVIDER_ID, admin=False))
        self.assertEqual({}, body['provider']['extended_info_schema'][
            'restore_schema'])

    def test_show_copy_destinations(self):
        provider = fakes.provider()
        # Only the destination's public fields, whatever the service adds.
        provider['copy_destinations'][0]['bank_options'] = {'key': 'secret'}
        self.protection.show_provider.return_value = provider
        body = self.assertOk(self.request(
            'GET', '/providers/%s' % fakes.PROVIDER_ID, admin=False))
        self.assertEqual(fakes.provider()['copy_destinations'],
                         body['provider']['copy_destinations'])
        # A provider without destinations shows an empty list.
        del provider['copy_destinations']
        body = self.assertOk(self.request(
            'GET', '/providers/%s' % fakes.PROVIDER_ID, admin=False))
        self.assertEqual([], body['provider']['copy_destinations'])

    def test_show_not_uuid(self):
        self.assertFault(self.request('GET', '/providers/noop'), 400)
        self.protection.show_provider.assert_not_called()

    def test_show_unknown(self):
        self.protection.show_provider.side_effect = (
            exception.ProviderNotFound(provider_id=fakes.PROVIDER_ID))
        self.assertFault(self.request(
            'GET', '/providers/%s' % fakes.PROVIDER_ID), 404)

    def test_show_denied_is_404(self):
        self.assertFault(self.request(
            'GET', '/providers/%s' % fakes.PROVIDER_ID, admin=False,
            roles='nothing'), 404)
        self.protection.show_provider.assert_not_called()

    def test_list_denied_is_403(self):
        self.assertFault(self.request('GET', '/providers', admin=False,
                                      roles='nothing'), 403)
