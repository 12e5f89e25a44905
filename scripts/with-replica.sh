#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 primary and a hot standby streaming from it, on loopback:
#   LUCID_TEST_PG_PRIMARY_URL, LUCID_TEST_PG_REPLICA_URL   the two servers
#   LUCID_TEST_PG_CTL                                      "$LUCID_TEST_PG_CTL replica stop" and kin (below)
# Both are stopped when the command ends, also when it fails. Fails (never skips) when they cannot be started.
#   scripts/with-replica.sh ctl primary|replica start|stop|kill|promote   (inside such a run) starts, stops
#   (-m fast: a planned switchover, the standby receives every write first; kill: -m immediate) or
#   promotes one of them.
set -euo pipefail
source "$(dirname "$0")/pg-server.sh"
if [ "${1:-}" = ctl ]; then
  : "${LUCID_TEST_PG_BASE:?ctl works inside a with-replica.sh run}"
  data="$LUCID_TEST_PG_BASE/$2"
  port=$(cat "$data.port")
  case "$3" in
    start) pg_start "$data" "$port" "$PG_FAST" ;;
    stop) pg_stop "$data" fast ;;
    kill) pg_stop "$data" immediate ;;  # as after a crash: no goodbye to the clients
    promote) as_pg "'$PGBIN/pg_ctl' -D '$data' -w promote" >/dev/null ;;
    *) echo "with-replica: ctl primary|replica start|stop|kill|promote" >&2; exit 2 ;;
  esac
  exit 0
fi
base=$(pg_base)
stop() {
  pg_stop "$base/replica"
  pg_stop "$base/primary"
  rm -rf "$base"
}
trap stop EXIT
primary_port=$(free_port)
replica_port=$(free_port)
while [ "$replica_port" = "$primary_port" ]; do replica_port=$(free_port); done
echo "$primary_port" >"$base/primary.port"
echo "$replica_port" >"$base/replica.port"
pg_initdb "$base/primary"
# initdb's pg_hba.conf already trusts replication connections from 127.0.0.1
pg_start "$base/primary" "$primary_port" "$PG_FAST -c wal_level=replica -c max_wal_senders=4"
as_pg "'$PGBIN/pg_basebackup' -h 127.0.0.1 -p $primary_port -U postgres -D '$base/replica' -R -X stream" >"$base/basebackup.log" 2>&1 \
  || { cat "$base/basebackup.log" >&2; echo "with-replica: pg_basebackup failed" >&2; exit 1; }
pg_start "$base/replica" "$replica_port" "$PG_FAST -c hot_standby=on"
# wait until the standby streams (not just replays what the backup brought)
for _ in $(seq 100); do
  state=$(as_pg "'$PGBIN/psql' -h 127.0.0.1 -p $primary_port -U postgres -Atc \"select state from pg_stat_replication\"" 2>/dev/null || true)
  [ "$state" = streaming ] && break
  sleep 0.1
done
[ "$state" = streaming ] || { cat "$base/replica.log" >&2; echo "with-replica: the standby does not stream" >&2; exit 1; }
export LUCID_TEST_PG_BASE="$base"
export LUCID_TEST_PG_PRIMARY_URL="postgres://postgres@127.0.0.1:$primary_port/postgres"
export LUCID_TEST_PG_REPLICA_URL="postgres://postgres@127.0.0.1:$replica_port/postgres"
export LUCID_TEST_PG_CTL="$(cd "$(dirname "$0")" && pwd)/with-replica.sh ctl"
echo "with-replica: primary on 127.0.0.1:$primary_port, hot standby on 127.0.0.1:$replica_port"
set +e
"$@"
rc=$?
set -e
exit $rc
