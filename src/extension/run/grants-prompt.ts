/**
 * Before a binary's first run: show what it needs, let the user grant each grantable capability, and
 * remember the answer for this workspace. Nothing is granted without being chosen here or in launch.json.
 */
import * as vscode from 'vscode';
import type { Capability } from '../../core/capabilities';
import type { DirectoryGrant, RunGrants } from '../../core/run';

const storageKey = (binary: vscode.Uri) => `wasmWorkbench.grants:${vscode.workspace.asRelativePath(binary)}`;

export interface StoredGrants {
  env: Record<string, string>;
  dirs: DirectoryGrant[];
  args: string[];
}

export function rememberedGrants(state: vscode.Memento, binary: vscode.Uri): StoredGrants | undefined {
  return state.get<StoredGrants>(storageKey(binary));
}

export async function forgetGrants(state: vscode.Memento, binary: vscode.Uri): Promise<void> {
  await state.update(storageKey(binary), undefined);
}

/** Asks for the grants a binary needs; undefined when the user cancels. */
export async function promptForGrants(state: vscode.Memento, binary: vscode.Uri, needed: Capability[]): Promise<StoredGrants | undefined> {
  const name = binary.path.split('/').pop();
  const grantable = needed.filter((c) => c.id === 'filesystem' || c.id === 'environment' || c.id === 'args');
  const stored: StoredGrants = { env: {}, dirs: [], args: [] };
  if (grantable.length) {
    const always = needed.filter((c) => !grantable.includes(c)).map((c) => c.title.toLowerCase());
    const picks = await vscode.window.showQuickPick(
      grantable.map((c) => ({ label: c.title, description: `${c.risk} risk`, detail: `${c.description} Because it imports ${c.imports.join(', ')}.`, capability: c })),
      {
        title: `Run ${name}: grant what it needs`,
        placeHolder: `Check what to grant (nothing is granted otherwise).${always.length ? ` Always available: ${always.join(', ')}.` : ''}`,
        canPickMany: true,
        ignoreFocusOut: true,
      },
    );
    if (!picks) return undefined;
    for (const { capability } of picks) {
      if (capability.id === 'filesystem') {
        const folders = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: true, title: `Directories ${name} may use`, openLabel: 'Grant' });
        if (!folders) return undefined;
        const access = await vscode.window.showQuickPick(['Read-only', 'Read and write'], { title: 'Access to the granted directories' });
        if (!access) return undefined;
        for (const folder of folders) {
          const guest = await vscode.window.showInputBox({ title: `Where ${name} sees ${folder.fsPath}`, value: folder.path.split('/').pop() ?? '.', prompt: 'Guest path (relative like "data" or absolute like "/data")' });
          if (guest === undefined) return undefined;
          stored.dirs.push({ host: folder.fsPath, guest: guest || '.', readOnly: access === 'Read-only' });
        }
      } else if (capability.id === 'environment') {
        const text = await vscode.window.showInputBox({ title: `Environment variables for ${name}`, prompt: 'KEY=VALUE pairs separated by spaces (the editor\'s own environment is never passed)', ignoreFocusOut: true });
        if (text === undefined) return undefined;
        for (const pair of text.split(/\s+/).filter(Boolean)) {
          const at = pair.indexOf('=');
          if (at > 0) stored.env[pair.slice(0, at)] = pair.slice(at + 1);
        }
      } else if (capability.id === 'args') {
        const text = await vscode.window.showInputBox({ title: `Arguments for ${name}`, prompt: 'Separated by spaces', ignoreFocusOut: true });
        if (text === undefined) return undefined;
        stored.args = text.split(/\s+/).filter(Boolean);
      }
    }
  }
  await state.update(storageKey(binary), stored);
  return stored;
}

export function toRunGrants(stored: StoredGrants): RunGrants {
  return { args: stored.args, env: stored.env, inheritEnv: false, dirs: stored.dirs };
}
