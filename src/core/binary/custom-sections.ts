/**
 * Custom sections: which ones are understood, and the decoders for the small ones worth reading
 * (`name`, `producers`, `target_features`, `sourceMappingURL`, `dylink.0`, `linking`). Large ones such as
 * DWARF are only listed by name and size; their payload is never fetched.
 */
import { Cursor } from './cursor';
import type { ReadWarning } from './errors';
import { WasmFormatError } from './errors';
import type { CustomCategory, DylinkInfo, NameMap, Producers, TargetFeature } from './model';

export function categorizeCustomSection(name: string): CustomCategory {
  if (name === 'name') return 'name';
  if (name === 'producers') return 'producers';
  if (name === 'target_features') return 'target-features';
  if (name.startsWith('.debug_')) return 'dwarf';
  if (name === 'sourceMappingURL') return 'source-map';
  if (name === 'external_debug_info') return 'external-debug-info';
  if (name === 'linking') return 'linking';
  if (name.startsWith('reloc.')) return 'relocation';
  if (name === 'dylink' || name === 'dylink.0') return 'dylink';
  if (name.startsWith('component-type')) return 'component-type';
  if (name === 'build_id') return 'build-id';
  return 'other';
}

export function emptyNameMap(): NameMap {
  return { functions: {}, types: {}, tables: {}, memories: {}, globals: {}, tags: {} };
}

function readNameAssociations(c: Cursor, into: Record<number, string>): void {
  const n = c.count('name map entry', 2);
  for (let i = 0; i < n; i++) {
    const index = c.u32('name map index');
    into[index] = c.name('name');
  }
}

const nameSubsections: Record<number, keyof NameMap> = {
  1: 'functions',
  4: 'types',
  5: 'tables',
  6: 'memories',
  7: 'globals',
  11: 'tags',
};

/**
 * Decodes the `name` section. Engines ignore a malformed one, so do we: what was read before the problem is
 * kept and the problem becomes a warning instead of failing the whole read.
 */
export function decodeNameSection(c: Cursor, names: NameMap, warnings: ReadWarning[]): void {
  try {
    while (!c.atEnd) {
      const id = c.u8();
      const size = c.u32('name subsection size');
      const body = new Cursor(c.take(size), c.offset - size);
      if (id === 0) names.module = body.name('module name');
      else {
        const key = nameSubsections[id];
        if (key && key !== 'module') readNameAssociations(body, names[key] as Record<number, string>);
      }
    }
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
    warnings.push({ offset: error.offset, message: `name section ignored from here: ${error.reason}` });
  }
}

export function decodeProducers(c: Cursor): Producers {
  const producers: Producers = {};
  const fields = c.count('producers field', 2);
  for (let i = 0; i < fields; i++) {
    const field = c.name('producers field name');
    const values = c.count('producers value', 2);
    const list = (producers[field] ??= []);
    for (let j = 0; j < values; j++) list.push({ name: c.name('producer name'), version: c.name('producer version') });
  }
  return producers;
}

export function decodeTargetFeatures(c: Cursor): TargetFeature[] {
  const n = c.count('target feature', 2);
  const out: TargetFeature[] = [];
  for (let i = 0; i < n; i++) {
    const at = c.offset;
    const prefix = String.fromCharCode(c.u8());
    if (prefix !== '+' && prefix !== '-' && prefix !== '=') c.fail(`bad target feature prefix '${prefix}'`, at);
    out.push({ prefix, name: c.name('feature name') });
  }
  return out;
}

/** `dylink.0` (subsections) and the legacy `dylink` (a fixed record) used by Emscripten side modules. */
export function decodeDylink(c: Cursor, legacy: boolean): DylinkInfo {
  const info: DylinkInfo = { neededDynlibs: [] };
  const readMemInfo = (body: Cursor) => {
    info.memorySize = body.u32('memory size');
    info.memoryAlignment = body.u32('memory alignment');
    info.tableSize = body.u32('table size');
    info.tableAlignment = body.u32('table alignment');
  };
  const readNeeded = (body: Cursor) => {
    const n = body.count('needed library');
    for (let i = 0; i < n; i++) info.neededDynlibs.push(body.name('library name'));
  };
  if (legacy) {
    readMemInfo(c);
    readNeeded(c);
    return info;
  }
  while (!c.atEnd) {
    const id = c.u8();
    const size = c.u32('dylink subsection size');
    const body = new Cursor(c.take(size), c.offset - size);
    if (id === 1) readMemInfo(body);
    else if (id === 2) readNeeded(body);
  }
  return info;
}

/** The payload of a custom section that holds one string (`sourceMappingURL`, `external_debug_info`). */
export function decodeUrl(c: Cursor): string {
  return c.name('URL');
}
