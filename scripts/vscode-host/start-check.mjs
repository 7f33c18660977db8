#!/usr/bin/env node
// Checks the session `npm start` gives people (vscode-host/session.mjs), as a person uses it: code-server without
// the smoke-test driver, the extension loaded from its link in the session's extensions folder, driven only
// through the keyboard in headless Chromium. It opens hello.wat, runs "Wasm: Compile WAT" from the command palette
// and expects the "Wrote hello.wasm" notification to pop up (the smoke-test driver would keep it in the
// notification centre). Prints "N passed, N failed".
//
//   node build.mjs && node scripts/vscode-host/start-check.mjs      (npm run test:start)
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, copyExamples, ensureHost, freePort, freshDir, killGroupNow, launchChromium, workbenchUrl } from './host.mjs';
import { startSession } from './session.mjs';

const OUT = join(ROOT, '.test-output/start-check');
const SCREENSHOTS = join(ROOT, '.test-output/vscode-host/screenshots');
const log = (msg) => console.log(`[start-check] ${msg}`);

const checks = [];
async function check(title, body) {
  const started = Date.now();
  try {
    await body();
    checks.push({ title, ok: true });
    console.log(`  ✓ ${title} (${Date.now() - started} ms)`);
  } catch (error) {
    checks.push({ title, ok: false });
    console.log(
      `  ✗ ${title}\n    ${String(error?.stack ?? error)
        .split('\n')
        .join('\n    ')}`,
    );
    throw error;
  }
}

/**
 * Types `text` into the palette (F1; without a leading `>` it is Quick Open) and waits for a row with `label`.
 * The palette lists what is registered when it opens, so until the extension host is up it is opened again.
 */
async function pick(page, text, label, timeoutMs = 60_000) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  for (const end = Date.now() + timeoutMs; ;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(text);
    try {
      await row.waitFor({ state: 'visible', timeout: 3000 });
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() > end)
        throw new Error(`the palette shows no "${label}" for ${JSON.stringify(text)} (${error.message.split('\n')[0]})`);
    }
  }
}

/** Runs a command from the palette by its title, as a person would. */
async function runFromPalette(page, title) {
  await pick(page, `>${title}`, title);
  await page.keyboard.press('Enter');
}

async function main() {
  if (!existsSync(join(ROOT, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `node build.mjs` first');
  ensureHost({ quiet: true });
  freshDir(OUT);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const workspace = copyExamples(join(OUT, 'workspace'));
  const port = await freePort();
  let server;
  let browser;
  const killNow = () => server && killGroupNow(server.pid);
  process.once('exit', killNow);
  try {
    log(`starting the npm start session on 127.0.0.1:${port}`);
    server = await startSession({ dir: join(OUT, 'session'), port, workspace, workspaceTrust: false });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

    await check("the extension is loaded from its link in the session's extensions folder", async () => {
      const link = join(OUT, 'session/extensions');
      const linked = readdirSync(link).filter((e) => e.startsWith('wasm-workbench.wasm-workbench-'));
      if (linked.length !== 1 || realpathSync(join(link, linked[0])) !== realpathSync(ROOT))
        throw new Error(`expected one link to ${ROOT} in ${link}, found ${linked.join(', ') || 'none'}`);
      // Its commands are in the palette once the workbench has read the extension.
      await pick(page, '>Wasm: Compile WAT', 'Wasm: Compile WAT');
      await page.keyboard.press('Escape');
    });

    await check('Wasm: Compile WAT from the palette pops up "Wrote hello.wasm"', async () => {
      // Quick Open (the palette without its ">") opens the file.
      await pick(page, 'hello.wat', 'hello.wat');
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'hello.wat' }).waitFor({ timeout: 15_000 });
      await runFromPalette(page, 'Wasm: Compile WAT');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Wrote hello.wasm' });
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      const buttons = await toast.locator('.monaco-button').allTextContents();
      if (!buttons.includes('Inspect'))
        throw new Error(`the notification has the buttons ${JSON.stringify(buttons)}, expected Inspect among them`);
      const written = join(workspace, 'hello.wasm');
      if (!existsSync(written) || readFileSync(written).subarray(0, 4).toString('hex') !== '0061736d')
        throw new Error(`${written} was not written`);
      await page.screenshot({ path: join(SCREENSHOTS, 'start-notification.png') });
      log(`screenshot: ${join(SCREENSHOTS, 'start-notification.png')}`);
    });
  } catch (error) {
    const pages = browser?.contexts().flatMap((c) => c.pages()) ?? [];
    if (pages[0]) await pages[0].screenshot({ path: join(SCREENSHOTS, 'start-check-failure.png') }).catch(() => {});
    throw error;
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    process.removeListener('exit', killNow);
  }
}

let failedOutside = 0;
try {
  await main();
} catch (error) {
  if (!checks.some((c) => !c.ok)) {
    failedOutside = 1;
    log(`FAILED: ${error?.message ?? error}`);
  }
}
const passed = checks.filter((c) => c.ok).length;
const failed = checks.filter((c) => !c.ok).length + failedOutside;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
