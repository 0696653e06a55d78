#!/bin/bash
# Create (once) a virtualenv holding the unmodified python-karborclient 2.1.0
# and the OpenStack client, apart from Karbor's own libraries.
# Usage: tools/karborclient-venv.sh DIR
set -euo pipefail
dir=${1:?usage: $0 DIR}
here=$(cd "$(dirname "$0")" && pwd)
reqs=$here/karborclient-requirements.txt
stamp=$dir/.requirements-sha
want=$(sha256sum "$reqs" | cut -d' ' -f1)
if [ -x "$dir/bin/openstack" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    exit 0
fi
rm -rf "$dir"
python3 -m venv "$dir"
"$dir/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$reqs"
# setuptools provides pkg_resources, which the old client still imports.
"$dir/bin/pip" install --quiet --disable-pip-version-check "setuptools<81"
echo "$want" > "$stamp"
