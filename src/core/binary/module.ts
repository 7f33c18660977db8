/** Core module reader: every section of the current binary format, reading payloads only where needed. */
import { Cursor } from './cursor';
import {
  categorizeCustomSection,
  decodeDylink,
  decodeNameSection,
  decodeProducers,
  decodeTargetFeatures,
  decodeUrl,
  emptyNameMap,
} from './custom-sections';
import { failAt, WasmFormatError, type ReadWarning } from './errors';
import type {
  CustomSection,
  Export,
  ExternKind,
  FunctionBody,
  GlobalType,
  Import,
  Limits,
  ModuleInfo,
  NameMap,
  TableType,
  TypeDefinition,
} from './model';
import { customContentCursor, payloadCursor, scanSections, toSectionInfo, type RawSection } from './sections';
import { readDataSegmentHeader, stepElementSegment } from './segments';
import { WindowedReader } from './source';
import {
  checkTypeIndex,
  formatFuncSignature,
  formatLimits,
  readGlobalType,
  readLimits,
  readTableType,
  readTypeSection,
  skipConstantExpression,
  type TypeNamer,
} from './types';

export interface ReadOptions {
  /** Also read the size of every function body (one small read per body; off by default). */
  functionBodies?: boolean;
}

const moduleSectionNames: Record<number, string> = {
  0: 'custom',
  1: 'type',
  2: 'import',
  3: 'function',
  4: 'table',
  5: 'memory',
  6: 'global',
  7: 'export',
  8: 'start',
  9: 'element',
  10: 'code',
  11: 'data',
  12: 'datacount',
  13: 'tag',
};
export const moduleSectionName = (id: number): string | undefined => moduleSectionNames[id];

/** Position of each non-custom section in the order the format requires (tag sits between memory and global). */
const sectionRank: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13 };

const importKinds: ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

export async function readModuleAt(reader: WindowedReader, start: number, end: number, options: ReadOptions = {}): Promise<ModuleInfo> {
  const raw = await scanSections(reader, start + 8, end, moduleSectionName);
  checkOrder(raw);

  const warnings: ReadWarning[] = [];
  const names = emptyNameMap();
  const module: ModuleInfo = {
    kind: 'module',
    offset: start,
    sizeBytes: end - start,
    sections: raw.map((s) => toSectionInfo(s, moduleSectionName)),
    types: [],
    imports: [],
    exports: [],
    functions: { imported: 0, defined: 0, codeBytes: 0 },
    tables: [],
    memories: [],
    globals: [],
    tags: [],
    elementSegments: 0,
    dataSegments: 0,
    customSections: [],
    names,
    warnings,
  };

  // Custom sections first: type names from the `name` section are used when printing signatures.
  for (const section of raw) if (section.id === 0) await readCustomSection(reader, section, module);
  const typeNamer: TypeNamer = (index) => (names.types[index] !== undefined ? `$${names.types[index]}` : String(index));

  const byId = new Map<number, RawSection>();
  for (const section of raw) if (section.id !== 0) byId.set(section.id, section);
  const cursorFor = async (id: number) => {
    const section = byId.get(id);
    return section ? payloadCursor(reader, section) : undefined;
  };

  let c = await cursorFor(1);
  if (c) {
    // Rec groups may refer forward, so indices used inside types are checked once all types are known.
    let highestReference = -1;
    const recordingNamer: TypeNamer = (index) => {
      highestReference = Math.max(highestReference, index);
      return typeNamer(index);
    };
    const sectionStart = c.offset;
    module.types = readTypeSection(c, recordingNamer);
    expectEnd(c, 'type');
    if (highestReference >= module.types.length) {
      failAt(sectionStart, `a type refers to type ${highestReference}, but there are only ${module.types.length} types`);
    }
  }
  const typeCount = module.types.length;
  const funcTypes: number[] = []; // type index of every function, imported ones first
  const tagTypes: number[] = [];

  c = await cursorFor(2);
  if (c) {
    const n = c.count('import', 4);
    const counters: Record<ExternKind, number> = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
    for (let i = 0; i < n; i++) {
      const moduleName = c.name('import module name');
      const name = c.name('import name');
      const at = c.offset;
      const kind = importKinds[c.u8()];
      if (!kind) c.fail(`unknown import kind 0x${c.bytes[c.pos - 1]!.toString(16)} for ${moduleName}.${name}`, at);
      const index = counters[kind]++;
      const descriptor = readImportDescriptor(c, kind, typeCount, typeNamer, module.types);
      if (descriptor.kind === 'func') funcTypes.push(descriptor.typeIndex);
      if (descriptor.kind === 'tag') tagTypes.push(descriptor.typeIndex);
      module.imports.push({ module: moduleName, name, kind, descriptor, index, type: describeImport(descriptor, module.types, typeNamer) });
    }
    expectEnd(c, 'import');
    module.functions.imported = counters.func;
  }

  c = await cursorFor(3);
  if (c) {
    const n = c.count('function');
    for (let i = 0; i < n; i++) {
      const at = c.offset;
      const typeIndex = c.u32('function type index');
      checkFunctionType(c, typeIndex, module.types, at);
      funcTypes.push(typeIndex);
    }
    expectEnd(c, 'function');
    module.functions.defined = n;
  }

  c = await cursorFor(4);
  if (c) {
    const n = c.count('table');
    for (let i = 0; i < n; i++) {
      if (c.peekU8() === 0x40) {
        // function-references: a table with an explicit initialiser expression.
        c.u8();
        if (c.u8() !== 0x00) c.fail('bad table initialiser prefix', c.offset - 1);
        module.tables.push(readTableType(c, typeCount, typeNamer));
        skipConstantExpression(c);
      } else {
        module.tables.push(readTableType(c, typeCount, typeNamer));
      }
    }
    expectEnd(c, 'table');
  }

  c = await cursorFor(5);
  if (c) {
    const n = c.count('memory');
    for (let i = 0; i < n; i++) module.memories.push(readLimits(c, 'memory'));
    expectEnd(c, 'memory');
  }

  c = await cursorFor(13);
  if (c) {
    const n = c.count('tag', 2);
    for (let i = 0; i < n; i++) {
      if (c.u8() !== 0x00) c.fail('tag attribute must be 0 (exception)', c.offset - 1);
      const at = c.offset;
      const typeIndex = c.u32('tag type index');
      checkFunctionType(c, typeIndex, module.types, at);
      module.tags.push(typeIndex);
      tagTypes.push(typeIndex);
    }
    expectEnd(c, 'tag');
  }

  c = await cursorFor(6);
  if (c) {
    const n = c.count('global', 3);
    for (let i = 0; i < n; i++) {
      module.globals.push(readGlobalType(c, typeCount, typeNamer));
      skipConstantExpression(c);
    }
    expectEnd(c, 'global');
  }

  const importedOf = (kind: ExternKind) => module.imports.filter((i) => i.kind === kind);
  const spaces: Record<ExternKind, number> = {
    func: funcTypes.length,
    table: importedOf('table').length + module.tables.length,
    memory: importedOf('memory').length + module.memories.length,
    global: importedOf('global').length + module.globals.length,
    tag: tagTypes.length,
  };

  c = await cursorFor(7);
  if (c) {
    const n = c.count('export', 3);
    const seen = new Set<string>();
    const importedTables = importedOf('table');
    const importedMemories = importedOf('memory');
    const importedGlobals = importedOf('global');
    for (let i = 0; i < n; i++) {
      const nameAt = c.offset;
      const name = c.name('export name');
      if (seen.has(name)) c.fail(`duplicate export name "${name}"`, nameAt);
      seen.add(name);
      const at = c.offset;
      const kind = importKinds[c.u8()];
      if (!kind) c.fail(`unknown export kind 0x${c.bytes[c.pos - 1]!.toString(16)} for "${name}"`, at);
      const index = c.u32('export index');
      if (index >= spaces[kind]) c.fail(`export "${name}" refers to ${kind} ${index}, but there are only ${spaces[kind]}`, at);
      let type: string;
      switch (kind) {
        case 'func':
          type = describeFunctionType(funcTypes[index]!, module.types, typeNamer, 'func');
          break;
        case 'tag':
          type = describeFunctionType(tagTypes[index]!, module.types, typeNamer, 'tag');
          break;
        case 'table': {
          const table =
            index < importedTables.length
              ? (importedTables[index]!.descriptor as { table: TableType }).table
              : module.tables[index - importedTables.length]!;
          type = describeTable(table);
          break;
        }
        case 'memory': {
          const memory =
            index < importedMemories.length
              ? (importedMemories[index]!.descriptor as { memory: Limits }).memory
              : module.memories[index - importedMemories.length]!;
          type = `(memory ${formatLimits(memory)})`;
          break;
        }
        case 'global': {
          const global =
            index < importedGlobals.length
              ? (importedGlobals[index]!.descriptor as { global: GlobalType }).global
              : module.globals[index - importedGlobals.length]!;
          type = describeGlobal(global);
          break;
        }
      }
      const exported: Export = { name, kind, index, type };
      const internalName = internalNameOf(names, kind, index);
      if (internalName !== undefined) exported.internalName = internalName;
      module.exports.push(exported);
    }
    expectEnd(c, 'export');
  }

  c = await cursorFor(8);
  if (c) {
    const at = c.offset;
    const start = c.u32('start function index');
    if (start >= spaces.func) c.fail(`start function ${start} is out of range (there are ${spaces.func} functions)`, at);
    expectEnd(c, 'start');
    module.start = start;
  }

  module.elementSegments = await readElementSection(reader, byId.get(9));
  const dataCountSection = byId.get(12);
  if (dataCountSection) module.dataCount = await readLeadingCount(reader, dataCountSection, 'data count');
  module.dataSegments = await readDataSection(reader, byId.get(11));
  if (module.dataCount !== undefined && module.dataCount !== module.dataSegments) {
    failAt(
      byId.get(11)?.payloadOffset ?? dataCountSection!.payloadOffset,
      byId.has(11)
        ? `data count section says ${module.dataCount} segments but the data section has ${module.dataSegments}`
        : `data count section says ${module.dataCount} segments but there is no data section`,
    );
  }

  const code = byId.get(10);
  if (code) {
    const count = await readLeadingCount(reader, code, 'function body');
    if (count !== module.functions.defined) {
      failAt(
        code.payloadOffset,
        `code section has ${count} bodies but the function section declares ${module.functions.defined} functions`,
      );
    }
    module.functions.codeBytes = code.size;
    if (code.size) module.unchecked = [{ part: 'function bodies', offset: code.payloadOffset, size: code.size }];
    if (options.functionBodies) module.functions.bodies = await readBodySizes(reader, code, module.functions.imported, names);
  } else if (module.functions.defined > 0) {
    failAt(end, `${module.functions.defined} functions are declared but there is no code section`);
  }
  return module;
}

function checkOrder(raw: RawSection[]): void {
  let lastRank = 0;
  let lastName = '';
  for (const section of raw) {
    if (section.id === 0) continue;
    const rank = sectionRank[section.id]!;
    const name = moduleSectionNames[section.id]!;
    if (rank === lastRank) failAt(section.offset, `duplicate ${name} section`);
    if (rank < lastRank) failAt(section.offset, `${name} section must come before the ${lastName} section`);
    lastRank = rank;
    lastName = name;
  }
}

function expectEnd(c: Cursor, section: string): void {
  if (!c.atEnd) c.fail(`${section} section has ${c.remaining} unexpected bytes at its end`);
}

function checkFunctionType(c: Cursor, typeIndex: number, types: TypeDefinition[], at: number): void {
  checkTypeIndex(c, typeIndex, types.length, at);
  if (types[typeIndex]!.composite.kind !== 'func')
    c.fail(`type ${typeIndex} is a ${types[typeIndex]!.composite.kind} type, not a function type`, at);
}

function readImportDescriptor(
  c: Cursor,
  kind: ExternKind,
  typeCount: number,
  namer: TypeNamer,
  types: TypeDefinition[],
): Import['descriptor'] {
  switch (kind) {
    case 'func': {
      const at = c.offset;
      const typeIndex = c.u32('import type index');
      checkFunctionType(c, typeIndex, types, at);
      return { kind, typeIndex };
    }
    case 'table':
      return { kind, table: readTableType(c, typeCount, namer) };
    case 'memory':
      return { kind, memory: readLimits(c, 'memory') };
    case 'global':
      return { kind, global: readGlobalType(c, typeCount, namer) };
    case 'tag': {
      if (c.u8() !== 0x00) c.fail('tag attribute must be 0 (exception)', c.offset - 1);
      const at = c.offset;
      const typeIndex = c.u32('tag type index');
      checkFunctionType(c, typeIndex, types, at);
      return { kind, typeIndex };
    }
  }
}

function describeFunctionType(typeIndex: number, types: TypeDefinition[], namer: TypeNamer, keyword: 'func' | 'tag'): string {
  const composite = types[typeIndex]!.composite;
  if (composite.kind !== 'func') return `(${keyword})`;
  const signature = formatFuncSignature(composite.params, composite.results);
  void namer;
  return signature ? `(${keyword} ${signature})` : `(${keyword})`;
}

function describeTable(table: TableType): string {
  return `(table ${formatLimits(table.limits)} ${table.element})`;
}

function describeGlobal(global: GlobalType): string {
  return global.mutable ? `(global (mut ${global.valueType}))` : `(global ${global.valueType})`;
}

function describeImport(descriptor: Import['descriptor'], types: TypeDefinition[], namer: TypeNamer): string {
  switch (descriptor.kind) {
    case 'func':
    case 'tag':
      return describeFunctionType(descriptor.typeIndex, types, namer, descriptor.kind);
    case 'table':
      return describeTable(descriptor.table);
    case 'memory':
      return `(memory ${formatLimits(descriptor.memory)})`;
    case 'global':
      return describeGlobal(descriptor.global);
  }
}

function internalNameOf(names: NameMap, kind: ExternKind, index: number): string | undefined {
  const map = { func: names.functions, table: names.tables, memory: names.memories, global: names.globals, tag: names.tags }[kind];
  return map[index];
}

/** The element count at the start of a section, read with a tiny positional read (the payload is skipped). */
async function readLeadingCount(reader: WindowedReader, section: RawSection | undefined, what: string): Promise<number> {
  if (!section) return 0;
  const c = new Cursor(await reader.peek(section.payloadOffset, Math.min(5, section.size)), section.payloadOffset);
  const n = c.u32(`${what} count`);
  if (section.id !== 12 && n > section.size)
    c.fail(`${what} count ${n} is larger than its ${section.size}-byte section could hold`, section.payloadOffset);
  if (section.id === 12 && section.size !== c.pos) c.fail('data count section has unexpected bytes at its end', section.payloadOffset);
  return n;
}

/** Element segments are small (indices and short expressions): the section is read whole and every segment decoded. */
async function readElementSection(reader: WindowedReader, section: RawSection | undefined): Promise<number> {
  if (!section) return 0;
  const c = await payloadCursor(reader, section);
  const n = c.count('element segment', 2);
  for (let i = 0; i < n; i++) stepElementSegment(c);
  expectEnd(c, 'element');
  return n;
}

/**
 * Data segments can be megabytes: each one's header (flags, memory, offset expression, length) is read with a
 * small positional read and its bytes are stepped over, their length checked against the section.
 */
async function readDataSection(reader: WindowedReader, section: RawSection | undefined): Promise<number> {
  if (!section) return 0;
  const end = section.payloadOffset + section.size;
  const head = new Cursor(await reader.peek(section.payloadOffset, Math.min(5, section.size)), section.payloadOffset);
  const n = head.u32('data segment count');
  if (n > section.size)
    head.fail(`data segment count ${n} is larger than its ${section.size}-byte section could hold`, section.payloadOffset);
  let pos = head.offset;
  for (let i = 0; i < n; i++) {
    // Headers are short; a longer offset expression gets a wider read, up to the section's end.
    for (let window = 64; ; window *= 16) {
      const c = new Cursor(await reader.peek(pos, Math.min(window, end - pos)), pos);
      try {
        const { length } = readDataSegmentHeader(c);
        if (length > end - c.offset)
          c.fail(`data segment ${i} declares ${length} bytes but only ${end - c.offset} remain in the data section`, pos);
        pos = c.offset + length;
        break;
      } catch (error) {
        if (!(error instanceof WasmFormatError) || c.bytes.length >= end - pos) throw error;
      }
    }
  }
  if (pos !== end) failAt(pos, `data section has ${end - pos} unexpected bytes at its end`);
  return n;
}

/** Steps from body to body reading only each size prefix; bodies themselves are never read. */
async function readBodySizes(headerReader: WindowedReader, code: RawSection, firstIndex: number, names: NameMap): Promise<FunctionBody[]> {
  // Many small bodies sit close together: a wide window turns thousands of size reads into a few.
  const reader = new WindowedReader(headerReader.source, 256 * 1024);
  const end = code.payloadOffset + code.size;
  let header = new Cursor(await reader.peek(code.payloadOffset, Math.min(5, code.size)), code.payloadOffset);
  const count = header.u32('function body count');
  let pos = header.offset;
  const bodies: FunctionBody[] = [];
  for (let i = 0; i < count; i++) {
    header = new Cursor(await reader.peek(pos, Math.min(5, end - pos)), pos);
    const size = header.u32('function body size');
    const bodyOffset = header.offset;
    if (size > end - bodyOffset)
      header.fail(`function body ${i} declares ${size} bytes but only ${end - bodyOffset} remain in the code section`, pos);
    const index = firstIndex + i;
    const body: FunctionBody = { index, offset: bodyOffset, size };
    if (names.functions[index] !== undefined) body.name = names.functions[index];
    bodies.push(body);
    pos = bodyOffset + size;
  }
  if (pos !== end) failAt(pos, `code section has ${end - pos} unexpected bytes at its end`);
  return bodies;
}

async function readCustomSection(reader: WindowedReader, section: RawSection, module: ModuleInfo): Promise<void> {
  const name = section.customName!;
  const category = categorizeCustomSection(name);
  const entry: CustomSection = { name, offset: section.offset, size: section.size, category };
  module.customSections.push(entry);
  const decode = async <T>(what: string, decoder: (c: Cursor) => T): Promise<T | undefined> => {
    const c = await customContentCursor(reader, section);
    try {
      return decoder(c);
    } catch (error) {
      // Tool-convention sections are advisory: a broken one is reported, not fatal.
      if (!(error instanceof WasmFormatError)) throw error;
      module.warnings.push({ offset: error.offset, message: `${what} section ignored: ${error.reason}` });
      return undefined;
    }
  };
  switch (category) {
    case 'name': {
      const c = await customContentCursor(reader, section);
      decodeNameSection(c, module.names, module.warnings);
      break;
    }
    case 'producers': {
      const producers = await decode('producers', decodeProducers);
      if (producers) module.producers = { ...module.producers, ...producers };
      break;
    }
    case 'target-features': {
      const features = await decode('target_features', decodeTargetFeatures);
      if (features) module.targetFeatures = features;
      break;
    }
    case 'source-map': {
      const url = await decode('sourceMappingURL', decodeUrl);
      if (url !== undefined) module.sourceMappingURL = url;
      break;
    }
    case 'external-debug-info': {
      const url = await decode('external_debug_info', decodeUrl);
      if (url !== undefined) module.externalDebugInfo = url;
      break;
    }
    case 'dylink': {
      const info = await decode(name, (c) => decodeDylink(c, name === 'dylink'));
      if (info) module.dylink = info;
      break;
    }
    case 'linking': {
      const version = await decode('linking', (c) => c.u32('linking version'));
      if (version !== undefined) module.linkingVersion = version;
      break;
    }
    default:
      break;
  }
}
