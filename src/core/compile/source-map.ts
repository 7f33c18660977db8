/**
 * From a byte offset in a binary that wasm-tools made from WAT back to the text that made it: the section
 * entry holding the offset gives the field (the binary numbers fields in text order), and inside a function
 * body the instruction's position in emission order gives the instruction.
 */
import { bodyLayout, locateOffset, moduleLayout } from '../binary/layout';
import { fieldSpan, functionInstructions, localsClause, outlineWat, type List, type TextSpan, type WatOutline } from './wat-outline';

/** The text span that produced the byte at `offset`; falls back to the enclosing field, then the module. */
export function spanOfOffset(text: string, bytes: Uint8Array, offset: number): TextSpan {
  const outline = outlineWat(text);
  return outline ? spanInModule(outline, bytes, offset) : firstToken(text);
}

/** The same for one module's outline (a whole text, or a component's `(core module ...)`). */
export function spanInModule(outline: WatOutline, bytes: Uint8Array, offset: number): TextSpan {
  const location = locateOffset(moduleLayout(bytes), offset);
  if (!location) return outline.module;
  const { section, entry } = location;
  const fields = fieldsOfSection(outline, section.id);
  const field = fields[Math.max(entry, 0)];
  if (!field) return outline.module;
  if (section.id !== 10 || entry < 0) return fieldSpan(field);
  return instructionSpan(bytes, section.entries[entry]!, field, offset);
}

function fieldsOfSection(outline: WatOutline, id: number): List[] {
  switch (id) {
    case 1:
      return outline.types;
    case 2:
      return outline.imports;
    case 3:
    case 10:
      return outline.funcs;
    case 4:
      return outline.tables;
    case 5:
      return outline.memories;
    case 6:
      return outline.globals;
    case 7:
      return outline.exports;
    case 8:
      return outline.start ? [outline.start] : [];
    case 9:
      return outline.elems;
    case 11:
    case 12:
      return outline.datas;
    case 13:
      return outline.tags;
    default:
      return [];
  }
}

function instructionSpan(bytes: Uint8Array, entryOffset: number, func: List, offset: number): TextSpan {
  const body = bodyLayout(bytes, entryOffset);
  const first = body.instructions[0];
  if (!first || offset < first.offset) {
    const locals = localsClause(func);
    return locals ? { start: locals.start, end: locals.start + 6 } : fieldSpan(func);
  }
  let index = 0;
  while (index + 1 < body.instructions.length && body.instructions[index + 1]!.offset <= offset) index++;
  const text = functionInstructions(func);
  // Only a complete, one-to-one match is trusted; anything else points at the function.
  if (body.stoppedAt !== undefined || text.length !== body.instructions.length) return fieldSpan(func);
  return text[index]!;
}

export function firstToken(text: string): TextSpan {
  const match = /[^\s]+/.exec(text);
  return match ? { start: match.index, end: match.index + Math.min(match[0].length, 20) } : { start: 0, end: 0 };
}

/** 0-based line and UTF-16 column of text offsets, lines ending at LF, CR LF or a lone CR (as editors count). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (const match of text.matchAll(/\r\n?|\n/g)) this.starts.push(match.index! + match[0].length);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: offset - this.starts[low]! };
  }
}

/** The UTF-16 offset of a UTF-8 byte offset into `text` (wasm-tools reports byte offsets). */
export function utf16OffsetOfUtf8(text: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const code = text.codePointAt(i)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    i += code >= 0x10000 ? 2 : 1;
  }
  return i;
}
