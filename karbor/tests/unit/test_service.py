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

"""Tests of the service runner: registration, reports and signals."""

import os
import signal

import fixtures
from oslo_messaging import conffixture as messaging_conffixture

from karbor.common import constants
from karbor import context
from karbor import exception
from karbor import objects
from karbor import rpc
from karbor import service
from karbor.tests import base


class _Manager:
    def __init__(self):
        self.calls = []

    def init_host(self):
        self.calls.append('init_host')

    def cleanup_host(self):
        self.calls.append('cleanup_host')


class TestRPCService(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        conf = self.useFixture(messaging_conffixture.ConfFixture(base.CONF))
        conf.transport_url = 'fake:/'
        rpc.init(base.CONF)
        self.addCleanup(rpc.cleanup)
        self.manager = _Manager()
        self.service = service.RPCService(
            base.CONF, constants.BINARY_PROTECTION, 'test-topic',
            self.manager)

    def _row(self):
        return objects.Service.get_by_args(
            context.get_admin_context(), 'test-host',
            constants.BINARY_PROTECTION)

    def test_start_registers_and_stop_cleans_up(self):
        self.service.start()
        self.service.stop()
        self.assertEqual(['init_host', 'cleanup_host'], self.manager.calls)
        row = self._row()
        self.assertEqual('test-topic', row.topic)
        self.assertFalse(row.disabled)

    def test_registered_only_once_the_server_listens(self):
        # os-services shows a new row as up; over RabbitMQ a request sent
        # to the topic before its first server bound the queues is lost.
        events = []
        get_server = rpc.get_server

        def recording_get_server(target, endpoints):
            server = get_server(target, endpoints)
            start = server.start

            def recording_start():
                self.assertRaises(exception.NotFound, self._row)
                start()
                events.append('listening')
            server.start = recording_start
            return server

        self.useFixture(fixtures.MockPatchObject(
            rpc, 'get_server', side_effect=recording_get_server))
        register = self.service._register

        def recording_register():
            register()
            events.append('registered')
        self.useFixture(fixtures.MockPatchObject(
            self.service, '_register', side_effect=recording_register))
        self.service.start()
        self.addCleanup(self.service.stop)
        self.assertEqual(['listening', 'registered'], events)
        self.assertEqual('test-topic', self._row().topic)

    def test_failed_registration_stops_the_server(self):
        self.useFixture(fixtures.MockPatchObject(
            self.service, '_register',
            side_effect=exception.KarborException('database is gone')))
        self.assertRaises(exception.KarborException, self.service.start)
        self.assertIsNone(self.service._server)

    def test_restart_reuses_the_row_and_reports(self):
        self.service.start()
        self.service.stop()
        again = service.RPCService(base.CONF, constants.BINARY_PROTECTION,
                                   'test-topic', _Manager())
        again.start()
        self.addCleanup(again.stop)
        first = self._row()
        again.report_state()
        self.assertEqual(first.id, self._row().id)
        self.assertEqual(first.report_count + 1, self._row().report_count)


class TestSignalCatcher(base.TestCase):

    def test_signal_sent_before_waiting_is_caught(self):
        before = signal.getsignal(signal.SIGTERM)
        catcher = service.SignalCatcher()
        # Sent before wait(): with the handlers installed at creation the
        # process survives it.
        os.kill(os.getpid(), signal.SIGTERM)
        self.assertEqual(signal.SIGTERM, catcher.wait())
        self.assertEqual(before, signal.getsignal(signal.SIGTERM))
