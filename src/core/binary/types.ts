/** Decoding of value, reference, composite and limit types, printed straight into WAT notation. */
import type { Cursor } from './cursor';
import type { CompositeType, FieldType, GlobalType, Limits, TableType, TypeDefinition } from './model';
import { readInstruction } from './instructions';

const numericTypes: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };

/** Abstract heap types by their one-byte code (GC and exception-handling proposals included). */
const abstractHeapTypes: Record<number, string> = {
  0x70: 'func',
  0x6f: 'extern',
  0x6e: 'any',
  0x6d: 'eq',
  0x6c: 'i31',
  0x6b: 'struct',
  0x6a: 'array',
  0x69: 'exn',
  0x71: 'none',
  0x72: 'noextern',
  0x73: 'nofunc',
  0x74: 'noexn',
};

/** WAT shorthands for `(ref null <abstract>)`. */
const nullableShorthands: Record<string, string> = {
  func: 'funcref',
  extern: 'externref',
  any: 'anyref',
  eq: 'eqref',
  i31: 'i31ref',
  struct: 'structref',
  array: 'arrayref',
  exn: 'exnref',
  none: 'nullref',
  noextern: 'nullexternref',
  nofunc: 'nullfuncref',
  noexn: 'nullexnref',
};

/** Resolves a type index to `$name` when the name section has one. */
export type TypeNamer = (index: number) => string;

export const plainTypeNamer: TypeNamer = (index) => String(index);

/** A heap type: an abstract one or a type index. `typeCount` bounds the index when it is known. */
export function readHeapType(c: Cursor, typeCount: number | undefined, namer: TypeNamer): string {
  const start = c.offset;
  const byte = c.peekU8();
  if (byte === 0x65) {
    // shared-everything-threads: `shared` prefix on an abstract heap type.
    c.u8();
    return `(shared ${readHeapType(c, typeCount, namer)})`;
  }
  const abstract = abstractHeapTypes[byte];
  if (abstract) {
    c.u8();
    return abstract;
  }
  const index = c.signed(33, 'heap type');
  if (index < 0n) c.fail(`unknown heap type 0x${byte.toString(16)}`, start);
  checkTypeIndex(c, Number(index), typeCount, start);
  return namer(Number(index));
}

export function checkTypeIndex(c: Cursor, index: number, typeCount: number | undefined, at: number): void {
  if (typeCount !== undefined && index >= typeCount) {
    c.fail(`type index ${index} is out of range (the module has ${typeCount} types)`, at);
  }
}

export function readValueType(c: Cursor, typeCount: number | undefined, namer: TypeNamer): string {
  const start = c.offset;
  const byte = c.u8();
  const numeric = numericTypes[byte];
  if (numeric) return numeric;
  const abstract = abstractHeapTypes[byte];
  if (abstract) return nullableShorthands[abstract]!;
  if (byte === 0x63 || byte === 0x64) {
    const heap = readHeapType(c, typeCount, namer);
    return byte === 0x63 ? `(ref null ${heap})` : `(ref ${heap})`;
  }
  c.fail(`unknown value type 0x${byte.toString(16)}`, start);
}

export function readReferenceType(c: Cursor, typeCount: number | undefined, namer: TypeNamer): string {
  const start = c.offset;
  const type = readValueType(c, typeCount, namer);
  if (numericTypes[c.bytes[start - c.base]!]) c.fail(`expected a reference type, found ${type}`, start);
  return type;
}

function readFieldType(c: Cursor, namer: TypeNamer): FieldType {
  const byte = c.peekU8();
  let storage: string;
  if (byte === 0x78) {
    c.u8();
    storage = 'i8';
  } else if (byte === 0x77) {
    c.u8();
    storage = 'i16';
  } else {
    // Field types may refer to types later in the same rec group, so the index is not bounded here.
    storage = readValueType(c, undefined, namer);
  }
  const mutability = c.u8();
  if (mutability > 1) c.fail(`bad mutability flag 0x${mutability.toString(16)}`, c.offset - 1);
  return { storage, mutable: mutability === 1 };
}

function readCompositeType(c: Cursor, namer: TypeNamer): CompositeType {
  const start = c.offset;
  const form = c.u8();
  switch (form) {
    case 0x60: {
      const params = readValueTypes(c, namer, 'parameter');
      const results = readValueTypes(c, namer, 'result');
      return { kind: 'func', params, results };
    }
    case 0x5f: {
      const n = c.count('struct field', 2);
      const fields: FieldType[] = [];
      for (let i = 0; i < n; i++) fields.push(readFieldType(c, namer));
      return { kind: 'struct', fields };
    }
    case 0x5e:
      return { kind: 'array', element: readFieldType(c, namer) };
    default:
      c.fail(`unknown type form 0x${form.toString(16)}`, start);
  }
}

function readValueTypes(c: Cursor, namer: TypeNamer, what: string): string[] {
  const n = c.count(what);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(readValueType(c, undefined, namer));
  return out;
}

/** The whole type section: MVP function types, and GC rec groups with sub/final declarations. */
export function readTypeSection(c: Cursor, namer: TypeNamer): TypeDefinition[] {
  const groups = c.count('type');
  const types: TypeDefinition[] = [];
  for (let group = 0; group < groups; group++) {
    if (c.peekU8() === 0x4e) {
      c.u8();
      const members = c.count('rec group member');
      for (let i = 0; i < members; i++) types.push(readSubType(c, namer, types.length, group, true));
    } else {
      types.push(readSubType(c, namer, types.length, group, false));
    }
  }
  // Type references may point forward within a rec group, so ranges are checked once all are known.
  return types;
}

function readSubType(c: Cursor, namer: TypeNamer, index: number, recGroup: number, explicitRec: boolean): TypeDefinition {
  const byte = c.peekU8();
  if (byte === 0x50 || byte === 0x4f) {
    c.u8();
    const n = c.count('supertype');
    const supertypes: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = c.offset;
      const superIndex = c.u32('supertype index');
      if (superIndex >= index) c.fail(`supertype index ${superIndex} must name an earlier type than ${index}`, at);
      supertypes.push(superIndex);
    }
    return { index, recGroup, explicitRec, final: byte === 0x4f, supertypes, composite: readCompositeType(c, namer) };
  }
  return { index, recGroup, explicitRec, final: true, supertypes: [], composite: readCompositeType(c, namer) };
}

export function readLimits(c: Cursor, kind: 'memory' | 'table'): Limits {
  const start = c.offset;
  const flags = c.u8();
  const allowed = kind === 'memory' ? 0x0f : 0x05;
  if (flags & ~allowed) c.fail(`bad ${kind} limits flags 0x${flags.toString(16)}`, start);
  const is64 = (flags & 0x04) !== 0;
  const shared = (flags & 0x02) !== 0;
  const read = () => (is64 ? c.u64(`${kind} limit`) : c.u32(`${kind} limit`));
  const limits: Limits = { min: read(), is64, shared };
  if (flags & 0x01) limits.max = read();
  if (flags & 0x08) {
    const log2 = c.u32('page size');
    if (log2 > 16) c.fail(`page size 2^${log2} is larger than 64 KiB`, c.offset - 1);
    limits.pageSizeLog2 = log2;
  }
  if (limits.max !== undefined && limits.max < limits.min) {
    c.fail(`${kind} maximum ${limits.max} is below its minimum ${limits.min}`, start);
  }
  if (shared && limits.max === undefined) c.fail(`shared ${kind} needs a maximum size`, start);
  return limits;
}

export function readTableType(c: Cursor, typeCount: number, namer: TypeNamer): TableType {
  const element = readReferenceType(c, typeCount, namer);
  return { element, limits: readLimits(c, 'table') };
}

export function readGlobalType(c: Cursor, typeCount: number, namer: TypeNamer): GlobalType {
  const valueType = readValueType(c, typeCount, namer);
  const at = c.offset;
  const mutability = c.u8();
  if (mutability > 1) c.fail(`bad global mutability flag 0x${mutability.toString(16)}`, at);
  return { valueType, mutable: mutability === 1 };
}

/** What a constant expression may hold (extended-const arithmetic and GC allocation included). */
const constantOpcodes = new Set([0x23, 0xd2, 0xd0, 0x41, 0x42, 0x43, 0x44, 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e]);
/** struct.new(_default), array.new(_default), array.new_fixed, ref.i31, any.convert_extern, extern.convert_any. */
const constantGcOpcodes = new Set([0, 1, 6, 7, 8, 0x1a, 0x1b, 0x1c]);
/** v128.const. */
const constantSimdOpcode = 12;

/**
 * Steps over a constant expression (global initialisers, table initialisers) with the instruction reader. Only the
 * instructions that may appear in one are accepted; anything else is malformed.
 */
export function skipConstantExpression(c: Cursor): void {
  for (;;) {
    const { offset, opcode, sub } = readInstruction(c);
    if (opcode === 0x0b) return;
    if (opcode === 0xfd) {
      if (sub !== constantSimdOpcode) c.fail(`SIMD instruction ${sub} is not allowed in a constant expression`, offset);
    } else if (opcode === 0xfb) {
      if (!constantGcOpcodes.has(sub!)) c.fail(`GC instruction 0xfb ${sub} is not allowed in a constant expression`, offset);
    } else if (!constantOpcodes.has(opcode)) {
      c.fail(`instruction 0x${opcode.toString(16)} is not allowed in a constant expression`, offset);
    }
  }
}

// ---- printing ----------------------------------------------------------------------------------

export function formatLimits(limits: Limits): string {
  const parts: string[] = [];
  if (limits.is64) parts.push('i64');
  parts.push(String(limits.min));
  if (limits.max !== undefined) parts.push(String(limits.max));
  if (limits.shared) parts.push('shared');
  if (limits.pageSizeLog2 !== undefined) parts.push(`(pagesize ${2 ** limits.pageSizeLog2})`);
  return parts.join(' ');
}

export function formatFuncSignature(params: string[], results: string[]): string {
  const parts: string[] = [];
  if (params.length) parts.push(`(param ${params.join(' ')})`);
  if (results.length) parts.push(`(result ${results.join(' ')})`);
  return parts.join(' ');
}
