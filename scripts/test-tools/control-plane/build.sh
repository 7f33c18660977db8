#!/usr/bin/env bash
# Builds kube-control-plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok in one binary, see
# main.go) from the Go module proxy into $WASM_WORKBENCH_TOOLS_CACHE/control-plane-<version>/. Exits at once when that
# build is there. The releases are pinned in go.mod; `version` names them, so changing one means changing both.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(cat "$here/version")"
cache="${WASM_WORKBENCH_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasm-workbench-tools}"
target="$cache/control-plane-$version"
[ -x "$target/kube-control-plane" ] && exit 0

# The version file and go.mod must name the same releases.
for pin in "k8s.io/kubernetes $(sed -E 's/^k8s-(v[^-]+)-.*/\1/' "$here/version")" \
           "go.etcd.io/etcd/server/v3 $(sed -E 's/.*-etcd-(v[^-]+)-.*/\1/' "$here/version")" \
           "sigs.k8s.io/kwok $(sed -E 's/.*-kwok-(v[^-]+)$/\1/' "$here/version")"; do
  grep -q "^\s*$pin\$" "$here/go.mod" || { echo "control-plane: go.mod does not pin $pin (version file says so)" >&2; exit 1; }
done
command -v go >/dev/null || { echo "control-plane: Go is needed to build the test control plane (apt-get install golang-go, or Go >= 1.26)" >&2; exit 1; }

echo "[setup-tests] building the test control plane $version (cold: several minutes on 2 cores)"
mkdir -p "$target"
cd "$here"
# No cgo, no symbol tables or DWARF, reproducible paths: a smaller binary and a faster link.
CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags='-s -w' -o "$target/kube-control-plane.partial" .
mv "$target/kube-control-plane.partial" "$target/kube-control-plane"
