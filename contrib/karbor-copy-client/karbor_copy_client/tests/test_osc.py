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

"""Tests of karbor_copy_client.osc: the command against real HTTP."""

import importlib.metadata
import io
import json
import types
import unittest

from karborclient.common.apiclient import exceptions
from karborclient.v1 import client

from karbor_copy_client import osc
from karbor_copy_client.tests import server as scripted
from karbor_copy_client.tests import test_copies as data


class CopyCommandTest(unittest.TestCase):

    def setUp(self):
        super().setUp()
        self.server = scripted.ScriptedServer().start()
        self.addCleanup(self.server.stop)
        karbor = client.Client('%s/v1/%s' % (self.server.url, data.PROJECT),
                               token='user:%s' % data.PROJECT)
        self.stderr = io.StringIO()
        self.app = types.SimpleNamespace(
            client_manager=types.SimpleNamespace(data_protection=karbor),
            stderr=self.stderr)
        self.command = osc.CopyCheckpoints(self.app, None)

    def run_command(self, *argv):
        parser = self.command.get_parser('openstack data protection '
                                         'checkpoint copy')
        columns, values = self.command.take_action(parser.parse_args(argv))
        return dict(zip(columns, values))

    def sent(self):
        return [body for method, path, _h, body in self.server.requests
                if method == 'POST']

    def test_copy(self):
        self.server.script('POST', data.ACTION, (200, data.ANSWER))
        shown = self.run_command(data.PROVIDER, data.PLAN,
                                 '--destination', 'az2')
        self.assertEqual(
            {'id': data.REQUEST, 'status': 'wait_copying',
             'project_id': data.PROJECT, 'provider_id': data.PROVIDER,
             'plan_id': data.PLAN, 'parameters': '{}',
             'destination': 'az2', 'destination_region': None,
             'destination_availability_zone': 'az2',
             'checkpoints': 's1 -> c1'}, shown)
        self.assertEqual([{'copy': {'plan_id': data.PLAN, 'parameters': {},
                                    'destination': 'az2'}}], self.sent())
        self.assertEqual('', self.stderr.getvalue())

    def test_parameters(self):
        self.server.script('POST', data.ACTION, (200, data.ANSWER))
        server_id = '0b4f9b0e-6a43-4a0e-8d36-0d1f7d0e2a10'
        self.run_command(
            data.PROVIDER, data.PLAN,
            '--parameters', 'resource_type=OS::Nova::Server,speed=fast',
            '--parameters', 'resource_type=OS::Cinder::Volume,'
            'resource_id=%s,n=1' % server_id)
        self.assertEqual(
            {'OS::Nova::Server': {'speed': 'fast'},
             'OS::Cinder::Volume#%s' % server_id: {'n': '1'}},
            self.sent()[0]['copy']['parameters'])
        self.assertNotIn('destination', self.sent()[0]['copy'])

    def test_parameters_json(self):
        self.server.script('POST', data.ACTION, (200, data.ANSWER))
        params = {'OS::Nova::Server': {'n': 2}}
        self.run_command(data.PROVIDER, data.PLAN, '--parameters-json',
                         json.dumps(params))
        self.assertEqual(params, self.sent()[0]['copy']['parameters'])

    def test_bad_input_sends_nothing(self):
        for argv in ((data.PROVIDER, 'not-a-plan'),
                     ('not-a-provider', data.PLAN),
                     (data.PROVIDER, data.PLAN, '--parameters', 'x=1'),
                     (data.PROVIDER, data.PLAN, '--parameters', 'novalue'),
                     (data.PROVIDER, data.PLAN, '--parameters',
                      'resource_type=T', '--parameters-json', '{}')):
            self.assertRaises(exceptions.CommandError, self.run_command,
                              *argv)
        self.assertEqual([], self.server.requests)

    def test_refused_by_server(self):
        self.server.script('POST', data.ACTION, (409, {'conflictingRequest': {
            'code': 409, 'message': 'nothing to copy'}}))
        with self.assertRaises(exceptions.Conflict) as raised:
            self.run_command(data.PROVIDER, data.PLAN)
        self.assertIn('nothing to copy', str(raised.exception))

    def test_wait_shows_progress(self):
        self.server.script('POST', data.ACTION, (200, data.ANSWER))
        self.server.script(
            'GET', data.LOG,
            (200, data._log('copying', objects_done=1, objects_total=2,
                            bytes_done=1024, bytes_total=3 * 1024 * 1024)),
            (200, data._log('success', objects_done=2, objects_total=2,
                            bytes_done=3 * 1024 * 1024,
                            bytes_total=3 * 1024 * 1024)))
        shown = self.run_command(data.PROVIDER, data.PLAN, '--wait',
                                 '--poll-interval', '0.01')
        self.assertEqual('success', shown['status'])
        self.assertEqual(
            'copy %s: copying, 1 of 2 objects, 1.0 KiB of 3.0 MiB\n'
            'copy %s: success, 2 of 2 objects, 3.0 MiB of 3.0 MiB\n'
            % (data.REQUEST, data.REQUEST), self.stderr.getvalue())

    def test_wait_says_when_the_service_cannot_be_reached(self):
        self.server.script('POST', data.ACTION, (200, data.ANSWER))
        self.server.script(
            'GET', data.LOG,
            (503, {'fault': {'code': 503, 'message': 'restarting'}}),
            (200, data._log('success')))
        shown = self.run_command(data.PROVIDER, data.PLAN, '--wait',
                                 '--poll-interval', '0.01')
        self.assertEqual('success', shown['status'])
        lines = self.stderr.getvalue().splitlines()
        self.assertIn('copy %s: the service cannot be reached' % data.REQUEST,
                      lines[0])
        self.assertIn('restarting', lines[0])
        self.assertEqual('copy %s: success' % data.REQUEST, lines[1])

    def test_wait_fails_on_error(self):
        self.server.script('POST', data.ACTION, (200, data.ANSWER))
        failed = data._log('error')
        failed['operation_log']['error_info'] = 'destination full'
        self.server.script('GET', data.LOG, (200, failed))
        with self.assertRaises(exceptions.CommandError) as raised:
            self.run_command(data.PROVIDER, data.PLAN, '--wait')
        self.assertIn('destination full', str(raised.exception))

    def test_wait_timeout(self):
        self.server.script('POST', data.ACTION, (200, data.ANSWER))
        self.server.script('GET', data.LOG, (200, data._log('copying')))
        with self.assertRaises(exceptions.CommandError) as raised:
            self.run_command(data.PROVIDER, data.PLAN, '--wait',
                             '--wait-timeout', '0.05',
                             '--poll-interval', '0.01')
        self.assertIn('did not finish', str(raised.exception))

    def test_describe_progress_without_counters(self):
        self.assertEqual('copy x: wait_copying', osc.describe_progress(
            {'id': 'x', 'status': 'wait_copying', 'extra_info': None}))


class EntryPointTest(unittest.TestCase):

    def test_registered_beside_karborclient(self):
        try:
            importlib.metadata.distribution('karbor-copy-client')
        except importlib.metadata.PackageNotFoundError:
            self.skipTest('karbor-copy-client is not installed')
        group = importlib.metadata.entry_points(
            group='openstack.data_protection.v1')
        points = {point.name: point.value for point in group}
        self.assertEqual('karbor_copy_client.osc:CopyCheckpoints',
                         points['data_protection_checkpoint_copy'])
        # python-karborclient's own commands are in the same group.
        self.assertIn('data_protection_checkpoint_create', points)
        self.assertIs(osc.CopyCheckpoints,
                      group['data_protection_checkpoint_copy'].load())
