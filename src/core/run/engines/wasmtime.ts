/**
 * The optional engine: run the guest with a `wasmtime` the user has (on PATH, or a configured path), so a local
 * run behaves exactly as production runs. The same grants and limits are translated to wasmtime's flags; the
 * process is supervised (time limit, bubblewrap) like the builtin engine's.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ChildPlan } from '../protocol';

export interface WasmtimeEngine {
  kind: 'wasmtime';
  /** Absolute path of the executable. */
  path: string;
  /** What `wasmtime --version` said, e.g. "wasmtime 48.0.8 (…)". */
  version: string;
}

/** Finds wasmtime (the given path, else PATH) and asks its version; throws with what to do when there is none. */
export function findWasmtime(configured?: string, searchPath = process.env.PATH ?? ''): WasmtimeEngine {
  const candidates = configured
    ? [configured]
    : searchPath
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, 'wasmtime'));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000, env: {} });
    if (result.status === 0 && /^wasmtime/.test(result.stdout)) return { kind: 'wasmtime', path, version: result.stdout.trim() };
    throw new Error(`${path} did not answer \`--version\` as wasmtime does${result.stderr ? `: ${result.stderr.trim()}` : ''}`);
  }
  throw new Error(
    configured
      ? `no executable wasmtime at ${configured} (wasmWorkbench.run.wasmtimePath / --wasmtime)`
      : 'wasmtime is not on PATH: install it (`cargo install wasmtime-cli`, or a release from wasmtime.dev) or give its path (wasmWorkbench.run.wasmtimePath / --wasmtime)',
  );
}

/** What wasmtime cannot do that a run asks for, or undefined. */
export function wasmtimeCannot(plan: Pick<ChildPlan, 'grants'>): string | undefined {
  const readOnly = plan.grants.dirs.filter((d) => d.readOnly);
  if (readOnly.length)
    return `wasmtime cannot grant a directory read-only (${readOnly.map((d) => d.guest).join(', ')}): grant it read-write, or run with the builtin engine`;
  return undefined;
}

/**
 * `wasmtime run` with the plan's grants and limits. wasmtime's memory limit applies to each memory (the builtin
 * engine's is one budget for all).
 */
export function wasmtimeArguments(plan: ChildPlan): string[] {
  const args = ['run'];
  for (const dir of plan.grants.dirs) args.push('--dir', `${dir.host}::${dir.guest}`);
  for (const [key, value] of Object.entries(plan.grants.env)) args.push('--env', `${key}=${value}`);
  // The time limit is the supervisor's (it kills the process): a wasmtime timeout would end the run as a trap.
  args.push('-W', `max-memory-size=${plan.limits.maxMemoryBytes}`);
  if (plan.invoke) args.push('--invoke', plan.invoke.name);
  args.push(plan.file, ...(plan.invoke ? plan.invoke.args : plan.grants.args));
  return args;
}
