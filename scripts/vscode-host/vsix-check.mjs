#!/usr/bin/env node
// Proves the VSIX works on its own: packs it (`npm run package`), checks its size, installs it into a
// fresh code-server extensions dir and runs the integration tests against the installed extension
// (no development path, so only what the VSIX ships is loaded).
//
//   node scripts/vscode-host/vsix-check.mjs            (npm run test:vsix)
//
// Environment:
//   VSIX=path.vsix        test this file instead of packing dist/wasm-workbench.vsix
//   VSIX_MAX_MB=10        fail when the VSIX is larger (catches a dependency shipped by mistake)
//   plus those of run-tests.mjs (VSCODE_HOST_TIMEOUT, VSCODE_HOST_VERBOSE, ...)
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yauzl from 'yauzl';
import { ROOT } from './host.mjs';
import { runSuite } from './run-tests.mjs';

const log = (msg) => console.log(`[vsix-check] ${msg}`);

function run(cmd, args) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

async function main() {
  const started = Date.now();
  let vsix = process.env.VSIX ? resolve(process.env.VSIX) : undefined;
  if (!vsix) {
    run('npm', ['run', '--silent', 'package']);
    vsix = join(ROOT, 'dist/wasm-workbench.vsix');
  }
  // The tests themselves are not in the VSIX: they run from out/test/extension.
  run(process.execPath, ['build.mjs', '--tests']);

  const bytes = statSync(vsix).size;
  const maxMb = Number(process.env.VSIX_MAX_MB || 10);
  log(`${vsix}: ${bytes} bytes (${(bytes / 1024 / 1024).toFixed(2)} MiB), limit ${maxMb} MiB`);
  if (bytes > maxMb * 1024 * 1024) throw new Error(`the VSIX is larger than ${maxMb} MiB: check .vscodeignore`);
  // One VSIX serves every platform: a native binding (built for this machine only) must not be in it.
  const native = (await zipEntries(vsix)).filter((name) => /\.(node|so|dylib|dll)$/.test(name));
  log(`native binaries in the VSIX: ${native.length ? native.join(', ') : 'none'}`);
  if (native.length) throw new Error(`the VSIX carries native binaries for this platform only: ${native.join(', ')}`);

  const result = await runSuite({
    vsix,
    timeoutMs: Number(process.env.VSCODE_HOST_TIMEOUT || 300) * 1000,
    verbose: process.env.VSCODE_HOST_VERBOSE === '1',
  });
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * The names of the files in a VSIX (a zip file), read by yauzl (the zip reader vsce itself uses).
 * @param {string} path
 * @returns {Promise<string[]>}
 */
function zipEntries(path) {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (/** @type {Error | null} */ error, /** @type {any} */ zip) => {
      if (error) return reject(error);
      /** @type {string[]} */
      const names = [];
      zip.on('entry', (/** @type {{ fileName: string }} */ entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

let result;
try {
  result = await main();
} catch (err) {
  log(`FAILED: ${err.message}`);
  result = { passed: 0, failed: 1, pending: 0, ok: false };
}
console.log(`${result.passed} passed, ${result.failed} failed${result.pending ? `, ${result.pending} skipped` : ''}`);
process.exit(result.ok ? 0 : 1);
