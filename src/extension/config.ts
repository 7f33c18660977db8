/** The one typed face of the extension's settings (`wasmWorkbench.*`). */
import * as vscode from 'vscode';
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
  wat: {
    maxCodeBytes: () => section('wat').get<number>('maxCodeBytes', 1024 * 1024),
  },
};
