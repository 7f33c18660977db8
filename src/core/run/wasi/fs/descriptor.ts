/**
 * The capability-safe filesystem both WASI hosts stand on: a descriptor is a directory or file the layer holds
 * open, and a guest path is resolved here, one component at a time, from the descriptor it is relative to.
 *
 * Why by hand: node:wasi says it gives no filesystem security, and preview2-shim resolves a guest path again
 * from a stored host path on every call (a directory renamed and replaced by a symlink sends an old descriptor
 * elsewhere). Here:
 * - every step is taken from a directory held open (see host-paths.ts for how Node is made to do that);
 * - `..` pops back to a directory already held, and never above the descriptor the path started from;
 * - symlinks are read and followed by the layer, at most 40 of them, and an absolute target is refused;
 *   the kernel is never asked to follow one (O_NOFOLLOW on every open);
 * - what is opened is checked before it is handed out: its real location must lie in the grant;
 * - read-only is a property of the descriptor and of every directory granted read-only, wherever it is
 *   reached from: nothing below such a directory can be changed, linked out or renamed.
 * Methods and shapes are those of `wasi:filesystem/types.descriptor`; the preview1 host is written on top.
 */
import {
  closeSync,
  constants,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  renameSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeSync,
  type BigIntStats,
} from 'node:fs';
import type { CapabilityId } from '../../../capabilities';
import { errorCodeOf, fail, hostCall, WasiFailure, type ErrorCode } from '../errors';
import { ByteSink, ByteSource, failed, InputStream, OutputStream, Pollable } from '../io';
import { hostPaths, type Confinement, type HostPaths } from './host-paths';
import { setTimes, type Datetime, type NewTimestamp } from './times';

export type DescriptorType =
  'unknown' | 'block-device' | 'character-device' | 'directory' | 'fifo' | 'symbolic-link' | 'regular-file' | 'socket';

export interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  fileIntegritySync?: boolean;
  dataIntegritySync?: boolean;
  requestedWriteSync?: boolean;
  mutateDirectory?: boolean;
}
export interface PathFlags {
  symlinkFollow?: boolean;
}
export interface OpenFlags {
  create?: boolean;
  directory?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
}
export interface DescriptorStat {
  type: DescriptorType;
  linkCount: bigint;
  size: bigint;
  dataAccessTimestamp?: Datetime;
  dataModificationTimestamp?: Datetime;
  statusChangeTimestamp?: Datetime;
}
export interface DirectoryEntry {
  type: DescriptorType;
  name: string;
}
export interface MetadataHash {
  lower: bigint;
  upper: bigint;
}
export type { Datetime, NewTimestamp };

/** A refused attempt, for the run's notes. */
export interface FsRefusal {
  capability: CapabilityId;
  call: string;
  detail: string;
  /** A change under a read-only grant (the capability was granted, only read-only). */
  reason?: 'read-only';
}

/** A granted directory. */
export interface Grant {
  host: string;
  /** How the guest names it (preview1's prestat name, 0.2's preopen name). */
  guest: string;
  readOnly: boolean;
}

/** The name a refusal gives an operation (`open-at`): preview1 says `path_open`, 0.2 names the method. */
export type CallNames = (operation: string) => string;

/** What all descriptors of one run share. */
class Context {
  readonly paths: HostPaths;
  /** `dev:ino` of every directory granted read-only. */
  readonly readOnlyRoots = new Set<string>();
  constructor(
    readonly refuse: (refusal: FsRefusal) => void,
    readonly callName: CallNames,
    layer?: Confinement,
  ) {
    this.paths = hostPaths(layer);
  }
}

const maxSymlinks = 40;
/** What jco calls when a guest drops a resource handle. */
export const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');
const identity = (s: { dev: bigint; ino: bigint }) => `${s.dev}:${s.ino}`;
const typeOf = (s: BigIntStats): DescriptorType =>
  s.isFile()
    ? 'regular-file'
    : s.isDirectory()
      ? 'directory'
      : s.isSymbolicLink()
        ? 'symbolic-link'
        : s.isCharacterDevice()
          ? 'character-device'
          : s.isBlockDevice()
            ? 'block-device'
            : s.isFIFO()
              ? 'fifo'
              : s.isSocket()
                ? 'socket'
                : 'unknown';
const datetime = (ns: bigint): Datetime => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });
const statOf = (s: BigIntStats): DescriptorStat => ({
  type: typeOf(s),
  linkCount: s.nlink,
  size: s.size,
  dataAccessTimestamp: datetime(s.atimeNs),
  dataModificationTimestamp: datetime(s.mtimeNs),
  statusChangeTimestamp: datetime(s.ctimeNs),
});

/** The outcome of resolving a guest path: the directory holding the last name, and that name. */
interface Resolved {
  /** Host descriptor of the directory that holds `name` (valid until `release`). */
  dir: number;
  /** The last component; `.` when the path names the starting directory itself. */
  name: string;
  /** The path ended in `/` (or `/.`): the name must be a directory. */
  mustBeDirectory: boolean;
  /** Whether `dir` lies in a read-only grant. */
  readOnly: boolean;
  release(): void;
}

export class Descriptor {
  readonly #context: Context;
  #fd: number;
  readonly #type: DescriptorType;
  readonly #readOnly: boolean;
  readonly #flags: DescriptorFlags;
  /** The real path of the grant this descriptor came from, to check what is opened through it. */
  readonly #grantRoot: string | undefined;
  /** How the guest reached it, for messages. */
  readonly #guestPath: string;

  private constructor(
    context: Context,
    fd: number,
    type: DescriptorType,
    readOnly: boolean,
    flags: DescriptorFlags,
    grantRoot: string | undefined,
    guestPath: string,
  ) {
    this.#context = context;
    this.#fd = fd;
    this.#type = type;
    this.#readOnly = readOnly;
    this.#flags = flags;
    this.#grantRoot = grantRoot;
    this.#guestPath = guestPath;
  }

  /** Opens the granted directories; refusals of every descriptor reached from them go to `refuse`. */
  static preopen(grants: readonly Grant[], refuse: (refusal: FsRefusal) => void, callName: CallNames, layer?: Confinement): Descriptor[] {
    const context = new Context(refuse, callName, layer);
    const opened = grants.map((grant) => {
      const fd = openSync(grant.host, constants.O_RDONLY | constants.O_DIRECTORY);
      context.paths.opened(fd, grant.host);
      const stat = fstatSync(fd, { bigint: true });
      if (grant.readOnly) context.readOnlyRoots.add(identity(stat));
      return { grant, fd };
    });
    return opened.map(({ grant, fd }) => {
      const root = context.paths.locate(fd);
      return new Descriptor(
        context,
        fd,
        'directory',
        grant.readOnly || context.readOnlyRoots.has(identity(fstatSync(fd, { bigint: true }))),
        { read: true, mutateDirectory: !grant.readOnly },
        root,
        grant.guest,
      );
    });
  }

  /**
   * A second descriptor for the same open directory or file, with its own host descriptor: every
   * `get-directories` call hands out new handles (the guest may drop one and keep using another).
   */
  duplicate(): Descriptor {
    const fd = hostCall(() =>
      openSync(
        this.#context.paths.self(this.#open()),
        this.#type === 'directory' ? constants.O_RDONLY | constants.O_DIRECTORY : this.#flags.write ? constants.O_RDWR : constants.O_RDONLY,
      ),
    );
    this.#context.paths.opened(fd, this.#context.paths.self(this.#fd));
    return new Descriptor(this.#context, fd, this.#type, this.#readOnly, this.#flags, this.#grantRoot, this.#guestPath);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Resolution

  #open(): number {
    if (this.#fd < 0) fail('bad-descriptor');
    return this.#fd;
  }

  #isReadOnlyRoot(fd: number): boolean {
    return this.#context.readOnlyRoots.size > 0 && this.#context.readOnlyRoots.has(identity(fstatSync(fd, { bigint: true })));
  }

  #refuse(operation: string, detail: string, code: ErrorCode): never {
    this.#context.refuse({
      capability: 'filesystem',
      call: this.#context.callName(operation),
      detail,
      ...(code === 'read-only' ? { reason: 'read-only' as const } : {}),
    });
    fail(code);
  }

  #where(path: string): string {
    return this.#guestPath === '.' ? path : `${this.#guestPath.replace(/\/+$/, '')}/${path}`;
  }

  /** Resolves `path` from this directory without leaving it; see the file comment for the rules. */
  #resolve(call: string, path: string, followLast: boolean): Resolved {
    const start = this.#open();
    if (this.#type !== 'directory') fail('not-directory');
    if (path === '') fail('no-entry');
    if (path.includes('\0')) fail('invalid');
    if (path.startsWith('/'))
      this.#refuse(call, `the absolute path "${path}" (paths are relative to a granted directory)`, 'not-permitted');
    const { paths } = this.#context;
    const held: number[] = [];
    const stack: { fd: number; readOnly: boolean }[] = [{ fd: start, readOnly: this.#readOnly }];
    const release = () => {
      for (const fd of held.splice(0)) {
        paths.closed(fd);
        closeSync(fd);
      }
    };
    const pending = path.split('/');
    let followed = 0;
    const follow = (dir: number, name: string) => {
      if (++followed > maxSymlinks) fail('loop');
      const target = hostCall(() => readlinkSync(paths.entry(dir, name)));
      if (target.startsWith('/'))
        this.#refuse(
          call,
          `the symlink "${this.#where(path)}" points to the absolute path "${target}", outside the granted directories`,
          'not-permitted',
        );
      pending.unshift(...target.split('/'));
    };
    try {
      for (;;) {
        const top = stack[stack.length - 1]!;
        const part = pending.shift();
        if (part === undefined) return { dir: top.fd, name: '.', mustBeDirectory: true, readOnly: top.readOnly, release };
        if (part === '' || part === '.') continue;
        if (part === '..') {
          if (stack.length === 1) this.#refuse(call, `"${this.#where(path)}" leads outside the granted directory`, 'not-permitted');
          stack.pop();
          continue;
        }
        // The last name (only separators and dots may follow it) is not entered: the operation acts on it.
        if (pending.every((p) => p === '' || p === '.')) {
          const mustBeDirectory = pending.length > 0;
          if (followLast || mustBeDirectory) {
            const stat = lstatOrUndefined(paths.entry(top.fd, part));
            if (stat?.isSymbolicLink()) {
              follow(top.fd, part);
              continue;
            }
          }
          return { dir: top.fd, name: part, mustBeDirectory, readOnly: top.readOnly, release };
        }
        let fd: number;
        try {
          fd = openSync(paths.entry(top.fd, part), paths.lookupOnly | constants.O_DIRECTORY | constants.O_NOFOLLOW);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOTDIR' || code === 'ELOOP') {
            if (lstatOrUndefined(paths.entry(top.fd, part))?.isSymbolicLink()) {
              follow(top.fd, part);
              continue;
            }
            fail('not-directory');
          }
          throw error;
        }
        held.push(fd);
        paths.opened(fd, top.fd, part);
        stack.push({ fd, readOnly: top.readOnly || this.#isReadOnlyRoot(fd) });
      }
    } catch (error) {
      release();
      if (error instanceof WasiFailure) throw error;
      return fail(errorCodeOf(error));
    }
  }

  /** Resolves, runs `action` on the result, and releases what resolving opened. */
  #at<T>(call: string, path: string, followLast: boolean, action: (r: Resolved) => T): T {
    const resolved = this.#resolve(call, path, followLast);
    try {
      return hostCall(() => action(resolved));
    } finally {
      resolved.release();
    }
  }

  /** Refuses a change below a read-only grant (or to an entry that is itself a read-only grant). */
  #mustChange(call: string, what: string, resolved: Resolved, name = resolved.name): void {
    if (resolved.readOnly || (name !== '.' && this.#entryIsReadOnlyRoot(resolved.dir, name))) {
      this.#refuse(call, `${what} in a read-only directory`, 'read-only');
    }
  }

  #entryIsReadOnlyRoot(dir: number, name: string): boolean {
    if (this.#context.readOnlyRoots.size === 0) return false;
    const stat = lstatOrUndefined(this.#context.paths.entry(dir, name), true);
    return stat !== undefined && stat.isDirectory() && this.#context.readOnlyRoots.has(identity(stat as BigIntStats));
  }

  /** Checks that a newly opened descriptor lies in the grant; closes it and refuses otherwise. */
  #verify(fd: number, guestPath: string): void {
    const root = this.#grantRoot;
    if (this.#context.paths.confinement !== 'descriptor' || root === undefined) return;
    const where = this.#context.paths.locate(fd);
    const inside = where !== undefined && (root === '/' || where === root || where.startsWith(`${root}/`));
    if (!inside) {
      closeSync(fd);
      this.#refuse('open-at', `"${guestPath}" resolved outside the granted directory`, 'not-permitted');
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // wasi:filesystem/types.descriptor

  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Descriptor {
    const call = 'open-at';
    const resolved = this.#resolve(call, path, Boolean(pathFlags.symlinkFollow));
    const { paths } = this.#context;
    try {
      const wantsChange = openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory;
      if (wantsChange) this.#mustChange(call, `write to "${this.#where(path)}"`, resolved);
      if (openFlags.directory && (flags.write || openFlags.truncate)) fail('is-directory');
      const access = flags.write ? (flags.read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
      let fd: number;
      if (resolved.name === '.') {
        if (openFlags.create && openFlags.exclusive) fail('exist');
        if (flags.write || openFlags.truncate) fail('is-directory');
        fd = hostCall(() => openSync(paths.self(resolved.dir), constants.O_RDONLY | constants.O_DIRECTORY));
        paths.opened(fd, paths.self(resolved.dir));
      } else {
        const mode =
          access |
          constants.O_NOFOLLOW |
          (openFlags.create ? constants.O_CREAT : 0) |
          (openFlags.exclusive ? constants.O_EXCL : 0) |
          (openFlags.truncate ? constants.O_TRUNC : 0) |
          (openFlags.directory || resolved.mustBeDirectory ? constants.O_DIRECTORY : 0) |
          (flags.fileIntegritySync ? constants.O_SYNC : 0) |
          (flags.dataIntegritySync ? constants.O_DSYNC : 0);
        fd = hostCall(() => openSync(paths.entry(resolved.dir, resolved.name), mode, 0o666));
        paths.opened(fd, resolved.dir, resolved.name);
      }
      const stat = fstatSync(fd, { bigint: true });
      this.#verify(fd, this.#where(path));
      const type = typeOf(stat);
      const readOnly = resolved.readOnly || (type === 'directory' && this.#isReadOnlyRoot(fd));
      const opened: DescriptorFlags = { read: access !== constants.O_WRONLY, write: access !== constants.O_RDONLY };
      if (type === 'directory') opened.mutateDirectory = !readOnly;
      if (flags.fileIntegritySync) opened.fileIntegritySync = true;
      if (flags.dataIntegritySync) opened.dataIntegritySync = true;
      if (flags.requestedWriteSync) opened.requestedWriteSync = true;
      return new Descriptor(this.#context, fd, type, readOnly, opened, this.#grantRoot, this.#where(path));
    } catch (error) {
      if (error instanceof WasiFailure) throw error;
      return fail(errorCodeOf(error));
    } finally {
      resolved.release();
    }
  }

  statAt(pathFlags: PathFlags, path: string): DescriptorStat {
    return statOf(this.#statAt(pathFlags, path));
  }

  #statAt(pathFlags: PathFlags, path: string): BigIntStats {
    return this.#at('stat-at', path, Boolean(pathFlags.symlinkFollow), (r) => {
      const stat =
        r.name === '.' ? fstatSync(r.dir, { bigint: true }) : lstatSync(this.#context.paths.entry(r.dir, r.name), { bigint: true });
      if (r.mustBeDirectory && !stat.isDirectory()) fail('not-directory');
      return stat;
    });
  }

  setTimesAt(pathFlags: PathFlags, path: string, atime: NewTimestamp, mtime: NewTimestamp): void {
    this.#at('set-times-at', path, Boolean(pathFlags.symlinkFollow), (r) => {
      this.#mustChange('set-times-at', `change the times of "${this.#where(path)}"`, r);
      const target = r.name === '.' ? this.#context.paths.self(r.dir) : this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory && !lstatSync(target, { bigint: true }).isDirectory()) fail('not-directory');
      // Symlinks were resolved above: the kernel is never asked to follow one.
      setTimes(target, atime, mtime, r.name === '.');
    });
  }

  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    if (oldPathFlags.symlinkFollow) fail('invalid');
    this.#at('link-at', oldPath, false, (from) => {
      // A second name for a file of a read-only grant would let the other grant change it, and a link into a
      // read-only grant changes it: both directions are refused.
      this.#mustChange('link-at', `link "${this.#where(oldPath)}"`, from);
      newDescriptor.#at('link-at', newPath, false, (to) => {
        newDescriptor.#mustChange('link-at', `create "${newDescriptor.#where(newPath)}"`, to);
        if (from.name === '.' || to.name === '.') fail(from.name === '.' ? 'not-permitted' : 'exist');
        const source = this.#context.paths.entry(from.dir, from.name);
        const sourceStat = lstatSync(source, { bigint: true });
        if (from.mustBeDirectory && !sourceStat.isDirectory()) fail('not-directory');
        const target = this.#context.paths.entry(to.dir, to.name);
        // As Linux answers a trailing slash on the new name: it exists, or there is nothing to link into.
        if (to.mustBeDirectory) fail(lstatOrUndefined(target) ? 'exist' : 'no-entry');
        linkSync(source, target);
      });
    });
  }

  readlinkAt(path: string): string {
    return this.#at('readlink-at', path, false, (r) => {
      if (r.name === '.') fail('invalid');
      const entry = this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory) {
        const stat = lstatSync(entry);
        fail(stat.isDirectory() ? 'invalid' : 'not-directory');
      }
      return readlinkSync(entry);
    });
  }

  createDirectoryAt(path: string): void {
    this.#at('create-directory-at', path, false, (r) => {
      this.#mustChange('create-directory-at', `create "${this.#where(path)}"`, r);
      if (r.name === '.') fail('exist');
      mkdirSync(this.#context.paths.entry(r.dir, r.name));
    });
  }

  removeDirectoryAt(path: string): void {
    this.#at('remove-directory-at', path, false, (r) => {
      if (r.name === '.') fail('invalid');
      this.#mustChange('remove-directory-at', `remove "${this.#where(path)}"`, r);
      rmdirSync(this.#context.paths.entry(r.dir, r.name));
    });
  }

  unlinkFileAt(path: string): void {
    this.#at('unlink-file-at', path, false, (r) => {
      if (r.name === '.') fail('is-directory');
      this.#mustChange('unlink-file-at', `remove "${this.#where(path)}"`, r);
      const entry = this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory) {
        const stat = lstatSync(entry);
        fail(stat.isDirectory() ? 'is-directory' : 'not-directory');
      }
      unlinkSync(entry);
    });
  }

  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    this.#at('rename-at', oldPath, false, (from) => {
      this.#mustChange('rename-at', `move "${this.#where(oldPath)}"`, from);
      newDescriptor.#at('rename-at', newPath, false, (to) => {
        newDescriptor.#mustChange('rename-at', `replace "${newDescriptor.#where(newPath)}"`, to);
        if (from.name === '.' || to.name === '.') fail('busy');
        const source = this.#context.paths.entry(from.dir, from.name);
        const target = this.#context.paths.entry(to.dir, to.name);
        if (from.mustBeDirectory || to.mustBeDirectory) {
          // POSIX: a trailing slash on either side means both must be directories.
          if (!lstatSync(source).isDirectory()) fail('not-directory');
        }
        renameSync(source, target);
      });
    });
  }

  symlinkAt(oldPath: string, newPath: string): void {
    this.#at('symlink-at', newPath, false, (r) => {
      this.#mustChange('symlink-at', `create "${this.#where(newPath)}"`, r);
      // A symlink to an absolute path could never be followed here; wasmtime refuses to create one too.
      if (oldPath.startsWith('/')) this.#refuse('symlink-at', `a symlink to the absolute path "${oldPath}"`, 'not-permitted');
      if (r.name === '.') fail('exist');
      const entry = this.#context.paths.entry(r.dir, r.name);
      if (r.mustBeDirectory) {
        const stat = lstatOrUndefined(entry);
        fail(stat ? 'exist' : 'no-entry');
      }
      symlinkSync(oldPath, entry);
    });
  }

  readDirectory(): DirectoryEntryStream {
    const fd = this.#open();
    if (this.#type !== 'directory') fail('not-directory');
    const entries = hostCall(() => readdirSync(this.#context.paths.self(fd), { withFileTypes: true }));
    const listed = entries.map((entry) => {
      let type: DescriptorType = entry.isFile()
        ? 'regular-file'
        : entry.isDirectory()
          ? 'directory'
          : entry.isSymbolicLink()
            ? 'symbolic-link'
            : entry.isCharacterDevice()
              ? 'character-device'
              : entry.isBlockDevice()
                ? 'block-device'
                : entry.isFIFO()
                  ? 'fifo'
                  : entry.isSocket()
                    ? 'socket'
                    : 'unknown';
      if (type === 'unknown') {
        const stat = lstatOrUndefined(this.#context.paths.entry(fd, entry.name), true);
        if (stat) type = typeOf(stat as BigIntStats);
      }
      return { type, name: entry.name };
    });
    return new DirectoryEntryStream(listed);
  }

  stat(): DescriptorStat {
    return statOf(hostCall(() => fstatSync(this.#open(), { bigint: true })));
  }

  getType(): DescriptorType {
    this.#open();
    return this.#type;
  }

  getFlags(): DescriptorFlags {
    this.#open();
    return { ...this.#flags };
  }

  setSize(size: bigint): void {
    const fd = this.#file();
    this.#mustWriteFile('set-size', `resize "${this.#guestPath}"`);
    if (!this.#flags.write) fail('bad-descriptor');
    hostCall(() => ftruncateSync(fd, Number(size)));
  }

  setTimes(atime: NewTimestamp, mtime: NewTimestamp): void {
    const fd = this.#open();
    if (this.#readOnly) this.#refuse('set-times', `change the times of "${this.#guestPath}" in a read-only directory`, 'read-only');
    hostCall(() => setTimes(this.#context.paths.self(fd), atime, mtime, true));
  }

  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    const fd = this.#file();
    if (!this.#flags.read) fail('bad-descriptor');
    const buffer = new Uint8Array(Number(length > 0x7fffffffn ? 0x7fffffffn : length));
    const count = hostCall(() => readSync(fd, buffer, 0, buffer.length, this.#seekable() ? offset : null));
    return [buffer.subarray(0, count), count === 0 && buffer.length > 0];
  }

  write(buffer: Uint8Array, offset: bigint): bigint {
    const fd = this.#file();
    this.#mustWriteFile('write', `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail('bad-descriptor');
    return BigInt(hostCall(() => writeSync(fd, buffer, 0, buffer.length, this.#seekable() ? Number(offset) : null)));
  }

  readViaStream(offset: bigint): InputStream {
    const fd = this.#file();
    if (!this.#flags.read) fail('bad-descriptor');
    let position = offset;
    const seekable = this.#seekable();
    const source: ByteSource = {
      read: (max) => {
        const buffer = new Uint8Array(Math.min(max, 1 << 20));
        let count: number;
        try {
          count = readSync(fd, buffer, 0, buffer.length, seekable ? position : null);
        } catch (error) {
          throw failed(String((error as Error).message), errorCodeOf(error));
        }
        if (count === 0 && buffer.length > 0) return undefined;
        position += BigInt(count);
        return buffer.subarray(0, count);
      },
      pollable: () => new Pollable(),
    };
    return new InputStream(source);
  }

  writeViaStream(offset: bigint): OutputStream {
    const fd = this.#file();
    this.#mustWriteFile('write-via-stream', `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail('bad-descriptor');
    let position = offset;
    const seekable = this.#seekable();
    return new OutputStream(
      this.#sink(fd, (bytes) => {
        const written = writeAllAt(fd, bytes, seekable ? Number(position) : null);
        position += BigInt(written);
      }),
    );
  }

  appendViaStream(): OutputStream {
    const fd = this.#file();
    this.#mustWriteFile('append-via-stream', `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail('bad-descriptor');
    const seekable = this.#seekable();
    return new OutputStream(
      this.#sink(fd, (bytes) => void writeAllAt(fd, bytes, seekable ? Number(fstatSync(fd, { bigint: true }).size) : null)),
    );
  }

  /** Appends at the end (preview1's O_APPEND files). */
  append(bytes: Uint8Array): number {
    const fd = this.#file();
    this.#mustWriteFile('write', `write to "${this.#guestPath}"`);
    if (!this.#flags.write) fail('bad-descriptor');
    return hostCall(() => writeAllAt(fd, bytes, this.#seekable() ? Number(fstatSync(fd, { bigint: true }).size) : null));
  }

  #sink(fd: number, write: (bytes: Uint8Array) => void): ByteSink {
    return {
      write: (bytes) => {
        if (this.#fd !== fd) throw failed('the descriptor was closed', 'bad-descriptor');
        try {
          write(bytes);
        } catch (error) {
          throw failed(String((error as Error).message), errorCodeOf(error));
        }
      },
    };
  }

  advise(_offset: bigint, _length: bigint, _advice: string): void {
    this.#file();
  }

  syncData(): void {
    const fd = this.#open();
    hostCall(() => fdatasyncSync(fd));
  }

  sync(): void {
    const fd = this.#open();
    hostCall(() => fsyncSync(fd));
  }

  isSameObject(other: Descriptor): boolean {
    return identity(fstatSync(this.#open(), { bigint: true })) === identity(fstatSync(other.#open(), { bigint: true }));
  }

  metadataHash(): MetadataHash {
    const stat = hostCall(() => fstatSync(this.#open(), { bigint: true }));
    return { lower: stat.ino, upper: stat.dev };
  }

  metadataHashAt(pathFlags: PathFlags, path: string): MetadataHash {
    const stat = this.#statAt(pathFlags, path);
    return { lower: stat.ino, upper: stat.dev };
  }

  /** Closes the host descriptor (jco calls this when the guest drops its handle). */
  [symbolDispose](): void {
    this.close();
  }

  close(): void {
    if (this.#fd < 0) return;
    this.#context.paths.closed(this.#fd);
    closeSync(this.#fd);
    this.#fd = -1;
  }

  get isReadOnly(): boolean {
    return this.#readOnly;
  }

  /** The host descriptor of a file (not a directory): operations on data need one. */
  #file(): number {
    const fd = this.#open();
    if (this.#type === 'directory') fail('bad-descriptor');
    return fd;
  }

  #mustWriteFile(call: string, what: string): void {
    if (this.#readOnly) this.#refuse(call, `${what} in a read-only directory`, 'read-only');
  }

  #seekable(): boolean {
    return this.#type === 'regular-file' || this.#type === 'block-device';
  }
}

export class DirectoryEntryStream {
  #next = 0;
  constructor(private readonly entries: DirectoryEntry[]) {}
  readDirectoryEntry(): DirectoryEntry | undefined {
    return this.entries[this.#next++];
  }
  /** All entries, for preview1's fd_readdir. */
  all(): readonly DirectoryEntry[] {
    return this.entries;
  }
}

function lstatOrUndefined(path: string, bigint = false): ReturnType<typeof lstatSync> | BigIntStats | undefined {
  try {
    return bigint ? lstatSync(path, { bigint: true }) : lstatSync(path);
  } catch {
    return undefined;
  }
}

function writeAllAt(fd: number, bytes: Uint8Array, position: number | null): number {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done, position === null ? null : position + done);
  }
  return done;
}
