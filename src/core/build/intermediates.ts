/**
 * Files a build leaves on the way that are not what it built: cargo keeps a hashed copy of every crate's Wasm in
 * `target/<triple>/<profile>/deps/` (and `build/`, `incremental/`), beside the binary a user means. Pickers and
 * lists of binaries leave these out.
 */

/** Cargo's folders under `target/…/<profile>/` that hold only intermediates. */
const cargoIntermediateFolders = new Set(['deps', 'build', 'incremental', '.fingerprint']);

/** True for a path (relative to a workspace folder, `/`-separated) that is a build intermediate, not an output. */
export function isBuildIntermediate(relativePath: string): boolean {
  const parts = relativePath.split('/');
  const target = parts.lastIndexOf('target');
  return target >= 0 && parts.slice(target + 1, -1).some((part) => cargoIntermediateFolders.has(part));
}
