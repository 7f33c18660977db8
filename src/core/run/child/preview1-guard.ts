/**
 * Least-privilege layer over node:wasi's preview1 functions. node:wasi confines paths to the preopened
 * directories but has no read-only preopens and no record of what a guest was refused; this layer adds both:
 * writes under a read-only grant fail with EROFS (open for writing gets its write rights removed, so writes
 * through the descriptor fail with ENOTCAPABLE), and every refusal is reported so the user can be told which
 * capability to grant.
 */
import type { DeniedAccess } from '../types';
import { onceEach } from './denials';

const errno = { success: 0, badf: 8, noent: 44, notsup: 58, rofs: 69, notcapable: 76 } as const;

// preview1 open flags, fd flags and rights bits (see the witx definitions of wasi_snapshot_preview1).
const oflags = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
const fdflagAppend = 1;
const writeRights =
  (1n << 0n) | // fd_datasync
  (1n << 4n) | // fd_sync
  (1n << 6n) | // fd_write
  (1n << 8n) | // fd_allocate
  (1n << 9n) | // path_create_directory
  (1n << 10n) | // path_create_file
  (1n << 11n) | (1n << 12n) | // path_link_source/target
  (1n << 16n) | (1n << 17n) | // path_rename_source/target
  (1n << 19n) | (1n << 20n) | // path_filestat_set_size/times
  (1n << 22n) | (1n << 23n) | // fd_filestat_set_size/times
  (1n << 24n) | (1n << 25n) | (1n << 26n); // path_symlink, path_remove_directory, path_unlink_file

type WasiFunction = (...args: (number | bigint)[]) => number;
export type WasiImports = Record<string, WasiFunction>;

export interface GuardOptions {
  /** Preopened descriptors (3, 4, ...) in grant order, with their guest path and read-only flag. */
  preopens: { fd: number; guest: string; readOnly: boolean }[];
  memory: () => WebAssembly.Memory;
  report: (access: DeniedAccess) => void;
}

export function guardPreview1(imports: WasiImports, options: GuardOptions): WasiImports {
  const readOnlyFds = new Set(options.preopens.filter((p) => p.readOnly).map((p) => p.fd));
  const decoder = new TextDecoder();
  const text = (ptr: number, len: number) => decoder.decode(new Uint8Array(options.memory().buffer, ptr, len));
  const u32 = (ptr: number) => new DataView(options.memory().buffer).getUint32(ptr, true);
  const deny = onceEach(options.report);
  const guarded: WasiImports = { ...imports };

  // With no directory granted, a program that wants files first asks for the preopened descriptors.
  guarded.fd_prestat_get = (fd, ...rest) => {
    const result = imports.fd_prestat_get!(fd, ...rest);
    if (result === errno.badf && options.preopens.length === 0 && fd === 3) {
      deny({ capability: 'filesystem', call: 'fd_prestat_get', detail: 'it looked for granted directories and found none' });
    }
    return result;
  };

  guarded.path_open = (dirfd, dirflags, pathPtr, pathLen, openFlags, rightsBase, rightsInheriting, fdFlags, fdPtr) => {
    const path = text(Number(pathPtr), Number(pathLen));
    const readOnly = readOnlyFds.has(Number(dirfd));
    if (readOnly && (Number(openFlags) & (oflags.creat | oflags.trunc) || Number(fdFlags) & fdflagAppend)) {
      deny({ capability: 'filesystem', call: 'path_open', detail: `write to "${path}" in a read-only directory` });
      return errno.rofs;
    }
    const base = readOnly ? BigInt(rightsBase!) & ~writeRights : rightsBase!;
    const inheriting = readOnly ? BigInt(rightsInheriting!) & ~writeRights : rightsInheriting!;
    const result = imports.path_open!(dirfd!, dirflags!, pathPtr!, pathLen!, openFlags!, base, inheriting, fdFlags!, fdPtr!);
    if (result === errno.success && readOnly) readOnlyFds.add(u32(Number(fdPtr)));
    if (result === errno.notcapable || (result === errno.noent && /(^|\/)\.\.(\/|$)/.test(path))) {
      deny({ capability: 'filesystem', call: 'path_open', detail: `"${path}" is outside the granted directories` });
    }
    return result;
  };

  const refuseInReadOnly = (name: string, fdIndexes: number[], pathArgs?: [number, number]) => {
    const original = imports[name];
    if (!original) return;
    guarded[name] = (...args) => {
      if (fdIndexes.some((i) => readOnlyFds.has(Number(args[i])))) {
        const detail = pathArgs ? `"${text(Number(args[pathArgs[0]]), Number(args[pathArgs[1]]))}" in a read-only directory` : 'a file in a read-only directory';
        deny({ capability: 'filesystem', call: name, detail: `change ${detail}` });
        return errno.rofs;
      }
      return original(...args);
    };
  };
  refuseInReadOnly('path_create_directory', [0], [1, 2]);
  refuseInReadOnly('path_remove_directory', [0], [1, 2]);
  refuseInReadOnly('path_unlink_file', [0], [1, 2]);
  refuseInReadOnly('path_filestat_set_times', [0], [2, 3]);
  refuseInReadOnly('path_symlink', [2], [3, 4]);
  refuseInReadOnly('path_rename', [0, 3], [4, 5]);
  refuseInReadOnly('path_link', [3], [4, 5]);
  refuseInReadOnly('fd_filestat_set_size', [0]);
  refuseInReadOnly('fd_filestat_set_times', [0]);
  refuseInReadOnly('fd_allocate', [0]);

  guarded.fd_close = (fd) => {
    const result = imports.fd_close!(fd!);
    if (result === errno.success) readOnlyFds.delete(Number(fd));
    return result;
  };
  guarded.fd_renumber = (from, to) => {
    const result = imports.fd_renumber!(from!, to!);
    if (result === errno.success) {
      readOnlyFds.delete(Number(to));
      if (readOnlyFds.delete(Number(from))) readOnlyFds.add(Number(to));
    }
    return result;
  };

  // The network is off: no socket is ever preopened, so these can only fail.
  for (const name of Object.keys(imports).filter((n) => n.startsWith('sock_'))) {
    guarded[name] = (...args) => {
      deny({ capability: 'sockets', call: name, detail: 'network access (the network is off)' });
      return imports[name]!(...args);
    };
  }
  return guarded;
}
