/**
 * How the filesystem layer names "entry N of the directory I hold open" to Node's path-based `fs` API.
 *
 * Node has no `openat`. On Linux, `/proc/self/fd/<fd>/<name>` is resolved by the kernel from the open
 * directory itself (the magic link is not a path that can be swapped), so every operation on a single name
 * happens inside the directory the layer holds, whatever another process renames or replaces meanwhile: the same
 * guarantee `openat` gives, and what wasmtime's cap-std builds on. Elsewhere (macOS, Windows, or a Linux without
 * /proc) there is only the host path the directory was opened by: the layer still resolves every guest path
 * itself and refuses every escape a guest can make, but a *host* process that swaps a directory for a symlink at
 * the right moment could redirect one operation. Which of the two holds is reported as `confinement`.
 */
import { closeSync, constants, fstatSync, openSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Confinement =
  /** Every operation is relative to a held descriptor (Linux with /proc). */
  | 'descriptor'
  /** Operations use host paths resolved by the layer (other systems): a racing host process can interfere. */
  | 'path';

export interface HostPaths {
  readonly confinement: Confinement;
  /** The flag that opens a directory only to look things up in it (O_PATH where there is one). */
  readonly lookupOnly: number;
  /** A path naming entry `name` (one component, never `.` or `..`) of the directory open as `fd`. */
  entry(fd: number, name: string): string;
  /** A path naming the open object itself. */
  self(fd: number): string;
  /** Where the open object is on the host now; undefined when that cannot be known. */
  locate(fd: number): string | undefined;
  /** Records that `fd` was opened as `entry(parent, name)` (only the path strategy needs it). */
  opened(fd: number, parent: number | string, name?: string): void;
  closed(fd: number): void;
}

/** Linux's O_PATH (not in Node's constants): opens a directory for lookups without needing read permission. */
const O_PATH = 0o10000000;

class ProcfsPaths implements HostPaths {
  readonly confinement = 'descriptor';
  readonly lookupOnly = O_PATH;
  entry(fd: number, name: string): string {
    return `/proc/self/fd/${fd}/${name}`;
  }
  self(fd: number): string {
    return `/proc/self/fd/${fd}`;
  }
  locate(fd: number): string | undefined {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return undefined;
    }
  }
  opened(): void {}
  closed(): void {}
}

/**
 * Without /proc, a held directory is named by the path it was opened by. Before that path is used it is checked to
 * still lead to the very directory held (same device and inode): a guest that moves a held directory away and
 * puts a link to outside under its name gets a stale descriptor (EBADF), never the link's target.
 */
class RecordedPaths implements HostPaths {
  readonly confinement = 'path';
  readonly lookupOnly = constants.O_RDONLY;
  readonly #paths = new Map<number, { path: string; dev: bigint; ino: bigint }>();
  entry(fd: number, name: string): string {
    return join(this.#where(fd), name);
  }
  self(fd: number): string {
    return this.#where(fd);
  }
  locate(fd: number): string | undefined {
    return this.#paths.get(fd)?.path;
  }
  opened(fd: number, parent: number | string, name?: string): void {
    const path = typeof parent === 'string' ? parent : join(this.#where(parent), name ?? '');
    const { dev, ino } = fstatSync(fd, { bigint: true });
    this.#paths.set(fd, { path, dev, ino });
  }
  closed(fd: number): void {
    this.#paths.delete(fd);
  }
  #where(fd: number): string {
    const recorded = this.#paths.get(fd);
    if (recorded === undefined) throw Object.assign(new Error(`descriptor ${fd} has no recorded path`), { code: 'EBADF' });
    let now: { dev: bigint; ino: bigint } | undefined;
    try {
      now = statSync(recorded.path, { bigint: true });
    } catch {
      now = undefined;
    }
    if (!now || now.dev !== recorded.dev || now.ino !== recorded.ino) {
      throw Object.assign(new Error(`${recorded.path} is no longer the directory that was opened`), { code: 'EBADF' });
    }
    return recorded.path;
  }
}

let chosen: HostPaths | undefined;

/**
 * The strategy this process uses: procfs where it works, recorded paths elsewhere. `path` asks for recorded paths
 * even where procfs works, to test the layer as it runs on other systems.
 */
export function hostPaths(preferred?: Confinement): HostPaths {
  if (preferred === 'path') return new RecordedPaths();
  return (chosen ??= procfsWorks() ? new ProcfsPaths() : new RecordedPaths());
}

/** Checked, not assumed: /proc may be missing or mounted without the magic links (some containers). */
function procfsWorks(): boolean {
  if (process.platform !== 'linux') return false;
  let fd: number | undefined;
  try {
    fd = openSync('/', constants.O_RDONLY | constants.O_DIRECTORY);
    if (readlinkSync(`/proc/self/fd/${fd}`) !== '/') return false;
    const probe = openSync(`/proc/self/fd/${fd}/.`, O_PATH | constants.O_DIRECTORY);
    closeSync(probe);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
