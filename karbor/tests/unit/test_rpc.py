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

"""Tests of the RPC set-up, over oslo.messaging's in-process transport."""

import logging
import threading
import time
from unittest import mock

import fixtures
from oslo_config import cfg
import oslo_messaging as messaging

from karbor import context
from karbor import exception
from karbor import objects
from karbor import rpc
from karbor.tests import base
from karbor.tests.unit.services.protection import fake_protection as fakes


class Endpoint:
    target = messaging.Target(version='1.0')

    def echo(self, ctxt, value):
        return {'value': value, 'project_id': ctxt.project_id,
                'roles': ctxt.roles, 'class': type(ctxt).__name__}

    def refuse(self, ctxt, checkpoint_id):
        raise exception.CheckpointNotAvailable(checkpoint_id=checkpoint_id)

    def fail(self, ctxt):
        raise exception.KarborException('internal failure')

    def log(self, ctxt, operation_log):
        operation_log.status = 'seen'
        return operation_log


class RpcTest(base.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        self.useFixture(fakes.RpcServer([Endpoint()], topic='test-topic'))
        target = messaging.Target(topic='test-topic', version='1.0')
        self.client = rpc.get_client(target)
        self.ctx = context.RequestContext(user_id='u', project_id='p',
                                          roles=['member'])

    def test_initialized(self):
        self.assertTrue(rpc.initialized())
        self.assertEqual(['karbor.exception'], rpc.ALLOWED_EXMODS)

    def test_call_carries_the_context(self):
        result = self.client.call(self.ctx, 'echo', value=[1, 'a'])
        self.assertEqual({'value': [1, 'a'], 'project_id': 'p',
                          'roles': ['member'], 'class': 'RequestContext'},
                         result)

    def test_karbor_exceptions_cross_unchanged(self):
        e = self.assertRaises(exception.CheckpointNotAvailable,
                              self.client.call, self.ctx, 'refuse',
                              checkpoint_id='c1')
        self.assertEqual(409, e.code)
        self.assertIn('c1', str(e))

    def _server_log(self):
        return self.useFixture(fixtures.FakeLogger(
            name='oslo_messaging.rpc.server', level=logging.DEBUG))

    def test_client_errors_are_not_logged_as_failures(self):
        server_log = self._server_log()
        e = self.assertRaises(exception.CheckpointNotAvailable,
                              self.client.call, self.ctx, 'refuse',
                              checkpoint_id='c1')
        self.assertEqual(409, e.code)
        self.assertNotIn('Exception during message handling',
                         server_log.output)
        self.assertNotIn('Traceback', server_log.output)

    def test_server_errors_are_logged(self):
        server_log = self._server_log()
        e = self.assertRaises(exception.KarborException,
                              self.client.call, self.ctx, 'fail')
        self.assertEqual(500, e.code)
        self.assertIn('Exception during message handling',
                      server_log.output)

    def test_objects_are_serialized(self):
        log = objects.OperationLog(context=self.ctx, project_id='p',
                                   operation_type='protect')
        result = self.client.call(self.ctx, 'log', operation_log=log)
        self.assertIsInstance(result, objects.OperationLog)
        self.assertEqual(('protect', 'seen'),
                         (result.operation_type, result.status))


class ClientErrorsExpectedTest(base.TestCase):

    def test_is_client_error(self):
        self.assertTrue(rpc.is_client_error(
            exception.CheckpointNotFound(checkpoint_id='c')))
        self.assertFalse(rpc.is_client_error(exception.KarborException()))
        self.assertFalse(rpc.is_client_error(ValueError('x')))

    def test_wrapper_keeps_the_endpoint(self):
        endpoint = Endpoint()
        wrapped = rpc.ClientErrorsExpected(endpoint)
        self.assertIs(Endpoint.target, wrapped.target)
        self.assertIsNone(getattr(wrapped, 'oslo_rpc_server_ping', None))
        self.assertEqual('echo', wrapped.echo.__name__)

    def test_wrapper_marks_client_errors_expected(self):
        wrapped = rpc.ClientErrorsExpected(Endpoint())
        e = self.assertRaises(messaging.ExpectedException, wrapped.refuse,
                              None, checkpoint_id='c1')
        self.assertIsInstance(e.exc_info[1],
                              exception.CheckpointNotAvailable)
        self.assertRaises(exception.KarborException, wrapped.fail, None)


class RpcLifeCycleTest(base.TestCase):

    def test_client_needs_init(self):
        self.assertFalse(rpc.initialized())
        self.assertRaises(RuntimeError, rpc.get_client,
                          messaging.Target(topic='t'))

    def test_init_is_idempotent_and_cleanup_resets(self):
        fixture = fakes.RpcServer([Endpoint()], topic='t')
        self.useFixture(fixture)
        transport = rpc.TRANSPORT
        rpc.init(rpc_conf())
        self.assertIs(transport, rpc.TRANSPORT)
        rpc.cleanup()
        self.assertFalse(rpc.initialized())
        rpc.cleanup()

    def test_cleanup_with_timeout_releases_the_transport(self):
        transport = mock.Mock()
        self.useFixture(fixtures.MockPatchObject(rpc, 'TRANSPORT',
                                                 transport))
        self.assertTrue(rpc.cleanup(timeout=5))
        transport.cleanup.assert_called_once_with()
        self.assertFalse(rpc.initialized())

    def test_cleanup_does_not_wait_past_its_timeout(self):
        # A transport whose release never ends, as oslo.messaging's reply
        # listener can be while it reconnects to a broker that is gone: a
        # service stopping on SIGTERM goes on after the timeout.
        released = threading.Event()
        self.addCleanup(released.set)
        transport = mock.Mock()
        transport.cleanup.side_effect = lambda: released.wait(30)
        self.useFixture(fixtures.MockPatchObject(rpc, 'TRANSPORT',
                                                 transport))
        log = self.useFixture(fixtures.FakeLogger(name='karbor.rpc'))
        start = time.monotonic()
        self.assertFalse(rpc.cleanup(timeout=0.2))
        self.assertLess(time.monotonic() - start, 5)
        transport.cleanup.assert_called_once_with()
        self.assertIn('not released within 0.2 s', log.output)
        # Gone all the same: init() may create a new one.
        self.assertFalse(rpc.initialized())

    def test_call_without_answer_times_out(self):
        # No server on the topic: the call ends with MessagingTimeout (the
        # API answers 503) after rpc_response_timeout, it does not hang.
        self.useFixture(fakes.RpcServer([Endpoint()], topic='t'))
        rpc_conf().set_override('rpc_response_timeout', 1)
        self.addCleanup(rpc_conf().clear_override, 'rpc_response_timeout')
        client = rpc.get_client(messaging.Target(topic='nobody-serves'))
        start = time.monotonic()
        self.assertRaises(messaging.MessagingTimeout, client.call,
                          context.get_admin_context(), 'echo', value=1)
        self.assertLess(time.monotonic() - start, 10)

    def test_default_transport_url(self):
        conf = cfg.ConfigOpts()
        rpc.set_default_transport_url(conf, 'fake://')
        conf([])
        self.assertEqual('fake://', conf.transport_url)
        conf.set_override('transport_url', 'rabbit://h')
        rpc.set_default_transport_url(conf, 'fake://')
        self.assertEqual('rabbit://h', conf.transport_url)
        # oslo.messaging registering its options again is no conflict.
        messaging.get_rpc_transport(conf).cleanup()

    def test_context_serializer_round_trip(self):
        serializer = rpc.RequestContextSerializer()
        ctx = context.RequestContext(
            user_id='u', project_id='p', is_admin=True, roles=['admin'],
            service_catalog=[{'type': 'compute', 'endpoints': []}])
        back = serializer.deserialize_context(
            serializer.serialize_context(ctx))
        self.assertEqual(('u', 'p', True, ['admin']),
                         (back.user_id, back.project_id, back.is_admin,
                          back.roles))
        self.assertEqual(ctx.service_catalog, back.service_catalog)
        self.assertEqual(5, serializer.serialize_entity(ctx, 5))


def rpc_conf():
    return fakes.CONF
