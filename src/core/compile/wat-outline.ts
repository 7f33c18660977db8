/**
 * The shape of WAT text, for locating things in it: S-expressions with their positions, the module's fields
 * sorted into the index spaces the binary format numbers them by, and each function's instructions in the
 * order the binary emits them. It never decides whether text is valid (wasm-tools' parser does that, and
 * this runs only on text that parser accepted); it only answers "which text made byte N".
 *
 * Written here because wasm-tools' `parse` (through jco) returns bytes without a source map. The text is read by
 * the one WAT reader, src/core/wat/syntax.ts.
 */
import { headOf, parseWat, type Atom, type List, type Node } from '../wat/syntax';

export type { List, Node };

export interface TextSpan {
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
}

/** Instruction keywords without a dot; every other instruction is `prefix.name`. */
const plainInstructions = new Set([
  'unreachable',
  'nop',
  'block',
  'loop',
  'if',
  'else',
  'end',
  'br',
  'br_if',
  'br_table',
  'return',
  'call',
  'call_indirect',
  'return_call',
  'return_call_indirect',
  'call_ref',
  'return_call_ref',
  'drop',
  'select',
  'throw',
  'throw_ref',
  'rethrow',
  'try',
  'try_table',
  'catch',
  'catch_all',
  'delegate',
  'br_on_null',
  'br_on_non_null',
  'br_on_cast',
  'br_on_cast_fail',
]);
const dottedInstruction = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/;

export function isInstructionKeyword(text: string): boolean {
  return dottedInstruction.test(text) || plainInstructions.has(text);
}

/** Lists inside instructions that are immediates, not folded operands: `(type 0)`, `(result i32)`, `(catch $e 0)`. */
const clauseHeads = new Set(['catch', 'catch_ref', 'catch_all', 'catch_all_ref', 'then', 'else', 'do', 'delegate']);

function isFoldedInstruction(node: Node): node is List {
  const head = headOf(node);
  return head !== undefined && isInstructionKeyword(head) && !clauseHeads.has(head);
}

const headSpan = (list: List): TextSpan => {
  const head = list.children[0];
  return head ? { start: head.start, end: head.end } : { start: list.start, end: list.start + 1 };
};
const closeSpan = (list: List): TextSpan => ({ start: list.end - 1, end: list.end });

/** Appends the instructions of a sequence (flat or folded) in the order the binary encodes them. */
function walkSequence(items: readonly Node[], from: number, out: TextSpan[]): void {
  for (let i = from; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind === 'atom') {
      if (isInstructionKeyword(item.text)) out.push({ start: item.start, end: item.end });
    } else if (isFoldedInstruction(item)) {
      walkFolded(item, out);
    }
  }
}

function walkFolded(list: List, out: TextSpan[]): void {
  const head = headOf(list)!;
  switch (head) {
    case 'block':
    case 'loop':
    case 'try_table':
      out.push(headSpan(list));
      walkSequence(list.children, 1, out);
      out.push(closeSpan(list));
      return;
    case 'if': {
      let thenClause: List | undefined;
      let elseClause: List | undefined;
      for (const child of list.children.slice(1)) {
        const childHead = headOf(child);
        if (childHead === 'then') thenClause = child as List;
        else if (childHead === 'else') elseClause = child as List;
        else if (!thenClause && isFoldedInstruction(child)) walkFolded(child, out);
      }
      out.push(headSpan(list));
      if (thenClause) walkSequence(thenClause.children, 1, out);
      if (elseClause) {
        out.push(headSpan(elseClause));
        walkSequence(elseClause.children, 1, out);
      }
      out.push(closeSpan(list));
      return;
    }
    case 'try': {
      // The legacy exception-handling form: (try (do ...) (catch $e ...) (catch_all ...)) or (delegate $l).
      out.push(headSpan(list));
      let delegated = false;
      for (const child of list.children.slice(1)) {
        const childHead = headOf(child);
        if (childHead === 'do') walkSequence((child as List).children, 1, out);
        else if (childHead === 'catch' || childHead === 'catch_all') {
          out.push(headSpan(child as List));
          walkSequence((child as List).children, 1, out);
        } else if (childHead === 'delegate') {
          out.push(headSpan(child as List));
          delegated = true;
        }
      }
      if (!delegated) out.push(closeSpan(list));
      return;
    }
    default:
      for (const child of list.children.slice(1)) if (isFoldedInstruction(child)) walkFolded(child, out);
      out.push(headSpan(list));
  }
}

/** A module's fields in the binary's index spaces, each in text order (as the text format numbers them). */
export interface WatOutline {
  /** The `(module` keyword, or the first field of a module written without it. */
  module: TextSpan;
  /** Entries of the type section: one per `(type ...)` or `(rec ...)`. */
  types: List[];
  /** Explicit `(import ...)` fields and definitions with an inline import, in the order the imports are numbered. */
  imports: List[];
  /** Function definitions (with bodies), tables, memories, globals and tags defined here, not imported. */
  funcs: List[];
  tables: List[];
  memories: List[];
  globals: List[];
  tags: List[];
  /** `(export ...)` fields and inline `(export "x")` clauses. */
  exports: List[];
  start?: List;
  /** `(elem ...)` fields and tables with inline elements. */
  elems: List[];
  /** `(data ...)` fields and memories with inline data. */
  datas: List[];
}

const bodyPreamble = new Set(['export', 'import', 'type', 'param', 'result', 'local']);

/** The outline of a core module's text, or undefined for text that is not one (a component, `(module binary ...)`). */
export function outlineWat(text: string, nodes = parseWat(text).nodes): WatOutline | undefined {
  const lists = nodes.filter((n): n is List => n.kind === 'list');
  if (lists.length === 1 && headOf(lists[0]) === 'module') return outlineModule(lists[0]!, 1);
  if (lists.some((l) => headOf(l) === 'module' || headOf(l) === 'component')) return undefined;
  return outlineFields(lists, lists[0] ? headSpan(lists[0]) : { start: 0, end: 0 });
}

/**
 * The outline of `(module ...)` (fields from item 1) or of a component's `(core module ...)` (from item 2);
 * undefined for `(module binary ...)` and `(module quote ...)`.
 */
export function outlineModule(list: List, firstItem: number): WatOutline | undefined {
  let i = firstItem;
  const items = list.children;
  if (items[i]?.kind === 'atom' && (items[i] as Atom).text.startsWith('$')) i++;
  if (items[i]?.kind === 'atom') return undefined;
  return outlineFields(
    items.slice(i).filter((n): n is List => n.kind === 'list'),
    headSpan(list),
  );
}

/** Every `(core module ...)` of a component's text, in the order the binary nests them (depth first). */
export function coreModulesOf(nodes: readonly Node[]): List[] {
  const out: List[] = [];
  const visit = (node: Node) => {
    if (node.kind !== 'list') return;
    const second = node.children[1];
    if (headOf(node) === 'core' && second?.kind === 'atom' && second.text === 'module') {
      out.push(node);
      return;
    }
    for (const child of node.children) visit(child);
  };
  nodes.forEach(visit);
  return out;
}

function outlineFields(fields: List[], module: TextSpan): WatOutline {
  const outline: WatOutline = {
    module,
    types: [],
    imports: [],
    funcs: [],
    tables: [],
    memories: [],
    globals: [],
    tags: [],
    exports: [],
    elems: [],
    datas: [],
  };
  const spaces: Record<string, List[]> = {
    func: outline.funcs,
    table: outline.tables,
    memory: outline.memories,
    global: outline.globals,
    tag: outline.tags,
  };
  for (const field of fields) {
    const head = headOf(field);
    switch (head) {
      case 'type':
      case 'rec':
        outline.types.push(field);
        break;
      case 'import':
        outline.imports.push(field);
        break;
      case 'export':
        outline.exports.push(field);
        break;
      case 'start':
        outline.start = field;
        break;
      case 'elem':
        outline.elems.push(field);
        break;
      case 'data':
        outline.datas.push(field);
        break;
      case 'func':
      case 'table':
      case 'memory':
      case 'global':
      case 'tag': {
        const clauses = field.children.filter((n): n is List => n.kind === 'list');
        for (const clause of clauses) if (headOf(clause) === 'export') outline.exports.push(clause);
        if (clauses.some((c) => headOf(c) === 'import')) outline.imports.push(field);
        else spaces[head]!.push(field);
        if (head === 'table' && clauses.some((c) => headOf(c) === 'elem')) outline.elems.push(field);
        if (head === 'memory' && clauses.some((c) => headOf(c) === 'data')) outline.datas.push(field);
        break;
      }
      default:
        break; // annotations and custom sections
    }
  }
  return outline;
}

/** The instructions of a function definition in binary order, its closing parenthesis standing for the final `end`. */
export function functionInstructions(func: List): TextSpan[] {
  const out: TextSpan[] = [];
  let i = 1;
  while (i < func.children.length) {
    const item = func.children[i]!;
    if (item.kind === 'atom' && item.text.startsWith('$')) i++;
    else if (item.kind === 'list' && (bodyPreamble.has(headOf(item) ?? '') || (headOf(item) ?? '').startsWith('@'))) i++;
    else break;
  }
  walkSequence(func.children, i, out);
  out.push(closeSpan(func));
  return out;
}

/** The first `(local ...)` of a function, where a problem with its locals is shown. */
export function localsClause(func: List): List | undefined {
  return func.children.find((n): n is List => headOf(n) === 'local');
}

/** Where a field is shown: its keyword and, when it has one, its `$name`. */
export function fieldSpan(field: List): TextSpan {
  const head = headSpan(field);
  const second = field.children[1];
  if (second?.kind === 'atom' && second.text.startsWith('$')) return { start: field.start, end: second.end };
  return { start: field.start, end: head.end };
}
