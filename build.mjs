// Bundles the extension and the CLI (and, with --tests, the test and bench files) with esbuild.
// Heavy dependencies stay external and are loaded with import() on first use, so activation stays cheap.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

/** @type {import('esbuild').BuildOptions} */
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

// In the packaged extension, @kubernetes/client-node (24 MB in 1,400 files with its dependencies, most of it
// generated API code) is one minified ESM file beside the bundles, still loaded with import() on first use.
const vendored = { '@kubernetes/client-node': 'kubernetes-client-node.mjs' };
const useVendored = {
  name: 'vendored',
  setup(build) {
    for (const [name, file] of Object.entries(vendored)) {
      const filter = new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`);
      build.onResolve({ filter }, () => ({ path: `./vendor/${file}`, external: true }));
    }
  },
};

async function buildVendored() {
  for (const [name, file] of Object.entries(vendored)) {
    await esbuild.build({
      entryPoints: [name],
      outfile: `dist/vendor/${file}`,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      logLevel: 'warning',
      // Optional native speed-ups of ws, absent unless installed.
      external: ['bufferutil', 'utf-8-validate'],
      // CommonJS dependencies inside an ES module still call require() for Node's built-ins.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
  }
}

// The WASI preview1 adapters go into the package (dist/adapters/, where src/core/build/adapter.ts looks first).
const adapters = ['wasi_snapshot_preview1.command.wasm', 'wasi_snapshot_preview1.reactor.wasm'];
function copyAdapters() {
  mkdirSync('dist/adapters', { recursive: true });
  for (const name of adapters) {
    const from = join('.tools/adapters', name);
    if (!existsSync(from)) throw new Error(`${from} is missing: run \`bash scripts/fetch-wasi-adapters.sh\` first`);
    copyFileSync(from, join('dist/adapters', name));
  }
}

/** The webview pages' scripts, each bundled to dist/webview/<name>.js. */
const webviewPages = { inspector: 'media/inspector/inspector.js', hex: 'media/hex/hex.js', grants: 'media/run-grants/grants.js' };

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
  const entryPoints = [...filesUnder('test', '.ts'), ...filesUnder('bench', '.ts')].filter((f) => !f.endsWith('.d.ts'));
  await esbuild.build({ ...common, entryPoints, outdir: 'out', outbase: '.', sourcemap: 'inline' });
} else {
  const plugins = production ? [useVendored] : [];
  if (production) {
    await buildVendored();
    copyAdapters();
  } else {
    rmSync('dist/vendor', { recursive: true, force: true });
    rmSync('dist/adapters', { recursive: true, force: true });
  }
  await esbuild.build({ ...common, plugins, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' });
  // The CLI: a small dispatcher, and each command a bundle of its own beside it (dist/cli-<name>.js), so a call
  // parses only its command's code (Node's start-up is most of a CLI call; `run` starts two processes).
  const commandFiles = readdirSync('src/cli').filter((f) => f.endsWith('-command.ts'));
  const separateCommands = {
    name: 'separate-cli-commands',
    setup(build) {
      build.onResolve({ filter: /^\.\/[a-z-]+-command$/ }, (resolved) =>
        resolved.importer.endsWith(join('src', 'cli', 'commands.ts'))
          ? { path: `./cli-${resolved.path.slice(2)}.js`, external: true }
          : undefined,
      );
    },
  };
  await esbuild.build({
    ...common,
    plugins: [...plugins, separateCommands],
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  });
  chmodSync('dist/cli.js', 0o755);
  for (const file of commandFiles) {
    await esbuild.build({
      ...common,
      plugins,
      entryPoints: [join('src', 'cli', file)],
      outfile: `dist/cli-${file.replace(/\.ts$/, '.js')}`,
    });
  }
  // The guest's own process (see src/core/run/supervisor.ts): started by the CLI and the extension.
  await esbuild.build({ ...common, entryPoints: ['src/core/run/child/main.ts'], outfile: 'dist/run-child.js' });
  // Printing Wasm as WAT runs in this worker (see src/core/compile/print.ts).
  await esbuild.build({ ...common, entryPoints: ['src/core/compile/print-worker.ts'], outfile: 'dist/print-worker.js' });
  // The webview pages: one script each for the browser, with what they share with each other (media/common/) and
  // with core (the byte formatter, rich text) bundled in.
  for (const [name, entry] of Object.entries(webviewPages)) {
    await esbuild.build({
      entryPoints: [entry],
      outfile: `dist/webview/${name}.js`,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      sourcemap: false,
      minify: production,
      logLevel: 'warning',
    });
  }
}
