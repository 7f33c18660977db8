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
  define: {
    WASM_WORKBENCH_VERSION: JSON.stringify(packageVersion('package.json')),
    // Keys the cache of transpiled components (src/core/run/child/component.ts), bundled or not.
    JCO_TRANSPILE_VERSION: JSON.stringify(packageVersion('node_modules/@bytecodealliance/jco-transpile/package.json')),
  },
};

function packageVersion(file) {
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

// In the packaged extension, the heavy dependencies are minified ESM files in dist/vendor/, beside the bundles, still
// loaded with import() on first use:
// - @kubernetes/client-node (24 MB in 1,400 files with its dependencies, most of it generated API code);
// - @bytecodealliance/jco-transpile (wasm-tools and the component transpiler; its two entries share one chunk, and
//   its Wasm files sit beside it, where its code looks for them). Its transpiler imports oxc-minify at load time for
//   a minify option this project never sets; oxc-minify is a native binding built per platform, so it is replaced by
//   a module that refuses, and the VSIX is the same for every platform. preview2-shim, which jco's wasm-tools build
//   imports, stays a package (plain JavaScript that starts a worker from a file of its own).
const vendored = {
  '@kubernetes/client-node': 'kubernetes-client-node.mjs',
  '@bytecodealliance/jco-transpile': 'jco-transpile.mjs',
  '@bytecodealliance/jco-transpile/wasm-tools': 'jco-wasm-tools.mjs',
};
const useVendored = {
  name: 'vendored',
  setup(build) {
    for (const [name, file] of Object.entries(vendored)) {
      const filter = new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`);
      build.onResolve({ filter }, () => ({ path: `./vendor/${file}`, external: true }));
    }
  },
};
const noMinify = {
  name: 'no-oxc-minify',
  setup(build) {
    build.onResolve({ filter: /^oxc-minify$/ }, () => ({ path: 'oxc-minify', namespace: 'no-oxc-minify' }));
    build.onLoad({ filter: /.*/, namespace: 'no-oxc-minify' }, () => ({
      contents: "export async function minify() { throw new Error('minifying transpiled components is not part of Wasm Workbench'); }",
    }));
  },
};

async function buildVendored() {
  rmSync('dist/vendor', { recursive: true, force: true });
  /** @type {import('esbuild').BuildOptions} */
  const esm = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    logLevel: 'warning',
    // CommonJS dependencies inside an ES module still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  };
  await esbuild.build({
    ...esm,
    entryPoints: ['@kubernetes/client-node'],
    outfile: `dist/vendor/${vendored['@kubernetes/client-node']}`,
    // Optional native speed-ups of ws, absent unless installed.
    external: ['bufferutil', 'utf-8-validate'],
  });
  await esbuild.build({
    ...esm,
    entryPoints: {
      'jco-transpile': '@bytecodealliance/jco-transpile',
      'jco-wasm-tools': '@bytecodealliance/jco-transpile/wasm-tools',
    },
    outdir: 'dist/vendor',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'jco-[hash]',
    external: ['@bytecodealliance/preview2-shim', '@bytecodealliance/preview2-shim/*'],
    plugins: [noMinify],
  });
  const jcoVendor = 'node_modules/@bytecodealliance/jco-transpile/vendor';
  for (const file of readdirSync(jcoVendor).filter((f) => f.endsWith('.wasm')))
    copyFileSync(join(jcoVendor, file), join('dist/vendor', file));
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
  await esbuild.build({ ...common, plugins, entryPoints: ['src/core/run/child/main.ts'], outfile: 'dist/run-child.js' });
  // Printing Wasm as WAT runs in this worker (see src/core/compile/print.ts).
  await esbuild.build({ ...common, plugins, entryPoints: ['src/core/compile/print-worker.ts'], outfile: 'dist/print-worker.js' });
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
