/**
 * WebAssembly text as a tree of lists and atoms with their offsets, for editor features (outline, names, folding),
 * not for compiling: it never fails. Unbalanced parentheses end at the end of the text, an unterminated string or
 * comment runs to the end, and anything else is an atom. Lexical rules from the text format: atoms are runs of
 * `idchar`s (keywords, `$names`, numbers), `$"..."` is a name too, strings are `"..."` with `\` escapes, comments
 * are `;;` to the end of the line and nestable `(; ... ;)`.
 *
 * The one reader of WAT text: the editor's features read it, and so does the compiler's source map
 * (src/core/compile/wat-outline.ts), which runs on text wasm-tools has accepted.
 */

export interface Atom {
  kind: 'atom';
  text: string;
  start: number;
  end: number;
}

export interface Str {
  kind: 'string';
  /** The literal as written, quotes included. */
  text: string;
  start: number;
  end: number;
}

export interface List {
  kind: 'list';
  /** The first child when it is an atom (`func`, `module`, `i32.add`...). */
  head?: string;
  children: Node[];
  /** Offset of `(`. */
  start: number;
  /** Offset just past `)`, or the text's length when it is never closed. */
  end: number;
}

export type Node = Atom | Str | List;

export interface Comment {
  start: number;
  end: number;
  block: boolean;
}

export interface WatSyntax {
  /** The top-level nodes in order. */
  nodes: Node[];
  comments: Comment[];
}

/** The text format's `idchar`s, by character code (ASCII only: other characters appear in strings and comments). */
const IDCHAR = new Uint8Array(128);
for (const c of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&'*+-./:<=>?@\\^_`|~") IDCHAR[c.charCodeAt(0)] = 1;

export function parseWat(text: string): WatSyntax {
  const comments: Comment[] = [];
  const root: List = { kind: 'list', children: [], start: 0, end: text.length };
  const stack: List[] = [root];
  let i = 0;
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    // Whitespace
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    // ;; line comment, to a line feed or a carriage return (the text format's newlines)
    if (c === 0x3b && text.charCodeAt(i + 1) === 0x3b) {
      let end = i + 2;
      while (end < length && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
      comments.push({ start: i, end, block: false });
      i = end;
      continue;
    }
    if (c === 0x28) {
      // (; block comment ;), nestable
      if (text.charCodeAt(i + 1) === 0x3b) {
        const start = i;
        let depth = 0;
        while (i < length) {
          if (text.charCodeAt(i) === 0x28 && text.charCodeAt(i + 1) === 0x3b) {
            depth++;
            i += 2;
          } else if (text.charCodeAt(i) === 0x3b && text.charCodeAt(i + 1) === 0x29) {
            depth--;
            i += 2;
            if (depth === 0) break;
          } else i++;
        }
        comments.push({ start, end: Math.min(i, length), block: true });
        continue;
      }
      const list: List = { kind: 'list', children: [], start: i, end: length };
      stack[stack.length - 1]!.children.push(list);
      stack.push(list);
      i++;
      continue;
    }
    if (c === 0x29) {
      if (stack.length > 1) {
        const list = stack.pop()!;
        list.end = i + 1;
        const first = list.children[0];
        if (first?.kind === 'atom') list.head = first.text;
      }
      i++;
      continue;
    }
    if (c === 0x22) {
      const start = i;
      i = endOfString(text, i);
      stack[stack.length - 1]!.children.push({ kind: 'string', text: text.slice(start, i), start, end: i });
      continue;
    }
    // An atom: a run of idchars; `$"..."` is one name.
    const start = i;
    if (c === 0x24 && text.charCodeAt(i + 1) === 0x22) i = endOfString(text, i + 1);
    else {
      while (i < length && IDCHAR[text.charCodeAt(i)] === 1) i++;
      if (i === start) i++; // a character that is no token at all: keep it as an atom of its own
    }
    stack[stack.length - 1]!.children.push({ kind: 'atom', text: text.slice(start, i), start, end: i });
  }
  // Lists left open end at the end of the text.
  for (const list of stack.slice(1)) {
    const first = list.children[0];
    if (first?.kind === 'atom') list.head = first.text;
  }
  return { nodes: root.children, comments };
}

/** Offset just past the string that opens at `i` (a `"`), or the end of the text. */
function endOfString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j += 2;
    else if (c === 0x22) return j + 1;
    else if (c === 0x0a)
      return j; // a string never spans lines: stop at the end of this one
    else j++;
  }
  return text.length;
}

/** Whether a node is a `$name` atom (`$f`, `$"a name"`). */
export function isName(node: Node | undefined): node is Atom {
  return node?.kind === 'atom' && isNameText(node.text);
}

export function isNameText(text: string): boolean {
  return text.length > 1 && text.charCodeAt(0) === 0x24;
}

/** The atom or string at `offset` (inside it or just after it), or undefined in whitespace, comments and parentheses. */
export function tokenAt(syntax: WatSyntax, offset: number): Atom | Str | undefined {
  let nodes = syntax.nodes;
  for (;;) {
    let lo = 0;
    let hi = nodes.length - 1;
    let found: Node | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const node = nodes[mid]!;
      if (offset < node.start) hi = mid - 1;
      else if (offset > node.end || (node.kind === 'list' && offset === node.end)) lo = mid + 1;
      else {
        found = node;
        break;
      }
    }
    if (!found) return undefined;
    if (found.kind !== 'list') return found;
    nodes = found.children;
  }
}

/** The first atom of a list (`module`, `func`, `i32.add`...), or undefined for anything else. */
export function headOf(node: Node | undefined): string | undefined {
  return node?.kind === 'list' ? node.head : undefined;
}

/** A part of the text where any Unicode character may stand: a string literal (the quotes included) or a comment. */
export interface FreeTextRegion {
  kind: 'string' | 'comment';
  start: number;
  end: number;
}

/** The strings (and the quoted part of `$"..."` names) and comments of the text, in text order. */
export function freeTextRegions(syntax: WatSyntax): FreeTextRegion[] {
  const regions: FreeTextRegion[] = syntax.comments.map((c) => ({ kind: 'comment', start: c.start, end: c.end }));
  const visit = (nodes: readonly Node[]) => {
    for (const node of nodes) {
      if (node.kind === 'list') visit(node.children);
      else if (node.kind === 'string') regions.push({ kind: 'string', start: node.start, end: node.end });
      else if (node.text.startsWith('$"')) regions.push({ kind: 'string', start: node.start + 1, end: node.end });
    }
  };
  visit(syntax.nodes);
  return regions.sort((a, b) => a.start - b.start);
}
