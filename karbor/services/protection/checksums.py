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

"""The checksums bank objects are verified with.

Copies are verified by comparing a digest of what was read from the source
with a digest of what the destination holds. Which algorithm depends on
the destination:

* ``md5`` where the back-end keeps one per object (S3 and Swift compute
  it over the bytes they received and check it on upload), so the
  destination's digest costs a HEAD request and is independent of the
  copier's own buffers.
* ``xxh3_128`` everywhere else (a file system, where the digest of what
  is stored can only be had by reading it back): XXH3, 128 bits, the
  transfer checksum rsync uses since 3.2. It detects accidental damage
  (it is not meant to resist a forger, who could write the bank anyway)
  at several GB/s per core, where MD5 runs at about 500 MB/s.

``sha256`` is accepted as well, for plugins that store one.
"""

import hashlib

import xxhash

MD5 = 'md5'
XXH3_128 = 'xxh3_128'
SHA256 = 'sha256'

# The algorithm of copies to a bank that keeps no checksum of its own.
DEFAULT = XXH3_128

_FACTORIES = {
    MD5: lambda: hashlib.md5(usedforsecurity=False),
    XXH3_128: xxhash.xxh3_128,
    SHA256: hashlib.sha256,
}

ALGORITHMS = tuple(sorted(_FACTORIES))


def new(algorithm):
    """Return a new hash object of ``algorithm``.

    The object has ``update(bytes)`` and ``hexdigest()``; both release the
    GIL on large buffers, so hashing runs in parallel on worker threads.

    :raises ValueError: for an algorithm not in :data:`ALGORITHMS`.
    """
    try:
        factory = _FACTORIES[algorithm]
    except KeyError:
        raise ValueError('unknown checksum algorithm %r (known: %s)'
                         % (algorithm, ', '.join(ALGORITHMS)))
    return factory()


def of_chunks(chunks, algorithm):
    """Return ``(size, hex digest)`` of an iterable of bytes chunks."""
    digest = new(algorithm)
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()
