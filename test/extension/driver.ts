// What the integration tests ask of the test driver, which reaches what the extension host cannot: webviews
// and the workbench's own page. A test prints `wasm-workbench-webview {json}` and waits for the answer file the
// driver (scripts/vscode-host/run-tests.mjs) writes. Under code-server the driver is always there and says so in
// WASM_WORKBENCH_TEST_DRIVER: a request it does not answer is a failure. @vscode/test-electron has no such
// driver; there the tests that need one are skipped, and say why.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { workspaceDir } from './workspace';

export const driverPresent = process.env.WASM_WORKBENCH_TEST_DRIVER === '1';

/** Skips the test (with the reason in the output) when no driver can reach the UI. */
export function needsDriver(context: Mocha.Context, what: string): void {
  if (driverPresent) return;
  console.log(`    (skipped: ${what} needs the code-server driver, which reaches the workbench's page; this host has none)`);
  context.skip();
}

export interface UiResult {
  ok: boolean;
  text?: string;
  count?: number;
  error?: string;
}

/** `webview`: the first webview frame where the selector matches; `workbench`: the workbench page itself. */
export type UiFrame = 'webview' | 'workbench';

/** What some requests need besides a selector. */
export interface UiExtras {
  /** `fill`: the text; `select`: the option's value. */
  value?: string;
  /** `press`: a key as Playwright names it (`Enter`, `F5`, `Escape`). */
  key?: string;
  /** `click`: keys held while clicking, and which button. */
  modifiers?: ('Alt' | 'Control' | 'Meta' | 'Shift')[];
  button?: 'left' | 'right';
  /** `click`, `hover`: move the mouse to the element's place even when another element lies over it (as a user's mouse does). */
  force?: boolean;
}

let requests = 0;
const bundleId = Math.random().toString(36).slice(2, 10);
/**
 * One request to the driver on the first match of `selector`: click it, hover it, read its text, count the
 * matches, fill it in (an input), select an option (a select), or press a key on it.
 */
export async function askDriver(
  op: 'click' | 'text' | 'count' | 'fill' | 'select' | 'press' | 'hover',
  selector: string,
  frame: UiFrame = 'webview',
  timeoutMs = 15_000,
  extras: UiExtras = {},
): Promise<UiResult> {
  // Each test file is its own bundle with its own counter: the random part keeps their ids apart.
  const id = `ui-${process.pid}-${bundleId}-${++requests}`;
  const file = join(workspaceDir(), '..', 'webview', `${id}.json`);
  console.log(`wasm-workbench-webview ${JSON.stringify({ id, op, selector, frame, timeoutMs, ...extras })}`);
  for (const end = Date.now() + timeoutMs + 5000; Date.now() < end;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as UiResult;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the test driver did not answer ${op} ${selector} within ${timeoutMs / 1000 + 5} s`);
}

/** Text of the first element matching `selector`, waiting until `match` holds. */
export async function textOf(
  context: Mocha.Context,
  selector: string,
  match: (text: string) => boolean,
  what: string,
  frame: UiFrame = 'webview',
): Promise<string> {
  needsDriver(context, what);
  let last: UiResult | undefined;
  for (const end = Date.now() + 20_000; Date.now() < end;) {
    last = await askDriver('text', selector, frame);
    if (last.ok && match(last.text ?? '')) return last.text!;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: ${selector} in the ${frame} reads ${JSON.stringify(last?.text ?? last?.error)}`);
}

/** Number of elements matching `selector` once it satisfies `match`. */
export async function countOf(
  context: Mocha.Context,
  selector: string,
  match: (n: number) => boolean,
  what: string,
  frame: UiFrame = 'webview',
): Promise<number> {
  needsDriver(context, what);
  let last: UiResult | undefined;
  for (const end = Date.now() + 20_000; Date.now() < end;) {
    last = await askDriver('count', selector, frame);
    if (last.ok && match(last.count ?? 0)) return last.count!;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: ${selector} in the ${frame} counts ${JSON.stringify(last?.count ?? last?.error)}`);
}

export async function clickOn(context: Mocha.Context, selector: string, frame: UiFrame = 'webview'): Promise<void> {
  needsDriver(context, `clicking ${selector}`);
  const result = await askDriver('click', selector, frame);
  assert.ok(result.ok, `clicking ${selector} in the ${frame} failed: ${result.error}`);
}

/** Waits until `probe` gives a value (not undefined or false). */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  for (const end = Date.now() + timeoutMs; ;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Does one request that must succeed (fill, select, press, hover, a click with extras). */
export async function act(
  context: Mocha.Context,
  op: 'click' | 'fill' | 'select' | 'press' | 'hover',
  selector: string,
  frame: UiFrame = 'webview',
  extras: UiExtras = {},
): Promise<void> {
  needsDriver(context, `${op} on ${selector}`);
  const result = await askDriver(op, selector, frame, 15_000, extras);
  assert.ok(result.ok, `${op} on ${selector} in the ${frame} failed: ${result.error}`);
}

/**
 * The text of the notification that contains `contains`, read in the notification centre (the smoke-test driver
 * keeps notifications out of toasts). The centre is opened again on each try: a notification may come after it opened.
 */
export async function notificationText(context: Mocha.Context, contains: string): Promise<{ text: string; selector: string }> {
  needsDriver(context, `the notification "${contains}"`);
  const selector = `.notifications-list-container .monaco-list-row:has-text(${JSON.stringify(contains)})`;
  let last: UiResult | undefined;
  for (const end = Date.now() + 20_000; Date.now() < end;) {
    await vscode.commands.executeCommand('notifications.showList');
    last = await askDriver('text', selector, 'workbench', 2000);
    if (last.ok) return { text: last.text ?? '', selector };
  }
  throw new Error(`no notification says "${contains}": ${last?.error}`);
}
