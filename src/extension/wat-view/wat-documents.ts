/**
 * Any `.wasm` (module or component) as read-only WAT text: a virtual document printed by wasm-tools in a
 * worker, with progress, and "Save as WAT" to keep a copy.
 */
import * as vscode from 'vscode';
import { printWat } from '../../core/compile';
import { activeBinary, binaryOf } from '../binary-target';
import { config } from '../config';
import type { Log } from '../log';

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
    const name = binary.path.split('/').pop();
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Printing ${name} as WAT`, cancellable: false },
      async () => {
        try {
          const bytes = await vscode.workspace.fs.readFile(binary);
          if (token.isCancellationRequested) return '';
          const { text } = await printWat(bytes, { maxCodeBytes: config.wat.maxCodeBytes() });
          return text;
        } catch (error) {
          return `;; Could not print ${name}: ${error instanceof Error ? error.message : String(error)}\n`;
        }
      },
    );
  }
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
      const document = target?.scheme === watScheme ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
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
      await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(document.getText()));
      log.info(`saved ${destination.fsPath}`);
      return destination;
    }),
  );
}

