#!/bin/bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1:$PORT (trust auth) for
# the tests, in its own directory BASE; print BASE. BASE/down.sh stops it and
# removes everything. Runs the server as the 'postgres' user when root.
set -euo pipefail
PORT=${PORT:-16432}
BASE=${BASE:-$(mktemp -d)}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
AS=()
if [ "$(id -u)" = 0 ]; then
    AS=(runuser -u postgres --)
    chown postgres:postgres "$BASE"
fi
chmod 700 "$BASE"
"${AS[@]}" "$BIN/initdb" -D "$BASE/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 -N > "$BASE/initdb.log"
"${AS[@]}" "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $BASE -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start > /dev/null
printf '%s %s -D %s -m fast -w stop >/dev/null; rm -rf %s\n' \
    "${AS[*]}" "$BIN/pg_ctl" "$BASE/data" "$BASE" > "$BASE/down.sh"
echo "$BASE"
