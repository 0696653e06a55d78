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

"""Tests of karbor.quota on a real SQLite database."""

import datetime
from unittest import mock

import ddt
from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from karbor import context
from karbor.db import api as db_api
from karbor.db.sqlalchemy import engine as db_engine
from karbor import exception
from karbor import quota
from karbor.tests import base

PROJECT = 'proj'


@ddt.ddt
class TestQuotas(base.TestCase):

    USE_DB = True

    def setUp(self):
        super().setUp()
        self.quotas = quota.DbQuotaDriver()
        self.ctx = context.RequestContext(user_id='u', project_id=PROJECT)
        self.admin = context.get_admin_context()
        self.flags(quota_plans=2, quota_checkpoints=-1)

    def test_defaults(self):
        self.assertEqual({'plans': 2, 'checkpoints': -1},
                         self.quotas.get_defaults(self.ctx))
        self.assertEqual(['checkpoints', 'plans'], self.quotas.resources)

    def test_limit_precedence(self):
        self.assertEqual({'plans': 2, 'checkpoints': -1},
                         self.quotas.get_project_quotas(self.ctx, PROJECT,
                                                        usages=False))
        self.quotas.update_class_quotas(self.admin, 'default',
                                        {'plans': 5, 'checkpoints': 7})
        self.assertEqual({'plans': 5, 'checkpoints': 7},
                         self.quotas.get_class_quotas(self.ctx, 'default'))
        self.quotas.update_project_quotas(self.admin, PROJECT, {'plans': 9})
        self.assertEqual({'plans': 9, 'checkpoints': 7},
                         self.quotas.get_project_quotas(self.ctx, PROJECT,
                                                        usages=False))
        self.assertEqual({'plans': 9}, self.quotas.get_project_quotas(
            self.ctx, PROJECT, defaults=False, usages=False))
        self.quotas.destroy_project_quotas(self.admin, PROJECT)
        self.quotas.destroy_class_quotas(self.admin, 'default')
        self.assertEqual({'plans': 2, 'checkpoints': -1},
                         self.quotas.get_project_quotas(self.ctx, PROJECT,
                                                        usages=False))

    def test_class_without_defaults(self):
        self.quotas.update_class_quotas(self.admin, 'gold', {'plans': 100})
        self.assertEqual({'plans': 100}, self.quotas.get_class_quotas(
            self.ctx, 'gold', defaults=False))
        self.assertEqual(100, self.quotas.get_project_quotas(
            self.ctx, PROJECT, quota_class='gold', usages=False)['plans'])

    @ddt.data(-2, 'many', None, True, 1.5j)
    def test_bad_limits(self, value):
        self.assertRaises(exception.InvalidQuotaValue,
                          self.quotas.update_project_quotas, self.admin,
                          PROJECT, {'plans': value})

    def test_unknown_resource(self):
        self.assertRaises(exception.QuotaResourceUnknown,
                          self.quotas.update_project_quotas, self.admin,
                          PROJECT, {'volumes': 3})
        self.assertRaises(exception.QuotaResourceUnknown,
                          self.quotas.reserve, self.ctx, volumes=1)

    def test_reserve_commit_counts_usage(self):
        reservations = self.quotas.reserve(self.ctx, plans=1)
        detail = self.quotas.get_project_quotas(self.ctx, PROJECT)
        self.assertEqual({'limit': 2, 'in_use': 0, 'reserved': 1},
                         detail['plans'])
        self.quotas.commit(self.ctx, reservations)
        detail = self.quotas.get_project_quotas(self.ctx, PROJECT)
        self.assertEqual({'limit': 2, 'in_use': 1, 'reserved': 0},
                         detail['plans'])
        self.assertEqual({'limit': -1, 'in_use': 0, 'reserved': 0},
                         detail['checkpoints'])

    def _count_transactions(self):
        """A list that grows by one for every transaction begun."""
        begun = []

        def count(connection):
            begun.append(connection)
        engine = db_engine.get_engine()
        sa.event.listen(engine, 'begin', count)
        self.addCleanup(sa.event.remove, engine, 'begin', count)
        return begun

    def test_reserve_is_one_transaction(self):
        # The limits are read in the transaction that reserves.
        self.quotas.update_project_quotas(self.admin, PROJECT, {'plans': 1})
        begun = self._count_transactions()
        reservations = self.quotas.reserve(self.ctx, plans=1)
        self.assertEqual(1, len(begun))
        self.assertRaises(exception.PlanLimitExceeded, self.quotas.reserve,
                          self.ctx, plans=1)
        self.assertEqual(2, len(begun))
        self.quotas.rollback(self.ctx, reservations)
        self.assertEqual({'limit': 1, 'in_use': 0, 'reserved': 0},
                         self.quotas.get_project_quotas(self.ctx,
                                                        PROJECT)['plans'])

    def test_deadlock_retries_the_whole_transaction(self):
        real = db_api.get_instance().quota_reserve
        calls = []

        def deadlock_once(*args, **kwargs):
            calls.append(args)
            if len(calls) == 1:
                raise db_exc.DBDeadlock()
            return real(*args, **kwargs)
        begun = self._count_transactions()
        with mock.patch.object(db_api.get_instance(), 'quota_reserve',
                               autospec=True, side_effect=deadlock_once), \
                mock.patch('time.sleep', autospec=True):
            reservations = self.quotas.reserve(self.ctx, plans=1)
        # Both attempts read the limits again, each in its transaction.
        self.assertEqual(2, len(calls))
        self.assertEqual(2, len(begun))
        self.assertEqual(1, len(reservations))
        self.assertEqual(1, self.quotas.get_project_quotas(
            self.ctx, PROJECT)['plans']['reserved'])

    def test_over_quota_is_the_resource_specific_413(self):
        self.quotas.commit(self.ctx, self.quotas.reserve(self.ctx, plans=2))
        error = self.assertRaises(exception.PlanLimitExceeded,
                                  self.quotas.reserve, self.ctx, plans=1)
        self.assertEqual(413, error.code)
        self.assertIn('(2)', str(error))
        self.quotas.update_project_quotas(self.admin, PROJECT,
                                          {'checkpoints': 0})
        self.assertRaises(exception.CheckpointLimitExceeded,
                          self.quotas.reserve, self.ctx, checkpoints=1)
        self.assertRaises(exception.OverQuota, self.quotas.reserve,
                          self.ctx, plans=1, checkpoints=1)

    def test_rollback_releases(self):
        reservations = self.quotas.reserve(self.ctx, plans=2)
        self.assertRaises(exception.PlanLimitExceeded, self.quotas.reserve,
                          self.ctx, plans=1)
        self.quotas.rollback(self.ctx, reservations)
        self.quotas.reserve(self.ctx, plans=2)

    def test_release_with_negative_delta(self):
        self.quotas.commit(self.ctx, self.quotas.reserve(self.ctx, plans=2))
        self.quotas.commit(self.ctx, self.quotas.reserve(self.ctx,
                                                         plans=-1))
        self.assertEqual(1, self.quotas.get_project_quotas(
            self.ctx, PROJECT)['plans']['in_use'])

    def test_other_project_is_separate(self):
        self.quotas.commit(self.ctx, self.quotas.reserve(self.ctx, plans=2))
        self.quotas.reserve(self.admin, project_id='other', plans=2)

    def test_nothing_to_reserve(self):
        self.assertEqual([], self.quotas.reserve(self.ctx, plans=0))
        self.quotas.commit(self.ctx, [])
        self.quotas.rollback(self.ctx, [])

    @ddt.data(10, datetime.timedelta(seconds=10), 'soon', True)
    def test_expire_argument(self, expire):
        if isinstance(expire, (str, bool)):
            self.assertRaises(exception.InvalidReservationExpiration,
                              self.quotas.reserve, self.ctx, expire=expire,
                              plans=1)
        else:
            self.assertEqual(1, len(self.quotas.reserve(
                self.ctx, expire=expire, plans=1)))

    def test_expired_reservations_are_released(self):
        self.quotas.reserve(self.ctx, plans=2,
                            expire=timeutils.utcnow() -
                            datetime.timedelta(seconds=1))
        self.assertEqual(1, self.quotas.expire(self.admin))
        self.quotas.reserve(self.ctx, plans=2)

    def test_module_engine(self):
        self.assertIsInstance(quota.QUOTAS, quota.DbQuotaDriver)
