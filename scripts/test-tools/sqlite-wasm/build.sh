#!/usr/bin/env bash
# A large real C program for the print round-trip test and the print benchmark: SQLite (the amalgamation that
# the npm package better-sqlite3 ships) with a small driver, built by Debian's clang 14 and wasi-libc twice. Both
# carry the amalgamation as data (the driver prints it with --source), as real programs with assets do:
#   sqlite.wasm        -O2, stripped: a release build (10.5 MiB: 1.3 MiB of code beside a 9.2 MiB data segment)
#   sqlite-debug.wasm  -O0 -gdwarf-5 -gembed-source: a debug build whose DWARF also holds the text of the C sources
#                      it was compiled from, so a debugger needs no checkout (23.6 MiB: the 9.2 MiB data segment,
#                      2.8 MiB of code, a 9.8 MiB .debug_line_str holding the embedded sources, 1.8 MiB of other DWARF)
# ./version is `<better-sqlite3 version>-r<build revision>`: the whole of it keys the cache
# ($WASM_WORKBENCH_TOOLS_CACHE/sqlite-wasm-<version>/, a finished build is kept), so raising the revision when this
# script changes what it builds makes every cache rebuild; only the part before -r is the npm package's version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(cat "$here/version")"
package_version="${version%-r*}"
out="${WASM_WORKBENCH_TOOLS_CACHE:?}/sqlite-wasm-$version"
[ -f "$out/sqlite-debug.wasm" ] && exit 0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "better-sqlite3@$package_version" >/dev/null && tar -xzf "better-sqlite3-$package_version.tgz" package/deps/sqlite3)
src="$work/package/deps/sqlite3"
# The amalgamation as a C array, so both builds carry a large data segment.
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
# The embedded sources are the driver's and SQLite's (and the headers they include); the generated array is compiled
# without -gembed-source, as its text (35 MB of decimal numbers) is the data segment again.
clang --target=wasm32-wasi -O0 -gdwarf-5 -c "$work/source.c" -o "$work/source.o"
clang --target=wasm32-wasi -O0 -gdwarf-5 -gembed-source "${defines[@]}" -I"$src" "$here/sqlite-program.c" "$work/source.o" "$src/sqlite3.c" "${libs[@]}" -o "$work/out/sqlite-debug.wasm"
mkdir -p "$(dirname "$out")"
rm -rf "$out"
mv "$work/out" "$out"
