#!/usr/bin/env bash
# Installs what a fresh Debian (bookworm) machine lacks to build, test and run Wasm Workbench.
# Idempotent: what is already there is skipped. Used by the README's commands and by .ci/run.
#   wabt                 wasm-objdump, the peer in `npm run bench`, and a cross-check in fixture tests
#   clang lld wasi-libc libclang-rt-dev-wasm32
#                        C → wasm32-wasi, for test fixtures and the C example
#   chromium             drives the code-server VS Code workbench in the integration tests
#   libkrb5-dev          headers for code-server's native kerberos module
#   rustc cargo libstd-rust-dev-wasm32
#                        Rust → wasm32-wasi, for the Rust examples the build tests compile
#   docker-registry      a real OCI registry on loopback for the push and deploy tests
#   apache2-utils        htpasswd -B, for the registry's Basic-auth tests
#   bubblewrap           namespaces around the guest's process of `wasm-workbench run` (defence in depth on Linux)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

apt_packages=(wabt clang lld wasi-libc libclang-rt-dev-wasm32 chromium libkrb5-dev rustc cargo libstd-rust-dev-wasm32 docker-registry apache2-utils bubblewrap)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] apt packages to install: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "[setup] not root and no sudo: install them by hand: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund
fi

bash scripts/fetch-wasi-adapters.sh
bash scripts/vscode-host/install.sh
echo "[setup] done"
