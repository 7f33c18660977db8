/**
 * WAT (and component WAT) → Wasm with one text engine: wasm-tools' `parse` (the parser the spec testsuite is
 * maintained against) reads every text, and V8 validates every core module it produces (see validate.ts).
 * A text is accepted only when both accept it; there is no second engine to fall back on. Every diagnostic
 * carries a text position: parse errors from wasm-tools' own span, validation errors by mapping the engine's
 * byte offset back to the instruction or field that produced it (see source-map.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readBinary, memorySource, type ComponentInfo } from '../binary';
import { concatBytes } from '../binary/encode';
import { moduleLayout } from '../binary/layout';
import type { SourceDiagnostic } from './diagnostics';
import { loadWasmTools } from '../platform/wasm-tools';
import { findFeatureUses } from './feature-use';
import { resolveFeatures, watFeatureNames, type WatFeature, type WatFeatures } from './features';
import { firstToken, LineIndex, spanInModule, spanOfOffset, utf16OffsetOfUtf8 } from './source-map';
import { validateModule, type Validation } from './validate';
import { freeTextRegions, parseWat, type FreeTextRegion, type Node } from '../wat/syntax';
import { coreModulesOf, outlineModule, type TextSpan } from './wat-outline';

export interface WatCompileOptions {
  /** Name used in messages. */
  fileName?: string;
  features?: WatFeatures;
  /** Keep names in a `name` section (default true). */
  debugNames?: boolean;
}

export type WatCompileResult =
  | {
      ok: true;
      bytes: Uint8Array;
      kind: 'module' | 'component';
      /** Warnings only (e.g. bidirectional control characters in strings). */
      diagnostics: SourceDiagnostic[];
    }
  | { ok: false; diagnostics: SourceDiagnostic[] };

export async function compileWat(text: string, options: WatCompileOptions = {}): Promise<WatCompileResult> {
  const features = resolveFeatures(options.features);
  // Reading the text's structure costs as much as a third of parsing a large file: it is done only when needed.
  let lineIndex: LineIndex | undefined;
  let structure: { nodes: Node[]; regions: FreeTextRegion[] } | undefined;
  const shape = () => {
    if (!structure) {
      const syntax = parseWat(text);
      structure = { nodes: syntax.nodes, regions: freeTextRegions(syntax) };
    }
    return structure;
  };
  const at = (span: TextSpan, severity: 'error' | 'warning', message: string, source: string): SourceDiagnostic => {
    lineIndex ??= new LineIndex(text);
    const start = lineIndex.position(span.start);
    const end = lineIndex.position(Math.max(span.end, span.start + 1));
    return {
      line: start.line,
      column: start.column,
      ...(end.line === start.line ? { endColumn: end.column } : {}),
      severity,
      message,
      source,
    };
  };
  const hasBidi = bidiControl.test(text);
  const warnings = hasBidi ? bidiWarnings(text, shape().regions).map((w) => at(w.span, 'warning', w.message, 'wasm-workbench')) : [];

  const parsed = await parseText(text, hasBidi ? shape().regions : undefined);
  if ('error' in parsed)
    return { ok: false, diagnostics: [at(parsed.error.span, 'error', parsed.error.message, 'wasm-tools'), ...warnings] };
  let bytes = parsed.bytes;
  const kind = bytes[4] === 0x0d ? 'component' : 'module';

  const errors: SourceDiagnostic[] = [];
  const off = new Set(watFeatureNames.filter((name) => !features[name]));
  if (off.has('annotations') && text.includes('(@')) {
    const annotation = findAnnotation(shape().nodes);
    if (annotation) errors.push(at(annotation, 'error', featureOffMessage('annotations', 'an annotation'), 'wasm-workbench'));
  }

  if (kind === 'module') {
    for (const use of off.size ? findFeatureUses(bytes, off) : []) {
      errors.push(at(spanOfOffset(text, bytes, use.offset), 'error', featureOffMessage(use.feature, use.what), 'wasm-workbench'));
    }
    if (!errors.length) {
      const validation = await validateModule(bytes);
      const problem = validationProblem(
        validation,
        (offset) => spanOfOffset(text, bytes, offset),
        () => firstToken(text),
      );
      if (problem) errors.push(at(problem.span, 'error', problem.message, problem.source));
    }
  } else {
    errors.push(...(await validateComponent(bytes, shape().nodes, text)).map((p) => at(p.span, 'error', p.message, p.source)));
  }
  if (errors.length) return { ok: false, diagnostics: [...errors, ...warnings] };
  if (options.debugNames === false) bytes = withoutNameSection(bytes);
  return { ok: true, bytes, kind, diagnostics: warnings };
}

interface Problem {
  span: TextSpan;
  message: string;
  source: string;
}

function validationProblem(validation: Validation, spanOf: (offset: number) => TextSpan, fallback: () => TextSpan): Problem | undefined {
  if (validation.valid === true) return undefined;
  if (validation.valid === 'unavailable')
    return { span: fallback(), message: `not compiled: the module could not be validated: ${validation.reason}`, source: 'wasm-workbench' };
  return {
    span: validation.offset !== undefined ? spanOf(validation.offset) : fallback(),
    message: describeEngineMessage(validation.message),
    source: 'V8',
  };
}

/** `Compiling function #3:"f" failed: <what>` → `<what> (in function 3 "f")`: the position already says where. */
export function describeEngineMessage(message: string): string {
  const match = /^Compiling function #(\d+)(?::"((?:[^"\\]|\\.)*)")? failed: (.*)$/s.exec(message);
  if (!match) return message;
  return `${match[3]} (in function ${match[1]}${match[2] !== undefined ? ` "${match[2]}"` : ''})`;
}

function featureOffMessage(feature: WatFeature, what?: string): string {
  return `${what ? `${what} needs` : 'this instruction needs'} the "${feature}" feature, which is turned off (wasmWorkbench.compile.features or --features)`;
}

function findAnnotation(nodes: readonly Node[]): TextSpan | undefined {
  for (const node of nodes) {
    if (node.kind !== 'list') continue;
    const head = node.children[0];
    if (head?.kind === 'atom' && head.text.startsWith('@')) return { start: node.start, end: head.end };
    const inner = findAnnotation(node.children);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * A component's core modules are validated by V8 one by one; its own structure and types by wasm-tools
 * (decoding its WIT validates them). A component that is valid but has no WIT shape (e.g. it exports a core
 * module) is not refused for that.
 */
async function validateComponent(bytes: Uint8Array, nodes: Node[], text: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  const component = await readBinary(memorySource(bytes));
  const modules = nestedModules(component as ComponentInfo);
  const texts = coreModulesOf(nodes);
  for (const [i, nested] of modules.entries()) {
    const moduleBytes = bytes.subarray(nested.offset, nested.offset + nested.sizeBytes);
    const list = texts[i];
    const outline = list ? outlineModule(list, 2) : undefined;
    const fallback = () => (list ? { start: list.start, end: list.children[1]!.end } : firstToken(text));
    const problem = validationProblem(
      await validateModule(moduleBytes),
      (offset) => (outline ? spanInModule(outline, moduleBytes, offset) : fallback()),
      fallback,
    );
    if (problem) problems.push(problem);
  }
  if (problems.length) return problems;
  const tools = await loadWasmTools();
  try {
    await tools.componentWit(bytes);
  } catch (error) {
    const message = errorText(error);
    // Structural errors carry "(at offset 0x..)"; a component without a WIT shape is still a valid component.
    const offset = /\(at offset 0x([0-9a-f]+)\)/.exec(message);
    if (offset)
      problems.push({
        span: firstToken(text),
        message: `invalid component: ${message
          .split('\n')
          .pop()!
          .replace(/\s*\(at offset 0x[0-9a-f]+\)/, '')}`,
        source: 'wasm-tools',
      });
  }
  return problems;
}

function nestedModules(component: ComponentInfo): { offset: number; sizeBytes: number }[] {
  // Sections come in binary order; nested components' modules follow their own component's position.
  const out: { offset: number; sizeBytes: number }[] = [...component.coreModules];
  for (const inner of component.components) out.push(...nestedModules(inner));
  return out.sort((a, b) => a.offset - b.offset);
}

function withoutNameSection(bytes: Uint8Array): Uint8Array {
  const layout = moduleLayout(bytes);
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  for (const section of layout.sections) {
    const slice = bytes.subarray(section.offset, section.end);
    if (section.id === 0 && isNameSection(bytes, section.payloadOffset)) continue;
    parts.push(slice);
  }
  return layout.sections.length && layout.sections.at(-1)!.end === bytes.length ? concatBytes(parts) : bytes;
}

function isNameSection(bytes: Uint8Array, payloadOffset: number): boolean {
  return bytes[payloadOffset] === 4 && String.fromCharCode(...bytes.subarray(payloadOffset + 1, payloadOffset + 5)) === 'name';
}

// ---- parsing -----------------------------------------------------------------------------------

type Parsed = { bytes: Uint8Array } | { error: { span: TextSpan; message: string } };

/**
 * Characters wasm-tools refuses even inside strings and comments (the bidirectional controls of "Trojan
 * Source", the set its lexer names), where the spec allows any character. They are escaped (in strings) or
 * blanked (in comments) before parsing, and a warning is shown instead, so the text compiles as the spec
 * says and the reader is still told.
 */
const bidiControl = /[\u202a\u202b\u202d\u202e\u2066-\u2069\u206c]/;
const bidiControls = new RegExp(bidiControl.source, 'g');

async function parseText(text: string, regions: FreeTextRegion[] | undefined): Promise<Parsed> {
  const tools = await loadWasmTools();
  const rewrite = regions ? escapeBidiControls(text, regions) : undefined;
  const source = rewrite?.text ?? text;
  try {
    return { bytes: await tools.parse(source) };
  } catch (error) {
    const { byteOffset, message } = describeWasmToolsError(error);
    let index = byteOffset !== undefined ? utf16OffsetOfUtf8(source, byteOffset) : 0;
    if (rewrite) index = rewrite.toOriginal(index);
    const token = /^[^\s()]*/.exec(text.slice(index, index + 64))![0];
    return { error: { span: { start: index, end: index + Math.max(token.length, 1) }, message } };
  }
}

function escapeBidiControls(text: string, regions: FreeTextRegion[]): { text: string; toOriginal(index: number): number } | undefined {
  if (!bidiControl.test(text)) return undefined;
  const edits: { at: number; length: number }[] = [];
  let out = '';
  let last = 0;
  for (const region of regions) {
    const slice = text.slice(region.start, region.end);
    if (!bidiControl.test(slice)) continue;
    out += text.slice(last, region.start);
    for (const ch of slice) {
      if (!bidiControl.test(ch)) {
        out += ch;
        continue;
      }
      const replacement = region.kind === 'string' ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ' ';
      edits.push({ at: out.length, length: replacement.length });
      out += replacement;
    }
    last = region.end;
  }
  out += text.slice(last);
  return {
    text: out,
    toOriginal(index) {
      let shift = 0;
      for (const edit of edits) {
        if (index >= edit.at + edit.length) shift += edit.length - 1;
        else if (index > edit.at) return edit.at - shift;
      }
      return index - shift;
    },
  };
}

function bidiWarnings(text: string, regions: FreeTextRegion[]): { span: TextSpan; message: string }[] {
  if (!bidiControl.test(text)) return [];
  const out: { span: TextSpan; message: string }[] = [];
  for (const region of regions) {
    for (const match of text.slice(region.start, region.end).matchAll(bidiControls)) {
      const start = region.start + match.index!;
      out.push({
        span: { start, end: start + 1 },
        message: `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} is an invisible text-direction control character in a ${region.kind}: an editor may show the text around it in another order than it is read`,
      });
    }
  }
  return out;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'payload' in error) return String((error as { payload: unknown }).payload);
  return String(error);
}

const lexErrors: Record<string, string> = {
  UnexpectedEof: 'unexpected end of input',
  DanglingBlockComment: 'block comment is not closed',
  UnterminatedString: 'string is not closed',
  InvalidUtf8Id: 'identifier is not valid UTF-8',
  EmptyId: 'empty identifier',
  EmptyAnnotation: 'empty annotation id',
  InvalidHexDigit: 'invalid hex digit',
  InvalidDigit: 'invalid digit',
  NumberTooBig: 'number is too big',
  LoneUnderscore: 'bare underscore in a number',
};

/**
 * wasm-tools reports text errors as a Rust debug print: `... span: Span { offset: 94 }, kind: Custom("unknown
 * operator or unexpected token") ...`; the offset counts UTF-8 bytes.
 */
export function describeWasmToolsError(error: unknown): { byteOffset?: number; message: string } {
  const text = errorText(error);
  const span = /span: Span \{ offset: (\d+) \}/.exec(text);
  const custom = /kind: Custom\("((?:[^"\\]|\\.)*)"\)/.exec(text);
  const lex = /kind: Lex\((\w+)(?:\((.*?)\))?\) \}/.exec(text);
  let message: string;
  if (custom) message = custom[1]!.replace(/\\(.)/g, '$1');
  else if (lex) message = lexErrors[lex[1]!] ?? `lexing error: ${lex[1]}${lex[2] ? ` ${lex[2]}` : ''}`;
  else message = text.split('\n')[0]!;
  return span ? { byteOffset: Number(span[1]), message } : { message };
}

export interface WatFileResult {
  result: WatCompileResult;
  /** Set when a failed compile removed an output left by an earlier build, so nothing stale stays behind. */
  removedStaleOutput?: string;
}

/**
 * Compiles a file and writes the binary atomically (temporary file, then rename), so a reader never sees a
 * half-written .wasm. When compiling fails, an earlier output is removed: it no longer matches the source.
 */
export async function compileWatFile(input: string, output: string, options: WatCompileOptions = {}): Promise<WatFileResult> {
  const text = await readFile(input, 'utf8');
  const result = await compileWat(text, { fileName: options.fileName ?? input, ...options });
  if (!result.ok) {
    const existed = await rm(output).then(
      () => true,
      () => false,
    );
    return existed ? { result, removedStaleOutput: output } : { result };
  }
  const temporary = `${output}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, result.bytes);
    await rename(temporary, output);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { result };
}
