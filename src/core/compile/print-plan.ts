/**
 * What to leave out when printing a very large module, chosen so the text stays a valid module: whole
 * function bodies past a budget become `unreachable`, data segments past a budget keep their first bytes,
 * and large custom sections (DWARF, mostly) are left out. Nothing is ever cut mid-module, every elision is
 * noted where it happened, and the first and last lines list them all.
 */
import { Cursor } from '../binary/cursor';
import { concatBytes, encodeUleb } from '../binary/encode';
import { moduleLayout, type SectionLayout } from '../binary/layout';
import { readDataSegmentHeader } from '../binary/segments';
import { formatBytes } from '../text/bytes';

export interface PrintBudget {
  /** Bytes of function bodies printed in full; later bodies are elided. */
  maxCodeBytes: number;
  /** Bytes of data segments printed in full; later segments keep only their first bytes. */
  maxDataBytes: number;
  /** Bytes of custom sections (other than `name`) printed; past it whole sections are left out. */
  maxCustomBytes: number;
}

export const defaultPrintBudget: PrintBudget = { maxCodeBytes: 1024 * 1024, maxDataBytes: 1024 * 1024, maxCustomBytes: 256 * 1024 };

/** Bytes a shortened data segment keeps, so its start is still readable. */
const keptDataBytes = 64;

export interface Elisions {
  /** Functions (absolute index, imports counted) whose bodies became `unreachable`, with their body size. */
  functions: { index: number; size: number }[];
  /** Data segments shortened to their first bytes. */
  data: { index: number; size: number; elided: number }[];
  /** Custom sections left out. */
  custom: { name: string; size: number }[];
}

export const noElisions = (): Elisions => ({ functions: [], data: [], custom: [] });

export function hasElisions(elisions: Elisions): boolean {
  return elisions.functions.length + elisions.data.length + elisions.custom.length > 0;
}

/** A copy of a core module with what is over the budget elided (the input itself when nothing is). */
export function elideForPrinting(bytes: Uint8Array, budget: PrintBudget): { bytes: Uint8Array; elisions: Elisions } {
  const elisions = noElisions();
  if (bytes[4] !== 0x01) return { bytes, elisions }; // components are printed whole
  const layout = moduleLayout(bytes);
  const importedFunctions = countImportedFunctions(
    bytes,
    layout.sections.find((s) => s.id === 2),
  );
  let customSpent = 0;
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let changed = false;
  for (const section of layout.sections) {
    let payload: Uint8Array | undefined;
    if (section.id === 10) payload = elideBodies(bytes, section, budget.maxCodeBytes, importedFunctions, elisions);
    else if (section.id === 11) payload = shortenData(bytes, section, budget.maxDataBytes, elisions);
    else if (section.id === 0) {
      const name = new Cursor(bytes.subarray(section.payloadOffset, section.end), section.payloadOffset).name();
      const size = section.end - section.payloadOffset;
      if (name !== 'name') {
        if (customSpent + size > budget.maxCustomBytes) {
          elisions.custom.push({ name, size });
          changed = true;
          continue;
        }
        customSpent += size;
      }
    }
    if (payload) {
      changed = true;
      parts.push(Uint8Array.of(section.id), encodeUleb(payload.length), payload);
    } else parts.push(bytes.subarray(section.offset, section.end));
  }
  return changed ? { bytes: concatBytes(parts), elisions } : { bytes, elisions };
}

function countImportedFunctions(bytes: Uint8Array, imports: SectionLayout | undefined): number {
  let n = 0;
  for (const entry of imports?.entries ?? []) {
    const c = new Cursor(bytes.subarray(entry, imports!.end), entry);
    c.name();
    c.name();
    if (c.u8() === 0x00) n++;
  }
  return n;
}

/** The code section with bodies past the budget replaced by `unreachable`, or undefined when all fit. */
function elideBodies(
  bytes: Uint8Array,
  code: SectionLayout,
  budget: number,
  firstIndex: number,
  elisions: Elisions,
): Uint8Array | undefined {
  if (code.end - code.payloadOffset <= budget) return undefined;
  const stub = Uint8Array.of(0x03, 0x00, 0x00, 0x0b); // size 3: no locals, unreachable, end
  const parts: Uint8Array[] = [encodeUleb(code.entries.length)];
  let spent = 0;
  for (const [i, entry] of code.entries.entries()) {
    const c = new Cursor(bytes.subarray(entry, code.end), entry);
    const size = c.u32('body size');
    const end = c.offset + size;
    if (spent + size <= budget) {
      spent += size;
      parts.push(bytes.subarray(entry, end));
    } else {
      elisions.functions.push({ index: firstIndex + i, size });
      parts.push(stub);
    }
  }
  return elisions.functions.length ? concatBytes(parts) : undefined;
}

/** The data section with segments past the budget cut to their first bytes, or undefined when all fit. */
function shortenData(bytes: Uint8Array, data: SectionLayout, budget: number, elisions: Elisions): Uint8Array | undefined {
  if (data.end - data.payloadOffset <= budget) return undefined;
  const parts: Uint8Array[] = [encodeUleb(data.entries.length)];
  let spent = 0;
  for (const [index, entry] of data.entries.entries()) {
    const c = new Cursor(bytes.subarray(entry, data.end), entry);
    const headerStart = entry;
    const { length: size, lengthAt } = readDataSegmentHeader(c);
    // The header without its length: flags, memory and offset expression.
    const header = bytes.subarray(headerStart, lengthAt);
    const payload = bytes.subarray(c.offset, c.offset + size);
    if (spent + size <= budget || size <= keptDataBytes) {
      spent += size;
      parts.push(bytes.subarray(headerStart, c.offset + size));
    } else {
      elisions.data.push({ index, size, elided: size - keptDataBytes });
      parts.push(header, encodeUleb(keptDataBytes), payload.subarray(0, keptDataBytes));
    }
  }
  return elisions.data.length ? concatBytes(parts) : undefined;
}

/** One sentence listing every elision, for the first and the last line of the text. */
export function describeElisions(elisions: Elisions): string {
  const parts: string[] = [];
  if (elisions.functions.length) {
    const bytes = elisions.functions.reduce((n, f) => n + f.size, 0);
    parts.push(
      `the bodies of ${elisions.functions.length} functions (from function ${elisions.functions[0]!.index} on, ${formatBytes(bytes)}) are shown as \`unreachable\``,
    );
  }
  if (elisions.data.length) {
    const bytes = elisions.data.reduce((n, d) => n + d.elided, 0);
    parts.push(`${elisions.data.length} data segments keep only their first ${keptDataBytes} bytes (${formatBytes(bytes)} elided)`);
  }
  if (elisions.custom.length)
    parts.push(`custom sections left out: ${elisions.custom.map((c) => `${c.name} (${formatBytes(c.size)})`).join(', ')}`);
  return parts.join('; ');
}

/**
 * Puts the notes into printed text: one at each elided function and data segment (wasm-tools prints their
 * index as `(;N;)` on the line that opens them), and the summary as the first and last lines.
 */
export function annotate(text: string, elisions: Elisions, fullTextHint: string): string {
  if (!hasElisions(elisions)) return text;
  const functionNotes = new Map(elisions.functions.map((f) => [f.index, ` ;; body elided (${formatBytes(f.size)})`]));
  const dataNotes = new Map(elisions.data.map((d) => [d.index, ` ;; ${d.elided} bytes elided`]));
  const annotated = text.replace(/^ {2}\((func|data)\b[^\n]*?\(;(\d+);\)[^\n]*$/gm, (line, kind: string, index: string) => {
    const note = (kind === 'func' ? functionNotes : dataNotes).get(Number(index));
    return note ? line + note : line;
  });
  const summary = `;; Wasm Workbench elided parts of this module to keep the text readable: ${describeElisions(elisions)}. ${fullTextHint}`;
  return `${summary}\n${annotated.replace(/\n?$/, '\n')}${summary}\n`;
}
