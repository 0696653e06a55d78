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

"""Tests of karbor.services.protection.checkpoint on a real fs bank."""

import datetime
import json
import os
from unittest import mock

import ddt
from oslo_utils import timeutils

from karbor.common import constants
from karbor import exception
from karbor import resource
from karbor.services.protection import bank_plugin
from karbor.services.protection.bank_plugins import file_system_bank_plugin
from karbor.services.protection import checkpoint
from karbor.services.protection import graph
from karbor.tests import base
from karbor.tests.fixtures import file_trees
from karbor.tests.unit.services.protection.bank_plugins import (
    test_file_system_bank_plugin as fs_test)

PROVIDER = 'b766f37c-d011-4026-8228-28730d734a3f'


class CountingPlugin(bank_plugin.BankPlugin):
    """Delegates to a real plugin and records every object read."""

    def __init__(self, plugin):
        super().__init__(None)
        self._plugin = plugin
        self.gets = []

    def update_object(self, key, value, context=None):
        return self._plugin.update_object(key, value, context=context)

    def get_object(self, key, context=None):
        self.gets.append(key)
        return self._plugin.get_object(key, context=context)

    def list_objects(self, prefix=None, limit=None, marker=None,
                     sort_dir=None, context=None):
        return self._plugin.list_objects(prefix=prefix, limit=limit,
                                         marker=marker, sort_dir=sort_dir,
                                         context=context)

    def delete_object(self, key, context=None):
        return self._plugin.delete_object(key, context=context)

    def get_owner_id(self, context=None):
        return self._plugin.get_owner_id(context=context)

    def delete_leftovers(self, prefix, context=None):
        return self._plugin.delete_leftovers(prefix, context=context)


class FakePlan:
    def __init__(self, plan_id='plan-1', project_id='proj-1',
                 provider_id=PROVIDER):
        self.id = plan_id
        self.name = 'my plan'
        self.provider_id = provider_id
        self.project_id = project_id
        self.resources = [{'id': 'srv-1', 'type': 'OS::Nova::Server',
                           'name': 'vm', 'extra_info': None}]


class CheckpointTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.bank_dir = os.path.join(self.state_path, 'bank')
        self.fs = file_system_bank_plugin.FileSystemBankPlugin(
            fs_test.make_config(self.state_path, self.bank_dir))
        self.plugin = CountingPlugin(self.fs)
        self.bank = bank_plugin.Bank(self.plugin)
        self.collection = checkpoint.CheckpointCollection(self.bank)

    def _all_keys(self):
        return self.bank.list_objects('/')

    def _frozen(self, when):
        """Within the context, checkpoints are created at ``when`` (UTC)."""
        return mock.patch.object(
            timeutils, 'utcnow', autospec=True,
            return_value=when.replace(tzinfo=datetime.timezone.utc))


@ddt.ddt
class CheckpointCreateTest(CheckpointTestBase):

    def test_create_writes_upstream_layout(self):
        when = datetime.datetime(2024, 3, 5, 10, 0, 0)
        with self._frozen(when):
            cp = self.collection.create(
                FakePlan(), {'extra_info': {'created_by': 'manual'},
                             'id': 'cp1'})
        ts = 1709632800
        self.assertEqual(
            ['/checkpoints/cp1/index.json',
             '/indices/by-date/2024-03-05/proj-1/%d@cp1' % ts,
             '/indices/by-plan/plan-1/proj-1/2024-03-05/%d@cp1' % ts,
             '/indices/by-provider/%s/proj-1/%d@cp1' % (PROVIDER, ts)],
            self._all_keys())
        with open(os.path.join(self.bank_dir, 'karbor', 'checkpoints', 'cp1',
                               'index.json')) as f:
            index = json.load(f)
        self.assertEqual({
            'version': '0.9',
            'id': 'cp1',
            'status': 'protecting',
            'owner_id': self.fs.get_owner_id(),
            'provider_id': PROVIDER,
            'project_id': 'proj-1',
            'protection_plan': {
                'id': 'plan-1', 'name': 'my plan', 'provider_id': PROVIDER,
                'resources': [{'id': 'srv-1', 'type': 'OS::Nova::Server',
                               'name': 'vm', 'extra_info': None}]},
            'extra_info': '{"created_by": "manual"}',
            'created_at': '2024-03-05',
            'timestamp': ts,
        }, index)
        index_value = self.bank.get_object(
            '/indices/by-provider/%s/proj-1/%d@cp1' % (PROVIDER, ts))
        self.assertEqual('cp1', index_value)
        self.assertEqual('2024-03-05', cp.created_at)
        self.assertEqual(ts, cp.timestamp)

    @ddt.data((None, None), ('{"a": 1}', '{"a": 1}'),
              ({'a': 1}, '{"a": 1}'))
    @ddt.unpack
    def test_extra_info_is_json_text(self, given, stored):
        cp = self.collection.create(FakePlan(), {'extra_info': given})
        self.assertEqual(stored, cp.extra_info)
        self.assertEqual(stored, self.collection.get(cp.id).extra_info)

    def test_defaults_and_status(self):
        cp = self.collection.create(FakePlan())
        self.assertTrue(cp.id)
        self.assertEqual('protecting', cp.status)
        self.assertIsNone(cp.extra_info)
        self.assertIsNone(cp.resource_graph)
        cp2 = self.collection.create(FakePlan(), {'status': 'wait_copying'})
        self.assertEqual('wait_copying', cp2.status)

    def test_plan_as_dict(self):
        plan = {'id': 'p', 'name': 'n', 'provider_id': PROVIDER,
                'project_id': 'x', 'resources': []}
        cp = self.collection.create(plan)
        self.assertEqual('x', cp.project_id)
        self.assertEqual('p', cp.protection_plan['id'])


class CheckpointTest(CheckpointTestBase):

    def setUp(self):
        super().setUp()
        self.cp = self.collection.create(FakePlan(), {'id': 'cp1'})

    def test_get_missing(self):
        for cid in ('nope', '', None, '../x', 'a/b'):
            self.assertRaises(exception.CheckpointNotFound,
                              self.collection.get, cid)

    def test_corrupted_index(self):
        self.bank.update_object('/checkpoints/bad/index.json',
                                {'version': '0.1'})
        self.assertRaises(exception.CheckpointCorrupted,
                          self.collection.get, 'bad')
        self.bank.update_object('/checkpoints/bad/index.json', 'text')
        self.assertRaises(exception.CheckpointCorrupted,
                          self.collection.get, 'bad')

    def test_commit_and_reload(self):
        self.cp.status = 'available'
        other = self.collection.get('cp1')
        self.assertEqual('protecting', other.status)
        self.cp.commit()
        self.assertEqual('protecting', other.status)
        other.reload()
        self.assertEqual('available', other.status)

    def test_resource_graph(self):
        server = resource.Resource('OS::Nova::Server', 'srv-1', 'vm')
        volume = resource.Resource('OS::Cinder::Volume', 'v', 'vol')
        roots = graph.build_graph(
            [server], lambda r: [volume] if r == server else [])
        self.cp.resource_graph = roots
        self.cp.commit()
        loaded = self.collection.get('cp1')
        self.assertEqual(roots, loaded.resource_graph)
        self.assertIsInstance(loaded.metadata['resource_graph'], str)
        self.assertEqual(graph.serialize_resource_graph(roots),
                         loaded.to_dict()['resource_graph'])
        loaded.resource_graph = None
        self.assertNotIn('resource_graph', loaded.metadata)

    def test_upstream_copy_extra_info_object_is_normalised(self):
        index = self.cp.metadata
        index['extra_info'] = {}
        self.bank.update_object('/checkpoints/cp1/index.json', index)
        self.assertEqual('{}', self.collection.get('cp1').extra_info)

    def test_update_extra_info(self):
        self.cp.update_extra_info({'copy_status': 'finished'})
        self.assertEqual({'copy_status': 'finished'},
                         json.loads(self.cp.extra_info))
        self.cp.extra_info = '{"created_by": "manual"}'
        self.cp.update_extra_info({'a': 1})
        self.cp.commit()
        self.assertEqual({'created_by': 'manual', 'a': 1},
                         json.loads(self.collection.get('cp1').extra_info))

    def test_metadata_is_a_copy(self):
        self.cp.metadata['status'] = 'changed'
        self.cp.metadata['protection_plan']['name'] = 'changed'
        self.assertEqual('protecting', self.cp.status)
        self.assertEqual('my plan', self.cp.protection_plan['name'])

    def test_properties(self):
        self.assertEqual('cp1', self.cp.id)
        self.assertEqual(PROVIDER, self.cp.provider_id)
        self.assertEqual('proj-1', self.cp.project_id)
        self.assertEqual(self.fs.get_owner_id(), self.cp.owner_id)

    def test_to_dict(self):
        view = self.cp.to_dict()
        self.assertEqual({'id', 'project_id', 'status', 'protection_plan',
                          'resource_graph', 'created_at', 'extra_info'},
                         set(view))
        self.assertEqual('null', view['resource_graph'])
        self.assertIsNone(json.loads(view['resource_graph']))
        self.assertEqual('cp1', view['id'])
        self.assertEqual('plan-1', view['protection_plan']['id'])
        self.assertEqual(PROVIDER, view['protection_plan']['provider_id'])
        self.assertEqual(self.cp.created_at, view['created_at'])

    def test_resource_bank_section(self):
        section = self.cp.get_resource_bank_section('srv-1')
        self.assertTrue(section.is_writable())
        section.update_object('metadata', {'backup_id': 'b'})
        self.assertEqual(
            {'backup_id': 'b'},
            self.bank.get_object(
                '/checkpoints/cp1/resource-data/srv-1/metadata'))

    def test_delete_keeps_index_json(self):
        self.cp.delete()
        self.assertEqual(['/checkpoints/cp1/index.json'], self._all_keys())
        self.assertEqual(constants.CHECKPOINT_STATUS_DELETED,
                         self.collection.get('cp1').status)
        self.assertEqual([], self.collection.list_ids(PROVIDER, 'proj-1'))

    def _leftover(self):
        """A temporary file a write killed half way left in cp1's data."""
        path = os.path.join(self.bank_dir, 'karbor', 'checkpoints', 'cp1',
                            'resource-data', 'srv-1', 'data_000001#tmp-1-2')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(b'half')
        return path

    def test_delete_removes_what_interrupted_writes_left(self):
        leftover = self._leftover()
        index_leftover = os.path.join(self.bank_dir, 'karbor', 'checkpoints',
                                      'cp1', 'index.json#tmp-1-3')
        open(index_leftover, 'w').close()
        self.cp.delete()
        self.assertFalse(os.path.exists(index_leftover))
        self.assertFalse(os.path.exists(leftover))
        self.assertFalse(os.path.exists(os.path.dirname(leftover)))
        self.assertEqual(['/checkpoints/cp1/index.json'], self._all_keys())

    def test_delete_goes_on_when_leftovers_cannot_be_removed(self):
        with mock.patch.object(self.fs, 'delete_leftovers', autospec=True,
                               side_effect=OSError('read-only')):
            self.cp.delete()
        self.assertEqual(constants.CHECKPOINT_STATUS_DELETED,
                         self.collection.get('cp1').status)

    def test_purge_removes_everything(self):
        self.cp.get_resource_bank_section('srv-1').update_object('a', 'b')
        self.cp.get_resource_bank_section('vol').update_object('c/d', 'e')
        self._leftover()
        other = self.collection.create(FakePlan(), {'id': 'cp2'})
        self.cp.purge()
        self.assertRaises(exception.CheckpointNotFound,
                          self.collection.get, 'cp1')
        self.assertTrue(all('cp1' not in k for k in self._all_keys()))
        self.assertEqual(['cp2'], self.collection.list_ids(PROVIDER,
                                                           'proj-1'))
        self.assertFalse(os.path.exists(os.path.join(
            self.bank_dir, 'karbor', 'checkpoints', 'cp1')))
        self.assertEqual('protecting', other.status)

    def test_purge_after_delete(self):
        self.cp.delete()
        self.cp.purge()
        self.assertEqual([], self._all_keys())


@ddt.ddt
class ListIdsTest(CheckpointTestBase):

    def setUp(self):
        super().setUp()
        base_time = datetime.datetime(2024, 1, 1, 12, 0, 0)
        self.ids = []
        # Ten checkpoints a day apart in proj-1 (plan-1 and plan-2
        # alternating), and three in proj-2.
        for i in range(10):
            plan = FakePlan(plan_id='plan-%d' % (i % 2 + 1))
            with self._frozen(base_time + datetime.timedelta(days=i)):
                self.ids.append(self.collection.create(
                    plan, {'id': 'cp%02d' % i}).id)
        self.other_ids = []
        for i in range(3):
            with self._frozen(base_time + datetime.timedelta(days=i,
                                                             hours=1)):
                self.other_ids.append(self.collection.create(
                    FakePlan(project_id='proj-2'),
                    {'id': 'other%d' % i}).id)
        self.plugin.gets[:] = []

    def _list(self, **kwargs):
        kwargs.setdefault('project_id', 'proj-1')
        return self.collection.list_ids(PROVIDER, **kwargs)

    def test_newest_first_by_default(self):
        self.assertEqual(self.ids[::-1], self._list())
        self.assertEqual(self.ids[::-1], self._list(sort_dir=None))
        self.assertEqual(self.ids, self._list(sort_dir='asc'))
        self.assertEqual([], self.plugin.gets)

    def test_bad_sort_dir(self):
        self.assertRaises(exception.InvalidInput, self._list,
                          sort_dir='up')

    def test_paging_reads_only_the_marker(self):
        page1 = self._list(limit=4)
        self.assertEqual(self.ids[9:5:-1], page1)
        self.assertEqual([], self.plugin.gets)
        page2 = self._list(limit=4, marker=page1[-1])
        self.assertEqual(self.ids[5:1:-1], page2)
        self.assertEqual(['/checkpoints/cp06/index.json'], self.plugin.gets)
        page3 = self._list(limit=4, marker=page2[-1])
        self.assertEqual(self.ids[1::-1], page3)
        self.assertEqual([], self._list(limit=4, marker=page3[-1]))
        self.assertEqual(self.ids[4:],
                         self._list(sort_dir='asc', marker='cp03'))
        self.assertEqual(4, len(self.plugin.gets))

    def test_unknown_marker(self):
        self.assertRaises(exception.InvalidInput, self._list,
                          marker='missing')

    def test_zero_limit(self):
        self.assertEqual([], self._list(limit=0))

    def test_project_scoping_and_provider(self):
        self.assertEqual(self.other_ids[::-1],
                         self._list(project_id='proj-2'))
        self.assertEqual([], self.collection.list_ids('other-provider',
                                                      'proj-1'))

    def test_all_tenants_merges_by_time(self):
        expected = ['cp09', 'cp08', 'cp07', 'cp06', 'cp05', 'cp04', 'cp03',
                    'other2', 'cp02', 'other1', 'cp01', 'other0', 'cp00']
        self.assertEqual(expected, self._list(all_tenants=True))
        self.assertEqual(expected[::-1],
                         self._list(all_tenants=True, sort_dir='asc'))
        self.assertEqual(['cp01', 'other0'],
                         self._list(all_tenants=True, marker='other1',
                                    limit=2))
        self.assertEqual(['/checkpoints/other1/index.json'],
                         self.plugin.gets)

    def test_plan_filter(self):
        plan1 = [cid for i, cid in enumerate(self.ids) if i % 2 == 0]
        self.assertEqual(plan1[::-1], self._list(plan_id='plan-1'))
        self.assertEqual(plan1[3:1:-1],
                         self._list(plan_id='plan-1', marker='cp08',
                                    limit=2))
        self.assertEqual(plan1[1:],
                         self._list(plan_id='plan-1', sort_dir='asc',
                                    marker='cp00'))
        everyone = ['cp08', 'cp06', 'cp04', 'other2', 'cp02', 'other1',
                    'other0', 'cp00']
        self.assertEqual(everyone,
                         self._list(plan_id='plan-1', all_tenants=True))
        self.assertEqual(everyone[3:6],
                         self._list(plan_id='plan-1', all_tenants=True,
                                    marker='cp04', limit=3))

    @ddt.data(
        # start, end, expected indexes (newest first)
        ((2024, 1, 3), (2024, 1, 5), [4, 3, 2]),
        ((2024, 1, 8), None, [9, 8, 7]),
        (None, (2024, 1, 2), [1, 0]),
        ((2024, 1, 4), (2024, 1, 4), [3]),
        ((2025, 1, 1), None, []),
    )
    @ddt.unpack
    def test_dates(self, start, end, expected):
        start = datetime.date(*start) if start else None
        end = datetime.date(*end) if end else None
        want = [self.ids[i] for i in expected]
        self.assertEqual(want, self._list(start_date=start, end_date=end))
        self.assertEqual(want[::-1], self._list(start_date=start,
                                                end_date=end,
                                                sort_dir='asc'))
        self.assertEqual(want[:1], self._list(start_date=start,
                                              end_date=end, limit=1))
        self.assertEqual([], self.plugin.gets)

    def test_datetime_bounds(self):
        self.assertEqual(
            [self.ids[3]],
            self._list(start_date=datetime.datetime(2024, 1, 4, 23, 0),
                       end_date=datetime.datetime(2024, 1, 4, 1, 0)))

    def test_dates_with_plan_and_all_tenants(self):
        self.assertEqual(
            ['other2', 'cp02', 'other1'],
            self._list(plan_id='plan-1', all_tenants=True,
                       start_date=datetime.date(2024, 1, 2),
                       end_date=datetime.date(2024, 1, 3)))

    def test_small_pages_from_the_bank(self):
        entries = list(self.collection._iter_project_entries(
            'by-provider/%s/proj-1/' % PROVIDER, 'desc', None, False,
            page_size=3))
        self.assertEqual(self.ids[::-1], [cid for _ts, cid in entries])


class CreateCopyTest(CheckpointTestBase):

    def setUp(self):
        super().setUp()
        self.dest_dir = os.path.join(self.state_path, 'dest')
        self.dest_plugin = file_system_bank_plugin.FileSystemBankPlugin(
            fs_test.make_config(self.state_path, self.dest_dir))
        self.dest = checkpoint.CheckpointCollection(
            bank_plugin.Bank(self.dest_plugin))
        with self._frozen(datetime.datetime(2024, 3, 4, 5, 6, 7)):
            self.source = self.collection.create(
                FakePlan(), {'status': 'available',
                             'extra_info': {'created_by': 'manual'}})
        self.source.resource_graph = graph.build_graph(
            [resource.Resource(type='OS::Nova::Server', id='srv-1',
                               name='vm')], lambda r: [])
        self.source.commit()
        self.source.get_resource_bank_section('srv-1').update_object(
            'metadata', {'a': 1})

    def test_layout_in_the_destination_only(self):
        before = file_trees.read_tree(self.bank_dir)
        with self._frozen(datetime.datetime(2025, 1, 1, 0, 0, 0)):
            copy = self.dest.create_copy(self.source, copy_id='copy-1',
                                         destination='az2',
                                         source_bank='karbor-fs-bank-plugin')
        self.assertEqual(before, file_trees.read_tree(self.bank_dir))
        keys = bank_plugin.Bank(self.dest_plugin).list_objects('/')
        self.assertEqual(sorted([
            '/checkpoints/copy-1/index.json',
            '/indices/by-provider/%s/proj-1/%d@copy-1' % (
                PROVIDER, self.source.timestamp),
            '/indices/by-date/2024-03-04/proj-1/%d@copy-1' % (
                self.source.timestamp),
            '/indices/by-plan/plan-1/proj-1/2024-03-04/%d@copy-1' % (
                self.source.timestamp)]), sorted(keys))
        index = self.dest.get('copy-1').metadata
        source = self.source.metadata
        for key in ('protection_plan', 'resource_graph', 'project_id',
                    'provider_id', 'created_at', 'timestamp', 'version'):
            self.assertEqual(source[key], index[key], key)
        self.assertEqual('wait_copying', index['status'])
        self.assertEqual({'created_by': 'manual',
                          'copy_status': 'wait_copying'},
                         json.loads(index['extra_info']))
        self.assertEqual({'checkpoint_id': self.source.id,
                          'provider_id': PROVIDER,
                          'bank': 'karbor-fs-bank-plugin',
                          'destination': 'az2',
                          'copied_at': '2025-01-01T00:00:00Z'},
                         index['copy_of'])
        self.assertTrue(copy.is_copy)
        self.assertFalse(self.source.is_copy)
        self.assertIsNone(self.source.copy_of)

    def test_generated_id_and_view(self):
        copy = self.dest.create_copy(self.source, destination='az2')
        self.assertNotEqual(self.source.id, copy.id)
        view = copy.to_dict()
        self.assertEqual((self.source.id, 'az2'),
                         (view['copy_of'], view['copy_destination']))
        self.assertNotIn('copy_progress', view)
        copy.copy_progress = {'objects_done': 1, 'objects_total': 2}
        copy.commit()
        self.assertEqual({'objects_done': 1, 'objects_total': 2},
                         self.dest.get(copy.id).to_dict()['copy_progress'])
        for key in ('copy_of', 'copy_destination', 'copy_progress'):
            self.assertNotIn(key, self.source.to_dict())

    def test_set_copy_status_keeps_other_keys(self):
        copy = self.dest.create_copy(self.source, destination='az2')
        copy.set_copy_status('finished')
        copy.commit()
        self.assertEqual({'created_by': 'manual', 'copy_status': 'finished'},
                         json.loads(self.dest.get(copy.id).extra_info))


class IterEntriesTest(CheckpointTestBase):

    def test_foreign_marker_position(self):
        base_time = datetime.datetime(2024, 1, 1)
        for i in range(4):
            with self._frozen(base_time + datetime.timedelta(days=i)):
                self.collection.create(FakePlan(), {'id': 'cp%d' % i})
        # A position between cp1 and cp2, of a checkpoint of another bank.
        ts = int((base_time + datetime.timedelta(days=1, hours=1)).replace(
            tzinfo=datetime.timezone.utc).timestamp())
        marker = (ts, 'elsewhere', '2024-01-02')
        for plan_id in (None, 'plan-1'):
            self.assertEqual(
                ['cp1', 'cp0'],
                [e[1] for e in self.collection.iter_entries(
                    PROVIDER, project_id='proj-1', plan_id=plan_id,
                    marker_entry=marker)])
            self.assertEqual(
                ['cp2', 'cp3'],
                [e[1] for e in self.collection.iter_entries(
                    PROVIDER, project_id='proj-1', plan_id=plan_id,
                    marker_entry=marker, sort_dir='asc')])
        self.assertEqual(
            ['cp1', 'cp0'],
            [e[1] for e in self.collection.iter_entries(
                PROVIDER, all_tenants=True, marker_entry=marker)])
