#!/usr/bin/env bash
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

# Check that karbor/tests/unit mirrors the source tree (see HACKING.rst).
#
# Every test module karbor/tests/unit/<dir>/test_<name>.py must test one of:
#   karbor/<dir>/<name>.py        a module
#   karbor/<dir>/<name>/          a package (tests of its __init__.py)
#   karbor/tests/<dir>/<name>.py  a shared test helper (e.g. tests/base.py)
# Only files named test_*.py are checked: helpers such as fakes.py or
# fixtures.py may live anywhere in the test tree.
#
# Usage: tools/check_unit_test_structure.sh [repository root]

set -eu

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
unit_dir=karbor/tests/unit

cd "$root"
if [ ! -d "$unit_dir" ]; then
    echo "No $unit_dir under $root" >&2
    exit 2
fi

failures=0
while IFS= read -r test_file; do
    relative=${test_file#"$unit_dir"/}
    dir=$(dirname "$relative")
    name=$(basename "$relative" .py)
    name=${name#test_}
    if [ "$dir" = "." ]; then
        dir=""
    else
        dir="$dir/"
    fi
    if [ -f "karbor/${dir}${name}.py" ] || \
       [ -d "karbor/${dir}${name}" ] || \
       [ -f "karbor/tests/${dir}${name}.py" ]; then
        continue
    fi
    echo "$test_file: no karbor/${dir}${name}.py, karbor/${dir}${name}/" \
         "or karbor/tests/${dir}${name}.py to test" >&2
    failures=$((failures + 1))
done < <(find "$unit_dir" -name 'test_*.py' -type f | sort)

if [ "$failures" -gt 0 ]; then
    echo "$failures unit test module(s) do not mirror the source tree;" \
         "see HACKING.rst" >&2
    exit 1
fi
echo "Unit test tree mirrors the source tree."
