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

"""Base classes and fixtures shared by Karbor's unit and functional tests."""

import warnings

import fixtures
from oslo_config import fixture as config_fixture
from oslotest import base
from sqlalchemy import exc as sqla_exc

from karbor import conf

CONF = conf.CONF


class WarningsFixture(fixtures.Fixture):
    """Turn warnings that signal bugs in Karbor's own code into errors."""

    def _setUp(self):
        self._original = warnings.filters[:]
        self.addCleanup(self._restore)
        warnings.simplefilter('once', DeprecationWarning)
        # SQLAlchemy 2.x removals and misuse must fail the test that hits
        # them, but only when Karbor's code is the caller.
        warnings.filterwarnings('error',
                                category=sqla_exc.SADeprecationWarning,
                                module='karbor')
        warnings.filterwarnings('error', category=sqla_exc.SAWarning,
                                module='karbor')
        warnings.filterwarnings('ignore',
                                message='eventletutils module is deprecated')

    def _restore(self):
        warnings.filters[:] = self._original


class TestCase(base.BaseTestCase):
    """Test case with isolated configuration and a temporary state path.

    Set ``USE_DB = True`` in a test class to give each test a fresh SQLite
    database (``self.db``, a ``karbor.tests.fixtures.database.Database``)
    with the full schema; karbor.objects are registered then.
    """

    USE_DB = False

    def setUp(self):
        super().setUp()
        self.useFixture(WarningsFixture())
        self.config_fixture = self.useFixture(config_fixture.Config(CONF))
        CONF([], project='karbor', default_config_files=[])
        self.state_path = self.useFixture(fixtures.TempDir()).path
        self.flags(state_path=self.state_path,
                   host='test-host',
                   auth_strategy='noauth')
        self.flags(connection='sqlite://', group='database')
        if self.USE_DB:
            # Imported on demand: tests without a database need neither
            # SQLAlchemy nor Alembic loaded.
            from karbor.tests.fixtures import database
            self.db = self.useFixture(database.Database(self.state_path))

    def flags(self, group=None, **kw):
        """Override options for the duration of the test."""
        for name, value in kw.items():
            self.config_fixture.config(**{name: value, 'group': group})
