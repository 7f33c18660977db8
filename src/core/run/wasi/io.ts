/**
 * wasi:io for the 0.2 host (and the pieces preview1's poll_oneoff shares): pollables, blocking poll, and byte
 * streams over files and the standard streams. Everything is synchronous in the guest's own thread: a guest that
 * waits blocks its process, never the editor or the CLI, and the supervisor's time limit still ends it.
 */
import { monotonicNow } from './clocks';
import type { ErrorCode } from './errors';
import { sleepMs, stdin } from './stdio';

/** `wasi:io/error.error`: what went wrong with a stream, for the guest's debugging. */
export class IoError {
  constructor(
    readonly message: string,
    /** The filesystem error behind it, for `wasi:filesystem/types.filesystem-error-code`. */
    readonly code?: ErrorCode,
  ) {}
  toDebugString(): string {
    return this.message;
  }
}

/** A stream's failure as jco expects it: the `err` payload of the call's result. */
export class StreamFailure {
  constructor(readonly payload: { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError }) {}
}

export const closed = () => new StreamFailure({ tag: 'closed' });
export const failed = (message: string, code?: ErrorCode) =>
  new StreamFailure({ tag: 'last-operation-failed', val: new IoError(message, code) });

export class Pollable {
  /** True when waiting on it would return at once. */
  ready(): boolean {
    return true;
  }
  /** The monotonic time (ns) at which it becomes ready by itself, if it is a timer. */
  deadline(): bigint | undefined {
    return undefined;
  }
  /** Whether input arriving on stdin can make it ready. */
  waitsForStdin(): boolean {
    return false;
  }
  block(): void {
    poll([this]);
  }
}

export class TimerPollable extends Pollable {
  constructor(private readonly at: bigint) {
    super();
  }
  override ready(): boolean {
    return monotonicNow() >= this.at;
  }
  override deadline(): bigint {
    return this.at;
  }
}

export class StdinPollable extends Pollable {
  override ready(): boolean {
    return stdin().ready();
  }
  override waitsForStdin(): boolean {
    return true;
  }
}

/** Waits until at least one is ready and returns the indexes of the ready ones (`wasi:io/poll.poll`). */
export function poll(pollables: readonly Pollable[]): Uint32Array {
  if (pollables.length === 0) throw new Error('poll needs at least one pollable');
  for (;;) {
    const ready: number[] = [];
    pollables.forEach((p, i) => p.ready() && ready.push(i));
    if (ready.length) return Uint32Array.from(ready);
    const deadlines = pollables.map((p) => p.deadline()).filter((d): d is bigint => d !== undefined);
    const earliest = deadlines.length ? deadlines.reduce((a, b) => (b < a ? b : a)) : undefined;
    const waitMs = earliest === undefined ? Infinity : Math.max(0, Number(earliest - monotonicNow()) / 1e6);
    if (pollables.some((p) => p.waitsForStdin())) stdin().wait(waitMs);
    // Nothing here can ever become ready: wait as the guest asked, until the time limit ends the run.
    else sleepMs(Number.isFinite(waitMs) ? waitMs : 60_000);
  }
}

/** Where an input stream's bytes come from. `undefined` is the end; an empty array means "none yet". */
export interface ByteSource {
  read(max: number, blocking: boolean): Uint8Array | undefined;
  pollable(): Pollable;
}

export interface ByteSink {
  write(bytes: Uint8Array): void;
}

const toCount = (len: bigint) => Number(len > 0x7fffffffn ? 0x7fffffffn : len);

export class InputStream {
  #done = false;
  constructor(private readonly source: ByteSource) {}

  #read(len: bigint, blocking: boolean): Uint8Array {
    if (this.#done) throw closed();
    const bytes = this.source.read(toCount(len), blocking);
    if (bytes === undefined) {
      this.#done = true;
      throw closed();
    }
    return bytes;
  }
  read(len: bigint): Uint8Array {
    return this.#read(len, false);
  }
  blockingRead(len: bigint): Uint8Array {
    return this.#read(len, true);
  }
  skip(len: bigint): bigint {
    return BigInt(this.#read(len, false).length);
  }
  blockingSkip(len: bigint): bigint {
    return BigInt(this.#read(len, true).length);
  }
  subscribe(): Pollable {
    return this.source.pollable();
  }
}

/** How much a guest may hand over in one write; every write is carried out at once, so this only sizes them. */
const writeBudget = 1n << 20n;

export class OutputStream {
  constructor(private readonly sink: ByteSink) {}

  checkWrite(): bigint {
    return writeBudget;
  }
  write(bytes: Uint8Array): void {
    if (BigInt(bytes.length) > writeBudget) throw failed('write larger than check-write allowed');
    this.sink.write(bytes);
  }
  blockingWriteAndFlush(bytes: Uint8Array): void {
    // Larger than one check-write is a guest error in wasi:io; writing it all is what hosts do in practice.
    this.sink.write(bytes);
  }
  flush(): void {}
  blockingFlush(): void {}
  subscribe(): Pollable {
    return new Pollable();
  }
  writeZeroes(len: bigint): void {
    this.write(new Uint8Array(toCount(len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.sink.write(new Uint8Array(toCount(len)));
  }
  splice(source: InputStream, len: bigint): bigint {
    const bytes = source.read(len);
    this.sink.write(bytes);
    return BigInt(bytes.length);
  }
  blockingSplice(source: InputStream, len: bigint): bigint {
    const bytes = source.blockingRead(len);
    this.sink.write(bytes);
    return BigInt(bytes.length);
  }
}
