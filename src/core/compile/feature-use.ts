/**
 * Which WebAssembly features a module uses, and where: the check behind `wasmWorkbench.compile.features`
 * and `--features`. V8 validates with everything it knows turned on, so a feature the user turned off is
 * refused here, at the first byte that needs it.
 */
import { Cursor } from '../binary/cursor';
import { WasmFormatError } from '../binary/errors';
import { readExpression, type Instruction } from '../binary/instructions';
import { bodyLayout, moduleLayout, type ModuleLayout, type SectionLayout } from '../binary/layout';
import { plainTypeNamer, readLimits, readValueType } from '../binary/types';
import type { WatFeature } from './features';

export interface FeatureUse {
  feature: WatFeature;
  /** The first byte that needs it. */
  offset: number;
  /** What needs it, in words, when it is not an instruction (instructions are named by the text). */
  what?: string;
}

const gcValueTypes = new Set(['anyref', 'eqref', 'i31ref', 'structref', 'arrayref', 'nullref', 'nullexternref', 'nullfuncref']);

/** The first use of each feature in `wanted` (the features turned off), scanning only as far as needed. */
export function findFeatureUses(bytes: Uint8Array, wanted: ReadonlySet<WatFeature>): FeatureUse[] {
  const found = new Map<WatFeature, FeatureUse>();
  const note = (feature: WatFeature, offset: number, what?: string) => {
    if (wanted.has(feature) && !found.has(feature)) found.set(feature, what ? { feature, offset, what } : { feature, offset });
  };
  const layout = moduleLayout(bytes);
  const section = (id: number) => layout.sections.find((s) => s.id === id);
  try {
    scanTypes(bytes, section(1), note);
    scanLimits(bytes, layout, note);
    const exportsOrImportsMutableGlobal = scanGlobalsCrossingBoundary(bytes, layout);
    if (exportsOrImportsMutableGlobal !== undefined)
      note('mutable_globals', exportsOrImportsMutableGlobal, 'a mutable global imported or exported');
    const tags = section(13);
    if (tags?.entries.length) note('exceptions', tags.entries[0]!, 'a tag');
    if (section(12)) note('bulk_memory', section(12)!.offset, 'a data count section');
    for (const custom of layout.sections.filter((s) => s.id === 0)) {
      const c = new Cursor(bytes.subarray(custom.payloadOffset, custom.end), custom.payloadOffset);
      if (c.name().startsWith('metadata.code.')) note('code_metadata', custom.offset, 'a code metadata section');
    }
    for (const id of [6, 9, 11]) scanConstantExpressions(bytes, section(id), note);
    const code = section(10);
    for (const entry of code?.entries ?? []) {
      for (const instruction of bodyLayout(bytes, entry).instructions) noteInstruction(instruction, note);
      if (found.size === wanted.size) break;
    }
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
  }
  return [...found.values()].sort((a, b) => a.offset - b.offset);
}

type Note = (feature: WatFeature, offset: number, what?: string) => void;

function noteInstruction(instruction: Instruction, note: Note): void {
  if (instruction.feature) note(instruction.feature, instruction.offset);
}

function scanTypes(bytes: Uint8Array, types: SectionLayout | undefined, note: Note): void {
  if (!types) return;
  for (const entry of types.entries) {
    const c = new Cursor(bytes.subarray(entry, types.end), entry);
    const first = c.u8();
    if (first !== 0x60) {
      note(
        'gc',
        entry,
        first === 0x4e ? 'a recursive type group' : first === 0x50 || first === 0x4f ? 'a subtype declaration' : 'a struct or array type',
      );
      continue;
    }
    for (let k = 0; k < 2; k++) {
      const n = c.u32();
      if (k === 1 && n > 1) note('multi_value', entry, 'a function type with several results');
      for (let i = 0; i < n; i++) noteValueType(readValueType(c, undefined, plainTypeNamer), entry, note);
    }
  }
}

function noteValueType(type: string, offset: number, note: Note): void {
  if (type === 'v128') note('simd', offset, 'the v128 type');
  else if (type === 'externref' || type === 'funcref') note('reference_types', offset, `the ${type} type`);
  else if (type === 'exnref' || type === 'nullexnref') note('exceptions', offset, `the ${type} type`);
  else if (gcValueTypes.has(type)) note('gc', offset, `the ${type} type`);
  else if (type.startsWith('(ref')) note('function_references', offset, `the ${type} type`);
}

/** A table of funcref is Wasm 1.0; any other element type is not. */
function noteTableElement(type: string, offset: number, note: Note): void {
  if (type !== 'funcref') noteValueType(type, offset, note);
}

function scanLimits(bytes: Uint8Array, layout: ModuleLayout, note: Note): void {
  let memories = 0;
  let tables = 0;
  const seeLimits = (offset: number, kind: 'memory' | 'table', c: Cursor) => {
    const limits = readLimits(c, kind);
    if (kind === 'memory' && ++memories > 1) note('multi_memory', offset, 'a second memory');
    if (kind === 'table' && ++tables > 1) note('reference_types', offset, 'a second table');
    if (limits.shared) note('threads', offset, 'a shared memory');
    if (limits.is64) note('memory64', offset, `a 64-bit ${kind}`);
  };
  for (const section of layout.sections) {
    for (const entry of section.entries) {
      const c = new Cursor(bytes.subarray(entry, section.end), entry);
      if (section.id === 5) seeLimits(entry, 'memory', c);
      else if (section.id === 4) {
        if (c.peekU8() === 0x40) {
          c.u8();
          c.u8();
          note('function_references', entry, 'a table initialiser');
        }
        noteTableElement(readValueType(c, undefined, plainTypeNamer), entry, note);
        seeLimits(entry, 'table', c);
      } else if (section.id === 2) {
        c.name();
        c.name();
        const kind = c.u8();
        if (kind === 0x02) seeLimits(entry, 'memory', c);
        else if (kind === 0x01) {
          noteTableElement(readValueType(c, undefined, plainTypeNamer), entry, note);
          seeLimits(entry, 'table', c);
        } else if (kind === 0x04) note('exceptions', entry, 'an imported tag');
      }
    }
  }
}

function scanGlobalsCrossingBoundary(bytes: Uint8Array, layout: ModuleLayout): number | undefined {
  const mutableGlobals = new Set<number>();
  let globalIndex = 0;
  for (const section of layout.sections) {
    for (const entry of section.entries) {
      const c = new Cursor(bytes.subarray(entry, section.end), entry);
      if (section.id === 2) {
        c.name();
        c.name();
        if (c.u8() !== 0x03) continue;
        readValueType(c, undefined, plainTypeNamer);
        if (c.u8() === 1) return entry;
        globalIndex++;
      } else if (section.id === 6) {
        readValueType(c, undefined, plainTypeNamer);
        if (c.u8() === 1) mutableGlobals.add(globalIndex);
        globalIndex++;
      } else if (section.id === 7) {
        c.name();
        const kind = c.u8();
        if (kind === 0x03 && mutableGlobals.has(c.u32())) return entry;
      }
    }
  }
  return undefined;
}

/** Globals, element and data segments: extended constant expressions, passive segments, typed references. */
function scanConstantExpressions(bytes: Uint8Array, section: SectionLayout | undefined, note: Note): void {
  if (!section) return;
  for (const entry of section.entries) {
    const c = new Cursor(bytes.subarray(entry, section.end), entry);
    let expressions: Instruction[][] = [];
    if (section.id === 6) {
      noteValueType(readValueType(c, undefined, plainTypeNamer), entry, note);
      c.u8();
      expressions = [readExpression(c)];
    } else if (section.id === 11) {
      const flags = c.u32();
      if (flags === 1) note('bulk_memory', entry, 'a passive data segment');
      if (flags === 2) c.u32();
      if (flags !== 1) expressions = [readExpression(c)];
    } else {
      const flags = c.u32();
      if (flags & 0b001) note('bulk_memory', entry, 'a passive or declared element segment');
      if ((flags & 0b011) === 0b010) c.u32();
      if (!(flags & 0b001)) expressions.push(readExpression(c));
      if (flags & 0b100) note('reference_types', entry, 'an element segment of expressions');
    }
    for (const expression of expressions) {
      for (const instruction of expression) {
        noteInstruction(instruction, note);
        const op = instruction.opcode;
        if (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e)
          note('extended_const', instruction.offset);
      }
    }
  }
}
