/** The one typed face of the extension's settings (`wasmWorkbench.*`). */
import * as vscode from 'vscode';
import type { CapabilityId } from '../core/capabilities';
import type { WatFeatures } from '../core/compile';

function section(name: string, scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(`wasmWorkbench.${name}`, scope);
}

export const config = {
  inspect: {
    openPreview: () => section('inspect').get<boolean>('openPreview', true),
    showWit: () => section('inspect').get<boolean>('showWit', true),
  },
  compile: {
    onSave: (scope?: vscode.Uri) => section('compile', scope).get<boolean>('onSave', false),
    features: (scope?: vscode.Uri) => section('compile', scope).get<WatFeatures>('features', {}),
  },
  run: {
    timeoutSeconds: () => section('run').get<number>('timeoutSeconds', 30),
    maxMemoryMB: () => section('run').get<number>('maxMemoryMB', 1024),
    /** Capabilities a binary must not need to be run (a local policy, like `caps --deny`). */
    deny: () => section('run').get<CapabilityId[]>('deny', []),
    sandbox: () => oneOf(section('run').get<string>('sandbox'), ['auto', 'bubblewrap', 'none'] as const, 'auto'),
    engine: () => oneOf(section('run').get<string>('engine'), ['builtin', 'wasmtime'] as const, 'builtin'),
    /** Empty: wasmtime on PATH. */
    wasmtimePath: () => section('run').get<string>('wasmtimePath', '').trim(),
    /** One terminal per binary, cleared for each run; off: a new terminal for every run. */
    reuseTerminal: () => section('run').get<boolean>('reuseTerminal', true),
  },
  wat: {
    maxCodeBytes: () => section('wat').get<number>('maxCodeBytes', 1024 * 1024),
  },
};

/** A setting's value when it is one of `values` (settings files can hold anything), else the default. */
function oneOf<T extends string>(value: string | undefined, values: readonly T[], fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}
