// Temporary folder trees and fake toolchains for the build tests. Trees live under .test-output/build/ (inside
// the repository, so an AssemblyScript project finds the repository's own asc as `npx asc` would).
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const created: string[] = [];
// Each test process removes its own folders (test files run in parallel processes, so none wipes the base).
process.once('exit', () => {
  if (!process.env.KEEP_TEST_OUTPUT) for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under .test-output/build/, removed when the process exits (unless KEEP_TEST_OUTPUT is set). */
export function scratchDir(prefix: string): string {
  const base = join(process.cwd(), '.test-output', 'build');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  created.push(dir);
  return dir;
}

/** Writes `files` (path → contents) under `root`; a key ending in `/` makes an empty folder. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    if (path.endsWith('/')) {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

/** An executable shell script at `dir/name` (a stand-in toolchain that prints what the real one would). */
export function fakeTool(dir: string, name: string, script: string): string {
  const path = join(dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A copy of examples/<name> (or all of examples/ without build/) in a fresh scratch folder. */
export function copyExample(name?: string): string {
  const dest = scratchDir(name ?? 'examples');
  const src = join(process.cwd(), 'examples', ...(name ? [name] : []));
  cpSync(src, name ? join(dest, name) : dest, {
    recursive: true,
    filter: (p) => !/[\\/](build|target|node_modules)$/.test(p) && !p.endsWith('.wasm'),
  });
  return name ? join(dest, name) : dest;
}
