/**
 * Steps over instructions of the code section and of constant expressions: where each one starts and which
 * proposal it belongs to. It checks encodings only (opcodes and immediates), not types: validation is the
 * engine's job (see core/compile/validate). Used to map an engine's byte offset back to the WAT that made it,
 * and to tell which features a module uses.
 *
 * Written here because no library steps through a body offset by offset without validating or printing it.
 */
import type { Cursor } from './cursor';
import { plainTypeNamer, readHeapType, readValueType } from './types';

/** Feature names as the `wasmWorkbench.compile.features` setting spells them. */
export type InstructionFeature =
  | 'exceptions'
  | 'tail_call'
  | 'function_references'
  | 'gc'
  | 'reference_types'
  | 'sign_extension'
  | 'sat_float_to_int'
  | 'bulk_memory'
  | 'simd'
  | 'relaxed_simd'
  | 'threads'
  | 'multi_memory'
  | 'multi_value';

export interface Instruction {
  offset: number;
  /** The opcode byte (0xfb..0xfe for prefixed instructions). */
  opcode: number;
  /** The sub-opcode of a prefixed instruction. */
  sub?: number;
  /** The proposal it needs beyond Wasm 1.0, when any. */
  feature?: InstructionFeature;
}

/** Skips an unsigned or signed LEB128 of at most `maxBytes` bytes (immediates whose value is not needed). */
function skipLeb(c: Cursor, maxBytes: number, what: string): void {
  const start = c.offset;
  for (let i = 0; i < maxBytes; i++) if (!(c.u8() & 0x80)) return;
  c.fail(`bad LEB128 ${what}: longer than ${maxBytes} bytes`, start);
}

function blockType(c: Cursor, instruction: Instruction): void {
  const byte = c.peekU8();
  if (byte === 0x40) {
    c.u8();
    return;
  }
  // A value type's first byte is a negative s33; a type index is a non-negative one (multi-value).
  if (byte >= 0x40 && byte < 0x80) {
    readValueType(c, undefined, plainTypeNamer);
    return;
  }
  const at = c.offset;
  if (c.signed(33, 'block type') < 0n) c.fail(`unknown block type 0x${byte.toString(16)}`, at);
  instruction.feature ??= 'multi_value';
}

function memarg(c: Cursor, instruction: Instruction): void {
  const align = c.u32('alignment');
  if (align & 0x40) {
    if (c.u32('memory index') !== 0) instruction.feature ??= 'multi_memory';
  }
  skipLeb(c, 10, 'offset');
}

function memoryIndex(c: Cursor, instruction: Instruction): void {
  if (c.u32('memory index') !== 0) instruction.feature ??= 'multi_memory';
}

const singleByteFeatures: Record<number, InstructionFeature> = {
  0x06: 'exceptions',
  0x07: 'exceptions',
  0x08: 'exceptions',
  0x09: 'exceptions',
  0x0a: 'exceptions',
  0x18: 'exceptions',
  0x19: 'exceptions',
  0x1f: 'exceptions',
  0x12: 'tail_call',
  0x13: 'tail_call',
  0x15: 'tail_call',
  0x14: 'function_references',
  0xd4: 'function_references',
  0xd5: 'function_references',
  0xd6: 'function_references',
  0xd3: 'gc',
  0x1c: 'reference_types',
  0x25: 'reference_types',
  0x26: 'reference_types',
  0xd0: 'reference_types',
  0xd1: 'reference_types',
  0xd2: 'reference_types',
  0xc0: 'sign_extension',
  0xc1: 'sign_extension',
  0xc2: 'sign_extension',
  0xc3: 'sign_extension',
  0xc4: 'sign_extension',
};

/** Reads one instruction at the cursor. Throws a WasmFormatError on an unknown opcode or a broken immediate. */
export function readInstruction(c: Cursor): Instruction {
  const offset = c.offset;
  const opcode = c.u8();
  const instruction: Instruction = { offset, opcode };
  const feature = singleByteFeatures[opcode];
  if (feature) instruction.feature = feature;
  switch (opcode) {
    case 0x00:
    case 0x01:
    case 0x05:
    case 0x0a:
    case 0x0b:
    case 0x0f:
    case 0x19:
    case 0x1a:
    case 0x1b:
    case 0xd1:
    case 0xd3:
    case 0xd4:
      break;
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x06:
      blockType(c, instruction);
      break;
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x0c:
    case 0x0d:
    case 0x10:
    case 0x12:
    case 0x14:
    case 0x15:
    case 0x18:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0xd2:
    case 0xd5:
    case 0xd6:
      c.u32('index');
      break;
    case 0x0e: {
      const n = c.count('branch table label');
      for (let i = 0; i <= n; i++) c.u32('label');
      break;
    }
    case 0x11:
    case 0x13:
      c.u32('type index');
      if (c.u32('table index') !== 0) instruction.feature ??= 'reference_types';
      break;
    case 0x1c: {
      const n = c.count('select type');
      for (let i = 0; i < n; i++) readValueType(c, undefined, plainTypeNamer);
      break;
    }
    case 0x1f: {
      blockType(c, instruction);
      const n = c.count('catch clause', 2);
      for (let i = 0; i < n; i++) {
        const at = c.offset;
        const kind = c.u8();
        if (kind > 3) c.fail(`unknown catch clause kind ${kind}`, at);
        if (kind < 2) c.u32('tag index');
        c.u32('label');
      }
      break;
    }
    case 0x3f:
    case 0x40:
      memoryIndex(c, instruction);
      break;
    case 0x41:
      c.signed(32, 'i32.const');
      break;
    case 0x42:
      c.signed(64, 'i64.const');
      break;
    case 0x43:
      c.skip(4);
      break;
    case 0x44:
      c.skip(8);
      break;
    case 0xd0:
      readHeapType(c, undefined, plainTypeNamer);
      break;
    case 0xfb:
      gcInstruction(c, instruction);
      break;
    case 0xfc:
      miscInstruction(c, instruction);
      break;
    case 0xfd:
      simdInstruction(c, instruction);
      break;
    case 0xfe:
      atomicInstruction(c, instruction);
      break;
    default:
      if (opcode >= 0x28 && opcode <= 0x3e) memarg(c, instruction);
      else if (opcode >= 0x45 && opcode <= 0xc4) break;
      else c.fail(`unknown opcode 0x${opcode.toString(16)}`, offset);
  }
  return instruction;
}

function gcInstruction(c: Cursor, instruction: Instruction): void {
  const at = c.offset;
  const sub = c.u32('GC opcode');
  instruction.sub = sub;
  instruction.feature = 'gc';
  switch (sub) {
    case 0:
    case 1:
    case 6:
    case 7:
    case 11:
    case 12:
    case 13:
    case 14:
    case 16:
      c.u32('type index');
      break;
    case 2:
    case 3:
    case 4:
    case 5:
    case 8:
    case 9:
    case 10:
    case 17:
    case 18:
    case 19:
      c.u32('index');
      c.u32('index');
      break;
    case 15:
    case 26:
    case 27:
    case 28:
    case 29:
    case 30:
      break;
    case 20:
    case 21:
    case 22:
    case 23:
      readHeapType(c, undefined, plainTypeNamer);
      break;
    case 24:
    case 25:
      c.u8(); // nullability flags
      c.u32('label');
      readHeapType(c, undefined, plainTypeNamer);
      readHeapType(c, undefined, plainTypeNamer);
      break;
    default:
      c.fail(`unknown GC opcode 0xfb ${sub}`, at);
  }
}

function miscInstruction(c: Cursor, instruction: Instruction): void {
  const at = c.offset;
  const sub = c.u32('opcode');
  instruction.sub = sub;
  if (sub <= 7) {
    instruction.feature = 'sat_float_to_int';
    return;
  }
  instruction.feature = sub >= 15 ? 'reference_types' : 'bulk_memory';
  switch (sub) {
    case 8: // memory.init data memory
      c.u32('data index');
      memoryIndex(c, instruction);
      break;
    case 9: // data.drop
    case 13: // elem.drop
    case 15: // table.grow
    case 16: // table.size
    case 17: // table.fill
      c.u32('index');
      break;
    case 10: // memory.copy
      memoryIndex(c, instruction);
      memoryIndex(c, instruction);
      break;
    case 11: // memory.fill
      memoryIndex(c, instruction);
      break;
    case 12: // table.init elem table
    case 14: // table.copy
      c.u32('index');
      c.u32('index');
      break;
    default:
      c.fail(`unknown opcode 0xfc ${sub}`, at);
  }
}

function simdInstruction(c: Cursor, instruction: Instruction): void {
  const at = c.offset;
  const sub = c.u32('SIMD opcode');
  instruction.sub = sub;
  instruction.feature = sub >= 0x100 ? 'relaxed_simd' : 'simd';
  if (sub <= 11 || sub === 92 || sub === 93) memarg(c, instruction);
  else if (sub === 12 || sub === 13) c.skip(16);
  else if (sub >= 21 && sub <= 34) c.u8();
  else if (sub >= 84 && sub <= 91) {
    memarg(c, instruction);
    c.u8();
  } else if (sub > 0x113) c.fail(`unknown SIMD opcode 0xfd ${sub}`, at);
}

function atomicInstruction(c: Cursor, instruction: Instruction): void {
  const at = c.offset;
  const sub = c.u32('atomic opcode');
  instruction.sub = sub;
  instruction.feature = 'threads';
  if (sub === 3) {
    if (c.u8() !== 0) c.fail('atomic.fence takes a zero byte', at);
  } else if (sub <= 2 || (sub >= 0x10 && sub <= 0x4e)) memarg(c, instruction);
  else c.fail(`unknown atomic opcode 0xfe ${sub}`, at);
}

/**
 * Reads instructions until the `end` that closes the expression (blocks inside it nest), returning every
 * instruction in order, that final `end` included.
 */
export function readExpression(c: Cursor, end = c.base + c.bytes.length): Instruction[] {
  const out: Instruction[] = [];
  let depth = 0;
  while (c.offset < end) {
    const instruction = readInstruction(c);
    out.push(instruction);
    const op = instruction.opcode;
    if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06 || op === 0x1f) depth++;
    else if (op === 0x0b || op === 0x18) {
      // `delegate` closes a legacy `try` as `end` does.
      if (depth === 0) return out;
      depth--;
    }
  }
  c.fail('expression has no closing end', end);
}

/** The locals declarations at the start of a function body; returns how many locals they declare. */
export function readLocals(c: Cursor): number {
  const groups = c.count('local declaration group', 2);
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const at = c.offset;
    total += c.u32('local count');
    if (total > 0xffffffff) c.fail('too many locals', at);
    readValueType(c, undefined, plainTypeNamer);
  }
  return total;
}
