import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memorySource, readBinary, WasmFormatError } from '../../../src/core/binary';
import { concatBytes, encodeName, encodeSection, encodeVec, MODULE_HEADER, uleb128 } from '../../fixtures/encode';

const COMPONENT_HEADER = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00);
const funcType = Uint8Array.of(0x60, 0x00, 0x00);

async function expectFormatError(bytes: Uint8Array, offset: number, reason: RegExp): Promise<void> {
  await assert.rejects(readBinary(memorySource(bytes)), (error: unknown) => {
    assert.ok(error instanceof WasmFormatError, `expected WasmFormatError, got ${String(error)}`);
    assert.match(error.reason, reason);
    assert.equal(error.offset, offset, `offset of "${error.reason}"`);
    assert.ok(!error.reason.includes('\n'), 'one line');
    return true;
  });
}

describe('binary reader: bad input gives a typed error with the offset', () => {
  it('a file shorter than the header', () => expectFormatError(Uint8Array.of(0x00, 0x61, 0x73), 0, /too short/));
  it('an empty file', () => expectFormatError(new Uint8Array(0), 0, /0 bytes is too short/));
  it('wrong magic', () => expectFormatError(new TextEncoder().encode('#!/bin/sh\necho'), 0, /not a WebAssembly binary.*23 21 2f 62/));
  it('unsupported module version', () =>
    expectFormatError(Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0), 4, /unsupported binary version 2/));
  it('a pre-release component version', () =>
    expectFormatError(Uint8Array.of(0, 0x61, 0x73, 0x6d, 0x0c, 0, 1, 0), 4, /component binary version 0xc is not supported/));

  it('a section longer than the file', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, Uint8Array.of(1), uleb128(100), funcType),
      8,
      /type section declares 100 bytes but only 3 remain in the file/,
    ));

  it('an unknown section id', () => expectFormatError(concatBytes(MODULE_HEADER, Uint8Array.of(0x42, 0)), 8, /unknown section id 66/));

  it('a LEB128 longer than five bytes', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, Uint8Array.of(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)),
      9,
      /bad LEB128 section size: longer than 5 bytes/,
    ));

  it('a LEB128 that overflows 32 bits', () =>
    expectFormatError(concatBytes(MODULE_HEADER, Uint8Array.of(1, 0xff, 0xff, 0xff, 0xff, 0x7f)), 9, /does not fit in 32 bits/));

  it('a LEB128 cut off by the end of the file', () =>
    expectFormatError(concatBytes(MODULE_HEADER, Uint8Array.of(1, 0x80)), 9, /unexpected end of data in section size/));

  it('an absurd count in a tiny file is refused before anything is allocated', () =>
    // 4 billion imports claimed by a 16-byte file.
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(2, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f))),
      10,
      /import count 4294967295 is larger than/,
    ));

  it('an out-of-range type index in the function section', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(1, encodeVec([funcType])), encodeSection(3, encodeVec([uleb128(5)]))),
      17,
      /type index 5 is out of range \(the module has 1 types\)/,
    ));

  it('an export that refers to a missing function', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(7, encodeVec([concatBytes(encodeName('run'), Uint8Array.of(0), uleb128(3))]))),
      15,
      /export "run" refers to func 3, but there are only 0/,
    ));

  it('a start function out of range', () =>
    expectFormatError(concatBytes(MODULE_HEADER, encodeSection(8, uleb128(0))), 10, /start function 0 is out of range/));

  it('duplicate sections', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(1, encodeVec([])), encodeSection(1, encodeVec([]))),
      11,
      /duplicate type section/,
    ));

  it('sections out of order', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(3, encodeVec([])), encodeSection(1, encodeVec([]))),
      11,
      /type section must come before the function section/,
    ));

  it('function and code counts that differ', () =>
    expectFormatError(
      concatBytes(
        MODULE_HEADER,
        encodeSection(1, encodeVec([funcType])),
        encodeSection(3, encodeVec([uleb128(0)])),
        encodeSection(10, encodeVec([])),
      ),
      20,
      /code section has 0 bodies but the function section declares 1 functions/,
    ));

  it('a name that is not UTF-8', () =>
    expectFormatError(
      concatBytes(
        MODULE_HEADER,
        encodeSection(2, concatBytes(uleb128(1), uleb128(2), Uint8Array.of(0xc3, 0x28), encodeName('x'), Uint8Array.of(0), uleb128(0))),
      ),
      11,
      /import module name is not valid UTF-8/,
    ));

  it('trailing bytes inside a section', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(1, concatBytes(encodeVec([funcType]), Uint8Array.of(0x00)))),
      14,
      /type section has 1 unexpected bytes at its end/,
    ));

  it('a component whose nested module is not a module', () =>
    expectFormatError(
      concatBytes(COMPONENT_HEADER, encodeSection(1, concatBytes(COMPONENT_HEADER))),
      10,
      /expected a nested module here, found a component/,
    ));

  it('a broken name section is a warning, not a failure', async () => {
    const nameSection = concatBytes(encodeName('name'), Uint8Array.of(1), uleb128(5), uleb128(9), uleb128(0));
    const binary = await readBinary(memorySource(concatBytes(MODULE_HEADER, encodeSection(0, nameSection))));
    assert.equal(binary.kind, 'module');
    assert.equal(binary.warnings.length, 1);
    assert.match(binary.warnings[0]!.message, /name section ignored/);
  });

  it('a signed LEB whose unused bits are not the sign (a global initialiser)', () =>
    // (global i32 (i32.const ...)) with 0x70 as the fifth byte: bits above the 32nd are not all 0 or all 1.
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(6, encodeVec([Uint8Array.of(0x7f, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0b)]))),
      14,
      /bad LEB128 i32\.const: value does not fit in 32 bits/,
    ));

  it('a data count section without a data section', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(12, uleb128(1))),
      10,
      /data count section says 1 segments but there is no data section/,
    ));

  it('a data segment longer than its section', () =>
    expectFormatError(
      concatBytes(
        MODULE_HEADER,
        encodeSection(5, encodeVec([Uint8Array.of(0, 1)])),
        encodeSection(11, encodeVec([Uint8Array.of(0x01, 0x09, 0x61)])),
      ),
      16,
      /data segment 0 declares 9 bytes but only 1 remain/,
    ));

  it('an element segment with an unknown opcode in its offset expression', () =>
    expectFormatError(
      concatBytes(MODULE_HEADER, encodeSection(9, encodeVec([Uint8Array.of(0x00, 0xf3, 0x0b, 0x00)]))),
      12,
      /unknown opcode 0xf3/,
    ));
});

describe('binary reader: names and what it does not check', () => {
  it('keeps a leading U+FEFF in names (TextDecoder drops it unless told not to)', async () => {
    const bytes = concatBytes(
      MODULE_HEADER,
      encodeSection(1, encodeVec([funcType])),
      encodeSection(3, encodeVec([uleb128(0)])),
      encodeSection(7, encodeVec([concatBytes(encodeName('\uFEFFrun'), Uint8Array.of(0), uleb128(0))])),
      encodeSection(10, encodeVec([Uint8Array.of(2, 0, 0x0b)])),
    );
    const module = await readBinary(memorySource(bytes));
    assert.equal(module.exports[0]!.name, '\uFEFFrun');
    assert.ok(module.kind === 'module');
    assert.deepEqual(module.unchecked, [{ part: 'function bodies', offset: bytes.length - 4, size: 4 }]);
  });
});
