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
    # Copies many small objects between file-system banks outside the GIL.
    # Optional: without a C compiler, Python's headers or xxhash.h
    # (libxxhash-dev) the package installs without it and those copies
    # take the slower Python path (see doc/source/contributor/
    # bank-plugin.rst).
    ext_modules=[setuptools.Extension(
        'karbor.services.protection.bank_plugins._fscopy',
        sources=['karbor/services/protection/bank_plugins/_fscopy.c'],
        extra_compile_args=['-O2'],
        optional=True)],
)
