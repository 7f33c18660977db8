// The hex view in a real VS Code: `Wasm: Show Bytes` opens it, the inspector's section table jumps into it at a
// section's first byte, and a 30 MiB binary opens at its last byte. Screenshot: docs/images/hex-view.png.
import * as assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { inspectFile } from '../../src/core/inspect';
import { byteSpans } from '../../src/core/inspect/spans';
import { fixtureBytes } from '../fixtures';
import { appendCustomSection } from '../fixtures/encode';
import { clickOn, textOf, until } from './driver';
import { screenshot } from './screenshot';
import { buildC, workspaceDir } from './workspace';

const HEX_VIEW = 'wasmWorkbench.hexView';

function activeCustomEditor(viewType: string, file: string): boolean {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === viewType && input.uri.fsPath === file;
}

const hex = (n: number) => n.toString(16).toUpperCase();

describe('Hex view', function () {
  this.timeout(90_000);
  let dir: string;
  let hello: string;
  let big: string;

  before(async () => {
    dir = join(workspaceDir(), 'build-hex');
    await mkdir(dir, { recursive: true });
    hello = join(dir, 'hello.wasm');
    await buildC(join(workspaceDir(), 'hello.c'), hello);
    // 30 MiB: the C program with a large custom section after its own.
    big = join(dir, 'big.wasm');
    await writeFile(
      big,
      appendCustomSection(await fixtureBytes('preview1-command'), 'big.blob', new Uint8Array(30 * 1024 * 1024).fill(0x5a)),
    );
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Wasm: Show Bytes opens the hex view with the header marked', async function () {
    await vscode.commands.executeCommand('wasmWorkbench.showHex', vscode.Uri.file(hello));
    await until('the hex view tab', () => activeCustomEditor(HEX_VIEW, hello));
    const first = await textOf(this, '#hex .row[data-offset="0"]', (t) => t.includes('file header') && !t.includes('··'), 'the first row');
    assert.match(first, /^00000000006173[6]D01000000/);
    assert.match(await textOf(this, '#hex .facts', (t) => t.length > 0, 'the facts line'), /sections, each marked where it starts$/);
  });

  it("the inspector's section table opens the hex view at a section's first byte", async function () {
    const code = byteSpans(await inspectFile(hello, { wit: false })).find((s) => s.name === 'code')!;
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(hello), 'wasmWorkbench.inspector');
    await until('the inspector tab', () => activeCustomEditor('wasmWorkbench.inspector', hello));
    await textOf(this, '#sections', (t) => t.includes('Show bytes'), 'the sections table');
    await clickOn(this, `#sections button[data-show-bytes="${code.start}"]`);
    await until('the hex view tab', () => activeCustomEditor(HEX_VIEW, hello));
    const status = await textOf(this, '#hex #status', (t) => t.startsWith(`Offset 0x${hex(code.start)} `), 'the status line');
    assert.match(status, new RegExp(`code \\(0x${hex(code.start)}–0x${hex(code.end)}, .*\\): section id and size$`));
    const selected = await textOf(this, '#hex .b.selected', (t) => t === '0A', 'the selected byte (the code section id, 10)');
    assert.equal(selected, '0A');
    await screenshot('hex-view', { docs: true });
  });

  it('a 30 MiB binary opens, and goes to its last byte', async function () {
    const size = (await readFile(big)).length;
    await vscode.commands.executeCommand('wasmWorkbench.showHex', vscode.Uri.file(big), size - 1);
    await until('the hex view tab', () => activeCustomEditor(HEX_VIEW, big));
    const last = size - 1;
    const row = last - (last % 16);
    const text = await textOf(this, `#hex .row[data-offset="${row}"]`, (t) => t.includes('5A'), 'the last row');
    assert.match(text, new RegExp(`^0${hex(row)}`));
    assert.match(
      await textOf(this, '#hex #status', (t) => t.startsWith('Offset'), 'the status line'),
      new RegExp(`^Offset 0x${hex(last)} .* custom section big\\.blob`),
    );
  });
});
