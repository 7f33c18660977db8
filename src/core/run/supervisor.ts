/**
 * Starts a guest in its own Node process and watches it: streams its stdio, enforces the wall-clock limit by
 * killing the process, and turns what happened into a RunOutcome.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ChildMessage, ChildPlan } from './protocol';
import { exitCodeFor, type DeniedAccess, type RunOutcome } from './types';

export interface GuestProcessOptions {
  /** The bundled child entry (dist/run-child.js). */
  childScript: string;
  /** 'pipe' to stream stdio to the caller (terminals in the editor); 'inherit' to share the caller's (CLI). */
  stdio: 'pipe' | 'inherit';
  /** The Node (or Electron) executable; default process.execPath. */
  execPath?: string;
}

export interface RunningGuest {
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
  outcome: Promise<RunOutcome>;
  /** Stops the guest (the outcome's end is then `killed`). */
  kill(): void;
}

export function startGuest(plan: ChildPlan, options: GuestProcessOptions): RunningGuest {
  const started = Date.now();
  const child: ChildProcess = fork(options.childScript, [], {
    execPath: options.execPath ?? process.execPath,
    // node:wasi's experimental warning would land in the guest's stderr.
    execArgv: ['--no-warnings'],
    // Never the host environment: the guest gets only plan.grants.env, and its process nothing else.
    // ELECTRON_RUN_AS_NODE makes an editor's Electron binary behave as plain Node.
    env: { ELECTRON_RUN_AS_NODE: '1' },
    // Descriptor 3 carries the child's results (JSON lines); the IPC channel only delivers the plan.
    stdio: options.stdio === 'pipe' ? ['pipe', 'pipe', 'pipe', 'pipe', 'ipc'] : ['inherit', 'inherit', 'inherit', 'pipe', 'ipc'],
  });
  const denied: DeniedAccess[] = [];
  let end: (ChildMessage & { type: 'end' }) | undefined;
  let stoppedBy: 'timeout' | 'killed' | undefined;
  const results = child.stdio[3] as Readable;
  let buffered = '';
  const onLine = (line: string) => {
    if (!line) return;
    const message = JSON.parse(line) as ChildMessage;
    if (message.type === 'denied') denied.push(message.access);
    else if (message.type === 'end') end = message;
  };
  results.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    lines.forEach(onLine);
  });
  const resultsDone = new Promise<void>((resolve) => results.once('close', resolve));
  const timer = setTimeout(() => {
    stoppedBy = 'timeout';
    child.kill('SIGKILL');
  }, plan.limits.timeoutMs);

  const outcome = new Promise<RunOutcome>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      const durationMs = Date.now() - started;
      if (stoppedBy === 'timeout') {
        resolve({ end: 'timeout', exitCode: exitCodeFor.timeout, message: `stopped after ${plan.limits.timeoutMs / 1000} s, the time limit (--timeout / wasmWorkbench.run.timeoutSeconds)`, denied, durationMs });
      } else if (stoppedBy === 'killed') {
        resolve({ end: 'killed', exitCode: exitCodeFor.killed, message: 'stopped', denied, durationMs });
      } else if (end) {
        resolve({ end: end.end, exitCode: end.exitCode, ...(end.message ? { message: end.message } : {}), ...(end.result !== undefined ? { result: end.result } : {}), denied, durationMs });
      } else {
        resolve({ end: 'failed', exitCode: code ?? exitCodeFor.failed, message: `the guest's process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`, denied, durationMs });
      }
    };
    // Wait for the results pipe to drain as well as for the exit, which can come first.
    child.once('exit', (code, signal) => void resultsDone.then(() => finish(code, signal)));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ end: 'failed', exitCode: exitCodeFor.failed, message: `could not start the guest's process: ${error.message}`, denied, durationMs: Date.now() - started });
    });
  });
  child.send({ type: 'run', plan });
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    outcome,
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stoppedBy ??= 'killed';
      child.kill('SIGKILL');
    },
  };
}
