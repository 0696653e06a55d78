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

"""Tests of the protection API: each method is one RPC call."""

import datetime

import oslo_messaging as messaging

from karbor import context
from karbor.services.protection import api
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes

CTX_ARGS = {'user_id': 'u', 'project_id': 'p'}


class RecordingEndpoint:
    """Answers every protection RPC method with what it received."""

    target = messaging.Target(version='1.1')

    def __getattr__(self, name):
        if name.startswith('_') or name.startswith('oslo_'):
            raise AttributeError(name)

        def method(ctxt, **kwargs):
            return {'method': name, 'project_id': ctxt.project_id,
                    'kwargs': kwargs}
        return method


# (API method, positional args after the context, keyword args,
#  the keyword arguments the service must receive)
CALLS = [
    ('list_providers', (), {'limit': 2, 'filters': {'name': 'x'}},
     {'marker': None, 'limit': 2, 'sort_keys': None, 'sort_dirs': None,
      'filters': {'name': 'x'}}),
    ('show_provider', ('pid',), {}, {'provider_id': 'pid'}),
    ('protect', ({'id': 'plan'}, {'status': 'protecting'}), {},
     {'plan': {'id': 'plan'},
      'checkpoint_properties': {'status': 'protecting'}}),
    ('list_checkpoints', ('pid',),
     {'marker': 'm', 'sort_dirs': ['asc'], 'all_tenants': True,
      'filters': {'start_date': datetime.date(2020, 1, 2)}},
     {'provider_id': 'pid', 'marker': 'm', 'limit': None,
      'sort_keys': None, 'sort_dirs': ['asc'], 'all_tenants': True,
      'filters': {'start_date': '2020-01-02'}}),
    ('copy', ({'id': 'plan'},), {'destination': 'az2'},
     {'plan': {'id': 'plan'}, 'destination': 'az2', 'parameters': None}),
    ('show_checkpoint', ('pid', 'cid'), {},
     {'provider_id': 'pid', 'checkpoint_id': 'cid'}),
    ('delete', ('pid', 'cid'), {},
     {'provider_id': 'pid', 'checkpoint_id': 'cid'}),
    ('reset_state', ('pid', 'cid', 'error'), {},
     {'provider_id': 'pid', 'checkpoint_id': 'cid', 'state': 'error'}),
    ('restore', ({'id': 'r'},), {'restore_auth': {'type': 'password'}},
     {'restore': {'id': 'r'}, 'restore_auth': {'type': 'password'}}),
    ('verification', ({'id': 'v'},), {}, {'verification': {'id': 'v'}}),
    ('list_protectable_types', (), {}, {}),
    ('show_protectable_type', ('T',), {}, {'protectable_type': 'T'}),
    ('list_protectable_instances', ('T',), {'parameters': {'a': 'b'}},
     {'protectable_type': 'T', 'marker': None, 'limit': None,
      'sort_keys': None, 'sort_dirs': None, 'filters': None,
      'parameters': {'a': 'b'}}),
    ('show_protectable_instance', ('T', 'i'), {},
     {'protectable_type': 'T', 'protectable_id': 'i', 'parameters': None}),
    ('list_protectable_dependents', ('i', 'T', 'n'), {},
     {'protectable_id': 'i', 'protectable_type': 'T',
      'protectable_name': 'n'}),
]


class ProtectionApiTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fakes.RpcServer([RecordingEndpoint()]))
        self.api = api.API()
        self.ctx = context.RequestContext(**CTX_ARGS)

    def test_every_method_reaches_the_service(self):
        # One server for all calls: stopping one takes about a second.
        for method, args, kwargs, expected in CALLS:
            result = getattr(self.api, method)(self.ctx, *args, **kwargs)
            self.assertEqual({'method': method, 'project_id': 'p',
                              'kwargs': expected}, result,
                             'API.%s' % method)

    def test_every_public_method_is_covered(self):
        public = {name for name in dir(api.API)
                  if not name.startswith('_') and
                  name != 'protection_rpcapi'}
        self.assertEqual(public, {call[0] for call in CALLS})
