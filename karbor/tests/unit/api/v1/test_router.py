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

"""Tests of karbor.api.v1.router: every route, 404 and 405."""

import ddt

from karbor.api.v1 import router
from karbor.tests.unit.api import fakes

_ID = fakes.new_id()


@ddt.ddt
class RouterTest(fakes.ApiTestCase):

    @ddt.data(
        ('GET', '/providers', 'providers', 'index'),
        ('GET', '/providers/%s' % _ID, 'providers', 'show'),
        ('GET', '/providers/%s/checkpoints' % _ID, 'checkpoints', 'index'),
        ('POST', '/providers/%s/checkpoints' % _ID, 'checkpoints',
         'create'),
        ('POST', '/providers/%s/checkpoints/action' % _ID, 'copies',
         'create'),
        ('GET', '/providers/%s/checkpoints/%s' % (_ID, _ID), 'checkpoints',
         'show'),
        ('PUT', '/providers/%s/checkpoints/%s' % (_ID, _ID), 'checkpoints',
         'update'),
        ('DELETE', '/providers/%s/checkpoints/%s' % (_ID, _ID),
         'checkpoints', 'delete'),
        ('GET', '/plans', 'plans', 'index'),
        ('POST', '/plans', 'plans', 'create'),
        ('GET', '/plans/%s' % _ID, 'plans', 'show'),
        ('PUT', '/plans/%s' % _ID, 'plans', 'update'),
        ('DELETE', '/plans/%s' % _ID, 'plans', 'delete'),
        ('GET', '/protectables', 'protectables', 'index'),
        ('GET', '/protectables/OS::Nova::Server', 'protectables', 'show'),
        ('GET', '/protectables/OS::Nova::Server/instances', 'protectables',
         'instances_index'),
        ('GET', '/protectables/OS::Nova::Server/instances/x',
         'protectables', 'instances_show'),
        ('GET', '/restores', 'restores', 'index'),
        ('POST', '/restores', 'restores', 'create'),
        ('GET', '/restores/%s' % _ID, 'restores', 'show'),
        ('GET', '/verifications', 'verifications', 'index'),
        ('POST', '/verifications', 'verifications', 'create'),
        ('GET', '/verifications/%s' % _ID, 'verifications', 'show'),
        ('GET', '/operation_logs', 'operation_logs', 'index'),
        ('GET', '/operation_logs/%s' % _ID, 'operation_logs', 'show'),
        ('GET', '/quotas/%s' % _ID, 'quotas', 'show'),
        ('PUT', '/quotas/%s' % _ID, 'quotas', 'update'),
        ('DELETE', '/quotas/%s' % _ID, 'quotas', 'delete'),
        ('GET', '/quotas/%s/detail' % _ID, 'quotas', 'detail'),
        ('GET', '/quotas/%s/defaults' % _ID, 'quotas', 'defaults'),
        ('GET', '/quota_classes/default', 'quota_classes', 'show'),
        ('PUT', '/quota_classes/default', 'quota_classes', 'update'),
        ('GET', '/os-services', 'services', 'index'),
        ('PUT', '/os-services/1', 'services', 'update'),
    )
    @ddt.unpack
    def test_route(self, method, path, controller, action):
        api_router = router.APIRouter()
        match = api_router.mapper.match(
            '/%s%s' % (fakes.PROJECT_ID, path),
            environ={'REQUEST_METHOD': method})
        self.assertIsNotNone(match)
        resource = match['controller']
        self.assertIsNotNone(resource)
        module = router._CONTROLLERS[controller]
        self.assertEqual(module.__name__,
                         type(resource.controller).__module__)
        self.assertEqual(action, match['action'])
        self.assertTrue(callable(getattr(resource.controller, action)))

    def test_json_suffix(self):
        self.protection.list_protectable_types.return_value = ['T']
        response = self.request('GET', '/protectables.json')
        self.assertEqual({'protectable_type': ['T']},
                         self.assertOk(response))
        match = router.APIRouter().mapper.match(
            '/p/plans/%s.json' % _ID, environ={'REQUEST_METHOD': 'GET'})
        self.assertEqual(_ID, match['id'])

    def test_dotted_ids_kept(self):
        match = router.APIRouter().mapper.match(
            '/p/protectables/OS::Kubernetes::Pod/instances/ns:web.1',
            environ={'REQUEST_METHOD': 'GET'})
        self.assertEqual('ns:web.1', match['protectable_id'])

    @ddt.data('/nothing', '/plans/%s/action' % _ID, '/',
              '/providers/%s/checkpoints/%s/x' % (_ID, _ID),
              '/triggers', '/scheduled_operations')
    def test_unknown_path_404(self, path):
        self.assertFault(self.request('GET', path), 404)
        self.assertFault(self.request('POST', path, {}), 404)

    @ddt.data(('DELETE', '/plans', 'GET,POST'),
              ('POST', '/plans/%s' % _ID, 'DELETE,GET,PUT'),
              ('PUT', '/providers', 'GET'),
              ('POST', '/os-services', 'GET'),
              ('PATCH', '/restores/%s' % _ID, 'GET'))
    @ddt.unpack
    def test_wrong_method_405(self, method, path, allowed):
        response = self.request(method, path)
        self.assertFault(response, 405, method)
        self.assertEqual(allowed, response.headers['Allow'])

    def test_extra_routes_plug_in(self):
        class _Triggers:
            def index(self, req):
                return {'triggers': []}

        class _Module:
            @staticmethod
            def create_resource():
                from karbor.api import wsgi
                return wsgi.Resource(_Triggers())

        api_router = router.APIRouter(
            extra_routes=[('/triggers', 'triggers', {'GET': 'index'})],
            extra_controllers={'triggers': _Module})
        match = api_router.mapper.match('/p/triggers',
                                        environ={'REQUEST_METHOD': 'GET'})
        self.assertEqual('index', match['action'])
