/**
 * WASI preview1 (`wasi_snapshot_preview1`, and the older `wasi_unstable`) written over the same descriptor layer
 * as the 0.2 host, the way wasmtime builds its preview1 on its 0.2 implementation: the same descriptor table
 * rules, rights reported as wasmtime reports them, the same errno for the same failure. Guest memory is read
 * through bounds-checked views; a bad pointer traps, as the witx rules require.
 */
import { clockResolution, monotonicNow, wallNow } from './clocks';
import { randomFillSync } from './random';
import { errno, errnoOf, WasiFailure } from './errors';
import { Descriptor, type DescriptorStat, type DescriptorType, type Grant, type NewTimestamp } from './fs/descriptor';
import { poll, Pollable, StdinPollable, TimerPollable } from './io';
import { isTerminal, sleepMs, stdin, writeAll } from './stdio';
import type { DeniedAccess } from '../types';

/** The preview1 function behind each filesystem operation, for refusals. */
const preview1Calls: Record<string, string> = {
  'open-at': 'path_open',
  'stat-at': 'path_filestat_get',
  'set-times-at': 'path_filestat_set_times',
  'link-at': 'path_link',
  'readlink-at': 'path_readlink',
  'create-directory-at': 'path_create_directory',
  'remove-directory-at': 'path_remove_directory',
  'unlink-file-at': 'path_unlink_file',
  'rename-at': 'path_rename',
  'symlink-at': 'path_symlink',
  'set-size': 'fd_filestat_set_size',
  'set-times': 'fd_filestat_set_times',
  write: 'fd_write',
  'write-via-stream': 'fd_write',
  'append-via-stream': 'fd_write',
};

/** Opens the granted directories for a preview1 guest, its refusals named by preview1 function. */
export function preopenForPreview1(
  grants: readonly Grant[],
  refuse: (access: DeniedAccess) => void,
  layer?: 'descriptor' | 'path',
): Descriptor[] {
  return Descriptor.preopen(grants, refuse, (operation) => preview1Calls[operation] ?? operation, layer);
}

export interface Preview1Options {
  /** argv, the program's name first. */
  args: string[];
  env: Record<string, string>;
  /** The granted directories, opened, with the names the guest sees (fds 3, 4, ... in this order). */
  preopens: { descriptor: Descriptor; guest: string }[];
  /** `wasi_unstable` (preview0) lays out a few structures and constants differently. */
  unstable: boolean;
  refuse(access: DeniedAccess): void;
  /** proc_exit: ends the run from inside the call. */
  exit(code: number): never;
}

type Entry =
  | { kind: 'stdin' }
  | { kind: 'stdout' }
  | { kind: 'stderr' }
  | { kind: 'directory'; descriptor: Descriptor; preopen?: string }
  | { kind: 'file'; descriptor: Descriptor; position: bigint; append: boolean; nonblocking: boolean };

/** A preview1 errno to return as it is (for failures that are not filesystem error codes). */
class Errno {
  constructor(readonly value: number) {}
}
const errnoFailure = (value: number): never => {
  throw new Errno(value);
};

// Rights bits (witx `rights`).
const right = {
  fdDatasync: 1n << 0n,
  fdRead: 1n << 1n,
  fdSeek: 1n << 2n,
  fdFdstatSetFlags: 1n << 3n,
  fdSync: 1n << 4n,
  fdTell: 1n << 5n,
  fdWrite: 1n << 6n,
  fdAdvise: 1n << 7n,
  fdAllocate: 1n << 8n,
  pathCreateDirectory: 1n << 9n,
  pathCreateFile: 1n << 10n,
  pathLinkSource: 1n << 11n,
  pathLinkTarget: 1n << 12n,
  pathOpen: 1n << 13n,
  fdReaddir: 1n << 14n,
  pathReadlink: 1n << 15n,
  pathRenameSource: 1n << 16n,
  pathRenameTarget: 1n << 17n,
  pathFilestatGet: 1n << 18n,
  pathFilestatSetSize: 1n << 19n,
  pathFilestatSetTimes: 1n << 20n,
  fdFilestatGet: 1n << 21n,
  fdFilestatSetSize: 1n << 22n,
  fdFilestatSetTimes: 1n << 23n,
  pathSymlink: 1n << 24n,
  pathRemoveDirectory: 1n << 25n,
  pathUnlinkFile: 1n << 26n,
  pollFdReadwrite: 1n << 27n,
  sockShutdown: 1n << 28n,
  sockAccept: 1n << 29n,
} as const;
const allRights = (1n << 30n) - 1n;
/** What a preopened directory reports, as wasmtime does (userlands expect this set). */
const preopenRights =
  right.pathCreateDirectory |
  right.pathCreateFile |
  right.pathLinkSource |
  right.pathLinkTarget |
  right.pathOpen |
  right.fdReaddir |
  right.pathReadlink |
  right.pathRenameSource |
  right.pathRenameTarget |
  right.pathSymlink |
  right.pathRemoveDirectory |
  right.pathUnlinkFile |
  right.pathFilestatGet |
  right.pathFilestatSetTimes |
  right.fdFilestatGet |
  right.fdFilestatSetTimes;
const preopenInheriting =
  preopenRights |
  right.fdDatasync |
  right.fdRead |
  right.fdSeek |
  right.fdFdstatSetFlags |
  right.fdSync |
  right.fdTell |
  right.fdWrite |
  right.fdAdvise |
  right.fdAllocate |
  right.fdFilestatGet |
  right.fdFilestatSetSize |
  right.fdFilestatSetTimes |
  right.pollFdReadwrite;

const filetype = {
  unknown: 0,
  blockDevice: 1,
  characterDevice: 2,
  directory: 3,
  regularFile: 4,
  socketDgram: 5,
  socketStream: 6,
  symbolicLink: 7,
} as const;
const fdflag = { append: 1, dsync: 2, nonblock: 4, rsync: 8, sync: 16 } as const;
const oflag = { creat: 1, directory: 2, excl: 4, trunc: 8 } as const;
const fstflag = { atim: 1, atimNow: 2, mtim: 4, mtimNow: 8 } as const;
const clockId = { realtime: 0, monotonic: 1, processCputime: 2, threadCputime: 3 } as const;

function p1Filetype(type: DescriptorType): number {
  switch (type) {
    case 'block-device':
      return filetype.blockDevice;
    case 'character-device':
      return filetype.characterDevice;
    case 'directory':
      return filetype.directory;
    case 'regular-file':
      return filetype.regularFile;
    case 'symbolic-link':
      return filetype.symbolicLink;
    case 'socket':
      return filetype.socketStream;
    default:
      // preview1 has no FIFO type.
      return filetype.unknown;
  }
}

const toNs = (t: { seconds: bigint; nanoseconds: number } | undefined) => (t ? t.seconds * 1_000_000_000n + BigInt(t.nanoseconds) : 0n);

function timestamp(set: boolean, value: bigint, now: boolean): NewTimestamp {
  if (set && now) errnoFailure(errno.inval);
  if (set) {
    const ns = BigInt.asUintN(64, value);
    return { tag: 'timestamp', val: { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) } };
  }
  return now ? { tag: 'now' } : { tag: 'no-change' };
}

type Fn = (...args: (number | bigint)[]) => number;

export function preview1Imports(options: Preview1Options, memory: () => WebAssembly.Memory): Record<string, Fn> {
  const table = new Map<number, Entry>([
    [0, { kind: 'stdin' }],
    [1, { kind: 'stdout' }],
    [2, { kind: 'stderr' }],
  ]);
  const free = new Set<number>();
  options.preopens.forEach((p, i) => table.set(3 + i, { kind: 'directory', descriptor: p.descriptor, preopen: p.guest }));
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const encoder = new TextEncoder();

  // --- guest memory ---------------------------------------------------------------------------------------
  const view = () => new DataView(memory().buffer);
  const check = (ptr: number, len: number) => {
    if (ptr < 0 || len < 0 || ptr + len > memory().buffer.byteLength)
      throw new WebAssembly.RuntimeError('out of bounds memory access (a pointer passed to a WASI call)');
  };
  const u8 = (ptr: number, len: number) => {
    check(ptr, len);
    return new Uint8Array(memory().buffer, ptr, len);
  };
  const setU8 = (ptr: number, v: number) => (check(ptr, 1), view().setUint8(ptr, v));
  const setU16 = (ptr: number, v: number) => (check(ptr, 2), view().setUint16(ptr, v, true));
  const setU32 = (ptr: number, v: number) => (check(ptr, 4), view().setUint32(ptr, v, true));
  const setU64 = (ptr: number, v: bigint) => (check(ptr, 8), view().setBigUint64(ptr, BigInt.asUintN(64, v), true));
  const getU32 = (ptr: number) => (check(ptr, 4), view().getUint32(ptr, true));
  const getU64 = (ptr: number) => (check(ptr, 8), view().getBigUint64(ptr, true));
  const getU16 = (ptr: number) => (check(ptr, 2), view().getUint16(ptr, true));
  const getU8 = (ptr: number) => (check(ptr, 1), view().getUint8(ptr));
  const text = (ptr: number, len: number) => {
    try {
      return decoder.decode(u8(ptr, len));
    } catch (error) {
      if (error instanceof TypeError) errnoFailure(errno.ilseq);
      throw error;
    }
  };
  /** The first non-empty buffer of an iovec array (or an empty one), as wasmtime reads and writes. */
  const firstBuffer = (iovs: number, count: number) => {
    for (let i = 0; i < count; i++) {
      const ptr = getU32(iovs + i * 8);
      const len = getU32(iovs + i * 8 + 4);
      if (len > 0) return u8(ptr, len);
    }
    return new Uint8Array(0);
  };

  // --- descriptor table -----------------------------------------------------------------------------------
  const entry = (fd: number) => table.get(fd) ?? errnoFailure(errno.badf);
  const file = (fd: number) => {
    const e = entry(fd);
    return e.kind === 'file' ? e : errnoFailure(errno.badf);
  };
  const directory = (fd: number) => {
    const e = entry(fd);
    return e.kind === 'directory' ? e.descriptor : errnoFailure(errno.badf);
  };
  /** File or directory, not a standard stream. */
  const descriptorOf = (fd: number) => {
    const e = entry(fd);
    return e.kind === 'file' || e.kind === 'directory' ? e.descriptor : errnoFailure(errno.badf);
  };
  /** Seekable: a file; the standard streams answer ESPIPE. */
  const seekable = (fd: number) => {
    const e = entry(fd);
    if (e.kind === 'file') return e;
    return errnoFailure(e.kind === 'directory' ? errno.badf : errno.spipe);
  };
  const push = (e: Entry): number => {
    let fd: number;
    if (free.size) {
      // Reuse the highest free number, as wasmtime does.
      fd = Math.max(...free);
      free.delete(fd);
    } else fd = table.size === 0 ? 0 : Math.max(...table.keys()) + 1;
    table.set(fd, e);
    return fd;
  };

  const writeFilestat = (ptr: number, stat: DescriptorStat, ino: bigint, dev: bigint) => {
    if (options.unstable) {
      check(ptr, 56);
      setU64(ptr, dev);
      setU64(ptr + 8, ino);
      setU8(ptr + 16, p1Filetype(stat.type));
      setU32(ptr + 20, Number(stat.linkCount));
      setU64(ptr + 24, stat.size);
      setU64(ptr + 32, toNs(stat.dataAccessTimestamp));
      setU64(ptr + 40, toNs(stat.dataModificationTimestamp));
      setU64(ptr + 48, toNs(stat.statusChangeTimestamp));
      return;
    }
    check(ptr, 64);
    u8(ptr, 64).fill(0);
    setU64(ptr, dev);
    setU64(ptr + 8, ino);
    setU8(ptr + 16, p1Filetype(stat.type));
    setU64(ptr + 24, stat.linkCount);
    setU64(ptr + 32, stat.size);
    setU64(ptr + 40, toNs(stat.dataAccessTimestamp));
    setU64(ptr + 48, toNs(stat.dataModificationTimestamp));
    setU64(ptr + 56, toNs(stat.statusChangeTimestamp));
  };

  const refuseNetwork = (call: string) =>
    options.refuse({ capability: 'sockets', call, detail: 'a socket operation (no socket is granted: the network is off)' });

  // --- the functions ----------------------------------------------------------------------------------------
  const functions: Record<string, (...a: number[]) => number | void> = {
    args_get(argv, buf) {
      let at = buf >>> 0;
      options.args.forEach((arg, i) => {
        const bytes = encoder.encode(arg);
        setU32((argv >>> 0) + i * 4, at);
        u8(at, bytes.length + 1).set([...bytes, 0]);
        at += bytes.length + 1;
      });
    },
    args_sizes_get(countPtr, sizePtr) {
      setU32(countPtr >>> 0, options.args.length);
      setU32(
        sizePtr >>> 0,
        options.args.reduce((n, a) => n + encoder.encode(a).length + 1, 0),
      );
    },
    environ_get(environ, buf) {
      let at = buf >>> 0;
      Object.entries(options.env).forEach(([k, v], i) => {
        const bytes = encoder.encode(`${k}=${v}`);
        setU32((environ >>> 0) + i * 4, at);
        u8(at, bytes.length + 1).set([...bytes, 0]);
        at += bytes.length + 1;
      });
    },
    environ_sizes_get(countPtr, sizePtr) {
      const pairs = Object.entries(options.env);
      setU32(countPtr >>> 0, pairs.length);
      setU32(
        sizePtr >>> 0,
        pairs.reduce((n, [k, v]) => n + encoder.encode(`${k}=${v}`).length + 1, 0),
      );
    },
    clock_res_get(id, ptr) {
      if (id === clockId.processCputime || id === clockId.threadCputime) return errno.badf;
      if (id !== clockId.realtime && id !== clockId.monotonic) return errno.inval;
      setU64(ptr >>> 0, clockResolution);
    },
    clock_time_get(id, _precision, ptr) {
      if (id === clockId.processCputime || id === clockId.threadCputime) return errno.badf;
      if (id !== clockId.realtime && id !== clockId.monotonic) return errno.inval;
      setU64(ptr >>> 0, id === clockId.realtime ? wallNow() : monotonicNow());
    },
    fd_advise(fd, offset, len, advice) {
      if (advice > 5) return errno.inval;
      file(fd).descriptor.advise(BigInt(offset), BigInt(len), 'normal');
    },
    fd_allocate(fd) {
      file(fd);
      return errno.notsup;
    },
    fd_close(fd) {
      const e = entry(fd);
      table.delete(fd);
      free.add(fd);
      if (e.kind === 'file' || e.kind === 'directory') e.descriptor.close();
    },
    fd_datasync(fd) {
      file(fd).descriptor.syncData();
    },
    fd_sync(fd) {
      file(fd).descriptor.sync();
    },
    fd_fdstat_get(fd, ptr) {
      const e = entry(fd);
      const out = ptr >>> 0;
      check(out, 24);
      u8(out, 24).fill(0);
      const write = (type: number, flags: number, base: bigint, inheriting: bigint) => {
        setU8(out, type);
        setU16(out + 2, flags);
        setU64(out + 8, base);
        setU64(out + 16, inheriting);
      };
      if (e.kind === 'stdin' || e.kind === 'stdout' || e.kind === 'stderr') {
        const rights = e.kind === 'stdin' ? right.fdRead : right.fdWrite;
        return void write(isTerminal(fd) ? filetype.characterDevice : filetype.unknown, 0, rights, rights);
      }
      if (e.kind === 'directory' && e.preopen !== undefined) return void write(filetype.directory, 0, preopenRights, preopenInheriting);
      const flags = e.descriptor.getFlags();
      const type = p1Filetype(e.descriptor.getType());
      let rights = allRights;
      if (type === filetype.directory) rights &= ~(right.fdSeek | right.fdFilestatSetSize | right.pathFilestatSetSize);
      if (!flags.read) rights &= ~(right.fdRead | right.fdReaddir);
      if (!flags.write) rights &= ~right.fdWrite;
      let fsFlags = 0;
      if (flags.dataIntegritySync) fsFlags |= fdflag.dsync;
      if (flags.requestedWriteSync) fsFlags |= fdflag.rsync;
      if (flags.fileIntegritySync) fsFlags |= fdflag.sync;
      if (e.kind === 'file' && e.append) fsFlags |= fdflag.append;
      if (e.kind === 'file' && e.nonblocking) fsFlags |= fdflag.nonblock;
      write(type, fsFlags, rights, rights);
    },
    fd_fdstat_set_flags(fd, flags) {
      const f = file(fd);
      if (flags & (fdflag.dsync | fdflag.sync | fdflag.rsync)) return errno.inval;
      f.append = Boolean(flags & fdflag.append);
      f.nonblocking = Boolean(flags & fdflag.nonblock);
    },
    fd_fdstat_set_rights(fd) {
      descriptorOf(fd);
      return errno.notsup;
    },
    fd_filestat_get(fd, ptr) {
      const e = entry(fd);
      if (e.kind === 'stdin' || e.kind === 'stdout' || e.kind === 'stderr') {
        return void writeFilestat(ptr >>> 0, { type: isTerminal(fd) ? 'character-device' : 'unknown', linkCount: 0n, size: 0n }, 0n, 0n);
      }
      const hash = e.descriptor.metadataHash();
      writeFilestat(ptr >>> 0, e.descriptor.stat(), hash.lower, hash.upper);
    },
    fd_filestat_set_size(fd, size) {
      file(fd).descriptor.setSize(BigInt(size));
    },
    fd_filestat_set_times(fd, atim, mtim, flags) {
      const atime = timestamp(Boolean(flags & fstflag.atim), BigInt(atim), Boolean(flags & fstflag.atimNow));
      const mtime = timestamp(Boolean(flags & fstflag.mtim), BigInt(mtim), Boolean(flags & fstflag.mtimNow));
      descriptorOf(fd).setTimes(atime, mtime);
    },
    fd_read(fd, iovs, count, nreadPtr) {
      const buffer = firstBuffer(iovs >>> 0, count >>> 0);
      const e = entry(fd);
      let n: number;
      if (e.kind === 'file') {
        const [bytes] = e.descriptor.read(BigInt(buffer.length), e.position);
        buffer.set(bytes);
        e.position += BigInt(bytes.length);
        n = bytes.length;
      } else if (e.kind === 'stdin') {
        const bytes = buffer.length ? stdin().read(buffer.length, true) : new Uint8Array(0);
        if (bytes) buffer.set(bytes);
        n = bytes?.length ?? 0;
      } else return errno.badf;
      setU32(nreadPtr >>> 0, n);
    },
    fd_pread(fd, iovs, count, offset, nreadPtr) {
      const buffer = firstBuffer(iovs >>> 0, count >>> 0);
      const e = entry(fd);
      if (e.kind === 'stdin') return errno.spipe;
      if (e.kind !== 'file') return errno.badf;
      const [bytes] = e.descriptor.read(BigInt(buffer.length), BigInt.asUintN(64, BigInt(offset)));
      buffer.set(bytes);
      setU32(nreadPtr >>> 0, bytes.length);
    },
    fd_write(fd, iovs, count, nwrittenPtr) {
      const buffer = firstBuffer(iovs >>> 0, count >>> 0);
      const e = entry(fd);
      if (e.kind === 'stdout' || e.kind === 'stderr') {
        writeAll(e.kind === 'stdout' ? 1 : 2, buffer);
        return void setU32(nwrittenPtr >>> 0, buffer.length);
      }
      if (e.kind !== 'file') return errno.badf;
      // Copied: the guest's memory may move if a write ever re-entered it.
      const bytes = buffer.slice();
      let n: number;
      if (e.append) {
        n = e.descriptor.append(bytes);
        e.position = e.descriptor.stat().size;
      } else {
        n = Number(e.descriptor.write(bytes, e.position));
        e.position += BigInt(n);
      }
      setU32(nwrittenPtr >>> 0, n);
    },
    fd_pwrite(fd, iovs, count, offset, nwrittenPtr) {
      const buffer = firstBuffer(iovs >>> 0, count >>> 0);
      const e = entry(fd);
      if (e.kind === 'stdout' || e.kind === 'stderr') return errno.spipe;
      if (e.kind !== 'file') return errno.badf;
      // Linux ignores the offset of a pwrite to a file opened for appending; so does wasmtime.
      const n = e.append
        ? e.descriptor.append(buffer.slice())
        : Number(e.descriptor.write(buffer.slice(), BigInt.asUintN(64, BigInt(offset))));
      setU32(nwrittenPtr >>> 0, n);
    },
    fd_prestat_get(fd, ptr) {
      // A C program asks for the granted directories at start-up: with none, this is the only sign it wanted files.
      if (fd === 3 && options.preopens.length === 0)
        options.refuse({ capability: 'filesystem', call: 'fd_prestat_get', detail: 'it looked for granted directories and found none' });
      const e = entry(fd);
      if (e.kind !== 'directory' || e.preopen === undefined) return errno.badf;
      setU8(ptr >>> 0, 0);
      setU32((ptr >>> 0) + 4, encoder.encode(e.preopen).length);
    },
    fd_prestat_dir_name(fd, ptr, len) {
      const e = entry(fd);
      if (e.kind !== 'directory' || e.preopen === undefined) return errno.notdir;
      const bytes = encoder.encode(e.preopen);
      if (bytes.length > len >>> 0) return errno.nametoolong;
      u8(ptr >>> 0, bytes.length).set(bytes);
    },
    fd_readdir(fd, buf, bufLen, cookie, usedPtr) {
      const dir = directory(fd);
      const listing = dir.readDirectory().all();
      const own = dir.metadataHash().lower;
      const records: { ino: bigint; type: number; name: Uint8Array }[] = [
        { ino: own, type: filetype.directory, name: encoder.encode('.') },
        { ino: own, type: filetype.directory, name: encoder.encode('..') },
      ];
      const start = BigInt.asUintN(64, BigInt(cookie));
      for (const item of listing) {
        // Only entries at or past the cookie need their inode (one lstat each).
        const index = BigInt(records.length);
        let ino = 0n;
        if (index >= start) {
          try {
            ino = dir.metadataHashAt({}, item.name).lower;
          } catch {
            // Gone since listing: keep it with no inode rather than fail the whole read.
          }
        }
        records.push({ ino, type: p1Filetype(item.type), name: encoder.encode(item.name) });
      }
      const out = buf >>> 0;
      const capacity = bufLen >>> 0;
      const bytes: number[] = [];
      for (
        let i = Number(start > BigInt(records.length) ? BigInt(records.length) : start);
        i < records.length && bytes.length < capacity;
        i++
      ) {
        const record = records[i]!;
        const header = new DataView(new ArrayBuffer(24));
        header.setBigUint64(0, BigInt(i + 1), true);
        header.setBigUint64(8, record.ino, true);
        header.setUint32(16, record.name.length, true);
        header.setUint8(20, record.type);
        bytes.push(...new Uint8Array(header.buffer), ...record.name);
      }
      const used = Math.min(bytes.length, capacity);
      u8(out, used).set(bytes.slice(0, used));
      setU32(usedPtr >>> 0, used);
    },
    fd_renumber(from, to) {
      if (!table.has(to)) return errno.badf;
      const e = entry(from);
      if (from === to) return;
      const replaced = table.get(to)!;
      if (replaced.kind === 'file' || replaced.kind === 'directory') replaced.descriptor.close();
      table.delete(from);
      free.add(from);
      free.delete(to);
      table.set(to, e);
    },
    fd_seek(fd, delta, whence, newPtr) {
      const f = seekable(fd);
      const offset = BigInt(delta);
      const [set, cur, end] = options.unstable ? [2, 0, 1] : [0, 1, 2];
      let position: bigint;
      if (whence === set) position = offset;
      else if (whence === cur) position = f.position + offset;
      else if (whence === end) position = f.descriptor.stat().size + offset;
      else return errno.inval;
      if (position < 0n || position > 0xffffffffffffffffn) return errno.inval;
      f.position = position;
      setU64(newPtr >>> 0, position);
    },
    fd_tell(fd, ptr) {
      setU64(ptr >>> 0, seekable(fd).position);
    },
    path_create_directory(fd, path, len) {
      directory(fd).createDirectoryAt(text(path >>> 0, len >>> 0));
    },
    path_filestat_get(fd, flags, path, len, ptr) {
      const dir = directory(fd);
      const name = text(path >>> 0, len >>> 0);
      const follow = { symlinkFollow: Boolean(flags & 1) };
      const stat = dir.statAt(follow, name);
      const hash = dir.metadataHashAt(follow, name);
      writeFilestat(ptr >>> 0, stat, hash.lower, hash.upper);
    },
    path_filestat_set_times(fd, flags, path, len, atim, mtim, fst) {
      const atime = timestamp(Boolean(fst & fstflag.atim), BigInt(atim), Boolean(fst & fstflag.atimNow));
      const mtime = timestamp(Boolean(fst & fstflag.mtim), BigInt(mtim), Boolean(fst & fstflag.mtimNow));
      directory(fd).setTimesAt({ symlinkFollow: Boolean(flags & 1) }, text(path >>> 0, len >>> 0), atime, mtime);
    },
    path_link(oldFd, oldFlags, oldPath, oldLen, newFd, newPath, newLen) {
      const from = directory(oldFd);
      const to = directory(newFd);
      from.linkAt({ symlinkFollow: Boolean(oldFlags & 1) }, text(oldPath >>> 0, oldLen >>> 0), to, text(newPath >>> 0, newLen >>> 0));
    },
    path_open(fd, dirflags, path, len, oflags, rightsBase, _rightsInheriting, fdflags, fdPtr) {
      const e = entry(fd);
      if (e.kind === 'file') return errno.notdir;
      if (e.kind !== 'directory') return errno.badf;
      const name = text(path >>> 0, len >>> 0);
      const rights = BigInt(rightsBase);
      const opened = e.descriptor.openAt(
        { symlinkFollow: Boolean(dirflags & 1) },
        name,
        {
          create: Boolean(oflags & oflag.creat),
          directory: Boolean(oflags & oflag.directory),
          exclusive: Boolean(oflags & oflag.excl),
          truncate: Boolean(oflags & oflag.trunc),
        },
        {
          read: (rights & right.fdRead) !== 0n,
          write: (rights & right.fdWrite) !== 0n,
          fileIntegritySync: Boolean(fdflags & fdflag.sync),
          dataIntegritySync: Boolean(fdflags & fdflag.dsync),
          requestedWriteSync: Boolean(fdflags & fdflag.rsync),
        },
      );
      const next =
        opened.getType() === 'directory'
          ? push({ kind: 'directory', descriptor: opened })
          : push({
              kind: 'file',
              descriptor: opened,
              position: 0n,
              append: Boolean(fdflags & fdflag.append),
              nonblocking: Boolean(fdflags & fdflag.nonblock),
            });
      try {
        setU32(fdPtr >>> 0, next);
      } catch (error) {
        table.delete(next);
        opened.close();
        throw error;
      }
    },
    path_readlink(fd, path, len, buf, bufLen, usedPtr) {
      const target = encoder.encode(directory(fd).readlinkAt(text(path >>> 0, len >>> 0)));
      const n = Math.min(target.length, bufLen >>> 0);
      u8(buf >>> 0, n).set(target.subarray(0, n));
      setU32(usedPtr >>> 0, n);
    },
    path_remove_directory(fd, path, len) {
      directory(fd).removeDirectoryAt(text(path >>> 0, len >>> 0));
    },
    path_rename(fd, oldPath, oldLen, newFd, newPath, newLen) {
      const from = directory(fd);
      const to = directory(newFd);
      from.renameAt(text(oldPath >>> 0, oldLen >>> 0), to, text(newPath >>> 0, newLen >>> 0));
    },
    path_symlink(oldPath, oldLen, fd, newPath, newLen) {
      const dir = directory(fd);
      dir.symlinkAt(text(oldPath >>> 0, oldLen >>> 0), text(newPath >>> 0, newLen >>> 0));
    },
    path_unlink_file(fd, path, len) {
      directory(fd).unlinkFileAt(text(path >>> 0, len >>> 0));
    },
    poll_oneoff(subsPtr, eventsPtr, count, neventsPtr) {
      const n = count >>> 0;
      if (n === 0) return errno.inval;
      const size = options.unstable ? 56 : 48;
      const subs = Array.from({ length: n }, (_, i) => readSubscription((subsPtr >>> 0) + i * size));
      // One relative timer: a plain sleep (wasmtime's special case, with its event shape).
      const only = subs[0]!;
      if (n === 1 && only.type === 0 && !only.absolute) {
        sleepMs(Number(only.timeout) / 1e6);
        writeEvent(eventsPtr >>> 0, only.userdata, 0, 0, 1n, 0);
        return void setU32(neventsPtr >>> 0, 1);
      }
      const pollables: Pollable[] = subs.map((sub) => {
        if (sub.type === 0) {
          if (sub.clock === clockId.monotonic) return new TimerPollable(sub.absolute ? sub.timeout : monotonicNow() + sub.timeout);
          if (sub.clock === clockId.realtime) {
            const delay = sub.absolute ? sub.timeout - wallNow() : sub.timeout;
            return new TimerPollable(monotonicNow() + (delay > 0n ? delay : 0n));
          }
          return errnoFailure(errno.inval);
        }
        const e = entry(sub.fd);
        if (sub.type === 1) {
          if (e.kind === 'stdin') return new StdinPollable();
          if (e.kind === 'file') return new Pollable();
          return errnoFailure(errno.badf);
        }
        if (sub.type === 2) {
          if (e.kind === 'stdout' || e.kind === 'stderr' || e.kind === 'file') return new Pollable();
          return errnoFailure(errno.badf);
        }
        return errnoFailure(errno.inval);
      });
      const ready = poll(pollables);
      let written = 0;
      for (const index of ready) {
        const sub = subs[index]!;
        let flags = 0;
        if (sub.type === 1) {
          const e = entry(sub.fd);
          if (e.kind === 'file') {
            const size = e.descriptor.stat().size;
            if (size <= e.position) flags = 1; // hangup: at the end of the file
          }
        }
        writeEvent((eventsPtr >>> 0) + written * 32, sub.userdata, 0, sub.type, sub.type === 0 ? 0n : 1n, flags);
        written++;
      }
      setU32(neventsPtr >>> 0, written);
    },
    proc_exit(code) {
      options.exit(code >>> 0);
    },
    proc_raise() {
      return errno.notsup;
    },
    sched_yield() {},
    random_get(buf, len) {
      randomFillSync(u8(buf >>> 0, len >>> 0));
    },
    sock_accept(fd) {
      entry(fd);
      refuseNetwork('sock_accept');
      return errno.notsock;
    },
    sock_recv(fd) {
      entry(fd);
      refuseNetwork('sock_recv');
      return errno.notsock;
    },
    sock_send(fd) {
      entry(fd);
      refuseNetwork('sock_send');
      return errno.notsock;
    },
    sock_shutdown(fd) {
      entry(fd);
      refuseNetwork('sock_shutdown');
      return errno.notsock;
    },
  };

  function readSubscription(ptr: number) {
    check(ptr, options.unstable ? 56 : 48);
    const userdata = getU64(ptr);
    const type = getU8(ptr + 8);
    if (options.unstable) {
      return {
        userdata,
        type,
        clock: getU32(ptr + 24),
        timeout: getU64(ptr + 32),
        absolute: (getU16(ptr + 48) & 1) === 1,
        fd: getU32(ptr + 16),
      };
    }
    return {
      userdata,
      type,
      clock: getU32(ptr + 16),
      timeout: getU64(ptr + 24),
      absolute: (getU16(ptr + 40) & 1) === 1,
      fd: getU32(ptr + 16),
    };
  }

  function writeEvent(ptr: number, userdata: bigint, error: number, type: number, nbytes: bigint, flags: number) {
    check(ptr, 32);
    u8(ptr, 32).fill(0);
    setU64(ptr, userdata);
    setU16(ptr + 8, error);
    setU8(ptr + 10, type);
    setU64(ptr + 16, nbytes);
    setU16(ptr + 24, flags);
  }

  // Every function returns an errno; failures of the layers below become the errno wasmtime returns.
  const imports: Record<string, Fn> = {};
  for (const [name, body] of Object.entries(functions)) {
    imports[name] = (...args) => {
      try {
        return (body as (...a: (number | bigint)[]) => number | void)(...args) ?? errno.success;
      } catch (error) {
        if (error instanceof WasiFailure) return errnoOf(error.payload);
        if (error instanceof Errno) return error.value;
        throw error;
      }
    };
  }
  return imports;
}

/** The preview1 functions this host provides (a module importing any other is refused before it starts). */
export const preview1Functions: ReadonlySet<string> = new Set(
  Object.keys(
    preview1Imports({ args: [], env: {}, preopens: [], unstable: false, refuse: () => undefined, exit: () => process.exit(1) }, () => {
      throw new Error('no memory');
    }),
  ),
);
