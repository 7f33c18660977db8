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
  },
  wat: {
    maxCodeBytes: () => section('wat').get<number>('maxCodeBytes', 1024 * 1024),
  },
};
