// Integration tests of running binaries in a real VS Code extension host: `Wasm: Run Module` shows the guest's
// output in the binary's terminal under a header that says what confines it and what it gets; output that floods
// the terminal is paced and bounded; a `wasm` launch configuration runs with exactly the grants written in it; F5
// on an open .wasm runs it; binaries that cannot run have Run disabled with the reason.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { confinementFor, terminalPace } from '../../src/core/run';
import { fixturePath } from '../fixtures';
import { testToolPath } from '../support/test-tools';
import { act, countOf, notificationText, textOf, until } from './driver';
import { nextRunOf, type RunResult } from './run-api';
import { screenshot } from './screenshot';
import { buildC, workspaceDir } from './workspace';

const terminalsNamed = (name: string) => vscode.window.terminals.filter((t) => t.name === name || t.name.startsWith(`${name} (`));

describe('Wasm: Run Module', function () {
  this.timeout(90_000);
  let dir: string;
  let hello: string;

  before(async () => {
    dir = join(workspaceDir(), 'build-run');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '.gitignore'), '*\n');
    hello = join(dir, 'hello-run.wasm');
    await buildC(join(workspaceDir(), 'hello.c'), hello);
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs the C example in a terminal whose header says what confines it and what it gets', async () => {
    const result = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(hello));
    assert.ok(result, 'the command returns the run result');
    assert.equal(result.exitCode, 0);
    assert.equal(result.end, 'exited');
    assert.equal(terminalsNamed('Wasm: hello-run.wasm').length, 1);
    const header = result.transcript.slice(0, result.transcript.indexOf('\n\n'));
    assert.match(header, /^▶ hello-run\.wasm · WASI preview1 command/);
    // The same decision core makes for the run (bubblewrap when it works here, else only the WASI layer, said plainly).
    const confinement = confinementFor('auto');
    if (confinement.bubblewrap)
      assert.match(
        header,
        /Confined by: bubblewrap \(its own mount, PID, IPC and network namespaces; only the granted directories bound\) around the WASI layer/,
      );
    else
      assert.match(
        header,
        new RegExp(`Confined by: only the WASI layer\\. bubblewrap is not used: ${escapeRegExp(confinement.reason!.replace(/`/g, ''))}`),
      );
    assert.match(header, /Arguments: none/);
    assert.match(header, /Always available: standard input and output, exit code/i);
    assert.match(header, /✎ Edit run grants/);
    assert.match(result.transcript, /Hello from C on WASI!/);
    assert.match(result.transcript, /hello-run\.wasm exited with code 0/);
    await screenshot('run-terminal');
  });

  it('the settings choose what confines the guest and which engine runs it, and the header says so', async () => {
    const settings = vscode.workspace.getConfiguration('wasmWorkbench.run');
    const wasmtime = testToolPath('wasmtime', 'bin/wasmtime');
    await settings.update('sandbox', 'none', vscode.ConfigurationTarget.Global);
    try {
      const plain = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(hello));
      assert.equal(plain.exitCode, 0, plain.transcript);
      assert.match(
        plain.transcript,
        /\n {2}Confined by: only the WASI layer\. bubblewrap is not used: the sandbox was turned off \(--sandbox none \/ wasmWorkbench\.run\.sandbox\)\n/,
      );
      await settings.update('engine', 'wasmtime', vscode.ConfigurationTarget.Global);
      await settings.update('wasmtimePath', wasmtime, vscode.ConfigurationTarget.Global);
      const onWasmtime = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(hello));
      assert.equal(onWasmtime.exitCode, 0, onWasmtime.transcript);
      assert.match(
        onWasmtime.transcript,
        new RegExp(`^▶ hello-run\\.wasm · WASI preview1 command · on wasmtime \\(${escapeRegExp(wasmtime)}\\)`),
      );
      assert.match(onWasmtime.transcript, /Hello from C on WASI!/);
    } finally {
      for (const key of ['sandbox', 'engine', 'wasmtimePath']) await settings.update(key, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it("reuses the binary's terminal for its next run, or opens one per run when reuseTerminal is off", async () => {
    const settings = vscode.workspace.getConfiguration('wasmWorkbench.run');
    for (const t of terminalsNamed('Wasm: hello-run.wasm')) t.dispose();
    await until('the old terminals to close', () => terminalsNamed('Wasm: hello-run.wasm').length === 0);
    await vscode.commands.executeCommand('wasmWorkbench.run', vscode.Uri.file(hello));
    const second = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(hello));
    assert.equal(second.exitCode, 0);
    assert.equal(terminalsNamed('Wasm: hello-run.wasm').length, 1, 'two runs of one binary share its terminal');
    await settings.update('reuseTerminal', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('wasmWorkbench.run', vscode.Uri.file(hello));
      assert.equal(terminalsNamed('Wasm: hello-run.wasm').length, 2, 'with reuseTerminal off, the run opened its own terminal');
    } finally {
      await settings.update('reuseTerminal', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a guest flooding its output is paced: the editor holds a bounded amount and the result keeps only the tail', async function () {
    this.timeout(120_000);
    const flood = await fixturePath('hostile');
    const mib = 1024 * 1024;
    // Grants passed with the command: nothing is asked. `flood 24` writes 24 MiB to stdout as fast as it can.
    const result = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(flood), { args: ['flood', '24'] });
    assert.equal(result.exitCode, 0, result.transcript.slice(-2000));
    assert.ok(result.outputChars >= 24 * mib, `the terminal got ${result.outputChars} characters of 24 MiB`);
    // The queue pauses the guest's streams past its bound; each of stdout and stderr may deliver one pipe read
    // (64 KiB) more, and the closing notes come after the output.
    const bound = terminalPace.maxPendingChars + 2 * 64 * 1024 + 4096;
    assert.ok(result.peakQueuedChars <= bound, `${result.peakQueuedChars} characters waited for the terminal at once (bound ${bound})`);
    assert.ok(result.transcript.length < 80 * 1024, `the result kept ${result.transcript.length} characters`);
    assert.match(result.transcript, /characters of output not kept here/);
    const end = result.transcript.slice(-400);
    assert.match(end, /\n■ hostile\.wasm exited with code 0 after \d+ ms\n$/, `the result ends: ${JSON.stringify(end)}`);
  });

  it('a wasm launch configuration runs with the grants written in it, read as the CLI reads them', async function () {
    const ws = workspaceDir();
    await copyFile(await fixturePath('probe'), join(ws, 'probe.wasm'));
    await rm(join(ws, 'out'), { recursive: true, force: true });
    await mkdir(join(ws, 'out'));
    const folder = vscode.workspace.workspaceFolders![0]!;
    const written = nextRunOf(join(ws, 'probe.wasm'));
    await vscode.debug.startDebugging(folder, {
      type: 'wasm',
      request: 'launch',
      name: 'Write a file',
      program: '${workspaceFolder}/probe.wasm',
      args: ['write', 'out/result.txt'],
      dirs: ['out'],
    });
    const run = await written;
    assert.equal(run.exitCode, 0, run.transcript);
    assert.match(run.transcript, new RegExp(`read-write ${escapeRegExp(join(ws, 'out'))} as out`));
    assert.equal(await readFile(join(ws, 'out', 'result.txt'), 'utf8'), 'written by the guest\n');

    // Variables in the CLI's KEY=VALUE form, and a read-only directory under a guest path of its own.
    await writeFile(join(ws, 'out', 'note.txt'), 'from the grant\n');
    const env = nextRunOf(join(ws, 'probe.wasm'));
    await vscode.debug.startDebugging(folder, {
      type: 'wasm',
      request: 'launch',
      name: 'Env',
      program: '${workspaceFolder}/probe.wasm',
      args: ['env'],
      env: ['GREETING=hello=there'],
    });
    assert.match((await env).transcript, /^GREETING=hello=there$/m);
    const cat = nextRunOf(join(ws, 'probe.wasm'));
    await vscode.debug.startDebugging(folder, {
      type: 'wasm',
      request: 'launch',
      name: 'Cat',
      program: '${workspaceFolder}/probe.wasm',
      args: ['cat', '/in/note.txt'],
      roDirs: ['out::/in'],
    });
    assert.match((await cat).transcript, /^from the grant$/m);

    // What the CLI refuses, a launch configuration refuses with the CLI's words.
    await vscode.debug.startDebugging(folder, {
      type: 'wasm',
      request: 'launch',
      name: 'Bad',
      program: '${workspaceFolder}/probe.wasm',
      dirs: ['out::'],
    });
    const { text } = await notificationText(this, 'bad directory grant "out::"');
    assert.match(text, /bad directory grant "out::": use HOST or HOST::GUEST/);
  });

  it('F5 on an open .wasm runs that file, without writing a launch.json', async function () {
    const ws = workspaceDir();
    await rm(join(ws, '.vscode', 'launch.json'), { force: true });
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(hello));
    await until('the inspector', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'hello-run.wasm');
    await textOf(this, '#title', (t) => t === 'hello-run.wasm', 'the inspector title');
    const ran = nextRunOf(hello);
    await act(this, 'press', '#title', 'webview', { key: 'F5' });
    const run = await ran;
    assert.equal(run.exitCode, 0, run.transcript);
    assert.match(run.transcript, /Hello from C on WASI!/);
    assert.equal(existsSync(join(ws, '.vscode', 'launch.json')), false, 'F5 wrote a launch.json');
  });

  it('runs a WASI 0.2 component and reports its real exit code', async () => {
    // The C hello world turned into a component with the preview1 command adapter.
    // Grants passed with the command: nothing is asked (the adapter imports wasi:filesystem, which would prompt).
    const component = await vscode.commands.executeCommand<RunResult>(
      'wasmWorkbench.run',
      vscode.Uri.file(await fixturePath('component-command')),
      {},
    );
    assert.equal(component.exitCode, 0, component.transcript);
    assert.match(component.transcript, /hello, world/);
    assert.match(component.transcript, /WASI 0\.2 component \(command world\)/);
    // A component that calls wasi:cli/exit exit-with-code(3).
    const exit3 = await vscode.commands.executeCommand<RunResult>(
      'wasmWorkbench.run',
      vscode.Uri.file(await fixturePath('component-exit-code')),
      {},
    );
    assert.equal(exit3.exitCode, 3, exit3.transcript);
  });

  it('a library runs by calling the export the user picks, with the arguments of its grants', async function () {
    const library = await fixturePath('preview1-reactor');
    const running = vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(library), { args: ['2', '40'] });
    await textOf(
      this,
      '.quick-input-widget .quick-input-title',
      (t) => t.includes('is a library: call which export?'),
      'the export picker',
      'workbench',
    );
    await act(this, 'click', '.quick-input-list .monaco-list-row[aria-label^="add"]', 'workbench');
    const result = await running;
    assert.equal(result.exitCode, 0, result.transcript);
    assert.match(result.transcript, /Calls: add\(2, 40\)/);
    assert.match(result.transcript, /^42$/m);
  });

  describe('binaries that cannot run', () => {
    let emscripten: string;
    let invalid: string;

    before(async () => {
      emscripten = join(dir, 'emscripten-build.wasm');
      await copyFile(await fixturePath('emscripten-style'), emscripten);
      invalid = join(dir, 'not-wasm.wasm');
      await writeFile(invalid, 'this is text, not WebAssembly\n');
    });

    it('the inspector disables Run and Deploy with the reason, and so does the editor title', async function () {
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(emscripten));
      await textOf(this, '#title', (t) => t === 'emscripten-build.wasm', 'the inspector title');
      await countOf(this, 'button[data-action=run][disabled]', (n) => n === 1, 'the disabled Run button');
      const reasons = await textOf(this, '.actions', (t) => /It cannot run here/.test(t), 'the reasons under the buttons');
      assert.match(reasons, /It cannot run here: .*Emscripten/);
      if ((await vscode.commands.getCommands(true)).includes('wasmWorkbench.deploy')) {
        await countOf(this, 'button[data-action=deploy][disabled]', (n) => n === 1, 'the disabled Deploy button');
        assert.match(reasons, /It cannot be deployed: it was built by Emscripten/);
      }
      await countOf(this, 'button[data-action=editGrants]', (n) => n === 0, 'no grants editor for a binary that cannot run');
      // The editor title's Run button, greyed out by the context key the inspector set.
      await countOf(
        this,
        '.editor-actions .action-label[aria-label*="Run Module"][aria-disabled="true"]',
        (n) => n === 1,
        'the disabled Run in the editor title',
        'workbench',
      );
      await screenshot('run-disabled-emscripten', { docs: true });
      // The Explorer's context menu on the file.
      await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(emscripten));
      await act(this, 'click', '.explorer-folders-view .monaco-list-row:has-text("emscripten-build.wasm")', 'workbench', {
        button: 'right',
      });
      await countOf(
        this,
        '.monaco-menu .action-item.disabled:has-text("Run Module")',
        (n) => n === 1,
        'the disabled Run in the Explorer menu',
        'workbench',
      );
      await act(this, 'press', '.monaco-menu', 'workbench', { key: 'Escape' });

      // A file that is not a Wasm binary.
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(invalid));
      await textOf(this, '.error', (t) => /not a valid Wasm binary/.test(t), 'the error page');
      await countOf(this, 'button[data-action=run][disabled]', (n) => n === 1, 'the disabled Run button on the error page');
      await countOf(
        this,
        '.editor-actions .action-label[aria-label*="Run Module"][aria-disabled="true"]',
        (n) => n === 1,
        'the disabled Run in the editor title',
        'workbench',
      );

      // A binary that can run keeps its Run enabled.
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(hello));
      await textOf(this, '#title', (t) => t === 'hello-run.wasm', 'the inspector title');
      await countOf(this, 'button[data-action=run]:not([disabled])', (n) => n === 1, 'the enabled Run button');
      await countOf(
        this,
        '.editor-actions .action-label[aria-label*="Run Module"]:not([aria-disabled="true"])',
        (n) => n === 1,
        'the enabled Run in the editor title',
        'workbench',
      );
    });

    it('running one anyway says why it cannot run', async function () {
      const result = await vscode.commands.executeCommand('wasmWorkbench.run', vscode.Uri.file(emscripten));
      assert.equal(result, undefined);
      const { text } = await notificationText(this, 'Cannot run emscripten-build.wasm');
      assert.match(text, /Cannot run emscripten-build\.wasm: .*Emscripten/);
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
