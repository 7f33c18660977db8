/**
 * The hex view: a read-only custom editor for `*.wasm` (viewType `wasmWorkbench.hexView`, offered by *Reopen
 * Editor With…*, the inspector's buttons and `Wasm: Show Bytes`). Its webview asks for the bytes on screen, a chunk
 * at a time, so a 30 MB binary opens as fast as a small one; the header and every section are marked where they
 * start (core's byte spans, the same the size picture adds up). `Wasm: Show Bytes` with an offset scrolls to it.
 */
import * as vscode from 'vscode';
import { memorySource, type ByteSource } from '../../core/binary';
import { inspectSource } from '../../core/inspect';
import { byteSpans } from '../../core/inspect/spans';
import { openFileSource } from '../../core/platform/file-source';
import { resolveBinary } from '../binary-target';
import type { Log } from '../log';
import { FileDocument } from '../webview/file-document';
import { newNonce, webviewPage } from '../webview/page';
import { hexViewType, parseHexWebviewMessage, type HexFile, type HexHostMessage } from './protocol';
import { errorMessage } from '../../core/errors';

type Opened =
  { ok: true; source: ByteSource & { close(): Promise<void> }; file: HexFile } | { ok: false; message: string; revision: number };

class HexDocument extends FileDocument<Opened> {
  constructor(
    uri: vscode.Uri,
    private readonly log: Log,
  ) {
    super(uri);
  }

  protected override replaced(previous: Promise<Opened>): void {
    void previous.then((opened) => (opened.ok ? opened.source.close() : undefined)).catch(() => undefined);
  }

  protected async read(revision: number): Promise<Opened> {
    let source: ByteSource & { close(): Promise<void> };
    try {
      source =
        this.uri.scheme === 'file'
          ? await openFileSource(this.uri.fsPath)
          : { ...memorySource(await vscode.workspace.fs.readFile(this.uri)), close: async () => undefined };
    } catch (error) {
      const message = `Cannot read ${this.fileName}: ${errorMessage(error)}`;
      this.log.warn(`hex view: ${message}`);
      return { ok: false, message, revision };
    }
    const file: HexFile = { fileName: this.fileName, size: source.size, spans: [], revision };
    try {
      // Section headers only: the reader steps over the payloads.
      file.spans = byteSpans(await inspectSource(source, { wit: false }));
    } catch (error) {
      file.note = `No sections marked: ${errorMessage(error)}`;
    }
    return { ok: true, source, file };
  }

  /** Bytes [offset, offset + length) clipped to the file, base64; undefined when that revision is gone. */
  async bytes(offset: number, length: number, revision: number): Promise<string | undefined> {
    const opened = await this.current();
    if (!opened.ok || opened.file.revision !== revision || offset >= opened.source.size) return undefined;
    const bytes = await opened.source.read(offset, Math.min(length, opened.source.size - offset));
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }

  override dispose(): void {
    super.dispose();
    this.replaced(this.current());
  }
}

/** One open hex panel, for sending it a reveal. */
interface HexPanel {
  uri: string;
  ready: boolean;
  post(message: HexHostMessage): void;
}

class HexViewProvider implements vscode.CustomReadonlyEditorProvider<HexDocument> {
  private readonly media: vscode.Uri;
  /** The pages' scripts, bundled by build.mjs from media/. */
  private readonly scripts: vscode.Uri;
  private readonly panels = new Set<HexPanel>();
  /** Offsets to show once the panel opening for a file is ready. */
  private readonly pendingReveal = new Map<string, number>();

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {
    this.media = vscode.Uri.joinPath(extensionUri, 'media', 'hex');
    this.scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  }

  openCustomDocument(uri: vscode.Uri): HexDocument {
    return new HexDocument(uri, this.log);
  }

  /** Opens (or brings forward) the hex view of `uri`, scrolled to `offset` when given. */
  async show(uri: vscode.Uri, offset: number | undefined): Promise<void> {
    const open = [...this.panels].reverse().find((p) => p.uri === uri.toString() && p.ready);
    if (offset !== undefined) {
      if (open) open.post({ type: 'reveal', offset });
      else this.pendingReveal.set(uri.toString(), offset);
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, hexViewType);
  }

  resolveCustomEditor(document: HexDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [this.media, this.scripts] };
    webview.html = webviewPage({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.scripts, 'hex.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'hex.css')).toString(),
      nonce: newNonce(),
      title: document.fileName,
      rootId: 'hex',
      busyText: `Reading ${document.fileName}…`,
    });

    let disposed = false;
    const entry: HexPanel = {
      uri: document.uri.toString(),
      ready: false,
      post: (message) => {
        if (!disposed)
          void webview
            .postMessage(message)
            .then(undefined, (e: unknown) => this.log.warn(`hex view: could not post to the panel: ${String(e)}`));
      },
    };
    this.panels.add(entry);
    const sendFile = async () => {
      const pending = document.current();
      const opened = await pending;
      if (!entry.ready || pending !== document.current()) return;
      if (!opened.ok) {
        entry.post({ type: 'error', fileName: document.fileName, message: opened.message, revision: opened.revision });
        return;
      }
      entry.post({ type: 'file', file: opened.file });
      const reveal = this.pendingReveal.get(entry.uri);
      if (reveal !== undefined) {
        this.pendingReveal.delete(entry.uri);
        entry.post({ type: 'reveal', offset: reveal });
      }
    };
    const subscriptions = [
      webview.onDidReceiveMessage(async (raw: unknown) => {
        const message = parseHexWebviewMessage(raw);
        if (!message) {
          this.log.warn('hex view: ignored a message of unknown shape from the panel');
          return;
        }
        if (message.type === 'ready') {
          entry.ready = true;
          await sendFile();
          return;
        }
        try {
          const data = await document.bytes(message.offset, message.length, message.revision);
          if (data !== undefined) entry.post({ type: 'bytes', revision: message.revision, offset: message.offset, data });
        } catch (error) {
          this.log.warn(`hex view: reading ${document.fileName} at ${message.offset} failed: ${String(error)}`);
        }
      }),
      document.onDidChange(() => void sendFile()),
    ];
    panel.onDidDispose(() => {
      disposed = true;
      this.panels.delete(entry);
      for (const s of subscriptions) s.dispose();
    });
  }
}

export function registerHexView(context: vscode.ExtensionContext, log: Log): void {
  const provider = new HexViewProvider(context.extensionUri, log);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(hexViewType, provider, {
      // The page asks for its bytes again when it is shown again (its position is in its state).
      webviewOptions: { retainContextWhenHidden: false, enableFindWidget: false },
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('wasmWorkbench.showHex', async (target?: unknown, offset?: unknown) => {
      const binary = await resolveBinary(target, 'Show the bytes of');
      if (!binary) return undefined;
      await provider.show(binary, typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined);
      return binary;
    }),
  );
}
