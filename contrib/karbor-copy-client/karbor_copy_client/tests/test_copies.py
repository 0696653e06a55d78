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

"""Tests of karbor_copy_client.v1.copies over real HTTP.

Both of python-karborclient's HTTP clients are used: the keystoneauth
``SessionClient`` (what OpenStackClient builds) and the legacy
``HTTPClient`` (endpoint and token).
"""

import json
import unittest
from unittest import mock

from karborclient.common.apiclient import exceptions
from karborclient.v1 import client
from keystoneauth1 import exceptions as ksa_exceptions
from keystoneauth1 import session
from keystoneauth1 import token_endpoint

from karbor_copy_client.tests import server as scripted
from karbor_copy_client.v1 import copies

PROJECT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
PROVIDER = 'b766f37c-d011-4026-8228-28730d734a3f'
PLAN = '4a2c81d4-52f5-4b8d-9d6f-2f3b8f7c1e11'
REQUEST = '9f0e3c55-1c2b-4f8e-8a55-36c1b2d9e0aa'
ACTION = '/v1/%s/providers/%s/checkpoints/action' % (PROJECT, PROVIDER)
LOG = '/v1/%s/operation_logs/%s' % (PROJECT, REQUEST)

ANSWER = {'copy': {
    'id': REQUEST, 'status': 'wait_copying', 'project_id': PROJECT,
    'provider_id': PROVIDER, 'plan_id': PLAN, 'parameters': {},
    'destination': {'name': 'az2', 'region': None,
                    'availability_zone': 'az2', 'description': None,
                    'default': True},
    'checkpoint_id': [{'checkpoint_protect_id': 's1',
                       'checkpoint_copy_id': 'c1'}]}}


def _log(status, **extra_info):
    return {'operation_log': {'id': REQUEST, 'operation_type': 'copy',
                              'status': status, 'error_info': None,
                              'extra_info': json.dumps(extra_info)}}


def _fake_time():
    """``(sleep, clock)``: sleeping moves the clock on, at once."""
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    return sleep, lambda: now[0]


class _ManagerTests:
    """The same tests for each kind of HTTP client."""

    def setUp(self):
        super().setUp()
        self.server = scripted.ScriptedServer().start()
        self.addCleanup(self.server.stop)
        self.endpoint = '%s/v1/%s' % (self.server.url, PROJECT)
        self.manager = copies.CopyManager(self.make_client())

    def make_client(self):
        raise NotImplementedError

    def test_create_object_form(self):
        self.server.script('POST', ACTION, (200, ANSWER))
        params = {'OS::Nova::Server': {'consistency': 'crash'}}
        result = self.manager.create(PROVIDER, PLAN, parameters=params,
                                     destination='az2')
        self.assertEqual(ANSWER['copy'], result)
        ((method, path, headers, body),) = self.server.requests
        self.assertEqual(('POST', ACTION), (method, path))
        self.assertEqual('application/json', headers['Content-Type'])
        self.assertEqual('user:%s' % PROJECT, headers['X-Auth-Token'])
        self.assertEqual({'copy': {'plan_id': PLAN, 'parameters': params,
                                   'destination': 'az2'}}, body)

    def test_create_upstream_body_without_destination(self):
        self.server.script('POST', ACTION, (200, ANSWER))
        self.manager.create(PROVIDER, PLAN)
        body = self.server.requests[0][3]
        self.assertEqual({'copy': {'plan_id': PLAN, 'parameters': {}}},
                         body)

    def test_create_refused(self):
        for code, error in ((400, exceptions.BadRequest),
                            (404, exceptions.NotFound),
                            (409, exceptions.Conflict),
                            (413, exceptions.RequestEntityTooLarge)):
            self.server.script('POST', ACTION, (code, {'fault': {
                'code': code, 'message': 'refused %d' % code}}))
            with self.assertRaises(error) as raised:
                self.manager.create(PROVIDER, PLAN)
            self.assertIn('refused %d' % code, str(raised.exception))

    def test_get(self):
        self.server.script('GET', LOG, (200, _log('copying')))
        self.assertEqual('copying', self.manager.get(REQUEST)['status'])

    def test_wait_reports_changes_and_returns_final_log(self):
        self.server.script(
            'GET', LOG, (200, _log('wait_copying')),
            (200, _log('copying', objects_done=0, objects_total=4)),
            (200, _log('copying', objects_done=0, objects_total=4)),
            (200, _log('copying', objects_done=2, objects_total=4,
                       bytes_done=10, bytes_total=20)),
            (200, _log('success', objects_done=4, objects_total=4,
                       bytes_done=20, bytes_total=20)))
        seen, sleeps = [], []
        log = self.manager.wait(REQUEST, interval=0.5,
                                on_progress=seen.append,
                                sleep=sleeps.append)
        self.assertEqual('success', log['status'])
        self.assertEqual(
            [('wait_copying', {}),
             ('copying', {'objects_done': 0, 'objects_total': 4}),
             ('copying', {'objects_done': 2, 'objects_total': 4,
                          'bytes_done': 10, 'bytes_total': 20}),
             ('success', {'objects_done': 4, 'objects_total': 4,
                          'bytes_done': 20, 'bytes_total': 20})],
            [(item['status'], copies.progress(item)) for item in seen])
        self.assertEqual([0.5] * 4, sleeps)
        self.assertEqual(5, len(self.server.requests))

    def test_wait_returns_failure(self):
        self.server.script('GET', LOG, (200, _log('error')))
        self.assertEqual('error', self.manager.wait(REQUEST)['status'])

    def test_wait_times_out(self):
        self.server.script('GET', LOG, (200, _log('copying')))
        sleep, clock = _fake_time()
        with self.assertRaises(copies.CopyTimeout) as raised:
            self.manager.wait(REQUEST, interval=1, timeout=3, sleep=sleep,
                              clock=clock)
        self.assertEqual('copying',
                         raised.exception.operation_log['status'])
        self.assertEqual(4, len(self.server.requests))

    def test_wait_goes_on_while_the_service_restarts(self):
        busy = {'fault': {'code': 503, 'message': 'restarting'}}
        self.server.script(
            'GET', LOG, (200, _log('copying')), (503, busy),
            (502, {'fault': {'code': 502, 'message': 'no backend'}}),
            (504, {'fault': {'code': 504, 'message': 'timeout'}}),
            (200, _log('success')))
        errors, sleeps = [], []
        log = self.manager.wait(REQUEST, interval=1,
                                on_unreachable=errors.append,
                                sleep=sleeps.append)
        self.assertEqual('success', log['status'])
        self.assertEqual([exceptions.ServiceUnavailable,
                          exceptions.BadGateway, exceptions.GatewayTimeout],
                         [type(e) for e in errors])
        self.assertEqual(4, len(sleeps))

    def test_wait_gives_up_when_unreachable_too_long(self):
        sleep, clock = _fake_time()
        self.server.script('GET', LOG, (200, _log('copying')), (503, {
            'fault': {'code': 503, 'message': 'down'}}))
        with self.assertRaises(exceptions.ServiceUnavailable):
            self.manager.wait(REQUEST, interval=10, unreachable_timeout=60,
                              sleep=sleep, clock=clock)
        # One good poll, then unreachable from t=10 to t=70.
        self.assertEqual(8, len(self.server.requests))

    def test_wait_times_out_while_unreachable(self):
        sleep, clock = _fake_time()
        self.server.script('GET', LOG, (200, _log('copying')), (503, {
            'fault': {'code': 503, 'message': 'down'}}))
        with self.assertRaises(copies.CopyTimeout) as raised:
            self.manager.wait(REQUEST, interval=1, timeout=3, sleep=sleep,
                              clock=clock)
        self.assertEqual('copying',
                         raised.exception.operation_log['status'])

    def test_other_errors_end_the_wait(self):
        # (A 500 too, but the legacy HTTPClient of python-karborclient
        # 2.1.0 fails on one with a TypeError of its own.)
        self.server.script('GET', LOG, (400, {'fault': {
            'code': 400, 'message': 'bad id'}}))
        with self.assertRaises(exceptions.BadRequest):
            self.manager.wait(REQUEST, sleep=lambda s: None)
        self.server.script('GET', LOG, (404, {'fault': {
            'code': 404, 'message': 'no such log'}}))
        with self.assertRaises(exceptions.NotFound):
            self.manager.wait(REQUEST, sleep=lambda s: None)

    def test_wait_goes_on_when_connections_fail(self):
        self.server.script('GET', LOG, (200, _log('success')))
        real_get = self.manager.get
        failures = [ksa_exceptions.ConnectFailure('refused'),
                    exceptions.ConnectionRefused('refused')]

        def get(copy_id):
            if failures:
                raise failures.pop(0)
            return real_get(copy_id)

        errors = []
        with mock.patch.object(self.manager, 'get', get):
            log = self.manager.wait(REQUEST, on_unreachable=errors.append,
                                    sleep=lambda s: None)
        self.assertEqual('success', log['status'])
        self.assertEqual(2, len(errors))


class SessionClientTest(_ManagerTests, unittest.TestCase):

    def make_client(self):
        auth = token_endpoint.Token(self.endpoint, 'user:%s' % PROJECT)
        return client.Client(session=session.Session(auth=auth),
                             service_type='data-protect')


class LegacyHTTPClientTest(_ManagerTests, unittest.TestCase):

    def make_client(self):
        return client.Client(self.endpoint, token='user:%s' % PROJECT)

    def test_accepts_the_http_client_itself(self):
        manager = copies.CopyManager(self.make_client().http_client)
        self.server.script('POST', ACTION, (200, ANSWER))
        self.assertEqual(REQUEST, manager.create(PROVIDER, PLAN)['id'])


class ProgressTest(unittest.TestCase):

    def test_progress(self):
        self.assertEqual({'bytes_done': 1},
                         copies.progress({'extra_info': '{"bytes_done": 1, '
                                                        '"other": 2}'}))
        self.assertEqual({'objects_total': 3},
                         copies.progress({'extra_info': {
                             'objects_total': 3, 'objects_done': 'x'}}))
        for info in (None, '', 'not json', '[1]', 5):
            self.assertEqual({}, copies.progress({'extra_info': info}))
        self.assertEqual({}, copies.progress({}))
