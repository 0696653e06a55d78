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

"""Tests of the checksum algorithms copies are verified with."""

import hashlib
import threading

import ddt
import xxhash

from karbor.services.protection import checksums
from karbor.tests import base


@ddt.ddt
class ChecksumsTest(base.TestCase):

    @ddt.data(('md5', lambda data: hashlib.md5(data).hexdigest()),
              ('sha256', lambda data: hashlib.sha256(data).hexdigest()),
              ('xxh3_128', lambda data: xxhash.xxh3_128(data).hexdigest()))
    @ddt.unpack
    def test_known_algorithms(self, name, reference):
        chunks = [b'abc', b'', b'x' * 5000]
        self.assertEqual((5003, reference(b''.join(chunks))),
                         checksums.of_chunks(chunks, name))
        self.assertIn(name, checksums.ALGORITHMS)

    def test_default_is_a_known_algorithm(self):
        self.assertIn(checksums.DEFAULT, checksums.ALGORITHMS)

    def test_unknown_algorithm(self):
        exc = self.assertRaises(ValueError, checksums.new, 'crc7')
        self.assertIn('crc7', str(exc))
        self.assertIn('xxh3_128', str(exc))

    def test_default_hashes_in_parallel(self):
        # Copies hash on worker threads: each must get its own state.
        data = [bytes([n]) * 100000 for n in range(4)]
        results = {}

        def work(n):
            results[n] = checksums.of_chunks([data[n]] * 20,
                                             checksums.DEFAULT)[1]
        threads = [threading.Thread(target=work, args=(n,))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(
            {n: xxhash.xxh3_128(data[n] * 20).hexdigest() for n in range(4)},
            results)
