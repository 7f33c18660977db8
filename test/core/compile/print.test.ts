import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileWat, printWat } from '../../../src/core/compile';
import { fixtureBytes } from '../../fixtures';
import { concatBytes, encodeName, encodeSection, encodeVec, MODULE_HEADER, uleb128 } from '../../fixtures/encode';

describe('Wasm → WAT', () => {
  it('prints GC types that wabt cannot read, and the text compiles back to the same module shape', async () => {
    const { text, elidedFunctions, truncated } = await printWat(await fixtureBytes('gc-types'));
    assert.match(text, /\(rec\b/);
    assert.match(text, /\(sub final \$node/);
    assert.match(text, /\(array \(mut \(ref null \$tree\)\)\)/);
    assert.equal(elidedFunctions, 0);
    assert.equal(truncated, false);
    const again = await compileWat(text);
    assert.ok(again.ok, JSON.stringify(!again.ok && again.diagnostics));
  });

  it('prints a component with its imports and nested modules', async () => {
    const { text } = await printWat(await fixtureBytes('component-command'));
    assert.match(text, /^\(component/m);
    assert.match(text, /\(import "wasi:cli\/environment@0\.2\.\d+"/);
    assert.match(text, /\(core module/);
  });

  it('elides bodies past the budget and says so, keeping signatures and exports', async () => {
    const body = (n: number) => concatBytes(uleb128(n + 2), Uint8Array.of(0x00), new Uint8Array(n).fill(0x01), Uint8Array.of(0x0b));
    const bytes = concatBytes(
      MODULE_HEADER,
      encodeSection(1, encodeVec([Uint8Array.of(0x60, 0, 0)])),
      encodeSection(3, encodeVec([uleb128(0), uleb128(0), uleb128(0)])),
      encodeSection(7, encodeVec([concatBytes(encodeName('last'), Uint8Array.of(0), uleb128(2))])),
      encodeSection(10, encodeVec([body(1000), body(1000), body(1000)])),
    );
    const { text, elidedFunctions } = await printWat(bytes, { maxCodeBytes: 1500 });
    assert.equal(elidedFunctions, 2);
    assert.match(text, /^;; Wasm Workbench: .*The bodies of 2 functions/m);
    assert.match(text, /\(export "last" \(func 2\)\)/);
    assert.equal(text.split('nop').length - 1, 1000);
  });

  it('cuts text at the character cap with a note', async () => {
    const { text, truncated } = await printWat(await fixtureBytes('component-command'), { maxChars: 2000 });
    assert.equal(truncated, true);
    assert.ok(text.length < 2300);
    assert.match(text, /the text was cut at/);
  });
});
