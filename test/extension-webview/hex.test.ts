// The hex view's webview (media/hex/) in headless Chromium, with the same HTML shell as in VS Code and the bytes
// served as the extension serves them (src/extension/hex/provider.ts: reads checked by parseHexWebviewMessage,
// answered with base64 chunks). The binary is a real module with a 30 MiB custom section, its sections found by
// core's reader. Covers: rows and section marks, going to an offset near the end of 30 MiB reading only what is on
// screen, the keyboard and the wheel, a hostile file name, the CSP, and messages of the wrong shape.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { inspectBytes } from '../../src/core/inspect';
import { byteSpans } from '../../src/core/inspect/spans';
import { MAX_READ_BYTES, parseHexWebviewMessage, type HexFile, type HexHostMessage } from '../../src/extension/hex/protocol';
import { fixtureBytes } from '../fixtures';
import { appendCustomSection } from '../fixtures/encode';
import { repoRoot } from '../fixtures/tools';
import { launchBrowser, openPanel, type Panel } from './harness';

declare const document: any;
declare const window: any;

const SHOTS = join(repoRoot(), '.test-output', 'extension-webview');
const BIG = 30 * 1024 * 1024;

interface Served {
  panel: Panel;
  /** Bytes the page asked for so far. */
  bytesRead(): number;
}

/** Opens the hex page on `bytes` and answers its reads as the provider does. */
async function serve(browser: Browser, fileName: string, bytes: Uint8Array, file: HexFile): Promise<Served> {
  let read = 0;
  const panel = await openPanel(browser, fileName, {
    view: 'hex',
    reply: (raw) => {
      const message = parseHexWebviewMessage(raw);
      if (message?.type !== 'read' || message.revision !== file.revision) return undefined;
      read += message.length;
      const data = Buffer.from(bytes.subarray(message.offset, message.offset + message.length)).toString('base64');
      return { type: 'bytes', revision: file.revision, offset: message.offset, data } satisfies HexHostMessage;
    },
  });
  await post(panel, { type: 'file', file });
  return { panel, bytesRead: () => read };
}

async function post(panel: Panel, message: unknown): Promise<void> {
  await panel.page.evaluate((m) => window.postMessage(m, window.origin), JSON.parse(JSON.stringify(message)));
}

/** The text of the row at `offset` once its bytes have arrived. */
async function rowText(panel: Panel, offset: number): Promise<string> {
  const row = panel.page.locator(`.row[data-offset="${offset}"]`);
  await row.locator('.b:not(.loading)').first().waitFor({ timeout: 10_000 });
  await panel.page.waitForFunction((o) => !document.querySelector(`.row[data-offset="${o}"] .b.loading`), offset);
  return (await row.textContent())!;
}

describe('hex view webview', () => {
  let browser: Browser;
  let bytes: Uint8Array;
  let file: HexFile;

  before(async () => {
    browser = await launchBrowser();
    // The C hello world with a 30 MiB custom section after its own sections: a real binary that size.
    const payload = new Uint8Array(BIG);
    for (let i = 0; i < payload.length; i += 4096) payload[i] = (i / 4096) & 0xff;
    bytes = appendCustomSection(await fixtureBytes('preview1-command'), 'big.blob', payload);
    file = { fileName: 'big.wasm', size: bytes.length, spans: byteSpans(await inspectBytes(bytes, { wit: false })), revision: 1 };
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
  });

  it('shows the first row with the header marked, and every section in the list', async () => {
    const { panel } = await serve(browser, 'big.wasm', bytes, file);
    try {
      const first = await rowText(panel, 0);
      assert.match(first, /^00000000/);
      const cells = await panel.page.locator('.row[data-offset="0"] .b').allTextContents();
      assert.deepEqual(cells.slice(0, 8), ['00', '61', '73', '6D', '01', '00', '00', '00']);
      assert.match(first, /file header/);
      assert.equal(await panel.page.locator('#section option').count(), file.spans.length);
      assert.match(
        (await panel.page.locator('.facts').textContent())!,
        /^30 MiB \(31,\d{3},\d{3} bytes\) · \d+ sections, each marked where it starts$/,
      );
      // The first byte of the first section carries the mark.
      const type = file.spans[1]!;
      assert.equal(await panel.page.locator(`.b[data-offset="${type.start}"]`).getAttribute('class'), `b k-section t1 first head`);
      assert.deepEqual(panel.errors, []);
      assert.deepEqual(panel.external, []);
      assert.deepEqual(await panel.page.evaluate(() => window.__violations), []);
    } finally {
      await panel.page.close();
    }
  });

  it('goes to an offset near the end of 30 MiB, reading only what is on screen', async () => {
    const { panel, bytesRead } = await serve(browser, 'big.wasm', bytes, file);
    try {
      await rowText(panel, 0);
      const target = bytes.length - 100;
      await panel.page.fill('#goto', `0x${target.toString(16)}`);
      await panel.page.press('#goto', 'Enter');
      const rowStart = target - (target % 16);
      const text = await rowText(panel, rowStart);
      const expected = [...bytes.subarray(rowStart, rowStart + 16)].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
      assert.deepEqual((await panel.page.locator(`.row[data-offset="${rowStart}"] .b`).allTextContents()).slice(0, 16), expected);
      assert.match(text, new RegExp(`^${rowStart.toString(16).toUpperCase().padStart(8, '0')}`));
      assert.equal(await panel.page.locator(`.b.selected`).getAttribute('data-offset'), String(target));
      assert.match(
        (await panel.page.locator('#status').textContent())!,
        new RegExp(`^Offset 0x${target.toString(16).toUpperCase()} .* custom section big\\.blob .*: payload, byte [\\d,]+$`),
      );
      assert.ok(bytesRead() <= 8 * MAX_READ_BYTES, `read ${bytesRead()} bytes of ${bytes.length}`);
      await panel.page.screenshot({ path: join(SHOTS, 'hex-30mib-end.png') });
      // A section from the list: the code section, marked where it starts.
      const code = file.spans.findIndex((s) => s.name === 'code');
      await panel.page.selectOption('#section', String(code));
      assert.match(await rowText(panel, file.spans[code]!.start - (file.spans[code]!.start % 16)), /code/);
      assert.deepEqual(panel.errors, []);
    } finally {
      await panel.page.close();
    }
  });

  it('moves the selection with the keys and the view with the wheel', async () => {
    const { panel } = await serve(browser, 'big.wasm', bytes, file);
    try {
      await rowText(panel, 0);
      await panel.page.click('.b[data-offset="3"]');
      await panel.page.keyboard.press('ArrowDown');
      assert.equal(await panel.page.locator('.b.selected').getAttribute('data-offset'), '19');
      await panel.page.keyboard.press('Control+End');
      assert.equal(await panel.page.locator('.b.selected').getAttribute('data-offset'), String(bytes.length - 1));
      await panel.page.keyboard.press('Control+Home');
      assert.equal(await panel.page.evaluate(() => document.body.getAttribute('data-first-offset')), '0');
      // 30 MiB is past what a scroll bar can map row for row: the wheel still moves three rows a notch.
      await panel.page.mouse.move(300, 400);
      await panel.page.mouse.wheel(0, 60);
      await panel.page.waitForFunction(() => document.body.getAttribute('data-first-offset') !== '0');
      assert.equal(await panel.page.evaluate(() => document.body.getAttribute('data-first-offset')), String(3 * 16));
    } finally {
      await panel.page.close();
    }
  });

  it('says what is wrong with an offset it cannot go to', async () => {
    const { panel } = await serve(browser, 'big.wasm', bytes, file);
    try {
      await panel.page.fill('#goto', 'twelve');
      await panel.page.press('#goto', 'Enter');
      assert.equal(await panel.page.locator('#status').textContent(), 'Type an offset: hexadecimal with 0x (0x1A2B) or decimal (6699).');
      assert.equal(await panel.page.locator('#goto').getAttribute('aria-invalid'), 'true');
      await panel.page.fill('#goto', String(bytes.length));
      await panel.page.press('#goto', 'Enter');
      assert.match((await panel.page.locator('#status').textContent())!, /is past the end \(the file has [\d,]+ bytes\)\./);
    } finally {
      await panel.page.close();
    }
  });

  it('shows a hostile file name as text, and drops messages of the wrong shape', async () => {
    const name = '<img src=x onerror="window.__xss(1)">\u202Egnp.wasm';
    const { panel } = await serve(browser, name, bytes, { ...file, fileName: name });
    try {
      await rowText(panel, 0);
      assert.equal(await panel.page.locator('#title').textContent(), '<img src=x onerror="window.__xss(1)">\\u{202E}gnp.wasm');
      assert.equal(await panel.page.locator('img').count(), 0);
      const before = await panel.page.locator('.row[data-offset="0"]').textContent();
      for (const bad of [
        { type: 'bytes', revision: 1, offset: 0, data: 'AAAA', extra: 1 },
        { type: 'bytes', revision: 'x', offset: 0, data: 'AAAA' },
        { type: 'reveal', offset: -1 },
        { type: 'file', file: { ...file, spans: [{ name: 'x', label: 'x', kind: 'section', start: 9, payloadStart: 5, end: 4 }] } },
      ])
        await post(panel, bad);
      // A chunk of another revision (an older file) is dropped too.
      await post(panel, { type: 'bytes', revision: 99, offset: 0, data: Buffer.alloc(16, 0xff).toString('base64') });
      assert.equal(await panel.page.locator('.row[data-offset="0"]').textContent(), before);
      assert.deepEqual(await panel.page.evaluate(() => window.__xssCalls), []);
    } finally {
      await panel.page.close();
    }
  });

  it('the extension refuses reads of the wrong shape', () => {
    assert.deepEqual(parseHexWebviewMessage({ type: 'read', offset: 0, length: 16, revision: 1 }), {
      type: 'read',
      offset: 0,
      length: 16,
      revision: 1,
    });
    for (const bad of [
      { type: 'read', offset: -1, length: 16, revision: 1 },
      { type: 'read', offset: 0, length: MAX_READ_BYTES + 1, revision: 1 },
      { type: 'read', offset: 0, length: 0, revision: 1 },
      { type: 'read', offset: 0.5, length: 16, revision: 1 },
      { type: 'read', offset: 0, length: 16 },
      { type: 'read', offset: 0, length: 16, revision: 1, path: '/etc/passwd' },
      { type: 'ready', x: 1 },
      'ready',
    ])
      assert.equal(parseHexWebviewMessage(bad), undefined, JSON.stringify(bad));
  });
});
