// Loads a webview of the extension (the inspector: src/extension/inspector/html.ts + media/inspector/; the hex
// view: media/hex/) in headless Chromium as VS Code would: the same HTML shell and CSP, served from one origin,
// theme variables on <html> and a theme class on <body>, and `acquireVsCodeApi` stubbed (what the page posts is
// kept in `window.__posted`, its state in `window.__state`; `reply` answers posts, as the extension would).
// Used by inspector.test.ts, hex.test.ts and bench/inspector.bench.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inspectorHtml, newNonce } from '../../src/extension/inspector/html';
import { webviewPage } from '../../src/extension/webview/page';
import type { HostMessage } from '../../src/extension/inspector/protocol';
import { repoRoot } from '../fixtures/tools';

// The page's globals, as seen from the functions passed to page.evaluate (this project's tsconfig has no DOM lib).
declare const document: any;
declare const window: any;

export const ORIGIN = 'https://inspector.test';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless Debian Chromium; playwright-core gives each browser a fresh temporary profile (user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
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

export interface Panel {
  page: Page;
  /** Requests the page tried to make anywhere but the webview's own origin (none are let through). */
  external: string[];
  /** Uncaught errors in the page. */
  errors: string[];
}

/** Colours of VS Code's default themes, as the webview host sets them. */
export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': 'monospace',
      '--vscode-foreground': '#cccccc',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-list-hoverBackground': '#2a2d2e',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-blue': '#1a85ff',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-font-family': 'system-ui, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-foreground': '#ffffff',
      '--vscode-editor-background': '#000000',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-contrastActiveBorder': '#f38518',
      '--vscode-focusBorder': '#f38518',
      '--vscode-button-background': '#000000',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-yellow': '#ffd700',
    },
  },
} as const;
export type Theme = keyof typeof THEMES;

export interface PanelOptions {
  /** What `getState()` returns at load (the state saved by an earlier page). */
  state?: unknown;
  theme?: Theme;
  viewport?: { width: number; height: number };
  /** Which webview: the inspector (default) or the hex view. */
  view?: 'inspector' | 'hex';
  /** Answers what the page posts, as the extension would (a message posted back to the page), or nothing. */
  reply?: (message: unknown) => unknown;
}

/**
 * Opens the panel's HTML at ORIGIN/index.html in a new page and waits for its `ready` message.
 * `window.__xss(tag)` records calls in `window.__xssCalls`; CSP violations go to `window.__violations`.
 */
export async function openPanel(browser: Browser, fileName: string, options: PanelOptions = {}): Promise<Panel> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1200, height: 900 } });
  const panel: Panel = { page, external: [], errors: [] };
  const view = options.view ?? 'inspector';
  const media = join(repoRoot(), 'media', view);
  // The page's script as build.mjs bundles it (dist/webview/), its stylesheet from media/.
  const script = join(repoRoot(), 'dist', 'webview', `${view}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run node build.mjs first`);
  const urls = {
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/dist/webview/${view}.js`,
    styleUri: `${ORIGIN}/media/${view}/${view}.css`,
    nonce: newNonce(),
  };
  const html =
    view === 'inspector'
      ? inspectorHtml({ ...urls, fileName })
      : webviewPage({ ...urls, title: fileName, rootId: 'hex', busyText: `Reading ${fileName}…` });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      panel.external.push(url.href);
      return route.abort();
    }
    if (url.pathname === '/index.html') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    if (url.pathname === `/dist/webview/${view}.js`)
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(script) });
    if (url.pathname === `/media/${view}/${view}.css`)
      return route.fulfill({ status: 200, contentType: 'text/css', body: readFileSync(join(media, `${view}.css`)) });
    panel.external.push(url.href);
    return route.fulfill({ status: 404, body: '' });
  });
  page.on('pageerror', (e) => panel.errors.push(e.message));
  const reply = options.reply;
  if (reply) await page.exposeFunction('__reply', (message: unknown) => reply(message));
  const theme = THEMES[options.theme ?? 'dark'];
  await page.addInitScript(
    ({ state, theme }: { state: unknown; theme: { bodyClass: string; vars: Record<string, string> } }) => {
      window.__xssCalls = [];
      window.__xss = (tag: unknown) => window.__xssCalls.push(String(tag));
      window.__posted = [];
      window.__state = state;
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e: any) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      window.acquireVsCodeApi = () =>
        Object.freeze({
          postMessage: (message: unknown) => {
            window.__posted.push(message);
            // Answered later, as the real channel is asynchronous.
            if (window.__reply) void window.__reply(message).then((answer: unknown) => answer && window.postMessage(answer, window.origin));
          },
          getState: () => window.__state,
          setState: (s: unknown) => {
            window.__state = s;
          },
        });
      // What VS Code does: theme variables on <html> (through CSSOM), a theme class on <body>.
      document.addEventListener('DOMContentLoaded', () => {
        for (const [k, v] of Object.entries(theme.vars)) document.documentElement.style.setProperty(k, v);
        document.body.classList.add(theme.bodyClass);
      });
    },
    { state: options.state, theme: { bodyClass: theme.bodyClass, vars: { ...theme.vars } } },
  );
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => window.__posted.length > 0, undefined, { polling: 'raf' });
  return panel;
}

/** Posts a message as the extension would (through JSON, like the real channel) and waits for the page to paint it. */
export async function send(panel: Panel, message: HostMessage): Promise<void> {
  const revision = message.type === 'report' ? message.model.revision : message.type === 'error' ? message.revision : undefined;
  await panel.page.evaluate((m) => window.postMessage(m, window.origin), JSON.parse(JSON.stringify(message)) as HostMessage);
  if (revision !== undefined)
    await panel.page.waitForFunction((r) => document.body.getAttribute('data-painted-revision') === String(r), revision, {
      polling: 'raf',
    });
}
