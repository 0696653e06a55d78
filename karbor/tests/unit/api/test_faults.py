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

"""Tests of karbor.api.faults."""

import logging
import sys

import ddt
import fixtures
from oslo_messaging._drivers import common as rpc_common
import webob.exc

from karbor.api import faults
from karbor import exception
from karbor.tests import base


class _OddCode(exception.KarborException):
    code = 302
    safe = True


@ddt.ddt
class FaultsTest(base.TestCase):

    @ddt.data((400, 'badRequest'), (401, 'unauthorized'),
              (403, 'forbidden'), (404, 'itemNotFound'),
              (405, 'badMethod'), (409, 'conflictingRequest'),
              (413, 'overLimit'), (415, 'badMediaType'),
              (501, 'notImplemented'), (503, 'serviceUnavailable'),
              (500, 'computeFault'), (424, 'computeFault'))
    @ddt.unpack
    def test_fault_names(self, code, name):
        self.assertEqual(name, faults.fault_name(code))

    def test_fault_response(self):
        response = faults.fault_response(404, 'gone', {'X-A': 1})
        self.assertEqual(404, response.status_int)
        self.assertEqual('application/json', response.content_type)
        self.assertEqual({'itemNotFound': {'code': 404, 'message': 'gone'}},
                         response.json)
        self.assertEqual('1', response.headers['X-A'])

    def test_karbor_exception_with_non_error_code_is_500(self):
        response = faults.from_exception(_OddCode())
        self.assertEqual(500, response.status_int)

    def test_webob_redirect_is_returned_as_is(self):
        redirect = webob.exc.HTTPFound(location='/x')
        self.assertIs(redirect, faults.from_exception(redirect))

    def test_allow_header_kept(self):
        error = webob.exc.HTTPMethodNotAllowed(headers={'Allow': 'GET'})
        response = faults.from_exception(error)
        self.assertEqual('GET', response.headers['Allow'])
        self.assertEqual(405, response.json['badMethod']['code'])

    def test_refusal_from_rpc_is_logged_without_remote_traceback(self):
        try:
            raise exception.CheckpointNotFound(checkpoint_id='c1')
        except exception.CheckpointNotFound:
            data = rpc_common.serialize_remote_exception(sys.exc_info())
        # What an RPC client raises for it after a real broker's reply.
        remote = rpc_common.deserialize_remote_exception(
            data, ['karbor.exception'])
        self.assertIsInstance(remote, exception.CheckpointNotFound)
        self.assertIn('Traceback', str(remote))
        log = self.useFixture(fixtures.FakeLogger(
            name='karbor.api.faults', level=logging.INFO))
        response = faults.from_exception(remote)
        self.assertEqual(404, response.status_int)
        self.assertNotIn('Traceback', response.text)
        self.assertIn('c1', log.output)
        self.assertNotIn('Traceback', log.output)
