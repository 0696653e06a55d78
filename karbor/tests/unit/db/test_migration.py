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

"""Tests of karbor.db.migration, the facade karbor-manage uses."""

import os

from karbor.db import migration
from karbor.db.sqlalchemy import engine as db_engine
from karbor.tests import base


class TestMigrationFacade(base.TestCase):

    def test_sync_and_version(self):
        path = os.path.join(self.state_path, 'facade.sqlite')
        self.flags(connection='sqlite:///' + path, group='database')
        db_engine.reset()
        self.addCleanup(db_engine.reset)
        self.assertIsNone(migration.db_version())
        migration.db_sync()
        self.assertEqual(migration.db_head(), migration.db_version())
        self.assertTrue(os.path.exists(path))
