/** WIT files in the editor: wasm-tools' WIT parser checks them on open, as you type (debounced) and on save. */
import * as vscode from 'vscode';
import { checkWit } from '../../core/wit';
import type { Log } from '../log';

const isWit = (document: vscode.TextDocument) => document.languageId === 'wit' || document.uri.path.endsWith('.wit');

export function registerWitDiagnostics(context: vscode.ExtensionContext, log: Log): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('wit');
  const pending = new Map<string, NodeJS.Timeout>();
  const check = async (document: vscode.TextDocument) => {
    const version = document.version;
    try {
      const found = await checkWit(document.getText());
      if (document.isClosed || document.version !== version) return;
      diagnostics.set(
        document.uri,
        found.map((d) => {
          const range = new vscode.Range(d.line, d.column, d.line, d.endColumn ?? d.column + 1);
          const diagnostic = new vscode.Diagnostic(range, d.message, vscode.DiagnosticSeverity.Error);
          diagnostic.source = d.source;
          return diagnostic;
        }),
      );
    } catch (error) {
      log.error(`checking ${document.uri.fsPath} failed: ${String(error)}`);
    }
  };
  const schedule = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => (pending.delete(key), void check(document)), 300),
    );
  };
  context.subscriptions.push(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument((d) => isWit(d) && void check(d)),
    vscode.workspace.onDidChangeTextDocument((e) => isWit(e.document) && schedule(e.document)),
    vscode.workspace.onDidSaveTextDocument((d) => isWit(d) && void check(d)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (!isWit(d)) return;
      clearTimeout(pending.get(d.uri.toString()));
      diagnostics.delete(d.uri);
    }),
  );
  for (const document of vscode.workspace.textDocuments) if (isWit(document)) void check(document);
}
