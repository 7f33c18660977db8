/**
 * The run grants editor: one panel per binary (a webview, media/run-grants/) where the user sets the arguments,
 * the environment variables and the directories a run gets, read-only or read-write, under which guest path.
 * Opened before a first run (the run waits for its answer), and again whenever asked: from the run's terminal,
 * the inspector or the command palette, to change or revoke what is remembered for this workspace.
 */
import { isAbsolute, resolve } from 'node:path';
import * as vscode from 'vscode';
import { inspectFile, type InspectReport } from '../../core/inspect';
import { checkGrants, noGrants, RunRefusedError, runCommandLine, type RunGrants } from '../../core/run';
import type { Log } from '../log';
import { newNonce, webviewPage } from '../webview/page';
import type { GrantStore } from './grant-store';
import { grantsModel, grantsViewType, parseGrantsMessage, type EditedGrants, type GrantsHostMessage } from './grants-protocol';
import { errorMessage } from '../../core/errors';

interface Session {
  binary: vscode.Uri;
  panel: vscode.WebviewPanel;
  purpose: 'run' | 'edit';
  /** The grants in the form when the page was last drawn (kept across a Browse). */
  grants: RunGrants;
  report: InspectReport | undefined;
  problem: string | undefined;
  /** A run waiting for the answer. */
  answer?: (grants: RunGrants | undefined) => void;
  post(message: GrantsHostMessage): void;
}

export class GrantsEditor implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly media: vscode.Uri;
  /** The pages' scripts, bundled by build.mjs from media/. */
  private readonly scripts: vscode.Uri;

  constructor(
    extensionUri: vscode.Uri,
    private readonly store: GrantStore,
    private readonly log: Log,
    /** Runs the binary with what is remembered (the editor's Save and Run). */
    private readonly run: (binary: vscode.Uri) => unknown,
  ) {
    this.media = vscode.Uri.joinPath(extensionUri, 'media', 'run-grants');
    this.scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  }

  /** Opens the editor to change or revoke the grants (or shows the one already open). */
  async edit(binary: vscode.Uri): Promise<void> {
    const open = this.sessions.get(binary.toString());
    if (open) return open.panel.reveal();
    let report: InspectReport | undefined;
    let problem: string | undefined;
    try {
      report = binary.scheme === 'file' ? await inspectFile(binary.fsPath, { wit: false }) : undefined;
    } catch (error) {
      problem = `It could not be inspected (${errorMessage(error)}): which of these it uses is unknown.`;
    }
    this.openPanel(binary, 'edit', report, problem);
  }

  /** Asks before a run: resolves with the grants to run with, or undefined when the user cancels or closes it. */
  ask(binary: vscode.Uri, report: InspectReport): Promise<RunGrants | undefined> {
    const open = this.sessions.get(binary.toString());
    const session = open ?? this.openPanel(binary, 'run', report, undefined);
    session.answer?.(undefined);
    session.purpose = 'run';
    session.report = report;
    if (open) {
      open.panel.reveal();
      this.draw(open);
    }
    return new Promise((resolve) => (session.answer = resolve));
  }

  private openPanel(binary: vscode.Uri, purpose: 'run' | 'edit', report: InspectReport | undefined, problem: string | undefined): Session {
    const fileName = binary.path.split('/').pop() ?? binary.path;
    const panel = vscode.window.createWebviewPanel(grantsViewType, `Run Grants: ${fileName}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [this.media, this.scripts],
      // The form holds what the user typed until Save: keep it when the tab is in the background.
      retainContextWhenHidden: true,
    });
    const webview = panel.webview;
    webview.html = webviewPage({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.scripts, 'grants.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'grants.css')).toString(),
      nonce: newNonce(),
      title: `Run grants: ${fileName}`,
      rootId: 'grants',
      busyText: `Loading the run grants of ${fileName}…`,
    });
    let disposed = false;
    const session: Session = {
      binary,
      panel,
      purpose,
      grants: this.store.get(binary) ?? noGrants(),
      report,
      problem,
      post: (message) => {
        if (!disposed)
          void webview
            .postMessage(message)
            .then(undefined, (e: unknown) => this.log.warn(`run grants: could not post to the panel: ${String(e)}`));
      },
    };
    const key = binary.toString();
    this.sessions.set(key, session);
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(session, raw)),
      // Saved elsewhere (another panel's Revoke, Forget Run Grants): show what is remembered now.
      this.store.onDidChange((changed) => {
        if (changed.toString() !== key) return;
        session.grants = this.store.get(binary) ?? noGrants();
        this.draw(session);
      }),
    ];
    panel.onDidDispose(() => {
      disposed = true;
      this.sessions.delete(key);
      for (const s of subscriptions) s.dispose();
      session.answer?.(undefined);
      session.answer = undefined;
    });
    return session;
  }

  private draw(session: Session): void {
    const { binary } = session;
    session.post({
      type: 'state',
      model: grantsModel({
        fileName: binary.path.split('/').pop() ?? binary.path,
        label: vscode.workspace.asRelativePath(binary),
        file: binary.fsPath,
        purpose: session.purpose,
        report: session.report,
        ...(session.problem ? { problem: session.problem } : {}),
        grants: session.grants,
        remembered: this.store.get(binary) !== undefined,
      }),
    });
  }

  private async receive(session: Session, raw: unknown): Promise<void> {
    const message = parseGrantsMessage(raw);
    if (!message) {
      this.log.warn('run grants: ignored a message of unknown shape from the panel');
      return;
    }
    const { binary } = session;
    switch (message.type) {
      case 'ready':
        this.draw(session);
        return;
      case 'preview':
        session.post({
          type: 'commandLine',
          text: runCommandLine(vscode.workspace.asRelativePath(binary), this.fromForm(binary, message.grants)),
        });
        return;
      case 'browse': {
        session.grants = this.fromForm(binary, message.grants);
        const current = session.grants.dirs[message.row];
        const folders = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          title: `A directory ${binary.path.split('/').pop()} may use`,
          openLabel: 'Grant',
          defaultUri: current ? vscode.Uri.file(current.host) : vscode.workspace.getWorkspaceFolder(binary)?.uri,
        });
        const folder = folders?.[0];
        if (folder) {
          const guest = current?.guest || folder.path.split('/').filter(Boolean).pop() || '/';
          session.grants.dirs[message.row] = { host: folder.fsPath, guest, readOnly: current?.readOnly ?? true };
        }
        this.draw(session);
        return;
      }
      case 'save': {
        const grants = this.fromForm(binary, message.grants);
        const problem = await grantsProblem(grants, message.grants);
        if (problem) {
          session.post({ type: 'status', level: 'error', text: problem });
          return;
        }
        session.grants = grants;
        await this.store.set(binary, grants);
        if (session.answer) {
          // A run was waiting: it goes on with these grants (remembered unless they grant nothing).
          const answer = session.answer;
          session.answer = undefined;
          answer(grants);
          session.panel.dispose();
          return;
        }
        if (message.then === 'run') {
          session.post({ type: 'status', level: 'info', text: 'Saved; running…' });
          void this.run(binary);
        } else {
          session.post({
            type: 'status',
            level: 'info',
            text: `Saved: runs of ${binary.path.split('/').pop()} from this workspace get these grants.`,
          });
        }
        return;
      }
      case 'revoke':
        await this.store.forget(binary);
        session.grants = noGrants();
        this.draw(session);
        session.post({ type: 'status', level: 'info', text: 'Forgotten: the next run asks again.' });
        return;
      case 'cancel':
        session.panel.dispose();
        return;
    }
  }

  /** The form's rows as grants: empty rows dropped, host folders resolved against the binary's workspace folder. */
  private fromForm(binary: vscode.Uri, form: EditedGrants): RunGrants {
    const base = vscode.workspace.getWorkspaceFolder(binary)?.uri.fsPath ?? binary.fsPath.replace(/[/\\][^/\\]*$/, '');
    const env: Record<string, string> = {};
    for (const { key, value } of form.env) if (key || value) env[key] = value;
    return {
      ...noGrants(),
      args: [...form.args],
      env,
      dirs: form.dirs
        .filter((d) => d.host.trim() || d.guest.trim())
        .map((d) => ({
          host: isAbsolute(d.host.trim()) ? d.host.trim() : resolve(base, d.host.trim()),
          guest: d.guest.trim(),
          readOnly: d.readOnly,
        })),
    };
  }

  dispose(): void {
    for (const session of this.sessions.values()) session.panel.dispose();
  }
}

/** What is wrong with the form, in words for its status line (core checks the grants as a run would). */
async function grantsProblem(grants: RunGrants, form: EditedGrants): Promise<string | undefined> {
  const seen = new Set<string>();
  for (const { key } of form.env) {
    if (seen.has(key)) return `The variable ${key} is set twice: keep one.`;
    seen.add(key);
  }
  try {
    await checkGrants(grants);
    return undefined;
  } catch (error) {
    if (error instanceof RunRefusedError) return `Not saved: ${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`;
    throw error;
  }
}
