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

"""The checkpoint view."""

import json

from karbor.api.v1.views import checkpoints
from karbor.tests import base

_CHECKPOINT = {
    'id': 'c1', 'project_id': 'p1', 'status': 'available',
    'protection_plan': {'id': 'plan', 'name': 'n', 'provider_id': 'prov',
                        'resources': [], 'secret': 'hidden'},
    'resource_graph': None, 'created_at': '2026-11-26',
    'extra_info': {'created_by': 'manual'}, 'owner_id': 'not shown',
}


class TestCheckpointView(base.TestCase):

    def test_ordinary_checkpoint(self):
        view = checkpoints.detail(dict(_CHECKPOINT))
        self.assertEqual(
            {'id', 'project_id', 'status', 'protection_plan',
             'resource_graph', 'created_at', 'extra_info'}, set(view))
        self.assertNotIn('secret', view['protection_plan'])
        # Never null, never an object: OSC parses both as JSON text.
        self.assertEqual([{}, []], json.loads(view['resource_graph']))
        self.assertEqual({'created_by': 'manual'},
                         json.loads(view['extra_info']))

    def test_copy_shows_its_source_destination_and_progress(self):
        progress = {'bytes_done': 5, 'bytes_total': 10}
        view = checkpoints.detail(dict(
            _CHECKPOINT, copy_of='src', copy_destination='az2',
            copy_progress=progress))
        self.assertEqual('src', view['copy_of'])
        self.assertEqual('az2', view['copy_destination'])
        self.assertEqual(progress, view['copy_progress'])

    def test_source_shows_its_copies(self):
        copies = [{'id': 'c1', 'destination': 'az2', 'status': 'copying'}]
        view = checkpoints.detail(dict(_CHECKPOINT, copies=copies))
        self.assertEqual(copies, view['copies'])
