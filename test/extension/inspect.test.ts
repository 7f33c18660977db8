// Integration tests of "Wasm: Inspect Module as Text Report" (the Markdown report) in a real VS Code extension host.
// The binaries are built here, into the workspace (a copy of examples/ made by the driver): hello.c with
// Debian's clang for wasm32-wasi, hello.wat with the `wabt` package, a small component with wasm-tools.
import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { act, notificationText, textOf } from './driver';
import { buildC, buildWat, workspaceDir } from './workspace';

const EXTENSION_ID = 'wasm-workbench.wasm-workbench';
const COMMAND = 'wasmWorkbench.inspectAsMarkdown';

// Read when this file is loaded, before any hook runs a command, so the check is about startup only.
const activeAtStartup = vscode.extensions.getExtension(EXTENSION_ID)?.isActive;

/** A component from WAT, with wasm-tools from @bytecodealliance/jco-transpile (ESM only: real import()). */
async function buildComponent(wat: string, output: string): Promise<void> {
  const tools = (await import('@bytecodealliance/jco-transpile/wasm-tools')) as {
    parse(text: string): Promise<Uint8Array>;
  };
  await writeFile(output, await tools.parse(wat));
}

// A component exporting `answer: func() -> u32`, lifted from a one-function core module.
const ANSWER_COMPONENT = `(component
  (core module $m (func (export "answer") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (func $answer (result u32) (canon lift (core func $i "answer")))
  (export "answer" (func $answer)))`;

async function inspect(file: string): Promise<unknown> {
  return vscode.commands.executeCommand(COMMAND, vscode.Uri.file(file));
}

/** Runs the command and checks the common shape of a report; returns its text. */
async function inspectReport(file: string): Promise<string> {
  const result = await inspect(file);
  assert.ok(result, `${COMMAND} returned ${String(result)} for ${basename(file)}, expected the report document`);
  const doc = result as vscode.TextDocument;
  assert.equal(typeof doc.getText, 'function', 'the command should return a vscode.TextDocument');
  assert.equal(doc.languageId, 'markdown');
  // A virtual, read-only document: not a file on disk, not an unsaved buffer, not a writable file system.
  assert.notEqual(doc.uri.scheme, 'file', `report should be virtual, got ${doc.uri.toString()}`);
  assert.notEqual(doc.uri.scheme, 'untitled', `report should be read-only, got ${doc.uri.toString()}`);
  assert.notEqual(vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme), true, 'report scheme is writable');
  const shown =
    vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === doc.uri.toString()) ||
    vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === doc.uri.toString()),
    );
  assert.ok(shown, 'the report should be open in an editor');

  const text = doc.getText();
  const firstLine = text.split('\n', 1)[0]!.trimEnd();
  const name = basename(file);
  const stem = name.replace(/\.wasm$/, '');
  // "<file base name>": accept it with or without the .wasm extension.
  assert.ok(
    firstLine === `# Wasm report: ${name}` || firstLine === `# Wasm report: ${stem}`,
    `unexpected first line: ${JSON.stringify(firstLine)}`,
  );
  assert.match(text, /^## Capabilities\s*$/m);
  return text;
}

/** Throws unless `text` lists the capability id in backticks. */
function assertCapability(text: string, id: string): void {
  assert.ok(text.includes(`\`${id}\``), `report should list capability \`${id}\`:\n${text}`);
}

describe('Wasm: Inspect Module as Text Report', function () {
  let dir: string;
  let helloC: string;
  let helloWat: string;
  let malformed: string;
  let component: string;

  before(async function () {
    const ws = workspaceDir();
    dir = join(ws, 'build');
    await mkdir(dir, { recursive: true });
    // Keeps built files out of git should the workspace ever be the repository's examples/.
    await writeFile(join(dir, '.gitignore'), '*\n');
    helloC = join(dir, 'hello-c.wasm');
    helloWat = join(dir, 'hello-wat.wasm');
    malformed = join(dir, 'malformed.wasm');
    component = join(dir, 'answer-component.wasm');
    await buildC(join(ws, 'hello.c'), helloC);
    await buildWat(join(ws, 'hello.wat'), helloWat);
    await buildComponent(ANSWER_COMPONENT, component);
    // The right magic, but binary format version 2, which does not exist.
    await writeFile(malformed, Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]));
  });

  it('is installed and not activated at startup (activation is lazy)', function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
    // The drivers check this line: it tells whether the development folder or an installed VSIX ran.
    console.log(`    extension under test: ${ext.extensionUri.fsPath}`);
    assert.equal(activeAtStartup, false, 'the extension was already active before any of its commands ran');
  });

  it('reports a WASI preview1 command built from C', async function () {
    const text = await inspectReport(helloC);
    assert.match(text, /^\*\*Host:\*\* WASI preview1 command\s*$/m, `no WASI preview1 command host line:\n${text}`);
    assertCapability(text, 'stdio');
    assertCapability(text, 'exit');
  });

  it('is active once the command has run', function () {
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('reports a WASI preview1 command written in WAT', async function () {
    const text = await inspectReport(helloWat);
    assert.match(text, /^\*\*Host:\*\* WASI preview1 command\s*$/m, `no WASI preview1 command host line:\n${text}`);
    // It imports fd_write only, to write to stdout.
    assertCapability(text, 'stdio');
  });

  // Printing WIT loads @bytecodealliance/jco-transpile at run time: in VSIX mode this proves the
  // package ships the runtime dependencies it needs.
  it('prints the WIT world of a component', async function () {
    const text = await inspectReport(component);
    assert.match(text, /^\*\*Kind:\*\* Component\b/m, `not reported as a component:\n${text}`);
    const wit = /^## WIT world\n\n```wit\n([\s\S]*?)\n```/m.exec(text);
    assert.ok(wit, `no WIT world block:\n${text}`);
    assert.match(wit[1]!, /export answer: func\(\) -> u32;/);
  });

  it('shows an error and returns undefined for a malformed module', async function () {
    const result = await inspect(malformed);
    assert.equal(result, undefined);
    // Read in the workbench's notification centre: what a user sees, whether the extension runs from this folder or a VSIX.
    const { text } = await notificationText(this, `${basename(malformed)} is not a valid Wasm binary`);
    assert.match(text, /malformed\.wasm is not a valid Wasm binary: at byte 0x4 \(4\): /);
    console.log(`    error shown: ${text}`);
  });
});

describe('Binary pickers', () => {
  it("list the binaries a user means, not cargo's copies under target/…/deps", async function () {
    this.timeout(60_000);
    const release = join(workspaceDir(), 'picker-crate', 'target', 'wasm32-wasip1', 'release');
    await mkdir(join(release, 'deps'), { recursive: true });
    // The smallest module (its header): the picker only lists files.
    const empty = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
    await writeFile(join(release, 'picker_crate.wasm'), empty);
    await writeFile(join(release, 'deps', 'picker_crate-5f3a9c2e.wasm'), empty);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.quickOpen', '>Wasm: Inspect Module as Text Report');
    await act(this, 'press', '.quick-input-widget .quick-input-box input', 'workbench', { key: 'Enter' });
    await textOf(
      this,
      '.quick-input-widget .quick-input-title',
      (t) => t === 'Inspect which Wasm binary?',
      'the binary picker',
      'workbench',
    );
    await act(this, 'fill', '.quick-input-widget .quick-input-box input', 'workbench', { value: 'picker_crate' });
    const listed = await textOf(
      this,
      '.quick-input-widget .quick-input-list',
      (t) => t.includes('picker_crate.wasm'),
      "the picker's list",
      'workbench',
    );
    assert.doesNotMatch(listed, /picker_crate-5f3a9c2e/);
    await act(this, 'press', '.quick-input-widget .quick-input-box input', 'workbench', { key: 'Escape' });
  });
});
