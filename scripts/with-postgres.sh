#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 server and LUCID_TEST_PG_URL pointing at it.
# The server lives in a temporary folder (initdb, trust auth, 127.0.0.1, a free port) and is stopped when the
# command ends, also when it fails. If LUCID_TEST_PG_URL is already set, that server is used instead.
# Fails (never skips) when PostgreSQL cannot be started.
set -euo pipefail
if [ -n "${LUCID_TEST_PG_URL:-}" ]; then
  exec "$@"
fi
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: no PostgreSQL 15 server in $PGBIN (apt-get install postgresql-15)" >&2
  exit 1
fi
# Outside the checkout: the postgres user must be able to reach it, whatever the checkout's permissions.
base=$(mktemp -d "${TMPDIR:-/tmp}/lucid-pg.XXXXXX")
chmod 755 "$base"
mkdir -p "$base/data" "$base/sock"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$base"; fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
       || echo $((20000 + RANDOM % 20000)))
stop() {
  as_pg "'$PGBIN/pg_ctl' -D '$base/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$base"
}
trap stop EXIT
as_pg "'$PGBIN/initdb' -D '$base/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$base/initdb.log" 2>&1 \
  || { cat "$base/initdb.log" >&2; echo "with-postgres: initdb failed" >&2; exit 1; }
as_pg "'$PGBIN/pg_ctl' -D '$base/data' -l '$base/server.log' -o \"-h 127.0.0.1 -p $port -k '$base/sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" -w start" >/dev/null \
  || { cat "$base/server.log" >&2; echo "with-postgres: the server did not start" >&2; exit 1; }
export LUCID_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port"
set +e
"$@"
rc=$?
set -e
exit $rc
