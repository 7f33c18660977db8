#!/usr/bin/env node
// The same integration suite in desktop VS Code (Electron) through @vscode/test-electron, for machines
// that can download VS Code (CI here cannot: it uses run-tests.mjs with code-server instead).
//
//   npm run test:electron
//   xvfb-run -a npm run test:electron         (Linux without a display)
//
// Environment:
//   VSCODE_EXECUTABLE=/path/to/code   use an installed VS Code instead of downloading one
//   VSCODE_VERSION=stable             version to download (e.g. 1.90.0, insiders); cached in .tools/vscode-test
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, copyExamples, freshDir } from './host.mjs';

const log = (msg) => console.log(`[vscode-electron] ${msg}`);
const OUT = join(ROOT, '.test-output/vscode-electron');

function finish(passed, failed, code) {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code);
}

const extensionTestsPath = join(ROOT, 'out/test/extension/index.js');
if (!existsSync(extensionTestsPath) || !existsSync(join(ROOT, 'dist/extension.js'))) {
  log('FAILED: build first: node build.mjs && node build.mjs --tests');
  finish(0, 1, 1);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  log('warning: no display; Electron needs one: run this under `xvfb-run -a`');
}

const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
if (!vscodeExecutablePath) {
  const version = process.env.VSCODE_VERSION || 'stable';
  log(`getting VS Code ${version} (cache: .tools/vscode-test)`);
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version,
      cachePath: join(ROOT, '.tools/vscode-test'),
      timeout: 15_000,
    });
  } catch (err) {
    log(`FAILED: could not download VS Code: ${err.message}`);
    log('This machine may not reach the VS Code download server. Use `npm run test:vscode` (code-server, from npm)');
    log('or point VSCODE_EXECUTABLE at an installed VS Code.');
    finish(0, 1, 1);
  }
}

freshDir(OUT);
const workspace = copyExamples(join(OUT, 'workspace'));
const summaryFile = join(OUT, 'summary.json');
mkdirSync(join(OUT, 'user-data'), { recursive: true });
let exitCode;
try {
  exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    // The console of the extension host goes to our stdout; the counts come back through this file.
    extensionTestsEnv: { WASM_WORKBENCH_TEST_SUMMARY: summaryFile },
    launchArgs: [
      workspace,
      '--user-data-dir',
      join(OUT, 'user-data'),
      '--extensions-dir',
      join(OUT, 'extensions'),
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-gpu',
    ],
  });
} catch (err) {
  log(`FAILED: ${err.message}`);
  exitCode = typeof err.code === 'number' ? err.code : 1;
}

let summary;
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  log('FAILED: the test runner wrote no summary');
}
rmSync(join(OUT, 'extensions'), { recursive: true, force: true });
const passed = summary?.passed ?? 0;
let failed = summary?.failed ?? 0;
const ok = exitCode === 0 && summary !== undefined && failed === 0 && passed > 0;
if (!ok && failed === 0) failed = 1;
finish(passed, failed, ok ? 0 : 1);
