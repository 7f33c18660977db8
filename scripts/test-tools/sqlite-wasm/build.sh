#!/usr/bin/env bash
# A large real C program for the print round-trip test and the print benchmark: SQLite (the amalgamation that
# the npm package better-sqlite3 ships; its version is in ./version) with a small driver, built by Debian's
# clang and wasi-libc twice:
#   sqlite.wasm        -O2, stripped: a release build (about 1 MB)
#   sqlite-debug.wasm  -O0 with DWARF and the amalgamation embedded as data (about 15 MB, a 9.5 MB data segment)
# Output: $WASM_WORKBENCH_TOOLS_CACHE/sqlite-wasm-<version>/ (a finished build is kept; delete it to rebuild).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(cat "$here/version")"
out="${WASM_WORKBENCH_TOOLS_CACHE:?}/sqlite-wasm-$version"
[ -f "$out/sqlite-debug.wasm" ] && exit 0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "better-sqlite3@$version" >/dev/null && tar -xzf "better-sqlite3-$version.tgz" package/deps/sqlite3)
src="$work/package/deps/sqlite3"
# The amalgamation as a C array, so the debug build carries a large data segment as real programs with assets do.
node -e '
  const fs = require("fs");
  const bytes = fs.readFileSync(process.argv[1]);
  const out = fs.createWriteStream(process.argv[2]);
  out.write("const unsigned char sqlite_amalgamation[] = {");
  for (let i = 0; i < bytes.length; i += 65536) out.write(Array.from(bytes.subarray(i, i + 65536)).join(",") + (i + 65536 < bytes.length ? "," : ""));
  out.end("};\nconst unsigned long sqlite_amalgamation_size = sizeof sqlite_amalgamation;\n");
' "$src/sqlite3.c" "$work/source.c"
defines=(-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE
  -DSQLITE_ENABLE_GEOPOLY -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_STAT4
  -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID -D_WASI_EMULATED_PROCESS_CLOCKS)
libs=(-lwasi-emulated-mman -lwasi-emulated-getpid -lwasi-emulated-process-clocks)
mkdir -p "$work/out"
clang --target=wasm32-wasi -O2 "${defines[@]}" -I"$src" "$here/sqlite-program.c" "$work/source.c" "$src/sqlite3.c" "${libs[@]}" -Wl,--strip-all -o "$work/out/sqlite.wasm"
clang --target=wasm32-wasi -O0 -g "${defines[@]}" -I"$src" "$here/sqlite-program.c" "$work/source.c" "$src/sqlite3.c" "${libs[@]}" -o "$work/out/sqlite-debug.wasm"
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$work/out" "$out"
