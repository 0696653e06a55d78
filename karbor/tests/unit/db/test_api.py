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

"""Tests of karbor.db.api."""

import inspect

from karbor.db import api
from karbor.db.sqlalchemy import api as sqlalchemy_api
from karbor.tests import base


class TestDbApi(base.TestCase):

    def test_get_instance_is_the_sqlalchemy_connection(self):
        instance = api.get_instance()
        self.assertIsInstance(instance, sqlalchemy_api.Connection)
        self.assertIs(instance, api.get_instance())

    def test_implementation_is_complete(self):
        # Instantiating would fail if any abstract method were missing.
        self.assertEqual(frozenset(),
                         sqlalchemy_api.Connection.__abstractmethods__)
        abstract = {name for name, member in
                    inspect.getmembers(api.Connection)
                    if getattr(member, '__isabstractmethod__', False)}
        self.assertGreater(len(abstract), 60)

    def test_signatures_match(self):
        for name, member in inspect.getmembers(api.Connection,
                                               inspect.isfunction):
            if name.startswith('_'):
                continue
            implementation = getattr(sqlalchemy_api.Connection, name)
            self.assertEqual(inspect.signature(member),
                             inspect.signature(implementation), name)
