import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memorySource, readBinary, type ModuleInfo } from '../../../src/core/binary';
import { compileWat, PrintCancelled, printWat, printWatUtf8 } from '../../../src/core/compile';
import { fixtureBytes } from '../../fixtures';
import { concatBytes, encodeName, encodeSection, encodeVec, MODULE_HEADER, uleb128 } from '../../fixtures/encode';

/** A module with three 1000-byte functions, a 5000-byte and a 10-byte data segment, and a 3000-byte custom section. */
function largeModule(): Uint8Array {
  const body = (n: number) => concatBytes(uleb128(n + 2), Uint8Array.of(0x00), new Uint8Array(n).fill(0x01), Uint8Array.of(0x0b));
  const active = (bytes: Uint8Array) => concatBytes(Uint8Array.of(0x00, 0x41, 0x00, 0x0b), uleb128(bytes.length), bytes);
  return concatBytes(
    MODULE_HEADER,
    encodeSection(1, encodeVec([Uint8Array.of(0x60, 0, 0)])),
    encodeSection(3, encodeVec([uleb128(0), uleb128(0), uleb128(0)])),
    encodeSection(5, encodeVec([Uint8Array.of(0x00, 0x01)])),
    encodeSection(7, encodeVec([concatBytes(encodeName('last'), Uint8Array.of(0), uleb128(2))])),
    encodeSection(10, encodeVec([body(1000), body(1000), body(1000)])),
    encodeSection(11, encodeVec([active(new Uint8Array(5000).fill(0x61)), active(new TextEncoder().encode('short data'))])),
    encodeSection(0, concatBytes(encodeName('.debug_info'), new Uint8Array(3000))),
  );
}

describe('Wasm → WAT', () => {
  it('prints GC types, and the text compiles back to the same module', async () => {
    const bytes = await fixtureBytes('gc-types');
    const { text, elisions } = await printWat(bytes);
    assert.match(text, /\(rec\b/);
    assert.match(text, /\(sub final \$node/);
    assert.deepEqual(elisions, { functions: [], data: [], custom: [] });
    const again = await compileWat(text);
    assert.ok(again.ok, JSON.stringify(!again.ok && again.diagnostics));
    assert.equal((await printWat(again.bytes)).text, text);
  });

  it('prints a component with its imports and nested modules', async () => {
    const { text } = await printWat(await fixtureBytes('component-command'));
    assert.match(text, /^\(component/m);
    assert.match(text, /\(import "wasi:cli\/environment@0\.2\.\d+"/);
    assert.match(text, /\(core module/);
  });

  it('elides whole payloads past the budgets, notes each, and the text still compiles', async () => {
    const { text, elisions } = await printWat(largeModule(), {
      budget: { maxCodeBytes: 1500, maxDataBytes: 1000, maxCustomBytes: 1000 },
      fullTextHint: 'Use --full.',
    });
    assert.deepEqual(elisions.functions, [
      { index: 1, size: 1002 },
      { index: 2, size: 1002 },
    ]);
    assert.deepEqual(elisions.data, [{ index: 0, size: 5000, elided: 4936 }]);
    assert.deepEqual(elisions.custom, [{ name: '.debug_info', size: 3012 }]);
    const lines = text.trimEnd().split('\n');
    const summary =
      /^;; Wasm Workbench elided parts of this module to keep the text readable: the bodies of 2 functions \(from function 1 on, 2\.0 KiB\) are shown as `unreachable`; 1 data segments keep only their first 64 bytes \(4\.8 KiB elided\); custom sections left out: \.debug_info \(2\.9 KiB\)\. Use --full\.$/;
    assert.match(lines[0]!, summary);
    assert.equal(lines.at(-1), lines[0]);
    assert.match(text, /\(func \(;1;\) \(type 0\) ;; body elided \(1002 bytes\)\n\s+unreachable/);
    assert.match(text, /\(data \(;0;\) \(i32\.const 0\) "a{64}"\) ;; 4936 bytes elided/);
    assert.match(text, /\(data \(;1;\) \(i32\.const 0\) "short data"\)$/m);
    assert.match(text, /\(export "last" \(func 2\)\)/);
    assert.equal(text.split('nop').length - 1, 1000);
    const compiled = await compileWat(text);
    assert.ok(compiled.ok, JSON.stringify(!compiled.ok && compiled.diagnostics));
    const module = (await readBinary(memorySource(compiled.bytes))) as ModuleInfo;
    assert.equal(module.functions.defined, 3);
    assert.equal(module.dataSegments, 2);
  });

  it('prints everything with full: true, however large', async () => {
    const { text, elisions } = await printWat(largeModule(), { full: true, budget: { maxCodeBytes: 10 } });
    assert.deepEqual(elisions, { functions: [], data: [], custom: [] });
    assert.equal(text.split('nop').length - 1, 3000);
    assert.match(text, /"a{5000}"/);
    assert.doesNotMatch(text, /elided/);
  });

  it('gives the same text as UTF-8 bytes for files', async () => {
    const { text } = await printWat(largeModule(), { full: true });
    const { utf8 } = await printWatUtf8(largeModule(), { full: true });
    assert.equal(new TextDecoder().decode(utf8), text);
  });

  it('reports progress and can be cancelled', async () => {
    const stages: string[] = [];
    await printWat(largeModule(), { onProgress: (stage) => stages.push(stage) });
    assert.deepEqual(stages, ['planning', 'loading wasm-tools', 'printing', 'adding notes']);
    const controller = new AbortController();
    const printing = printWat(largeModule(), { signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(printing, PrintCancelled);
  });

  it('hands a binary larger than one transfer chunk to the worker whole, and cancels while handing it over', async () => {
    // 5 MiB and 3 bytes: the worker receives it in 2 MiB pieces, the last one short; a lost or misplaced piece
    // would change the segment's text.
    const payload = new Uint8Array(5 * 1024 * 1024 + 3).map((_, i) => 0x61 + ((i * 7) % 26));
    payload.set(new TextEncoder().encode('END'), payload.length - 3);
    const bytes = concatBytes(
      MODULE_HEADER,
      encodeSection(5, encodeVec([Uint8Array.of(0x00, 0x01)])),
      encodeSection(11, encodeVec([concatBytes(Uint8Array.of(0x00, 0x41, 0x00, 0x0b), uleb128(payload.length), payload)])),
    );
    const { text } = await printWat(bytes, { full: true });
    const segment = /\(data \(;0;\) \(i32\.const 0\) "([a-zA-Z]*)"\)/.exec(text);
    assert.ok(segment, text.slice(0, 200));
    assert.equal(segment[1], new TextDecoder().decode(payload));
    const controller = new AbortController();
    const printing = printWat(bytes, { full: true, signal: controller.signal });
    controller.abort();
    await assert.rejects(printing, PrintCancelled);
  });

  it('refuses bytes wasm-tools cannot print with its reason', async () => {
    await assert.rejects(printWat(concatBytes(MODULE_HEADER, Uint8Array.of(0x01, 0x05, 0x01))), /wasm-tools could not print this binary/);
  });
});
