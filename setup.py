# Copyright 2026 The Karbor Authors.
#
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

import setuptools

setuptools.setup(
    pbr=True,
    # Native helpers of the file-system bank: copies of many small objects
    # and listings of many files, outside the GIL. Optional: without a C
    # compiler, Python's headers or (for the copier) xxhash.h
    # (libxxhash-dev) the package installs without them and the bank
    # takes its slower Python paths (see doc/source/contributor/
    # bank-plugin.rst).
    ext_modules=[
        setuptools.Extension(
            'karbor.services.protection.bank_plugins._fscopy',
            sources=['karbor/services/protection/bank_plugins/_fscopy.c',
                     'karbor/services/protection/bank_plugins/'
                     '_fscopy_avx2.c'],
            depends=['karbor/services/protection/bank_plugins/'
                     '_fscopy_hash.h'],
            extra_compile_args=['-O2'],
            optional=True),
        setuptools.Extension(
            'karbor.services.protection.bank_plugins._fslist',
            sources=['karbor/services/protection/bank_plugins/_fslist.c'],
            extra_compile_args=['-O2'],
            optional=True),
    ],
)
