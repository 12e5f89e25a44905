#!/usr/bin/env bash
# Builds and runs examples/quickstart.cpp on an embedded SQLite database (or on the URL given).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/quickstart -G Ninja -DCMAKE_BUILD_TYPE=Release -DLUCID_BUILD_TESTS=OFF -DLUCID_WERROR=OFF >/dev/null
cmake --build build/quickstart --target quickstart -j "$(nproc)"
exec build/quickstart/examples/quickstart "$@"
