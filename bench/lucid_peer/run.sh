#!/usr/bin/env bash
# lucid-cpp side by side with the real AdonisJS Lucid (npm @adonisjs/lucid 22.4.2) on one PostgreSQL server
# and the same tables: workloads W1 (createMany 10,000), W2 (1,000 x find), W4 (preload belongsTo over
# 10,000 profiles), W6 (1,000 x change + save). Prints the medians and the lucid-cpp / Lucid ratios.
#
#   bench/lucid_peer/run.sh                 # a throwaway server via scripts/with-postgres.sh
#   LUCID_BENCH_PG_URL=postgres://... bench/lucid_peer/run.sh
#   env: RUNS (5), RUNS_W4 (3; Lucid takes ~5-10 s per W4 run), BUILD_DIR (build/bench),
#        PEER_DIR (~/.cache/lucid-cpp/lucid-peer, kept between runs and shared with scripts/lucid-interop),
#        LUCID_PEER_NODE=system  to use the system node (20) instead of fetching Node 24,
#        LUCID_BENCH_PIN (0): the CPU list everything runs on (taskset), or none
#
# Node 24 and the npm packages (scripts/lucid-interop/package-lock.json, from ../shared/peers/lucid) are
# installed into $PEER_DIR by scripts/lucid-interop/peer_install.sh; when Node 24 cannot be fetched the
# system node is used (node 20 runs Lucid's PostgreSQL path, with engine warnings).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PEER_DIR="${PEER_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/lucid-cpp/lucid-peer}"
BUILD_DIR="${BUILD_DIR:-$ROOT/build/bench}"
export RUNS="${RUNS:-5}" RUNS_W4="${RUNS_W4:-3}"

# ---- one CPU for everything (client, server, node): stable round-trip times on a small VM (LUCID_BENCH_PIN=none: off)
PIN="${LUCID_BENCH_PIN:-0}"
if [ -z "${LUCID_BENCH_PINNED:-}" ] && [ "$PIN" != none ] && command -v taskset >/dev/null; then
  export LUCID_BENCH_PINNED=1
  exec taskset -c "$PIN" "$0" "$@"
fi

# ---- a PostgreSQL server: the given one, else a throwaway one
PG_URL="${LUCID_BENCH_PG_URL:-${LUCID_TEST_PG_URL:-}}"
if [ -z "$PG_URL" ]; then
  exec "$ROOT/scripts/with-postgres.sh" "$0" "$@"
fi

say() { echo "lucid_peer: $*" >&2; }

# ---- lucid-cpp side: the lucid_vs_peer executable (Release)
if [ ! -f "$BUILD_DIR/build.ninja" ] && [ ! -f "$BUILD_DIR/Makefile" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLUCID_BUILD_BENCH=ON \
        -DLUCID_BUILD_TESTS=OFF -DLUCID_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" --target lucid_vs_peer >/dev/null
VS_PEER="$BUILD_DIR/bench/lucid_vs_peer"

# ---- Lucid side: node + npm packages in $PEER_DIR (scripts/lucid-interop/peer_install.sh, shared with the interop check)
# shellcheck source=../../scripts/lucid-interop/peer_install.sh
source "$ROOT/scripts/lucid-interop/peer_install.sh"
if ! lucid_peer_install "$PEER_DIR"; then
  say "ERROR: AdonisJS Lucid could not be installed: the Lucid comparison cannot run."
  exit 1
fi
cp "$ROOT/bench/lucid_peer/peer_bench.mjs" "$PEER_DIR/"

# ---- the same server and tables for both: seed once, lucid-cpp, then Lucid
say "PostgreSQL: ${PG_URL%%@*}@***; seeding users/profiles (10,000 each)"
"$VS_PEER" seed "$PG_URL"
say "lucid-cpp (RUNS=$RUNS, RUNS_W4=$RUNS_W4; CPUs: $(taskset -pc $$ 2>/dev/null | sed 's/.*: //'))"
CPP_JSON="$("$VS_PEER" run "$PG_URL")"
say "AdonisJS Lucid with node $(node --version) (RUNS=$RUNS, RUNS_W4=$RUNS_W4; its W4 takes ~10 s a run)"
PEER_JSON="$(cd "$PEER_DIR" && PG_URL="$PG_URL" node peer_bench.mjs 2> >(grep -v -e EBADENGINE -e 'npm WARN' >&2))"

echo "$CPP_JSON" >"$PEER_DIR/lucid-cpp.json"
echo "$PEER_JSON" >"$PEER_DIR/lucid.json"
python3 - "$PEER_DIR/lucid-cpp.json" "$PEER_DIR/lucid.json" <<'EOF'
import json, sys
cpp, peer = (json.load(open(p)) for p in sys.argv[1:3])
names = {"W1": "W1 insert 10,000 users (createMany)", "W2": "W2 1,000 x find(id)",
         "W4": "W4 preload belongsTo, 10,000 profiles", "W6": "W6 1,000 x change + save()"}
target = {"W1": 10, "W2": 10, "W4": 100, "W6": 10}
v = peer.get("versions", {})
print(f"lucid-cpp vs AdonisJS Lucid {v.get('@adonisjs/lucid', '?')} (node {v.get('node', '?')}, knex {v.get('knex', '?')}, pg {v.get('pg', '?')}) on PostgreSQL, medians")
print(f"| {'workload':40} | {'lucid-cpp':>11} | {'Lucid':>11} | {'lucid-cpp/Lucid':>15} | {'speed-up':>9} | target |")
print(f"|{'-'*42}|{'-'*13}|{'-'*13}|{'-'*17}|{'-'*11}|--------|")
for k in ["W1", "W2", "W4", "W6"]:
    a, b = cpp["workloads"][k]["median"], peer["workloads"][k]["median"]
    ok = "met" if b / a >= target[k] else "MISSED"
    print(f"| {names[k]:40} | {a:8.1f} ms | {b:8.1f} ms | {a / b:15.4f} | {b / a:8.1f}x | >={target[k]}x {ok} |")
EOF
