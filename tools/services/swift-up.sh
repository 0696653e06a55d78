#!/bin/bash
# Start a throwaway single-node, single-replica Swift for the tests, in its
# own directory BASE, and print BASE. Everything listens on 127.0.0.1 only:
# the proxy on $PORT, the object, container and account servers on
# $PORT+1..$PORT+3 and memcached (tempauth's tokens) on $PORT+4; keep PORT
# below 32760 so that all five stay out of the kernel's ephemeral port
# range. Auth is tempauth: auth URL http://127.0.0.1:$PORT/auth/v1.0, user
# test:tester, key testing (storage URL http://127.0.0.1:$PORT/v1/AUTH_test).
# The swift-*-server found on PATH is used (Debian's packages: swift
# swift-proxy swift-object swift-container swift-account memcached).
# BASE/down.sh stops exactly what this started and removes BASE (it keeps
# BASE when KEEP_BASE is set; a failed start stops what it started and
# keeps the logs). Nothing under /etc or /var is used: every configuration
# file sets swift_dir, so /etc/swift is never read.
set -euo pipefail
PORT=${PORT:-16180}
BASE=${BASE:-$(mktemp -d)}
OBJECT_PORT=$((PORT+1))
CONTAINER_PORT=$((PORT+2))
ACCOUNT_PORT=$((PORT+3))
MEMCACHED_PORT=$((PORT+4))
for tool in swift-proxy-server swift-object-server swift-container-server \
        swift-account-server swift-ring-builder memcached curl; do
    command -v "$tool" >/dev/null || { echo "swift: $tool not found on PATH" >&2; exit 1; }
done
# A listener already on one of the ports would fool the readiness check.
for p in "$PORT" "$OBJECT_PORT" "$CONTAINER_PORT" "$ACCOUNT_PORT" "$MEMCACHED_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        echo "swift: port $p on 127.0.0.1 is already in use" >&2
        exit 1
    fi
done
mkdir -p "$BASE"/etc "$BASE"/node/d1 "$BASE"/run "$BASE"/log
E=$BASE/etc
USER_NAME=$(id -un)

cat > "$E/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = karbor-test-suffix
swift_hash_path_prefix = karbor-test-prefix
[storage-policy:0]
name = Policy-0
default = yes
[swift-constraints]
max_file_size = 5368709122
CONF

backend_conf() {   # name port
    cat <<CONF
[DEFAULT]
swift_dir = $E
devices = $BASE/node
mount_check = false
disable_fallocate = true
bind_ip = 127.0.0.1
bind_port = $2
workers = 0
user = $USER_NAME
log_name = $1
log_level = WARNING
[pipeline:main]
pipeline = $1-server
[app:$1-server]
use = egg:swift#$1
CONF
}
backend_conf object "$OBJECT_PORT" > "$E/object-server.conf"
backend_conf container "$CONTAINER_PORT" > "$E/container-server.conf"
backend_conf account "$ACCOUNT_PORT" > "$E/account-server.conf"

cat > "$E/proxy-server.conf" <<CONF
[DEFAULT]
swift_dir = $E
bind_ip = 127.0.0.1
bind_port = $PORT
workers = 0
user = $USER_NAME
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl tempauth copy slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
allow_account_management = true
account_autocreate = true
[filter:tempauth]
use = egg:swift#tempauth
user_admin_admin = admin .admin .reseller_admin
user_test_tester = testing .admin
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:tempurl]
use = egg:swift#tempurl
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
[filter:symlink]
use = egg:swift#symlink
CONF

# Rings: partition power 8, one replica, one device per server. The three
# are built at once: each swift-ring-builder call takes ~0.4 s of start-up.
build_ring() {   # name port
    cd "$E"
    swift-ring-builder "$1.builder" create 8 1 1 &&
    swift-ring-builder "$1.builder" add "r1z1-127.0.0.1:$2/d1" 1 &&
    # Exit status 1 of rebalance is a warning only.
    { swift-ring-builder "$1.builder" rebalance || [ $? -eq 1 ]; }
}
ring_pids=()
for ring in object:$OBJECT_PORT container:$CONTAINER_PORT account:$ACCOUNT_PORT; do
    build_ring "${ring%%:*}" "${ring##*:}" > "$BASE/log/ring-${ring%%:*}.log" 2>&1 &
    ring_pids+=($!)
done
for pid in "${ring_pids[@]}"; do
    wait "$pid" || { echo "swift: building the rings failed; see $BASE/log/ring-*.log" >&2; exit 1; }
done

cat > "$BASE/down.sh" <<DOWN
#!/bin/bash
# Stop the Swift started by swift-up.sh in $BASE and remove $BASE.
pids=()
for s in proxy account container object memcached; do
    p=\$(cat "$BASE/run/\$s.pid" 2>/dev/null || true)
    [ -n "\$p" ] || continue
    kill -TERM "\$p" 2>/dev/null || true
    pids+=("\$p")
done
for p in "\${pids[@]}"; do
    for _ in \$(seq 1 50); do kill -0 "\$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "\$p" 2>/dev/null || true
done
[ -n "\${KEEP_BASE:-}" ] || rm -rf "$BASE"
DOWN
chmod +x "$BASE/down.sh"

cd "$BASE"
memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 -u "$USER_NAME" \
    > "$BASE/log/memcached.log" 2>&1 < /dev/null &
echo $! > "$BASE/run/memcached.pid"
for s in object container account proxy; do
    nohup "swift-$s-server" "$E/$s-server.conf" > "$BASE/log/$s.log" 2>&1 < /dev/null &
    echo $! > "$BASE/run/$s.pid"
done

ready() {
    for p in "$OBJECT_PORT" "$CONTAINER_PORT" "$ACCOUNT_PORT" "$MEMCACHED_PORT"; do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || return 1
    done
    # The proxy answers its healthcheck before the back ends listen, hence
    # the port checks above.
    curl -sf -m 2 "http://127.0.0.1:$PORT/healthcheck" >/dev/null
}
alive() {
    for s in object container account proxy memcached; do
        kill -0 "$(cat "$BASE/run/$s.pid")" 2>/dev/null || return 1
    done
}
started=
for _ in $(seq 1 150); do   # at most about 30 s
    if ready; then started=1; break; fi
    alive || break
    sleep 0.2
done
if [ -z "$started" ]; then
    echo "swift did not start; see $BASE/log" >&2
    tail -n 5 "$BASE"/log/*.log >&2 || true
    KEEP_BASE=1 bash "$BASE/down.sh"   # stop what started, keep the logs
    exit 1
fi
echo "$BASE"
