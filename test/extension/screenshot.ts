// Asks the test driver for a screenshot of the workbench as the user sees it now. Under code-server the
// driver (scripts/vscode-host/run-tests.mjs) saves .test-output/vscode-host/screenshots/<name>.png beside the
// workspace; elsewhere (test-electron) nobody answers and this returns undefined after the wait.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export async function screenshot(name: string, timeoutMs = 10_000): Promise<string | undefined> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace) return undefined;
  const path = join(workspace, '..', 'screenshots', `${name}.png`);
  // A picture left by an earlier run must not pass for this one.
  rmSync(path, { force: true });
  // Let the workbench paint what the test just did.
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`wasm-workbench-screenshot ${name}`);
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    if (existsSync(path)) return path;
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}
