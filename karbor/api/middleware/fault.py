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

"""Last-resort error handling for the whole pipeline."""

import webob.dec

from karbor.api import faults


class FaultWrapper:
    """Answer any exception raised below with the contract's fault body.

    Controllers and the other middleware answer their own errors with fault
    responses; this catches whatever escapes them (a bug, a library
    raising) so a user never sees a bare traceback.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception as exc:
            return faults.from_exception(exc)
