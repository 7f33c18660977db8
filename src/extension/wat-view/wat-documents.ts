/**
 * Any `.wasm` (module or component) as read-only WAT text: a virtual document printed by wasm-tools in a
 * worker, with progress and cancellation. Very large modules open with whole payloads elided (the text says
 * which); "Save as WAT" always writes the whole text.
 */
import * as vscode from 'vscode';
import { PrintCancelled, printWat, printWatUtf8, type PrintOptions } from '../../core/compile';
import { activeBinary, binaryOf } from '../binary-target';
import { config } from '../config';
import type { Log } from '../log';
import { errorMessage } from '../../core/errors';
import { showFailure } from '../errors';

export const watScheme = 'wasm-wat';

class WatDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  static uriFor(binary: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: watScheme, path: binary.path.replace(/\.wasm$/, '') + '.wat', query: binary.toString() });
  }

  static binaryOf(uri: vscode.Uri): vscode.Uri {
    return vscode.Uri.parse(uri.query, true);
  }

  refresh(binary: vscode.Uri): void {
    this.changed.fire(WatDocuments.uriFor(binary));
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const binary = WatDocuments.binaryOf(uri);
    const name = binary.path.split('/').pop()!;
    try {
      const bytes = await vscode.workspace.fs.readFile(binary);
      const text = await printWithProgress(bytes, `Printing ${name} as WAT`, token, {
        budget: { maxCodeBytes: config.wat.maxCodeBytes() },
        fullTextHint: 'Use "Wasm: Save as WAT" for the whole text.',
      });
      return text ?? `;; Printing ${name} was cancelled. Close this tab and open it again to print it.\n`;
    } catch (error) {
      return `;; Could not print ${name}: ${errorMessage(error)}\n`;
    }
  }
}

/** Prints in the worker under a cancellable notification; undefined when the user or the caller cancelled. */
async function printWithProgress(
  bytes: Uint8Array,
  title: string,
  token: vscode.CancellationToken | undefined,
  options: PrintOptions,
): Promise<string | undefined> {
  return withPrintProgress(title, token, (more) => printWat(bytes, { ...options, ...more }).then((r) => r.text));
}

/** The same, as UTF-8 bytes for a file (nothing the size of the text is copied on this thread). */
async function printUtf8WithProgress(bytes: Uint8Array, title: string, options: PrintOptions): Promise<Uint8Array | undefined> {
  return withPrintProgress(title, undefined, (more) => printWatUtf8(bytes, { ...options, ...more }).then((r) => r.utf8));
}

async function withPrintProgress<T>(
  title: string,
  token: vscode.CancellationToken | undefined,
  print: (options: PrintOptions) => Promise<T>,
): Promise<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, cancel) => {
      const controller = new AbortController();
      const stop = () => controller.abort();
      const subscriptions = [cancel.onCancellationRequested(stop), token?.onCancellationRequested(stop)];
      let reported = 0;
      try {
        return await print({
          signal: controller.signal,
          onProgress: (stage, fraction) => {
            progress.report({ message: stage, increment: Math.max(0, fraction * 100 - reported) });
            reported = Math.max(reported, fraction * 100);
          },
        });
      } catch (error) {
        if (error instanceof PrintCancelled) return undefined;
        throw error;
      } finally {
        for (const subscription of subscriptions) subscription?.dispose();
      }
    },
  );
}

export function registerWatView(context: vscode.ExtensionContext, log: Log): void {
  const documents = new WatDocuments();
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.wasm', true, false, true);
  watcher.onDidChange((binary) => documents.refresh(binary));
  context.subscriptions.push(
    watcher,
    vscode.workspace.registerTextDocumentContentProvider(watScheme, documents),
    vscode.commands.registerCommand('wasmWorkbench.openAsWat', async (target?: vscode.Uri) => {
      const binary = target instanceof vscode.Uri ? binaryOf(target) : activeBinary();
      if (!binary) {
        void vscode.window.showInformationMessage('Select a .wasm file to open it as WAT.');
        return undefined;
      }
      const document = await vscode.workspace.openTextDocument(WatDocuments.uriFor(binary));
      const wat = await vscode.languages.setTextDocumentLanguage(document, 'wat');
      await vscode.window.showTextDocument(wat, { preview: true });
      return wat;
    }),
    vscode.commands.registerCommand('wasmWorkbench.saveAsWat', async (target?: vscode.Uri) => {
      const document =
        target?.scheme === watScheme ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
      if (!document || document.uri.scheme !== watScheme) {
        void vscode.window.showInformationMessage('Open a .wasm as WAT first (Wasm: Open as WAT).');
        return undefined;
      }
      const binary = WatDocuments.binaryOf(document.uri);
      const destination = await vscode.window.showSaveDialog({
        defaultUri: binary.with({ path: binary.path.replace(/\.wasm$/, '') + '.wat' }),
        filters: { 'WebAssembly Text': ['wat'] },
      });
      if (!destination) return undefined;
      // The open document may have parts elided; the saved file never does.
      const name = binary.path.split('/').pop()!;
      let text: Uint8Array | undefined;
      try {
        text = await printUtf8WithProgress(await vscode.workspace.fs.readFile(binary), `Saving ${name} as WAT`, { full: true });
      } catch (error) {
        void showFailure(log, `Could not print ${name}`, error);
        return undefined;
      }
      if (text === undefined) return undefined;
      await vscode.workspace.fs.writeFile(destination, text);
      log.info(`saved ${destination.fsPath} (${text.length} bytes, nothing elided)`);
      return destination;
    }),
  );
}
