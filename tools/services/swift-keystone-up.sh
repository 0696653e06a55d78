#!/bin/bash
# Start a second Swift proxy server, authenticating with Keystone, in front
# of the Swift that tools/services/swift-up.sh started in SWIFT_BASE, and
# print BASE, this proxy's own directory. It shares that Swift's account,
# container and object servers, rings and memcached; its pipeline has
# keystonemiddleware's authtoken and Swift's keystoneauth instead of
# tempauth. It listens on http://127.0.0.1:$PORT (also written to BASE/url;
# keep PORT below 32768, out of the kernel's ephemeral port range).
#
# Keystone, at the identity v3 URL KS_URL (tools/services/keystone-up.sh
# starts one), gets in its catalog, idempotently, a service of type
# object-store named $SERVICE_NAME (default swift) with one public
# endpoint in region $REGION (default RegionOne):
# http://127.0.0.1:$PORT/v1/AUTH_$(project_id)s. An older public endpoint
# of that service with another URL is replaced. The service's id is
# written to BASE/service_id. Registering needs the admin account
# (admin / $ADMIN_PW, project admin); authtoken checks tokens as the
# service user $SERVICE_USER / $SERVICE_PW in project $SERVICE_PROJECT
# (default keystone-up.sh's karbor / karbor-pw / service). A token with
# role admin or member on a project owns that project's account,
# AUTH_<project id>.
#
# swift-proxy-server runs on the system Python: keystonemiddleware must be
# importable there (Debian's package python3-keystonemiddleware).
#
# BASE/down.sh stops this proxy only (not SWIFT_BASE's servers, not the
# catalog entry) and removes BASE (it keeps BASE when KEEP_BASE is set; a
# failed start stops the proxy and keeps the logs). Nothing under /etc or
# /var is used.
set -euo pipefail
SWIFT_BASE=${SWIFT_BASE:?set SWIFT_BASE to the directory swift-up.sh printed}
KS_URL=${KS_URL:?set KS_URL to the identity v3 URL}
PORT=${PORT:-16185}
BASE=${BASE:-$(mktemp -d)}
ADMIN_PW=${ADMIN_PW:-admin-pw}
SERVICE_USER=${SERVICE_USER:-karbor}
SERVICE_PW=${SERVICE_PW:-karbor-pw}
SERVICE_PROJECT=${SERVICE_PROJECT:-service}
SERVICE_NAME=${SERVICE_NAME:-swift}
REGION=${REGION:-RegionOne}
URL="http://127.0.0.1:$PORT"
E=$SWIFT_BASE/etc

for tool in swift-proxy-server curl; do
    command -v "$tool" >/dev/null || { echo "swift-keystone: $tool not found on PATH" >&2; exit 1; }
done
[ -f "$E/swift.conf" ] && [ -f "$E/proxy-server.conf" ] ||
    { echo "swift-keystone: $SWIFT_BASE is not a directory swift-up.sh made" >&2; exit 1; }
# The Python swift-proxy-server runs on, from its #! line.
PY=$(head -n 1 "$(command -v swift-proxy-server)" | sed -e 's/^#! *//' -e 's/ .*//')
"$PY" -c 'import keystonemiddleware.auth_token' 2>/dev/null || {
    echo "swift-keystone: keystonemiddleware cannot be imported by $PY" \
         "(Debian: apt-get install python3-keystonemiddleware)" >&2
    exit 1
}
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "swift-keystone: port $PORT on 127.0.0.1 is already in use" >&2
    exit 1
fi
mkdir -p "$BASE"/run "$BASE"/log
echo "$URL" > "$BASE/url"
USER_NAME=$(id -un)

# The tempauth proxy's pipeline, with Keystone's two filters in place of
# tempauth. delay_auth_decision lets keystoneauth answer requests without
# a token (tempurl, public containers) itself.
umask 077   # the file holds the service user's password
cat > "$BASE/proxy-server.conf" <<CONF
[DEFAULT]
swift_dir = $E
bind_ip = 127.0.0.1
bind_port = $PORT
workers = 0
user = $USER_NAME
log_name = proxy-keystone
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl authtoken keystoneauth copy slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
allow_account_management = true
account_autocreate = true
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $KS_URL
auth_url = $KS_URL
auth_type = password
username = $SERVICE_USER
password = $SERVICE_PW
project_name = $SERVICE_PROJECT
user_domain_id = default
project_domain_id = default
delay_auth_decision = true
include_service_catalog = false
service_token_roles_required = true
http_connect_timeout = 30
http_request_max_retries = 1
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
reseller_admin_role = ResellerAdmin
CONF
# Every other filter as the tempauth proxy defines it (same memcached).
awk '/^\[/ { keep = ($0 ~ /^\[filter:/ && $0 != "[filter:tempauth]") } keep' \
    "$E/proxy-server.conf" >> "$BASE/proxy-server.conf"
umask 022

cat > "$BASE/down.sh" <<DOWN
#!/bin/bash
# Stop the Swift proxy started by swift-keystone-up.sh in $BASE, remove $BASE.
p=\$(cat "$BASE/run/proxy.pid" 2>/dev/null || true)
if [ -n "\$p" ]; then
    kill -TERM "\$p" 2>/dev/null || true
    for _ in \$(seq 1 50); do kill -0 "\$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "\$p" 2>/dev/null || true
fi
[ -n "\${KEEP_BASE:-}" ] || rm -rf "$BASE"
DOWN
chmod +x "$BASE/down.sh"

failed() {
    echo "swift-keystone: $1; see $BASE/log" >&2
    # Without paste's list of options that are not authtoken's own.
    for log in "$BASE"/log/*.log; do
        echo "==> $log <==" >&2
        grep -v 'is not known to keystonemiddleware' "$log" | tail -n 20 >&2 || true
    done
    KEEP_BASE=1 bash "$BASE/down.sh"   # stop what started, keep the logs
    exit 1
}

cd "$BASE"
nohup swift-proxy-server "$BASE/proxy-server.conf" > "$BASE/log/proxy.log" 2>&1 < /dev/null &
echo $! > "$BASE/run/proxy.pid"

# Meanwhile, the catalog entry, with the identity API over plain HTTP
# (the standard library only: this runs on the system Python).
if ! KS_URL=$KS_URL ADMIN_PW=$ADMIN_PW SERVICE_NAME=$SERVICE_NAME \
        REGION=$REGION ENDPOINT="$URL/v1/AUTH_\$(project_id)s" \
        "$PY" - > "$BASE/service_id" 2> "$BASE/log/catalog.log" <<'PY'
import json
import os
import urllib.parse
import urllib.request

KS = os.environ['KS_URL'].rstrip('/')
NAME = os.environ['SERVICE_NAME']
ENDPOINT = os.environ['ENDPOINT']
REGION = os.environ['REGION']


def call(method, path, body=None, token=None):
    request = urllib.request.Request(
        KS + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={'Content-Type': 'application/json'})
    if token:
        request.add_header('X-Auth-Token', token)
    with urllib.request.urlopen(request, timeout=30) as response:
        data = response.read()
        return response.headers, json.loads(data) if data else None


headers, _ = call('POST', '/auth/tokens', {'auth': {
    'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'domain': {'id': 'default'},
        'password': os.environ['ADMIN_PW']}}},
    'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}})
token = headers['X-Subject-Token']
services = [s for s in call('GET', '/services?type=object-store',
                            token=token)[1]['services']
            if s['name'] == NAME]
if services:
    service = services[0]['id']
else:
    service = call('POST', '/services', {'service': {
        'type': 'object-store', 'name': NAME,
        'description': 'Swift for the tests'}}, token=token)[1]['service']['id']
query = urllib.parse.urlencode({'service_id': service, 'interface': 'public'})
keep = False
for endpoint in call('GET', '/endpoints?' + query,
                     token=token)[1]['endpoints']:
    if endpoint['url'] == ENDPOINT and endpoint['region_id'] == REGION:
        keep = True
    else:
        call('DELETE', '/endpoints/' + endpoint['id'], token=token)
if not keep:
    call('POST', '/endpoints', {'endpoint': {
        'service_id': service, 'interface': 'public', 'region_id': REGION,
        'url': ENDPOINT}}, token=token)
print(service)
PY
then
    failed "registering Swift in Keystone's catalog at $KS_URL failed"
fi

# Ready when a token Keystone issued works: it proves that authtoken can
# check tokens with Keystone and that keystoneauth lets the owner in.
check() {   # -> the HTTP status of a HEAD of the admin project's account
    local headers token project
    headers=$(curl -s -m 10 -D - -o "$BASE/run/token.json" \
        -H 'Content-Type: application/json' -d "{\"auth\": {
            \"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {
                \"name\": \"admin\", \"domain\": {\"id\": \"default\"},
                \"password\": \"$ADMIN_PW\"}}},
            \"scope\": {\"project\": {\"name\": \"admin\",
                                      \"domain\": {\"id\": \"default\"}}}}}" \
        "$KS_URL/auth/tokens") || return 1
    token=$(printf '%s' "$headers" | tr -d '\r' | sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: //p')
    project=$("$PY" -c 'import json, sys; print(json.load(sys.stdin)["token"]["project"]["id"])' \
        < "$BASE/run/token.json") || return 1
    rm -f "$BASE/run/token.json"
    curl -s -m 30 -o /dev/null -w '%{http_code}' -I -H "X-Auth-Token: $token" \
        "$URL/v1/AUTH_$project"
}
started=
for _ in $(seq 1 150); do   # at most about 30 s
    if curl -sf -m 2 -o /dev/null "$URL/healthcheck"; then started=1; break; fi
    kill -0 "$(cat "$BASE/run/proxy.pid")" 2>/dev/null || break
    sleep 0.2
done
[ -n "$started" ] || failed "the proxy did not start"
status=$(check) || status=none
case "$status" in
    2??) ;;
    401) failed "a HEAD of the admin project's account with an admin token got 401: authtoken cannot check tokens as $SERVICE_USER (password? role?)" ;;
    *) failed "a HEAD of the admin project's account with an admin token got $status, not 2xx" ;;
esac
echo "$BASE"
