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

"""Tests of karbor.api.v1.protectables, through the real WSGI application."""

from unittest import mock

import ddt

from karbor import exception
from karbor.tests.unit.api import fakes

_SERVER = 'OS::Nova::Server'
_VOLUME = 'OS::Cinder::Volume'


@ddt.ddt
class ProtectablesApiTest(fakes.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.protection.list_protectable_types.return_value = [
            'OS::Keystone::Project', _SERVER, _VOLUME]
        self.volume = {'id': fakes.new_id(), 'type': _VOLUME,
                       'name': 'vol', 'extra_info': {'size': 1}}
        self.protection.list_protectable_dependents.return_value = [
            self.volume]

    def test_list_types(self):
        body = self.assertOk(self.request('GET', '/protectables',
                                          admin=False))
        self.assertEqual(['OS::Keystone::Project', _SERVER, _VOLUME],
                         body['protectable_type'])

    def test_show_type(self):
        self.protection.show_protectable_type.return_value = {
            'name': _SERVER, 'dependent_types': [_VOLUME]}
        body = self.assertOk(self.request('GET', '/protectables/' + _SERVER))
        self.assertEqual({'name': _SERVER, 'dependent_types': [_VOLUME]},
                         body['protectable_type'])

    def test_show_unknown_type_is_400(self):
        self.assertFault(self.request('GET', '/protectables/OS::No::Such'),
                         400, 'OS::No::Such')
        self.protection.show_protectable_type.assert_not_called()

    def test_list_instances(self):
        server = {'id': fakes.new_id(), 'type': _SERVER, 'name': 'vm',
                  'extra_info': None}
        self.protection.list_protectable_instances.return_value = [server]
        body = self.assertOk(self.request(
            'GET', "/protectables/%s/instances?parameters={'az': 'nova'}"
            "&status=active&name=x" % _SERVER, admin=False))
        self.assertEqual([dict(server, dependent_resources=[self.volume])],
                         body['instances'])
        kwargs = self.protection.list_protectable_instances.call_args[1]
        self.assertEqual({'az': 'nova'}, kwargs['parameters'])
        self.assertEqual({'status': 'active'}, kwargs['filters'])
        self.protection.list_protectable_dependents.assert_called_once_with(
            mock.ANY, mock.ANY, server['id'], _SERVER, 'vm')

    def test_list_instances_without_type_field(self):
        self.protection.list_protectable_instances.return_value = [
            {'id': 'p1', 'name': 'project', 'extra_info': None}]
        body = self.assertOk(self.request(
            'GET', '/protectables/OS::Keystone::Project/instances'))
        self.assertEqual('OS::Keystone::Project',
                         body['instances'][0]['type'])

    @ddt.data("parameters=[1]", "parameters=abc", "parameters=1",
              'limit=0')
    def test_list_instances_invalid_query(self, query):
        self.assertFault(self.request(
            'GET', '/protectables/%s/instances?%s' % (_SERVER, query)), 400)
        self.protection.list_protectable_instances.assert_not_called()

    def test_list_instances_unknown_type(self):
        self.assertFault(self.request(
            'GET', '/protectables/OS::No::Such/instances'), 400)

    def test_show_instance(self):
        server = {'id': 'abc', 'type': _SERVER, 'name': 'vm',
                  'extra_info': None}
        self.protection.show_protectable_instance.return_value = server
        body = self.assertOk(self.request(
            'GET', "/protectables/%s/instances/abc?parameters={'a': 1}"
            % _SERVER))
        self.assertEqual(dict(server, dependent_resources=[self.volume]),
                         body['instance'])
        kwargs = self.protection.show_protectable_instance.call_args[1]
        self.assertEqual({'a': 1}, kwargs['parameters'])

    def test_show_instance_missing(self):
        self.protection.show_protectable_instance.side_effect = (
            exception.ProtectableResourceNotFound(
                resource_id='abc', resource_type=_SERVER, reason='gone'))
        self.assertFault(self.request(
            'GET', '/protectables/%s/instances/abc' % _SERVER), 404)

    def test_show_instance_none_is_404(self):
        self.protection.show_protectable_instance.return_value = None
        self.assertFault(self.request(
            'GET', '/protectables/%s/instances/abc' % _SERVER), 404)

    def test_listing_failure_is_500(self):
        self.protection.list_protectable_instances.side_effect = (
            exception.ListProtectableResourceFailed(type=_SERVER,
                                                    reason='nova down'))
        self.assertFault(self.request(
            'GET', '/protectables/%s/instances' % _SERVER), 500,
            'nova down')
