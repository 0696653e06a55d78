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

"""The version documents: GET / and GET /v1/."""

import webob
import webob.dec

from karbor.api import wsgi

_V1 = {'id': 'v1.0', 'status': 'CURRENT'}


def _v1_document(req):
    # Upstream hard-codes the /data-protect/ prefix of the usual endpoint;
    # clients that follow the link expect it.
    href = req.host_url.rstrip('/') + '/data-protect/v1/'
    return dict(_V1, links=[{'rel': 'self', 'href': href}])


@webob.dec.wsgify
def versions(req):
    """Any path outside /v1: 300 Multiple Choices and the versions list."""
    response = wsgi.json_response({'versions': [_v1_document(req)]})
    response.status = 300
    return response


@webob.dec.wsgify
def v1_version(req):
    """GET /v1/: the v1 version document."""
    return wsgi.json_response({'version': _v1_document(req)})
