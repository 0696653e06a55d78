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

"""Tests of karbor.api.middleware.sizelimit."""

import io

import webob
import webob.dec

from karbor.api.middleware import sizelimit
from karbor.api import wsgi
from karbor.tests import base


@webob.dec.wsgify(RequestClass=wsgi.Request)
def _echo(req):
    return webob.Response(body=req.body)


class SizeLimitTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.app = sizelimit.RequestBodySizeLimiter(_echo, 10)

    def test_small_body_passes(self):
        req = webob.Request.blank('/', method='POST', body=b'0123456789')
        response = req.get_response(self.app)
        self.assertEqual(b'0123456789', response.body)

    def test_declared_length_too_large(self):
        req = webob.Request.blank('/', method='POST', body=b'x' * 11)
        response = req.get_response(self.app)
        self.assertEqual(413, response.status_int)
        self.assertIn('limit is 10 bytes',
                      response.json['overLimit']['message'])

    def test_chunked_body_too_large(self):
        req = webob.Request.blank('/', method='POST')
        req.body_file = io.BytesIO(b'x' * 20)
        req.content_length = None
        req.headers['Transfer-Encoding'] = 'chunked'
        req.is_body_readable = True
        self.assertEqual(413, req.get_response(self.app).status_int)
