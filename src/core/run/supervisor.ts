/**
 * Starts a guest in its own process and watches it: wraps it in bubblewrap when the confinement says so,
 * hands it the plan, streams or shares its stdio, enforces the wall-clock limit by killing the process, and
 * turns what happened into a RunOutcome.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { wasmtimeArguments } from './engines/wasmtime';
import { heapLimitFlag } from './memory-cap';
import { planFd, resultsFd, type ChildMessage, type ChildPlan } from './protocol';
import { bubblewrapCommand, type Confinement } from './sandbox';
import { exitCodeFor, type DeniedAccess, type RunOutcome } from './types';

export interface GuestProcessOptions {
  /** The bundled child entry (dist/run-child.js). */
  childScript: string;
  /** 'pipe' to stream stdio to the caller (terminals in the editor); 'inherit' to share the caller's (CLI). */
  stdio: 'pipe' | 'inherit';
  /** What confines the guest (see sandbox.ts); decided once by the caller so the run header can say it. */
  confinement: Confinement;
  /** The Node (or Electron) executable; default process.execPath. */
  execPath?: string;
  /** Read-only paths the guest's process needs besides the binary (a component's transpiled code). */
  extraReadOnly?: string[];
}

export interface RunningGuest {
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
  outcome: Promise<RunOutcome>;
  /** Stops the guest (the outcome's end is then `killed`). */
  kill(): void;
}

/** setTimeout cannot wait longer than this; longer limits are waited for in steps. */
const longestTimer = 2 ** 31 - 1;

export function startGuest(plan: ChildPlan, options: GuestProcessOptions): RunningGuest {
  const started = Date.now();
  const execPath = options.execPath ?? process.execPath;
  // Never the host environment: the guest gets only plan.grants.env, and its process nothing else.
  // ELECTRON_RUN_AS_NODE makes an editor's Electron binary behave as plain Node.
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  // node:wasi is not used, but Node would still print experimental warnings into the guest's stderr.
  const nodeArgs = ['--no-warnings', heapLimitFlag(plan.limits.maxMemoryBytes)];
  // With wasmtime as the engine it is the guest's process, given the same grants as flags.
  const program = plan.wasmtime
    ? { execPath: plan.wasmtime.path, nodeArgs: wasmtimeArguments(plan), script: undefined }
    : { execPath, nodeArgs, script: options.childScript };
  const { command, args } = options.confinement.bubblewrap
    ? bubblewrapCommand({ ...program, file: plan.file, extraReadOnly: options.extraReadOnly ?? [], grants: plan.grants.dirs, env })
    : { command: program.execPath, args: program.script ? [...program.nodeArgs, program.script] : program.nodeArgs };
  const child: ChildProcess = spawn(command, args, {
    env,
    // Descriptor 3 carries the child's results (JSON lines), descriptor 4 the plan.
    stdio: options.stdio === 'pipe' ? ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] : ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'],
  });

  let denied: DeniedAccess[] = [];
  let uncounted = 0;
  let end: (ChildMessage & { type: 'end' }) | undefined;
  let stoppedBy: 'timeout' | 'killed' | undefined;
  const results = child.stdio[resultsFd] as Readable;
  let buffered = '';
  const onLine = (line: string) => {
    if (!line) return;
    let message: ChildMessage;
    try {
      message = JSON.parse(line) as ChildMessage;
    } catch {
      return;
    }
    if (message.type === 'denied') denied.push(message.access);
    else if (message.type === 'end') {
      end = message;
      if (message.refusals) ({ distinct: denied, uncounted } = message.refusals);
    }
  };
  results.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    lines.forEach(onLine);
  });
  const resultsDone = new Promise<void>((resolve) => results.once('close', resolve));

  let timer: NodeJS.Timeout | undefined;
  const deadline = started + plan.limits.timeoutMs;
  const arm = () => {
    const left = deadline - Date.now();
    timer = setTimeout(
      () => {
        if (Date.now() < deadline) return arm();
        stoppedBy = 'timeout';
        child.kill('SIGKILL');
      },
      Math.min(Math.max(left, 0), longestTimer),
    );
  };
  arm();

  const outcome = new Promise<RunOutcome>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      const base = { denied, uncountedDenials: uncounted, durationMs: Date.now() - started };
      if (stoppedBy === 'timeout') {
        resolve({
          end: 'timeout',
          exitCode: exitCodeFor.timeout,
          message: `stopped after ${formatSeconds(plan.limits.timeoutMs)}, the time limit (--timeout / wasmWorkbench.run.timeoutSeconds)`,
          ...base,
        });
      } else if (stoppedBy === 'killed') {
        resolve({ end: 'killed', exitCode: exitCodeFor.killed, message: 'stopped', ...base });
      } else if (plan.wasmtime && code !== null) {
        // wasmtime reports a trap as exit code 134 (128 + SIGABRT), as this runner does.
        resolve({ end: code === exitCodeFor.trapped ? 'trapped' : 'exited', exitCode: code, ...base });
      } else if (end) {
        resolve({
          end: end.end,
          exitCode: end.exitCode,
          ...(end.message ? { message: end.message } : {}),
          ...(end.result !== undefined ? { result: end.result } : {}),
          ...base,
        });
      } else {
        resolve({
          end: 'failed',
          exitCode: code ?? exitCodeFor.failed,
          message: unexpectedEnd(code, signal, plan.limits.maxMemoryBytes),
          ...base,
        });
      }
    };
    // Wait for the results pipe to drain as well as for the exit, which can come first.
    child.once('exit', (code, signal) => void resultsDone.then(() => finish(code, signal)));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({
        end: 'failed',
        exitCode: exitCodeFor.failed,
        message: `could not start the guest's process: ${error.message}`,
        denied,
        uncountedDenials: uncounted,
        durationMs: Date.now() - started,
      });
    });
  });
  const planPipe = child.stdio[planFd] as Writable;
  // The child may be gone before reading it (it failed to start): that is reported through `exit`.
  planPipe.on('error', () => undefined);
  planPipe.end(plan.wasmtime ? '' : JSON.stringify(plan));
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

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(3)} s`;
}

/** Why a guest's process ended without reporting (a crash): the heap limit is the one a guest can hit. */
function unexpectedEnd(code: number | null, signal: NodeJS.Signals | null, budget: number): string {
  if (signal === 'SIGABRT' || code === 134) {
    return `the guest's process ran out of memory: Wasm GC objects and the host share a heap capped near the memory limit (${Math.round(budget / 1048576)} MiB; --max-memory / wasmWorkbench.run.maxMemoryMB)`;
  }
  return `the guest's process ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`;
}
