// Integration tests of the inspector panel (the `wasmWorkbench.inspector` custom editor) in a real VS Code.
// The webview cannot be reached from the extension host, so the tests ask the driver to click in it or read it
// (./driver.ts).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { askDriver, clickOn, textOf, until } from './driver';
import { screenshot } from './screenshot';
import { buildC, buildWat, workspaceDir } from './workspace';

const VIEW_TYPE = 'wasmWorkbench.inspector';

/** A component: the C program with the preview1 command adapter, as `wasm-tools component new` does. */
async function buildComponent(module: string, output: string): Promise<void> {
  const adapter = join(__dirname, '../../../.tools/adapters/wasi_snapshot_preview1.command.wasm');
  if (!existsSync(adapter)) throw new Error(`${adapter} is missing: run bash scripts/fetch-wasi-adapters.sh`);
  const tools = (await import('@bytecodealliance/jco-transpile/wasm-tools')) as {
    componentNew(binary: Uint8Array, adapters?: [string, Uint8Array][]): Promise<Uint8Array>;
  };
  await writeFile(output, await tools.componentNew(await readFile(module), [['wasi_snapshot_preview1', await readFile(adapter)]]));
}

/** The active tab when it is the inspector on `file`. */
function activeInspector(file: string): vscode.TabInputCustom | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === VIEW_TYPE && input.uri.fsPath === file ? input : undefined;
}

describe('Inspector panel', function () {
  this.timeout(90_000);
  let dir: string;
  let helloC: string;
  let component: string;

  before(async function () {
    const ws = workspaceDir();
    dir = join(ws, 'build-inspector');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.gitignore'), '*\n');
    helloC = join(dir, 'hello-inspector.wasm');
    await buildC(join(ws, 'hello.c'), helloC);
    component = join(dir, 'hello-component.wasm');
    await buildComponent(helloC, component);
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opening a .wasm opens the inspector (the default editor for *.wasm)', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(helloC));
    const input = await until('the inspector tab', () => activeInspector(helloC));
    assert.equal(input.viewType, VIEW_TYPE);
    const title = await textOf(this, '#title', (t) => t === 'hello-inspector.wasm', 'the panel title');
    assert.equal(title, 'hello-inspector.wasm');
    const summary = await textOf(this, '#summary', (t) => t.includes('WASI preview1 command'), 'the summary');
    assert.match(summary, /Core module/);
    assert.match(await textOf(this, '#capabilities', (t) => t.includes('Low risk'), 'capability cards'), /fd_write/);
    assert.match(await textOf(this, '#size', (t) => t.includes('Largest functions'), 'the size picture'), /code/);
    // Deploy is offered exactly when some extension has registered wasmWorkbench.deploy.
    const deployCommand = (await vscode.commands.getCommands(true)).includes('wasmWorkbench.deploy');
    const deploy = await askDriver('count', 'button[data-action=deploy]');
    assert.equal(
      deploy?.count,
      deployCommand ? 1 : 0,
      `Deploy button ${deployCommand ? 'missing' : 'shown'} (wasmWorkbench.deploy ${deployCommand ? 'exists' : 'does not exist'})`,
    );
    await screenshot('inspector-c-module');
  });

  it('Wasm: Inspect Module opens the inspector', async function () {
    const result = await vscode.commands.executeCommand<vscode.Uri>('wasmWorkbench.inspect', vscode.Uri.file(component));
    assert.equal(result?.fsPath, component);
    await until('the inspector tab', () => activeInspector(component));
    assert.match(await textOf(this, '.subtitle', (t) => t.startsWith('Component'), 'the kind'), /WASI 0\.2 component/);
    const wit = await textOf(this, '#wit pre', (t) => t.includes('world'), 'the WIT world');
    assert.match(wit, /export wasi:cli\/run@0\.2\.\d+;/);
    assert.match(await textOf(this, '#modules', (t) => t.includes('Nested core modules'), 'nested modules'), /0x[0-9a-f]+/);
    await screenshot('inspector-component');
  });

  it('"Copy JSON report" in the panel puts the report on the clipboard', async function () {
    await vscode.commands.executeCommand('wasmWorkbench.inspect', vscode.Uri.file(helloC));
    await until('the inspector tab', () => activeInspector(helloC));
    await textOf(this, '#summary', (t) => t.includes('WASI preview1 command'), 'the summary');
    await vscode.env.clipboard.writeText('');
    await clickOn(this, 'button[data-action=copyJson]');
    await textOf(this, '#status', (t) => t === 'Copied the JSON report to the clipboard.', 'the status line');
    const copied = await until('the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined, 5000);
    const report = JSON.parse(copied) as { kind: string; file: string; capabilities: { id: string }[]; functions: { bodies?: unknown[] } };
    assert.equal(report.kind, 'module');
    assert.equal(report.file, helloC);
    assert.deepEqual(report.capabilities.map((c) => c.id).sort(), ['exit', 'stdio']);
    assert.ok(report.functions.bodies?.length, 'function sizes included, as with --function-sizes');
  });

  it('"Open as WAT" in the panel opens the WAT view', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(helloC));
    await until('the inspector tab', () => activeInspector(helloC));
    await clickOn(this, 'button[data-action=openAsWat]');
    const editor = await until(
      'the WAT document',
      () => (vscode.window.activeTextEditor?.document.uri.scheme === 'wasm-wat' ? vscode.window.activeTextEditor : undefined),
      30_000,
    );
    assert.equal(editor.document.languageId, 'wat');
    await until('the printed WAT', () => editor.document.getText().startsWith('(module') || undefined, 30_000);
  });

  it('"Hex view" in the panel opens the hex view', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(helloC));
    await until('the inspector tab', () => activeInspector(helloC));
    await clickOn(this, 'button[data-action=openAsHex]');
    await until('the hex view on the file', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'wasmWorkbench.hexView' && input.uri.fsPath === helloC;
    });
  });

  it('reloads when the binary changes on disk', async function () {
    const changing = join(dir, 'rebuilt.wasm');
    await copyFile(helloC, changing);
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(changing));
    await until('the inspector tab', () => activeInspector(changing));
    const before = await textOf(this, '#imports-title', (t) => t.startsWith('Imports'), 'the imports heading');
    assert.notEqual(before, 'Imports (1)');
    // A rebuild: the WAT example imports fd_write only.
    await buildWat(join(workspaceDir(), 'hello.wat'), changing);
    assert.equal(await textOf(this, '#imports-title', (t) => t === 'Imports (1)', 'the reloaded report'), 'Imports (1)');
  });

  it('"Run" in the panel runs the binary in a terminal', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(helloC));
    await until('the inspector tab', () => activeInspector(helloC));
    await textOf(this, '#summary', (t) => t.includes('WASI preview1 command'), 'the summary');
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const listener = vscode.window.onDidOpenTerminal((t) => {
        if (t.name === 'Wasm: hello-inspector.wasm') {
          listener.dispose();
          resolve(t);
        }
      });
    });
    await clickOn(this, 'button[data-action=run]');
    const terminal = await Promise.race([opened, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20_000))]);
    assert.ok(terminal, 'no terminal for the run opened');
    terminal.dispose();
  });

  it('Wasm: Inspect Module as Text Report still gives the Markdown report', async () => {
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('wasmWorkbench.inspectAsMarkdown', vscode.Uri.file(helloC));
    assert.equal(doc?.languageId, 'markdown');
    assert.match(doc.getText(), /^# Wasm report: hello-inspector\.wasm/);
  });
});
