/** WAT (and component WAT) → Wasm, with exact diagnostics. */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseColonDiagnostics, type SourceDiagnostic } from './diagnostics';
import { loadWabt, loadWasmTools, validateWithBinaryen } from './engines';
import { resolveFeatures, type WatFeatures } from './features';

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
      /** Which engine produced the binary. */
      engine: 'wabt' | 'wasm-tools';
      kind: 'module' | 'component';
      /** Warnings, e.g. that no validator was available for what wasm-tools parsed. */
      diagnostics: SourceDiagnostic[];
    }
  | { ok: false; diagnostics: SourceDiagnostic[] };

/** Syntax that only the GC / function-references proposals have: wabt cannot read it, wasm-tools can. */
const gcSyntax = /\((?:rec|sub|struct|array)\b|\b(?:struct|array|ref|any|br_on)\.[a-z_]+|\b(?:call_ref|return_call_ref|i31ref|anyref|eqref|structref|arrayref|nullref)\b|\(ref\s/;
const componentSyntax = /^\s*(?:(?:;;[^\n]*\n|\(;[\s\S]*?;\))\s*)*\(\s*component\b/;

export async function compileWat(text: string, options: WatCompileOptions = {}): Promise<WatCompileResult> {
  const fileName = options.fileName ?? 'module.wat';
  const features = resolveFeatures(options.features);
  if (componentSyntax.test(text)) return compileComponentWat(text);

  const usesGcSyntax = gcSyntax.test(text);
  if (!usesGcSyntax) {
    const wabtResult = await compileWithWabt(text, fileName, features, options.debugNames ?? true);
    if (wabtResult.ok) return wabtResult;
    // wabt may just not know a newer construct: when wasm-tools reads the text and binaryen validates it, use that.
    const fallback = await compileWithWasmTools(text, features);
    return fallback.ok && fallback.diagnostics.length === 0 ? fallback : wabtResult;
  }
  if (!features.gc && !features.function_references) {
    return { ok: false, diagnostics: [{ line: 0, column: 0, severity: 'error', message: 'the module uses GC or typed function references, but both features are turned off', source: 'wasm-workbench' }] };
  }
  return compileWithWasmTools(text, features);
}

async function compileWithWabt(text: string, fileName: string, features: Record<string, boolean>, debugNames: boolean): Promise<WatCompileResult> {
  const wabt = await loadWabt();
  let module;
  try {
    module = wabt.parseWat(fileName, text, features);
  } catch (error) {
    return { ok: false, diagnostics: wabtDiagnostics(error) };
  }
  try {
    module.resolveNames();
    module.validate(features);
    return { ok: true, bytes: new Uint8Array(module.toBinary({ write_debug_names: debugNames }).buffer), engine: 'wabt', kind: 'module', diagnostics: [] };
  } catch (error) {
    return { ok: false, diagnostics: wabtDiagnostics(error) };
  } finally {
    module.destroy();
  }
}

function wabtDiagnostics(error: unknown): SourceDiagnostic[] {
  const message = error instanceof Error ? error.message : String(error);
  const parsed = parseColonDiagnostics(message, 'wabt');
  return parsed.length ? parsed : [{ line: 0, column: 0, severity: 'error', message: message.split('\n')[0]!, source: 'wabt' }];
}

async function compileWithWasmTools(text: string, features: Record<string, boolean>): Promise<WatCompileResult> {
  const tools = await loadWasmTools();
  let bytes: Uint8Array;
  try {
    bytes = await tools.parse(text);
  } catch (error) {
    return { ok: false, diagnostics: [wasmToolsDiagnostic(error)] };
  }
  const validation = await validateWithBinaryen(bytes, features);
  if (validation.valid === false) {
    return { ok: false, diagnostics: [{ line: 0, column: 0, severity: 'error', message: `invalid module: ${validation.message}`, source: 'binaryen' }] };
  }
  const diagnostics: SourceDiagnostic[] =
    validation.valid === 'unavailable' ? [{ line: 0, column: 0, severity: 'warning', message: `compiled without validation: ${validation.reason}`, source: 'wasm-workbench' }] : [];
  return { ok: true, bytes, engine: 'wasm-tools', kind: 'module', diagnostics };
}

async function compileComponentWat(text: string): Promise<WatCompileResult> {
  const tools = await loadWasmTools();
  try {
    const bytes = await tools.parse(text);
    // Decoding the component's WIT validates its types and structure.
    await tools.componentWit(bytes).catch((error: unknown) => {
      throw Object.assign(new Error(errorText(error)), { validation: true });
    });
    return { ok: true, bytes, engine: 'wasm-tools', kind: 'component', diagnostics: [] };
  } catch (error) {
    if ((error as { validation?: boolean }).validation) {
      return { ok: false, diagnostics: [{ line: 0, column: 0, severity: 'error', message: `invalid component: ${(error as Error).message}`, source: 'wasm-tools' }] };
    }
    return { ok: false, diagnostics: [wasmToolsDiagnostic(error)] };
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'payload' in error) return String((error as { payload: unknown }).payload);
  return String(error);
}

/**
 * wasm-tools reports text errors as a Rust debug print: `... text: Some(Text { line: 4, col: 4, ... }) ...
 * kind: Custom("unknown operator or unexpected token") ...`, with 0-based line and column.
 */
export function wasmToolsDiagnostic(error: unknown): SourceDiagnostic {
  const text = errorText(error);
  const position = /line: (\d+), col: (\d+)/.exec(text);
  const custom = /kind: Custom\("((?:[^"\\]|\\.)*)"\)/.exec(text);
  const lex = /kind: Lex\((.*?)\) \}/.exec(text);
  const message = custom ? custom[1]!.replace(/\\(.)/g, '$1') : lex ? `lexing error: ${lex[1]}` : text.split('\n')[0]!;
  return { line: position ? Number(position[1]) : 0, column: position ? Number(position[2]) : 0, severity: 'error', message, source: 'wasm-tools' };
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
    const existed = await rm(output).then(() => true, () => false);
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
