#!/usr/bin/env bash
# The whole test suite: installs what it needs, starts a throwaway PostgreSQL, builds, and runs every
# test on SQLite and on PostgreSQL; then the same suite under AddressSanitizer + UBSan, the tests of
# threads under ThreadSanitizer and the contract programs of ../shared/contract when they are
# there. Each phase prints how long it took. LUCID_SKIP_ASAN=1 / LUCID_SKIP_TSAN=1 skip a pass.
set -euo pipefail
cd "$(dirname "$0")/.."
skip() { [ "$(eval echo "\${LUCID_SKIP_$1:-0}")" = 1 ]; }
scripts/install-deps.sh --postgres
jobs=$(nproc)
# the presets compile through ccache; give it a cache folder even where HOME is not set
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/tmp}/.cache/ccache}"
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
  ctest --preset "$preset"
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
}
export -f phase run_suite install_check tsan_suite contract skip
export jobs
scripts/with-postgres.sh bash -c '
  set -e
  phase "dev suite" run_suite dev
  phase "install check" install_check
  skip ASAN || phase "asan suite" run_suite asan
  skip TSAN || phase "tsan suite" tsan_suite
  phase "contract" contract
'
