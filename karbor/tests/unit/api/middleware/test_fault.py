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

"""Tests of karbor.api.middleware.fault."""

import webob
import webob.exc

from karbor.api.middleware import fault
from karbor import exception
from karbor.tests import base


def _raising(error):
    # A plain WSGI app: wsgify would turn webob errors into responses.
    def app(environ, start_response):
        raise error
    return app


class FaultWrapperTest(base.TestCase):

    def _get(self, error):
        app = fault.FaultWrapper(_raising(error))
        return webob.Request.blank('/').get_response(app)

    def test_karbor_exception(self):
        response = self._get(exception.ProviderNotFound(provider_id='x'))
        self.assertEqual(404, response.status_int)
        self.assertEqual({'itemNotFound': {
            'code': 404, 'message': 'Provider x could not be found.'}},
            response.json)

    def test_webob_error_keeps_code(self):
        response = self._get(webob.exc.HTTPRequestEntityTooLarge(
            detail='too big'))
        self.assertEqual(413, response.status_int)
        self.assertEqual('too big', response.json['overLimit']['message'])

    def test_bug_hidden(self):
        response = self._get(KeyError('password'))
        self.assertEqual(500, response.status_int)
        self.assertNotIn('password', response.text)
        self.assertEqual(500, response.json['computeFault']['code'])
