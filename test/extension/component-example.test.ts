// The component example as a user of the extension meets it (in test:vsix, the extension installed from the
// VSIX, with nothing from this repository): build examples/component-hello through its `wasm` task, open the
// component in the inspector, run it. With Debian's rustc (no wasm32-wasip2) the build adapts the wasm32-wasi
// module with the WASI preview1 command adapter, which the extension has to ship.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { installedAdapterFolders } from '../../src/core/build/adapter';
import { textOf, until } from './driver';
import { runTask, workspaceDir } from './workspace';

const EXTENSION_ID = 'wasm-workbench.wasm-workbench';
const ADAPTER = 'wasi_snapshot_preview1.command.wasm';

interface RunResult {
  exitCode: number;
  end: string;
  transcript: string;
}

/**
 * Builds component-hello through its `wasm` task, checking what the task says on the way; once, whichever test asks
 * first, so each test can run alone.
 */
let built: Promise<vscode.Uri> | undefined;
function componentBuilt(): Promise<vscode.Uri> {
  built ??= buildWithTask();
  return built;
}

async function buildWithTask(): Promise<vscode.Uri> {
  const tasks = await vscode.tasks.fetchTasks({ type: 'wasm' });
  const task = tasks.find((t) => t.definition.project === 'component-hello');
  assert.ok(task, `no wasm task for component-hello among ${tasks.map((t) => t.name).join(', ')}`);
  const detail = task.detail ?? '';
  console.log(`    task: ${task.name} [${detail}]`);
  assert.doesNotMatch(detail, /^cannot build/, `the task cannot build: ${detail}`);
  const output = /→ (.+\.wasm)$/.exec(detail)?.[1];
  assert.ok(output, `the task names no output: ${detail}`);
  if (!/wasm32-wasip2/.test(detail)) {
    // Adapted from a preview1 module: the adapter must come with the extension itself.
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const shipped = installedAdapterFolders(extension.extensionPath)
      .map((dir) => join(dir, ADAPTER))
      .filter((file) => existsSync(file));
    assert.ok(shipped.length, `the extension at ${extension.extensionPath} carries no ${ADAPTER}`);
    console.log(`    adapter: ${shipped[0]}`);
  }
  const exitCode = await runTask(task, 240_000);
  assert.equal(exitCode, 0, 'the build failed: see the task terminal');
  const file = join(workspaceDir(), output);
  assert.ok(existsSync(file), `${file} was not written`);
  // A component: the Wasm magic, then version 0x0d and layer 1.
  assert.deepEqual([...readFileSync(file).subarray(0, 8)], [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], `${file} is not a component`);
  return vscode.Uri.file(file);
}

describe('The component example: build it as a task, inspect it, run it', function () {
  this.timeout(300_000);

  it('the wasm task builds component-hello into a component', async () => {
    const component = await componentBuilt();
    console.log(`    built: ${component.fsPath}`);
  });

  it('opens in the inspector as a WASI 0.2 command component', async function () {
    const component = await componentBuilt();
    await vscode.commands.executeCommand('vscode.open', component);
    await until('the inspector tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return (
        input instanceof vscode.TabInputCustom && input.viewType === 'wasmWorkbench.inspector' && input.uri.fsPath === component.fsPath
      );
    });
    const summary = await textOf(this, '#summary', (t) => t.includes('WASI 0.2 component'), 'the summary');
    assert.match(summary, /command world/);
    assert.match(await textOf(this, '#wit pre', (t) => t.includes('world'), 'the WIT world'), /export wasi:cli\/run@0\.2\.\d+;/);
  });

  it('runs and prints its greeting', async () => {
    const component = await componentBuilt();
    // Grants passed with the command (none): nothing is asked.
    const result = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', component, {});
    assert.ok(result, 'the run returned nothing');
    assert.equal(result.exitCode, 0, result.transcript);
    assert.match(result.transcript, /Hello from a Rust component!/);
  });
});
