#!/bin/bash
# Start a throwaway MariaDB on 127.0.0.1:$PORT for the tests, in its own
# directory BASE, with a user karbor/karbor allowed to create databases;
# print BASE. BASE/down.sh stops it and removes everything.
set -euo pipefail
PORT=${PORT:-16306}
BASE=${BASE:-$(mktemp -d)}
mkdir -p "$BASE/data"
cat > "$BASE/my.cnf" <<CNF
[mariadbd]
user=mysql
datadir=$BASE/data
socket=$BASE/mysql.sock
pid-file=$BASE/mysqld.pid
log-error=$BASE/error.log
port=$PORT
bind-address=127.0.0.1
skip-name-resolve
innodb_buffer_pool_size=64M
innodb_flush_log_at_trx_commit=0
innodb_doublewrite=0
character-set-server=utf8mb4
[client]
socket=$BASE/mysql.sock
CNF
chown -R mysql:mysql "$BASE"
mariadb-install-db --defaults-file="$BASE/my.cnf" \
    --auth-root-authentication-method=socket --skip-test-db > "$BASE/install.log" 2>&1
nohup mariadbd --defaults-file="$BASE/my.cnf" >> "$BASE/error.log" 2>&1 &
echo $! > "$BASE/launcher.pid"
printf 'mariadb-admin --defaults-file=%s -uroot shutdown || kill %s; rm -rf %s\n' \
    "$BASE/my.cnf" "$(cat "$BASE/launcher.pid")" "$BASE" > "$BASE/down.sh"
for i in $(seq 1 150); do
    if mariadb-admin --defaults-file="$BASE/my.cnf" -uroot ping >/dev/null 2>&1; then
        mariadb --defaults-file="$BASE/my.cnf" -uroot -e \
            "CREATE USER 'karbor'@'127.0.0.1' IDENTIFIED BY 'karbor';
             GRANT ALL ON *.* TO 'karbor'@'127.0.0.1';"
        echo "$BASE"
        exit 0
    fi
    sleep 0.2
done
echo "mariadb did not start; see $BASE/error.log" >&2
exit 1
