/** Activation: wires commands and providers to core. Nothing heavy loads here. */
import * as vscode from 'vscode';
import { registerBuild } from './build/command';
import { registerClusters, type ClustersApi } from './clusters/register';
import { registerDeploy } from './deploy/command';
import { registerWatCompile } from './compile/wat';
import { registerWitDiagnostics } from './compile/wit';
import { registerHexView } from './hex/provider';
import { registerInspect } from './inspect/command';
import { createLog } from './log';
import { registerRun, type RunApi } from './run/run-command';
import { registerWatLanguage } from './wat-language/providers';
import { registerWatView } from './wat-view/wat-documents';

export function activate(context: vscode.ExtensionContext): { clusters: ClustersApi; runs: RunApi } {
  const log = createLog(context);
  registerInspect(context, log);
  registerHexView(context, log);
  registerBuild(context, log);
  registerWatCompile(context, log);
  registerWitDiagnostics(context, log);
  registerWatView(context, log);
  registerWatLanguage(context);
  const runs = registerRun(context, log);
  registerDeploy(context, log);
  return { clusters: registerClusters(context, log), runs };
}

export function deactivate(): void {
  // Nothing to stop: every resource is registered on the context's subscriptions.
}
