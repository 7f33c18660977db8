/**
 * Runs a plan: each process step as a child process whose output is streamed to the caller as it comes,
 * then reports the exit code and which expected outputs exist. A failed step stops the build.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { runComponentStep } from './component';
import type { BuildPlan, BuildStep } from './model';
import { errorMessage } from '../errors';

export interface RunOptions {
  /** Output of the build tools, as it comes. */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** Called before each step starts. */
  onStep?: (step: BuildStep, index: number) => void;
  signal?: AbortSignal;
  /** The environment the tools inherit (default: this process's). */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export interface BuildResult {
  ok: boolean;
  /** The failing step's exit code, 0 when every step succeeded; -1 when a step could not start or was cancelled. */
  exitCode: number;
  /** Set when a step could not run at all (not started, cancelled, component step failed). */
  error?: string;
  /** Expected outputs that exist and were written during this build. */
  outputs: string[];
  /** Expected outputs that are absent or older than the build (a successful build that wrote elsewhere). */
  missing: string[];
  durationMs: number;
}

export async function runBuild(plan: BuildPlan, options: RunOptions = {}): Promise<BuildResult> {
  const started = Date.now();
  let exitCode = 0;
  let error: string | undefined;
  for (const [index, step] of plan.steps.entries()) {
    if (options.signal?.aborted) {
      exitCode = -1;
      error = 'the build was cancelled';
      break;
    }
    options.onStep?.(step, index);
    if (step.kind === 'process') {
      const result = await runProcess(step, options);
      exitCode = result.code;
      error = result.error;
    } else {
      try {
        await runComponentStep(step);
      } catch (e) {
        exitCode = -1;
        error = errorMessage(e);
      }
    }
    if (exitCode !== 0) break;
  }
  // Compare with whole seconds: some file systems keep coarse modification times.
  const fresh = (file: string) => {
    try {
      return statSync(file).mtimeMs >= Math.floor(started / 1000) * 1000;
    } catch {
      return false;
    }
  };
  const outputs = exitCode === 0 ? plan.outputs.filter(fresh) : [];
  return {
    ok: exitCode === 0 && outputs.length === plan.outputs.length,
    exitCode,
    ...(error ? { error } : {}),
    outputs,
    missing: plan.outputs.filter((o) => !outputs.includes(o)),
    durationMs: Date.now() - started,
  };
}

function runProcess(step: Extract<BuildStep, { kind: 'process' }>, options: RunOptions): Promise<{ code: number; error?: string }> {
  return new Promise((done) => {
    const platform = options.platform ?? process.platform;
    const child = spawn(step.program, step.args, {
      cwd: step.cwd,
      env: { ...(options.env ?? process.env), ...step.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // npm's shims on Windows are .cmd files, which only run through the shell.
      shell: platform === 'win32' && /\.(cmd|bat)$/i.test(step.program),
    });
    let settled = false;
    const finish = (result: { code: number; error?: string }) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      done(result);
    };
    const onAbort = () => {
      child.kill();
      finish({ code: -1, error: 'the build was cancelled' });
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (text: string) => options.onOutput?.(text, 'stdout'));
    child.stderr.setEncoding('utf8').on('data', (text: string) => options.onOutput?.(text, 'stderr'));
    child.on('error', (e: NodeJS.ErrnoException) =>
      finish({ code: -1, error: `${step.program} could not be started (${e.code ?? e.message})` }),
    );
    child.on('close', (code, signal) => finish(code === null ? { code: -1, error: `${step.program} was stopped by ${signal}` } : { code }));
  });
}
