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

"""A cap on the C library's malloc arenas, for processes of many threads.

glibc gives each new thread that allocates an arena of its own until there
are eight per core, and memory freed in an arena stays in it for that
arena's next allocations. A Karbor service has many threads, most
short-lived or idle (oslo.messaging's RPC executor alone grows to
``executor_thread_pool_size`` threads, 64 by default, one per request
until then), so its resident memory grew with every arena one of them
touched: measured on karbor-all, 127 MiB after a first copy of 20,000
objects and 205 MiB after 25 rounds of copy and delete, where with two
arenas it stays at about 147. Python's own allocator serves small
objects under the GIL, so threads rarely wait on a shared arena.
"""

import ctypes
import os

# mallopt's parameter number for the arena cap (glibc's malloc.h).
M_ARENA_MAX = -8
ENVIRONMENT_VARIABLE = 'MALLOC_ARENA_MAX'


def _libc():
    return ctypes.CDLL(None)


def limit(count, environ=None, libc=_libc):
    """Cap the process's malloc arenas at ``count``; whether it was set.

    Nothing is done for a ``count`` below 1, when the environment sets
    ``MALLOC_ARENA_MAX`` (glibc then applied it already: the operator's
    choice stands), or where the C library has no ``mallopt`` or does not
    know the parameter (musl). It must run before the process starts
    threads: glibc fixes its cap when a second arena is first needed.
    """
    environ = os.environ if environ is None else environ
    if count < 1 or ENVIRONMENT_VARIABLE in environ:
        return False
    try:
        mallopt = libc().mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(M_ARENA_MAX, count) == 1
