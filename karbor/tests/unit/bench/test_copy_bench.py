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


import os
import subprocess
import time

from karbor.tests import base
from karbor.tests.bench import copy_bench
from karbor.tests.fixtures import file_trees


class VerifiedCopyFloorTest(base.TestCase):
    """The benchmark's floor copies for real, or its timing means nothing."""

    def test_copies_every_file_whole(self):
        source = os.path.join(self.state_path, 'source')
        os.makedirs(os.path.join(source, 'a', 'b'))
        contents = {'empty': b'', 'a/small': b'x' * 100,
                    'a/b/large': os.urandom(2 * copy_bench.MiB + 5)}
        for name, data in contents.items():
            with open(os.path.join(source, name), 'wb') as f:
                f.write(data)
        target = os.path.join(self.state_path, 'target')
        seconds = copy_bench.verified_copy_floor(source, target,
                                                 chunk_size=1024 * 1024)
        self.assertGreater(seconds, 0)
        self.assertEqual(contents, file_trees.read_tree(target))
        # A file already at the target is an error, not overwritten.
        self.assertRaises(FileExistsError, copy_bench.verified_copy_floor,
                          source, target)


class ResidentMemoryTest(base.TestCase):

    def test_sampler_keeps_the_peak(self):
        with copy_bench.RssSampler(os.getpid(), interval=0.001) as rss:
            held = bytearray(64 * copy_bench.MiB)
            held[::4096] = b'x' * len(held[::4096])
            deadline = time.monotonic() + 5
            while (rss.peak_kib < copy_bench._resident_kib(os.getpid())
                   and time.monotonic() < deadline):
                time.sleep(0.01)
            del held
        # The 64 MiB touched were resident at the peak, not any more.
        self.assertGreater(rss.peak_kib,
                           copy_bench._resident_kib(os.getpid()) + 32 * 1024)

    def test_resident_memory_of_a_gone_process(self):
        process = subprocess.Popen(['true'])
        process.wait()
        self.assertRaises(OSError, copy_bench._resident_kib, process.pid)
