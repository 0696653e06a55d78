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

"""Refuse request bodies larger than max_request_body_size."""

from oslo_middleware import sizelimit
import webob.dec

from karbor.api import faults
from karbor.i18n import _


class RequestBodySizeLimiter:
    """Limit the size of request bodies.

    A declared Content-Length above the limit is refused at once; a chunked
    body is wrapped so that reading past the limit fails. Both give 413,
    with the contract's fault body (a chunked body when the Resource
    reads it).
    """

    def __init__(self, application, max_size):
        self.application = application
        self.max_size = max_size

    @webob.dec.wsgify
    def __call__(self, req):
        if (req.content_length is not None and
                req.content_length > self.max_size):
            return faults.fault_response(
                413, _('Request is too large: the limit is %d bytes.')
                % self.max_size)
        if req.content_length is None and req.is_body_readable:
            req.body_file = sizelimit.LimitingReader(req.body_file,
                                                     self.max_size)
        return req.get_response(self.application)
