#!/bin/bash
# Create (once) a virtualenv holding the unmodified python-karborclient 2.1.0
# and the OpenStack client, apart from Karbor's own libraries, plus this
# tree's checkpoint copy command (contrib/karbor-copy-client), installed
# without dependencies beside the client.
# Usage: tools/karborclient-venv.sh DIR
set -euo pipefail
dir=${1:?usage: $0 DIR}
here=$(cd "$(dirname "$0")" && pwd)
reqs=$here/karborclient-requirements.txt
copy_client=$here/../contrib/karbor-copy-client
stamp=$dir/.requirements-sha
copy_stamp=$dir/.copy-client-sha
want=$(sha256sum "$reqs" | cut -d' ' -f1)
if [ ! -x "$dir/bin/openstack" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$reqs"
    # setuptools provides pkg_resources, which the old client still imports.
    "$dir/bin/pip" install --quiet --disable-pip-version-check "setuptools<81"
    echo "$want" > "$stamp"
fi

# The copy command: reinstalled whenever its sources change. It is built
# from a copy so that no build/ or *.egg-info is left in the tree.
copy_want=$(cd "$copy_client" && find . -type f \( -name '*.py' -o -name '*.cfg' -o -name '*.rst' \) \
    -not -path '*/build/*' -not -path '*.egg-info*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ "$(cat "$copy_stamp" 2>/dev/null)" != "$copy_want" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp -r "$copy_client" "$work/src"
    "$dir/bin/pip" install --quiet --disable-pip-version-check --no-deps \
        --force-reinstall "$work/src"
    echo "$copy_want" > "$copy_stamp"
fi
