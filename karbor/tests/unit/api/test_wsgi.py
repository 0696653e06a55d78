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

"""Tests of karbor.api.wsgi: dispatch, bodies, results and errors."""

import ddt
import oslo_messaging as messaging
import webob
import webob.exc

from karbor.api import wsgi
from karbor import context
from karbor import exception
from karbor.tests import base


class _Controller:

    def __init__(self):
        self.calls = []

    def index(self, req):
        self.calls.append(('index', {}))
        return {'things': []}

    def show(self, req, id):
        self.calls.append(('show', {'id': id}))
        return {'thing': {'id': id}}

    def create(self, req, body):
        self.calls.append(('create', {'body': body}))
        return {'thing': body}

    def update(self, req, id, body=None):
        self.calls.append(('update', {'id': id, 'body': body}))

    def fail(self, req, error):
        raise error

    def raw(self, req):
        return webob.Response(status=202, body=b'raw')


@ddt.ddt
class ResourceTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.controller = _Controller()
        self.resource = wsgi.Resource(self.controller)
        self.context = context.RequestContext(user_id='u', project_id='p1',
                                              request_id='req-1234')

    def _call(self, action, method='GET', body=None, content_type=None,
              project_id='p1', with_context=True, **urlvars):
        req = webob.Request.blank('/v1/p1/things', method=method)
        if body is not None:
            req.body = body
            if content_type:
                req.content_type = content_type
        if with_context:
            req.environ[wsgi.CONTEXT_KEY] = self.context
        req.urlvars = dict(urlvars, action=action, controller=self,
                           project_id=project_id, format='json')
        return req.get_response(self.resource)

    def _fault(self, response, code):
        self.assertEqual(code, response.status_int)
        (name, fault), = response.json.items()
        self.assertEqual(code, fault['code'])
        return name, fault['message']

    def test_dict_result_is_json_200(self):
        response = self._call('show', id='abc')
        self.assertEqual(200, response.status_int)
        self.assertEqual('application/json', response.content_type)
        self.assertEqual({'thing': {'id': 'abc'}}, response.json)
        self.assertEqual('req-1234',
                         response.headers['x-compute-request-id'])

    def test_none_result_is_empty_200(self):
        response = self._call('update', method='PUT', id='abc')
        self.assertEqual(200, response.status_int)
        self.assertEqual(b'', response.body)
        self.assertEqual([('update', {'id': 'abc', 'body': None})],
                         self.controller.calls)

    def test_response_result_passes_through(self):
        response = self._call('raw')
        self.assertEqual(202, response.status_int)
        self.assertEqual(b'raw', response.body)

    def test_body_decoded(self):
        response = self._call('create', method='POST', body=b'{"a": 1}',
                              content_type='application/json')
        self.assertEqual({'thing': {'a': 1}}, response.json)

    def test_body_without_content_type_is_json(self):
        response = self._call('create', method='POST', body=b'{"a": 1}')
        self.assertEqual({'thing': {'a': 1}}, response.json)

    def test_missing_required_body(self):
        name, message = self._fault(self._call('create', method='POST'),
                                    400)
        self.assertEqual('badRequest', name)
        self.assertIn('needs a JSON body', message)
        self.assertEqual([], self.controller.calls)

    @ddt.data(b'{"a": ', b'not json', b'\xff\xfe', b'{"a": 1}}',
              b'[' * 100000)
    def test_malformed_json(self, body):
        name, message = self._fault(
            self._call('create', method='POST', body=body,
                       content_type='application/json'), 400)
        self.assertIn('not valid JSON', message)
        self.assertEqual([], self.controller.calls)

    @ddt.data('text/plain', 'application/xml',
              'application/x-www-form-urlencoded')
    def test_other_content_type_415(self, content_type):
        name, _msg = self._fault(
            self._call('create', method='POST', body=b'{"a": 1}',
                       content_type=content_type), 415)
        self.assertEqual('badMediaType', name)
        self.assertEqual([], self.controller.calls)

    def test_project_mismatch(self):
        name, message = self._fault(self._call('index', project_id='p2'),
                                    400)
        self.assertIn('Malformed request url', message)
        self.assertEqual([], self.controller.calls)

    def test_project_mismatch_for_admin_too(self):
        self.context.is_admin = True
        self._fault(self._call('index', project_id='p2'), 400)

    def test_no_context_is_401(self):
        name, _msg = self._fault(self._call('index', with_context=False),
                                 401)
        self.assertEqual('unauthorized', name)

    @ddt.data(
        (exception.PlanNotFound(plan_id='x'), 404, 'itemNotFound',
         'Plan x could not be found.'),
        (exception.InvalidInput(reason='bad'), 400, 'badRequest',
         'Invalid input received: bad'),
        (exception.PolicyNotAuthorized(action='a:b'), 403, 'forbidden',
         "Policy doesn't allow a:b to be performed."),
        (exception.CheckpointNotBeDeleted(checkpoint_id='c',
                                          status='protecting'),
         409, 'conflictingRequest', 'cannot be deleted'),
        (exception.PlanLimitExceeded(allowed=1), 413, 'overLimit',
         'Maximum number of plans allowed (1) exceeded'),
        (exception.ServiceUnavailable(), 503, 'serviceUnavailable',
         'unavailable'),
        (webob.exc.HTTPNotFound(detail='gone'), 404, 'itemNotFound',
         'gone'),
        (webob.exc.HTTPConflict(), 409, 'conflictingRequest', None),
    )
    @ddt.unpack
    def test_error_mapping(self, error, code, name, fragment):
        fault_name, message = self._fault(self._call('fail', error=error),
                                          code)
        self.assertEqual(name, fault_name)
        if fragment:
            self.assertIn(fragment, message)

    def test_unsafe_karbor_exception_hides_message(self):
        error = exception.FlowError(flow='protect', error='db at 10.0.0.1')
        name, message = self._fault(self._call('fail', error=error), 500)
        self.assertEqual('computeFault', name)
        self.assertNotIn('10.0.0.1', message)

    def test_rpc_timeout_is_503(self):
        error = messaging.MessagingTimeout('no reply on topic x')
        name, message = self._fault(self._call('fail', error=error), 503)
        self.assertEqual('serviceUnavailable', name)
        self.assertNotIn('topic', message)

    def test_unexpected_exception_is_generic_500(self):
        error = RuntimeError('secret internals')
        name, message = self._fault(self._call('fail', error=error), 500)
        self.assertEqual('computeFault', name)
        self.assertNotIn('secret', message)
