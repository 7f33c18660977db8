/**
 * `Wasm: Run Module` and the `wasm` launch configuration: prepare the run with core (refusals and policy
 * first), get the grants (launch.json, remembered, or asked), then run the guest in its own process behind a
 * terminal. Only trusted workspaces run anything.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { explainOutcome, noGrants, prepareRun, RunRefusedError, startGuest, type RunGrants, type RunningGuest, type RunOutcome } from '../../core/run';
import { activeBinary, resolveBinary } from '../binary-target';
import { config } from '../config';
import type { Log } from '../log';
import { forgetGrants, promptForGrants, rememberedGrants, toRunGrants } from './grants-prompt';
import { openGuestTerminal } from './guest-terminal';

export interface RunResult {
  exitCode: number;
  end: RunOutcome['end'];
  /** What the terminal showed: the guest's output and the notes after it. */
  transcript: string;
}

/** A launch configuration of type `wasm` (see package.json `contributes.debuggers`). */
interface WasmLaunchConfiguration extends vscode.DebugConfiguration {
  program?: string;
  args?: string[];
  env?: Record<string, string>;
  dirs?: string[];
  roDirs?: string[];
  invoke?: string;
  timeoutSeconds?: number;
  maxMemoryMB?: number;
}

export function registerRun(context: vscode.ExtensionContext, log: Log): void {
  const run = (binary: vscode.Uri, grants?: RunGrants, invoke?: { name: string; args: string[] }, limits?: { timeoutSeconds?: number; maxMemoryMB?: number }) =>
    runBinary(context, log, binary, grants, invoke, limits);
  context.subscriptions.push(
    // A caller (a keybinding, a task, another extension) may pass the grants; then nothing is asked.
    vscode.commands.registerCommand('wasmWorkbench.run', async (target?: vscode.Uri, grants?: Partial<RunGrants>) => {
      const binary = await resolveBinary(target, 'Run');
      if (!binary) return undefined;
      return run(binary, grants && typeof grants === 'object' ? { ...noGrants(), ...grants, inheritEnv: false } : undefined);
    }),
    vscode.commands.registerCommand('wasmWorkbench.resetGrants', async (target?: vscode.Uri) => {
      const binary = await resolveBinary(target, 'Run');
      if (!binary) return;
      await forgetGrants(context.workspaceState, binary);
      void vscode.window.showInformationMessage(`Grants for ${vscode.workspace.asRelativePath(binary)} forgotten: the next run asks again.`);
    }),
    vscode.debug.registerDebugConfigurationProvider('wasm', {
      resolveDebugConfiguration(_folder, configuration: WasmLaunchConfiguration) {
        // F5 without a launch.json: run the active .wasm.
        if (!configuration.type && !configuration.request) {
          const active = activeBinary();
          if (!active) return undefined;
          return { type: 'wasm', request: 'launch', name: 'Run Wasm', program: active.fsPath };
        }
        return configuration;
      },
      async resolveDebugConfigurationWithSubstitutedVariables(folder, configuration: WasmLaunchConfiguration) {
        if (!configuration.program) {
          void vscode.window.showErrorMessage('The wasm launch configuration needs "program": the path of a .wasm file.');
          return undefined;
        }
        const base = folder?.uri.fsPath ?? '';
        const absolute = (p: string) => (p.startsWith('/') || /^[A-Za-z]:/.test(p) ? p : join(base, p));
        const directory = (text: string, readOnly: boolean) => {
          const [host, guest] = text.split('::');
          return { host: absolute(host!), guest: guest ?? host!, readOnly };
        };
        const grants: RunGrants = {
          args: configuration.invoke ? [] : configuration.args ?? [],
          env: configuration.env ?? {},
          inheritEnv: false,
          dirs: [...(configuration.dirs ?? []).map((d) => directory(d, false)), ...(configuration.roDirs ?? []).map((d) => directory(d, true))],
        };
        const invoke = configuration.invoke ? { name: configuration.invoke, args: configuration.args ?? [] } : undefined;
        void run(vscode.Uri.file(absolute(configuration.program)), grants, invoke, { timeoutSeconds: configuration.timeoutSeconds, maxMemoryMB: configuration.maxMemoryMB });
        // Running needs no debug session: returning undefined ends the launch here.
        return undefined;
      },
    }),
  );
}

async function runBinary(
  context: vscode.ExtensionContext,
  log: Log,
  binary: vscode.Uri,
  explicitGrants: RunGrants | undefined,
  invoke: { name: string; args: string[] } | undefined,
  limitOverrides: { timeoutSeconds?: number | undefined; maxMemoryMB?: number | undefined } = {},
): Promise<RunResult | undefined> {
  const name = binary.path.split('/').pop()!;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Running a binary needs a trusted workspace: use "Manage Workspace Trust" to trust this folder.');
    return undefined;
  }
  if (binary.scheme !== 'file') {
    void vscode.window.showErrorMessage(`${name} is not on the local disk; only local files can be run.`);
    return undefined;
  }
  const limits = {
    timeoutMs: (limitOverrides.timeoutSeconds ?? config.run.timeoutSeconds()) * 1000,
    maxMemoryBytes: (limitOverrides.maxMemoryMB ?? config.run.maxMemoryMB()) * 1024 * 1024,
  };
  const childScript = join(context.extensionPath, 'dist', 'run-child.js');
  const options = { cacheDir: context.globalStorageUri.fsPath, deny: config.run.deny(), childScript };
  let prepared;
  try {
    prepared = await prepareRun({ file: binary.fsPath, grants: explicitGrants ?? noGrants(), limits, ...(invoke ? { invoke } : {}) }, options);
    if (!explicitGrants) {
      const stored = rememberedGrants(context.workspaceState, binary) ?? (await promptForGrants(context.workspaceState, binary, prepared.report.capabilities));
      if (!stored) return undefined;
      prepared = await prepareRun({ file: binary.fsPath, grants: toRunGrants(stored), limits, ...(invoke ? { invoke } : {}) }, options);
    }
  } catch (error) {
    const reason = error instanceof RunRefusedError ? error.message : error instanceof Error ? error.message : String(error);
    log.warn(`not running ${binary.fsPath}: ${reason}`);
    void vscode.window.showErrorMessage(`Cannot run ${name}: ${reason}`);
    return undefined;
  }

  const { plan, report } = prepared;
  let guest: RunningGuest | undefined;
  return new Promise<RunResult>((resolve) => {
    const terminal = openGuestTerminal(`Wasm: ${name}`, () => guest, () => {
      const granted = [
        ...plan.grants.dirs.map((d) => `${d.readOnly ? 'read-only' : 'read-write'} ${d.host} as ${d.guest}`),
        ...Object.keys(plan.grants.env).map((k) => `env ${k}`),
      ];
      terminal.write(`▶ ${name} (${report.host.title}) — needs ${report.capabilities.map((c) => c.id).join(', ') || 'nothing'}; granted: ${granted.join(', ') || 'nothing beyond stdio, clocks and random'}\n`);
      guest = startGuest(plan, { childScript, stdio: 'pipe', confinement: prepared.confinement, extraReadOnly: prepared.extraReadOnly });
      guest.stdout!.on('data', (chunk: Buffer) => terminal.write(chunk.toString()));
      guest.stderr!.on('data', (chunk: Buffer) => terminal.write(chunk.toString()));
      void guest.outcome.then((outcome) => {
        if (outcome.result !== undefined) terminal.write(`${outcome.result}\n`);
        const notes = [...(outcome.message && outcome.end !== 'exited' ? [outcome.message] : []), ...explainOutcome(outcome, prepared, 'editor')];
        terminal.write(`\n■ ${name} ${describeEnd(outcome)} after ${outcome.durationMs} ms\n${notes.map((n) => `  ${n}\n`).join('')}`);
        log.info(`${binary.fsPath}: ${describeEnd(outcome)}`);
        resolve({ exitCode: outcome.exitCode, end: outcome.end, transcript: terminal.transcript() });
      });
    });
    terminal.terminal.show();
  });
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

