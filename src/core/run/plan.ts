/**
 * Decides whether and how a binary can run here, before anything runs: the host kind it expects, the policy
 * (`--deny`), what the runner supports (support.ts), the limits and the grants. Refusals carry the reason and
 * their kind (src/core/errors.ts).
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Capability, CapabilityId } from '../capabilities';
import { capabilityCatalog, deniedCapabilities, describeViolations, parseInterfaceName } from '../capabilities';
import { readBinary } from '../binary';
import { errorMessage, WorkbenchError } from '../errors';
import { plainText } from '../text/rich';
import { inspectFile, type InspectReport } from '../inspect';
import { withFileSource } from '../platform/file-source';
import { findWasmtime, wasmtimeCannot, type WasmtimeEngine } from './engines/wasmtime';
import { demandOf, MemoryLimitError, planMemoryBudget } from './memory-cap';
import type { ChildPlan, GuestKind } from './protocol';
import { confinementFor, probeBubblewrapSoon, type Confinement, type SandboxChoice } from './sandbox';
import { grantAdvice, runnerSupport } from './support';
import type { RunGrants, RunLimits, RunOutcome, RunRequest } from './types';
import { preview1Functions } from './wasi/preview1';
import { preview2Interfaces } from './wasi/preview2';

/** Why a binary is not run: it cannot run here (`refused`), or a policy (`--deny`) forbids it (`policy`). */
export class RunRefusedError extends WorkbenchError {
  override readonly name = 'RunRefusedError';
  constructor(message: string, kind: 'refused' | 'policy' = 'refused', options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

export interface PreparedRun {
  plan: ChildPlan;
  report: InspectReport;
  /** Capabilities it needs that could be granted but are not (shown before a run, and after a failure). */
  ungranted: Capability[];
  /** What will hold the guest in (the run header says it). */
  confinement: Confinement;
  /** Read-only paths the guest's process needs besides the binary (a component's transpiled code). */
  extraReadOnly: string[];
}

export interface PrepareOptions {
  deny?: readonly CapabilityId[];
  /** Where transpiled components are cached. */
  cacheDir: string;
  /** The host environment, used only when the request asks to inherit it. */
  hostEnv?: Record<string, string | undefined>;
  /** The bundled child entry (dist/run-child.js), which also transpiles components. */
  childScript: string;
  execPath?: string;
  /** bubblewrap around the guest's process: when it works (auto, the default), always, or never. */
  sandbox?: SandboxChoice;
  /** The engine: this project's WASI host (default), or wasmtime (from `wasmtimePath`, else PATH). */
  engine?: 'builtin' | 'wasmtime';
  wasmtimePath?: string;
  /** `path`: the WASI layer resolves from recorded host paths even on Linux, as it does where there is no /proc (tests). */
  layer?: 'path';
}

/** The longest time limit accepted: about 31 years (any longer value is a mistake, not a limit). */
export const maxTimeoutSeconds = 1e9;

export async function prepareRun(request: RunRequest, options: PrepareOptions): Promise<PreparedRun> {
  checkLimits(request.limits);
  // Whether bubblewrap works here is found out while the binary is read.
  const probe = (options.sandbox ?? 'auto') !== 'none' ? probeBubblewrapSoon() : undefined;
  await checkIsRegularFile(request.file);
  const report = await inspectFile(request.file, { wit: false });
  const kind = checkRunnable(report, Boolean(request.invoke), options.deny ?? []);
  if (kind === 'preview1') await checkMemoryFits(request.file, request.limits);
  await checkGrants(request.grants);

  await probe;
  let confinement: Confinement;
  try {
    confinement = confinementFor(options.sandbox ?? 'auto');
    if (options.layer) confinement = { ...confinement, layer: options.layer };
  } catch (error) {
    throw new RunRefusedError(errorMessage(error), 'refused', { cause: error });
  }
  const grants = resolveGrants(request.grants, options.hostEnv);
  const wasmtime = options.engine === 'wasmtime' ? engineWasmtime(options.wasmtimePath, grants) : undefined;
  const componentDir = kind === 'component' && !wasmtime ? await transpileComponent(request.file, options) : undefined;
  const plan: ChildPlan = {
    file: request.file,
    kind,
    program: basename(request.file),
    grants,
    limits: request.limits,
    ...(componentDir ? { componentDir } : {}),
    ...(wasmtime ? { wasmtime } : {}),
    ...(options.layer ? { layer: options.layer } : {}),
    ...(request.invoke ? { invoke: request.invoke } : {}),
  };
  return {
    plan,
    report,
    ungranted: ungrantedCapabilities(report.capabilities, grants),
    confinement,
    extraReadOnly: componentDir ? [componentDir] : [],
  };
}

function engineWasmtime(path: string | undefined, grants: RunGrants): WasmtimeEngine {
  let engine: WasmtimeEngine;
  try {
    engine = findWasmtime(path);
  } catch (error) {
    throw new RunRefusedError(errorMessage(error), 'refused', { cause: error });
  }
  const cannot = wasmtimeCannot({ grants });
  if (cannot) throw new RunRefusedError(cannot);
  return engine;
}

function checkLimits(limits: RunLimits): void {
  const seconds = limits.timeoutMs / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > maxTimeoutSeconds) {
    throw new RunRefusedError(`the time limit must be a number of seconds above 0 and at most ${maxTimeoutSeconds} (got ${seconds})`);
  }
  if (!Number.isFinite(limits.maxMemoryBytes) || limits.maxMemoryBytes < 65536) {
    throw new RunRefusedError(`the memory limit must be at least 64 KiB (one Wasm page), got ${limits.maxMemoryBytes} bytes`);
  }
}

/** Only a regular file is read: a FIFO would block the reader forever, a device would never end. */
async function checkIsRegularFile(file: string): Promise<void> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new RunRefusedError(
      error.code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${error.code ?? error.message})`,
    );
  });
  if (!info.isFile())
    throw new RunRefusedError(
      `${file} is ${info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a FIFO (named pipe)' : 'not a regular file'}: give the path of a .wasm file`,
    );
}

/**
 * Why this binary cannot run here whatever is granted (a policy, its host kind, a capability the runner does not
 * support, an import it does not provide), or undefined when it can. `invoke`: whether an export will be called
 * (a library runs only that way). prepareRun makes these checks first; the editor asks before offering Run.
 */
export function runRefusal(
  report: InspectReport,
  options: { invoke?: boolean; deny?: readonly CapabilityId[] } = {},
): RunRefusedError | undefined {
  try {
    checkRunnable(report, options.invoke ?? false, options.deny ?? []);
    return undefined;
  } catch (error) {
    if (error instanceof RunRefusedError) return error;
    throw error;
  }
}

function checkRunnable(report: InspectReport, invoke: boolean, deny: readonly CapabilityId[]): GuestKind {
  const violations = deniedCapabilities(report.capabilities, deny);
  if (violations.length) {
    throw new RunRefusedError(describeViolations(violations), 'policy');
  }
  const kind = guestKind(report, invoke);
  for (const capability of report.capabilities) {
    const support = runnerSupport[capability.id];
    if (support.level === 'unsupported')
      throw new RunRefusedError(
        `it needs ${capability.title.toLowerCase()} (${capability.imports.join(', ')}): ${plainText(support.summary)}; use ${plainText(support.instead ?? ['another host'])}`,
      );
  }
  checkImportsProvided(report, kind);
  return kind;
}

function guestKind(report: InspectReport, invoke: boolean): GuestKind {
  const { host } = report;
  const functions = report.exports.filter((e) => e.kind === 'func').map((e) => e.name);
  switch (host.kind) {
    case 'wasi-command':
      if (invoke) throw new RunRefusedError(`it is a command (it has _start): run it without --invoke`);
      return 'preview1';
    case 'wasi-reactor':
    case 'no-imports':
      // (A module with _start is a command even when it imports nothing: see capabilities/host.ts.)
      if (!invoke) {
        throw new RunRefusedError(
          `it is a library with no _start: choose an exported function to call with --invoke NAME (exports: ${functions.join(', ') || 'none'})`,
        );
      }
      return 'preview1';
    case 'wasi-component-command':
      if (invoke) throw new RunRefusedError('it is a component command: run it without --invoke');
      return 'component';
    case 'wasi-http-proxy':
      throw new RunRefusedError(`it is an HTTP handler, not a program: ${plainText(runnerSupport['http-incoming'].instead!)}`);
    default:
      throw new RunRefusedError(`${host.title}: ${plainText(host.summary)}`);
  }
}

/** Every import must be one this runner provides, or the binary is refused before it starts. */
function checkImportsProvided(report: InspectReport, kind: GuestKind): void {
  const missing: string[] = [];
  if (kind === 'preview1') {
    for (const imported of report.imports) {
      if (imported.module === 'wasi_snapshot_preview1' || imported.module === 'wasi_unstable') {
        if (imported.kind !== 'func' || !preview1Functions.has(imported.name)) missing.push(`${imported.module}.${imported.name}`);
      } else if (!(imported.module === 'env' && imported.kind === 'memory')) missing.push(`${imported.module}.${imported.name}`);
    }
  } else {
    const provided = new Set<string>(preview2Interfaces);
    for (const imported of report.imports) {
      const parsed = parseInterfaceName(imported.name);
      const versionOk = parsed?.version === undefined || /^0\.2\./.test(parsed.version);
      if (!parsed || !provided.has(`${parsed.namespace}:${parsed.package}/${parsed.interface}`) || !versionOk) missing.push(imported.name);
    }
  }
  if (missing.length) throw new RunRefusedError(`it imports ${missing.join(', ')}, which this runner does not provide`);
}

async function checkMemoryFits(file: string, limits: RunLimits): Promise<void> {
  const module = await withFileSource(file, (source) => readBinary(source));
  if (module.kind !== 'module') return;
  try {
    planMemoryBudget([demandOf(basename(file), module)], limits.maxMemoryBytes);
  } catch (error) {
    if (error instanceof MemoryLimitError) throw new RunRefusedError(error.message, 'refused', { cause: error });
    throw error;
  }
}

/** Whether the grants can be given as they are: directories that exist, one per guest path, variables a guest can read. */
export async function checkGrants(grants: RunGrants): Promise<void> {
  for (const [key, value] of Object.entries(grants.env)) {
    // A guest reads its environment as KEY=VALUE strings ended by NUL.
    if (!key || key.includes('=') || key.includes('\0'))
      throw new RunRefusedError(
        `the environment variable name ${JSON.stringify(key)} cannot be passed: a name must not be empty or hold "=" or NUL`,
      );
    if (value.includes('\0'))
      throw new RunRefusedError(`the value of the environment variable ${key} holds a NUL character, which cannot be passed`);
  }
  const guests = new Set<string>();
  for (const dir of grants.dirs) {
    if (!dir.guest)
      throw new RunRefusedError(`the granted directory ${dir.host} has no guest path: say where the guest sees it (e.g. /data or .)`);
    const kind = await stat(dir.host).then(
      (s) => (s.isDirectory() ? 'directory' : 'file'),
      () => 'missing',
    );
    if (kind !== 'directory')
      throw new RunRefusedError(
        `the granted directory ${dir.host} ${kind === 'missing' ? 'does not exist' : 'is a file, not a directory'}`,
      );
    // Two grants under one guest name: which one a guest's libc picks is its own choice, so the user's intent is unclear.
    const name = dir.guest.replace(/\/+$/, '') || '/';
    if (guests.has(name))
      throw new RunRefusedError(
        `the guest path "${dir.guest}" is granted twice: give each granted directory its own guest path (HOST::GUEST)`,
      );
    guests.add(name);
  }
}

function resolveGrants(grants: RunGrants, hostEnv: Record<string, string | undefined> | undefined): RunGrants {
  const inherited: Record<string, string> = {};
  if (grants.inheritEnv && hostEnv) for (const [k, v] of Object.entries(hostEnv)) if (v !== undefined) inherited[k] = v;
  return { ...grants, env: { ...inherited, ...grants.env } };
}

function ungrantedCapabilities(needed: Capability[], grants: RunGrants): Capability[] {
  // Missing variables read as unset rather than failing, so only these can explain a failed run.
  return needed.filter((c) => (c.id === 'filesystem' && grants.dirs.length === 0) || runnerSupport[c.id].level === 'off');
}

/** Fills the component cache in a short process of its own (jco's transpiler is heavy; the editor must not wait on it). */
async function transpileComponent(file: string, options: PrepareOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      options.execPath ?? process.execPath,
      ['--no-warnings', options.childScript, '--transpile', file, options.cacheDir],
      {
        env: { ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (error) => reject(new RunRefusedError(`could not prepare the component: ${error.message}`)));
    child.once('close', (code) => {
      if (code === 0 && out.trim()) resolve(out.trim());
      else reject(new RunRefusedError(`could not prepare the component: ${err.trim() || `exit code ${code}`}`));
    });
  });
}

/** Notes for the user after a run: what the guest was refused, and how to grant it, in the words of the front. */
export function explainOutcome(outcome: RunOutcome, prepared: PreparedRun, front: 'cli' | 'editor' = 'cli'): string[] {
  const notes: string[] = [];
  const failed = outcome.end !== 'exited' || outcome.exitCode !== 0;
  for (const access of outcome.denied) {
    const advice = grantAdvice(access.capability, front, access.reason);
    const times = (access.count ?? 1) > 1 ? ` (${(access.count ?? 1).toLocaleString('en')} times)` : '';
    // Looking for directories is what a C program does at start-up when it links file functions: only a hint.
    if (access.call === 'fd_prestat_get' || access.call.endsWith('get-directories')) {
      if (failed && advice) notes.push(`It ${access.detail.replace(/^it /, '')}; if it needs files: ${plainText(advice)}.`);
      continue;
    }
    const how = !advice
      ? ''
      : access.reason
        ? ` ${capitalise(plainText(advice))}.`
        : ` To grant ${capabilityCatalog.get(access.capability)?.title.toLowerCase() ?? access.capability}: ${plainText(advice)}.`;
    notes.push(`${access.call} was refused${times}: ${access.detail}.${how}`);
  }
  if (outcome.uncountedDenials > 0) notes.push(`…and ${outcome.uncountedDenials.toLocaleString('en')} more refusals of other kinds.`);
  if (failed && outcome.denied.length === 0) {
    for (const capability of prepared.ungranted) {
      const advice = grantAdvice(capability.id, front);
      notes.push(
        `It needs ${capability.title.toLowerCase()} (${capability.id}), which was not granted${advice ? `: ${plainText(advice)}` : ''}.`,
      );
    }
  }
  return notes;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
