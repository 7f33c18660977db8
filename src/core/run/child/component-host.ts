/**
 * The host a WASI 0.2 component is linked to. Streams, clocks and random come from
 * @bytecodealliance/preview2-shim (Node implementation); everything where the shim's defaults grant more
 * than the plan is ours. Left alone, the shim gives the guest the whole process.env, process.argv and the
 * working directory, the network, and an `exit` that ends the process with 0 or 1; its preopens cannot be
 * read-only. Here the guest gets exactly the plan's grants: its arguments and variables, the granted
 * directories (read-only ones refuse every change), no network, and an exit code that is recorded instead
 * of ending the process. Every refusal is reported, as the preview1 guard does.
 */
import { posix } from 'node:path';
import { isatty } from 'node:tty';
import type { CapabilityId } from '../../capabilities';
import type { DeniedAccess, DirectoryGrant, RunGrants } from '../types';
import { onceEach } from './denials';

/** Thrown by wasi:cli/exit to unwind the guest back to the wasi:cli/run call. */
export class GuestExit extends Error {
  constructor(readonly code: number) {
    super(`the guest exited with code ${code}`);
  }
}

/** An interface's functions and resource classes: untyped at this boundary (generated JS on one side, the shim's JS on the other). */
type Interface = Record<PropertyKey, any>;
/** What jco's `instantiate` takes: interfaces by name without version (jco strips `@0.2.x` from import names). */
export type ImportObject = Record<string, Interface>;

export interface Host {
  imports: ImportObject;
  /** The code the guest passed to exit, once it has called it (even if it then caught the unwinding). */
  exitCode(): number | undefined;
  /**
   * Refusals that explain a failure but are no refusal after a success: the preview1 adapter lists the
   * granted directories at start-up whether or not the program wants files.
   */
  hints: DeniedAccess[];
}

export interface HostOptions {
  /** argv[0] as the guest sees it. */
  program: string;
  grants: RunGrants;
  report: (access: DeniedAccess) => void;
}

// Loaded only for the interfaces a component imports (ESM-only package, hence import()).
const shimPackages = {
  cli: () => import('@bytecodealliance/preview2-shim/cli'),
  clocks: () => import('@bytecodealliance/preview2-shim/clocks'),
  filesystem: () => import('@bytecodealliance/preview2-shim/filesystem'),
  io: () => import('@bytecodealliance/preview2-shim/io'),
  random: () => import('@bytecodealliance/preview2-shim/random'),
  sockets: () => import('@bytecodealliance/preview2-shim/sockets'),
  http: () => import('@bytecodealliance/preview2-shim/http'),
};
type ShimPackage = keyof typeof shimPackages;

/** Every interface this host provides, with the shim package that implements (or types) it. */
const providers: Record<string, ShimPackage> = {
  'wasi:cli/environment': 'cli',
  'wasi:cli/exit': 'cli',
  'wasi:cli/stdin': 'cli',
  'wasi:cli/stdout': 'cli',
  'wasi:cli/stderr': 'cli',
  'wasi:cli/terminal-input': 'cli',
  'wasi:cli/terminal-output': 'cli',
  'wasi:cli/terminal-stdin': 'cli',
  'wasi:cli/terminal-stdout': 'cli',
  'wasi:cli/terminal-stderr': 'cli',
  'wasi:clocks/monotonic-clock': 'clocks',
  'wasi:clocks/wall-clock': 'clocks',
  'wasi:filesystem/types': 'filesystem',
  'wasi:filesystem/preopens': 'filesystem',
  'wasi:io/error': 'io',
  'wasi:io/poll': 'io',
  'wasi:io/streams': 'io',
  'wasi:random/random': 'random',
  'wasi:random/insecure': 'random',
  'wasi:random/insecure-seed': 'random',
  'wasi:sockets/network': 'sockets',
  'wasi:sockets/instance-network': 'sockets',
  'wasi:sockets/ip-name-lookup': 'sockets',
  'wasi:sockets/tcp': 'sockets',
  'wasi:sockets/tcp-create-socket': 'sockets',
  'wasi:sockets/udp': 'sockets',
  'wasi:sockets/udp-create-socket': 'sockets',
  'wasi:http/types': 'http',
  'wasi:http/outgoing-handler': 'http',
};

/** `wasi:cli/terminal-stdin` → the shim's export name `terminalStdin`. */
function exportName(name: string): string {
  return name.slice(name.indexOf('/') + 1).replace(/-(.)/g, (_, c: string) => c.toUpperCase());
}

export async function createHost(names: readonly string[], options: HostOptions): Promise<Host> {
  const unknown = names.filter((name) => !Object.hasOwn(providers, name));
  if (unknown.length) throw new Error(`it imports ${unknown.join(', ')}, which this runner does not provide`);
  const shim = {} as Record<ShimPackage, Interface>;
  for (const pkg of new Set(names.map((name) => providers[name]!))) shim[pkg] = (await shimPackages[pkg]()) as Interface;

  const deny = onceEach(options.report);
  let exitCode: number | undefined;
  const exit = (code: number): never => {
    exitCode ??= code;
    throw new GuestExit(code);
  };
  const hints: DeniedAccess[] = [];
  const filesystem = shim.filesystem && guardedFilesystem(shim.filesystem, options.grants.dirs, deny, hints);
  /** A function that only refuses: reports the attempt, then fails with the interface's access error. */
  const refuse = (capability: CapabilityId, call: string, detail: string, error: unknown) => () => {
    deny({ capability, call, detail });
    throw error;
  };

  const overrides: Record<string, () => Interface> = {
    'wasi:cli/environment': () => ({
      getEnvironment: () => Object.entries(options.grants.env),
      getArguments: () => [options.program, ...options.grants.args],
      // The host's working directory is not the guest's business (and says where the user is).
      initialCwd: () => undefined,
    }),
    'wasi:cli/exit': () => ({
      exit: (status: { tag: 'ok' | 'err' }) => exit(status.tag === 'ok' ? 0 : 1),
      // wasi:cli 0.2.x @unstable(feature = cli-exit-with-code).
      exitWithCode: (code: number) => exit(code),
    }),
    // The shim says every stream is a terminal; a guest deciding on colours or prompts should be told the truth.
    'wasi:cli/terminal-stdin': () => ({ getTerminalStdin: () => (isatty(0) ? shim.cli.terminalStdin.getTerminalStdin() : undefined) }),
    'wasi:cli/terminal-stdout': () => ({ getTerminalStdout: () => (isatty(1) ? shim.cli.terminalStdout.getTerminalStdout() : undefined) }),
    'wasi:cli/terminal-stderr': () => ({ getTerminalStderr: () => (isatty(2) ? shim.cli.terminalStderr.getTerminalStderr() : undefined) }),
    'wasi:filesystem/types': () => filesystem!.types,
    'wasi:filesystem/preopens': () => filesystem!.preopens,
    // The network is off. A network token may exist (it grants nothing by itself), but no socket is created,
    // no name is looked up and no request is sent; each attempt fails with the interface's access error.
    'wasi:sockets/instance-network': () => shim.sockets.createSockets({ enableNetwork: false }).instanceNetwork,
    'wasi:sockets/tcp-create-socket': () => ({
      createTcpSocket: refuse('sockets', 'wasi:sockets/tcp-create-socket#create-tcp-socket', 'a TCP socket (the network is off)', 'access-denied'),
    }),
    'wasi:sockets/udp-create-socket': () => ({
      createUdpSocket: refuse('sockets', 'wasi:sockets/udp-create-socket#create-udp-socket', 'a UDP socket (the network is off)', 'access-denied'),
    }),
    'wasi:sockets/ip-name-lookup': () => ({
      ...shim.sockets.ipNameLookup,
      resolveAddresses: refuse('sockets', 'wasi:sockets/ip-name-lookup#resolve-addresses', 'a DNS lookup (the network is off)', 'access-denied'),
    }),
    'wasi:http/outgoing-handler': () => ({
      handle: refuse('http-outgoing', 'wasi:http/outgoing-handler#handle', 'an outgoing HTTP request (the network is off)', { tag: 'HTTP-request-denied' }),
    }),
  };

  const imports: ImportObject = {};
  for (const name of names) imports[name] = overrides[name]?.() ?? (shim[providers[name]!][exportName(name)] as Interface);
  return { imports, exitCode: () => exitCode, hints };
}

const symbolDispose: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

/**
 * wasi:filesystem with the granted directories only, read-only ones enforced. The shim confines paths to a
 * preopen but knows nothing of read-only; its descriptors are wrapped so that every descriptor reached from
 * a read-only grant refuses changes with `read-only` (EROFS, as the preview1 runner answers).
 */
function guardedFilesystem(shim: Interface, dirs: readonly DirectoryGrant[], deny: (access: DeniedAccess) => void, hints: DeniedAccess[]) {
  const call = (method: string) => `wasi:filesystem/types#descriptor.${method}`;
  const escapes = (path: string) => path.startsWith('/') || /^\.\.(\/|$)/.test(posix.normalize(path));

  class Descriptor {
    readonly #inner: Interface;
    readonly #readOnly: boolean;
    /** Where the guest sees it, for messages. */
    readonly #path: string;

    constructor(inner: Interface, readOnly: boolean, path: string) {
      this.#inner = inner;
      this.#readOnly = readOnly;
      this.#path = path;
    }

    #at(path: string): string {
      return posix.join(this.#path, path);
    }

    /** Throws `read-only` (and reports it) when this descriptor came from a read-only grant; jco makes a thrown string the `err` of the method's result. */
    #mustWrite(method: string, what: string): void {
      if (!this.#readOnly) return;
      deny({ capability: 'filesystem', call: call(method), detail: `${what} in a read-only directory` });
      throw 'read-only';
    }

    // Reading and inspecting: as the shim does it.
    readViaStream(offset: bigint) {
      return this.#inner.readViaStream(offset);
    }
    read(length: bigint, offset: bigint) {
      return this.#inner.read(length, offset);
    }
    readDirectory() {
      return this.#inner.readDirectory();
    }
    advise(offset: bigint, length: bigint, advice: string) {
      return this.#inner.advise(offset, length, advice);
    }
    syncData() {
      return this.#inner.syncData();
    }
    sync() {
      return this.#inner.sync();
    }
    getType() {
      return this.#inner.getType();
    }
    stat() {
      return this.#inner.stat();
    }
    statAt(flags: Interface, path: string) {
      return this.#inner.statAt(flags, path);
    }
    readlinkAt(path: string) {
      return this.#inner.readlinkAt(path);
    }
    metadataHash() {
      return this.#inner.metadataHash();
    }
    metadataHashAt(flags: Interface, path: string) {
      return this.#inner.metadataHashAt(flags, path);
    }
    isSameObject(other: Descriptor) {
      return this.#inner.isSameObject(other.#inner);
    }
    getFlags() {
      // The shim has no flags for a preopened directory: a granted directory can be read, and changed unless read-only.
      const flags = this.#inner.getFlags() ?? { read: true, mutateDirectory: true };
      return this.#readOnly ? { ...flags, write: false, mutateDirectory: false } : flags;
    }

    openAt(pathFlags: Interface, path: string, openFlags: Interface, flags: Interface) {
      if (openFlags.create || openFlags.truncate || flags.write || flags.mutateDirectory) this.#mustWrite('open-at', `write to "${this.#at(path)}"`);
      try {
        return new Descriptor(this.#inner.openAt(pathFlags, path, openFlags, flags), this.#readOnly, this.#at(path));
      } catch (error) {
        if (error === 'not-permitted' && escapes(path)) {
          deny({ capability: 'filesystem', call: call('open-at'), detail: `"${path}" is outside the granted directories` });
        }
        throw error;
      }
    }

    // Changes: refused under a read-only grant.
    writeViaStream(offset: bigint) {
      this.#mustWrite('write-via-stream', `write to "${this.#path}"`);
      return this.#inner.writeViaStream(offset);
    }
    appendViaStream() {
      this.#mustWrite('append-via-stream', `write to "${this.#path}"`);
      return this.#inner.appendViaStream();
    }
    write(buffer: Uint8Array, offset: bigint) {
      this.#mustWrite('write', `write to "${this.#path}"`);
      return this.#inner.write(buffer, offset);
    }
    setSize(size: bigint) {
      this.#mustWrite('set-size', `resize "${this.#path}"`);
      return this.#inner.setSize(size);
    }
    setTimes(atime: Interface, mtime: Interface) {
      this.#mustWrite('set-times', `change the times of "${this.#path}"`);
      return this.#inner.setTimes(atime, mtime);
    }
    setTimesAt(flags: Interface, path: string, atime: Interface, mtime: Interface) {
      this.#mustWrite('set-times-at', `change the times of "${this.#at(path)}"`);
      return this.#inner.setTimesAt(flags, path, atime, mtime);
    }
    createDirectoryAt(path: string) {
      this.#mustWrite('create-directory-at', `create "${this.#at(path)}"`);
      return this.#inner.createDirectoryAt(path);
    }
    removeDirectoryAt(path: string) {
      this.#mustWrite('remove-directory-at', `remove "${this.#at(path)}"`);
      return this.#inner.removeDirectoryAt(path);
    }
    unlinkFileAt(path: string) {
      this.#mustWrite('unlink-file-at', `remove "${this.#at(path)}"`);
      return this.#inner.unlinkFileAt(path);
    }
    symlinkAt(target: string, path: string) {
      this.#mustWrite('symlink-at', `create "${this.#at(path)}"`);
      return this.#inner.symlinkAt(target, path);
    }
    // A link or a rename out of a read-only directory would let the other side change (or take) its file.
    linkAt(flags: Interface, oldPath: string, to: Descriptor, newPath: string) {
      this.#mustWrite('link-at', `link "${this.#at(oldPath)}"`);
      to.#mustWrite('link-at', `create "${to.#at(newPath)}"`);
      return this.#inner.linkAt(flags, oldPath, to.#inner, newPath);
    }
    renameAt(oldPath: string, to: Descriptor, newPath: string) {
      this.#mustWrite('rename-at', `move "${this.#at(oldPath)}"`);
      to.#mustWrite('rename-at', `create "${to.#at(newPath)}"`);
      return this.#inner.renameAt(oldPath, to.#inner, newPath);
    }

    [symbolDispose]() {
      (this.#inner[symbolDispose] as (() => void) | undefined)?.call(this.#inner);
    }
  }

  const readOnly = new Map(dirs.map((d) => [d.guest, d.readOnly]));
  const entries: [Descriptor, string][] = (shim.createFilesystem({ preopens: Object.fromEntries(dirs.map((d) => [d.guest, d.host])) }).preopens.getDirectories() as [Interface, string][]).map(
    ([inner, guest]) => [new Descriptor(inner, readOnly.get(guest)!, guest), guest],
  );
  return {
    types: { ...shim.types, Descriptor },
    preopens: {
      getDirectories: () => {
        // With nothing granted, a program that wants files fails inside its libc without asking the host
        // anything else: this is the only sign of it.
        if (entries.length === 0 && hints.length === 0) hints.push({ capability: 'filesystem', call: 'wasi:filesystem/preopens#get-directories', detail: 'it looked for granted directories and found none' });
        return [...entries];
      },
    },
  };
}
