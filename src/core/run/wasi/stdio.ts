/**
 * The guest's standard streams. Writes are synchronous and whole: when the reader of stdout is slow the pipe
 * fills and the guest waits (back-pressure), so nothing is ever buffered here without bound. Reads of stdin go
 * through a small worker thread that blocks in `read(0)` and hands bytes over in a fixed-size shared ring: the
 * guest's thread can then wait for input *with a time limit*, which `poll_oneoff` and `wasi:io/poll` need and
 * which Node's synchronous `fs.readSync` cannot do. The worker starts only when a guest first touches stdin.
 */
import { writeSync } from 'node:fs';

// node:tty and node:worker_threads are loaded on first use: every built-in a guest's process loads at start is paid
// by every run, and most guests never ask whether a stream is a terminal or read stdin.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded synchronously, on first use
const tty = () => require('node:tty') as typeof import('node:tty');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded synchronously, on first use
const workerThreads = () => require('node:worker_threads') as typeof import('node:worker_threads');

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` milliseconds (fractions allowed) without spinning. */
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}

/** Writes all of `bytes` to `fd`, waiting while a non-blocking pipe is full. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      sleepMs(1);
    }
  }
}

export function isTerminal(fd: number): boolean {
  try {
    return tty().isatty(fd);
  } catch {
    return false;
  }
}

const ringSize = 64 * 1024;
// Shared header (Int32 slots): bytes written by the worker, bytes taken by the guest (both modulo 2^32), end seen.
const WRITTEN = 0;
const TAKEN = 1;
const ENDED = 2;

/** The worker: reads fd 0 and copies into the ring, waiting while it is full. Plain JS, evaluated as is. */
const workerSource = `
const { readSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const header = new Int32Array(workerData.header);
const ring = new Uint8Array(workerData.ring);
const size = ring.length;
const chunk = Buffer.alloc(16384);
const nap = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  let n;
  try { n = readSync(0, chunk, 0, chunk.length, null); }
  catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(nap, 0, 0, 5); continue; } n = 0; }
  if (n === 0) { Atomics.store(header, 2, 1); Atomics.notify(header, 0); break; }
  let done = 0;
  while (done < n) {
    const written = Atomics.load(header, 0) >>> 0, taken = Atomics.load(header, 1) >>> 0;
    const free = size - ((written - taken) >>> 0);
    if (free === 0) { Atomics.wait(header, 1, taken | 0); continue; }
    const count = Math.min(free, n - done);
    for (let i = 0; i < count; i++) ring[(written + i) % size] = chunk[done + i];
    done += count;
    Atomics.store(header, 0, (written + count) | 0);
    Atomics.notify(header, 0);
  }
}
`;

class StdinReader {
  readonly #header = new Int32Array(new SharedArrayBuffer(12));
  readonly #ring = new Uint8Array(new SharedArrayBuffer(ringSize));
  #worker: import('node:worker_threads').Worker | undefined;

  /** Whether the reader thread was started (it may be blocked in read(0) for good). */
  get started(): boolean {
    return this.#worker !== undefined;
  }

  #start(): void {
    if (this.#worker) return;
    this.#worker = new (workerThreads().Worker)(workerSource, {
      eval: true,
      workerData: { header: this.#header.buffer, ring: this.#ring.buffer },
    });
    // It must never keep the guest's process alive on its own.
    this.#worker.unref();
  }

  #available(): number {
    return ((Atomics.load(this.#header, WRITTEN) >>> 0) - (Atomics.load(this.#header, TAKEN) >>> 0)) >>> 0;
  }

  /** True when a read would not block: bytes are waiting, or stdin has ended. */
  ready(): boolean {
    this.#start();
    return this.#available() > 0 || Atomics.load(this.#header, ENDED) === 1;
  }

  /** Waits up to `ms` (Infinity: no limit) until `ready()`. */
  wait(ms: number): void {
    this.#start();
    const deadline = Date.now() + ms;
    while (!this.ready()) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      Atomics.wait(this.#header, WRITTEN, Atomics.load(this.#header, WRITTEN), Number.isFinite(left) ? left : undefined);
    }
  }

  /** Up to `max` bytes; empty when none are waiting and `blocking` is false; `undefined` at the end of input. */
  read(max: number, blocking: boolean): Uint8Array | undefined {
    if (blocking) this.wait(Infinity);
    else this.#start();
    const available = this.#available();
    if (available === 0) return Atomics.load(this.#header, ENDED) === 1 ? undefined : new Uint8Array(0);
    const count = Math.min(available, max);
    const taken = Atomics.load(this.#header, TAKEN) >>> 0;
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.#ring[(taken + i) % ringSize]!;
    Atomics.store(this.#header, TAKEN, (taken + count) | 0);
    Atomics.notify(this.#header, TAKEN);
    return out;
  }
}

let reader: StdinReader | undefined;

export function stdin(): StdinReader {
  return (reader ??= new StdinReader());
}

/**
 * Ends the guest's process with `code`. Node waits for worker threads at exit, and the stdin reader may be
 * blocked in read(0) forever (nobody closes the terminal): then the process ends itself with SIGKILL instead.
 * Nothing is lost either way: every write of the guest and every report went out synchronously.
 */
export function exitProcess(code: number): never {
  if (reader?.started) process.kill(process.pid, 'SIGKILL');
  process.exit(code);
}
