/**
 * Decides whether and how a binary can run here, before anything runs: the host kind it expects, the policy
 * (`--deny`), and the grants it would go without. Refusals carry the reason and the exit code the CLI uses.
 */
import { stat } from 'node:fs/promises';
import type { Capability, CapabilityId } from '../capabilities';
import { deniedCapabilities } from '../capabilities';
import { inspectFile, type InspectReport } from '../inspect';
import type { ChildPlan, GuestKind } from './protocol';
import type { RunGrants, RunOutcome, RunRequest } from './types';

export class RunRefusedError extends Error {
  constructor(
    message: string,
    /** 2: this binary cannot run here; 3: a policy (`--deny`) forbids it. */
    readonly exitCode: 2 | 3,
  ) {
    super(message);
  }
}

export interface PreparedRun {
  plan: ChildPlan;
  report: InspectReport;
  /** Capabilities it needs that could be granted but are not (shown before a run, and after a failure). */
  ungranted: Capability[];
}

export interface PrepareOptions {
  deny?: readonly CapabilityId[];
  /** Where transpiled components are cached. */
  cacheDir: string;
  /** The host environment, used only when the request asks to inherit it. */
  hostEnv?: Record<string, string | undefined>;
}

export async function prepareRun(request: RunRequest, options: PrepareOptions): Promise<PreparedRun> {
  const report = await inspectFile(request.file, { wit: false });
  const violations = deniedCapabilities(report.capabilities, options.deny ?? []);
  if (violations.length) {
    throw new RunRefusedError(`refused by policy: it needs ${violations.map((v) => `${v.capability} (${v.imports.join(', ')})`).join('; ')}`, 3);
  }
  const kind = guestKind(report, request);
  if (report.capabilities.some((c) => c.id === 'threads')) {
    throw new RunRefusedError('it starts threads (wasi-threads), which this runner does not support yet; run it with `wasmtime run -W threads=y -S threads=y`', 2);
  }
  for (const dir of request.grants.dirs) {
    const kind = await stat(dir.host).then((s) => (s.isDirectory() ? 'directory' : 'file'), () => 'missing');
    if (kind !== 'directory') throw new RunRefusedError(`the granted directory ${dir.host} ${kind === 'missing' ? 'does not exist' : 'is a file, not a directory'}`, 2);
  }
  const grants = resolveGrants(request.grants, options.hostEnv);
  const plan: ChildPlan = { file: request.file, kind, grants, limits: request.limits, cacheDir: options.cacheDir, ...(request.invoke ? { invoke: request.invoke } : {}) };
  return { plan, report, ungranted: ungrantedCapabilities(report.capabilities, grants) };
}

function guestKind(report: InspectReport, request: RunRequest): GuestKind {
  const { host } = report;
  const functions = report.exports.filter((e) => e.kind === 'func').map((e) => e.name);
  switch (host.kind) {
    case 'wasi-command':
      if (request.invoke) throw new RunRefusedError(`it is a command (it has _start): run it without --invoke`, 2);
      return 'preview1';
    case 'wasi-reactor':
    case 'no-imports':
      if (!request.invoke) {
        if (host.kind === 'no-imports' && host.entryPoint === '_start') return 'preview1';
        throw new RunRefusedError(`it is a library with no _start: choose an exported function to call with --invoke NAME (exports: ${functions.join(', ') || 'none'})`, 2);
      }
      return 'preview1';
    case 'wasi-component-command':
      if (request.invoke) throw new RunRefusedError('it is a component command: run it without --invoke', 2);
      return 'component';
    case 'wasi-http-proxy':
      throw new RunRefusedError('it is an HTTP handler, not a program: serve it with `wasmtime serve` or deploy it to Spin', 2);
    default:
      throw new RunRefusedError(`${host.title}: ${stripMarkdown(host.summary)}`, 2);
  }
}

function stripMarkdown(text: string): string {
  return text.replace(/`+ ?([^`]*?) ?`+/g, '$1');
}

function resolveGrants(grants: RunGrants, hostEnv: Record<string, string | undefined> | undefined): RunGrants {
  const inherited: Record<string, string> = {};
  if (grants.inheritEnv && hostEnv) for (const [k, v] of Object.entries(hostEnv)) if (v !== undefined) inherited[k] = v;
  return { ...grants, env: { ...inherited, ...grants.env } };
}

function ungrantedCapabilities(needed: Capability[], grants: RunGrants): Capability[] {
  // Missing variables read as unset rather than failing, so only these can explain a failed run.
  return needed.filter((c) => (c.id === 'filesystem' && grants.dirs.length === 0) || c.id === 'sockets' || c.id === 'http-outgoing');
}

/** Notes for the user after a run: what the guest was refused, and how to grant it. */
export function explainOutcome(outcome: RunOutcome, prepared: PreparedRun): string[] {
  const notes: string[] = [];
  const byId = new Map(prepared.report.capabilities.map((c) => [c.id, c]));
  const failed = outcome.end !== 'exited' || outcome.exitCode !== 0;
  for (const access of outcome.denied) {
    const grant = plain(byId.get(access.capability)?.grant.runner ?? '');
    // Looking for directories is what a C program does at start-up when it links file functions: only a hint.
    if (access.call === 'fd_prestat_get' || access.call.endsWith('get-directories')) {
      if (failed) notes.push(`It ${access.detail.replace(/^it /, '')}; if it needs files, grant them with ${grant}.`);
      continue;
    }
    notes.push(`${access.call} was refused: ${access.detail}.${grant ? ` To grant ${access.capability}: ${grant}.` : ''}`);
  }
  if (failed && outcome.denied.length === 0) {
    for (const capability of prepared.ungranted) {
      notes.push(`It needs ${capability.title.toLowerCase()} (${capability.id}), which was not granted: ${plain(capability.grant.runner)}.`);
    }
  }
  return notes;
}

/** Grant hints are Markdown; notes go to terminals. */
function plain(text: string): string {
  return text.replace(/`/g, '');
}
