#!/bin/bash
# Start a throwaway RabbitMQ node for the tests, in its own directory BASE,
# and print BASE. AMQP listens on 127.0.0.1:$PORT, the node's own epmd on
# $PORT+1 and the Erlang distribution on $PORT+2: keep PORT below 32760 so
# that all three stay out of the kernel's ephemeral port range (a client
# socket in TIME-WAIT there once killed a node at boot). A vhost and a user
# are created; the oslo.messaging URL is written to BASE/transport_url:
#   rabbit://$RABBIT_USER:$RABBIT_PASSWORD@127.0.0.1:$PORT/$RABBIT_VHOST
# BASE/down.sh stops exactly what this started and removes BASE (it keeps
# BASE when KEEP_BASE is set; a failed start stops the node and keeps the
# logs). Runs as root or as any user; nothing under /etc or /var is used.
set -euo pipefail
PORT=${PORT:-16072}
EPMD_PORT=${EPMD_PORT:-$((PORT+1))}
DIST_PORT=${DIST_PORT:-$((PORT+2))}
RABBIT_VHOST=${RABBIT_VHOST:-karbor}
RABBIT_USER=${RABBIT_USER:-karbor}
RABBIT_PASSWORD=${RABBIT_PASSWORD:-karbor}
BASE=${BASE:-$(mktemp -d)}
# The packaged /usr/sbin/rabbitmq-server switches to the rabbitmq user and
# logs under /var/log; the real launcher runs as whoever calls it.
SBIN=/usr/lib/rabbitmq/bin
[ -x "$SBIN/rabbitmq-server" ] || { echo "RabbitMQ not found ($SBIN/rabbitmq-server)" >&2; exit 1; }

# A listener already on one of the ports would fool the readiness check
# below, or kill the node at boot: refuse at once.
for p in $PORT $EPMD_PORT $DIST_PORT; do
    if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then
        echo "rabbitmq: port $p on 127.0.0.1 is already in use" >&2
        exit 1
    fi
done
mkdir -p "$BASE"/{mnesia,log,home}
# Own cookie in our own HOME: rabbitmqctl must present the node's cookie.
printf 'karbor%s%s%s' "$PORT" "$RANDOM" "$RANDOM" > "$BASE/home/.erlang.cookie"
chmod 400 "$BASE/home/.erlang.cookie"
cat > "$BASE/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$PORT
loopback_users = none
log.console = false
log.file.level = info
CONF
echo '[].' > "$BASE/enabled_plugins"
cat > "$BASE/env.sh" <<ENV
export HOME=$BASE/home
export RABBITMQ_NODENAME=karbor$PORT@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$PORT
export RABBITMQ_DIST_PORT=$DIST_PORT
export ERL_EPMD_ADDRESS=127.0.0.1
export ERL_EPMD_PORT=$EPMD_PORT
export ERL_CRASH_DUMP=$BASE/log/erl_crash.dump
export RABBITMQ_CONFIG_FILE=$BASE/rabbitmq.conf
export RABBITMQ_ENABLED_PLUGINS_FILE=$BASE/enabled_plugins
export RABBITMQ_MNESIA_BASE=$BASE/mnesia
export RABBITMQ_LOG_BASE=$BASE/log
export RABBITMQ_PID_FILE=$BASE/rabbit.pid
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
ENV
cat > "$BASE/down.sh" <<DOWN
#!/bin/bash
# Stop the node started by rabbitmq-up.sh and remove $BASE.
. "$BASE/env.sh"
timeout 40 $SBIN/rabbitmqctl shutdown --timeout 30 >/dev/null 2>&1 || true
PG=\$(cat "$BASE/launcher.pid" 2>/dev/null || true)
if [ -n "\$PG" ]; then
    # The launcher is a shell script whose child is beam.smp: stop the group.
    kill -TERM -- "-\$PG" 2>/dev/null || true
    for i in \$(seq 1 50); do kill -0 -- "-\$PG" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-\$PG" 2>/dev/null || true
fi
# epmd outlives the node; this one is ours alone (own port).
epmd -port $EPMD_PORT -kill >/dev/null 2>&1 || true
[ -n "\${KEEP_BASE:-}" ] || rm -rf "$BASE"
DOWN
chmod +x "$BASE/down.sh"

. "$BASE/env.sh"
cd "$BASE"
# setsid: the launcher's pid is also its process group id, for down.sh.
setsid nohup "$SBIN/rabbitmq-server" > "$BASE/log/stdout.log" 2>&1 < /dev/null &
echo $! > "$BASE/launcher.pid"
ready=
for i in $(seq 1 240); do   # at most 60 s: the AMQP port opens last in boot
    if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then ready=1; break; fi
    kill -0 "$(cat "$BASE/launcher.pid")" 2>/dev/null || break
    sleep 0.25
done
if [ -z "$ready" ]; then
    echo "rabbitmq did not start; see $BASE/log/stdout.log" >&2
    tail -n 5 "$BASE/log/stdout.log" >&2 || true
    KEEP_BASE=1 bash "$BASE/down.sh"   # stop what started, keep the logs
    exit 1
fi
C=(timeout 60 "$SBIN/rabbitmqctl" -q)
if ! { "${C[@]}" add_vhost "$RABBIT_VHOST" &&
       "${C[@]}" add_user "$RABBIT_USER" "$RABBIT_PASSWORD" &&
       "${C[@]}" set_permissions -p "$RABBIT_VHOST" "$RABBIT_USER" '.*' '.*' '.*'; } \
        > "$BASE/log/rabbitmqctl.log" 2>&1; then
    echo "rabbitmq: creating the vhost and user failed; see $BASE/log/rabbitmqctl.log" >&2
    tail -n 5 "$BASE/log/rabbitmqctl.log" >&2 || true
    KEEP_BASE=1 bash "$BASE/down.sh"
    exit 1
fi
echo "rabbit://$RABBIT_USER:$RABBIT_PASSWORD@127.0.0.1:$PORT/$RABBIT_VHOST" > "$BASE/transport_url"
echo "$BASE"
