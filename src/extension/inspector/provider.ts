/**
 * The inspector panel: a read-only custom editor for `*.wasm` (viewType `wasmWorkbench.inspector`). Each
 * opened binary is one `InspectorDocument` that inspects it with core (function sizes included) and inspects
 * it again when the file changes on disk; each panel on it is a webview that gets the result as a message.
 * The webview asks for actions (Open as WAT, Run, Copy JSON report...) with messages checked by
 * `parseWebviewMessage`; anything else it sends is logged and dropped.
 */
import * as vscode from 'vscode';
import { inspectBytes, inspectFile, type InspectReport } from '../../core/inspect';
import { config } from '../config';
import type { Log } from '../log';
import { EDIT_GRANTS_COMMAND } from '../run/run-command';
import { noteInspected } from '../run/runnable';
import { FileDocument } from '../webview/file-document';
import { inspectorHtml, newNonce } from './html';
import { inspectorModel } from './model';
import { inspectorViewType, parseWebviewMessage, type HostMessage, type InspectorAction } from './protocol';
import { errorMessage } from '../../core/errors';
import { inspectFailureText } from '../errors';

const DEPLOY_COMMAND = 'wasmWorkbench.deploy';
const SHOW_BYTES_COMMAND = 'wasmWorkbench.showHex';

type Loaded = { ok: true; report: InspectReport; revision: number } | { ok: false; message: string; revision: number };

/** The context key whose rise completes the walkthrough's first step (package.json `walkthroughs`). */
const OPENED_KEY = 'wasmWorkbench.inspectorOpened';
let openedReset: ReturnType<typeof setTimeout> | undefined;

/**
 * Completes the walkthrough's first step, however the binary was opened. The key goes up for a moment only: VS Code
 * never completes a step whose context is already true when it first reads the walkthrough (it records the event as
 * seen without completing the step), so a key left up by an earlier inspector would keep the step open for good.
 */
function signalInspectorOpened(): void {
  void vscode.commands.executeCommand('setContext', OPENED_KEY, true);
  clearTimeout(openedReset);
  openedReset = setTimeout(() => void vscode.commands.executeCommand('setContext', OPENED_KEY, false), 2000);
}

export function registerInspector(context: vscode.ExtensionContext, log: Log): void {
  const provider = new InspectorProvider(context.extensionUri, log);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(inspectorViewType, provider, {
      // The page is rebuilt from the report when it is shown again (its scroll position is in its state).
      webviewOptions: { retainContextWhenHidden: false, enableFindWidget: true },
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}

class InspectorDocument extends FileDocument<Loaded> {
  constructor(
    uri: vscode.Uri,
    private readonly log: Log,
  ) {
    super(uri);
  }

  override reread(): void {
    this.log.info(`inspector: ${this.fileName} changed on disk, inspecting it again`);
    super.reread();
  }

  protected async read(revision: number): Promise<Loaded> {
    const options = { wit: config.inspect.showWit(), functionBodies: true };
    try {
      const report =
        this.uri.scheme === 'file'
          ? await inspectFile(this.uri.fsPath, options)
          : await inspectBytes(await vscode.workspace.fs.readFile(this.uri), options);
      return { ok: true, report, revision };
    } catch (error) {
      const message = inspectFailureText(this.fileName, error);
      this.log.warn(`inspector: ${message}`);
      return { ok: false, message, revision };
    }
  }
}

class InspectorProvider implements vscode.CustomReadonlyEditorProvider<InspectorDocument> {
  private readonly media: vscode.Uri;
  /** The pages' scripts, bundled by build.mjs from media/. */
  private readonly scripts: vscode.Uri;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {
    this.media = vscode.Uri.joinPath(extensionUri, 'media', 'inspector');
    this.scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  }

  openCustomDocument(uri: vscode.Uri): InspectorDocument {
    return new InspectorDocument(uri, this.log);
  }

  resolveCustomEditor(document: InspectorDocument, panel: vscode.WebviewPanel): void {
    signalInspectorOpened();
    const webview = panel.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [this.media, this.scripts] };
    webview.html = inspectorHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.scripts, 'inspector.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'inspector.css')).toString(),
      nonce: newNonce(),
      fileName: document.fileName,
    });

    let ready = false;
    let disposed = false;
    const post = (message: HostMessage) => {
      if (!disposed)
        void webview
          .postMessage(message)
          .then(undefined, (e: unknown) => this.log.warn(`inspector: could not post to the panel: ${String(e)}`));
    };
    /** Sends the latest result, unless a newer inspection started while this one was awaited. */
    const send = async () => {
      const pending = document.current();
      const loaded = await pending;
      if (!ready || pending !== document.current()) return;
      if (!loaded.ok) {
        noteInspected(document.uri, { problem: loaded.message });
        post({ type: 'error', fileName: document.fileName, message: loaded.message, revision: loaded.revision });
        return;
      }
      // What core says each can do; running and deploying are for trusted workspaces only (their commands check it too).
      const can = noteInspected(document.uri, { report: loaded.report });
      const trusted = vscode.workspace.isTrusted;
      const restricted = {
        enabled: false,
        reason: 'Restricted Mode: running and deploying need a trusted workspace, so that nothing from an untrusted folder is run.',
      };
      const deployOffered = (await vscode.commands.getCommands(true)).includes(DEPLOY_COMMAND);
      const local = document.uri.scheme === 'file';
      post({
        type: 'report',
        model: inspectorModel(loaded.report, document.fileName, {
          run: !local ? false : trusted ? can.run : restricted,
          deploy: !deployOffered ? false : trusted ? can.deploy : restricted,
          grants: local && can.run.enabled,
          manageTrust: !trusted,
          revision: loaded.revision,
        }),
      });
    };

    const subscriptions = [
      webview.onDidReceiveMessage(async (raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          this.log.warn(`inspector: ignored a message of unknown shape from the panel: ${preview(raw)}`);
          return;
        }
        if (message.type === 'ready') {
          ready = true;
          await send();
          return;
        }
        const action = message.type === 'showBytes' ? 'openAsHex' : message.action;
        try {
          if (message.type === 'showBytes') await vscode.commands.executeCommand(SHOW_BYTES_COMMAND, document.uri, message.offset);
          else await this.act(message.action, document, post);
        } catch (error) {
          const text = `${actionTitle[action]} failed: ${errorMessage(error)}`;
          this.log.error(`inspector: ${text}`);
          post({ type: 'status', level: 'error', text });
        }
      }),
      document.onDidChange(() => void send()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void send()),
    ];
    panel.onDidDispose(() => {
      disposed = true;
      for (const s of subscriptions) s.dispose();
    });
  }

  private async act(action: InspectorAction, document: InspectorDocument, post: (message: HostMessage) => void): Promise<void> {
    const uri = document.uri;
    switch (action) {
      case 'openAsWat':
        await vscode.commands.executeCommand('wasmWorkbench.openAsWat', uri);
        return;
      case 'openAsHex':
        await vscode.commands.executeCommand(SHOW_BYTES_COMMAND, uri);
        return;
      case 'reopenWith':
        // VS Code's own "Reopen Editor With..." picker, for the active editor (this panel: its button was clicked).
        await vscode.commands.executeCommand('workbench.action.reopenWithEditor');
        return;
      case 'run':
        await vscode.commands.executeCommand('wasmWorkbench.run', uri);
        return;
      case 'editGrants':
        await vscode.commands.executeCommand(EDIT_GRANTS_COMMAND, uri);
        return;
      case 'manageTrust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'deploy':
        if (!(await vscode.commands.getCommands(true)).includes(DEPLOY_COMMAND)) {
          post({ type: 'status', level: 'error', text: 'Deploying is not available in this version.' });
          return;
        }
        await vscode.commands.executeCommand(DEPLOY_COMMAND, uri);
        return;
      case 'copyJson': {
        const loaded = await document.current();
        if (!loaded.ok) {
          post({ type: 'status', level: 'error', text: `Nothing to copy: ${loaded.message}` });
          return;
        }
        // The same JSON as `wasm-workbench inspect --json --function-sizes`.
        await vscode.env.clipboard.writeText(JSON.stringify(loaded.report, null, 2) + '\n');
        post({ type: 'status', level: 'info', text: 'Copied the JSON report to the clipboard.' });
        return;
      }
    }
  }
}

const actionTitle: Record<InspectorAction, string> = {
  openAsWat: 'Open as WAT',
  openAsHex: 'Hex view',
  reopenWith: 'Reopen with',
  run: 'Run',
  editGrants: 'Run grants',
  deploy: 'Deploy',
  manageTrust: 'Manage Workspace Trust',
  copyJson: 'Copy JSON report',
};

/** A short, single-line look at an unexpected message, for the log. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
