/**
 * The names in a WAT (or WAST) text: what each module defines (functions, tables, memories, globals, tags, types,
 * element and data segments, with their params, locals and struct fields), its imports and exports, and every use of
 * a `$name` resolved to its definition by the text format's scoping rules: module-level index spaces, a function's
 * params and locals, the labels of the enclosing blocks, and a struct type's fields. Editors build an outline, go to
 * definition, find references and hovers from it. Offsets are UTF-16 indices into the text.
 */
import { isName, isNameText, parseWat, type Atom, type List, type Node, type WatSyntax } from './syntax';

export type Space = 'func' | 'table' | 'memory' | 'global' | 'tag' | 'type' | 'elem' | 'data' | 'local' | 'label' | 'field';

export interface WatDefinition {
  space: Space;
  /** The `$name`, when it has one. */
  name?: string;
  /** Its index in its space (imports first, as in the binary), counted in text order. */
  index: number;
  /** Where its `$name` is (or, without one, its keyword). */
  nameStart: number;
  nameEnd: number;
  /** The whole definition (the list; for a flat block, the block keyword to its `end`). */
  start: number;
  end: number;
  /** A short description: a function's signature, a global's type, `imported from "env" "log"`. */
  detail: string;
  /** Params and locals of a function, fields of a struct type. */
  children: WatDefinition[];
}

export interface WatOutlineItem {
  kind: 'module' | Space | 'export' | 'start';
  /** What the outline shows: `$name`, `func 3`, `"export-name"`. */
  label: string;
  detail: string;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: WatOutlineItem[];
}

export interface WatOccurrence {
  start: number;
  end: number;
  name: string;
  /** The definition it names; undefined when nothing in scope has that name. */
  definition?: WatDefinition;
  /** Whether this is the definition's own `$name`. */
  isDefinition: boolean;
}

export interface WatSymbols {
  outline: WatOutlineItem[];
  /** Every `$name` in the text, definitions and uses, in text order. */
  occurrences: WatOccurrence[];
}

const MODULE_FIELDS: Record<string, Space> = {
  func: 'func',
  table: 'table',
  memory: 'memory',
  global: 'global',
  tag: 'tag',
  type: 'type',
  elem: 'elem',
  data: 'data',
};
const BLOCKS = new Set(['block', 'loop', 'if', 'try_table', 'try']);
/** Atoms that are immediates rather than instructions: numbers (`1`, `-0x10`, `nan`, `inf`), `offset=N`, `align=N`. */
function isImmediate(atom: Atom): boolean {
  const text = atom.text;
  const c = text.charCodeAt(text.charCodeAt(0) === 0x2b || text.charCodeAt(0) === 0x2d ? 1 : 0);
  if (c >= 0x30 && c <= 0x39) return true;
  return text.startsWith('offset=') || text.startsWith('align=') || /^[-+]?(nan|inf)/.test(text);
}

/** Which space each `$name` operand of an instruction is in, given how many there are. */
function operandSpaces(instruction: string, count: number): Space[] {
  const all = (space: Space) => Array<Space>(count).fill(space);
  switch (instruction) {
    case 'call':
    case 'return_call':
    case 'ref.func':
      return ['func'];
    case 'local.get':
    case 'local.set':
    case 'local.tee':
      return ['local'];
    case 'global.get':
    case 'global.set':
      return ['global'];
    case 'br':
    case 'br_if':
    case 'br_on_null':
    case 'br_on_non_null':
    case 'br_on_cast':
    case 'br_on_cast_fail':
    case 'rethrow':
    case 'delegate':
      return ['label'];
    case 'br_table':
      return all('label');
    case 'throw':
    case 'catch':
      return ['tag'];
    case 'call_indirect':
    case 'return_call_indirect':
    case 'table.get':
    case 'table.set':
    case 'table.size':
    case 'table.grow':
    case 'table.fill':
      return ['table'];
    case 'table.copy':
      return all('table');
    case 'table.init':
      return count >= 2 ? ['table', 'elem'] : ['elem'];
    case 'elem.drop':
      return ['elem'];
    case 'memory.size':
    case 'memory.grow':
    case 'memory.fill':
      return ['memory'];
    case 'memory.copy':
      return all('memory');
    case 'memory.init':
      return count >= 2 ? ['memory', 'data'] : ['data'];
    case 'data.drop':
      return ['data'];
    case 'struct.get':
    case 'struct.get_s':
    case 'struct.get_u':
    case 'struct.set':
      return ['type', 'field'];
    case 'array.new_data':
    case 'array.init_data':
      return ['type', 'data'];
    case 'array.new_elem':
    case 'array.init_elem':
      return ['type', 'elem'];
    case 'array.copy':
      return all('type');
    case 'call_ref':
    case 'return_call_ref':
    case 'ref.null':
      return ['type'];
  }
  if (instruction.startsWith('struct.') || instruction.startsWith('array.')) return ['type'];
  if (/\.(load|store)|\.atomic\./.test(instruction)) return ['memory'];
  return [];
}

interface Frame {
  name?: string;
  definition?: WatDefinition;
  /** Opened by a flat `block` (closed by `end`) rather than a folded `(block ...)`. */
  flat: boolean;
}

class ModuleScope {
  readonly spaces = new Map<Space, WatDefinition[]>();
  readonly byName = new Map<string, WatDefinition>();

  add(definition: WatDefinition): void {
    const list = this.spaces.get(definition.space) ?? [];
    this.spaces.set(definition.space, list);
    list.push(definition);
    if (definition.name !== undefined && !this.byName.has(`${definition.space} ${definition.name}`))
      this.byName.set(`${definition.space} ${definition.name}`, definition);
  }

  nextIndex(space: Space): number {
    return this.spaces.get(space)?.length ?? 0;
  }

  find(space: Space, name: string): WatDefinition | undefined {
    return this.byName.get(`${space} ${name}`);
  }
}

export function watSymbols(text: string, syntax: WatSyntax = parseWat(text)): WatSymbols {
  const { nodes } = syntax;
  const occurrences: WatOccurrence[] = [];
  const outline: WatOutlineItem[] = [];
  const slice = (start: number, end: number) => text.slice(start, end);
  /** Source text on one line, shortened. */
  const compact = (start: number, end: number, max = 80) => {
    const flat = slice(start, end)
      .replace(/\(;[\s\S]*?;\)|;;[^\n]*/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  };

  const define = (definition: WatDefinition, atom: Atom | undefined) => {
    if (atom) occurrences.push({ start: atom.start, end: atom.end, name: atom.text, definition, isDefinition: true });
  };
  const use = (atom: Atom, definition: WatDefinition | undefined) => {
    const occurrence: WatOccurrence = { start: atom.start, end: atom.end, name: atom.text, isDefinition: false };
    if (definition) occurrence.definition = definition;
    occurrences.push(occurrence);
  };
  /** A node's text on one line: an atom as it is, anything else compacted. */
  const textOf = (node: Node, max: number) => (node.kind === 'atom' ? node.text : compact(node.start, node.end, max));

  /** A module's fields: collect every definition first (uses may come before), then resolve the uses. */
  function moduleOf(fields: Node[], label: string, start: number, end: number, selection: [number, number]): WatOutlineItem {
    const scope = new ModuleScope();
    const item: WatOutlineItem = {
      kind: 'module',
      label,
      detail: '',
      start,
      end,
      selectionStart: selection[0],
      selectionEnd: selection[1],
      children: [],
    };
    const bodies: (() => void)[] = [];
    for (const field of fields) {
      if (field.kind !== 'list' || !field.head) continue;
      if (field.head === 'rec') {
        for (const member of field.children)
          if (member.kind === 'list' && member.head === 'type') collectField(member, scope, item, bodies);
        continue;
      }
      collectField(field, scope, item, bodies);
    }
    for (const body of bodies) body();
    return item;
  }

  /** One module field: its definition now, the uses inside it later (`bodies`). */
  function collectField(field: List, scope: ModuleScope, module: WatOutlineItem, bodies: (() => void)[]): void {
    const head = field.head!;
    const kids = field.children;
    if (head === 'import') {
      const [, moduleName, itemName, desc] = kids;
      const from = `imported from ${moduleName?.kind === 'string' ? moduleName.text : '?'} ${itemName?.kind === 'string' ? itemName.text : '?'}`;
      if (desc?.kind === 'list' && desc.head && MODULE_FIELDS[desc.head]) {
        const definition = definitionOf(desc, MODULE_FIELDS[desc.head]!, scope, from);
        module.children.push(outlineItem(definition, desc.head));
        bodies.push(() => usesInDescription(desc, scope, definition));
      }
      return;
    }
    if (head === 'export') {
      const [, exportName, desc] = kids;
      const target = desc?.kind === 'list' ? desc : undefined;
      module.children.push({
        kind: 'export',
        label: exportName?.kind === 'string' ? exportName.text : 'export',
        detail: target ? compact(target.start, target.end) : '',
        start: field.start,
        end: field.end,
        selectionStart: exportName?.start ?? field.start,
        selectionEnd: exportName?.end ?? field.end,
        children: [],
      });
      if (target?.head && MODULE_FIELDS[target.head]) {
        const space = MODULE_FIELDS[target.head]!;
        bodies.push(() => {
          for (const atom of target.children.slice(1)) if (isName(atom)) use(atom, scope.find(space, atom.text));
        });
      }
      return;
    }
    if (head === 'start') {
      const target = kids[1];
      module.children.push({
        kind: 'start',
        label: 'start',
        detail: target?.kind === 'atom' ? target.text : '',
        start: field.start,
        end: field.end,
        selectionStart: field.start,
        selectionEnd: field.end,
        children: [],
      });
      bodies.push(() => {
        if (isName(target)) use(target, scope.find('func', target.text));
      });
      return;
    }
    const space = MODULE_FIELDS[head];
    if (!space) return;
    const inlineImport = kids.find((k): k is List => k.kind === 'list' && k.head === 'import');
    const from = inlineImport
      ? `imported from ${inlineImport.children
          .slice(1, 3)
          .map((k) => (k.kind === 'string' ? k.text : '?'))
          .join(' ')}`
      : '';
    const definition = definitionOf(field, space, scope, from);
    const item = outlineItem(definition, head);
    module.children.push(item);
    // Inline exports: `(func $f (export "f") ...)`.
    for (const kid of kids) {
      if (kid.kind === 'list' && kid.head === 'export') {
        const exportName = kid.children[1];
        module.children.push({
          kind: 'export',
          label: exportName?.kind === 'string' ? exportName.text : 'export',
          detail: `(${head} ${definition.name ?? definition.index})`,
          start: kid.start,
          end: kid.end,
          selectionStart: exportName?.start ?? kid.start,
          selectionEnd: exportName?.end ?? kid.end,
          children: [],
        });
      }
    }
    bodies.push(() => usesInField(field, space, scope, definition));
  }

  /** The definition a module field (or an import's description) makes, added to its space. */
  function definitionOf(list: List, space: Space, scope: ModuleScope, from: string): WatDefinition {
    const nameAtom = isName(list.children[1]) ? (list.children[1] as Atom) : undefined;
    const keyword = list.children[0] as Atom;
    const definition: WatDefinition = {
      space,
      index: scope.nextIndex(space),
      nameStart: (nameAtom ?? keyword).start,
      nameEnd: (nameAtom ?? keyword).end,
      start: list.start,
      end: list.end,
      detail: [describe(list, space), from].filter(Boolean).join(' — '),
      children: [],
      ...(nameAtom ? { name: nameAtom.text } : {}),
    };
    scope.add(definition);
    define(definition, nameAtom);
    if (space === 'func') definition.children = localsOf(list);
    if (space === 'type') definition.children = fieldsOf(list);
    return definition;
  }

  /** What the outline and hovers say of a definition: a function's signature, a global's type... */
  function describe(list: List, space: Space): string {
    const parts = list.children.filter((k): k is List => k.kind === 'list');
    const pick = (...heads: string[]) => parts.filter((p) => p.head && heads.includes(p.head)).map((p) => compact(p.start, p.end, 60));
    switch (space) {
      case 'func':
      case 'tag':
        return [...pick('type'), ...signatureOf(list)].join(' ');
      case 'type': {
        const body = parts.find((p) => p.head !== 'export');
        return body ? compact(body.start, body.end) : '';
      }
      case 'global': {
        const type = list.children.slice(1).find((k) => !isName(k) && !(k.kind === 'list' && (k.head === 'export' || k.head === 'import')));
        return type ? compact(type.start, type.end, 40) : '';
      }
      case 'memory':
      case 'table': {
        const limits = list.children
          .slice(1)
          .filter((k) => k.kind === 'atom' && !isName(k))
          .map((k) => (k as Atom).text);
        return limits.join(' ');
      }
      default:
        return '';
    }
  }

  /** `(param i32 i32) (result i32)`, with param names dropped: the types are the signature. */
  function signatureOf(list: List): string[] {
    const params: string[] = [];
    const results: string[] = [];
    for (const kid of list.children) {
      if (kid.kind !== 'list' || (kid.head !== 'param' && kid.head !== 'result')) continue;
      const types = kid.children
        .slice(1)
        .filter((k) => !isName(k))
        .map((k) => textOf(k, 30));
      (kid.head === 'param' ? params : results).push(...types);
    }
    return [params.length ? `(param ${params.join(' ')})` : '', results.length ? `(result ${results.join(' ')})` : ''].filter(Boolean);
  }

  /** A function's params and locals, in index order. */
  function localsOf(func: List): WatDefinition[] {
    const locals: WatDefinition[] = [];
    for (const kid of func.children) {
      if (kid.kind !== 'list' || (kid.head !== 'param' && kid.head !== 'local')) continue;
      const rest = kid.children.slice(1);
      const nameAtom = isName(rest[0]) ? (rest[0] as Atom) : undefined;
      const types = nameAtom ? rest.slice(1) : rest;
      for (const type of nameAtom ? [types[0]] : types) {
        if (!type && !nameAtom) continue;
        const definition: WatDefinition = {
          space: 'local',
          index: locals.length,
          nameStart: (nameAtom ?? type ?? kid).start,
          nameEnd: (nameAtom ?? type ?? kid).end,
          start: kid.start,
          end: kid.end,
          detail: type ? `${kid.head} ${textOf(type, 30)}` : kid.head!,
          children: [],
          ...(nameAtom ? { name: nameAtom.text } : {}),
        };
        locals.push(definition);
        define(definition, nameAtom);
      }
    }
    return locals;
  }

  /** The fields of a struct type (`(type $p (struct (field $x i32) (field $y i32)))`, also under `sub`). */
  function fieldsOf(type: List): WatDefinition[] {
    const fields: WatDefinition[] = [];
    const visit = (list: List) => {
      for (const kid of list.children) {
        if (kid.kind !== 'list') continue;
        if (kid.head === 'sub') visit(kid);
        if (kid.head !== 'struct') continue;
        for (const field of kid.children) {
          if (field.kind !== 'list' || field.head !== 'field') continue;
          const rest = field.children.slice(1);
          const nameAtom = isName(rest[0]) ? (rest[0] as Atom) : undefined;
          for (const ft of nameAtom ? [rest[1]] : rest) {
            const definition: WatDefinition = {
              space: 'field',
              index: fields.length,
              nameStart: (nameAtom ?? ft ?? field).start,
              nameEnd: (nameAtom ?? ft ?? field).end,
              start: field.start,
              end: field.end,
              detail: ft ? textOf(ft, 40) : '',
              children: [],
              ...(nameAtom ? { name: nameAtom.text } : {}),
            };
            fields.push(definition);
            define(definition, nameAtom);
          }
        }
      }
    };
    visit(type);
    return fields;
  }

  function outlineItem(definition: WatDefinition, keyword: string): WatOutlineItem {
    return {
      kind: definition.space,
      label: definition.name ?? `${keyword} ${definition.index}`,
      detail: definition.detail,
      start: definition.start,
      end: definition.end,
      selectionStart: definition.nameStart,
      selectionEnd: definition.nameEnd,
      children: definition.children.map((child) => ({
        kind: child.space,
        // Unnamed params and locals by index (`param 0`), their type beside; named ones with their kind too.
        label: child.name ?? `${child.space === 'field' ? 'field' : child.detail.split(' ')[0]} ${child.index}`,
        detail: child.name || child.space === 'field' ? child.detail : child.detail.split(' ').slice(1).join(' '),
        start: child.start,
        end: child.end,
        selectionStart: child.nameStart,
        selectionEnd: child.nameEnd,
        children: [],
      })),
    };
  }

  /** Uses in an import's description: its type use `(type $t)` and value types `(ref $t)`. */
  function usesInDescription(desc: List, scope: ModuleScope, definition: WatDefinition): void {
    walk(desc.children.slice(isName(desc.children[1]) ? 2 : 1), { scope, locals: definition.children, labels: [] });
  }

  /** Uses inside a module field: its type use, its body or initialiser, its segment's targets. */
  function usesInField(field: List, space: Space, scope: ModuleScope, definition: WatDefinition): void {
    const kids = field.children.slice(isName(field.children[1]) ? 2 : 1);
    const context: Context = { scope, locals: space === 'func' ? definition.children : [], labels: [] };
    if (space === 'elem') {
      // Names list functions (`func $a $b`, or bare after the offset); `(table $t)` names the table; the rest are expressions.
      for (const kid of kids) {
        if (isName(kid)) use(kid, scope.find('func', kid.text));
        else if (kid.kind === 'list' && kid.head === 'table')
          for (const atom of kid.children.slice(1))
            if (isName(atom)) use(atom, scope.find('table', atom.text));
            else if (kid.kind === 'list') walk([kid], context);
      }
      return;
    }
    if (space === 'data') {
      for (const kid of kids) {
        if (kid.kind === 'list' && kid.head === 'memory')
          for (const atom of kid.children.slice(1))
            if (isName(atom)) use(atom, scope.find('memory', atom.text));
            else if (kid.kind === 'list') walk([kid], context);
      }
      return;
    }
    if (space === 'table') {
      // An inline element segment: `(table funcref (elem $f $g))`.
      for (const kid of kids) {
        if (kid.kind === 'list' && kid.head === 'elem')
          for (const atom of kid.children.slice(1))
            if (isName(atom)) use(atom, scope.find('func', atom.text));
            else if (kid.kind === 'list') walk([kid], context);
      }
      return;
    }
    walk(kids, context);
  }

  interface Context {
    scope: ModuleScope;
    locals: WatDefinition[];
    labels: Frame[];
  }

  const resolve = (space: Space, atom: Atom, context: Context, operands: Atom[]): WatDefinition | undefined => {
    if (space === 'local') return context.locals.find((l) => l.name === atom.text);
    if (space === 'label') {
      for (let i = context.labels.length - 1; i >= 0; i--) if (context.labels[i]!.name === atom.text) return context.labels[i]!.definition;
      return undefined;
    }
    if (space === 'field') {
      // The field of the struct type named just before it (`struct.get $point $x`).
      const typeAtom = operands[operands.indexOf(atom) - 1];
      const type = typeAtom && isName(typeAtom) ? context.scope.find('type', typeAtom.text) : undefined;
      return type?.children.find((f) => f.name === atom.text);
    }
    return context.scope.find(space, atom.text);
  };

  /** A label definition for a block (`block $l`, `(loop $l ...)`); unnamed blocks push a frame too. */
  const blockFrame = (keyword: Atom, nameAtom: Atom | undefined, end: number, flat: boolean): Frame => {
    if (!nameAtom) return { flat };
    const definition: WatDefinition = {
      space: 'label',
      name: nameAtom.text,
      index: 0,
      nameStart: nameAtom.start,
      nameEnd: nameAtom.end,
      start: keyword.start,
      end,
      detail: keyword.text,
      children: [],
    };
    define(definition, nameAtom);
    return { name: nameAtom.text, definition, flat };
  };

  /** Instructions, flat or folded, and the type uses and clauses among them. */
  function walk(nodes: Node[], context: Context, from = 0): void {
    for (let i = from; i < nodes.length; i++) {
      const node = nodes[i]!;
      if (node.kind === 'string') continue;
      if (node.kind === 'list') {
        walkList(node, context);
        continue;
      }
      const word = node.text;
      if (isNameText(word)) {
        use(node, undefined); // a name with no instruction before it: not resolvable
        continue;
      }
      if (word === 'end') {
        const top = context.labels[context.labels.length - 1];
        if (top?.flat) {
          context.labels.pop();
          if (top.definition) top.definition.end = node.end;
        }
        continue;
      }
      if (BLOCKS.has(word)) {
        const nameAtom = isName(nodes[i + 1]) ? (nodes[i + 1] as Atom) : undefined;
        context.labels.push(blockFrame(node, nameAtom, node.end, true));
        if (nameAtom) i++;
        continue;
      }
      // The operands: the atoms after the instruction, up to the next instruction or list; its names among them.
      let names: Atom[] | undefined;
      let j = i + 1;
      while (j < nodes.length) {
        const next = nodes[j]!;
        if (next.kind !== 'atom') break;
        if (isNameText(next.text)) (names ??= []).push(next);
        else if (!isImmediate(next)) break;
        j++;
      }
      i = j - 1;
      if (!names) continue;
      const spaces = operandSpaces(word, names.length);
      names.forEach((atom, k) => {
        const space = spaces[k];
        use(atom, space ? resolve(space, atom, context, names) : undefined);
      });
    }
  }

  function walkList(list: List, context: Context): void {
    const head = list.head;
    const kids = list.children;
    if (!head) {
      walk(kids, context);
      return;
    }
    if (BLOCKS.has(head)) {
      const nameAtom = isName(kids[1]) ? (kids[1] as Atom) : undefined;
      context.labels.push(blockFrame(kids[0] as Atom, nameAtom, list.end, false));
      walk(kids, context, nameAtom ? 2 : 1);
      context.labels.pop();
      return;
    }
    if (head === 'type' || head === 'ref' || head === 'sub') {
      for (const kid of kids.slice(1)) {
        if (isName(kid)) use(kid, context.scope.find('type', kid.text));
        else if (kid.kind === 'list') walkList(kid, context);
      }
      return;
    }
    if (
      head === 'param' ||
      head === 'result' ||
      head === 'local' ||
      head === 'export' ||
      head === 'import' ||
      head === 'field' ||
      head === 'mut'
    ) {
      for (const kid of kids.slice(1)) if (kid.kind === 'list') walkList(kid, context);
      return;
    }
    if (head === 'catch' || head === 'catch_ref') {
      // In try_table: `(catch $tag $label)`.
      const [tag, label] = kids.slice(1);
      if (isName(tag)) use(tag, context.scope.find('tag', tag.text));
      if (isName(label)) use(label, resolve('label', label, context, []));
      return;
    }
    if (head === 'catch_all' || head === 'catch_all_ref') {
      const label = kids[1];
      if (isName(label)) use(label, resolve('label', label, context, []));
      return;
    }
    // A folded instruction `(call $f (i32.const 1))`, or `then`/`else`/`item`/`offset` around code.
    walk(kids, context);
  }

  // Modules: `(module ...)` lists (several in a .wast), or the fields written at the top level.
  const modules = nodes.filter((n): n is List => n.kind === 'list' && (n.head === 'module' || n.head === 'component'));
  if (modules.length) {
    for (const list of modules) {
      if (list.head === 'component') {
        outline.push(componentOf(list));
        continue;
      }
      const nameAtom = isName(list.children[1]) ? (list.children[1] as Atom) : undefined;
      const keyword = list.children[0] as Atom;
      outline.push(
        moduleOf(list.children.slice(nameAtom ? 2 : 1), nameAtom?.text ?? 'module', list.start, list.end, [
          (nameAtom ?? keyword).start,
          (nameAtom ?? keyword).end,
        ]),
      );
    }
  } else if (nodes.some((n) => n.kind === 'list' && n.head && MODULE_FIELDS[n.head] !== undefined)) {
    const first = nodes[0]!;
    const last = nodes[nodes.length - 1]!;
    outline.push(moduleOf(nodes, 'module', first.start, last.end, [first.start, first.start]));
  }

  /** A component: its core modules (`(core module $m ...)`) and nested components, each with their outline. */
  function componentOf(list: List): WatOutlineItem {
    const nameAtom = isName(list.children[1]) ? (list.children[1] as Atom) : undefined;
    const keyword = list.children[0] as Atom;
    const item: WatOutlineItem = {
      kind: 'module',
      label: nameAtom?.text ?? 'component',
      detail: 'component',
      start: list.start,
      end: list.end,
      selectionStart: (nameAtom ?? keyword).start,
      selectionEnd: (nameAtom ?? keyword).end,
      children: [],
    };
    for (const kid of list.children) {
      if (kid.kind !== 'list') continue;
      if (kid.head === 'component') item.children.push(componentOf(kid));
      else if (kid.head === 'core' && kid.children[1]?.kind === 'atom' && (kid.children[1] as Atom).text === 'module') {
        const name = isName(kid.children[2]) ? (kid.children[2] as Atom) : undefined;
        const core = moduleOf(kid.children.slice(name ? 3 : 2), name?.text ?? 'core module', kid.start, kid.end, [
          (name ?? kid.children[1]!).start,
          (name ?? kid.children[1]!).end,
        ]);
        core.detail = 'core module';
        item.children.push(core);
      }
    }
    return item;
  }

  occurrences.sort((a, b) => a.start - b.start);
  return { outline, occurrences };
}

/** The occurrence of a `$name` at `offset` (inside it or just after its last character). */
export function occurrenceAt(symbols: WatSymbols, offset: number): WatOccurrence | undefined {
  const list = symbols.occurrences;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = list[mid]!;
    if (offset < o.start) hi = mid - 1;
    else if (offset > o.end) lo = mid + 1;
    else return o;
  }
  return undefined;
}

/** Every occurrence naming the same definition, the definition's own name included. */
export function referencesTo(symbols: WatSymbols, definition: WatDefinition): WatOccurrence[] {
  return symbols.occurrences.filter((o) => o.definition === definition);
}
