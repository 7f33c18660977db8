/**
 * `Wasm: Run Module`, the grants commands and the `wasm` launch configuration: check with core that the binary
 * can run at all, get its grants (the caller's, remembered ones, or asked in the grants editor), prepare the run
 * with core, then run the guest in its own process behind the binary's terminal. Only trusted workspaces run
 * anything; in Restricted Mode the commands say why and offer to manage trust.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CapabilityId } from '../../core/capabilities';
import { inspectFile, type InspectReport } from '../../core/inspect';
import {
  explainOutcome,
  grantAdvice,
  noGrants,
  prepareRun,
  runnerSupport,
  runRefusal,
  startGuest,
  type PreparedRun,
  type RunGrants,
  type RunOutcome,
} from '../../core/run';
import { resolveBinary } from '../binary-target';
import { config } from '../config';
import type { Log } from '../log';
import { GrantStore } from './grant-store';
import { GrantsEditor } from './grants-editor';
import { GuestTerminal } from './guest-terminal';
import { registerLaunch } from './launch';
import { EDIT_GRANTS_LINK, runHeader } from './run-header';
import { noteInspected } from './runnable';
import { errorMessage } from '../../core/errors';
import { plainText, type RichText } from '../../core/text/rich';

export interface RunResult {
  exitCode: number;
  end: RunOutcome['end'];
  /** What the terminal showed: the header, the end of the guest's output (a bounded tail) and the notes. */
  transcript: string;
  /** Characters the run sent to its terminal (output and notes). */
  outputChars: number;
  /** The most characters that waited for the terminal at once (the bound on what a run holds in the editor). */
  peakQueuedChars: number;
}

export interface RunRequest {
  /** Grants given by the caller (a launch configuration, another extension): used as they are, nothing asked. */
  grants?: RunGrants;
  invoke?: { name: string; args: string[] };
  limits?: { timeoutSeconds?: number | undefined; maxMemoryMB?: number | undefined };
}

/** What other extensions (and the integration tests) can watch. */
export interface RunApi {
  /** Fires when a run ends, however it was started (command, F5, launch configuration). */
  readonly onDidEndRun: vscode.Event<RunResult & { binary: vscode.Uri }>;
}

export const EDIT_GRANTS_COMMAND = 'wasmWorkbench.editGrants';
const MANAGE_TRUST = 'Manage Workspace Trust';
const EDIT_GRANTS = 'Edit Run Grants';

export function registerRun(context: vscode.ExtensionContext, log: Log): RunApi {
  const runner = new Runner(context, log);
  context.subscriptions.push(
    runner,
    // A caller (a keybinding, a task, another extension) may pass the grants; then nothing is asked.
    vscode.commands.registerCommand('wasmWorkbench.run', async (target?: vscode.Uri, grants?: Partial<RunGrants>) => {
      if (!vscode.workspace.isTrusted) return explainRestricted('Running a binary');
      const binary = await resolveBinary(target, 'Run');
      if (!binary) return undefined;
      return runner.run(binary, grants && typeof grants === 'object' ? { grants: { ...noGrants(), ...grants, inheritEnv: false } } : {});
    }),
    vscode.commands.registerCommand(EDIT_GRANTS_COMMAND, async (target?: vscode.Uri) => {
      const binary = await resolveBinary(target, 'Edit the run grants of');
      if (binary) await runner.editor.edit(binary);
    }),
    vscode.commands.registerCommand('wasmWorkbench.resetGrants', (target?: vscode.Uri) => runner.forget(target)),
    vscode.window.registerTerminalLinkProvider(editGrantsLinks(runner)),
  );
  registerLaunch(context, (binary, request) => runner.run(binary, request));
  return { onDidEndRun: runner.onDidEndRun };
}

/** The header's "Edit run grants" in a run's terminal opens the grants editor of its binary. */
function editGrantsLinks(runner: Runner): vscode.TerminalLinkProvider<vscode.TerminalLink & { binary: vscode.Uri }> {
  return {
    provideTerminalLinks: (link) => {
      const owner = runner.terminalOf(link.terminal);
      const at = link.line.indexOf(EDIT_GRANTS_LINK);
      return owner && at >= 0
        ? [{ startIndex: at, length: EDIT_GRANTS_LINK.length, tooltip: 'Change or revoke what its runs get', binary: owner.binary }]
        : [];
    },
    handleTerminalLink: (link) => void runner.editor.edit(link.binary),
  };
}

/** Restricted Mode: say why nothing runs, and offer the way out (the command returns at once; the message stays). */
export function explainRestricted(what: string): undefined {
  void vscode.window
    .showWarningMessage(
      `${what} needs a trusted workspace: this folder is open in Restricted Mode, where nothing from it is run or deployed. Trust the folder to allow it.`,
      MANAGE_TRUST,
    )
    .then((choice) => (choice === MANAGE_TRUST ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
  return undefined;
}

class Runner implements vscode.Disposable {
  readonly store: GrantStore;
  readonly editor: GrantsEditor;
  private readonly terminals: GuestTerminal[] = [];
  private readonly ended = new vscode.EventEmitter<RunResult & { binary: vscode.Uri }>();
  readonly onDidEndRun = this.ended.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.store = new GrantStore(context.workspaceState);
    this.editor = new GrantsEditor(context.extensionUri, this.store, log, (binary) =>
      vscode.commands.executeCommand('wasmWorkbench.run', binary),
    );
  }

  terminalOf(terminal: vscode.Terminal): GuestTerminal | undefined {
    return this.terminals.find((t) => t.terminal === terminal);
  }

  async run(binary: vscode.Uri, request: RunRequest): Promise<RunResult | undefined> {
    const name = binary.path.split('/').pop()!;
    if (!vscode.workspace.isTrusted) return explainRestricted('Running a binary');
    if (binary.scheme !== 'file') {
      void vscode.window.showErrorMessage(`${name} is not on the local disk; only local files can be run.`);
      return undefined;
    }
    let report: InspectReport;
    try {
      report = await inspectFile(binary.fsPath, { wit: false });
    } catch (error) {
      const reason = errorMessage(error);
      noteInspected(binary, { problem: `It cannot run: ${reason}` });
      return this.refused(binary, reason, false);
    }
    noteInspected(binary, { report });

    // A library runs by calling one of its exports: ask which.
    let invoke = request.invoke;
    const deny = config.run.deny();
    const refusal = runRefusal(report, { deny, invoke: Boolean(invoke) });
    if (refusal && !invoke && !runRefusal(report, { deny, invoke: true })) {
      invoke = await this.pickExport(name, report);
      if (!invoke) return undefined;
    } else if (refusal) {
      return this.refused(binary, refusal.message, false);
    }

    let grants = request.grants ?? this.store.get(binary);
    if (!grants) {
      // Nothing remembered: ask when it uses something that is granted on request, else it gets what every run gets.
      const grantable = report.capabilities.some((c) => runnerSupport[c.id].level === 'on-grant');
      grants = grantable ? await this.editor.ask(binary, report) : noGrants();
      if (!grants) return undefined;
    }
    if (invoke && !request.invoke) invoke = { name: invoke.name, args: grants.args };

    const limits = {
      timeoutMs: (request.limits?.timeoutSeconds ?? config.run.timeoutSeconds()) * 1000,
      maxMemoryBytes: (request.limits?.maxMemoryMB ?? config.run.maxMemoryMB()) * 1024 * 1024,
    };
    const childScript = join(this.context.extensionPath, 'dist', 'run-child.js');
    let prepared: PreparedRun;
    try {
      prepared = await prepareRun(
        { file: binary.fsPath, grants: invoke ? { ...grants, args: [] } : grants, limits, ...(invoke ? { invoke } : {}) },
        {
          cacheDir: this.context.globalStorageUri.fsPath,
          deny,
          childScript,
          sandbox: config.run.sandbox(),
          engine: config.run.engine(),
          ...(config.run.wasmtimePath() ? { wasmtimePath: config.run.wasmtimePath() } : {}),
        },
      );
    } catch (error) {
      const reason = errorMessage(error);
      // A remembered directory that is gone is fixed in the grants editor; a launch configuration in its file.
      return this.refused(binary, reason, request.grants === undefined);
    }

    const terminal = this.terminalFor(binary, name);
    terminal.terminal.show();
    const ran = await terminal.run({
      header: runHeader(name, prepared, { explicitGrants: request.grants !== undefined }),
      start: () =>
        startGuest(prepared.plan, { childScript, stdio: 'pipe', confinement: prepared.confinement, extraReadOnly: prepared.extraReadOnly }),
      closing: (outcome) => closingNotes(name, outcome, prepared),
    });
    const { outcome } = ran;
    this.log.info(`${binary.fsPath}: ${describeEnd(outcome)}`);
    if (!terminal.closed) void this.hintAtRefusals(binary, name, outcome, prepared, request.grants !== undefined);
    const result: RunResult = {
      exitCode: outcome.exitCode,
      end: outcome.end,
      transcript: ran.transcript,
      outputChars: ran.outputChars,
      peakQueuedChars: ran.peakQueuedChars,
    };
    this.ended.fire({ ...result, binary });
    return result;
  }

  /** The binary's terminal when it is free and reuse is on, else a new one. */
  private terminalFor(binary: vscode.Uri, name: string): GuestTerminal {
    const mine = this.terminals.filter((t) => t.binary.toString() === binary.toString() && !t.closed);
    if (config.run.reuseTerminal()) {
      const free = mine.find((t) => !t.busy);
      if (free) return free;
    }
    const terminal = new GuestTerminal(binary, mine.length ? `Wasm: ${name} (${mine.length + 1})` : `Wasm: ${name}`, (closed) => {
      const at = this.terminals.indexOf(closed);
      if (at >= 0) this.terminals.splice(at, 1);
    });
    this.terminals.push(terminal);
    return terminal;
  }

  private async pickExport(name: string, report: InspectReport): Promise<{ name: string; args: string[] } | undefined> {
    const functions = report.exports.filter((e) => e.kind === 'func' && e.name !== '_initialize');
    const picked = await vscode.window.showQuickPick(
      functions.map((e) => ({ label: e.name, description: e.type })),
      {
        title: `${name} is a library: call which export?`,
        placeHolder: 'Its arguments are the Arguments of its run grants. A launch configuration with "invoke" skips this question.',
      },
    );
    return picked && { name: picked.label, args: [] };
  }

  /** Says why it did not run (the command returns at once; the message stays with its button). */
  private refused(binary: vscode.Uri, reason: string, offerGrants: boolean): undefined {
    const name = binary.path.split('/').pop();
    this.log.warn(`not running ${binary.fsPath}: ${reason}`);
    void vscode.window
      .showErrorMessage(`Cannot run ${name}: ${reason}`, ...(offerGrants ? [EDIT_GRANTS] : []))
      .then((choice) => (choice === EDIT_GRANTS ? this.editor.edit(binary) : undefined));
    return undefined;
  }

  /**
   * After a run that was refused something the user could grant: say how, in VS Code (a button to the grants
   * editor) and in the CLI, in the support table's words.
   */
  private async hintAtRefusals(
    binary: vscode.Uri,
    name: string,
    outcome: RunOutcome,
    prepared: PreparedRun,
    explicit: boolean,
  ): Promise<void> {
    const hints = grantHints(outcome, prepared);
    if (!hints.length) return;
    const how = hints.map((h) => `${h.what}. In VS Code: ${plainText(h.editor)}. In the CLI: ${plainText(h.cli)}.`).join(' ');
    const text = `${name} was refused what it was not granted: ${how}${explicit ? ' (This run took its grants from its launch configuration or caller.)' : ''}`;
    const choice = await vscode.window.showWarningMessage(text, EDIT_GRANTS);
    if (choice === EDIT_GRANTS) await this.editor.edit(binary);
  }

  /** "Forget Run Grants": the given binary, or one of those with remembered grants. */
  async forget(target: unknown): Promise<void> {
    let binaries: vscode.Uri[];
    if (target instanceof vscode.Uri) {
      binaries = [target];
    } else {
      const remembered = this.store.binaries();
      if (!remembered.length) {
        void vscode.window.showInformationMessage('No run grants are remembered in this workspace.');
        return;
      }
      const all = { label: `All of them (${remembered.length} binaries)`, uris: remembered };
      const items = [
        ...remembered.map((uri) => ({
          label: vscode.workspace.asRelativePath(uri),
          description: describeGrants(this.store.get(uri) ?? noGrants()),
          uris: [uri],
        })),
        ...(remembered.length > 1 ? [all] : []),
      ];
      const picked = await vscode.window.showQuickPick(items, {
        title: 'Forget the run grants of which binary?',
        placeHolder: 'Its next run asks again what to grant.',
      });
      if (!picked) return;
      binaries = picked.uris;
    }
    for (const binary of binaries) await this.store.forget(binary);
    const what =
      binaries.length === 1
        ? `Run grants of ${vscode.workspace.asRelativePath(binaries[0]!)} forgotten`
        : `Run grants of ${binaries.length} binaries forgotten`;
    void vscode.window.showInformationMessage(`${what}: the next run asks again.`);
  }

  dispose(): void {
    this.editor.dispose();
    for (const terminal of [...this.terminals]) terminal.dispose();
    this.ended.dispose();
  }
}

interface GrantHint {
  what: string;
  editor: RichText;
  cli: RichText;
}

/** What the run was refused that a grant would give, with the table's advice for each front. */
function grantHints(outcome: RunOutcome, prepared: PreparedRun): GrantHint[] {
  const failed = outcome.end !== 'exited' || outcome.exitCode !== 0;
  const seen = new Set<string>();
  const hints: GrantHint[] = [];
  const add = (capability: CapabilityId, what: string, reason?: 'read-only') => {
    const editor = grantAdvice(capability, 'editor', reason);
    const cli = grantAdvice(capability, 'cli', reason);
    const key = `${capability}:${reason ?? ''}`;
    // Only what a grant can change (the network stays off whatever is granted here).
    if (!editor || !cli || seen.has(key) || (runnerSupport[capability].level !== 'on-grant' && !reason)) return;
    seen.add(key);
    hints.push({ what, editor, cli });
  };
  for (const access of outcome.denied) {
    // Looking for directories at start-up is what C programs do: it matters only when the run failed.
    const probe = access.call === 'fd_prestat_get' || access.call.endsWith('get-directories');
    if (probe && !failed) continue;
    add(access.capability, `${access.call} ${access.detail}`.trim(), access.reason);
  }
  if (failed && outcome.denied.length === 0)
    for (const capability of prepared.ungranted) add(capability.id, `it needs ${capability.title.toLowerCase()}`);
  return hints;
}

function closingNotes(name: string, outcome: RunOutcome, prepared: PreparedRun): string {
  const notes = [...(outcome.message && outcome.end !== 'exited' ? [outcome.message] : []), ...explainOutcome(outcome, prepared, 'editor')];
  const cli = grantHints(outcome, prepared).map((h) => `From a terminal: ${plainText(h.cli)}.`);
  if (notes.length && cli.length) notes.push(...cli, `Change what it gets: ${EDIT_GRANTS_LINK}`);
  const result = outcome.result !== undefined ? `${outcome.result}\n` : '';
  return `${result}\n■ ${name} ${describeEnd(outcome)} after ${outcome.durationMs} ms\n${notes.map((n) => `  ${n}\n`).join('')}`;
}

function describeGrants(grants: RunGrants): string {
  const parts = [
    grants.dirs.length && `${grants.dirs.length} ${grants.dirs.length === 1 ? 'directory' : 'directories'}`,
    Object.keys(grants.env).length &&
      `${Object.keys(grants.env).length} ${Object.keys(grants.env).length === 1 ? 'variable' : 'variables'}`,
    grants.args.length && `${grants.args.length} ${grants.args.length === 1 ? 'argument' : 'arguments'}`,
  ].filter(Boolean);
  return parts.join(', ');
}

function describeEnd(outcome: RunOutcome): string {
  switch (outcome.end) {
    case 'exited':
      return `exited with code ${outcome.exitCode}`;
    case 'trapped':
      return `trapped (exit code ${outcome.exitCode})`;
    case 'timeout':
      return `was stopped at the time limit (exit code ${outcome.exitCode})`;
    case 'killed':
      return 'was stopped';
    case 'failed':
      return `could not run (exit code ${outcome.exitCode})`;
  }
}
