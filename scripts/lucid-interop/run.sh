#!/usr/bin/env bash
# lucid-cpp and the real AdonisJS Lucid (npm @adonisjs/lucid 22.4.2) migrating one PostgreSQL database:
# Lucid's migrator runs the Node service's migration (batch 1); lucid-cpp's migration:status (the C++ service
# tests/interop, through lucid::runCommand) lists it, and its migration:run runs the C++ migration as batch 2;
# Lucid's migrator then lists both and rolls batch 2 back; then lucid-cpp rolls back Lucid's batch and Lucid
# runs both migrations (the C++ one from the Node service's copy of it). Each step's output is printed, and the bookkeeping
# and the tables are checked with psql after each one.
#   scripts/lucid-interop/run.sh     # in database lucid_interop of LUCID_TEST_PG_URL's server (else a throwaway one)
#   env: BUILD_DIR (build/dev), LUCID_PEER_DIR (where Node 24 and node_modules are kept, default
#        ~/.cache/lucid-cpp/lucid-peer), LUCID_PEER_NODE=system (the system node instead of Node 24)
# Exit status: 0 interop as expected; 1 it is not; 3 it could not run (no npm, no node, npm registry unreachable).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
KIT="$ROOT/scripts/lucid-interop"
cd "$ROOT"
if [ -z "${LUCID_TEST_PG_URL:-}" ]; then
  exec "$ROOT/scripts/with-postgres.sh" "$0" "$@"
fi
BUILD_DIR="${BUILD_DIR:-$ROOT/build/dev}"
say() { echo "lucid-interop: $*"; }
fail() { echo "lucid-interop: FAILED: $*" >&2; exit 1; }

# shellcheck source=peer_install.sh
source "$KIT/peer_install.sh"
lucid_peer_install || exit 3

# ---- the C++ service
[ -f "$BUILD_DIR/build.ninja" ] || cmake --preset dev >/dev/null
cmake --build "$BUILD_DIR" --target lucid_interop_app >/dev/null
CPP_APP="$BUILD_DIR/tests/interop/lucid_interop_app"

# ---- a database of its own, and the Node service's folder (next to node_modules, which its imports resolve from)
export PG_URL="${LUCID_TEST_PG_URL%/*}/lucid_interop" DATABASE_URL="${LUCID_TEST_PG_URL%/*}/lucid_interop"
PGOPTIONS="-c client_min_messages=warning" psql "$LUCID_TEST_PG_URL" -Xqc "drop database if exists lucid_interop" -c "create database lucid_interop"
NODE_APP="$(mktemp -d "$LUCID_PEER_CACHE/interop.XXXXXX")"
trap 'rm -rf "$NODE_APP"' EXIT
mkdir -p "$NODE_APP/database/migrations"
cp "$KIT/lucid_migrator.mjs" "$NODE_APP/"
cp "$KIT"/database/migrations/*.js "$NODE_APP/database/migrations/"

LUCID_MIGRATION=database/migrations/1700000000000_create_lucid_accounts
CPP_MIGRATION=database/migrations/1700000000001_create_cpp_events
# runs a step, prints its output, keeps it in $out; "!" first: the step must fail
step() {
  local title=$1 must_fail=0
  shift
  if [ "$1" = "!" ]; then must_fail=1; shift; fi
  echo; echo "\$ $title"
  local rc=0
  out="$("$@" 2>&1)" || rc=$?
  echo "$out"
  if [ $must_fail = 1 ] && [ $rc = 0 ]; then fail "$title succeeded, it should have failed"; fi
  if [ $must_fail = 0 ] && [ $rc != 0 ]; then fail "$title exited with $rc"; fi
}
lucid() { (cd "$NODE_APP" && node lucid_migrator.mjs "$@" 2> >(grep -v -e EBADENGINE -e 'npm WARN' >&2)); }
cpp() { "$CPP_APP" "$@"; }
# the status and batch a status table (Lucid's | or lucid-cpp's │) gives a migration: "completed 1"
row() { grep -F "$1" <<<"$out" | tr '│|' '  ' | awk '{print $2, $3}'; }
expect_row() { [ "$(row "$1")" = "$2" ] || fail "status of $1: \"$(row "$1")\", expected \"$2\""; }
sql() { psql "$PG_URL" -XAtqc "$1" | paste -sd' ' -; }
expect_sql() { [ "$(sql "$1")" = "$2" ] || fail "$1: \"$(sql "$1")\", expected \"$2\""; }
history() { expect_sql "select name || ':' || batch from adonis_schema order by id" "$1"; expect_sql "select version from adonis_schema_versions" 2; }
tables() { expect_sql "select table_name from information_schema.tables where table_schema = 'public' and table_name in ('lucid_accounts', 'cpp_events') order by 1" "$1"; }

say "node $(node --version), @adonisjs/lucid $(node -p "require('$LUCID_PEER_CACHE/node_modules/@adonisjs/lucid/package.json').version"), database ${PG_URL##*/}"
step "Lucid: migration:run" lucid run
history "$LUCID_MIGRATION:1"; tables "lucid_accounts"

step "lucid-cpp: migration:status (an app that does not ship the Node service's migration)" env LUCID_INTEROP_OWN_ONLY=1 "$CPP_APP" migration:status
expect_row "$LUCID_MIGRATION" "corrupt 1"; expect_row "$CPP_MIGRATION" "pending NA"
step "lucid-cpp: migration:status" cpp migration:status
expect_row "$LUCID_MIGRATION" "completed 1"; expect_row "$CPP_MIGRATION" "pending NA"
step "lucid-cpp: migration:run" cpp migration:run
history "$LUCID_MIGRATION:1 $CPP_MIGRATION:2"; tables "cpp_events lucid_accounts"

step "Lucid: migration:status (before the Node service ships the C++ migration's file)" lucid status
expect_row "$LUCID_MIGRATION" "migrated 1"; expect_row "$CPP_MIGRATION" "corrupt 2"
step "Lucid: migration:rollback (before the Node service ships the C++ migration's file)" ! lucid rollback
grep -q "E_MISSING_SCHEMA_FILES" <<<"$out" || fail "Lucid's rollback did not refuse with E_MISSING_SCHEMA_FILES"
history "$LUCID_MIGRATION:1 $CPP_MIGRATION:2"; tables "cpp_events lucid_accounts"

cp "$KIT/shared/1700000000001_create_cpp_events.js" "$NODE_APP/database/migrations/"
step "Lucid: migration:status" lucid status
expect_row "$LUCID_MIGRATION" "migrated 1"; expect_row "$CPP_MIGRATION" "migrated 2"
step "Lucid: migration:rollback" lucid rollback
history "$LUCID_MIGRATION:1"; tables "lucid_accounts"
step "psql: the tables and adonis_schema after Lucid's rollback" psql "$PG_URL" -Xc "\\dt" -c "select id, name, batch from adonis_schema order by id"

step "lucid-cpp: migration:status" cpp migration:status
expect_row "$LUCID_MIGRATION" "completed 1"; expect_row "$CPP_MIGRATION" "pending NA"

# ...and the other way round: lucid-cpp rolls back Lucid's batch, and Lucid runs the C++ service's migration
step "lucid-cpp: migration:rollback" cpp migration:rollback
history ""; tables ""
step "Lucid: migration:run" lucid run
history "$LUCID_MIGRATION:1 $CPP_MIGRATION:1"; tables "cpp_events lucid_accounts"
step "lucid-cpp: migration:status" cpp migration:status
expect_row "$LUCID_MIGRATION" "completed 1"; expect_row "$CPP_MIGRATION" "completed 1"
echo
say "passed: Lucid and lucid-cpp share adonis_schema (version 2) and roll back each other's batches"
