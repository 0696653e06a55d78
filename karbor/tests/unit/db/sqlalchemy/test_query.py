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

"""Tests of karbor.db.sqlalchemy.query."""

import ddt

from karbor.db.sqlalchemy import models
from karbor.db.sqlalchemy import query
from karbor import exception
from karbor.tests import base


@ddt.ddt
class TestNormalizeSort(base.TestCase):

    @ddt.data(((None, None), (['created_at', 'id'], ['desc', 'desc'])),
              ((['name'], None),
               (['name', 'created_at', 'id'], ['desc', 'desc', 'desc'])),
              ((['name'], ['asc']),
               (['name', 'created_at', 'id'], ['asc', 'asc', 'asc'])),
              ((['id', 'name'], ['asc', 'desc']),
               (['id', 'name', 'created_at'], ['asc', 'desc', 'asc'])))
    @ddt.unpack
    def test_completion(self, given, expected):
        self.assertEqual(expected, query.normalize_sort(models.Plan, *given))

    @ddt.data((['name'], ['sideways']), (['no_column'], None),
              (['name'], ['asc', 'asc']))
    @ddt.unpack
    def test_invalid(self, keys, dirs):
        self.assertRaises(exception.InvalidInput, query.normalize_sort,
                          models.Plan, keys, dirs)


class TestFilters(base.TestCase):

    def _sql(self, stmt):
        return str(stmt.compile(compile_kwargs={'literal_binds': True}))

    def test_exact_unknown_key_means_no_rows(self):
        stmt = query.exact_filter(query.sa.select(models.Restore),
                                  models.Restore, {'nope': 1})
        self.assertIsNone(stmt)

    def test_exact_restricted_keys_ignore_others(self):
        stmt = query.exact_filter(query.sa.select(models.Plan), models.Plan,
                                  {'status': 'x', 'name': 'y'},
                                  keys=('status',))
        sql = self._sql(stmt)
        self.assertIn("plans.status = 'x'", sql)
        self.assertNotIn("plans.name = 'y'", sql.split('WHERE')[1])

    def test_regexp_falls_back_to_substring(self):
        stmt = query.regexp_filter(query.sa.select(models.Plan),
                                   models.Plan, {'name': 'a(b'}, ('name',))
        self.assertIn('LIKE', self._sql(stmt))
        stmt = query.regexp_filter(query.sa.select(models.Plan),
                                   models.Plan, {'name': '^ab'}, ('name',))
        self.assertNotIn('LIKE', self._sql(stmt))
