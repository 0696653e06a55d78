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

"""Tests of karbor.api.versions, through the real WSGI application."""

import ddt
import webob

from karbor.api import app
from karbor.tests import base


@ddt.ddt
class VersionsTest(base.TestCase):

    @ddt.data('/', '/v2', '/anything/else')
    def test_versions_300(self, path):
        response = webob.Request.blank(path).get_response(app.setup_app())
        self.assertEqual(300, response.status_int)
        self.assertEqual(
            {'versions': [{'id': 'v1.0', 'status': 'CURRENT',
                           'links': [{'rel': 'self',
                                      'href': 'http://localhost/'
                                              'data-protect/v1/'}]}]},
            response.json)

    @ddt.data('/v1', '/v1/')
    def test_v1_document_without_token(self, path):
        response = webob.Request.blank(path).get_response(app.setup_app())
        self.assertEqual(200, response.status_int)
        self.assertEqual('v1.0', response.json['version']['id'])
