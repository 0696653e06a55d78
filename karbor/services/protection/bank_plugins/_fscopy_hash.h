/*
 * Licensed under the Apache License, Version 2.0 (the "License"); you may
 * not use this file except in compliance with the License. You may obtain
 * a copy of the License at
 *
 *      http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 * WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
 * License for the specific language governing permissions and limitations
 * under the License.
 *
 * What _fscopy_avx2.c gives _fscopy.c (include after xxhash.h).
 */

#ifndef KARBOR_FSCOPY_HASH_H
#define KARBOR_FSCOPY_HASH_H

#if defined(__x86_64__) && defined(__GNUC__)
#define KARBOR_HAVE_AVX2_HASH 1
__attribute__((visibility("hidden")))
XXH128_hash_t karbor_xxh3_128_avx2(const void *data, size_t length);
#endif

#endif
