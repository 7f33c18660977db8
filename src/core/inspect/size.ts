/**
 * Where a binary's bytes go: bytes per section (header bytes included, so the parts add up to the file size),
 * the largest functions by body size, and for components the nested core modules. The inspector panel draws
 * this; it is plain data, computed from an `InspectReport` (read with `functionBodies: true` for functions).
 */
import type { InspectReport } from './report';
import { byteSpans } from './spans';

export interface SizeSlice {
  /** Stable key: the section's name (`code`, `custom:name`), `header` for the preamble, `other` for the rest. */
  key: string;
  /** What people read: `code`, `custom section .debug_info`, `file header`, `12 smaller sections`. */
  label: string;
  kind: 'header' | 'section' | 'custom' | 'other';
  /** Bytes in the file: section id, size prefix and payload, for every section of this name. */
  bytes: number;
  /** How many sections were added up into this slice. */
  count: number;
  /** bytes / total file size, 0..1. */
  share: number;
}

export interface FunctionSlice {
  /** Index in the function index space (imports come first). */
  index: number;
  /** From the `name` section, else `func[index]`. */
  name: string;
  /** Whether the name came from the `name` section. */
  named: boolean;
  /** Body size in bytes (locals and instructions, without the size prefix). */
  bytes: number;
  /** bytes / all bodies' bytes, 0..1. */
  share: number;
}

export interface FunctionSizes {
  /** Defined functions (bodies). */
  count: number;
  /** Bytes of all bodies. */
  totalBytes: number;
  /** The largest bodies, largest first (ties: lower index first). */
  largest: FunctionSlice[];
  /** Everything not in `largest`. */
  other: { count: number; bytes: number; share: number };
}

export interface ModuleSlice {
  /** Index among the component's core modules, in file order. */
  index: number;
  bytes: number;
  codeBytes: number;
  functions: number;
  /** bytes / total file size, 0..1. */
  share: number;
}

export interface SizeBreakdown {
  totalBytes: number;
  /** Largest first; past `maxSections`, the smallest are added up into one `other` slice (last). */
  sections: SizeSlice[];
  /** Present when the report has function bodies (core modules read with `functionBodies: true`). */
  functions?: FunctionSizes;
  /** Components: their core modules, largest first. */
  modules?: ModuleSlice[];
}

export interface SizeOptions {
  /** Most slices in `sections`, the `other` slice included (default 12, at least 2). */
  maxSections?: number;
  /** How many functions `largest` lists (default 20). */
  topFunctions?: number;
}

const byBytesThenKey =
  <T extends { bytes: number }>(key: (t: T) => string | number) =>
  (a: T, b: T) =>
    b.bytes - a.bytes || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** A share in 0..1 that never divides by zero. */
function shareOf(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

export function sizeBreakdown(report: InspectReport, options: SizeOptions = {}): SizeBreakdown {
  const totalBytes = report.sizeBytes;
  const maxSections = Math.max(2, Math.floor(options.maxSections ?? 12));
  const topFunctions = Math.max(0, Math.floor(options.topFunctions ?? 20));

  // Sections of one name (several custom sections may share one) are added up.
  const groups = new Map<string, SizeSlice>();
  for (const span of byteSpans(report)) {
    const bytes = span.end - span.start;
    const existing = groups.get(span.name);
    if (existing) {
      existing.bytes += bytes;
      existing.count++;
    } else {
      groups.set(span.name, { key: span.name, label: span.label, kind: span.kind, bytes, count: 1, share: 0 });
    }
  }
  let sections = [...groups.values()].sort(byBytesThenKey((s) => s.key));
  if (sections.length > maxSections) {
    const rest = sections.slice(maxSections - 1);
    const count = rest.reduce((n, s) => n + s.count, 0);
    const bytes = rest.reduce((n, s) => n + s.bytes, 0);
    sections = [
      ...sections.slice(0, maxSections - 1),
      { key: 'other', label: `${count} smaller section${count === 1 ? '' : 's'}`, kind: 'other', bytes, count, share: 0 },
    ];
  }
  for (const s of sections) s.share = shareOf(s.bytes, totalBytes);

  const breakdown: SizeBreakdown = { totalBytes, sections };

  const bodies = report.functions.bodies;
  if (bodies) {
    const total = bodies.reduce((n, b) => n + b.size, 0);
    const sorted = [...bodies].sort((a, b) => b.size - a.size || a.index - b.index);
    const largest = sorted.slice(0, topFunctions).map((b) => ({
      index: b.index,
      name: b.name ?? `func[${b.index}]`,
      named: b.name !== undefined,
      bytes: b.size,
      share: shareOf(b.size, total),
    }));
    const shown = largest.reduce((n, f) => n + f.bytes, 0);
    const otherCount = bodies.length - largest.length;
    breakdown.functions = {
      count: bodies.length,
      totalBytes: total,
      largest,
      other: { count: otherCount, bytes: total - shown, share: shareOf(total - shown, total) },
    };
  }

  if (report.coreModules) {
    breakdown.modules = report.coreModules
      .map((m) => ({
        index: m.index,
        bytes: m.sizeBytes,
        codeBytes: m.codeBytes,
        functions: m.functions,
        share: shareOf(m.sizeBytes, totalBytes),
      }))
      .sort(byBytesThenKey((m) => m.index));
  }
  return breakdown;
}
