/**
 * Which binary a command acts on. Every command on a `.wasm` takes it the same way: a Uri argument (Explorer,
 * editor title, inspector), the binary behind a report or WAT view, the active tab, or else the user picks one.
 */
import * as vscode from 'vscode';
import { isBuildIntermediate } from '../core/build';

/** Views whose Uri carries their binary's Uri in the query (the Markdown report, the WAT view). */
const derivedSchemes = new Set(['wasm-workbench-report', 'wasm-wat']);

export function binaryOf(uri: vscode.Uri): vscode.Uri {
  return derivedSchemes.has(uri.scheme) ? vscode.Uri.parse(uri.query, true) : uri;
}

/** The binary of the active tab (a .wasm in any editor, including the inspector, or a view of one). */
export function activeBinary(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input && typeof input === 'object' && 'uri' in input && input.uri instanceof vscode.Uri ? binaryOf(input.uri) : undefined;
  return uri?.path.endsWith('.wasm') ? uri : undefined;
}

/** The target of a command: its argument, the active binary, or one the user picks (`verb` titles the pick). */
export async function resolveBinary(target: unknown, verb: string): Promise<vscode.Uri | undefined> {
  if (target instanceof vscode.Uri) return binaryOf(target);
  const active = activeBinary();
  if (active) return active;
  // Cargo's hashed copies under target/…/deps are not what a user means by "the binary".
  const found = (await vscode.workspace.findFiles('**/*.wasm', '**/node_modules/**', 400)).filter(
    (uri) => !isBuildIntermediate(vscode.workspace.asRelativePath(uri, false)),
  );
  if (found.length) {
    const picked = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { title: `${verb} which Wasm binary?` },
    );
    return picked?.uri;
  }
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { WebAssembly: ['wasm'] },
    title: `${verb} a Wasm binary`,
  });
  return chosen?.[0];
}
