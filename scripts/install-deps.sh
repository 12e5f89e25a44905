#!/usr/bin/env bash
# Installs what building and testing lucid-cpp needs, from Debian's packages (Debian 12), also on a bare
# (debootstrap --variant=minbase) system.
# Usage: scripts/install-deps.sh [--postgres] [--fuzz]
#   --postgres: also what the test suite needs (the PostgreSQL 15 server, PgBouncer, python3 for the docs check)
#   --fuzz:     also clang and libFuzzer for the fuzz targets of fuzz/
set -euo pipefail
pkgs=(cmake ninja-build ccache g++ pkg-config libsqlite3-dev libpq-dev nlohmann-json3-dev libgtest-dev)
for arg in "$@"; do
  case "$arg" in
    # the server's package brings psql; the sanitizer runtimes come with g++ (libgcc-12-dev)
    --postgres) pkgs+=(postgresql-15 pgbouncer python3) ;;
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "lucid-cpp needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
