// Integration tests of building in a real VS Code extension host: the `wasm` task provider and `Wasm: Build`,
// on the workspace the driver makes (a copy of examples/), with the real toolchains (Debian clang + wasi-libc,
// and for the command test Debian's rustc/cargo with libstd-rust-dev-wasm32).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { countOf, notificationText } from './driver';
import { runTask } from './workspace';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (a copy of examples/)');
  return folder.uri.fsPath;
}

function assertWasmFile(path: string): void {
  assert.ok(existsSync(path), `${path} was not written`);
  assert.deepEqual([...readFileSync(path).subarray(0, 4)], WASM_MAGIC, `${path} is not a Wasm binary`);
}

describe('Wasm: Build and the wasm task provider', function () {
  let ws: string;

  before(function () {
    ws = workspaceDir();
  });

  it('lists a wasm task for each example project, with its toolchain', async function () {
    const tasks = await vscode.tasks.fetchTasks({ type: 'wasm' });
    const byProject = new Map(
      tasks.map((t) => [String(t.definition.project) + (t.definition.target ? `:${String(t.definition.target)}` : ''), t]),
    );
    console.log(`    tasks: ${tasks.map((t) => `${t.name} [${t.detail ?? ''}]`).join('; ')}`);
    const c = byProject.get('c-hello');
    assert.ok(c, `no wasm task for c-hello among: ${[...byProject.keys()].join(', ')}`);
    assert.equal(c.definition.language, 'c');
    assert.equal(c.source, 'wasm');
    assert.equal(c.group?.id, vscode.TaskGroup.Build.id);
    assert.deepEqual(c.problemMatchers, ['$wasm-clang']);
    assert.ok(c.execution instanceof vscode.ProcessExecution, 'the C task runs clang directly');
    assert.match((c.execution as vscode.ProcessExecution).process, /clang$/);
    // The AssemblyScript example has two asconfig targets: one task each.
    assert.ok(byProject.has('assemblyscript-hello:release') && byProject.has('assemblyscript-hello:debug'), 'one task per asconfig target');
    assert.ok(byProject.has('rust-hello'), 'a task for the Rust example');
  });

  it('runs the C task: clang exits 0 and writes the .wasm', async function () {
    const output = join(ws, 'c-hello', 'hello.wasm');
    rmSync(output, { force: true });
    const tasks = await vscode.tasks.fetchTasks({ type: 'wasm' });
    const c = tasks.find((t) => t.definition.project === 'c-hello');
    assert.ok(c, 'no wasm task for c-hello');
    const exitCode = await runTask(c);
    assert.equal(exitCode, 0, 'clang failed: see the task terminal');
    assertWasmFile(output);
  });

  it('a compile error shows in Problems through the clang problem matcher', async function () {
    const dir = join(ws, 'broken-c');
    mkdirSync(dir, { recursive: true });
    const source = join(dir, 'main.c');
    writeFileSync(source, 'int main(void) {\n  return missing;\n}\n');
    try {
      const tasks = await vscode.tasks.fetchTasks({ type: 'wasm' });
      const task = tasks.find((t) => t.definition.project === 'broken-c');
      assert.ok(task, 'no wasm task for the broken C project');
      const exitCode = await runTask(task);
      assert.notEqual(exitCode, 0);
      const uri = vscode.Uri.file(source);
      let problems: vscode.Diagnostic[] = [];
      for (let i = 0; i < 50 && problems.length === 0; i++) {
        problems = vscode.languages.getDiagnostics(uri);
        if (!problems.length) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(problems.length, 1, `diagnostics on ${source}: ${JSON.stringify(problems)}`);
      const [problem] = problems;
      assert.equal(problem!.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(problem!.range.start.line, 1);
      assert.equal(problem!.range.start.character, 9);
      assert.match(problem!.message, /undeclared identifier 'missing'/);
      console.log(
        `    problem: ${problem!.source ?? ''} ${problem!.message} at ${problem!.range.start.line + 1}:${problem!.range.start.character + 1}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Wasm: Build on a project folder builds it and returns the output (Rust, Debian toolchain)', async function () {
    const result = (await vscode.commands.executeCommand('wasmWorkbench.build', vscode.Uri.file(join(ws, 'rust-hello')))) as
      { project: string; exitCode: number | undefined; outputs: vscode.Uri[] } | undefined;
    assert.ok(result, 'the command returned nothing');
    assert.equal(result.project, 'rust-hello');
    assert.equal(result.exitCode, 0, 'cargo failed: see the task terminal');
    assert.equal(result.outputs.length, 1);
    assert.match(result.outputs[0]!.fsPath, /rust-hello\/target\/wasm32-wasip?1?\/release\/rust-hello\.wasm$/);
    assertWasmFile(result.outputs[0]!.fsPath);
  });

  it('a missing toolchain: the task says so, and the command shows the install hint', async function () {
    const config = vscode.workspace.getConfiguration('wasmWorkbench.build');
    await config.update('clangPath', '/nonexistent/bin/clang', vscode.ConfigurationTarget.Workspace);
    try {
      const tasks = await vscode.tasks.fetchTasks({ type: 'wasm' });
      const c = tasks.find((t) => t.definition.project === 'c-hello');
      assert.ok(c, 'the task is still listed, to explain itself');
      assert.match(c.detail ?? '', /cannot build: clang was not found \(no executable at \/nonexistent\/bin\/clang\)/);
      const result = (await vscode.commands.executeCommand('wasmWorkbench.build', vscode.Uri.file(join(ws, 'c-hello')))) as
        { exitCode: number | undefined } | undefined;
      assert.equal(result?.exitCode, undefined);
      // Read in the workbench's notification centre: what a user sees, whether the extension runs from this folder or a VSIX.
      const { text, selector } = await notificationText(this, 'Cannot build c-hello');
      assert.match(text, /Cannot build c-hello: clang was not found .* apt install clang lld wasi-libc/);
      await countOf(this, selector, (n) => n === 1, 'one notification of the missing toolchain', 'workbench');
      console.log(`    error shown: ${text}`);
    } finally {
      await config.update('clangPath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
