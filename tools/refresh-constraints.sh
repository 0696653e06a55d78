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

# Rebuild upper-constraints.txt from a fresh resolution of the runtime, test
# and docs requirements, in a throw-away virtualenv.
#
# Usage: tools/refresh-constraints.sh [python interpreter]   (default python3.11)
# The result is meant to be reviewed like any other change: run the unit
# tests with it before proposing it.

set -eu

python=${1:-python3.11}
root=$(cd "$(dirname "$0")/.." && pwd)
output="$root/upper-constraints.txt"
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

"$python" -m venv "$workdir/venv"
pip="$workdir/venv/bin/pip"
"$pip" install --quiet --upgrade pip
"$pip" install --quiet \
    -r "$root/requirements.txt" \
    -r "$root/test-requirements.txt" \
    -r "$root/doc/requirements.txt"

pyver=$("$workdir/venv/bin/python" -c \
    'import sys; print("%d.%d" % sys.version_info[:2])')
{
    echo "# Known-good versions for tests and CI, resolved on Python" \
         "$pyver on $(date -u +%Y-%m-%d)."
    echo "# tox applies them with -c; refresh with" \
         "tools/refresh-constraints.sh."
    # Our own package and the installer tool chain are not constrained.
    "$pip" freeze --all --exclude-editable \
        | grep -viE '^(karbor|pip|setuptools|wheel)==' \
        | LC_ALL=C sort -f -t= -k1,1
} > "$workdir/constraints.txt"
mv "$workdir/constraints.txt" "$output"
echo "Wrote $output"
