// What the integration tests share: the workspace folder (a copy of examples/ made by the driver) and builders
// for the binaries they put in it, from the example sources, with the real toolchains.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import wabtInit from 'wabt';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (a copy of examples/)');
  return folder.uri.fsPath;
}

/** A C file → a WASI preview1 command, with Debian's clang and wasi-libc. */
export async function buildC(source: string, output: string): Promise<void> {
  try {
    await promisify(execFile)('clang', ['--target=wasm32-wasi', '-O2', '-o', output, source]);
  } catch (err) {
    throw new Error(
      `clang could not build ${basename(source)} for wasm32-wasi (Debian: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32): ${String(err)}`,
    );
  }
}

/** A WAT file → a module, with the wabt package. */
export async function buildWat(source: string, output: string): Promise<void> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(basename(source), await readFile(source, 'utf8'));
  try {
    await writeFile(output, module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** Runs a task and resolves with its process's exit code. */
export function runTask(task: vscode.Task, timeoutMs = 60_000): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`task ${task.name} did not end within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const listener = vscode.tasks.onDidEndTaskProcess((e) => {
      if (e.execution.task.name !== task.name || e.execution.task.source !== task.source) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(e.exitCode);
    });
    vscode.tasks.executeTask(task).then(undefined, (err: unknown) => {
      clearTimeout(timer);
      listener.dispose();
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}
