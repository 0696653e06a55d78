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

"""Tests of karbor.common.malloc_arenas."""

import os
import platform
import subprocess
import sys
import textwrap
import unittest

from karbor.common import malloc_arenas
from karbor.tests import base


class _FakeMallopt:
    """Stands for a ctypes function: records calls, takes argtypes."""

    def __init__(self, result):
        self.calls = []
        self._result = result

    def __call__(self, parameter, value):
        self.calls.append((parameter, value))
        return self._result


class _FakeLibc:
    def __init__(self, result=1):
        self.mallopt = _FakeMallopt(result)

    @property
    def calls(self):
        return self.mallopt.calls


class LimitTest(base.TestCase):

    def test_sets_the_arena_cap(self):
        libc = _FakeLibc()
        self.assertTrue(malloc_arenas.limit(3, environ={},
                                            libc=lambda: libc))
        self.assertEqual([(malloc_arenas.M_ARENA_MAX, 3)], libc.calls)

    def test_a_library_refusing_the_parameter(self):
        libc = _FakeLibc(result=0)
        self.assertFalse(malloc_arenas.limit(3, environ={},
                                             libc=lambda: libc))

    def test_zero_keeps_the_default(self):
        libc = _FakeLibc()
        self.assertFalse(malloc_arenas.limit(0, environ={},
                                             libc=lambda: libc))
        self.assertEqual([], libc.calls)

    def test_the_environment_variable_wins(self):
        libc = _FakeLibc()
        self.assertFalse(malloc_arenas.limit(
            2, environ={'MALLOC_ARENA_MAX': '8'}, libc=lambda: libc))
        self.assertEqual([], libc.calls)

    def test_no_mallopt(self):
        self.assertFalse(malloc_arenas.limit(2, environ={},
                                             libc=lambda: object()))

    def test_no_c_library(self):
        def missing():
            raise OSError('no such library')
        self.assertFalse(malloc_arenas.limit(2, environ={}, libc=missing))


# Six threads alive at once, each allocating outside Python's small-object
# allocator; then glibc's malloc_stats() lists one "Arena N:" per arena on
# stderr.
_COUNT_ARENAS = textwrap.dedent('''
    import ctypes, sys, threading
    from karbor.common import cli
    cli.parse_args(sys.argv)
    barrier = threading.Barrier(6)
    kept = []

    def work():
        kept.append(bytearray(4096))
        barrier.wait()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ctypes.CDLL(None).malloc_stats()
''')


@unittest.skipUnless(platform.libc_ver()[0] == 'glibc', 'glibc only')
class ServiceArenasTest(base.TestCase):
    """A console script's threads share the arenas of its option."""

    def _arenas(self, config_text):
        config = os.path.join(self.state_path, 'karbor.conf')
        with open(config, 'w') as f:
            f.write(config_text)
        env = {k: v for k, v in os.environ.items()
               if k != malloc_arenas.ENVIRONMENT_VARIABLE}
        result = subprocess.run(
            [sys.executable, '-c', _COUNT_ARENAS, '--config-file', config],
            env=env, capture_output=True, text=True, timeout=60,
            check=True)
        return sum(1 for line in result.stderr.splitlines()
                   if line.startswith('Arena '))

    def test_default_is_two_arenas(self):
        self.assertEqual(2, self._arenas('[DEFAULT]\n'))

    def test_option_sets_the_cap(self):
        self.assertEqual(1, self._arenas('[DEFAULT]\nmalloc_arena_max = 1\n'))

    def test_zero_leaves_glibc_default(self):
        self.assertGreater(
            self._arenas('[DEFAULT]\nmalloc_arena_max = 0\n'), 2)
