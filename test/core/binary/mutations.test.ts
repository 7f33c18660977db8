/**
 * Robustness: thousands of seeded mutations and truncations of real binaries. Each must end in a result or a
 * WasmFormatError, never another exception, and quickly (a hang or a giant allocation would show here).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memorySource, readBinary, WasmFormatError } from '../../../src/core/binary';
import { buildReport } from '../../../src/core/inspect';
import { formatReportMarkdown } from '../../../src/core/inspect/markdown';
import { fixtureBytes, type FixtureName } from '../../fixtures';

/** Small deterministic PRNG (mulberry32) so every failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x60, 0x0b, 0x40];

function mutate(original: Uint8Array, rnd: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(rnd() * n);
  const strategy = pick(5);
  if (strategy === 0) return original.subarray(0, pick(original.length)); // truncation
  const bytes = new Uint8Array(original);
  if (strategy === 1) {
    for (let i = 0, n = 1 + pick(8); i < n; i++) bytes[pick(bytes.length)] = pick(256);
    return bytes;
  }
  if (strategy === 2) {
    for (let i = 0, n = 1 + pick(4); i < n; i++) bytes[pick(bytes.length)] = interesting[pick(interesting.length)]!;
    return bytes;
  }
  if (strategy === 3) {
    // A burst of 0xff: LEB128 sizes and counts turn huge.
    const at = 8 + pick(bytes.length - 8);
    bytes.fill(0xff, at, Math.min(bytes.length, at + 1 + pick(6)));
    return bytes;
  }
  const at = pick(bytes.length);
  const cut = pick(16);
  return new Uint8Array([...original.subarray(0, at), ...original.subarray(at + cut)]); // deletion
}

const subjects: FixtureName[] = ['preview1-command', 'gc-types', 'component-command', 'names-producers', 'tags', 'tables', 'dylink'];
const perSubject = 600;

describe('binary reader: seeded mutations and truncations', () => {
  for (const name of subjects) {
    it(`${perSubject} mutations of ${name} each end in a result or a WasmFormatError`, async () => {
      const original = await fixtureBytes(name);
      let parsed = 0;
      let rejected = 0;
      let slowest = 0;
      for (let seed = 1; seed <= perSubject; seed++) {
        const bytes = mutate(original, random(seed * 7919 + original.length));
        const started = performance.now();
        try {
          const binary = await readBinary(memorySource(bytes), { functionBodies: seed % 2 === 0 });
          // What the reader accepts must also be reportable.
          formatReportMarkdown(buildReport(binary), name);
          parsed++;
        } catch (error) {
          if (!(error instanceof WasmFormatError)) {
            assert.fail(`seed ${seed} of ${name}: ${error instanceof Error ? error.stack : String(error)}`);
          }
          assert.ok(
            Number.isInteger(error.offset) && error.offset >= 0 && error.offset <= bytes.length,
            `seed ${seed}: offset ${error.offset} outside the file`,
          );
          rejected++;
        }
        slowest = Math.max(slowest, performance.now() - started);
      }
      assert.equal(parsed + rejected, perSubject);
      assert.ok(rejected > perSubject / 10, `most mutations should be caught (rejected ${rejected})`);
      // Not a speed target: a hang detector with a wide margin.
      assert.ok(slowest < 2000, `slowest case took ${slowest.toFixed(0)} ms`);
    });
  }
});
