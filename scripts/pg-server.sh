# Pieces for starting throwaway PostgreSQL 15 servers on loopback; sourced by with-postgres.sh and
# with-replica.sh. Servers run as the postgres user when the caller is root (initdb refuses root).
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PGBIN/initdb" ]; then
  echo "$(basename "$0"): no PostgreSQL 15 server in $PGBIN (apt-get install postgresql-15)" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
# A folder outside the checkout: the postgres user must be able to reach it, whatever the checkout's permissions.
pg_base() {
  local base
  base=$(mktemp -d "${TMPDIR:-/tmp}/lucid-pg.XXXXXX")
  chmod 755 "$base"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$base"; fi
  echo "$base"
}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}
# pg_initdb DATA_DIR [initdb options...]: trust auth, UTF-8; its log next to the folder
pg_initdb() {
  local data=$1; shift
  as_pg "'$PGBIN/initdb' -D '$data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 $*" >"$data.initdb.log" 2>&1 \
    || { cat "$data.initdb.log" >&2; echo "$(basename "$0"): initdb failed" >&2; return 1; }
}
# pg_start DATA_DIR PORT [server settings...]: listens on 127.0.0.1 only, its socket and log beside the folder
pg_start() {
  local data=$1 port=$2; shift 2
  as_pg "mkdir -p '$data.sock' && '$PGBIN/pg_ctl' -D '$data' -l '$data.log' -o \"-h 127.0.0.1 -p $port -k '$data.sock' $*\" -w start" >/dev/null \
    || { cat "$data.log" >&2; echo "$(basename "$0"): the server in $data did not start" >&2; return 1; }
}
pg_stop() { as_pg "'$PGBIN/pg_ctl' -D '$1' -m ${2:-immediate} -w stop" >/dev/null 2>&1 || true; }
# Settings that make a test server fast: nothing it holds needs to survive a crash.
PG_FAST="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
