// The inspector panel's webview (media/inspector/) in headless Chromium, with the same HTML shell
// (src/extension/inspector/html.ts) and messages (model.ts) as in VS Code and real reports of fixture binaries.
// `acquireVsCodeApi` is stubbed: what the page posts is recorded, its state is kept in `window.__state`.
//
// Covers: hostile names (an XSS corpus in import, export, custom section, function and producer names) stay
// text and never run; the Content-Security-Policy refuses injected inline scripts, handlers and eval; messages
// of unknown shape are dropped on both sides; filter, sort and virtualised scrolling of 100,000 exports;
// keyboard operation; scroll position kept across a reload; theme variables.
//
// Screenshots for people: .test-output/extension-webview/*.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { inspectBytes, inspectFile, type InspectReport } from '../../src/core/inspect';
import { contentSecurityPolicy, escapeHtml, inspectorHtml, newNonce } from '../../src/extension/inspector/html';
import { byteSpans } from '../../src/core/inspect/spans';
import { inspectorModel } from '../../src/extension/inspector/model';
import { parseWebviewMessage, type HostMessage, type InspectorModel } from '../../src/extension/inspector/protocol';
import { fixturePath } from '../fixtures';
import {
  concatBytes,
  encodeCustomSection,
  encodeName,
  encodeSection,
  encodeVec,
  MODULE_HEADER,
  producersPayload,
  SectionId,
  uleb128,
} from '../fixtures/encode';
import { repoRoot } from '../fixtures/tools';
import { launchBrowser, openPanel as openPanelIn, send, type Panel, type PanelOptions } from './harness';

// The page's globals, as seen from the functions passed to page.evaluate (this project's tsconfig has no DOM lib).
declare const document: any;
declare const window: any;
declare const performance: any;

const SHOTS = join(repoRoot(), '.test-output', 'extension-webview');
const ROW_HEIGHT = 24;

// ---------------------------------------------------------------------------------------------
// Hostile names

/** Each payload calls window.__xss(tag) if it ever runs; the page records the calls. */
const XSS = [
  '<img src=x onerror="window.__xss(\'img\')">',
  '</script><script>window.__xss("script")</script>',
  'javascript:window.__xss("js-url")',
  '"><svg onload=window.__xss("svg")>',
  "'><svg/onload=window.__xss('svg2')>",
  '${window.__xss("template")}',
  '`${window.__xss("template2")}`',
  '{{constructor.constructor("window.__xss(\'angular\')")()}}',
  '<a href="javascript:window.__xss(\'link\')">click me</a>',
  'x" onmouseover="window.__xss(\'attr\')" y="',
  "x' onfocus='window.__xss(\"attr2\")' autofocus='",
  '<style>body{display:none}</style>',
  '<iframe srcdoc="<script>parent.__xss(\'iframe\')</script>"></iframe>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss("mxss")>',
  '&lt;b&gt;entity&lt;/b&gt; &amp; <b>bold</b>',
  '`code` **bold** [link](javascript:window.__xss("md"))',
  `${'A'.repeat(5000)}<img src=x onerror=window.__xss("long")>`,
];
/** Names that look like other names: shown with visible escapes. */
const SPOOFS: { raw: string; shown: string }[] = [
  { raw: 'invoice\u202Etxt.exe', shown: 'invoice\\u{202E}txt.exe' },
  { raw: '_st\u200Bart', shown: '_st\\u{200B}art' },
  { raw: 'bom\uFEFFname', shown: 'bom\\u{FEFF}name' },
  { raw: 'new\nline\ttab', shown: 'new\\u{A}line\\u{9}tab' },
];
const UNICODE = ['Ω≈ç√∫ 漢字 🚀', 'עברית מימין לשמאל', 'العربية'];
const ALL_NAMES = [...XSS, ...SPOOFS.map((s) => s.raw), ...UNICODE];

const funcType = Uint8Array.of(0x60, 0x00, 0x00);
const emptyBody = concatBytes(uleb128(2), Uint8Array.of(0x00, 0x0b));

/** name-section subsection: id, size, payload. */
const nameSubsection = (id: number, payload: Uint8Array) => concatBytes(Uint8Array.of(id), uleb128(payload.length), payload);

/** A module whose imports, exports, custom sections, function names and producers all carry hostile names. */
function hostileModule(): Uint8Array {
  const imports = ALL_NAMES.map((n) => concatBytes(encodeName(n), encodeName(n), Uint8Array.of(0x00), uleb128(0)));
  const firstDefined = imports.length;
  const exports = ALL_NAMES.map((n) => concatBytes(encodeName(n), Uint8Array.of(0x00), uleb128(firstDefined)));
  const functionNames = encodeVec([
    ...ALL_NAMES.map((n, i) => concatBytes(uleb128(i), encodeName(n))),
    concatBytes(uleb128(firstDefined), encodeName(XSS[0]!)),
  ]);
  return concatBytes(
    MODULE_HEADER,
    encodeSection(SectionId.Type, encodeVec([funcType])),
    encodeSection(SectionId.Import, encodeVec(imports)),
    encodeSection(SectionId.Function, encodeVec([uleb128(0)])),
    encodeSection(SectionId.Export, encodeVec(exports)),
    encodeSection(SectionId.Code, encodeVec([emptyBody])),
    encodeCustomSection('name', concatBytes(nameSubsection(0, encodeName(XSS[3]!)), nameSubsection(1, functionNames))),
    encodeCustomSection('producers', producersPayload({ language: [[XSS[0]!, XSS[1]!]], 'processed-by': [[XSS[8]!, XSS[9]!]] })),
    encodeCustomSection('sourceMappingURL', encodeName('javascript:window.__xss("sourcemap")')),
    ...ALL_NAMES.map((n) => encodeCustomSection(n, Uint8Array.of(1, 2, 3))),
  );
}

/** One function exported under `count` names: export_000000, export_000001, ... */
function manyExports(count: number): Uint8Array {
  const exports: Uint8Array[] = [];
  for (let i = 0; i < count; i++)
    exports.push(concatBytes(encodeName(`export_${String(i).padStart(6, '0')}`), Uint8Array.of(0x00), uleb128(0)));
  return concatBytes(
    MODULE_HEADER,
    encodeSection(SectionId.Type, encodeVec([funcType])),
    encodeSection(SectionId.Function, encodeVec([uleb128(0)])),
    encodeSection(SectionId.Export, encodeVec(exports)),
    encodeSection(SectionId.Code, encodeVec([emptyBody])),
  );
}

// ---------------------------------------------------------------------------------------------
// The page

let browser: Browser;

async function openPanel(fileName: string, options: PanelOptions = {}): Promise<Panel> {
  const panel = await openPanelIn(browser, fileName, options);
  assert.deepEqual(await posted(panel), [{ type: 'ready' }], 'the page says it is ready first');
  return panel;
}

async function posted(panel: Panel): Promise<unknown[]> {
  return panel.page.evaluate(() => window.__posted);
}

async function xssCalls(panel: Panel): Promise<string[]> {
  return panel.page.evaluate(() => window.__xssCalls);
}

function model(report: InspectReport, fileName: string, revision = 1, actions = { run: true, deploy: false }): InspectorModel {
  // Through JSON, as postMessage between the extension host and the webview does.
  return JSON.parse(JSON.stringify(inspectorModel(report, fileName, { ...actions, revision }))) as InspectorModel;
}

async function showReport(report: InspectReport, fileName: string, options: PanelOptions = {}): Promise<Panel> {
  const panel = await openPanel(fileName, options);
  await send(panel, { type: 'report', model: model(report, fileName) });
  return panel;
}

/** Every row of a virtual table, collected by scrolling it from top to bottom (then back to the top). */
async function allRows(panel: Panel, id: string): Promise<{ index: number; cells: string[] }[]> {
  const seen = new Map<number, string[]>();
  for (let top = 0; ; top += 10 * ROW_HEIGHT) {
    const done = await panel.page.evaluate(
      ([tableId, scrollTop]) => {
        const viewport = document.querySelector(`#${tableId}-table .vt-viewport`);
        viewport.scrollTop = scrollTop;
        viewport.dispatchEvent(new Event('scroll'));
        return new Promise((r) =>
          window.requestAnimationFrame(() => r(viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight)),
        );
      },
      [id, top] as const,
    );
    for (const row of await tableRows(panel, id)) seen.set(row.index, row.cells);
    if (done) break;
  }
  await panel.page.evaluate((tableId) => {
    const viewport = document.querySelector(`#${tableId}-table .vt-viewport`);
    viewport.scrollTop = 0;
    viewport.dispatchEvent(new Event('scroll'));
  }, id);
  return [...seen].sort((a, b) => a[0] - b[0]).map(([index, cells]) => ({ index, cells }));
}

/** Rows of a virtual table now in the DOM: aria-rowindex and cell texts. */
async function tableRows(panel: Panel, id: string): Promise<{ index: number; cells: string[] }[]> {
  return panel.page.evaluate((tableId) => {
    const rows = [...document.querySelectorAll(`#${tableId}-table .vt-body [role=row]`)];
    return rows.map((r: any) => ({
      index: Number(r.getAttribute('aria-rowindex')),
      cells: [...r.querySelectorAll('[role=cell]')].map((c: any) => c.textContent),
    }));
  }, id);
}

async function screenshot(panel: Panel, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await panel.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

// ---------------------------------------------------------------------------------------------

describe('inspector webview', () => {
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  describe('HTML shell and messages (extension side)', () => {
    it('has a strict CSP with a nonce, nothing remote, no unsafe-inline or unsafe-eval', () => {
      const nonce = newNonce();
      assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
      assert.notEqual(newNonce(), nonce);
      const csp = contentSecurityPolicy('https://x.vscode-cdn.net', nonce);
      assert.equal(
        csp,
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://x.vscode-cdn.net 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`,
      );
      const html = inspectorHtml({
        cspSource: 'https://x.vscode-cdn.net',
        scriptUri: 'https://x.vscode-cdn.net/a.js',
        styleUri: 'https://x.vscode-cdn.net/a.css',
        nonce,
        fileName: 'a.wasm',
      });
      assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|<script>|\son\w+=|style="/);
      assert.equal(html.match(/<script /g)?.length, 1);
      assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="https://x.vscode-cdn.net/a.js"></script>`));
    });

    it('escapes the file name and refuses nonces or sources that could widen the policy', () => {
      const nonce = newNonce();
      const base = { cspSource: 'https://x', scriptUri: 'https://x/a.js', styleUri: 'https://x/a.css', nonce };
      const html = inspectorHtml({ ...base, fileName: '</title><script>alert(1)</script>".wasm' });
      assert.ok(html.includes('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;.wasm'));
      assert.equal(html.match(/<script/g)?.length, 1);
      assert.equal(escapeHtml(`<>&"'\``), '&lt;&gt;&amp;&quot;&#39;&#96;');
      assert.throws(() => inspectorHtml({ ...base, nonce: "abc' 'unsafe-inline", fileName: 'a' }), /nonce/);
      assert.throws(() => inspectorHtml({ ...base, cspSource: "https://x 'unsafe-eval'", fileName: 'a' }), /CSP source/);
      assert.throws(() => inspectorHtml({ ...base, cspSource: 'https://x; script-src *', fileName: 'a' }), /CSP source/);
      assert.throws(() => inspectorHtml({ ...base, cspSource: "'self' 'unsafe-inline'", fileName: 'a' }), /CSP source/);
      assert.throws(() => inspectorHtml({ ...base, cspSource: ' ', fileName: 'a' }), /CSP source/);
      // What VS Code 1.9x gives.
      assert.match(
        inspectorHtml({ ...base, cspSource: "'self' https://*.vscode-cdn.net", fileName: 'a' }),
        /style-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net &#39;nonce-/,
      );
    });

    it('accepts exactly the known webview messages and rejects every other shape', () => {
      assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
      for (const action of ['openAsWat', 'openAsHex', 'reopenWith', 'run', 'deploy', 'copyJson']) {
        assert.deepEqual(parseWebviewMessage({ type: 'action', action }), { type: 'action', action });
      }
      const rejected: unknown[] = [
        undefined,
        null,
        'ready',
        42,
        [],
        ['ready'],
        {},
        { type: 'Ready' },
        { type: 'ready', extra: 1 },
        { type: 'action' },
        { type: 'action', action: 'rm -rf' },
        { type: 'action', action: 'toString' },
        { type: 'action', action: 'constructor' },
        { type: 'action', action: ['run'] },
        { type: 'action', action: 'run', uri: 'file:///etc/passwd' },
        { type: 'command', command: 'workbench.action.terminal.new' },
        Object.create({ type: 'ready' }),
        JSON.parse('{"type":"ready","__proto__":{"x":1}}'),
      ];
      for (const value of rejected) assert.equal(parseWebviewMessage(value), undefined, JSON.stringify(value));
    });
  });

  describe('hostile names', () => {
    let panel: Panel;
    let report: InspectReport;
    before(async () => {
      report = await inspectBytes(hostileModule(), { functionBodies: true });
      assert.equal(report.exports.length, ALL_NAMES.length);
      panel = await showReport(report, XSS[1]!);
    });
    after(async () => panel?.page.close());

    it('never run, whatever the page does with them (hover, focus, filter, sort, reload)', async () => {
      const { page } = panel;
      // Hover and focus everything that holds a name, type into the filters, sort.
      for (const cell of await page.locator('[role=cell], .segment, table.bars tr, code.name').all())
        await cell.hover({ force: true, timeout: 2000 }).catch(() => undefined);
      for (const id of ['imports', 'exports', 'custom']) {
        await page.fill(`#${id}-filter`, 'svg');
        await page.click(`#${id}-table [role=columnheader] button`);
        await page.fill(`#${id}-filter`, '');
      }
      await send(panel, { type: 'report', model: model(report, XSS[1]!, 2) });
      await page.waitForTimeout(200);
      assert.deepEqual(await xssCalls(panel), [], 'a payload ran');
      assert.deepEqual(panel.errors, []);
      assert.deepEqual(panel.external, [], 'the page tried to load something');
    });

    it('create no element, attribute or link of their own', async () => {
      const found = await panel.page.evaluate(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          tags: [...new Set(all.map((e: any) => e.localName))].sort(),
          scripts: document.scripts.length,
          handlers: all.flatMap((e: any) =>
            [...e.attributes].filter((a: any) => /^on/i.test(a.name)).map((a: any) => `${e.localName}[${a.name}]`),
          ),
          links: document.querySelectorAll('a, [href]:not(link), [src]:not(script), [srcdoc], [autofocus]').length,
          styles: document.querySelectorAll('style, [style*="display:none"]').length,
          bodyShown: window.getComputedStyle(document.body).display !== 'none',
        };
      });
      for (const tag of ['img', 'svg', 'iframe', 'a', 'math', 'mglyph', 'b', 'style', 'object', 'embed'])
        assert.ok(!found.tags.includes(tag), `a <${tag}> appeared: ${found.tags.join(' ')}`);
      assert.equal(found.scripts, 1, 'only the panel script');
      assert.deepEqual(found.handlers, []);
      assert.equal(found.links, 0);
      assert.equal(found.styles, 0);
      assert.ok(found.bodyShown);
    });

    it('show literally: as export, import and custom section names, in the title, summary and size picture', async () => {
      const { page } = panel;
      const text: string = await page.evaluate(() => document.getElementById('inspector').textContent);
      for (const payload of XSS) assert.ok(text.includes(payload), `not shown literally: ${payload.slice(0, 80)}`);
      for (const n of UNICODE) assert.ok(text.includes(n), n);
      assert.equal(await page.title(), XSS[1]);
      assert.equal(await page.locator('h1').textContent(), XSS[1]);
      // Each table lists every name once, in its first column (Module/Name), cell by cell.
      const exportNames = (await allRows(panel, 'exports')).map((r) => r.cells[0]);
      assert.equal(exportNames.length, ALL_NAMES.length);
      for (const payload of XSS) assert.ok(exportNames.includes(payload), payload.slice(0, 60));
      const customNames = (await allRows(panel, 'custom')).map((r) => r.cells[0]);
      for (const payload of XSS) assert.ok(customNames.includes(payload), payload.slice(0, 60));
      const importRows = await allRows(panel, 'imports');
      for (const payload of XSS)
        assert.ok(
          importRows.some((r) => r.cells[0] === payload && r.cells[1] === payload),
          payload.slice(0, 60),
        );
      // Host summary (unknown modules in code spans), producers, the largest function, the source map URL.
      const cards = await page.locator('#capabilities .card.warning').allTextContents();
      assert.ok(
        cards.some((c) => c.includes(XSS[3]!)),
        'unknown modules listed',
      );
      const summary = await page.locator('#summary').textContent();
      assert.ok(summary!.includes(`${XSS[0]} ${XSS[1]}`), 'producer language shown');
      assert.ok(summary!.includes(XSS[3]!), 'module name shown');
      assert.ok((await page.locator('#size table.bars').textContent())!.includes(XSS[0]!), 'function name in the size picture');
      const debug = await page.locator('#custom-sections dl').textContent();
      assert.ok(debug!.includes('javascript:window.__xss("sourcemap")'), 'source map URL shown as text');
      // A long name is cut by CSS only; its cell still holds all of it, and its title too.
      const long = XSS.find((x) => x.length > 1000)!;
      assert.equal(await page.locator(`#exports-table [role=cell][title="${long.replace(/"/g, '\\"')}"]`).count(), 1);
    });

    it('show invisible and bidi characters as visible escapes, so a name cannot pass for another', async () => {
      const exportNames = (await allRows(panel, 'exports')).map((r) => r.cells[0]);
      for (const { raw, shown } of SPOOFS) {
        assert.ok(exportNames.includes(shown), `${JSON.stringify(raw)} should show as ${shown}`);
        assert.ok(!exportNames.includes(raw));
      }
      const text: string = await panel.page.evaluate(() => document.getElementById('inspector').textContent);
      assert.doesNotMatch(text, /[\u200B\u202E\uFEFF]/);
    });

    it('the CSP refuses an injected inline script, inline handler, eval and remote loads', async () => {
      const { page } = panel;
      const outcome = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.__xss("injected-inline-script")';
        document.body.append(script);
        const handler = document.createElement('div');
        handler.setAttribute('onclick', 'window.__xss("injected-handler")');
        document.body.append(handler);
        handler.click();
        const img = document.createElement('img');
        img.setAttribute('src', 'https://remote.invalid/x.png');
        document.body.append(img);
        // From a task of the page's own: code run by page.evaluate itself may eval whatever the CSP says.
        const evalResult = await new Promise((resolve) =>
          window.setTimeout(() => {
            try {
              (0, eval)('window.__xss("eval")');
              resolve('ran');
            } catch (e: any) {
              resolve(e.name);
            }
          }, 0),
        );
        const functionResult = await new Promise((resolve) =>
          window.setTimeout(() => {
            try {
              new Function('window.__xss("new Function")')();
              resolve('ran');
            } catch (e: any) {
              resolve(e.name);
            }
          }, 0),
        );
        let fetchResult = 'fetched';
        try {
          await fetch('https://remote.invalid/data');
        } catch (e: any) {
          fetchResult = e.name;
        }
        const style = document.createElement('style');
        style.textContent = 'body { display: none }';
        document.head.append(style);
        await new Promise((r) => setTimeout(r, 200));
        const hidden = window.getComputedStyle(document.body).display === 'none';
        script.remove();
        handler.remove();
        img.remove();
        style.remove();
        return { evalResult, functionResult, fetchResult, hidden, violations: window.__violations };
      });
      assert.deepEqual(await xssCalls(panel), []);
      assert.equal(outcome.evalResult, 'EvalError');
      assert.equal(outcome.functionResult, 'EvalError');
      assert.equal(outcome.fetchResult, 'TypeError');
      assert.equal(outcome.hidden, false, 'an inline <style> without the nonce applied');
      const directives = outcome.violations.join('\n');
      assert.match(directives, /script-src/);
      assert.match(directives, /img-src|default-src/);
      assert.match(directives, /connect-src|default-src/);
      assert.match(directives, /style-src/);
      assert.deepEqual(panel.external, [], 'blocked by the CSP before any request');
    });
  });

  describe('long names', () => {
    it('wrap after their separators, never in the middle of a word, and keep their text', async () => {
      const report = await inspectFile(await fixturePath('component-probe'), { wit: false });
      const panel = await showReport(report, 'component-probe.wasm');
      try {
        const names = panel.page.locator('#capabilities .card code.name', { hasText: 'wasi:filesystem/preopens@' });
        assert.ok((await names.count()) > 0);
        const first = names.first();
        const text = (await first.textContent())!;
        // Each break opportunity follows a separator; the visible text is the name itself.
        const pieces = await first.evaluate((node: any) =>
          [...node.childNodes].map((c: any) => (c.nodeName === 'WBR' ? '|' : c.textContent)).join(''),
        );
        assert.equal(pieces.replaceAll('|', ''), text);
        assert.match(pieces, /^wasi:\|filesystem\/\|preopens@\|0\.\|2\.\|\d+/);
        assert.equal(await first.evaluate((node: any) => (globalThis as any).getComputedStyle(node).overflowWrap), 'break-word');
      } finally {
        await panel.page.close();
      }
    });
  });

  describe('real reports', () => {
    it('a C module: summary, capability cards with risk in words, imports, size picture with function names', async () => {
      const path = await fixturePath('preview1-command');
      const report = await inspectFile(path, { functionBodies: true });
      const panel = await showReport(report, 'hello.wasm');
      const { page } = panel;
      try {
        assert.equal(await page.locator('h1').textContent(), 'hello.wasm');
        const summary = (await page.locator('#summary').textContent())!;
        assert.match(summary, /Core module/);
        assert.match(summary, /WASI preview1 command/);
        assert.match(summary, /_start/);
        assert.match(summary, /Built with/);
        assert.match(summary, /clang/);
        // One card per capability, each with its risk in words, the imports behind it and the grants.
        const cards = page.locator('#capabilities .card:not(.warning)');
        assert.equal(await cards.count(), report.capabilities.length);
        const stdio = page.locator('#capabilities .card', { has: page.locator('#cap-stdio') });
        assert.match((await stdio.locator('.risk').textContent())!, /^● Low risk$/);
        assert.match((await stdio.textContent())!, /wasi_snapshot_preview1\.fd_write/);
        assert.match((await stdio.locator('dl.grant').textContent())!, /wasm-workbench run.*wasmtime.*Spin/s);
        // The imports table: every import with its full signature.
        const rows = await tableRows(panel, 'imports');
        assert.equal(rows.length, report.imports.length);
        const fdWrite = rows.find((r) => r.cells[1] === 'fd_write')!;
        assert.deepEqual(fdWrite.cells, ['wasi_snapshot_preview1', 'fd_write', 'func', '(func (param i32 i32 i32 i32) (result i32))']);
        // Size: one bar segment per slice, functions by name, all reachable by keyboard and screen readers.
        const m = model(report, 'hello.wasm');
        assert.equal(await page.locator('#size .segment').count(), m.size.sections.length);
        const code = page.locator('#size .segment[data-key=code]');
        assert.match((await code.getAttribute('aria-label'))!, /^code: \d+(\.\d)? KiB, [\d,]+ bytes, \d+\.\d % of the file$/);
        assert.equal(await code.getAttribute('title'), await code.getAttribute('aria-label'));
        await code.focus();
        assert.equal(await page.locator('#size-detail').textContent(), await code.getAttribute('aria-label'));
        const functionRows = page.locator('#size table.bars tbody tr');
        assert.equal(await functionRows.count(), m.size.functions!.largest.length + (m.size.functions!.other.count ? 1 : 0));
        const first = m.size.functions!.largest[0]!;
        assert.ok(first.named);
        assert.equal(await functionRows.first().locator('th').textContent(), first.name);
        assert.match(
          (await functionRows.first().getAttribute('title'))!,
          new RegExp(`^${first.name.replace(/[$.*+?()[\]{}|^\\]/g, '\\$&')}: [\\d,]+ bytes`),
        );
        // Legend table (the chart as a table) adds up to the file size.
        assert.equal(await page.locator('#size table.legend tbody tr').count(), m.size.sections.length);
        assert.match((await page.locator('#custom-sections').textContent())!, /producers/);
        assert.equal(await page.locator('#wit').count(), 0, 'no WIT section for a core module');
        // Run offered (trusted), Deploy hidden (no deploy command).
        assert.equal(await page.locator('button[data-action=run]').count(), 1);
        assert.equal(await page.locator('button[data-action=deploy]').count(), 0);
        await screenshot(panel, 'c-module-dark');
        assert.deepEqual(panel.errors, []);
      } finally {
        await page.close();
      }
    });

    it('a component: kind, WIT world, nested core modules, capability cards from its interfaces', async () => {
      const report = await inspectFile(await fixturePath('component-command'), { functionBodies: true });
      assert.ok(report.wit, 'the WIT world was printed');
      const panel = await showReport(report, 'component-command.wasm', { theme: 'light' });
      const { page } = panel;
      try {
        assert.match((await page.locator('.subtitle').textContent())!, /^Component .*WASI 0\.2 component \(command world\)$/);
        const wit = (await page.locator('#wit pre').textContent())!;
        assert.equal(wit, report.wit);
        assert.match(wit, /export wasi:cli\/run@0\.2\.\d+;/);
        assert.equal(await page.locator('#modules tbody tr').count(), report.coreModules!.length);
        assert.ok(await page.locator('#cap-filesystem').count());
        assert.match(
          (await page
            .locator('.card', { has: page.locator('#cap-filesystem') })
            .locator('.risk')
            .textContent())!,
          /High risk/,
        );
        assert.equal((await tableRows(panel, 'exports'))[0]!.cells[0], 'wasi:cli/run@0.2.' + /run@0\.2\.(\d+)/.exec(wit)![1]);
        assert.equal(
          await page.locator('#size table.bars tbody tr').count(),
          report.coreModules!.length,
          'core modules in the size picture',
        );
        await screenshot(panel, 'component-light');
        assert.deepEqual(panel.errors, []);
      } finally {
        await page.close();
      }
    });

    it('the sections table lists every section at its offset, and "Show bytes" asks for the hex view there', async () => {
      const report = await inspectFile(await fixturePath('preview1-command'), { functionBodies: true });
      const panel = await showReport(report, 'hello.wasm');
      const { page } = panel;
      try {
        const spans = byteSpans(report);
        assert.equal(await page.locator('#sections tbody tr').count(), spans.length);
        const code = spans.find((s) => s.name === 'code')!;
        const row = page.locator('#sections tbody tr', { has: page.locator(`button[data-show-bytes="${code.start}"]`) });
        assert.deepEqual(await row.locator('th, td').allTextContents(), [
          'code',
          `0x${code.start.toString(16)}`,
          `0x${code.payloadStart.toString(16)}`,
          (await row.locator('td').nth(2).textContent())!,
          'Show bytes',
        ]);
        await page.click(`#sections button[data-show-bytes="${code.start}"]`);
        assert.deepEqual(await page.evaluate(() => window.__posted.at(-1)), { type: 'showBytes', offset: code.start });
        assert.deepEqual(parseWebviewMessage({ type: 'showBytes', offset: code.start }), { type: 'showBytes', offset: code.start });
        for (const bad of [
          { type: 'showBytes', offset: -1 },
          { type: 'showBytes', offset: 1.5 },
          { type: 'showBytes', offset: '8' },
          { type: 'showBytes', offset: 8, uri: 'file:///etc/passwd' },
        ]) {
          assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
        }
        assert.deepEqual(panel.errors, []);
      } finally {
        await page.close();
      }
    });

    it('GC types: features and exports with typed-reference signatures', async () => {
      const report = await inspectFile(await fixturePath('gc-types'), { functionBodies: true });
      const panel = await showReport(report, 'gc-types.wasm', { theme: 'high-contrast' });
      const { page } = panel;
      try {
        assert.deepEqual(await page.locator('#summary ul.chips li').allTextContents(), report.features);
        assert.ok(report.features.includes('gc'));
        const rows = await tableRows(panel, 'exports');
        assert.deepEqual(rows.find((r) => r.cells[0] === 'make_pixel')!.cells, [
          'make_pixel',
          'func',
          '(func (param i32 i32) (result (ref $pixel)))',
          'make_pixel',
        ]);
        assert.match((await page.locator('#capabilities').textContent())!, /It needs no WASI capabilities\./);
        // High contrast: the focus outline uses the theme's active contrast border.
        await page.keyboard.press('Tab');
        const outline = await page.evaluate(() => {
          const s = window.getComputedStyle(document.activeElement);
          return `${s.outlineStyle} ${s.outlineColor}`;
        });
        assert.equal(outline, 'dashed rgb(243, 133, 24)');
        await screenshot(panel, 'gc-types-high-contrast');
        assert.deepEqual(panel.errors, []);
      } finally {
        await page.close();
      }
    });

    it('a binary that cannot be read shows the error, with the ways to open it otherwise', async () => {
      const panel = await openPanel('broken.wasm');
      try {
        await send(panel, {
          type: 'error',
          fileName: 'broken.wasm',
          message: 'broken.wasm is not a valid Wasm binary: at byte 0x4 (4): <b>version</b> 2',
          revision: 1,
        });
        const { page } = panel;
        assert.equal(
          await page.locator('[role=alert]').textContent(),
          'Could not inspect this file. broken.wasm is not a valid Wasm binary: at byte 0x4 (4): <b>version</b> 2',
        );
        assert.deepEqual(await page.locator('button[data-action]').evaluateAll((b: any[]) => b.map((x) => x.getAttribute('data-action'))), [
          'openAsWat',
          'openAsHex',
          'reopenWith',
          'run',
        ]);
        // Run is there, disabled, with the reason: nothing runs from a file that is not a Wasm binary.
        assert.equal(await page.locator('button[data-action=run][disabled]').count(), 1);
        assert.equal(await page.locator('.action-reason').textContent(), 'It cannot run or be deployed: it could not be inspected.');
      } finally {
        await panel.page.close();
      }
    });
  });

  describe('messages (webview side)', () => {
    it('drops unknown message types and reports of the wrong shape; shows status lines', async () => {
      const report = await inspectFile(await fixturePath('no-imports'));
      const panel = await openPanel('no-imports.wasm');
      const { page } = panel;
      try {
        const good = model(report, 'no-imports.wasm');
        const bad: unknown[] = [
          { type: 'html', html: '<img src=x onerror=window.__xss(1)>' },
          { type: 'report' },
          { type: 'report', model: { ...good, revision: -1 } },
          { type: 'report', model: { ...good, report: { ...good.report, imports: 'x' } } },
          { type: 'report', model: { ...good, report: { ...good.report, exports: [{ name: 1, kind: 'func', type: '' }] } } },
          {
            type: 'report',
            model: { ...good, report: { ...good.report, capabilities: [{ ...(good.report.capabilities[0] ?? {}), risk: 'none' }] } },
          },
          { type: 'report', model: good, extra: true },
          { type: 'status', text: 'x', level: 'warning' },
          'report',
          null,
        ];
        for (const message of bad) await page.evaluate((m) => window.postMessage(m, window.origin), message);
        await page.waitForTimeout(100);
        assert.equal(await page.locator('main').getAttribute('aria-busy'), 'true', 'still waiting for a report');
        assert.match((await page.locator('main').textContent())!, /Inspecting no-imports\.wasm/);
        // A message from another origin is ignored too, even a valid one.
        await page.evaluate((m) => window.dispatchEvent(new MessageEvent('message', { data: m, origin: 'https://evil.example' })), {
          type: 'report',
          model: good,
        });
        await page.waitForTimeout(50);
        assert.equal(await page.locator('main').getAttribute('aria-busy'), 'true');
        await send(panel, { type: 'report', model: good });
        assert.equal(await page.locator('main').getAttribute('aria-busy'), 'false');
        await send(panel, { type: 'status', text: 'Copied the JSON report to the clipboard.', level: 'info' });
        assert.equal(await page.locator('#status').textContent(), 'Copied the JSON report to the clipboard.');
        assert.deepEqual(await xssCalls(panel), []);
      } finally {
        await page.close();
      }
    });
  });

  describe('100,000 exports', () => {
    let panel: Panel;
    let renderMs = 0;
    before(async () => {
      const report = await inspectBytes(manyExports(100_000));
      assert.equal(report.exports.length, 100_000);
      panel = await openPanel('many.wasm');
      const message: HostMessage = { type: 'report', model: model(report, 'many.wasm') };
      await panel.page.evaluate((m) => {
        window.__start = performance.now();
        window.postMessage(m, window.origin);
      }, message);
      await panel.page.waitForFunction(() => document.body.getAttribute('data-painted-revision') === '1');
      renderMs = await panel.page.evaluate(() => performance.getEntriesByName('inspector-painted')[0].startTime - window.__start);
      console.log(`    100,000 exports: first paint ${renderMs.toFixed(0)} ms after the message`);
    });
    after(async () => panel?.page.close());

    const rowsInDom = () => panel.page.evaluate(() => document.querySelectorAll('#exports-table .vt-body [role=row]').length);
    const scrollTo = async (row: number) => {
      await panel.page.evaluate((top) => {
        const viewport = document.querySelector('#exports-table .vt-viewport');
        viewport.scrollTop = top;
        viewport.dispatchEvent(new Event('scroll'));
      }, row * ROW_HEIGHT);
      await panel.page.evaluate(() => new Promise((r) => window.requestAnimationFrame(() => window.requestAnimationFrame(r))));
    };

    // How fast it paints is the inspector benchmark's to measure; this checks what virtualisation promises.
    it('renders with only the rows in view in the DOM', async () => {
      assert.ok((await rowsInDom()) <= 15 + 8, `${await rowsInDom()} rows in the DOM`);
      assert.equal(await panel.page.locator('#exports-table').getAttribute('aria-rowcount'), '100001');
      assert.equal(await panel.page.locator('#exports-count').textContent(), '100,000 exports');
      const rows = await tableRows(panel, 'exports');
      assert.deepEqual(rows[0], { index: 2, cells: ['export_000000', 'func', '(func)'] });
    });

    it('scrolling shows the right rows, still only a few in the DOM', async () => {
      await scrollTo(50_000);
      const rows = await tableRows(panel, 'exports');
      assert.ok(rows.length <= 15 + 8);
      const top = rows.find((r) => r.index === 50_002);
      assert.ok(top, `row 50,002 is not rendered: ${rows.map((r) => r.index).join(' ')}`);
      assert.equal(top.cells[0], 'export_050000');
      for (const r of rows) assert.equal(r.cells[0], `export_${String(r.index - 2).padStart(6, '0')}`);
      await scrollTo(99_999);
      const end = await tableRows(panel, 'exports');
      assert.equal(end.at(-1)!.cells[0], 'export_099999');
      assert.equal(end.at(-1)!.index, 100_001);
      await scrollTo(0);
    });

    it('sorts by a column (ascending, descending, file order), by click and by keyboard', async () => {
      const { page } = panel;
      const nameHeader = page.locator('#exports-table [role=columnheader]').first();
      await nameHeader.locator('button').click();
      assert.equal(await nameHeader.getAttribute('aria-sort'), 'ascending');
      assert.equal((await tableRows(panel, 'exports'))[0]!.cells[0], 'export_000000');
      await nameHeader.locator('button').focus();
      await page.keyboard.press('Enter');
      assert.equal(await nameHeader.getAttribute('aria-sort'), 'descending');
      assert.deepEqual(
        (await tableRows(panel, 'exports')).slice(0, 3).map((r) => r.cells[0]),
        ['export_099999', 'export_099998', 'export_099997'],
      );
      assert.ok((await rowsInDom()) <= 15 + 8);
      await page.keyboard.press('Space');
      assert.equal(await nameHeader.getAttribute('aria-sort'), 'none');
      assert.equal((await tableRows(panel, 'exports'))[0]!.cells[0], 'export_000000');
    });

    it('filters as you type, and says how many match', async () => {
      const { page } = panel;
      const started = Date.now();
      await page.fill('#exports-filter', 'export_04999');
      await page.waitForFunction(() => document.getElementById('exports-count').textContent.startsWith('10 of'));
      console.log(`    filter over 100,000 exports: ${Date.now() - started} ms`);
      assert.equal(await page.locator('#exports-count').textContent(), '10 of 100,000 exports');
      assert.deepEqual(
        (await tableRows(panel, 'exports')).map((r) => r.cells[0]),
        Array.from({ length: 10 }, (_, i) => `export_04999${i}`),
      );
      await page.fill('#exports-filter', 'no such export');
      await page.waitForFunction(() => document.getElementById('exports-count').textContent.startsWith('0 of'));
      assert.equal(await page.locator('#exports-table + .empty').textContent(), 'No exports match “no such export”.');
      await page.fill('#exports-filter', '');
      await page.waitForFunction(() => document.getElementById('exports-count').textContent === '100,000 exports');
    });

    it('the rows scroll with the keyboard (arrows, Page Down, End, Home)', async () => {
      const { page } = panel;
      await page.focus('#exports-table .vt-viewport');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.querySelector('#exports-table .vt-viewport').scrollTop), 2 * ROW_HEIGHT);
      await page.keyboard.press('PageDown');
      assert.equal(
        await page.evaluate(() => document.querySelector('#exports-table .vt-viewport').scrollTop),
        2 * ROW_HEIGHT + 14 * ROW_HEIGHT,
      );
      await page.keyboard.press('End');
      assert.equal((await tableRows(panel, 'exports')).at(-1)!.cells[0], 'export_099999');
      await page.keyboard.press('Home');
      assert.equal((await tableRows(panel, 'exports'))[0]!.cells[0], 'export_000000');
    });
  });

  describe('keyboard and state', () => {
    it('every control is reachable with Tab in reading order, with a visible focus, and Enter/Space act', async () => {
      const report = await inspectFile(await fixturePath('preview1-command'), { functionBodies: true });
      const panel = await showReport(report, 'hello.wasm');
      const { page } = panel;
      try {
        const order: string[] = [];
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press('Tab');
          const focus = await page.evaluate(() => {
            const e = document.activeElement;
            const s = window.getComputedStyle(e);
            return {
              key: e.getAttribute('data-focus-key') ?? e.getAttribute('data-key') ?? e.localName,
              outline: s.outlineStyle,
              width: s.outlineWidth,
            };
          });
          if (focus.key === 'body') break;
          assert.notEqual(focus.outline, 'none', `${focus.key} has no visible focus`);
          order.push(focus.key);
        }
        const expected = ['action:openAsWat', 'action:openAsHex', 'action:reopenWith', 'action:run', 'action:copyJson', 'outline:summary'];
        assert.deepEqual(order.slice(0, expected.length), expected);
        for (const key of [
          'imports:filter',
          'imports:sort:0',
          'imports:rows',
          'exports:filter',
          'exports:sort:2',
          'exports:rows',
          'size:code',
          'custom:filter',
          'custom:rows',
        ])
          assert.ok(order.includes(key), `${key} is not reachable: ${order.join(' ')}`);
        assert.ok(
          order.indexOf('imports:filter') < order.indexOf('exports:filter') && order.indexOf('exports:rows') < order.indexOf('size:code'),
          order.join(' '),
        );
        assert.ok(!order.includes('size:data'), 'the size bar is one tab stop');
        // Its parts are reached with the arrow keys, and say their size.
        await page.focus('#size .segment[data-key=code]');
        await page.keyboard.press('ArrowRight');
        const second = await page.evaluate(() => [
          document.activeElement.getAttribute('data-key'),
          document.activeElement.getAttribute('aria-label'),
          document.getElementById('size-detail').textContent,
        ]);
        assert.equal(second[0], 'data');
        assert.match(second[1], /^data: .* of the file$/);
        assert.equal(second[2], second[1]);
        await page.keyboard.press('End');
        assert.equal(
          await page.evaluate(() => document.activeElement.getAttribute('data-key')),
          model(report, 'hello.wasm').size.sections.at(-1)!.key,
        );

        await page.focus('button[data-action=copyJson]');
        await page.keyboard.press('Enter');
        await page.focus('button[data-action=openAsWat]');
        await page.keyboard.press('Space');
        await page.click('button[data-action=run]');
        assert.deepEqual((await posted(panel)).slice(1), [
          { type: 'action', action: 'copyJson' },
          { type: 'action', action: 'openAsWat' },
          { type: 'action', action: 'run' },
        ]);
        // The outline moves the focus to the section.
        await page.focus('button[data-focus-key="outline:size"]');
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'size-title');
      } finally {
        await page.close();
      }
    });

    it('keeps the scroll position, filter and sort across a reload (the binary was rebuilt) and a re-open (state)', async () => {
      const report = await inspectBytes(manyExports(2000));
      const panel = await showReport(report, 'rebuilt.wasm', { viewport: { width: 1000, height: 600 } });
      const { page } = panel;
      try {
        await page.fill('#exports-filter', 'export_001');
        await page.waitForFunction(() => document.getElementById('exports-count').textContent.startsWith('1,000 of'));
        await page.click('#exports-table [role=columnheader] button');
        await page.click('#exports-table [role=columnheader] button');
        await page.evaluate(() => {
          const viewport = document.querySelector('#exports-table .vt-viewport');
          viewport.scrollTop = 300 * 24;
          viewport.dispatchEvent(new Event('scroll'));
          document.getElementById('exports').scrollIntoView();
          window.scrollBy(0, -37);
        });
        await page.waitForTimeout(250);
        const before = await page.evaluate(() => ({
          y: window.scrollY,
          top: document.querySelector('#exports-table .vt-viewport').scrollTop,
        }));
        assert.ok(before.y > 100);
        const firstRowBefore = (await tableRows(panel, 'exports')).map((r) => r.cells[0]);
        await page.focus('#exports-filter');

        // The binary changes on disk: the extension sends a new report (revision 2).
        await send(panel, { type: 'report', model: model(report, 'rebuilt.wasm', 2) });
        const after = await page.evaluate(() => ({
          y: window.scrollY,
          top: document.querySelector('#exports-table .vt-viewport').scrollTop,
          focus: document.activeElement.id,
        }));
        assert.deepEqual(after, { ...before, focus: 'exports-filter' });
        assert.deepEqual(
          (await tableRows(panel, 'exports')).map((r) => r.cells[0]),
          firstRowBefore,
        );

        // Hidden and shown again: a new page with the saved state.
        const state = await page.evaluate(() => window.__state);
        assert.equal(state.tables.exports.filter, 'export_001');
        const reopened = await showReport(report, 'rebuilt.wasm', { state, viewport: { width: 1000, height: 600 } });
        try {
          assert.equal(await reopened.page.inputValue('#exports-filter'), 'export_001');
          assert.equal(await reopened.page.locator('#exports-table [role=columnheader]').first().getAttribute('aria-sort'), 'descending');
          const restored = await reopened.page.evaluate(() => ({
            y: window.scrollY,
            top: document.querySelector('#exports-table .vt-viewport').scrollTop,
          }));
          assert.deepEqual(restored, before);
          assert.deepEqual(
            (await tableRows(reopened, 'exports')).map((r) => r.cells[0]),
            firstRowBefore,
          );
        } finally {
          await reopened.page.close();
        }
      } finally {
        await page.close();
      }
    });
  });
});
