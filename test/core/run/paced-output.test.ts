/**
 * Output on its way to a reader without flow control (the editor's terminal): a bounded queue that pauses the
 * guest's streams, a steady pace, whole characters, and a bounded tail of what passed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { noGrants, PacedOutput, prepareRun, startGuest, TextTail, type Pace } from '../../../src/core/run';
import { fixturePath } from '../../fixtures';

const root = process.cwd();
const childScript = join(root, 'dist', 'run-child.js');
const mib = 1024 * 1024;

describe('PacedOutput', () => {
  it('pauses a fast stream while its queue is full, keeps the order, and never holds much more than the bound', async () => {
    const pace: Pace = { sliceChars: 32 * 1024, intervalMs: 2, maxPendingChars: 128 * 1024 };
    const received: string[] = [];
    const output = new PacedOutput((text) => received.push(text), pace);
    const chunk = 16 * 1024;
    let produced = 0;
    let sawPause = false;
    const stream = new Readable({
      read() {
        if (produced >= 4 * mib) return void this.push(null);
        // Each chunk says where it starts, so order and completeness can be checked.
        const text = `<${produced}>`.padEnd(chunk, '.');
        produced += text.length;
        this.push(Buffer.from(text));
      },
    });
    output.pipe(stream);
    const watch = setInterval(() => (sawPause ||= stream.isPaused()), 1);
    await output.drained();
    clearInterval(watch);
    const all = received.join('');
    assert.equal(all.length, produced);
    for (let at = 0; at < produced; at += chunk) assert.ok(all.startsWith(`<${at}>`, at), `chunk at ${at} out of place`);
    assert.ok(sawPause, 'the stream was never paused');
    // The bound, plus the one chunk that arrived while it was reached.
    assert.ok(output.peakQueued <= pace.maxPendingChars + chunk, `${output.peakQueued} characters waited at once`);
    assert.ok(Math.max(...received.map((r) => r.length)) <= pace.sliceChars);
  });

  it('hands out at most one slice per interval', async () => {
    const pace: Pace = { sliceChars: 10_000, intervalMs: 20, maxPendingChars: 1_000_000 };
    const times: number[] = [];
    const output = new PacedOutput(() => times.push(Date.now()), pace);
    // Written in many small pieces: a fresh write must not start a slice before the interval is over.
    for (let i = 0; i < 100; i++) output.write('x'.repeat(1000));
    const started = Date.now();
    await output.drained();
    assert.equal(times.length, 10);
    assert.ok(Date.now() - started >= 9 * pace.intervalMs - 5, `100 000 characters at 10 000 per 20 ms took ${Date.now() - started} ms`);
  });

  it('keeps characters whole across chunks and slices', async () => {
    const received: string[] = [];
    const output = new PacedOutput((text) => received.push(text), { sliceChars: 3, intervalMs: 0, maxPendingChars: 100 });
    const stream = new PassThrough();
    output.pipe(stream);
    const bytes = Buffer.from('añ😀€z');
    // Split inside the two-byte ñ and inside the four-byte emoji.
    for (const part of [bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)]) stream.write(part);
    stream.end();
    await output.drained();
    assert.equal(received.join(''), 'añ😀€z');
    for (const slice of received)
      assert.ok(!/[\ud800-\udbff]$/.test(slice), `a slice ends inside a surrogate pair: ${JSON.stringify(slice)}`);
  });

  it('after discard, paused streams flow again and drained resolves', async () => {
    const output = new PacedOutput(() => undefined, { sliceChars: 1, intervalMs: 1000, maxPendingChars: 10 });
    const stream = new PassThrough();
    output.pipe(stream);
    stream.write('x'.repeat(100));
    await new Promise((r) => setImmediate(r));
    assert.ok(stream.isPaused());
    output.discard();
    assert.equal(stream.isPaused(), false);
    stream.end('more');
    await output.drained();
  });

  it('a real guest flooding 32 MiB passes whole while no more than the bound waits', async () => {
    const prepared = await prepareRun(
      {
        file: await fixturePath('hostile'),
        grants: { ...noGrants(), args: ['flood', '32'] },
        limits: { timeoutMs: 60_000, maxMemoryBytes: 256 * mib },
      },
      { cacheDir: join(root, '.test-output', 'run-cache'), childScript },
    );
    const guest = startGuest(prepared.plan, { childScript, stdio: 'pipe', confinement: prepared.confinement });
    guest.stdin!.end();
    const pace: Pace = { sliceChars: 256 * 1024, intervalMs: 1, maxPendingChars: 1 * mib };
    let chars = 0;
    const output = new PacedOutput((text) => (chars += text.length), pace);
    output.pipe(guest.stdout!);
    output.pipe(guest.stderr!);
    const [outcome] = await Promise.all([guest.outcome, output.drained()]);
    assert.equal(outcome.exitCode, 0, outcome.message);
    assert.equal(chars, 32 * mib);
    // A pipe delivers at most 64 KiB at a time.
    assert.ok(output.peakQueued <= pace.maxPendingChars + 64 * 1024, `${output.peakQueued} characters waited at once`);
  });
});

describe('TextTail', () => {
  it('keeps the last characters and counts the others', () => {
    const tail = new TextTail(10);
    for (let i = 0; i < 1000; i++) tail.append(String(i % 10));
    assert.equal(tail.toString(), '0123456789');
    assert.equal(tail.dropped, 990);
    const short = new TextTail(10);
    short.append('abc');
    assert.equal(short.toString(), 'abc');
    assert.equal(short.dropped, 0);
  });
});
