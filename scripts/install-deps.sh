#!/usr/bin/env bash
# Installs what building and testing lucid-cpp needs, from Debian's packages (Debian 12).
# Usage: scripts/install-deps.sh [--postgres]   (--postgres: also the PostgreSQL 15 server for the tests)
set -euo pipefail
pkgs=(cmake ninja-build ccache g++ pkg-config libsqlite3-dev libpq-dev nlohmann-json3-dev libgtest-dev)
[ "${1:-}" = "--postgres" ] && pkgs+=(postgresql-15)
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
