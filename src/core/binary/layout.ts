/**
 * Where each entry of each section of an in-memory core module starts: the binary half of mapping an engine's
 * byte offset back to source text (see core/compile/source-map). Best effort by design: it steps over what it
 * can and stops at the first thing it cannot read, keeping what it found; the module may be invalid.
 */
import { Cursor } from './cursor';
import { WasmFormatError } from './errors';
import { readExpression, readInstruction, readLocals, type Instruction } from './instructions';
import { moduleSectionName } from './module';
import { readDataSegmentHeader, stepElementSegment } from './segments';
import { plainTypeNamer, readGlobalType, readLimits, readTableType, readValueType } from './types';

export interface SectionLayout {
  id: number;
  name: string;
  offset: number;
  payloadOffset: number;
  end: number;
  /** Start offset of each entry (for the code section: of each body's size prefix). */
  entries: number[];
}

export interface ModuleLayout {
  sections: SectionLayout[];
}

/** Which section and entry hold `offset`; entry is -1 before the first entry (in the section header or count). */
export function locateOffset(layout: ModuleLayout, offset: number): { section: SectionLayout; entry: number } | undefined {
  const section = layout.sections.find((s) => offset >= s.offset && offset < s.end) ?? layout.sections.find((s) => offset === s.end);
  if (!section) return undefined;
  let entry = -1;
  for (let i = 0; i < section.entries.length && section.entries[i]! <= offset; i++) entry = i;
  return { section, entry };
}

export function moduleLayout(bytes: Uint8Array): ModuleLayout {
  const layout: ModuleLayout = { sections: [] };
  const c = new Cursor(bytes, 0);
  try {
    c.skip(8);
    while (!c.atEnd) {
      const offset = c.offset;
      const id = c.u8();
      const size = c.u32('section size');
      const payloadOffset = c.offset;
      const end = Math.min(payloadOffset + size, bytes.length);
      const section: SectionLayout = { id, name: moduleSectionName(id) ?? `unknown ${id}`, offset, payloadOffset, end, entries: [] };
      layout.sections.push(section);
      stepEntries(new Cursor(bytes.subarray(payloadOffset, end), payloadOffset), section);
      c.pos = end;
    }
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
  }
  return layout;
}

function stepEntries(c: Cursor, section: SectionLayout): void {
  try {
    if (section.id === 0 || section.id === 8 || section.id === 12) return;
    const n = c.u32('count');
    for (let i = 0; i < n && !c.atEnd; i++) {
      section.entries.push(c.offset);
      stepEntry(c, section.id);
    }
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
  }
}

function stepEntry(c: Cursor, id: number): void {
  switch (id) {
    case 1: {
      const members = c.peekU8() === 0x4e ? (c.u8(), c.u32('rec group size')) : 1;
      for (let i = 0; i < members; i++) stepSubType(c);
      return;
    }
    case 2: {
      c.name();
      c.name();
      const kind = c.u8();
      if (kind === 0x00) c.u32('type index');
      else if (kind === 0x01) readTableType(c, Infinity, plainTypeNamer);
      else if (kind === 0x02) readLimits(c, 'memory');
      else if (kind === 0x03) readGlobalType(c, Infinity, plainTypeNamer);
      else if (kind === 0x04) {
        c.u8();
        c.u32('tag type index');
      } else c.fail(`unknown import kind ${kind}`);
      return;
    }
    case 3:
      c.u32('type index');
      return;
    case 4:
      if (c.peekU8() === 0x40) {
        c.u8();
        c.u8();
        readTableType(c, Infinity, plainTypeNamer);
        readExpression(c);
      } else readTableType(c, Infinity, plainTypeNamer);
      return;
    case 5:
      readLimits(c, 'memory');
      return;
    case 6:
      readGlobalType(c, Infinity, plainTypeNamer);
      readExpression(c);
      return;
    case 7:
      c.name();
      c.u8();
      c.u32('index');
      return;
    case 9:
      stepElementSegment(c);
      return;
    case 10:
      c.skip(c.u32('body size'));
      return;
    case 11:
      c.skip(readDataSegmentHeader(c).length);
      return;
    case 13:
      c.u8();
      c.u32('tag type index');
      return;
    default:
      c.fail(`unknown section ${id}`);
  }
}

function stepSubType(c: Cursor): void {
  const byte = c.peekU8();
  if (byte === 0x50 || byte === 0x4f) {
    c.u8();
    const n = c.u32('supertype count');
    for (let i = 0; i < n; i++) c.u32('supertype');
  }
  const form = c.u8();
  const field = () => {
    const b = c.peekU8();
    if (b === 0x78 || b === 0x77) c.u8();
    else readValueType(c, undefined, plainTypeNamer);
    c.u8();
  };
  if (form === 0x60) {
    for (let k = 0; k < 2; k++) {
      const n = c.u32('value type count');
      for (let i = 0; i < n; i++) readValueType(c, undefined, plainTypeNamer);
    }
  } else if (form === 0x5f) {
    const n = c.u32('field count');
    for (let i = 0; i < n; i++) field();
  } else if (form === 0x5e) field();
  else c.fail(`unknown type form 0x${form.toString(16)}`);
}

/** The parts of one function body: where its locals are declared and where each instruction starts. */
export interface BodyLayout {
  localsOffset: number;
  instructions: Instruction[];
  /** Set when decoding stopped early (an unknown opcode or a broken immediate) at this offset. */
  stoppedAt?: number;
}

/** Decodes the body whose size prefix is at `entryOffset` (an entry of the code section). */
export function bodyLayout(bytes: Uint8Array, entryOffset: number): BodyLayout {
  const header = new Cursor(bytes, 0);
  header.pos = entryOffset;
  const size = header.u32('body size');
  const start = header.offset;
  const c = new Cursor(bytes.subarray(start, Math.min(start + size, bytes.length)), start);
  const layout: BodyLayout = { localsOffset: start, instructions: [] };
  try {
    readLocals(c);
    while (!c.atEnd) layout.instructions.push(readInstruction(c));
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
    layout.stoppedAt = error.offset;
  }
  return layout;
}
