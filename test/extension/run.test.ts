// Integration tests of running binaries in a real VS Code extension host: `Wasm: Run Module` shows the guest's
// output in a terminal, and a `wasm` launch configuration runs with exactly the grants written in it.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixturePath } from '../fixtures';
import { screenshot } from './screenshot';
import { buildC, workspaceDir } from './workspace';

interface RunResult {
  exitCode: number;
  end: string;
  transcript: string;
}



describe('Wasm: Run Module', function () {
  this.timeout(60_000);

  it('runs the C example in a terminal and shows its output and exit code', async () => {
    const dir = workspaceDir();
    const wasm = join(dir, 'hello-run.wasm');
    await buildC(join(dir, 'hello.c'), wasm);
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const listener = vscode.window.onDidOpenTerminal((t) => {
        if (t.name === 'Wasm: hello-run.wasm') {
          listener.dispose();
          resolve(t);
        }
      });
    });
    const result = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(wasm));
    assert.ok(result, 'the command returns the run result');
    await opened;
    assert.equal(result.exitCode, 0);
    assert.equal(result.end, 'exited');
    assert.match(result.transcript, /Hello from C on WASI!/);
    assert.match(result.transcript, /hello-run\.wasm exited with code 0/);
    assert.match(result.transcript, /needs stdio, exit; granted: nothing beyond/);
    await screenshot('run-terminal');
  });

  it('a wasm launch configuration runs with the directory it grants', async () => {
    const dir = workspaceDir();
    // The runner tests' probe program: `write PATH` writes a file.
    await copyFile(await fixturePath('probe'), join(dir, 'probe.wasm'));
    await rm(join(dir, 'out'), { recursive: true, force: true });
    await mkdir(join(dir, 'out'));
    const ended = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (existsSync(join(dir, 'out', 'result.txt'))) {
          clearInterval(timer);
          resolve();
        }
      }, 100);
    });
    const folder = vscode.workspace.workspaceFolders![0]!;
    await vscode.debug.startDebugging(folder, {
      type: 'wasm',
      request: 'launch',
      name: 'Write a file',
      program: '${workspaceFolder}/probe.wasm',
      args: ['write', 'out/result.txt'],
      dirs: ['out'],
    });
    await ended;
    assert.equal(await readFile(join(dir, 'out', 'result.txt'), 'utf8'), 'written by the guest\n');
  });

  it('runs a WASI 0.2 component and reports its real exit code', async () => {
    // The C hello world turned into a component with the preview1 command adapter.
    // Grants passed with the command: nothing is asked (the adapter imports wasi:filesystem, which would prompt).
    const hello = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(await fixturePath('component-command')), {});
    assert.equal(hello.exitCode, 0, hello.transcript);
    assert.match(hello.transcript, /hello, world/);
    assert.match(hello.transcript, /WASI 0\.2 component \(command world\)/);
    // A component that calls wasi:cli/exit exit-with-code(3).
    const exit3 = await vscode.commands.executeCommand<RunResult>('wasmWorkbench.run', vscode.Uri.file(await fixturePath('component-exit-code')), {});
    assert.equal(exit3.exitCode, 3, exit3.transcript);
  });
});
