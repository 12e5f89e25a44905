#!/usr/bin/env bash
# The whole test suite: installs what it needs, starts a throwaway PostgreSQL, builds, and runs every
# test on SQLite and on PostgreSQL; then the same suite under AddressSanitizer + UBSan, the tests of
# threads under ThreadSanitizer, the contract programs of ../shared/contract when they are there, and
# each fuzz target of fuzz/ for a fixed time. Each phase prints how long it took.
#   LUCID_SKIP_ASAN=1 / LUCID_SKIP_TSAN=1 / LUCID_SKIP_FUZZ=1 skip a pass;
#   LUCID_FUZZ_SECONDS (default 20) is each fuzz target's run time.
set -euo pipefail
cd "$(dirname "$0")/.."
skip() { [ "$(eval echo "\${LUCID_SKIP_$1:-0}")" = 1 ]; }
deps=(--postgres)
skip FUZZ || deps+=(--fuzz)
scripts/install-deps.sh "${deps[@]}"
jobs=$(nproc)
# the presets compile through ccache; give it a cache folder even where HOME is not set
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/tmp}/.cache/ccache}"
# paths relative to the checkout: a clone elsewhere (CI) reuses what an earlier build compiled
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"  # -g would otherwise put the checkout's path in every hash
phase() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "test.sh: $name took $((SECONDS - start)) s"
}
run_suite() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  # each test program has a PostgreSQL database of its own (tests/support/db_test.hpp): they run side by side
  ctest --preset "$preset" -j "$jobs"
}
install_check() {
  # the installed package: find_package(lucid) and pkg-config
  rm -rf build/install build/consumer
  cmake --install build/dev --prefix "$PWD/build/install" >/dev/null
  cmake -S tests/install -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build/install" >/dev/null
  cmake --build build/consumer >/dev/null
  build/consumer/consumer
  PKG_CONFIG_PATH="$PWD/build/install/lib/pkgconfig" pkg-config --cflags --libs lucid >/dev/null
}
# Under ThreadSanitizer only the test programs that start threads are built, and in them only the tests
# the tsan preset's GTEST_FILTER names (Thread, Concurrent, Pool, Writers): a new threaded test is picked up by
# its name, in any test file that uses std::thread / std::jthread / std::async.
tsan_suite() {
  local names=()
  for f in $(grep -lE 'std::(thread|jthread|async)' tests/*_test.cpp); do names+=("$(basename "$f" .cpp)"); done
  # a program of several files lives in a folder of its own (tests/fast_paths/ -> fast_paths_test)
  for d in tests/*/; do
    local name; name="$(basename "$d")_test"
    if grep -q "lucid_test($name" tests/CMakeLists.txt && grep -qlE 'std::(thread|jthread|async)' "$d"*.cpp; then names+=("$name"); fi
  done
  [ ${#names[@]} -gt 0 ] || { echo "test.sh: no threaded tests for ThreadSanitizer"; return 0; }
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs" --target "${names[@]}"
  # without address-space randomisation: GCC 12's TSan cannot map its shadow memory under the
  # 32-bit mmap randomisation of newer kernels
  setarch "$(uname -m)" -R ctest --preset tsan -R "^($(IFS='|'; echo "${names[*]}"))\$"
}
contract() {
  if [ "${LUCID_REQUIRE_CONTRACT:-0}" = 1 ] && [ ! -d ../shared/contract ]; then
    echo "test.sh: ../shared/contract is missing" >&2; return 1
  fi
  [ -d ../shared/contract ] || return 0
  cmake -S ../shared/contract -B build/contract -G Ninja -DLUCID_SOURCE_DIR="$PWD" >/dev/null
  cmake --build build/contract -j "$jobs"
  # a database of its own, untouched by the suite's tables
  psql "$LUCID_TEST_PG_URL" -qc "drop database if exists lucid_contract" -c "create database lucid_contract"
  LUCID_TEST_PG_URL="${LUCID_TEST_PG_URL%/*}/lucid_contract" ctest --test-dir build/contract --output-on-failure
  # the compile-only shapes of API.md's second part, for the areas that are built
  [ -d ../shared/contract-round2 ] || return 0
  cmake -S ../shared/contract-round2 -B build/contract-round2 -G Ninja -DLUCID_SOURCE_DIR="$PWD" >/dev/null
  cmake --build build/contract-round2 -j "$jobs" --target shapes_decimal shapes_migrations shapes_query_builder shapes_transactions shapes_command_line shapes_polymorphic shapes_models
}
# Each target of fuzz/ for LUCID_FUZZ_SECONDS, from its committed seeds (fuzz/corpus/<target>, only
# read) and what earlier runs found (build/fuzz/corpus/<target>). A failing input is left in build/fuzz/.
fuzz_all() {
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  local seconds=${LUCID_FUZZ_SECONDS:-20} target name
  for target in build/fuzz/fuzz/*_fuzz; do
    name=$(basename "$target")
    mkdir -p "build/fuzz/corpus/$name"
    if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="build/fuzz/$name-" \
         "build/fuzz/corpus/$name" "fuzz/corpus/$name" >"build/fuzz/$name.log" 2>&1; then
      tail -n 40 "build/fuzz/$name.log" >&2
      echo "test.sh: fuzz target $name failed (log: build/fuzz/$name.log)" >&2
      return 1
    fi
    echo "fuzz: $name $(grep -ao 'Done [0-9]* runs' "build/fuzz/$name.log" | tail -1)"
  done
}
# AdonisJS Lucid and lucid-cpp migrating one database (scripts/lucid-interop/run.sh; Node 24 and Lucid come from
# the npm registry, kept in ~/.cache/lucid-cpp/lucid-peer). When it cannot run it says so loudly and the suite
# goes on; it fails the suite when it ran and the interop is wrong.
lucid_interop() {
  local rc=0
  scripts/lucid-interop/run.sh || rc=$?
  if [ $rc = 3 ]; then
    echo "test.sh: !!! THE LUCID INTEROP CHECK DID NOT RUN: Node or AdonisJS Lucid could not be installed (npm on PATH and registry.npmjs.org needed; reason above) !!!"
    return 0
  fi
  return $rc
}
export -f lucid_interop
# The PostgreSQL half of the dev suite again, through a PgBouncer in transaction pooling mode with
# ?pgbouncer=true (scripts/with-pgbouncer.sh): only the tests parameterized on the databases, PostgreSQL
# instance (".../postgres"). Excluded, since a transaction pooler cannot serve them: pgbouncer_test and
# pool_load_test start poolers of their own in front of LUCID_TEST_PG_URL; KilledPooledConnections... kills
# server backends, which are PgBouncer's and not the client's; BehindPgBouncer adds its own ?pgbouncer=true.
pgbouncer_suite() {
  GTEST_FILTER='*/postgres:-*KilledPooledConnectionsCostNoUserQuery*:*BehindPgBouncer*' scripts/with-pgbouncer.sh ctest --test-dir build/dev -j "$jobs" --output-on-failure \
    -E '^(pgbouncer_test|pool_load_test|docs_snippets)$'
}
export -f phase run_suite install_check tsan_suite contract skip pgbouncer_suite
export jobs
scripts/with-postgres.sh bash -c '
  set -e
  phase "dev suite" run_suite dev
  phase "lucid interop" lucid_interop
  phase "install check" install_check
  phase "pgbouncer suite" pgbouncer_suite
  skip ASAN || phase "asan suite" run_suite asan
  skip TSAN || phase "tsan suite" tsan_suite
  phase "contract" contract
'
# a primary and a hot standby of its own (replica routing, sticky reads, a replica down, failover)
phase "replica" scripts/with-replica.sh build/dev/tests/replica_test
skip FUZZ || phase "fuzz" fuzz_all
