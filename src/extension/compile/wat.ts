/**
 * WAT in the editor: diagnostics on open and save (checking only, which is safe anywhere), and writing the
 * `.wasm` from `Wasm: Compile WAT` or on save when `wasmWorkbench.compile.onSave` is on (trusted workspaces).
 */
import * as vscode from 'vscode';
import { compileWat, compileWatFile, type SourceDiagnostic, type WatCompileResult } from '../../core/compile';
import { config } from '../config';
import type { Log } from '../log';
import { showFailure } from '../errors';

const isWat = (document: vscode.TextDocument) => document.uri.path.endsWith('.wat') && document.uri.scheme === 'file';

export function registerWatCompile(context: vscode.ExtensionContext, log: Log): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('wat');
  const check = (document: vscode.TextDocument) => checkDocument(document, diagnostics, log);
  context.subscriptions.push(
    diagnostics,
    vscode.workspace.onDidOpenTextDocument((d) => isWat(d) && check(d)),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (!isWat(d)) return;
      if (config.compile.onSave(d.uri) && vscode.workspace.isTrusted) void compileDocument(d, diagnostics, log, { quiet: true });
      else void check(d);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => isWat(d) && diagnostics.delete(d.uri)),
    vscode.commands.registerCommand('wasmWorkbench.compileWat', async (target?: vscode.Uri) => {
      const document = await documentFor(target);
      if (!document) return undefined;
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(
          'Compiling writes files, so it needs a trusted workspace: use "Manage Workspace Trust" to trust this folder.',
        );
        return undefined;
      }
      return compileDocument(document, diagnostics, log, { quiet: false });
    }),
  );
  for (const document of vscode.workspace.textDocuments) if (isWat(document)) void check(document);
}

async function documentFor(target: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (target instanceof vscode.Uri) return vscode.workspace.openTextDocument(target);
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.path.endsWith('.wat')) return active;
  void vscode.window.showInformationMessage('Open a .wat file to compile it.');
  return undefined;
}

async function checkDocument(document: vscode.TextDocument, collection: vscode.DiagnosticCollection, log: Log): Promise<void> {
  try {
    const result = await compileWat(document.getText(), { fileName: document.uri.fsPath, features: config.compile.features(document.uri) });
    collection.set(document.uri, toDiagnostics(document, result.diagnostics));
  } catch (error) {
    log.error(`checking ${document.uri.fsPath} failed: ${String(error)}`);
  }
}

/** The `.wasm` that compiling `x.wat` writes: `x.wasm` beside it. */
export function outputUriFor(source: vscode.Uri): vscode.Uri {
  return source.with({ path: source.path.replace(/\.wat$/, '.wasm') });
}

async function compileDocument(
  document: vscode.TextDocument,
  collection: vscode.DiagnosticCollection,
  log: Log,
  { quiet }: { quiet: boolean },
): Promise<vscode.Uri | undefined> {
  if (document.isDirty) await document.save();
  const output = outputUriFor(document.uri);
  const name = document.uri.path.split('/').pop();
  let result: WatCompileResult;
  try {
    const file = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Compiling ${name}` }, () =>
      compileWatFile(document.uri.fsPath, output.fsPath, { features: config.compile.features(document.uri) }),
    );
    result = file.result;
    if (file.removedStaleOutput) log.info(`removed ${file.removedStaleOutput}: it no longer matched ${document.uri.fsPath}`);
  } catch (error) {
    void showFailure(log, `Could not compile ${name}`, error);
    return undefined;
  }
  collection.set(document.uri, toDiagnostics(document, result.diagnostics));
  if (!result.ok) {
    const first = result.diagnostics[0];
    if (!quiet)
      void vscode.window.showErrorMessage(
        `${name} has errors${first ? ` (line ${first.line + 1}: ${first.message})` : ''}; see the Problems panel.`,
      );
    return undefined;
  }
  log.info(`compiled ${document.uri.fsPath} → ${output.fsPath} (${result.bytes.length} bytes, ${result.kind})`);
  if (!quiet) {
    const outputName = output.path.split('/').pop();
    void vscode.window
      .showInformationMessage(`Wrote ${outputName} (${result.bytes.length} bytes).`, 'Inspect', 'Open as WAT')
      .then((choice) => {
        if (choice === 'Inspect') void vscode.commands.executeCommand('wasmWorkbench.inspect', output);
        if (choice === 'Open as WAT') void vscode.commands.executeCommand('wasmWorkbench.openAsWat', output);
      });
  }
  return output;
}

function toDiagnostics(document: vscode.TextDocument, diagnostics: SourceDiagnostic[]): vscode.Diagnostic[] {
  return diagnostics.map((d) => {
    const line = Math.min(d.line, Math.max(0, document.lineCount - 1));
    const text = document.lineAt(line).text;
    const start = Math.min(d.column, text.length);
    // Without a span from the tool, underline the token at the position.
    const end = d.endColumn ?? start + (/^[^\s()]+/.exec(text.slice(start))?.[0].length ?? 1);
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(line, start, line, Math.max(end, start + 1)),
      d.message,
      d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
    );
    diagnostic.source = d.source;
    return diagnostic;
  });
}
