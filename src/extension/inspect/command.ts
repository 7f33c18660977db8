/**
 * `Wasm: Inspect Module`: pick a binary and open it in the inspector panel (the `wasmWorkbench.inspector`
 * custom editor). `Wasm: Inspect Module as Text Report` keeps the report the CLI prints, as a read-only
 * Markdown document.
 */
import * as vscode from 'vscode';
import { inspectBytes, inspectFile, type InspectReport } from '../../core/inspect';
import { formatReportMarkdown } from '../../core/inspect/markdown';
import { resolveBinary } from '../binary-target';
import { config } from '../config';
import { registerInspector } from '../inspector/provider';
import { inspectorViewType } from '../inspector/protocol';
import type { Log } from '../log';
import { ReportDocuments, reportScheme } from './report-documents';
import { inspectFailureText } from '../errors';

export function registerInspect(context: vscode.ExtensionContext, log: Log): void {
  const documents = new ReportDocuments(renderReport);
  registerInspector(context, log);
  context.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(reportScheme, documents),
    vscode.commands.registerCommand('wasmWorkbench.inspect', (target?: vscode.Uri) => openInspector(target)),
    vscode.commands.registerCommand('wasmWorkbench.inspectAsMarkdown', (target?: vscode.Uri) => inspectCommand(target, documents, log)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (doc.uri.scheme === reportScheme) documents.forget(doc.uri);
    }),
    refreshOnChange(documents, log),
  );
}

/** Opens the binary in the inspector panel; returns its Uri (undefined when none was picked). */
async function openInspector(target: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const binary = await resolveBinary(target, 'Inspect');
  if (!binary) return undefined;
  await vscode.commands.executeCommand('vscode.openWith', binary, inspectorViewType);
  return binary;
}

async function inspectCommand(
  target: vscode.Uri | undefined,
  documents: ReportDocuments,
  log: Log,
): Promise<vscode.TextDocument | undefined> {
  const binary = await resolveBinary(target, 'Inspect');
  if (!binary) return undefined;
  const reportUri = ReportDocuments.reportUriFor(binary);
  try {
    const markdown = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Inspecting ${baseName(binary)}` },
      () => renderReport(binary),
    );
    documents.set(reportUri, markdown);
  } catch (error) {
    const message = describeError(binary, error);
    log.error(message);
    void vscode.window.showErrorMessage(message);
    return undefined;
  }
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(reportUri), 'markdown');
  await vscode.window.showTextDocument(document, { preview: true });
  if (config.inspect.openPreview()) {
    // The Markdown preview is the readable face; if the built-in Markdown extension is absent, the text stays.
    await vscode.commands
      .executeCommand('markdown.showPreview', reportUri)
      .then(undefined, (e: unknown) => log.warn(`Markdown preview unavailable: ${String(e)}`));
  }
  return document;
}

async function renderReport(binary: vscode.Uri): Promise<string> {
  const wit = config.inspect.showWit();
  const report: InspectReport =
    binary.scheme === 'file'
      ? await inspectFile(binary.fsPath, { wit })
      : await inspectBytes(await vscode.workspace.fs.readFile(binary), { wit });
  return formatReportMarkdown(report, baseName(binary));
}

/** Keeps open reports current when their binary is rebuilt. */
function refreshOnChange(documents: ReportDocuments, log: Log): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.wasm', true, false, true);
  watcher.onDidChange(async (binary) => {
    const reportUri = ReportDocuments.reportUriFor(binary);
    if (!documents.isOpen(reportUri)) return;
    try {
      documents.set(reportUri, await renderReport(binary));
    } catch (error) {
      log.warn(describeError(binary, error));
    }
  });
  return watcher;
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

function describeError(binary: vscode.Uri, error: unknown): string {
  return inspectFailureText(baseName(binary), error);
}
