// Shared helpers for running the extension in a real VS Code: code-server (installed by install.sh)
// serves the workbench and runs a Node extension host; headless Debian Chromium (playwright-core)
// opens the page. Used by run-tests.mjs, vsix-check.mjs and ../start.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const NODE24 = join(ROOT, '.tools/node24/bin/node');
export const CODE_SERVER = join(ROOT, '.tools/code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const INSTALL_SH = join(ROOT, 'scripts/vscode-host/install.sh');

/**
 * Runs install.sh, which is idempotent and takes milliseconds once the host is there (it checks
 * versions). With `quiet`, and a host already there, its output is shown only when it installed
 * something or failed.
 */
export function ensureHost({ quiet = false } = {}) {
  if (!quiet || !existsSync(NODE24) || !existsSync(CODE_SERVER)) {
    const r = spawnSync('bash', [INSTALL_SH], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`install.sh failed (exit ${r.status ?? r.signal})`);
    return;
  }
  const r = spawnSync('bash', [INSTALL_SH], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || /installing/.test(out)) process.stdout.write(out);
  if (r.status !== 0) throw new Error(`install.sh failed (exit ${r.status ?? r.signal})`);
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolvePort(port));
    });
  });
}

export function portIsFree(port) {
  return new Promise((resolveFree) => {
    const srv = createServer();
    srv.once('error', () => resolveFree(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolveFree(true)));
  });
}

/** A fresh directory (removed first). */
export function freshDir(path) {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}

/** Copies examples/ (without build/, which start.mjs fills) to `dest`, a workspace the tests may write into. */
export function copyExamples(dest) {
  const src = join(ROOT, 'examples');
  rmSync(dest, { recursive: true, force: true });
  cpSync(src, dest, { recursive: true, filter: (p) => p !== join(src, 'build') });
  return dest;
}

/**
 * User settings for a fresh profile: no welcome page, chat panel or update checks (this machine
 * reaches no marketplace), so that screenshots show the extension and logs stay readable.
 */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  // The workspaces (examples/ and the tests' copies) sit inside this repository: no offer to open its Git repository.
  'git.openRepositoryInParentFolders': 'never',
};

function codeServerEnv(extra = {}) {
  // Node 24 first on PATH so that anything code-server spawns with `node` gets the same runtime.
  return { ...process.env, PATH: `${dirname(NODE24)}:${process.env.PATH}`, ...extra };
}

/** `code-server --install-extension` into `extensionsDir`; throws with its output on failure. */
export function installVsix(vsix, { extensionsDir, userDataDir, configFile }) {
  const r = spawnSync(
    NODE24,
    [
      CODE_SERVER,
      '--config',
      configFile,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: codeServerEnv(), encoding: 'utf8' },
  );
  const out = `${r.stdout}${r.stderr}`.trim();
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${out}`);
  return out;
}

/**
 * Starts code-server on 127.0.0.1:`port` with everything (config, user data, extensions, log) under `dir`.
 * It runs in its own process group (detached = setsid) so that stop() also ends the extension host
 * and the other children, which otherwise outlive the server for a while.
 *
 * `smokeTestDriver`: the test payload (extensionDevelopmentPath, extensionTestsPath in the page URL) works only
 * with VS Code's smoke-test driver on, and with it on the workbench never pops up notifications (they stay in the
 * notification centre). So tests turn it on and a session for people (npm start) leaves it off.
 * `env`: extra variables for the server and the extension hosts it starts.
 * @param {{ dir: string, port: number, workspace: string, workspaceTrust?: boolean, vsix?: string, extensionsDir?: string,
 *   userDataDir?: string, logFile?: string, settings?: Record<string, unknown>, readyTimeoutMs?: number,
 *   smokeTestDriver?: boolean, env?: Record<string, string> }} options
 */
export async function startCodeServer({
  dir,
  port,
  workspace,
  workspaceTrust = false,
  vsix,
  extensionsDir,
  userDataDir = join(dir, 'user-data'),
  logFile = join(dir, 'code-server.log'),
  settings = QUIET_SETTINGS,
  readyTimeoutMs = 60_000,
  smokeTestDriver = true,
  env = {},
}) {
  extensionsDir ??= join(dir, 'extensions');
  mkdirSync(dir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settingsFile = join(userDataDir, 'User/settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(settings, null, 2) + '\n');
  const configFile = join(dir, 'config.yaml');
  // An explicit config file: without one code-server writes ~/.config/code-server/config.yaml with a password.
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  if (vsix) installVsix(vsix, { extensionsDir, userDataDir, configFile });
  const args = [
    CODE_SERVER,
    '--config',
    configFile,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    workspace,
  ];
  const log = openSync(logFile, 'a');
  const child = spawn(NODE24, args, { detached: true, stdio: ['ignore', log, log], env: codeServerEnv(env) });
  closeSync(log);
  /** @typedef {{ code: number | null, signal: NodeJS.Signals | null }} Exit */
  /** @type {Exit | null} */
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  // Should this process exit first (an exception, process.exit in a signal handler), take the group along.
  const onParentExit = () => killGroupNow(child.pid);
  process.on('exit', onParentExit);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopGroup(child.pid);
    process.removeListener('exit', onParentExit);
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    // Set by the 'exit' listener while this loop waits (which control-flow analysis cannot see).
    const ended = /** @type {Exit | null} */ (exited);
    if (ended) throw new Error(`code-server exited early (${ended.code ?? ended.signal}); see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within ${readyTimeoutMs / 1000} s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, pid: child.pid, configFile, extensionsDir, userDataDir, logFile, stop, child };
}

/** SIGTERM to the whole process group, SIGKILL after a grace period if anything is left. */
export async function stopGroup(pgid, graceMs = 3000) {
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Same as stopGroup, synchronous, for process 'exit' handlers. */
export function killGroupNow(pgid) {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/**
 * The workbench URL. Paths in the payload are vscode-remote:// URIs on the server, which is how
 * `--extensionDevelopmentPath` / `--extensionTestsPath` reach a web workbench.
 * @param {{ port: number, url: string }} server
 * @param {string} workspace
 * @param {{ extensionDevelopmentPath?: string, extensionTestsPath?: string }} [paths]
 */
export function workbenchUrl(server, workspace, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let url = `${server.url}/?folder=${encodeURIComponent(resolve(workspace))}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Headless Debian Chromium through playwright-core (which never downloads a browser itself). */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const { chromium } = await import('playwright-core');
  // launch() already uses a fresh temporary profile (user-data-dir) per browser.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
