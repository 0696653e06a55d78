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

"""Tests of the copy progress aggregator."""

import threading
from unittest import mock

from karbor.services.protection.flows import copy_progress
from karbor.tests import base


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class CopyProgressTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.log = mock.Mock()
        self.copy = mock.Mock()
        self.flushed = []
        self.clock = Clock()
        self.progress = copy_progress.CopyProgress(
            checkpoint_copy=self.copy, operation_log=self.log,
            on_flush=self.flushed.append, interval=1.0, clock=self.clock)

    def test_sums_resources_and_ignores_other_keys(self):
        self.progress.update('a', {'objects_total': 2, 'objects_done': 1,
                                   'bytes_total': 10, 'bytes_done': 5,
                                   'objects_skipped': 7})
        self.progress.update('b', {'objects_total': 3, 'bytes_total': 30})
        self.progress.update('a', {'objects_total': 2, 'objects_done': 2,
                                   'bytes_total': 10, 'bytes_done': 10})
        self.assertEqual({'objects_total': 5, 'objects_done': 2,
                          'bytes_total': 40, 'bytes_done': 10},
                         self.progress.totals())

    def test_accepts_objects_with_attributes(self):
        stats = mock.Mock(objects_total=4, objects_done=3, bytes_total=8,
                          bytes_done=6)
        self.progress.update('a', stats)
        self.assertEqual(3, self.progress.totals()['objects_done'])

    def test_writes_at_most_once_per_interval(self):
        self.progress.update('a', {'objects_total': 3, 'objects_done': 1})
        self.assertEqual(1, self.log.set_progress.call_count)
        self.progress.update('a', {'objects_total': 3, 'objects_done': 2})
        self.assertEqual(1, self.log.set_progress.call_count)
        self.clock.now += 1.0
        self.progress.update('a', {'objects_total': 3, 'objects_done': 3})
        self.assertEqual(2, self.log.set_progress.call_count)
        self.log.set_progress.assert_called_with(
            objects_total=3, objects_done=3, bytes_total=0, bytes_done=0)
        self.assertEqual(2, self.copy.commit.call_count)
        self.assertEqual({'objects_total': 3, 'objects_done': 3,
                          'bytes_total': 0, 'bytes_done': 0},
                         self.copy.copy_progress)
        # Nothing new: the same values are not written again.
        self.clock.now += 1.0
        self.progress.update('a', {'objects_total': 3, 'objects_done': 3})
        self.assertEqual(2, self.log.set_progress.call_count)
        self.assertEqual(2, len(self.flushed))

    def test_values_not_yet_written_are_in_the_totals(self):
        self.progress.update('a', {'objects_done': 1})
        self.progress.update('a', {'objects_done': 2})
        self.assertEqual(1, self.flushed[-1]['objects_done'])
        self.assertEqual(2, self.progress.totals()['objects_done'])

    def test_a_failing_write_does_not_raise(self):
        self.log.set_progress.side_effect = RuntimeError('db down')
        self.progress.update('a', {'objects_done': 1})
        self.assertEqual([], self.flushed)

    def test_verified_sections(self):
        self.assertEqual(frozenset(), self.progress.verified_sections())
        self.progress.section_verified('a')
        self.progress.section_verified('b')
        self.progress.section_verified('a')
        self.assertEqual({'a', 'b'}, self.progress.verified_sections())

    def test_threads(self):
        progress = copy_progress.CopyProgress(interval=0)

        def report(name):
            for i in range(1, 201):
                progress.update(name, {'objects_done': i, 'bytes_done': i})

        threads = [threading.Thread(target=report, args=('r%d' % n,))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(800, progress.totals()['objects_done'])
