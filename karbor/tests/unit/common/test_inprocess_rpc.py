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

"""Tests of karbor-all's in-process message bus."""

import threading

import fixtures
from oslo_config import cfg
import oslo_messaging as messaging

from karbor.common import inprocess_rpc
from karbor.tests import base

# Long enough that a listener relying on it, not on being woken, makes
# the test fail.
NEVER = 3600.0


class _Echo:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.casts = []
        self.cast_seen = threading.Event()

    def echo(self, ctxt, value):
        return value

    def fail(self, ctxt):
        raise ValueError('no')

    def note(self, ctxt, value):
        self.casts.append(value)
        self.cast_seen.set()


class InProcessDriverTest(base.TestCase):

    def setUp(self):
        super().setUp()
        # A listener waiting for a message must be woken by its delivery:
        # the periodic wake-up is pushed out of the tests' reach.
        self.useFixture(fixtures.MonkeyPatch(
            'karbor.common.inprocess_rpc._MAX_WAIT', NEVER))
        # The global options: oslo.messaging registers its tracing
        # options there only.
        self.transport = messaging.get_rpc_transport(
            cfg.CONF, url='karbor-inprocess://')
        self.addCleanup(self.transport.cleanup)
        self.topic = self.getUniqueString('topic')

    def _server(self):
        endpoint = _Echo()
        server = messaging.get_rpc_server(
            self.transport, messaging.Target(topic=self.topic, server='s1'),
            [endpoint], executor='threading')
        server.start()

        def stop():
            server.stop()
            server.wait()
        self.addCleanup(stop)
        return endpoint

    def _client(self):
        return messaging.get_rpc_client(
            self.transport, messaging.Target(topic=self.topic),
            timeout=30)

    def test_driver_is_loaded_from_the_url(self):
        self.assertIsInstance(self.transport._driver,
                              inprocess_rpc.InProcessDriver)

    def test_calls_and_casts_reach_a_waiting_server(self):
        endpoint = self._server()
        client = self._client()
        # Each call is delivered while the server's listener waits: with
        # the wake-up at an hour, only the delivery's signal answers it.
        for value in range(5):
            self.assertEqual(value, client.call({}, 'echo', value=value))
        self.assertRaises(ValueError, client.call, {}, 'fail')
        client.cast({}, 'note', value='x')
        self.assertTrue(endpoint.cast_seen.wait(30))
        self.assertEqual(['x'], endpoint.casts)

    def test_stop_wakes_a_waiting_listener(self):
        listener = self.transport._driver.listen(
            messaging.Target(topic=self.topic, server='s1'), 1, None)
        polled = []
        thread = threading.Thread(
            target=lambda: polled.append(
                listener._poll_style_listener.poll(timeout=None)))
        thread.start()
        listener._poll_style_listener.stop()
        thread.join(30)
        self.assertFalse(thread.is_alive())
        self.assertEqual([[]], polled)

    def test_poll_times_out_empty(self):
        listener = self.transport._driver.listen(
            messaging.Target(topic=self.topic, server='s1'), 1, None)
        self.assertEqual([], listener._poll_style_listener.poll(timeout=0.01))

    def test_exchanges_are_apart_from_the_fake_drivers(self):
        fake = messaging.get_rpc_transport(cfg.CONF, url='fake://')
        self.addCleanup(fake.cleanup)
        target = messaging.Target(topic=self.topic)
        messaging.get_rpc_client(fake, target).cast({}, 'note', value=1)
        listener = self.transport._driver.listen(
            messaging.Target(topic=self.topic, server='s1'), 1, None)
        # The fake driver's message is not on this driver's queues.
        self.assertEqual([], listener._poll_style_listener.poll(timeout=0.01))
