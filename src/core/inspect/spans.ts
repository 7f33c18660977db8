/**
 * Where each part of a binary lies. Sections sit end to end after the 8-byte preamble, so each one runs from its
 * id byte to the next one's id byte: that counts its size prefix (however padded) as well as its payload. The size
 * picture adds these up by name; the hex view marks their boundaries.
 */
import type { InspectReport } from './report';

export interface ByteSpan {
  /** `header` for the preamble, else the section's name as the report gives it (`code`, `custom:name`). */
  name: string;
  /** What people read: `file header`, `code`, `custom section name`. */
  label: string;
  kind: 'header' | 'section' | 'custom';
  /** First byte (the section's id byte). */
  start: number;
  /** First byte of the payload, after the id byte and the size prefix (the header's own end). */
  payloadStart: number;
  /** One past the last byte. */
  end: number;
}

export function byteSpans(report: Pick<InspectReport, 'sections' | 'sizeBytes'>): ByteSpan[] {
  const total = report.sizeBytes;
  const ordered = [...report.sections].sort((a, b) => a.offset - b.offset);
  const spans: ByteSpan[] = [];
  const preamble = Math.min(total, ordered[0]?.offset ?? total);
  if (preamble > 0) spans.push({ name: 'header', label: 'file header', kind: 'header', start: 0, payloadStart: preamble, end: preamble });
  ordered.forEach((section, i) => {
    const next = i + 1 < ordered.length ? ordered[i + 1]!.offset : total;
    // A section that claims more than the gap (only in a report not read from a real file) keeps its payload size.
    const end = next >= section.offset ? next : section.offset + section.size;
    const custom = section.name.startsWith('custom:');
    spans.push({
      name: section.name,
      label: custom ? `custom section ${section.name.slice('custom:'.length)}` : section.name,
      kind: custom ? 'custom' : 'section',
      start: section.offset,
      payloadStart: Math.max(section.offset, end - section.size),
      end,
    });
  });
  return spans;
}
