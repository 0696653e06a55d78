#!/bin/bash
# Start a throwaway Keystone for the tests, in its own directory BASE, and
# print BASE. Keystone (tools/keystone-requirements.txt: keystone 30.0.0
# from PyPI, gunicorn) runs from the virtualenv VENV, default .tox/keystone
# in this tree, which is created, or re-created when that list changes;
# pip's cache makes that quick after the first time. Identity API:
# http://127.0.0.1:$PORT/v3 (also written to BASE/auth_url); SQLite in
# BASE, fernet tokens, one gunicorn worker with 4 threads; keep PORT below
# 32768, out of the kernel's ephemeral port range.
#
# Accounts, all in the Default domain (passwords from the environment):
#   admin  / $ADMIN_PW  (admin-pw)  role admin on project admin
#   karbor / $KARBOR_PW (karbor-pw) role service on project service: the
#            service user keystonemiddleware checks tokens with
#   demo   / $DEMO_PW   (demo-pw)   role member on project demo
# and a service named karbor of type data-protect, with no endpoint (tests
# add their own, in a region of their own). Region RegionOne holds the
# identity endpoints.
#
# BASE/down.sh stops exactly what this started and removes BASE (it keeps
# BASE when KEEP_BASE is set; a failed start stops what it started and
# keeps the logs). Nothing under /etc or /var is used.
set -euo pipefail
PORT=${PORT:-16500}
HERE=$(cd "$(dirname "$0")" && pwd)
REQS=$HERE/../keystone-requirements.txt
VENV=${VENV:-$HERE/../../.tox/keystone}
ADMIN_PW=${ADMIN_PW:-admin-pw}
KARBOR_PW=${KARBOR_PW:-karbor-pw}
DEMO_PW=${DEMO_PW:-demo-pw}
BASE=${BASE:-$(mktemp -d)}
URL="http://127.0.0.1:$PORT/v3"
command -v curl >/dev/null || { echo "keystone: curl not found on PATH" >&2; exit 1; }

# A listener already on the port would fool the readiness check.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "keystone: port $PORT on 127.0.0.1 is already in use" >&2
    exit 1
fi

# The virtualenv: one builder at a time (tests may start several
# Keystones at once), re-created when the requirements change.
mkdir -p "$(dirname "$VENV")"
VENV=$(cd "$(dirname "$VENV")" && pwd)/$(basename "$VENV")
want=$(sha256sum "$REQS" | cut -d' ' -f1)
(
    flock -w 600 9 || { echo "keystone: waited too long for $VENV.lock" >&2; exit 1; }
    if [ ! -x "$VENV/bin/gunicorn" ] || [ ! -x "$VENV/bin/keystone-manage" ] ||
       [ "$(cat "$VENV/.requirements-sha" 2>/dev/null)" != "$want" ]; then
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check \
                -r "$REQS" > "$VENV.pip.log" 2>&1; then
            echo "keystone: installing $REQS into $VENV failed:" >&2
            tail -n 20 "$VENV.pip.log" >&2
            rm -rf "$VENV"
            exit 1
        fi
        echo "$want" > "$VENV/.requirements-sha"
    fi
) 9> "$VENV.lock"

mkdir -p "$BASE"/fernet-keys "$BASE"/credential-keys "$BASE"/log
cat > "$BASE/keystone.conf" <<CONF
[DEFAULT]
log_file = $BASE/log/keystone.log
[database]
connection = sqlite:///$BASE/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $BASE/fernet-keys
[credential]
key_repository = $BASE/credential-keys
[identity]
# Cheap password hashes: throwaway accounts, and each costs a test time.
password_hash_rounds = 4
[cache]
# In-process cache (one worker): without it every authenticated request
# costs hundreds of SQL queries, 0.4 s here, and a token check 1 s.
enabled = true
backend = dogpile.cache.memory
CONF
echo "$URL" > "$BASE/auth_url"

cat > "$BASE/down.sh" <<DOWN
#!/bin/bash
# Stop the Keystone started by keystone-up.sh in $BASE and remove $BASE.
PG=\$(cat "$BASE/launcher.pid" 2>/dev/null || true)
if [ -n "\$PG" ]; then
    # gunicorn's master leads its own process group (setsid): stop the
    # group, master and worker.
    kill -TERM -- "-\$PG" 2>/dev/null || true
    for _ in \$(seq 1 100); do kill -0 -- "-\$PG" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-\$PG" 2>/dev/null || true
fi
[ -n "\${KEEP_BASE:-}" ] || rm -rf "$BASE"
DOWN
chmod +x "$BASE/down.sh"

failed() {
    echo "keystone: $1; see $BASE/log" >&2
    tail -n 20 "$BASE"/log/*.log >&2 || true
    KEEP_BASE=1 bash "$BASE/down.sh"   # stop what started, keep the logs
    exit 1
}

KM=("$VENV/bin/keystone-manage" --config-file "$BASE/keystone.conf")
U=$(id -un)
G=$(id -gn)
# The key repositories do not need the database: made while db_sync runs.
"${KM[@]}" fernet_setup --keystone-user "$U" --keystone-group "$G" \
    > "$BASE/log/fernet_setup.log" 2>&1 &
fernet=$!
"${KM[@]}" credential_setup --keystone-user "$U" --keystone-group "$G" \
    > "$BASE/log/credential_setup.log" 2>&1 &
credential=$!
"${KM[@]}" db_sync > "$BASE/log/db_sync.log" 2>&1 || failed "db_sync failed"
wait "$fernet" || failed "fernet_setup failed"
wait "$credential" || failed "credential_setup failed"
"${KM[@]}" bootstrap --bootstrap-password "$ADMIN_PW" \
    --bootstrap-username admin --bootstrap-project-name admin \
    --bootstrap-role-name admin --bootstrap-service-name keystone \
    --bootstrap-region-id RegionOne --bootstrap-admin-url "$URL" \
    --bootstrap-public-url "$URL" --bootstrap-internal-url "$URL" \
    > "$BASE/log/bootstrap.log" 2>&1 || failed "bootstrap failed"

# keystone hands sys.argv to oslo.config: hide gunicorn's own arguments.
cat > "$BASE/ks_wsgi.py" <<PY
import sys
sys.argv = sys.argv[:1]
from keystone.wsgi.api import application  # noqa: E402,F401
PY
# setsid: gunicorn's master leads a process group of its own, for down.sh.
# --no-control-socket: gunicorn 27 otherwise shares ~/.gunicorn/gunicorn.ctl
# between every instance of the same user.
cd "$BASE"
OS_KEYSTONE_CONFIG_FILES="$BASE/keystone.conf" setsid nohup \
    "$VENV/bin/gunicorn" -b "127.0.0.1:$PORT" -w 1 --threads 4 \
    --no-control-socket --chdir "$BASE" --pid "$BASE/gunicorn.pid" \
    ks_wsgi:application > "$BASE/log/gunicorn.log" 2>&1 < /dev/null &
echo $! > "$BASE/launcher.pid"
started=
for _ in $(seq 1 150); do   # at most about 30 s
    if curl -sf -m 2 -o /dev/null "$URL"; then started=1; break; fi
    kill -0 "$(cat "$BASE/launcher.pid")" 2>/dev/null || break
    sleep 0.2
done
[ -n "$started" ] || failed "keystone did not start"

# The service user, the demo project and user, the data-protect service.
if ! ADMIN_PW=$ADMIN_PW KARBOR_PW=$KARBOR_PW DEMO_PW=$DEMO_PW URL=$URL \
        "$VENV/bin/python" - > "$BASE/log/accounts.log" 2>&1 <<'PY'
import os

from keystoneauth1.identity import v3
from keystoneauth1 import session
from keystoneclient.v3 import client

auth = v3.Password(auth_url=os.environ['URL'], username='admin',
                   password=os.environ['ADMIN_PW'], project_name='admin',
                   user_domain_id='default', project_domain_id='default')
ks = client.Client(session=session.Session(auth=auth))


def role(name):
    found = ks.roles.list(name=name)
    return found[0] if found else ks.roles.create(name)


def account(project_name, user_name, password, role_name):
    project = ks.projects.create(project_name, 'default')
    user = ks.users.create(user_name, domain='default', password=password,
                           default_project=project)
    ks.roles.grant(role(role_name), user=user, project=project)


account('service', 'karbor', os.environ['KARBOR_PW'], 'service')
account('demo', 'demo', os.environ['DEMO_PW'], 'member')
ks.services.create('karbor', 'data-protect',
                   description='Karbor data protection')
PY
then
    failed "creating the accounts failed"
fi
echo "$BASE"
