/**
 * A guest's output on its way to a reader that cannot say when it is behind. A VS Code pseudoterminal has no
 * flow control: whatever an extension fires is queued in the window, and the terminal drops data past its own
 * limit. So text leaves here in slices at a steady pace, and while more than a bound waits here the guest's
 * streams are paused: the guest then blocks on its writes (the pipe is full) instead of anyone piling up its
 * output. What the caller keeps for later is a bounded tail (`TextTail`).
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface Pace {
  /** Most characters handed to the reader at once. */
  sliceChars: number;
  /** Time between slices. */
  intervalMs: number;
  /** The guest's streams pause while more than this waits, and resume once it is below half of it. */
  maxPendingChars: number;
}

/** About 4 Mi characters a second: well within what a terminal renders, and a bounded queue. */
export const terminalPace: Pace = { sliceChars: 64 * 1024, intervalMs: 16, maxPendingChars: 256 * 1024 };

export class PacedOutput {
  private readonly queue: string[] = [];
  private queued = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly paused = new Set<Readable>();
  private reading = 0;
  private waiters: (() => void)[] = [];
  private discarding = false;
  private lastSliceAt = Number.NEGATIVE_INFINITY;
  /** The most characters that waited here at once (for tests and diagnostics). */
  peakQueued = 0;

  constructor(
    private readonly sink: (text: string) => void,
    private readonly pace: Pace = terminalPace,
  ) {}

  /** Text of our own (a header, notes), in order with the guest's output. */
  write(text: string): void {
    if (!text || this.discarding) return;
    this.queue.push(text);
    this.queued += text.length;
    this.peakQueued = Math.max(this.peakQueued, this.queued);
    this.schedule();
  }

  /** Reads a stream as UTF-8 until it ends (a character split across chunks stays whole). */
  pipe(stream: Readable): void {
    const decoder = new StringDecoder('utf8');
    let ended = false;
    this.reading++;
    stream.on('data', (chunk: Buffer) => {
      this.write(decoder.write(chunk));
      if (this.queued > this.pace.maxPendingChars && !this.discarding) {
        stream.pause();
        this.paused.add(stream);
      }
    });
    const end = () => {
      if (ended) return;
      ended = true;
      this.paused.delete(stream);
      this.write(decoder.end());
      this.reading--;
      this.settle();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  }

  /** Resolves once every piped stream has ended and all text has been handed to the reader. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.settle();
    });
  }

  /** The reader is gone: drop what waits, and let the streams flow (into nothing) so the guest is never stuck. */
  discard(): void {
    this.discarding = true;
    this.queue.length = 0;
    this.queued = 0;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const stream of this.paused) stream.resume();
    this.paused.clear();
    this.settle();
  }

  private schedule(): void {
    if (this.timer || this.discarding) return;
    // At once when the last slice is older than the interval (a prompt shows before the guest waits for input).
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.lastSliceAt + this.pace.intervalMs - Date.now()));
  }

  private tick(): void {
    this.timer = undefined;
    this.lastSliceAt = Date.now();
    let room = this.pace.sliceChars;
    let slice = '';
    while (room > 0 && this.queue.length) {
      const head = this.queue[0]!;
      if (head.length <= room) {
        slice += head;
        room -= head.length;
        this.queue.shift();
      } else {
        let cut = room;
        // Never between the halves of a surrogate pair.
        if (isHighSurrogate(head.charCodeAt(cut - 1))) cut--;
        if (cut === 0) break;
        slice += head.slice(0, cut);
        this.queue[0] = head.slice(cut);
        room = 0;
      }
    }
    this.queued -= slice.length;
    if (slice) this.sink(slice);
    if (this.queued <= this.pace.maxPendingChars / 2) {
      for (const stream of this.paused) stream.resume();
      this.paused.clear();
    }
    if (this.queue.length) this.timer = setTimeout(() => this.tick(), this.pace.intervalMs);
    this.settle();
  }

  private settle(): void {
    if (this.reading > 0 || this.queue.length > 0 || this.timer) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The last `limit` characters of a text that may grow without bound, and how many came before them. */
export class TextTail {
  private kept = '';
  private droppedChars = 0;

  constructor(readonly limit: number) {}

  append(text: string): void {
    this.kept += text;
    // Trimmed in batches: a copy per append would be quadratic.
    if (this.kept.length > this.limit * 2) {
      const drop = this.kept.length - this.limit;
      this.droppedChars += drop;
      this.kept = this.kept.slice(drop);
    }
  }

  /** Characters that are no longer kept. */
  get dropped(): number {
    return this.droppedChars + Math.max(0, this.kept.length - this.limit);
  }

  toString(): string {
    return this.kept.length > this.limit ? this.kept.slice(this.kept.length - this.limit) : this.kept;
  }
}
