#!/usr/bin/env bash
# Puts the WASI preview1 -> preview2 adapters (command and reactor) into .tools/adapters/.
# They ship inside the npm package @bytecodealliance/jco (not in jco-transpile), so we take them
# from its registry tarball with `npm pack`; nothing else of that package is installed.
# Idempotent: does nothing when both files are already there.
set -euo pipefail

JCO_VERSION="${JCO_VERSION:-1.35.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${WASI_ADAPTERS_DIR:-$ROOT/.tools/adapters}"
FILES=(wasi_snapshot_preview1.command.wasm wasi_snapshot_preview1.reactor.wasm)

missing=0
for f in "${FILES[@]}"; do
  [ -s "$DEST/$f" ] || missing=1
done
if [ "$missing" = 0 ]; then
  exit 0
fi

mkdir -p "$DEST"
TMP="$(mktemp -d "$DEST/.pack.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

tarball="$(cd "$TMP" && npm pack --silent "@bytecodealliance/jco@$JCO_VERSION" | tail -n 1)"
members=()
for f in "${FILES[@]}"; do members+=("package/lib/$f"); done
tar -xzf "$TMP/$tarball" -C "$TMP" "${members[@]}"

for f in "${FILES[@]}"; do
  # Check the Wasm magic before installing (a component: version bytes 0d 00 01 00, a module: 01 00 00 00).
  magic="$(head -c 4 "$TMP/package/lib/$f" | od -An -tx1 | tr -d ' \n')"
  if [ "$magic" != "0061736d" ]; then
    echo "fetch-wasi-adapters: $f from @bytecodealliance/jco@$JCO_VERSION is not a Wasm binary" >&2
    exit 1
  fi
  mv -f "$TMP/package/lib/$f" "$DEST/$f"
done
echo "fetch-wasi-adapters: adapters from @bytecodealliance/jco@$JCO_VERSION in $DEST" >&2
