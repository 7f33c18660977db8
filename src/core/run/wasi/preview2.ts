/**
 * The WASI 0.2 host a component is linked to (through jco's generated glue): every interface is ours, on the
 * same descriptor layer, streams and clocks as the preview1 host. preview2-shim is not used: left alone it hands
 * a guest the whole `process.env`, the working directory, the network and an `exit` that loses the code, and
 * its filesystem resolves paths by name (see fs/descriptor.ts). Here the guest gets exactly the plan's grants;
 * the network is linked but every use fails with the interface's "access denied" error, as in wasmtime without
 * `-S inherit-network`.
 */
import type { CapabilityId } from '../../capabilities';
import type { DeniedAccess } from '../types';
import { clockResolution, monotonicNow, wallNow } from './clocks';
import { randomBytes, randomFillSync } from './random';
import { Descriptor, DirectoryEntryStream, type Grant } from './fs/descriptor';
import { InputStream, IoError, OutputStream, poll, Pollable, StdinPollable, TimerPollable } from './io';
import { isTerminal, stdin, writeAll } from './stdio';

/** An interface's functions and resource classes, as jco's glue looks them up. */
type Interface = Record<string, unknown>;
/** What jco's `instantiate` takes: interfaces by name without version. */
export type ImportObject = Record<string, Interface>;

export interface Preview2Options {
  /** argv, the program's name first. */
  args: string[];
  env: Record<string, string>;
  grants: readonly Grant[];
  /** `path` resolves from recorded host paths even where procfs works (tests of the layer as on other systems). */
  layer?: 'descriptor' | 'path';
  refuse(access: DeniedAccess): void;
  /** wasi:cli/exit: ends the run from inside the call, with the code. */
  exit(code: number): never;
}

export interface Preview2Host {
  imports: ImportObject;
  /**
   * Refusals that explain a failure but are none after a success: the preview1 adapter lists the granted
   * directories at start-up whether or not the program wants files.
   */
  hints: DeniedAccess[];
}

class TerminalInput {}
class TerminalOutput {}
/** wasi:sockets resources: linked so components that import them start, never made (every creation is refused). */
class Network {}
class TcpSocket {}
class UdpSocket {}
class IncomingDatagramStream {}
class OutgoingDatagramStream {}
class ResolveAddressStream {}

/**
 * wasi:http/types, enough for a client to build a request before `handle` refuses to send it. Responses and
 * incoming requests are never made here: HTTP servers are not run by this runner (they are refused before start).
 */
class Fields {
  #entries: [string, Uint8Array][] = [];
  static fromList(entries: [string, Uint8Array][]): Fields {
    const fields = new Fields();
    fields.#entries = entries.map(([k, v]) => [k.toLowerCase(), v]);
    return fields;
  }
  get(name: string): Uint8Array[] {
    return this.#entries.filter(([k]) => k === name.toLowerCase()).map(([, v]) => v);
  }
  has(name: string): boolean {
    return this.get(name).length > 0;
  }
  set(name: string, values: Uint8Array[]): void {
    this.delete(name);
    for (const value of values) this.append(name, value);
  }
  delete(name: string): void {
    this.#entries = this.#entries.filter(([k]) => k !== name.toLowerCase());
  }
  append(name: string, value: Uint8Array): void {
    this.#entries.push([name.toLowerCase(), value]);
  }
  entries(): [string, Uint8Array][] {
    return this.#entries.map(([k, v]) => [k, v]);
  }
  clone(): Fields {
    return Fields.fromList(this.entries());
  }
}
class OutgoingBody {
  #stream = new OutputStream({ write: () => undefined });
  write(): OutputStream {
    return this.#stream;
  }
  static finish(): void {}
}
class OutgoingRequest {
  #method: { tag: string; val?: string } = { tag: 'get' };
  #path: string | undefined;
  #scheme: { tag: string; val?: string } | undefined;
  #authority: string | undefined;
  #body = new OutgoingBody();
  constructor(private readonly fields: Fields) {}
  body(): OutgoingBody {
    return this.#body;
  }
  method() {
    return this.#method;
  }
  setMethod(method: { tag: string; val?: string }): void {
    this.#method = method;
  }
  pathWithQuery() {
    return this.#path;
  }
  setPathWithQuery(path: string | undefined): void {
    this.#path = path;
  }
  scheme() {
    return this.#scheme;
  }
  setScheme(scheme: { tag: string; val?: string } | undefined): void {
    this.#scheme = scheme;
  }
  authority() {
    return this.#authority;
  }
  setAuthority(authority: string | undefined): void {
    this.#authority = authority;
  }
  headers(): Fields {
    return this.fields;
  }
}
class RequestOptions {
  #timeouts: Record<string, bigint | undefined> = {};
  connectTimeout() {
    return this.#timeouts.connect;
  }
  setConnectTimeout(value: bigint | undefined): void {
    this.#timeouts.connect = value;
  }
  firstByteTimeout() {
    return this.#timeouts.firstByte;
  }
  setFirstByteTimeout(value: bigint | undefined): void {
    this.#timeouts.firstByte = value;
  }
  betweenBytesTimeout() {
    return this.#timeouts.betweenBytes;
  }
  setBetweenBytesTimeout(value: bigint | undefined): void {
    this.#timeouts.betweenBytes = value;
  }
}
class IncomingRequest {}
class IncomingResponse {}
class IncomingBody {}
class FutureTrailers {}
class OutgoingResponse {}
class ResponseOutparam {}
class FutureIncomingResponse {}

/** The interfaces this host provides; a component importing anything else is refused before it starts. */
export const preview2Interfaces = [
  'wasi:cli/environment',
  'wasi:cli/exit',
  'wasi:cli/stdin',
  'wasi:cli/stdout',
  'wasi:cli/stderr',
  'wasi:cli/terminal-input',
  'wasi:cli/terminal-output',
  'wasi:cli/terminal-stdin',
  'wasi:cli/terminal-stdout',
  'wasi:cli/terminal-stderr',
  'wasi:clocks/monotonic-clock',
  'wasi:clocks/wall-clock',
  'wasi:filesystem/types',
  'wasi:filesystem/preopens',
  'wasi:io/error',
  'wasi:io/poll',
  'wasi:io/streams',
  'wasi:random/random',
  'wasi:random/insecure',
  'wasi:random/insecure-seed',
  'wasi:sockets/network',
  'wasi:sockets/instance-network',
  'wasi:sockets/ip-name-lookup',
  'wasi:sockets/tcp',
  'wasi:sockets/tcp-create-socket',
  'wasi:sockets/udp',
  'wasi:sockets/udp-create-socket',
  'wasi:http/types',
  'wasi:http/outgoing-handler',
] as const;

export function createPreview2Host(options: Preview2Options): Preview2Host {
  const hints: DeniedAccess[] = [];
  const preopens = Descriptor.preopen(
    options.grants,
    (refusal) => options.refuse(refusal),
    (operation) => `wasi:filesystem/types#descriptor.${operation}`,
    options.layer,
  );
  const directories = preopens.map((descriptor, i) => [descriptor, options.grants[i]!.guest] as [Descriptor, string]);
  /** A function that only refuses: reports the attempt, then fails with the interface's access error. */
  const refuse = (capability: CapabilityId, call: string, detail: string, error: unknown) => () => {
    options.refuse({ capability, call, detail });
    throw { payload: error };
  };
  const stdoutStream = new OutputStream({ write: (bytes) => writeAll(1, bytes) });
  const stderrStream = new OutputStream({ write: (bytes) => writeAll(2, bytes) });
  const stdinStream = new InputStream({ read: (max, blocking) => stdin().read(max, blocking), pollable: () => new StdinPollable() });

  const imports: ImportObject = {
    'wasi:cli/environment': {
      getEnvironment: () => Object.entries(options.env),
      getArguments: () => [...options.args],
      // The host's working directory is not the guest's business (and says where the user is).
      initialCwd: () => undefined,
    },
    'wasi:cli/exit': {
      exit: (status: { tag: 'ok' | 'err' }) => options.exit(status.tag === 'ok' ? 0 : 1),
      // wasi:cli 0.2.x @unstable(feature = cli-exit-with-code): the preview1 adapter passes proc_exit's code here.
      exitWithCode: (code: number) => options.exit(code),
    },
    'wasi:cli/stdin': { getStdin: () => stdinStream },
    'wasi:cli/stdout': { getStdout: () => stdoutStream },
    'wasi:cli/stderr': { getStderr: () => stderrStream },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    // Told the truth: a guest deciding on colours or prompts needs to know whether a stream is a terminal.
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => (isTerminal(0) ? new TerminalInput() : undefined) },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => (isTerminal(1) ? new TerminalOutput() : undefined) },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => (isTerminal(2) ? new TerminalOutput() : undefined) },
    'wasi:clocks/monotonic-clock': {
      now: () => monotonicNow(),
      resolution: () => clockResolution,
      subscribeInstant: (when: bigint) => new TimerPollable(when),
      subscribeDuration: (duration: bigint) => new TimerPollable(monotonicNow() + duration),
    },
    'wasi:clocks/wall-clock': {
      now: () => {
        const ns = wallNow();
        return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: Number(clockResolution) }),
    },
    'wasi:filesystem/types': {
      Descriptor,
      DirectoryEntryStream,
      filesystemErrorCode: (error: IoError) => error.code,
    },
    'wasi:filesystem/preopens': {
      getDirectories: () => {
        // With nothing granted, a program that wants files fails inside its libc without asking the host
        // anything else: this is the only sign of it.
        if (directories.length === 0 && hints.length === 0)
          hints.push({
            capability: 'filesystem',
            call: 'wasi:filesystem/preopens#get-directories',
            detail: 'it looked for granted directories and found none',
          });
        return directories.map(([descriptor, guest]) => [descriptor.duplicate(), guest]);
      },
    },
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll: (list: Pollable[]) => poll(list) },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:random/random': {
      getRandomBytes: (len: bigint) => randomBytes(Number(len)),
      getRandomU64: () => randomFillSync(new BigUint64Array(1))[0]!,
    },
    'wasi:random/insecure': {
      getInsecureRandomBytes: (len: bigint) => randomBytes(Number(len)),
      getInsecureRandomU64: () => randomFillSync(new BigUint64Array(1))[0]!,
    },
    'wasi:random/insecure-seed': { insecureSeed: () => [...randomFillSync(new BigUint64Array(2))] as [bigint, bigint] },
    // The network is off. A network handle may exist (it grants nothing by itself), but no socket is created,
    // no name is looked up and no request is sent.
    'wasi:sockets/network': { Network },
    'wasi:sockets/instance-network': { instanceNetwork: () => new Network() },
    'wasi:sockets/tcp': { TcpSocket },
    'wasi:sockets/udp': { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    'wasi:sockets/tcp-create-socket': {
      createTcpSocket: refuse(
        'sockets',
        'wasi:sockets/tcp-create-socket#create-tcp-socket',
        'a TCP socket (the network is off)',
        'access-denied',
      ),
    },
    'wasi:sockets/udp-create-socket': {
      createUdpSocket: refuse(
        'sockets',
        'wasi:sockets/udp-create-socket#create-udp-socket',
        'a UDP socket (the network is off)',
        'access-denied',
      ),
    },
    'wasi:sockets/ip-name-lookup': {
      ResolveAddressStream,
      resolveAddresses: refuse(
        'sockets',
        'wasi:sockets/ip-name-lookup#resolve-addresses',
        'a DNS lookup (the network is off)',
        'access-denied',
      ),
    },
    'wasi:http/types': {
      Fields,
      OutgoingRequest,
      OutgoingBody,
      RequestOptions,
      IncomingRequest,
      IncomingResponse,
      IncomingBody,
      FutureTrailers,
      OutgoingResponse,
      ResponseOutparam,
      FutureIncomingResponse,
      httpErrorCode: () => undefined,
    },
    'wasi:http/outgoing-handler': {
      handle: refuse('http-outgoing', 'wasi:http/outgoing-handler#handle', 'an outgoing HTTP request (the network is off)', {
        tag: 'HTTP-request-denied',
      }),
    },
  };
  return { imports, hints };
}
