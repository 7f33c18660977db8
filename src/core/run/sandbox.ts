/**
 * Defence in depth around the guest's process on Linux: with Debian's `bubblewrap` (bwrap) installed, the
 * process runs in its own mount, PID, IPC, UTS, network and user namespaces, sees a root filesystem made of
 * the system's read-only /usr (for the Node runtime's libraries), the runtime itself, the runner's code, the
 * binary, and the granted directories (read-only ones bound read-only), a /proc of its own, no host
 * environment, and no network interface. The WASI layer alone already confines the guest; this holds even if
 * that layer had a flaw. Where bwrap is missing or cannot start, the run header says so.
 */
import { spawnSync } from 'node:child_process';
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

let probed: { ok: boolean; reason?: string } | undefined;

/** Whether bwrap exists and can make namespaces here (it cannot in some containers, or where user namespaces are off). */
export function bubblewrapWorks(): { ok: boolean; reason?: string } {
  if (probed) return probed;
  if (process.platform !== 'linux') return (probed = { ok: false, reason: `bubblewrap is Linux only (this is ${process.platform})` });
  const result = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-all', '--die-with-parent', '--', 'true'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 10_000,
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    return (probed = {
      ok: false,
      reason: missing
        ? 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap adds namespaces around the guest'
        : `bwrap could not start: ${result.error.message}`,
    });
  }
  if (result.status !== 0)
    return (probed = {
      ok: false,
      reason: `bwrap cannot make namespaces here: ${result.stderr.toString().trim() || `exit ${result.status}`}`,
    });
  return (probed = { ok: true });
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
