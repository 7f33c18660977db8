// Asks the test driver for a screenshot of the workbench as the user sees it now. Under code-server the driver
// (scripts/vscode-host/run-tests.mjs) saves .test-output/vscode-host/screenshots/<name>.png beside the workspace
// (and, for pictures the docs show, docs/images/<name>.png when run with UPDATE_DOCS_IMAGES=1); a picture that
// does not come is a failure there. Elsewhere (test-electron) nobody answers and this returns undefined at once.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { driverPresent } from './driver';

export async function screenshot(
  name: string,
  options: { docs?: boolean; keepPanel?: boolean; timeoutMs?: number } = {},
): Promise<string | undefined> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace || !driverPresent) return undefined;
  const path = join(workspace, '..', 'screenshots', `${name}.png`);
  // A picture left by an earlier run must not pass for this one.
  rmSync(path, { force: true });
  // The docs show what they are about, not the notifications or terminals earlier tests left open (the panel stays
  // when it is the subject: Problems).
  if (options.docs) {
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('notifications.hideToasts');
    if (!options.keepPanel) await vscode.commands.executeCommand('workbench.action.closePanel');
  }
  // Let the workbench paint what the test just did.
  await new Promise((r) => setTimeout(r, 1500));
  console.log(`wasm-workbench-screenshot ${options.docs ? 'docs:' : ''}${name}`);
  for (const end = Date.now() + (options.timeoutMs ?? 10_000); Date.now() < end;) {
    if (existsSync(path)) return path;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the test driver took no screenshot ${name}`);
}
