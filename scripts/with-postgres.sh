#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 server and LUCID_TEST_PG_URL pointing at it.
# The server lives in a temporary folder (initdb, trust auth, 127.0.0.1, a free port) and is stopped when the
# command ends, also when it fails. If LUCID_TEST_PG_URL is already set, that server is used instead.
# Fails (never skips) when PostgreSQL cannot be started.
set -euo pipefail
if [ -n "${LUCID_TEST_PG_URL:-}" ]; then
  exec "$@"
fi
source "$(dirname "$0")/pg-server.sh"
base=$(pg_base)
port=$(free_port)
stop() {
  pg_stop "$base/data"
  rm -rf "$base"
}
trap stop EXIT
pg_initdb "$base/data"
pg_start "$base/data" "$port" "$PG_FAST"
export LUCID_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port"
set +e
"$@"
rc=$?
set -e
exit $rc
