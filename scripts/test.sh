#!/usr/bin/env bash
# The whole test suite: installs what it needs, starts a throwaway PostgreSQL, builds, and runs every
# test on SQLite and on PostgreSQL; then the same suite under AddressSanitizer + UBSan, and the
# contract programs of ../shared/contract when they are there.  LUCID_SKIP_ASAN=1 skips the sanitizer pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --postgres
jobs=$(nproc)
# the presets compile through ccache; give it a cache folder even where HOME is not set
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/tmp}/.cache/ccache}"
run_suite() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset"
}
export -f run_suite
export jobs
scripts/with-postgres.sh bash -c '
  set -e
  run_suite dev
  # the installed package: find_package(lucid) and pkg-config
  rm -rf build/install build/consumer
  cmake --install build/dev --prefix "$PWD/build/install" >/dev/null
  cmake -S tests/install -B build/consumer -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build/install" >/dev/null
  cmake --build build/consumer >/dev/null
  build/consumer/consumer
  PKG_CONFIG_PATH="$PWD/build/install/lib/pkgconfig" pkg-config --cflags --libs lucid >/dev/null
  if [ "${LUCID_SKIP_ASAN:-0}" != 1 ]; then run_suite asan; fi
  if [ "${LUCID_REQUIRE_CONTRACT:-0}" = 1 ] && [ ! -d ../shared/contract ]; then
    echo "test.sh: ../shared/contract is missing" >&2; exit 1
  fi
  if [ -d ../shared/contract ]; then
    cmake -S ../shared/contract -B build/contract -G Ninja -DLUCID_SOURCE_DIR="$PWD" >/dev/null
    cmake --build build/contract -j "$jobs"
    # a database of its own, untouched by the suite'"'"'s tables
    psql "$LUCID_TEST_PG_URL" -qc "drop database if exists lucid_contract" -c "create database lucid_contract"
    LUCID_TEST_PG_URL="${LUCID_TEST_PG_URL%/*}/lucid_contract" ctest --test-dir build/contract --output-on-failure
  fi
'
