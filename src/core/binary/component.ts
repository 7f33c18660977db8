/**
 * Component reader: imports, exports, nested core modules and components. Only the import and export
 * sections are decoded; the component's full types are printed as WIT by wasm-tools (see core/wit).
 */
import { Cursor } from './cursor';
import { categorizeCustomSection, decodeProducers } from './custom-sections';
import { WasmFormatError, type ReadWarning } from './errors';
import type { ComponentExport, ComponentImport, ComponentInfo, ComponentItemKind } from './model';
import { readModuleAt, type ReadOptions } from './module';
import { customContentCursor, payloadCursor, scanSections, toSectionInfo } from './sections';
import type { WindowedReader } from './source';
import { expectHeader } from './header';

const componentSectionNames: Record<number, string> = {
  0: 'custom',
  1: 'core module',
  2: 'core instance',
  3: 'core type',
  4: 'component',
  5: 'instance',
  6: 'alias',
  7: 'type',
  8: 'canon',
  9: 'start',
  10: 'import',
  11: 'export',
  12: 'value',
};
const componentSectionName = (id: number): string | undefined => componentSectionNames[id];

const coreSorts: Record<number, string> = {
  0x00: 'func',
  0x01: 'table',
  0x02: 'memory',
  0x03: 'global',
  0x04: 'tag',
  0x10: 'type',
  0x11: 'module',
  0x12: 'instance',
};
const sorts: Record<number, ComponentItemKind> = { 0x01: 'func', 0x02: 'value', 0x03: 'type', 0x04: 'component', 0x05: 'instance' };

export async function readComponentAt(reader: WindowedReader, start: number, end: number, options: ReadOptions): Promise<ComponentInfo> {
  const raw = await scanSections(reader, start + 8, end, componentSectionName);
  const warnings: ReadWarning[] = [];
  const component: ComponentInfo = {
    kind: 'component',
    offset: start,
    sizeBytes: end - start,
    sections: raw.map((s) => toSectionInfo(s, componentSectionName)),
    imports: [],
    exports: [],
    coreModules: [],
    components: [],
    customSections: [],
    warnings,
  };
  for (const section of raw) {
    const sectionEnd = section.payloadOffset + section.size;
    switch (section.id) {
      case 0: {
        const category = categorizeCustomSection(section.customName!);
        component.customSections.push({ name: section.customName!, offset: section.offset, size: section.size, category });
        if (category === 'producers') {
          try {
            component.producers = { ...component.producers, ...decodeProducers(await customContentCursor(reader, section)) };
          } catch (error) {
            if (!(error instanceof WasmFormatError)) throw error;
            warnings.push({ offset: error.offset, message: `producers section ignored: ${error.reason}` });
          }
        }
        break;
      }
      case 1: {
        await expectHeader(reader, section.payloadOffset, sectionEnd, 'module');
        const module = await readModuleAt(reader, section.payloadOffset, sectionEnd, options);
        component.coreModules.push({ offset: section.payloadOffset, sizeBytes: section.size, module });
        break;
      }
      case 4: {
        await expectHeader(reader, section.payloadOffset, sectionEnd, 'component');
        component.components.push(await readComponentAt(reader, section.payloadOffset, sectionEnd, options));
        break;
      }
      case 10: {
        const c = await payloadCursor(reader, section);
        const n = c.count('component import', 3);
        for (let i = 0; i < n; i++) component.imports.push(readImport(c));
        if (!c.atEnd) c.fail(`import section has ${c.remaining} unexpected bytes at its end`);
        break;
      }
      case 11: {
        const c = await payloadCursor(reader, section);
        const n = c.count('component export', 3);
        for (let i = 0; i < n; i++) component.exports.push(readExport(c));
        if (!c.atEnd) c.fail(`export section has ${c.remaining} unexpected bytes at its end`);
        break;
      }
      default:
        break;
    }
  }
  return component;
}

function readExternName(c: Cursor, what: string): string {
  const at = c.offset;
  const prefix = c.u8();
  // 0x00 is the current encoding; 0x01 was used by older toolchains for interface names and means the same.
  if (prefix !== 0x00 && prefix !== 0x01) c.fail(`unknown ${what} name encoding 0x${prefix.toString(16)}`, at);
  return c.name(`${what} name`);
}

function readImport(c: Cursor): ComponentImport {
  const name = readExternName(c, 'import');
  return { name, ...readExternDescriptor(c, name) };
}

function readExternDescriptor(c: Cursor, name: string): { kind: ComponentItemKind; typeIndex?: number } {
  const at = c.offset;
  const tag = c.u8();
  switch (tag) {
    case 0x00: {
      const sort = c.u8();
      if (sort !== 0x11) c.fail(`"${name}": a core item of sort 0x${sort.toString(16)} cannot be imported or exported by type`, at);
      return { kind: 'module', typeIndex: c.u32('type index') };
    }
    case 0x01:
      return { kind: 'func', typeIndex: c.u32('type index') };
    case 0x02: {
      const bound = c.u8();
      if (bound === 0x00) c.u32('value index');
      else if (bound === 0x01) {
        const type = c.signed(33, 'value type');
        if (type >= 0n) return { kind: 'value', typeIndex: Number(type) };
      } else c.fail(`"${name}": bad value bound 0x${bound.toString(16)}`, at);
      return { kind: 'value' };
    }
    case 0x03: {
      const bound = c.u8();
      if (bound === 0x00) return { kind: 'type', typeIndex: c.u32('type index') };
      if (bound !== 0x01) c.fail(`"${name}": bad type bound 0x${bound.toString(16)}`, at);
      return { kind: 'type' };
    }
    case 0x04:
      return { kind: 'component', typeIndex: c.u32('type index') };
    case 0x05:
      return { kind: 'instance', typeIndex: c.u32('type index') };
    default:
      c.fail(`"${name}": unknown extern descriptor 0x${tag.toString(16)}`, at);
  }
}

function readExport(c: Cursor): ComponentExport {
  const name = readExternName(c, 'export');
  const at = c.offset;
  const sort = c.u8();
  let kind: ComponentExport['kind'];
  if (sort === 0x00) {
    const core = coreSorts[c.u8()];
    if (!core) c.fail(`"${name}": unknown core sort`, at);
    kind = `core ${core}`;
  } else {
    const known = sorts[sort];
    if (!known) c.fail(`"${name}": unknown sort 0x${sort.toString(16)}`, at);
    kind = known;
  }
  const index = c.u32('export index');
  const hasType = c.u8();
  if (hasType === 0x01) readExternDescriptor(c, name);
  else if (hasType !== 0x00) c.fail(`"${name}": bad export type flag 0x${hasType.toString(16)}`, c.offset - 1);
  return { name, kind, index };
}
