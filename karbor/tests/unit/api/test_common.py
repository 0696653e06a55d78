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

"""Tests of karbor.api.common: paging, sorting, filters and links."""

import ddt
import webob

from karbor.api import common
from karbor import context
from karbor import exception
from karbor.tests import base

_UUID = '2f8f3b2c-5a3e-4a53-9d2e-0c9c1f3f7a10'


@ddt.ddt
class PaginationTest(base.TestCase):

    def test_defaults(self):
        params = {'name': 'x'}
        self.assertEqual((None, None, None),
                         common.get_pagination_params(params))
        self.assertEqual({'name': 'x'}, params)

    def test_values_popped(self):
        params = {'marker': _UUID, 'limit': '5', 'offset': '0', 'a': 'b'}
        self.assertEqual((_UUID, 5, 0),
                         common.get_pagination_params(params))
        self.assertEqual({'a': 'b'}, params)

    def test_limit_capped(self):
        self.flags(osapi_max_limit=10)
        self.assertEqual(10, common.get_pagination_params(
            {'limit': '500'})[1])

    @ddt.data({'limit': '0'}, {'limit': '-1'}, {'limit': 'x'},
              {'limit': '1.5'}, {'offset': '-1'}, {'offset': 'a'},
              {'marker': 'not-a-uuid'})
    def test_invalid(self, params):
        self.assertRaises(exception.InvalidInput,
                          common.get_pagination_params, params)

    def test_marker_not_uuid_allowed_when_asked(self):
        self.assertEqual('abc', common.get_pagination_params(
            {'marker': 'abc'}, uuid_marker=False)[0])


@ddt.ddt
class SortTest(base.TestCase):

    @ddt.data(
        ({}, ['created_at'], ['desc']),
        ({'sort': 'name'}, ['name'], ['desc']),
        ({'sort': 'name:asc,id'}, ['name', 'id'], ['asc', 'asc']),
        ({'sort': 'name,id:asc'}, ['name', 'id'], ['asc', 'asc']),
        ({'sort': 'name:desc,id:asc'}, ['name', 'id'], ['desc', 'asc']),
        ({'sort_key': 'id'}, ['id'], ['desc']),
        ({'sort_key': 'id', 'sort_dir': 'ASC'}, ['id'], ['asc']),
        ({'sort_dir': 'asc'}, ['created_at'], ['asc']),
    )
    @ddt.unpack
    def test_valid(self, params, keys, dirs):
        self.assertEqual((keys, dirs), common.get_sort_params(
            params, allowed_keys=('id', 'name', 'created_at')))
        self.assertEqual({}, params)

    @ddt.data({'sort': 'name', 'sort_key': 'id'},
              {'sort': 'name', 'sort_dir': 'asc'},
              {'sort': 'name:up'},
              {'sort_dir': 'sideways'},
              {'sort': 'colour'},
              {'sort': ','},
              {'sort_key': 'colour'})
    def test_invalid(self, params):
        self.assertRaises(exception.InvalidInput, common.get_sort_params,
                          params, allowed_keys=('id', 'name', 'created_at'))


@ddt.ddt
class FiltersTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.user = context.RequestContext(user_id='u', project_id='p')
        self.admin = context.RequestContext(user_id='u', project_id='p',
                                            is_admin=True)

    def test_non_admin_whitelist(self):
        filters = common.get_filters(
            self.user, {'status': 'ok', 'project_id': 'x'}, ['status'])
        self.assertEqual({'status': 'ok'}, filters)

    def test_admin_not_restricted(self):
        filters = common.get_filters(
            self.admin, {'status': 'ok', 'project_id': 'x'}, ['status'])
        self.assertEqual({'status': 'ok', 'project_id': 'x'}, filters)

    def test_literal_values(self):
        filters = common.get_filters(
            self.user, {'parameters': "{'a': 'b'}", 'n': '3',
                        'name': 'plain text'},
            ['parameters', 'n', 'name'])
        self.assertEqual({'parameters': {'a': 'b'}, 'n': 3,
                          'name': 'plain text'}, filters)

    @ddt.data(('true', True, True), ('1', True, True),
              ('false', True, False), ('true', False, False))
    @ddt.unpack
    def test_all_tenants(self, value, admin, expected):
        ctx = self.admin if admin else self.user
        params = {'all_tenants': value}
        self.assertEqual(expected, common.is_all_tenants(ctx, params))
        self.assertEqual({}, params)

    def test_all_tenants_invalid(self):
        self.assertRaises(exception.InvalidInput, common.is_all_tenants,
                          self.admin, {'all_tenants': 'perhaps'})

    def test_validate_uuid(self):
        self.assertEqual(_UUID, common.validate_uuid(_UUID))
        error = self.assertRaises(exception.InvalidInput,
                                  common.validate_uuid, 'x', 'plan id')
        self.assertIn('plan id x is not a valid UUID', str(error))


class LinksTest(base.TestCase):

    def test_no_links_when_page_not_full(self):
        req = webob.Request.blank('/v1/p/plans?limit=3')
        self.assertEqual({}, common.collection_links(
            req, [{'id': '1'}, {'id': '2'}], 'plans', 3))

    def test_next_link_when_page_full(self):
        req = webob.Request.blank('/v1/p/plans?limit=2&marker=0&name=a')
        links = common.collection_links(req, [{'id': '1'}, {'id': '2'}],
                                        'plans', 2)
        (link,) = links['plans_links']
        self.assertEqual('next', link['rel'])
        self.assertEqual('http://localhost/v1/p/plans?limit=2&name=a'
                         '&marker=2', link['href'])

    def test_full_page_of_max_limit_without_limit(self):
        self.flags(osapi_max_limit=1)
        req = webob.Request.blank('/v1/p/plans')
        self.assertIn('plans_links', common.collection_links(
            req, [{'id': '1'}], 'plans', None))

    def test_base_url_option(self):
        self.flags(osapi_karbor_base_URL='https://api.example.com/dp/')
        req = webob.Request.blank('/p/plans?limit=1')
        req.script_name = '/v1'
        links = common.collection_links(req, [{'id': '1'}], 'plans', 1)
        self.assertEqual(
            'https://api.example.com/dp/v1/p/plans?limit=1&marker=1',
            links['plans_links'][0]['href'])
