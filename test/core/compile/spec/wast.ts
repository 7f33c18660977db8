/**
 * Reads the spec testsuite's `.wast` scripts into the modules they hold and what the script expects of each:
 * plain modules (and those of assert_trap, assert_unlinkable, ...) are valid, assert_invalid modules are
 * invalid, assert_malformed ones malformed. Text modules keep their exact text (so that a diagnostic's
 * line and column can be checked against it); `module quote` text and `module binary` bytes are decoded.
 */
import { headOf, parseWat, type List, type Node } from '../../../../src/core/wat/syntax';
import { concatBytes } from '../../../../src/core/binary/encode';

export type Expectation = 'valid' | 'invalid' | 'malformed';

export interface WastModule {
  /** 1-based line of the module in its script. */
  line: number;
  expect: Expectation;
  /** The message the script expects for invalid and malformed modules. */
  expectedMessage?: string;
  form: 'text' | 'quote' | 'binary';
  /** The WAT of a text or quote module. */
  text?: string;
  /** The bytes of a binary module. */
  bytes?: Uint8Array;
}

const validWrappers = new Set(['assert_trap', 'assert_unlinkable', 'assert_uninstantiable', 'assert_exhaustion', 'assert_exception']);

export function readWast(source: string): WastModule[] {
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return line + 1;
  };
  const out: WastModule[] = [];
  for (const command of parseWat(source).nodes) {
    const head = headOf(command);
    let module: Node | undefined;
    let expect: Expectation;
    let expectedMessage: string | undefined;
    if (head === 'module') {
      module = command;
      expect = 'valid';
    } else if (head === 'assert_invalid' || head === 'assert_malformed') {
      const list = command as List;
      module = list.children[1];
      expect = head === 'assert_invalid' ? 'invalid' : 'malformed';
      const message = list.children[2];
      if (message?.kind === 'string') expectedMessage = new TextDecoder().decode(decodeString(source.slice(message.start, message.end)));
    } else if (head && validWrappers.has(head) && headOf((command as List).children[1]) === 'module') {
      module = (command as List).children[1];
      expect = 'valid';
    } else continue;
    if (!module || module.kind !== 'list' || headOf(module) !== 'module') continue;
    const parsed = readModule(source, module);
    if (parsed) out.push({ line: lineOf(module.start), expect, ...(expectedMessage !== undefined ? { expectedMessage } : {}), ...parsed });
  }
  return out;
}

function readModule(source: string, module: List): Pick<WastModule, 'form' | 'text' | 'bytes'> | undefined {
  const items = module.children;
  let i = 1;
  const isAtom = (n: Node | undefined, text?: string) => n?.kind === 'atom' && (text === undefined || n.text === text);
  // `(module definition $m ...)` declares without instantiating; `(module instance $i $m)` holds no module.
  let definitionKeyword: Node | undefined;
  if (isAtom(items[i], 'definition')) definitionKeyword = items[i++];
  if (isAtom(items[i], 'instance')) return undefined;
  if (items[i]?.kind === 'atom' && (items[i] as { text: string }).text.startsWith('$')) i++;
  const strings = () =>
    items
      .slice(i + 1)
      .filter((n) => n.kind === 'string')
      .map((n) => decodeString(source.slice(n.start, n.end)));
  if (isAtom(items[i], 'binary')) {
    const parts = strings();
    return { form: 'binary', bytes: concatBytes(parts) };
  }
  if (isAtom(items[i], 'quote')) {
    return {
      form: 'quote',
      text: strings()
        .map((s) => new TextDecoder().decode(s))
        .join(' '),
    };
  }
  let text = source.slice(module.start, module.end);
  if (definitionKeyword) {
    // Blank the keyword out, keeping every position of the text.
    const at = definitionKeyword.start - module.start;
    text =
      text.slice(0, at) +
      ' '.repeat(definitionKeyword.end - definitionKeyword.start) +
      text.slice(at + definitionKeyword.end - definitionKeyword.start);
  }
  return { form: 'text', text };
}

/** A string literal of the text format (`"..."`, with \hh, \n, \t, \u{...} escapes) → its bytes. */
export function decodeString(literal: string): Uint8Array {
  const body = literal.slice(1, -1);
  const out: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const code = body.codePointAt(i)!;
      out.push(...utf8.encode(String.fromCodePoint(code)));
      if (code > 0xffff) i++;
      continue;
    }
    const next = body[++i]!;
    const simple: Record<string, number> = { n: 0x0a, t: 0x09, r: 0x0d, '"': 0x22, "'": 0x27, '\\': 0x5c };
    if (next in simple) out.push(simple[next]!);
    else if (next === 'u') {
      const close = body.indexOf('}', i);
      out.push(...utf8.encode(String.fromCodePoint(parseInt(body.slice(i + 2, close).replace(/_/g, ''), 16))));
      i = close;
    } else {
      out.push(parseInt(body.slice(i, i + 2), 16));
      i++;
    }
  }
  return Uint8Array.from(out);
}
