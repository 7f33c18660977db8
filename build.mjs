// Bundles the extension and the CLI (and, with --tests, the test and bench files) with esbuild.
// Heavy dependencies stay external and are loaded with import() on first use, so activation stays cheap.
import * as esbuild from 'esbuild';
import { chmodSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // Dependencies are resolved from node_modules at run time; `vscode` is provided by the host.
  packages: 'external',
  define: { WASM_WORKBENCH_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
};

function filesUnder(dir, suffix) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (path.endsWith(suffix)) out.push(path);
  }
  return out;
}

if (args.has('--tests')) {
  rmSync('out', { recursive: true, force: true });
  const entryPoints = [
    ...filesUnder('test', '.ts'),
    ...filesUnder('bench', '.ts'),
  ].filter((f) => !f.endsWith('.d.ts'));
  await esbuild.build({ ...common, entryPoints, outdir: 'out', outbase: '.', sourcemap: 'inline' });
} else {
  await esbuild.build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' });
  await esbuild.build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  });
  chmodSync('dist/cli.js', 0o755);
  // The guest's own process (see src/core/run/supervisor.ts): started by the CLI and the extension.
  await esbuild.build({ ...common, entryPoints: ['src/core/run/child/main.ts'], outfile: 'dist/run-child.js' });
  // Printing Wasm as WAT runs in this worker (see src/core/compile/print.ts).
  await esbuild.build({ ...common, entryPoints: ['src/core/compile/print-worker.ts'], outfile: 'dist/print-worker.js' });
}
