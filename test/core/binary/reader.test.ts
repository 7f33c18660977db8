import assert from 'node:assert/strict';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { memorySource, readBinary, type ComponentInfo, type ModuleInfo } from '../../../src/core/binary';
import { openFileSource } from '../../../src/core/platform/file-source';
import { fixtureBytes, fixturePath } from '../../fixtures';
import { concatBytes, encodeName, encodeSection, encodeVec, MODULE_HEADER, uleb128 } from '../../fixtures/encode';

async function readModule(name: Parameters<typeof fixtureBytes>[0], functionBodies = false): Promise<ModuleInfo> {
  const binary = await readBinary(memorySource(await fixtureBytes(name)), { functionBodies });
  assert.equal(binary.kind, 'module');
  return binary as ModuleInfo;
}

describe('binary reader: core modules', () => {
  it('reads a WASI preview1 command built by clang: imports with full signatures, exports, producers', async () => {
    const m = await readModule('preview1-command');
    const fdWrite = m.imports.find((i) => i.module === 'wasi_snapshot_preview1' && i.name === 'fd_write');
    assert.ok(fdWrite, 'fd_write import');
    assert.equal(fdWrite.kind, 'func');
    assert.equal(fdWrite.type, '(func (param i32 i32 i32 i32) (result i32))');
    const start = m.exports.find((e) => e.name === '_start');
    assert.deepEqual(start && { kind: start.kind, type: start.type }, { kind: 'func', type: '(func)' });
    assert.ok(
      m.producers?.['processed-by']?.some((p) => /clang/.test(p.name)),
      'clang in processed-by',
    );
    assert.deepEqual(
      m.sections
        .filter((s) => s.id !== 0)
        .map((s) => s.name)
        .slice(0, 3),
      ['type', 'import', 'function'],
    );
    assert.equal(m.functions.bodies, undefined, 'bodies are read only when asked');
    assert.ok(m.functions.defined > 0 && m.functions.codeBytes > 0);
  });

  it('decodes GC types: rec groups, sub/final with supertypes, packed and mutable struct fields, arrays, typed refs', async () => {
    const m = await readModule('gc-types');
    const recGroups = new Set(m.types.filter((t) => t.explicitRec).map((t) => t.recGroup));
    assert.ok(recGroups.size >= 1, 'an explicit rec group');
    assert.ok(m.types.filter((t) => t.explicitRec && recGroups.has(t.recGroup)).length >= 2, 'rec group with two or more types');
    const sub = m.types.find((t) => t.supertypes.length > 0);
    assert.ok(sub, 'a subtype with a supertype');
    assert.ok(
      m.types.some((t) => !t.final),
      'a non-final type',
    );
    const structs = m.types.filter((t) => t.composite.kind === 'struct');
    const fields = structs.flatMap((t) => (t.composite.kind === 'struct' ? t.composite.fields : []));
    assert.ok(
      fields.some((f) => f.storage === 'i8'),
      'packed i8 field',
    );
    assert.ok(
      fields.some((f) => f.storage === 'i16'),
      'packed i16 field',
    );
    assert.ok(
      fields.some((f) => f.mutable),
      'mutable field',
    );
    assert.ok(
      m.types.some((t) => t.composite.kind === 'array'),
      'array type',
    );
    const signatures = m.exports
      .filter((e) => e.kind === 'func')
      .map((e) => e.type)
      .join(' ');
    assert.match(signatures, /\(ref null (\$\w+|\d+)\)/, `typed reference in an exported signature: ${signatures}`);
  });

  it('reads memory64 limits and 64-bit sizes', async () => {
    const m = await readModule('memory64');
    const memory = [...m.memories, ...m.imports.flatMap((i) => (i.descriptor.kind === 'memory' ? [i.descriptor.memory] : []))];
    assert.ok(
      memory.some((x) => x.is64 && x.max !== undefined),
      JSON.stringify(memory),
    );
    const exported = m.exports.find((e) => e.kind === 'memory');
    if (exported) assert.match(exported.type, /^\(memory i64 /);
  });

  it('counts multiple memories, imported ones first in the index space', async () => {
    const m = await readModule('multi-memory');
    const imported = m.imports.filter((i) => i.kind === 'memory');
    assert.equal(imported.length + m.memories.length, 3);
    assert.ok(imported.length >= 1);
  });

  it('reads shared memory limits (threads)', async () => {
    const m = await readModule('shared-memory');
    const shared = m.imports.find((i) => i.descriptor.kind === 'memory' && i.descriptor.memory.shared);
    assert.ok(shared, 'imported shared memory');
    assert.match(shared.type, /shared\)$/);
  });

  it('reads tables of funcref, externref and typed reference types', async () => {
    const m = await readModule('tables');
    const all = [...m.imports.flatMap((i) => (i.descriptor.kind === 'table' ? [i.descriptor.table] : [])), ...m.tables];
    const elements = all.map((t) => t.element);
    assert.ok(elements.includes('funcref'), elements.join());
    assert.ok(elements.includes('externref'), elements.join());
    assert.ok(
      elements.some((e) => e.startsWith('(ref')),
      elements.join(),
    );
    assert.ok(
      m.imports.some((i) => i.kind === 'table'),
      'an imported table',
    );
  });

  it('reads exception tags, imported and defined, with their signatures', async () => {
    const m = await readModule('tags');
    assert.ok(
      m.imports.some((i) => i.kind === 'tag'),
      'imported tag',
    );
    assert.ok(m.tags.length >= 1, 'defined tag');
    const exported = m.exports.find((e) => e.kind === 'tag');
    assert.ok(exported, 'exported tag');
    assert.match(exported.type, /^\(tag( \(param [^)]*\))?\)$/);
    assert.ok(m.sections.some((s) => s.name === 'tag'));
  });

  it('reads globals, the start function, element and data segments and the data count', async () => {
    const m = await readModule('globals-start-data');
    assert.notEqual(m.start, undefined);
    assert.ok(
      m.imports.some((i) => i.descriptor.kind === 'global' && i.descriptor.global.mutable),
      'imported mutable global',
    );
    assert.ok(m.globals.length >= 1);
    assert.ok(m.elementSegments >= 1);
    assert.ok(m.dataSegments >= 1);
    assert.equal(m.dataCount, m.dataSegments);
  });

  it('resolves names and decodes producers, target_features, sourceMappingURL and external_debug_info', async () => {
    const m = await readModule('names-producers');
    assert.ok(m.names.module, 'module name');
    assert.ok(Object.keys(m.names.functions).length > 0, 'function names');
    assert.ok(
      m.exports.some((e) => e.internalName !== undefined),
      'an export resolved to its internal name',
    );
    assert.ok(m.producers?.language?.length, 'producers.language');
    assert.ok(m.producers?.['processed-by']?.length, 'producers.processed-by');
    assert.ok(
      m.targetFeatures?.some((f) => f.prefix === '+'),
      'target features',
    );
    assert.ok(m.sourceMappingURL, 'sourceMappingURL');
    assert.ok(m.externalDebugInfo, 'external_debug_info');
    assert.ok(
      m.customSections.some((s) => s.category === 'other'),
      'an arbitrary custom section listed',
    );
    assert.deepEqual(m.warnings, []);
  });

  it('lists DWARF sections of a -g build by name and size', async () => {
    const m = await readModule('preview1-everything');
    const dwarf = m.customSections.filter((s) => s.category === 'dwarf');
    assert.ok(
      dwarf.some((s) => s.name === '.debug_info' && s.size > 0),
      dwarf.map((s) => s.name).join(),
    );
  });

  it('decodes dylink.0 and recognises relocatable object files', async () => {
    const dylib = await readModule('dylink');
    assert.ok(dylib.dylink, 'dylink info');
    assert.ok(dylib.dylink.neededDynlibs.length >= 1);
    assert.ok((dylib.dylink.memorySize ?? 0) > 0);
    const object = await readModule('object-file');
    assert.equal(object.linkingVersion, 2);
    assert.ok(
      object.customSections.some((s) => s.category === 'relocation'),
      'reloc.* sections',
    );
  });

  it('reads function body sizes only when asked, with names from the name section', async () => {
    const m = await readModule('names-producers', true);
    assert.ok(m.functions.bodies);
    assert.equal(m.functions.bodies.length, m.functions.defined);
    assert.equal(m.functions.bodies[0]!.index, m.functions.imported);
    assert.ok(m.functions.bodies.some((b) => b.name !== undefined));
    const code = m.sections.find((s) => s.name === 'code')!;
    for (const body of m.functions.bodies) {
      assert.ok(body.offset > code.payloadOffset && body.offset + body.size <= code.payloadOffset + code.size);
    }
  });

  it('steps over the code section: a module with 8 MB of code costs a few KB of reads', async () => {
    const body = concatBytes(uleb128(0), new Uint8Array(8 * 1024 * 1024).fill(0x01), Uint8Array.of(0x0b));
    const bytes = concatBytes(
      MODULE_HEADER,
      encodeSection(1, encodeVec([Uint8Array.of(0x60, 0, 0)])),
      encodeSection(
        2,
        encodeVec([concatBytes(encodeName('wasi_snapshot_preview1'), encodeName('proc_exit'), Uint8Array.of(0x00), uleb128(0))]),
      ),
      encodeSection(3, encodeVec([uleb128(0)])),
      encodeSection(7, encodeVec([concatBytes(encodeName('_start'), Uint8Array.of(0x00), uleb128(1))])),
      encodeSection(10, encodeVec([concatBytes(uleb128(body.length), body)])),
    );
    const dir = join(process.cwd(), '.test-output', 'reader');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'big-code.wasm');
    await writeFile(path, bytes);
    const source = await openFileSource(path);
    try {
      const m = (await readBinary(source)) as ModuleInfo;
      assert.equal(m.imports.length, 1);
      assert.equal(m.exports[0]!.name, '_start');
      assert.ok(source.bytesRead < bytes.length / 100, `read ${source.bytesRead} of ${bytes.length} bytes`);
    } finally {
      await source.close();
    }
  });
});

describe('binary reader: components', () => {
  it('reads a preview1 program turned into a component: WASI 0.2 imports, wasi:cli/run export, nested modules', async () => {
    const binary = await readBinary(memorySource(await fixtureBytes('component-command')));
    assert.equal(binary.kind, 'component');
    const c = binary as ComponentInfo;
    assert.ok(
      c.imports.some((i) => /^wasi:cli\/(stdout|environment|exit)@0\.2\.\d+$/.test(i.name) && i.kind === 'instance'),
      c.imports.map((i) => i.name).join(),
    );
    assert.ok(
      c.exports.some((e) => /^wasi:cli\/run@0\.2\.\d+$/.test(e.name)),
      c.exports.map((e) => e.name).join(),
    );
    assert.ok(c.coreModules.length >= 2, 'the program and the adapter');
    const main = c.coreModules.reduce((a, b) => (a.sizeBytes > b.sizeBytes ? a : b));
    assert.ok(main.module.imports.length > 0 && main.sizeBytes > 1000);
  });

  it('reads a component exporting wasi:http/incoming-handler', async () => {
    const c = (await readBinary(memorySource(await fixtureBytes('component-http')))) as ComponentInfo;
    assert.equal(c.kind, 'component');
    assert.ok(c.exports.some((e) => e.name.startsWith('wasi:http/incoming-handler@0.2')));
    assert.ok(c.imports.some((i) => i.name.startsWith('wasi:http/types@0.2')));
  });

  it('reads the same result from a file as from memory', async () => {
    const path = await fixturePath('component-command');
    const source = await openFileSource(path);
    try {
      const fromFile = await readBinary(source);
      const fromMemory = await readBinary(memorySource(await fixtureBytes('component-command')));
      assert.deepEqual(fromFile, fromMemory);
    } finally {
      await source.close();
    }
  });
});
