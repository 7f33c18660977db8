import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectBytes, inspectFile, type InspectReport } from '../../../src/core/inspect';
import { sizeBreakdown } from '../../../src/core/inspect/size';
import { fixtureBytes, fixturePath } from '../../fixtures';
import {
  concatBytes,
  encodeCustomSection,
  encodeName,
  encodeSection,
  encodeVec,
  MODULE_HEADER,
  SectionId,
  uleb128,
  uleb128Padded,
} from '../../fixtures/encode';

/** A report with only what sizeBreakdown reads filled in. */
function report(partial: Pick<InspectReport, 'sizeBytes' | 'sections'> & Partial<InspectReport>): InspectReport {
  return {
    kind: 'module',
    imports: [],
    exports: [],
    customSections: [],
    features: [],
    functions: { imported: 0, defined: 0, codeBytes: 0 },
    debug: { dwarf: false },
    host: { kind: 'no-imports', title: '', summary: [], runnableByWasiRuntime: true, unknownModules: [], notes: [] },
    capabilities: [],
    capabilitySummary: [],
    unrecognisedImports: [],
    warnings: [],
    bytesRead: 0,
    ...partial,
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('size breakdown', () => {
  it('counts each section from its id byte to the next section, so the slices add up to the file', () => {
    const r = report({
      sizeBytes: 1000,
      sections: [
        { id: 1, name: 'type', offset: 8, size: 10 },
        { id: 10, name: 'code', offset: 20, size: 900 },
        { id: 0, name: 'custom:name', offset: 923, size: 75 },
      ],
    });
    const b = sizeBreakdown(r);
    assert.equal(b.totalBytes, 1000);
    assert.deepEqual(
      b.sections.map((s) => [s.key, s.label, s.kind, s.bytes, s.count]),
      [
        ['code', 'code', 'section', 903, 1],
        ['custom:name', 'custom section name', 'custom', 77, 1],
        ['type', 'type', 'section', 12, 1],
        ['header', 'file header', 'header', 8, 1],
      ],
    );
    assert.equal(sum(b.sections.map((s) => s.bytes)), 1000);
    assert.ok(Math.abs(sum(b.sections.map((s) => s.share)) - 1) < 1e-9);
    assert.equal(b.sections[0]!.share, 0.903);
    assert.equal(b.functions, undefined, 'no bodies were read');
    assert.equal(b.modules, undefined);
  });

  it('adds up sections of the same name (components repeat type, import, alias...) in file order or not', () => {
    const r = report({
      kind: 'component',
      sizeBytes: 100,
      sections: [
        { id: 10, name: 'import', offset: 40, size: 8 },
        { id: 7, name: 'type', offset: 8, size: 20 },
        { id: 10, name: 'import', offset: 30, size: 8 },
        { id: 7, name: 'type', offset: 50, size: 48 },
      ],
    });
    const b = sizeBreakdown(r);
    assert.deepEqual(
      b.sections.map((s) => [s.key, s.bytes, s.count]),
      [
        ['type', 22 + 50, 2],
        ['import', 20, 2],
        ['header', 8, 1],
      ],
    );
  });

  it('puts the smallest sections into one "other" slice past maxSections', () => {
    const sections = Array.from({ length: 20 }, (_, i) => ({
      id: 0,
      name: `custom:s${String(i).padStart(2, '0')}`,
      offset: 8 + i * 10,
      size: 8,
    }));
    const b = sizeBreakdown(report({ sizeBytes: 8 + 20 * 10 + 90, sections }), { maxSections: 5 });
    assert.equal(b.sections.length, 5);
    // The last section runs to the end of the file (100 bytes): it is the largest.
    assert.deepEqual(
      b.sections.slice(0, 4).map((s) => [s.key, s.bytes]),
      [
        ['custom:s19', 100],
        ['custom:s00', 10],
        ['custom:s01', 10],
        ['custom:s02', 10],
      ],
    );
    const other = b.sections[4]!;
    assert.equal(other.key, 'other');
    assert.equal(other.kind, 'other');
    assert.equal(other.count, 16 + 1, '16 sections and the header');
    assert.equal(other.label, '17 smaller sections');
    assert.equal(other.bytes, 16 * 10 + 8);
    assert.equal(sum(b.sections.map((s) => s.bytes)), 8 + 200 + 90);
  });

  it('handles an empty file and a header-only module without dividing by zero', () => {
    assert.deepEqual(sizeBreakdown(report({ sizeBytes: 0, sections: [] })).sections, []);
    const header = sizeBreakdown(report({ sizeBytes: 8, sections: [] }));
    assert.deepEqual(
      header.sections.map((s) => [s.key, s.bytes, s.share]),
      [['header', 8, 1]],
    );
    const empty = sizeBreakdown(report({ sizeBytes: 8, sections: [], functions: { imported: 0, defined: 0, codeBytes: 0, bodies: [] } }));
    assert.deepEqual(empty.functions, { count: 0, totalBytes: 0, largest: [], other: { count: 0, bytes: 0, share: 0 } });
  });

  it('lists the largest functions with their names and adds up the rest', () => {
    const bodies = [
      { index: 3, offset: 0, size: 50, name: 'small' },
      { index: 4, offset: 0, size: 400, name: 'big' },
      { index: 5, offset: 0, size: 200 },
      { index: 6, offset: 0, size: 200, name: 'tie_later' },
      { index: 7, offset: 0, size: 150 },
    ];
    const b = sizeBreakdown(report({ sizeBytes: 2000, sections: [], functions: { imported: 3, defined: 5, codeBytes: 1010, bodies } }), {
      topFunctions: 3,
    });
    const f = b.functions!;
    assert.equal(f.count, 5);
    assert.equal(f.totalBytes, 1000);
    assert.deepEqual(
      f.largest.map((x) => [x.index, x.name, x.named, x.bytes, x.share]),
      [
        [4, 'big', true, 400, 0.4],
        [5, 'func[5]', false, 200, 0.2],
        [6, 'tie_later', true, 200, 0.2],
      ],
    );
    assert.deepEqual(f.other, { count: 2, bytes: 200, share: 0.2 });
  });

  it('counts padded size prefixes (as linkers write them) as section bytes', async () => {
    const body = Uint8Array.of(0x00, 0x0b);
    const codePayload = concatBytes(uleb128(1), uleb128(body.length), body);
    const functionNames = encodeVec([concatBytes(uleb128(0), encodeName('only'))]);
    const bytes = concatBytes(
      MODULE_HEADER,
      encodeSection(SectionId.Type, encodeVec([Uint8Array.of(0x60, 0, 0)])),
      encodeSection(SectionId.Function, encodeVec([uleb128(0)])),
      // id, a 5-byte padded size, payload
      Uint8Array.of(SectionId.Code),
      uleb128Padded(codePayload.length, 5),
      codePayload,
      encodeCustomSection('name', concatBytes(Uint8Array.of(1), uleb128(functionNames.length), functionNames)),
    );
    const r = await inspectBytes(bytes, { functionBodies: true });
    const b = sizeBreakdown(r);
    assert.equal(b.sections.find((s) => s.key === 'code')!.bytes, 1 + 5 + codePayload.length);
    assert.equal(sum(b.sections.map((s) => s.bytes)), bytes.length);
    assert.deepEqual(
      b.functions!.largest.map((f) => [f.name, f.bytes]),
      [['only', 2]],
    );
  });

  it('a C module: sections add up to the file, functions are named from the name section', async () => {
    const r = await inspectFile(await fixturePath('preview1-command'), { functionBodies: true });
    const b = sizeBreakdown(r, { topFunctions: 10 });
    assert.equal(sum(b.sections.map((s) => s.bytes)), r.sizeBytes);
    assert.equal(b.sections[0]!.key, 'code', 'code is the largest part of a C program');
    const f = b.functions!;
    assert.equal(f.count, r.functions.defined);
    assert.equal(f.largest.length, 10);
    assert.equal(f.totalBytes, sum(r.functions.bodies!.map((x) => x.size)));
    assert.ok(f.totalBytes < r.functions.codeBytes);
    for (let i = 1; i < f.largest.length; i++) assert.ok(f.largest[i - 1]!.bytes >= f.largest[i]!.bytes);
    assert.ok(
      f.largest.every((x) => x.named),
      'clang keeps the name section with --strip-debug',
    );
    assert.equal(f.largest.reduce((n, x) => n + x.bytes, 0) + f.other.bytes, f.totalBytes);
  });

  it('a component: repeated sections are added up and its core modules are listed', async () => {
    const r = await inspectBytes(await fixtureBytes('component-command'), { wit: false });
    const b = sizeBreakdown(r);
    assert.equal(sum(b.sections.map((s) => s.bytes)), r.sizeBytes);
    assert.equal(b.sections[0]!.key, 'core module');
    assert.equal(b.sections[0]!.count, r.coreModules!.length);
    assert.equal(b.functions, undefined);
    const modules = b.modules!;
    assert.equal(modules.length, r.coreModules!.length);
    for (let i = 1; i < modules.length; i++) assert.ok(modules[i - 1]!.bytes >= modules[i]!.bytes);
    assert.ok(modules[0]!.share > 0.3 && modules[0]!.share < 1);
  });
});
