#!/usr/bin/env bash
# wasmtime, the reference runtime the runner is checked against (differential tests, conformance, benchmarks), built
# from crates.io into $WASM_WORKBENCH_TOOLS_CACHE/wasmtime-<version>/bin/wasmtime. 48.0.x is the newest release whose
# rust-version (1.95) the machine's toolchain meets. Only the features the tests use: running modules and components
# (cranelift, WASI preview1 and 0.2, WAT input, GC and threads proposals); no serve, explore, objdump, wizer or caches,
# which would add many minutes on two cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(cat "$here/version")"
cache="${WASM_WORKBENCH_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasm-workbench-tools}"
dest="$cache/wasmtime-$version"
if [ -x "$dest/bin/wasmtime" ]; then exit 0; fi
command -v cargo >/dev/null || { echo "[wasmtime] cargo is missing: install Rust (rustup or Debian's cargo >= 1.95)" >&2; exit 1; }
echo "[wasmtime] building wasmtime-cli $version from crates.io into $dest (cold: about 20 minutes on 2 cores)"
# No debug info and no LTO: the binary is for tests, and link-time optimisation would double the build.
CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_STRIP=true \
  CARGO_TARGET_DIR="$cache/.cargo-target-wasmtime" \
  cargo install --quiet --locked --root "$dest.partial" --version "$version" wasmtime-cli \
  --no-default-features --features run,cranelift,component-model,wat,parallel-compilation,gc,gc-drc,threads
rm -rf "$cache/.cargo-target-wasmtime" "$dest"
mv "$dest.partial" "$dest"
"$dest/bin/wasmtime" --version
