/** Element and data segments: stepping over each one, checking its encoding (flags, expressions, lengths). */
import type { Cursor } from './cursor';
import { readExpression } from './instructions';
import { plainTypeNamer, readReferenceType } from './types';

/** Steps over one element segment (all eight encodings of the flags). */
export function stepElementSegment(c: Cursor): void {
  const at = c.offset;
  const flags = c.u32('element segment flags');
  if (flags > 7) c.fail(`unknown element segment flags ${flags}`, at);
  const explicitTable = (flags & 0b011) === 0b010;
  const passiveOrDeclarative = (flags & 0b001) !== 0;
  const expressions = (flags & 0b100) !== 0;
  if (explicitTable) c.u32('table index');
  if (!passiveOrDeclarative) readExpression(c);
  if (flags & 0b011) {
    if (expressions) readReferenceType(c, undefined, plainTypeNamer);
    else {
      const kindAt = c.offset;
      if (c.u8() !== 0x00) c.fail('element kind must be 0 (funcref)', kindAt);
    }
  }
  const n = c.count('element', 1);
  for (let i = 0; i < n; i++) {
    if (expressions) readExpression(c);
    else c.u32('function index');
  }
}

/** Reads a data segment up to its bytes (flags, memory, offset expression, length); returns the length and where it is written. */
export function readDataSegmentHeader(c: Cursor): { length: number; lengthAt: number } {
  const at = c.offset;
  const flags = c.u32('data segment flags');
  if (flags > 2) c.fail(`unknown data segment flags ${flags}`, at);
  if (flags === 2) c.u32('memory index');
  if (flags !== 1) readExpression(c);
  const lengthAt = c.offset;
  return { length: c.u32('data length'), lengthAt };
}
