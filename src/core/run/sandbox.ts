/**
 * Defence in depth around the guest's process on Linux: with Debian's `bubblewrap` (bwrap) installed, the
 * process runs in its own mount, PID, IPC, UTS, network and user namespaces, sees a root filesystem made of
 * the system's read-only /usr (for the Node runtime's libraries), the runtime itself, the runner's code, the
 * binary, and the granted directories (read-only ones bound read-only), a /proc of its own, no host
 * environment, and no network interface. The WASI layer alone already confines the guest; this holds even if
 * that layer had a flaw. Where bwrap is missing or cannot start, the run header says so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { DirectoryGrant } from './types';

export type SandboxChoice = 'auto' | 'bubblewrap' | 'none';

export interface Confinement {
  /** The namespaces of bubblewrap wrap the guest's process. */
  bubblewrap: boolean;
  /** Why bubblewrap is not used, when it is not. */
  reason?: string;
  /** The WASI layer resolves paths from held descriptors (Linux /proc) or from host paths (elsewhere). */
  layer: 'descriptor' | 'path';
}

type Probe = { ok: boolean; reason?: string };
let probed: Probe | undefined;
let probing: Promise<Probe> | undefined;

// The probe: can bwrap make every namespace the guest's process gets, here and now?
const probeCommand = ['--ro-bind', '/', '/', '--unshare-all', '--die-with-parent', '--', 'true'];

/** What the probe's end says, the same for both ways of running it. */
function probeVerdict(error: Error | undefined, status: number | null, stderr: string): Probe {
  if (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      ok: false,
      reason: missing
        ? 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap adds namespaces around the guest'
        : `bwrap could not start: ${error.message}`,
    };
  }
  if (status !== 0) return { ok: false, reason: `bwrap cannot make namespaces here: ${stderr.trim() || `exit ${status}`}` };
  return { ok: true };
}

/** Whether bwrap exists and can make namespaces here (it cannot in some containers, or where user namespaces are off). */
export function bubblewrapWorks(): Probe {
  if (probed) return probed;
  if (process.platform !== 'linux') return (probed = { ok: false, reason: `bubblewrap is Linux only (this is ${process.platform})` });
  const result = spawnSync('bwrap', probeCommand, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  return (probed = probeVerdict(result.error, result.status, result.stderr?.toString() ?? ''));
}

/**
 * Starts the same probe without waiting for it, so that it runs while a run is being prepared (it takes a few
 * milliseconds of a CLI run's start); bubblewrapWorks() then answers from its result.
 */
export function probeBubblewrapSoon(): Promise<Probe> {
  if (probed) return Promise.resolve(probed);
  if (process.platform !== 'linux') return Promise.resolve(bubblewrapWorks());
  return (probing ??= new Promise<Probe>((resolve) => {
    const child = spawn('bwrap', probeCommand, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    let stderr = '';
    let failed: Error | undefined;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => (failed = error));
    child.once('close', (status) => resolve((probed ??= probeVerdict(failed, failed ? null : status, stderr))));
  }));
}

/** What will confine the guest of a run made with this choice; throws when `bubblewrap` is required but unusable. */
export function confinementFor(choice: SandboxChoice): Confinement {
  const layer = process.platform === 'linux' && existsSync('/proc/self/fd') ? 'descriptor' : 'path';
  if (choice === 'none')
    return { bubblewrap: false, reason: 'the sandbox was turned off (--sandbox none / wasmWorkbench.run.sandbox)', layer };
  const works = bubblewrapWorks();
  if (!works.ok && choice === 'bubblewrap')
    throw new Error(`bubblewrap was required (--sandbox bubblewrap / wasmWorkbench.run.sandbox): ${works.reason}`);
  return works.ok ? { bubblewrap: true, layer } : { bubblewrap: false, reason: works.reason!, layer };
}

export interface SandboxedCommand {
  command: string;
  args: string[];
}

/**
 * The bwrap command line that runs `[execPath, ...nodeArgs, script]` (or another runtime, such as wasmtime, with
 * its arguments) with only what it needs bound.
 * Paths keep their host names inside, so messages about them read the same.
 */
export function bubblewrapCommand(options: {
  execPath: string;
  nodeArgs: string[];
  script: string | undefined;
  file: string;
  extraReadOnly: string[];
  grants: readonly DirectoryGrant[];
  env: Record<string, string>;
}): SandboxedCommand {
  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--clearenv',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--chdir',
    '/',
  ];
  for (const system of ['/usr', '/lib', '/lib64', '/lib32', '/bin', '/sbin', '/etc/ld.so.cache'])
    args.push('--ro-bind-try', system, system);
  const runtime = runtimeRoot(options.execPath);
  const readOnly = new Set([
    runtime,
    ...(options.script ? [dirname(realpathSync(options.script))] : []),
    ...options.extraReadOnly,
    realpathSync(options.file),
  ]);
  for (const path of readOnly) if (path !== '/usr' && !path.startsWith('/usr/')) args.push('--ro-bind', path, path);
  // Outer directories first, so a read-only grant nested in a writable one stays read-only (and the reverse).
  const grants = [...options.grants].sort((a, b) => a.host.length - b.host.length);
  for (const grant of grants) args.push(grant.readOnly ? '--ro-bind' : '--bind', grant.host, grant.host);
  for (const [key, value] of Object.entries(options.env)) args.push('--setenv', key, value);
  // The real path: what is bound above is the runtime's real folder, and a link to it (a shared tools folder) is not.
  args.push('--', realpathSync(options.execPath), ...options.nodeArgs, ...(options.script ? [options.script] : []));
  return { command: 'bwrap', args };
}

/** The installation a Node or Electron binary belongs to (`…/bin/node` → `…`), bound whole: it may load files beside it. */
function runtimeRoot(execPath: string): string {
  const real = realpathSync(execPath);
  const dir = dirname(real);
  const root = dir.endsWith('/bin') ? dirname(dir) : dir;
  // A runtime in ~/bin or /bin must not bring the whole home or root along: then only the binary is bound.
  return root === '/' || root === homedir() ? real : root;
}
