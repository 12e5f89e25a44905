#!/usr/bin/env bash
# Runs a command with LUCID_TEST_PG_URL pointing at a PgBouncer in transaction pooling mode (Debian's
# pgbouncer) in front of the PostgreSQL server LUCID_TEST_PG_URL names, with ?pgbouncer=true (unnamed
# statements). Every database of that server is reachable through it (a `*` entry), so each test program
# makes and uses its own database as it does without the pooler. The pooler lives in a temporary folder
# on a free loopback port and is stopped when the command ends. Fails (never skips) when it cannot start.
#   scripts/with-postgres.sh scripts/with-pgbouncer.sh ctest --test-dir build/dev
set -euo pipefail
: "${LUCID_TEST_PG_URL:?with-pgbouncer: set LUCID_TEST_PG_URL (or run under scripts/with-postgres.sh)}"
bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
if [ ! -x "$bin" ]; then
  echo "with-pgbouncer: no pgbouncer (scripts/install-deps.sh --postgres installs it)" >&2
  exit 1
fi
# postgres://user@host:port/db[?query]
rest=${LUCID_TEST_PG_URL#*://}
user=${rest%%@*}
hostport=${rest#*@}; hostport=${hostport%%/*}
host=${hostport%:*}; port=${hostport##*:}
path=${rest#*/}
base=$(mktemp -d "${TMPDIR:-/tmp}/lucid-pgbouncer.XXXXXX")
listen=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat >"$base/pgbouncer.ini" <<INI
[databases]
* = host=$host port=$port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen
unix_socket_dir =
auth_type = trust
auth_file = $base/users.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 1000
logfile = $base/pgbouncer.log
pidfile = $base/pgbouncer.pid
INI
echo "\"$user\" \"\"" >"$base/users.txt"
chmod -R 755 "$base"
# it refuses to run as root: as the postgres user then
as_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$base"; su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
stop() {
  kill "$(cat "$base/pgbouncer.pid" 2>/dev/null)" 2>/dev/null || true
  rm -rf "$base"
}
trap stop EXIT
as_pg "'$bin' -d '$base/pgbouncer.ini'" || { cat "$base/pgbouncer.log" >&2 || true; echo "with-pgbouncer: pgbouncer did not start" >&2; exit 1; }
for _ in $(seq 50); do [ -s "$base/pgbouncer.pid" ] && break; sleep 0.1; done
case "$path" in *\?*) query="&pgbouncer=true" ;; *) query="?pgbouncer=true" ;; esac
export LUCID_TEST_PG_URL="postgres://$user@127.0.0.1:$listen/$path$query"
echo "with-pgbouncer: PgBouncer (pool_mode = transaction) on 127.0.0.1:$listen in front of $host:$port"
set +e
"$@"
rc=$?
set -e
exit $rc
