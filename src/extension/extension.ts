/** Activation: wires commands and providers to core. Nothing heavy loads here. */
import * as vscode from 'vscode';
import { registerInspect } from './inspect/command';
import { createLog } from './log';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog(context);
  registerInspect(context, log);
}

export function deactivate(): void {
  // Nothing to stop: every resource is registered on the context's subscriptions.
}
