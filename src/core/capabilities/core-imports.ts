/** Which capability each import of a core module implies: WASI preview1/preview0, wasi-threads and friends. */
import type { CapabilityId } from './catalog';
import { interfaceCapabilities, parseInterfaceName } from './interfaces';

/** Modules whose imports a WASI host provides (or that name a WASI proposal). */
export const preview1Modules = new Set(['wasi_snapshot_preview1', 'wasi_unstable']);

const preview1Functions: Record<string, CapabilityId> = {
  args_get: 'args',
  args_sizes_get: 'args',
  environ_get: 'environment',
  environ_sizes_get: 'environment',
  clock_res_get: 'clocks',
  clock_time_get: 'clocks',
  // The descriptors 0-2 are stdin/stdout/stderr; these calls are what printing and reading them needs.
  fd_read: 'stdio',
  fd_write: 'stdio',
  fd_close: 'stdio',
  fd_seek: 'stdio',
  fd_fdstat_get: 'stdio',
  poll_oneoff: 'poll',
  sched_yield: 'poll',
  proc_exit: 'exit',
  proc_raise: 'exit',
  random_get: 'random',
};

function preview1Capability(name: string): CapabilityId | undefined {
  const direct = preview1Functions[name];
  if (direct) return direct;
  // Every other fd_* call and every path_* call works on files and directories reached through preopens.
  if (name.startsWith('path_') || name.startsWith('fd_')) return 'filesystem';
  // sock_accept/recv/send/shutdown in preview1, plus the socket extensions of WasmEdge (sock_open, sock_connect...).
  if (name.startsWith('sock_')) return 'sockets';
  return undefined;
}

const knownFunctionNames = new Set([
  ...Object.keys(preview1Functions),
  'fd_advise',
  'fd_allocate',
  'fd_datasync',
  'fd_fdstat_set_flags',
  'fd_fdstat_set_rights',
  'fd_filestat_get',
  'fd_filestat_set_size',
  'fd_filestat_set_times',
  'fd_pread',
  'fd_prestat_dir_name',
  'fd_prestat_get',
  'fd_pwrite',
  'fd_readdir',
  'fd_renumber',
  'fd_sync',
  'fd_tell',
  'path_create_directory',
  'path_filestat_get',
  'path_filestat_set_times',
  'path_link',
  'path_open',
  'path_readlink',
  'path_remove_directory',
  'path_rename',
  'path_symlink',
  'path_unlink_file',
  'sock_accept',
  'sock_recv',
  'sock_send',
  'sock_shutdown',
  // WasmEdge socket extensions
  'sock_open',
  'sock_bind',
  'sock_connect',
  'sock_listen',
  'sock_getaddrinfo',
  'sock_getlocaladdr',
  'sock_getpeeraddr',
  'sock_setsockopt',
  'sock_getsockopt',
  'sock_recv_from',
  'sock_send_to',
]);

/** Other core-module import namespaces that WASI hosts know, and what they grant. */
const otherWasiModules: Record<string, CapabilityId> = {
  wasi_ephemeral_nn: 'wasi-nn',
  wasi_nn: 'wasi-nn',
  wasi_experimental_http: 'http-outgoing',
};

export type CoreImportMeaning =
  | { kind: 'capability'; capability: CapabilityId; note?: string }
  | { kind: 'wasi-unknown-function'; note: string }
  | { kind: 'support' }
  | { kind: 'not-wasi' };

/** What one core-module import means for the host. */
export function meaningOfCoreImport(module: string, name: string, kind: string): CoreImportMeaning {
  if (preview1Modules.has(module)) {
    if (kind !== 'func') return { kind: 'wasi-unknown-function', note: `WASI preview1 provides only functions, not a ${kind}` };
    const capability = preview1Capability(name);
    if (capability && knownFunctionNames.has(name)) return { kind: 'capability', capability };
    if (capability) return { kind: 'capability', capability, note: 'not a standard preview1 function (a runtime extension?)' };
    return { kind: 'wasi-unknown-function', note: 'not a preview1 function: WASI runtimes will refuse to link it' };
  }
  if (module === 'wasi' && name === 'thread-spawn') return { kind: 'capability', capability: 'threads' };
  const other = otherWasiModules[module];
  if (other) return { kind: 'capability', capability: other };
  // Core modules built for WASI 0.2 by wit-bindgen import component interfaces by name before componentisation.
  const parsed = parseInterfaceName(module);
  if (parsed) {
    if (parsed.namespace === 'wasi' && parsed.package === 'cli' && parsed.interface === 'environment') {
      if (name === 'get-arguments') return { kind: 'capability', capability: 'args' };
      return { kind: 'capability', capability: 'environment' };
    }
    const meaning = interfaceCapabilities(parsed);
    if (meaning.kind === 'capabilities') return { kind: 'capability', capability: meaning.capabilities[0]! };
    if (meaning.kind === 'support') return { kind: 'support' };
    if (parsed.namespace === 'wasi') return { kind: 'wasi-unknown-function', note: 'not a WASI interface this version knows' };
  }
  return { kind: 'not-wasi' };
}
