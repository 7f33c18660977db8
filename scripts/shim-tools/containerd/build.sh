#!/usr/bin/env bash
# Builds containerd and ctr (github.com/containerd/containerd/v2, the release in `version`) from the Go module proxy
# into $WASM_WORKBENCH_TOOLS_CACHE/containerd-<version>/, for `npm run test:shim` only (not part of `npm test`:
# the Wasm shim it runs cannot be built from a registry, see README). Exits at once when the build is there.
# Lean: no CRI, no devmapper/zfs/btrfs snapshotters, no tracing, no cgo, no debug info.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(cat "$here/version")"
cache="${WASM_WORKBENCH_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasm-workbench-tools}"
target="$cache/containerd-$version"
[ -x "$target/containerd" ] && [ -x "$target/ctr" ] && exit 0
command -v go >/dev/null || { echo "containerd: Go is needed to build containerd (Go >= 1.24)" >&2; exit 1; }
echo "[test-shim] building containerd and ctr $version"
mkdir -p "$target.partial"
for cmd in containerd ctr; do
  CGO_ENABLED=0 GOBIN="$target.partial" go install -trimpath -ldflags='-s -w' -tags 'no_cri no_devmapper no_zfs no_btrfs no_tracing' \
    "github.com/containerd/containerd/v2/cmd/$cmd@$version"
done
rm -rf "$target" && mv "$target.partial" "$target"
