/** The section layer shared by modules and components: scanning headers without reading payloads. */
import { Cursor } from './cursor';
import type { WindowedReader } from './source';
import type { SectionInfo } from './model';

export interface RawSection {
  id: number;
  offset: number;
  payloadOffset: number;
  size: number;
  /** Name of a custom section (id 0), with the offset where its content starts after the name. */
  customName?: string;
  customContentOffset?: number;
}

/** How many bytes a section header can take at most: the id byte plus a 5-byte LEB128 size. */
const MAX_HEADER_BYTES = 6;
/** Custom section names are read from a short prefix; a longer name needs a second read. */
const CUSTOM_NAME_PREFIX_BYTES = 256;

/**
 * Reads every section header in [start, end) and steps over the payloads: one small positional read per
 * section, served from the reader's window when headers sit close together.
 */
export async function scanSections(
  reader: WindowedReader,
  start: number,
  end: number,
  nameOf: (id: number) => string | undefined,
): Promise<RawSection[]> {
  const sections: RawSection[] = [];
  let pos = start;
  while (pos < end) {
    const header = new Cursor(await reader.peek(pos, Math.min(MAX_HEADER_BYTES, end - pos)), pos);
    const id = header.u8();
    if (nameOf(id) === undefined) header.fail(`unknown section id ${id}`, pos);
    const size = header.u32('section size');
    const payloadOffset = header.offset;
    if (size > end - payloadOffset) {
      header.fail(
        `${nameOf(id)} section declares ${size} bytes but only ${end - payloadOffset} remain in the ${end === reader.source.size ? 'file' : 'enclosing section'}`,
        pos,
      );
    }
    const section: RawSection = { id, offset: pos, payloadOffset, size };
    if (id === 0) await readCustomName(reader, section);
    sections.push(section);
    pos = payloadOffset + size;
  }
  return sections;
}

async function readCustomName(reader: WindowedReader, section: RawSection): Promise<void> {
  let prefix = await reader.peek(section.payloadOffset, Math.min(CUSTOM_NAME_PREFIX_BYTES, section.size));
  const probe = new Cursor(prefix, section.payloadOffset);
  const length = probe.u32('custom section name length');
  if (length > section.size - (probe.offset - section.payloadOffset)) {
    probe.fail(`custom section name length ${length} runs past the end of its section`, section.payloadOffset);
  }
  if (probe.pos + length > prefix.length) prefix = await reader.peek(section.payloadOffset, probe.pos + length);
  const c = new Cursor(prefix, section.payloadOffset);
  section.customName = c.name('custom section name');
  section.customContentOffset = c.offset;
}

export function toSectionInfo(raw: RawSection, nameOf: (id: number) => string | undefined): SectionInfo {
  return {
    id: raw.id,
    name: raw.id === 0 ? `custom:${raw.customName}` : nameOf(raw.id)!,
    offset: raw.offset,
    payloadOffset: raw.payloadOffset,
    size: raw.size,
  };
}

/** Reads a section's whole payload into a cursor positioned at its start. */
export async function payloadCursor(reader: WindowedReader, section: RawSection): Promise<Cursor> {
  return new Cursor(await reader.peek(section.payloadOffset, section.size), section.payloadOffset);
}

/** A cursor over a custom section's content (after its name). */
export async function customContentCursor(reader: WindowedReader, section: RawSection): Promise<Cursor> {
  const start = section.customContentOffset!;
  const length = section.payloadOffset + section.size - start;
  return new Cursor(await reader.peek(start, length), start);
}
