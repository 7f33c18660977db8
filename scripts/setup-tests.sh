#!/usr/bin/env bash
# Builds what only the tests need (reference runtimes, a Kubernetes control plane, ...) into a cache outside the
# clone, keyed by version, so the main job (`npm start`) never waits for them. `npm test` and `.ci/run` call it.
# Each tool has scripts/test-tools/<tool>/build.sh and a `version` file beside it; a build exits at once when its
# cached result is there. The time of each is printed (a cold build's time is what CI pays on a fresh machine).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export WASM_WORKBENCH_TOOLS_CACHE="${WASM_WORKBENCH_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasm-workbench-tools}"
shopt -s nullglob
for build in scripts/test-tools/*/build.sh; do
  tool="$(basename "$(dirname "$build")")"
  started=$SECONDS
  bash "$build"
  echo "[setup-tests] $tool $(cat "scripts/test-tools/$tool/version"): $((SECONDS - started)) s"
done
