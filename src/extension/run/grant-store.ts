/**
 * The run grants remembered for each binary in this workspace (workspace state): what the grants editor saves,
 * what a run uses without asking, what "Forget Run Grants" removes. An answer that grants nothing is never
 * remembered, so a binary that needs something asks again rather than silently running without it.
 */
import * as vscode from 'vscode';
import { noGrants, type DirectoryGrant, type RunGrants } from '../../core/run';

const prefix = 'wasmWorkbench.grants:';

interface Stored {
  /** The binary's URI (records written before it was kept have only their key). */
  binary?: string;
  args: string[];
  env: Record<string, string>;
  dirs: DirectoryGrant[];
}

export class GrantStore {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the binary whose grants were saved or forgotten. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  /** The remembered grants, or undefined when nothing is remembered (then a run asks). */
  get(binary: vscode.Uri): RunGrants | undefined {
    const stored = readStored(this.state.get(keyOf(binary)));
    return stored && { ...noGrants(), args: stored.args, env: stored.env, dirs: stored.dirs };
  }

  /** Remembers the grants; grants that give nothing are forgotten instead. */
  async set(binary: vscode.Uri, grants: RunGrants): Promise<void> {
    if (grantsNothing(grants)) return this.forget(binary);
    const stored: Stored = {
      binary: binary.toString(),
      args: [...grants.args],
      env: { ...grants.env },
      dirs: grants.dirs.map((d) => ({ ...d })),
    };
    await this.state.update(keyOf(binary), stored);
    this.changed.fire(binary);
  }

  async forget(binary: vscode.Uri): Promise<void> {
    if (this.state.get(keyOf(binary)) === undefined) return;
    await this.state.update(keyOf(binary), undefined);
    this.changed.fire(binary);
  }

  /** Every binary with remembered grants in this workspace. */
  binaries(): vscode.Uri[] {
    const found: vscode.Uri[] = [];
    for (const key of this.state.keys()) {
      if (!key.startsWith(prefix)) continue;
      const stored = readStored(this.state.get(key));
      const uri = stored?.binary ? vscode.Uri.parse(stored.binary, true) : fromRelative(key.slice(prefix.length));
      if (stored && uri) found.push(uri);
    }
    return found;
  }
}

export function grantsNothing(grants: RunGrants): boolean {
  return grants.args.length === 0 && Object.keys(grants.env).length === 0 && grants.dirs.length === 0 && !grants.inheritEnv;
}

const keyOf = (binary: vscode.Uri) => `${prefix}${vscode.workspace.asRelativePath(binary)}`;

function fromRelative(path: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, path) : undefined;
}

/** Workspace state outlives versions of this extension: take only what has the expected shape. */
function readStored(value: unknown): Stored | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
  const args = strings(v.args) ? v.args : [];
  const env: Record<string, string> = {};
  if (typeof v.env === 'object' && v.env !== null) for (const [k, val] of Object.entries(v.env)) if (typeof val === 'string') env[k] = val;
  const dirs = Array.isArray(v.dirs)
    ? (v.dirs as unknown[]).flatMap((d) => {
        const x = d as Record<string, unknown>;
        return typeof d === 'object' && d !== null && typeof x.host === 'string' && typeof x.guest === 'string'
          ? [{ host: x.host, guest: x.guest, readOnly: x.readOnly !== false }]
          : [];
      })
    : [];
  const stored: Stored = { args, env, dirs, ...(typeof v.binary === 'string' ? { binary: v.binary } : {}) };
  return grantsNothing({ ...noGrants(), ...stored }) ? undefined : stored;
}
