import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

/** The extension's one output channel ("Wasm Workbench" in the Output panel). */
export function createLog(context: vscode.ExtensionContext): Log {
  const channel = vscode.window.createOutputChannel('Wasm Workbench', { log: true });
  context.subscriptions.push(channel);
  return channel;
}
