#!/usr/bin/env node
// Runs the integration tests (out/test/extension/index.js) inside a real VS Code: code-server's Node
// extension host, driven by headless Debian Chromium. Prints the tests' output as it comes and a
// closing "N passed, N failed" line; exits non-zero on any failure.
//
//   node build.mjs && node build.mjs --tests && node scripts/vscode-host/run-tests.mjs   (npm run test:vscode)
//
// Environment:
//   VSCODE_HOST_VSIX=path.vsix     test that VSIX, installed into a fresh extensions dir, instead of the
//                                  repository as a development extension (see vsix-check.mjs)
//   VSCODE_HOST_TIMEOUT=300        limit in seconds for the tests once the workbench is loading
//   VSCODE_HOST_WORKSPACE_TRUST=1  keep VS Code's workspace trust on (default: --disable-workspace-trust)
//   VSCODE_HOST_VERBOSE=1          also print the workbench's own log lines
//   VSCODE_HOST_GREP=regexp        run only the tests whose full title matches (while working on them)
//
// Tests tagged @restricted in their title need an untrusted workspace: `npm run test:vscode` runs them in a second,
// short session with workspace trust on (the folder then opens in Restricted Mode); every other test runs in the
// first session, where trust is off.
//   UPDATE_DOCS_IMAGES=1           also copy the screenshots the docs show (docs:NAME) to docs/images/NAME.png
//
// Output (fresh each run) under .test-output/vscode-host/: server-<mode>/ (config, user data,
// extensions, code-server.log, workbench.log, logs/), workspace/ (a copy of examples/), screenshots/,
// webview/ (answers to the tests' webview requests).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  QUIET_SETTINGS,
  ROOT,
  copyExamples,
  ensureHost,
  freePort,
  freshDir,
  killGroupNow,
  launchChromium,
  startCodeServer,
  workbenchUrl,
} from './host.mjs';

// Lines printed by test/extension/index.ts and inspect.test.ts.
const SUMMARY_PREFIX = 'wasm-workbench-test-summary ';
/** In the title of tests that run only in the Restricted Mode session. */
export const RESTRICTED_TAG = '@restricted';
// A test that wants a picture of the workbench prints this and a name (`docs:NAME` for one the docs show); the
// driver saves screenshots/<name>.png, which the test waits for (test/extension/screenshot.ts).
const SCREENSHOT_PREFIX = 'wasm-workbench-screenshot ';
const DOCS_IMAGES = join(ROOT, 'docs/images');
// A test that wants to act on a webview or on the workbench's page (which the extension host cannot reach)
// prints this and a JSON request { id, op: 'click' | 'text' | 'count' | 'fill' | 'select' | 'press' | 'hover', selector,
// frame?: 'webview' | 'workbench', timeoutMs?, value? (fill, select), key? (press), modifiers?, button? (click), force? (click,
// hover: the mouse goes to the element's place even when another element lies over it, as a user's does) }; the driver finds the first webview frame (webviews are nested iframes), or the page itself, where
// the selector matches, does it, and writes the result { ok, text?, count?, error? } to webview/<id>.json, which
// the test waits for (test/extension/driver.ts).
const WEBVIEW_PREFIX = 'wasm-workbench-webview ';
const START_LINE = /^Running \d+ test file\(s\)/;
const UNDER_TEST = /extension under test: (.+)$/;
// Workbench chatter that says nothing about the tests (no marketplace or GitHub to reach here).
const NOISE = [/^\[AgentHost\]/, /^\[AccountPolicyGate\]/, /open-vsx\.org/, /ENOTFOUND/, /^SettingsEditor2: Settings not included/];

const log = (msg) => console.log(`[vscode-host] ${msg}`);

/**
 * Runs the suite once and returns { passed, failed, pending, exitCode, ok, mode }.
 * `vsix`: a VSIX to install and test; otherwise `extensionDevelopmentPath` (the repository) is loaded
 * as a development extension.
 * @param {{ vsix?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string, outDir?: string, timeoutMs?: number,
 *   workspaceTrust?: boolean, verbose?: boolean, grep?: string, invert?: boolean }} [options]
 */
export async function runSuite({
  vsix,
  extensionDevelopmentPath = ROOT,
  extensionTestsPath = join(ROOT, 'out/test/extension/index.js'),
  outDir = join(ROOT, '.test-output/vscode-host'),
  timeoutMs = 300_000,
  workspaceTrust = false,
  verbose = false,
  // Which tests: those whose full title contains `grep`, or (`invert`) all the others.
  grep = RESTRICTED_TAG,
  invert = true,
} = {}) {
  const mode = `${vsix ? 'vsix' : 'dev'}${workspaceTrust ? '-trust' : ''}`;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  if (!existsSync(extensionTestsPath)) {
    throw new Error(`${extensionTestsPath} is missing: run \`node build.mjs --tests\` first`);
  }
  if (vsix && !existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  if (!vsix && extensionDevelopmentPath === ROOT && !existsSync(join(ROOT, 'dist/extension.js'))) {
    throw new Error('dist/extension.js is missing: run `node build.mjs` first');
  }
  ensureHost({ quiet: true });

  mkdirSync(outDir, { recursive: true });
  const serverDir = freshDir(join(outDir, `server-${mode}`));
  const workspace = copyExamples(join(outDir, 'workspace'));
  const screenshots = join(outDir, 'screenshots');
  const webviewResults = freshDir(join(outDir, 'webview'));
  const shot = join(screenshots, `${mode}.png`);
  mkdirSync(screenshots, { recursive: true });
  rmSync(shot, { force: true });
  // An installed extension must not find packages in the repository's node_modules by walking up
  // from its folder (Node's module resolution), or a VSIX missing a dependency would still pass.
  // So its extensions dir lives outside the repository.
  const extensionsDir = vsix ? mkdtempSync(join(tmpdir(), 'wasm-workbench-vsix-extensions-')) : undefined;
  const expectedLocation = vsix ? extensionsDir : resolve(extensionDevelopmentPath);

  let server;
  let browser;
  // Whatever happens (exception, Ctrl+C), the server's process group must not outlive us.
  const killNow = () => {
    if (server) killGroupNow(server.pid);
    if (extensionsDir) rmSync(extensionsDir, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    killNow();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killNow);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const lines = []; // every workbench log line, saved to workbench.log
  const result = { passed: 0, failed: 0, pending: 0, exitCode: undefined, ok: false, mode };
  try {
    const port = await freePort();
    log(`${mode} mode: starting code-server on 127.0.0.1:${port}${vsix ? ` with ${vsix} installed` : ''}`);
    // The tests learn from this variable that a driver answers their UI requests (test/extension/driver.ts).
    server = await startCodeServer({
      dir: serverDir,
      port,
      workspace,
      workspaceTrust,
      vsix,
      extensionsDir,
      env: {
        WASM_WORKBENCH_TEST_DRIVER: '1',
        ...(grep ? { WASM_WORKBENCH_TEST_GREP: grep } : {}),
        ...(grep && invert ? { WASM_WORKBENCH_TEST_GREP_INVERT: '1' } : {}),
        // With trust on, a new folder opens in Restricted Mode; no modal question at start-up, as for a user who closed it.
      },
      settings: workspaceTrust ? { ...QUIET_SETTINGS, 'security.workspace.trust.startupPrompt': 'never' } : QUIET_SETTINGS,
    });
    log(`code-server is up after ${elapsed()} (log: ${server.logFile})`);

    browser = await launchChromium();
    // Clipboard permissions: VS Code's web clipboard is the browser's, which tests read back.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
    let inTests = false;
    /** @type {{ passed: number, failed: number, pending: number, skipped?: string[] } | undefined} */
    let summary;
    /** @type {string | undefined} */
    let location;
    /** @type {Promise<unknown> | undefined} */
    let finalShot;
    let onExit;
    const exited = new Promise((r) => {
      onExit = r;
    });

    // Both must exist before the workbench loads: it looks them up on `window`. The log gets the
    // workbench's log lines and, while tests run, the extension host's console output.
    await page.exposeFunction('codeAutomationLog', (level, args) => {
      const text = (Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      const noise = NOISE.some((re) => re.test(text));
      const split = text.split('\n');
      // Outside the tests' output only errors are shown, by their first line (the rest is in workbench.log).
      if (!verbose && !inTests && level === 'error' && !noise) console.log(`[workbench error] ${split[0]}`);
      for (const line of split) {
        lines.push(`[${level}] ${line}`);
        if (START_LINE.test(line)) inTests = true;
        location ??= UNDER_TEST.exec(line)?.[1];
        if (line.startsWith(SCREENSHOT_PREFIX)) {
          const requested = line.slice(SCREENSHOT_PREFIX.length).trim();
          const forDocs = requested.startsWith('docs:');
          const name = requested.replace(/^docs:/, '').replace(/[^\w.-]/g, '_');
          const path = join(screenshots, `${name}.png`);
          const partial = `${path}.partial.png`;
          // Written aside and renamed, so the waiting test never reads half a file.
          void page.screenshot({ path: partial }).then(
            () => {
              if (forDocs && process.env.UPDATE_DOCS_IMAGES === '1') copyFileSync(partial, join(DOCS_IMAGES, `${name}.png`));
              renameSync(partial, path);
            },
            (e) => log(`screenshot ${name} failed: ${e.message}`),
          );
          continue;
        }
        if (line.startsWith(WEBVIEW_PREFIX)) {
          void actOnWebview(page, line.slice(WEBVIEW_PREFIX.length), webviewResults);
          continue;
        }
        if (line.startsWith(SUMMARY_PREFIX)) {
          try {
            summary = JSON.parse(line.slice(SUMMARY_PREFIX.length));
          } catch {
            /* reported below */
          }
          inTests = false;
          // Now, while the extension host still runs: once it stops, webviews (the Markdown preview) go blank.
          finalShot ??= page.screenshot({ path: shot }).catch(() => undefined);
          continue;
        }
        if (verbose || (inTests && !noise)) console.log(line);
      }
    });
    // Called with the test runner's exit code once the extension host has stopped.
    await page.exposeFunction('codeAutomationExit', (code, logs) => onExit({ code, logs }));
    page.on('crash', () => onExit({ code: 'the page crashed' }));
    server.child.once('exit', (code, signal) => onExit({ code: `code-server exited (${code ?? signal})` }));

    const url = workbenchUrl(server, workspace, {
      extensionDevelopmentPath: vsix ? emptyHarnessExtension(serverDir) : extensionDevelopmentPath,
      extensionTestsPath,
    });
    if (verbose) log(`opening ${url}`);
    let timer;
    const timedOut = new Promise((r) => {
      timer = setTimeout(() => r({ code: 'timeout' }), timeoutMs);
    });
    await page.goto(url);
    const end = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    result.exitCode = end.code;
    // The workbench hands over the logs of the window, the extension host and the server.
    for (const { relativePath, contents } of end.logs ?? []) {
      const file = join(serverDir, 'logs', relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
    }

    const problems = [];
    if (end.code === 'timeout') problems.push(`the tests did not finish within ${timeoutMs / 1000} s (VSCODE_HOST_TIMEOUT)`);
    else if (typeof end.code !== 'number') problems.push(String(end.code));
    if (!summary) problems.push('the test runner reported no summary (did it start? last log lines below)');
    // Proves which copy of the extension ran: the development folder, or the one installed from the VSIX
    // (printed by a test in inspect.test.ts, which a run of only some tests may leave out).
    if (
      summary &&
      (location || !(grep && !invert)) &&
      !(location && (location === expectedLocation || location.startsWith(expectedLocation + '/')))
    ) {
      problems.push(`the extension under test was loaded from ${location ?? '(not reported)'}, expected ${expectedLocation}`);
    }
    // Under code-server the driver is always there, so nothing has a reason to skip: a skipped test is a test that
    // did not show what it is for.
    if (summary?.pending) {
      problems.push(`${summary.pending} test(s) skipped, which a run here must not: ${(summary.skipped ?? []).join('; ')}`);
    }
    for (const p of problems) log(`FAILED: ${p}`);
    if (!summary) for (const l of lines.slice(-30)) console.log(`  ${l}`);

    result.passed = summary?.passed ?? 0;
    result.failed = summary?.failed ?? 0;
    result.pending = summary?.pending ?? 0;
    result.ok = end.code === 0 && problems.length === 0 && result.failed === 0 && result.passed > 0;
    // A crash or timeout outside any test still has to show in the counts.
    if (!result.ok && result.failed === 0) result.failed = 1;

    // The screenshot taken when the summary arrived, or one now (timeout, crash, no summary).
    if (finalShot) await finalShot;
    if (!existsSync(shot)) await page.screenshot({ path: shot }).catch((e) => log(`no screenshot: ${e.message}`));
    if (existsSync(shot)) log(`screenshot: ${shot}`);
  } finally {
    writeFileSync(join(serverDir, 'workbench.log'), lines.join('\n') + '\n');
    await browser?.close().catch(() => {});
    await server?.stop();
    killNow();
    process.removeListener('exit', killNow);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  log(`${mode} mode finished in ${elapsed()} (host exit code ${result.exitCode})`);
  return result;
}

/**
 * Does one request of a test on the first webview frame where `selector` matches, or on the workbench's page
 * (`frame: 'workbench'`), retrying until `timeoutMs` (a webview may still be loading), and writes the outcome to
 * `dir`/<id>.json (aside, then renamed).
 */
async function actOnWebview(page, json, dir) {
  let request;
  try {
    request = JSON.parse(json);
  } catch {
    log(`webview request is not JSON: ${json}`);
    return;
  }
  const {
    id,
    op,
    selector,
    timeoutMs = 10_000,
    frame: where = 'webview',
    value,
    key,
    modifiers = [],
    button = 'left',
    force = false,
  } = request ?? {};
  const validExtras =
    (op !== 'fill' && op !== 'select' ? value === undefined : typeof value === 'string') &&
    (op !== 'press' ? key === undefined : typeof key === 'string' && /^[\w+]+$/.test(key)) &&
    Array.isArray(modifiers) &&
    modifiers.every((m) => ['Alt', 'Control', 'Meta', 'Shift'].includes(m)) &&
    ['left', 'right'].includes(button) &&
    typeof force === 'boolean';
  if (
    typeof id !== 'string' ||
    !/^[\w.-]+$/.test(id) ||
    typeof selector !== 'string' ||
    !['click', 'text', 'count', 'fill', 'select', 'press', 'hover'].includes(op) ||
    !['webview', 'workbench'].includes(where) ||
    !validExtras
  ) {
    log(`bad webview request: ${json}`);
    return;
  }
  const result = { ok: false };
  const deadline = Date.now() + Math.min(Number(timeoutMs) || 10_000, 60_000);
  for (;;) {
    let found;
    for (const frame of page.frames()) {
      if ((frame === page.mainFrame()) !== (where === 'workbench')) continue;
      const locator = frame.locator(selector);
      if ((await locator.count().catch(() => 0)) > 0) {
        found = locator;
        break;
      }
    }
    try {
      if (op === 'count') {
        result.count = found ? await found.count() : 0;
        result.ok = true;
      } else if (found && op === 'click') {
        await found.first().click({ timeout: 5000, modifiers, button, force });
        result.ok = true;
      } else if (found && op === 'hover') {
        await found.first().hover({ timeout: 5000, force });
        result.ok = true;
      } else if (found && op === 'fill') {
        await found.first().fill(value, { timeout: 5000 });
        result.ok = true;
      } else if (found && op === 'select') {
        await found.first().selectOption(value, { timeout: 5000 });
        result.ok = true;
      } else if (found && op === 'press') {
        await found.first().press(key, { timeout: 5000 });
        result.ok = true;
      } else if (found && op === 'text') {
        result.text = (await found.first().textContent({ timeout: 5000 })) ?? '';
        result.ok = true;
      }
    } catch (e) {
      result.error = e.message;
    }
    if (result.ok || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!result.ok) result.error ??= `no frame has ${selector}`;
  const path = join(dir, `${id}.json`);
  writeFileSync(`${path}.partial`, JSON.stringify(result));
  renameSync(`${path}.partial`, path);
}

/**
 * The workbench runs extensionTestsPath only in an extension development window, which needs some
 * extensionDevelopmentPath. To test an installed VSIX, that path is this empty extension (another id,
 * no code), so the extension under test is the one installed from the VSIX.
 */
function emptyHarnessExtension(dir) {
  const path = join(dir, 'test-harness-extension');
  mkdirSync(path, { recursive: true });
  writeFileSync(
    join(path, 'package.json'),
    JSON.stringify(
      {
        name: 'test-harness',
        publisher: 'wasm-workbench-tests',
        version: '0.0.0',
        description: 'Empty development extension: lets the workbench run extension tests against an installed VSIX.',
        engines: { vscode: '*' },
      },
      null,
      2,
    ),
  );
  return path;
}

async function main() {
  const vsix = process.env.VSCODE_HOST_VSIX ? resolve(process.env.VSCODE_HOST_VSIX) : undefined;
  const userGrep = process.env.VSCODE_HOST_GREP;
  const common = {
    vsix,
    timeoutMs: Number(process.env.VSCODE_HOST_TIMEOUT || 300) * 1000,
    verbose: process.env.VSCODE_HOST_VERBOSE === '1',
  };
  const passes = [];
  if (!userGrep?.includes(RESTRICTED_TAG)) {
    passes.push({
      ...common,
      workspaceTrust: process.env.VSCODE_HOST_WORKSPACE_TRUST === '1',
      grep: userGrep ?? RESTRICTED_TAG,
      invert: !userGrep,
    });
  }
  if (!vsix && (!userGrep || userGrep.includes(RESTRICTED_TAG)))
    passes.push({ ...common, workspaceTrust: true, grep: RESTRICTED_TAG, invert: false });
  const result = { passed: 0, failed: 0, pending: 0, ok: true };
  for (const pass of passes) {
    try {
      const one = await runSuite(pass);
      result.passed += one.passed;
      result.failed += one.failed;
      result.pending += one.pending;
      result.ok &&= one.ok;
    } catch (err) {
      log(`FAILED: ${err.message}`);
      result.failed += 1;
      result.ok = false;
    }
  }
  console.log(`${result.passed} passed, ${result.failed} failed${result.pending ? `, ${result.pending} skipped` : ''}`);
  process.exit(result.ok ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
