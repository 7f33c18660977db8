#!/usr/bin/env node
// `npm start`: builds the extension and opens examples/ in VS Code with the extension loaded from
// this repository.
// - With VS Code's `code` on PATH: `code --extensionDevelopmentPath=<repo> <repo>/examples`.
// - Otherwise: code-server (a real VS Code in the browser, installed into .tools/ by
//   scripts/vscode-host/install.sh) on 127.0.0.1, until Ctrl+C; open the printed URL. The extension is a link
//   in the session's extensions folder and notifications pop up as for any user (vscode-host/session.mjs).
//
// Environment: PORT (default 8637), DISABLE_WORKSPACE_TRUST=1 (skip the trust prompt),
// NO_CODE=1 (use code-server even when `code` is on PATH).
// The example binaries are built into examples/build/ (ignored by git) when clang and wabt are there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureHost, portIsFree, workbenchUrl } from './vscode-host/host.mjs';
import { startSession } from './vscode-host/session.mjs';

const EXAMPLES = join(ROOT, 'examples');
const log = (msg) => console.log(`[start] ${msg}`);

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function build() {
  log('building the extension (node build.mjs)');
  const r = spawnSync(process.execPath, ['build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Something to inspect right away: examples/*.c with clang, examples/*.wat with wabt. Best effort. */
async function buildExamples() {
  const out = join(EXAMPLES, 'build');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, '.gitignore'), '*\n'); // built files never get committed
  const built = [];
  for (const file of readdirSync(EXAMPLES).sort()) {
    const [, stem, ext] = /^(.*)\.(c|wat)$/.exec(file) ?? [];
    if (!stem) continue;
    const target = join(out, `${stem}-${ext}.wasm`);
    try {
      if (ext === 'c') {
        const r = spawnSync('clang', ['--target=wasm32-wasi', '-O2', '-o', target, join(EXAMPLES, file)], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.error?.message ?? r.stderr.trim().split('\n')[0]);
      } else {
        const wabt = await (await import('wabt')).default();
        const module = wabt.parseWat(file, readFileSync(join(EXAMPLES, file), 'utf8'));
        try {
          writeFileSync(target, module.toBinary({}).buffer);
        } finally {
          module.destroy();
        }
      }
      built.push(`build/${stem}-${ext}.wasm`);
    } catch (err) {
      log(`skipped ${file}: ${err.message} (for C: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32)`);
    }
  }
  if (built.length) log(`built examples: ${built.join(', ')}`);
}

build();
await buildExamples();

if (onPath('code') && process.env.NO_CODE !== '1') {
  log(`opening VS Code: code --extensionDevelopmentPath=${ROOT} ${EXAMPLES}`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${ROOT}`, EXAMPLES], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

log('`code` is not on PATH: serving VS Code in the browser with code-server');
ensureHost();
const port = Number(process.env.PORT || 8637);
const dir = join(ROOT, '.test-output/start'); // kept across runs, so UI state and trust decisions stay
if (!(await portIsFree(port))) {
  log(`127.0.0.1:${port} is taken (another npm start?): stop it or use PORT=<another port> npm start`);
  process.exit(1);
}
// Until the server is up, a signal just exits; startCodeServer's exit hook ends its process group.
const exitNow = () => process.exit(130);
process.once('SIGINT', exitNow);
process.once('SIGTERM', exitNow);
let server;
try {
  server = await startSession({ dir, port, workspace: EXAMPLES, workspaceTrust: process.env.DISABLE_WORKSPACE_TRUST !== '1' });
} catch (err) {
  log(`could not start code-server on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
}

const url = workbenchUrl(server, EXAMPLES);
console.log(`
  Wasm Workbench is running in VS Code (code-server) at:

    ${url}

  Open that URL in a browser (the extension is loaded from ${ROOT}).
  The walkthrough "Get Started with Wasm Workbench" opens from Help → Welcome; or open a .wasm in examples/build/.
  Reload the page after \`node build.mjs\` to pick up changes. Ctrl+C stops the server.
`);

let stopping = false;
const stop = async (sig) => {
  if (stopping) return;
  stopping = true;
  log(`${sig}: stopping code-server`);
  await server.stop();
  process.exit(0);
};
process.removeListener('SIGINT', exitNow);
process.removeListener('SIGTERM', exitNow);
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
server.child.on('exit', (code, signal) => {
  if (stopping) return;
  log(`code-server exited (${code ?? signal}); see ${server.logFile}`);
  process.exit(1);
});
// The server's child handle keeps this process alive until a signal arrives.
