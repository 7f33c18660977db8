// Integration tests of the inspector panel (the `wasmWorkbench.inspector` custom editor) in a real VS Code.
// The webview cannot be reached from the extension host, so the tests ask the driver (run-tests.mjs) to click
// in it or read it: they print `wasm-workbench-webview {json}` and wait for the answer file. Where no driver
// answers (test-electron), those tests are skipped.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { screenshot } from './screenshot';
import { buildC, buildWat, workspaceDir } from './workspace';

const VIEW_TYPE = 'wasmWorkbench.inspector';




/** A component: the C program with the preview1 command adapter, as `wasm-tools component new` does. */
async function buildComponent(module: string, output: string): Promise<boolean> {
  const adapter = join(__dirname, '../../../.tools/adapters/wasi_snapshot_preview1.command.wasm');
  if (!existsSync(adapter)) return false;
  const tools = (await import('@bytecodealliance/jco-transpile/wasm-tools')) as {
    componentNew(binary: Uint8Array, adapters?: [string, Uint8Array][]): Promise<Uint8Array>;
  };
  await writeFile(output, await tools.componentNew(await readFile(module), [['wasi_snapshot_preview1', await readFile(adapter)]]));
  return true;
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  for (const end = Date.now() + timeoutMs; ; ) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The active tab when it is the inspector on `file`. */
function activeInspector(file: string): vscode.TabInputCustom | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === VIEW_TYPE && input.uri.fsPath === file ? input : undefined;
}

interface WebviewResult {
  ok: boolean;
  text?: string;
  count?: number;
  error?: string;
}

let requests = 0;
/** Asks the driver to act in the webview; undefined when no driver answers (then the caller skips). */
async function inWebview(op: 'click' | 'text' | 'count', selector: string, timeoutMs = 15_000): Promise<WebviewResult | undefined> {
  const id = `inspector-${process.pid}-${++requests}`;
  const file = join(workspaceDir(), '..', 'webview', `${id}.json`);
  console.log(`wasm-workbench-webview ${JSON.stringify({ id, op, selector, timeoutMs })}`);
  for (const end = Date.now() + timeoutMs + 5000; Date.now() < end; ) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as WebviewResult;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** Text of the first element matching `selector` in the webview, waiting until `match` holds. */
async function webviewText(context: Mocha.Context, selector: string, match: (text: string) => boolean, what: string): Promise<string> {
  let last: WebviewResult | undefined;
  for (const end = Date.now() + 20_000; Date.now() < end; ) {
    last = await inWebview('text', selector);
    if (!last) context.skip(); // no driver can reach the webview here
    if (last.ok && match(last.text ?? '')) return last.text!;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: ${selector} in the webview reads ${JSON.stringify(last?.text ?? last?.error)}`);
}

async function click(context: Mocha.Context, selector: string): Promise<void> {
  const result = await inWebview('click', selector);
  if (!result) context.skip();
  assert.ok(result.ok, `clicking ${selector} in the webview failed: ${result.error}`);
}

describe('Inspector panel', function () {
  this.timeout(90_000);
  let dir: string;
  let helloC: string;
  let component: string | undefined;

  before(async function () {
    const ws = workspaceDir();
    dir = join(ws, 'build-inspector');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.gitignore'), '*\n');
    helloC = join(dir, 'hello-inspector.wasm');
    await buildC(join(ws, 'hello.c'), helloC);
    const componentPath = join(dir, 'hello-component.wasm');
    if (await buildComponent(helloC, componentPath)) component = componentPath;
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opening a .wasm opens the inspector (the default editor for *.wasm)', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(helloC));
    const input = await until('the inspector tab', () => activeInspector(helloC));
    assert.equal(input.viewType, VIEW_TYPE);
    const title = await webviewText(this, '#title', (t) => t === 'hello-inspector.wasm', 'the panel title');
    assert.equal(title, 'hello-inspector.wasm');
    const summary = await webviewText(this, '#summary', (t) => t.includes('WASI preview1 command'), 'the summary');
    assert.match(summary, /Core module/);
    assert.match(await webviewText(this, '#capabilities', (t) => t.includes('Low risk'), 'capability cards'), /fd_write/);
    assert.match(await webviewText(this, '#size', (t) => t.includes('Largest functions'), 'the size picture'), /code/);
    // Deploy is offered exactly when some extension has registered wasmWorkbench.deploy.
    const deployCommand = (await vscode.commands.getCommands(true)).includes('wasmWorkbench.deploy');
    const deploy = await inWebview('count', 'button[data-action=deploy]');
    assert.equal(deploy?.count, deployCommand ? 1 : 0, `Deploy button ${deployCommand ? 'missing' : 'shown'} (wasmWorkbench.deploy ${deployCommand ? 'exists' : 'does not exist'})`);
    await screenshot('inspector-c-module');
  });

  it('Wasm: Inspect Module opens the inspector', async function () {
    const target = component ?? helloC;
    const result = await vscode.commands.executeCommand<vscode.Uri>('wasmWorkbench.inspect', vscode.Uri.file(target));
    assert.equal(result?.fsPath, target);
    await until('the inspector tab', () => activeInspector(target));
    if (!component) {
      console.log('    (no preview1 adapter under .tools/adapters: the component case was not built)');
      return;
    }
    assert.match(await webviewText(this, '.subtitle', (t) => t.startsWith('Component'), 'the kind'), /WASI 0\.2 component/);
    const wit = await webviewText(this, '#wit pre', (t) => t.includes('world'), 'the WIT world');
    assert.match(wit, /export wasi:cli\/run@0\.2\.\d+;/);
    assert.match(await webviewText(this, '#modules', (t) => t.includes('Nested core modules'), 'nested modules'), /0x[0-9a-f]+/);
    await screenshot('inspector-component');
  });

  it('"Copy JSON report" in the panel puts the report on the clipboard', async function () {
    await vscode.commands.executeCommand('wasmWorkbench.inspect', vscode.Uri.file(helloC));
    await until('the inspector tab', () => activeInspector(helloC));
    await webviewText(this, '#summary', (t) => t.includes('WASI preview1 command'), 'the summary');
    await vscode.env.clipboard.writeText('');
    await click(this, 'button[data-action=copyJson]');
    await webviewText(this, '#status', (t) => t === 'Copied the JSON report to the clipboard.', 'the status line');
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
    await click(this, 'button[data-action=openAsWat]');
    const editor = await until('the WAT document', () => (vscode.window.activeTextEditor?.document.uri.scheme === 'wasm-wat' ? vscode.window.activeTextEditor : undefined), 30_000);
    assert.equal(editor.document.languageId, 'wat');
    await until('the printed WAT', () => editor.document.getText().startsWith('(module') || undefined, 30_000);
  });

  it('"Open as text / hex" reopens the file in another editor', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(helloC));
    await until('the inspector tab', () => activeInspector(helloC));
    await click(this, 'button[data-action=openAsText]');
    await until('a non-inspector editor on the file', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      const uri = input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined;
      return uri?.fsPath === helloC && !(input instanceof vscode.TabInputCustom && input.viewType === VIEW_TYPE);
    });
  });

  it('reloads when the binary changes on disk', async function () {
    const changing = join(dir, 'rebuilt.wasm');
    await copyFile(helloC, changing);
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(changing));
    await until('the inspector tab', () => activeInspector(changing));
    const before = await webviewText(this, '#imports-title', (t) => t.startsWith('Imports'), 'the imports heading');
    assert.notEqual(before, 'Imports (1)');
    // A rebuild: the WAT example imports fd_write only.
    await buildWat(join(workspaceDir(), 'hello.wat'), changing);
    assert.equal(await webviewText(this, '#imports-title', (t) => t === 'Imports (1)', 'the reloaded report'), 'Imports (1)');
  });

  it('"Run" in the panel runs the binary in a terminal', async function () {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(helloC));
    await until('the inspector tab', () => activeInspector(helloC));
    await webviewText(this, '#summary', (t) => t.includes('WASI preview1 command'), 'the summary');
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const listener = vscode.window.onDidOpenTerminal((t) => {
        if (t.name === 'Wasm: hello-inspector.wasm') {
          listener.dispose();
          resolve(t);
        }
      });
    });
    await click(this, 'button[data-action=run]');
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
