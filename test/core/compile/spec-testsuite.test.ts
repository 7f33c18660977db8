/**
 * The WebAssembly spec testsuite through the product's own paths: every text module of the core suite (and
 * of the proposals whose features the compiler turns on) through `compileWatFile`, every binary module
 * through the binary reader and the validator. Valid text must compile to the reference parser's bytes and
 * pass V8; invalid and malformed text must be refused with a diagnostic inside the text and no output file.
 * The only exceptions are listed in `engineLimits`, with the reason, and must fail for that reason.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { memorySource, readBinary, WasmFormatError, type UncheckedPart } from '../../../src/core/binary';
import { bodyLayout, moduleLayout } from '../../../src/core/binary/layout';
import { compileWatFile, type WatFeatures } from '../../../src/core/compile';
import { validateModule } from '../../../src/core/compile/validate';
import { functionInstructions, outlineWat } from '../../../src/core/compile/wat-outline';
import { repoRoot, wasmToolsParse } from '../../fixtures/tools';
import { unpackConformance, wastFiles } from './spec/suite';
import { roundTripProblem } from './spec/round-trip';
import { readWast, type WastModule } from './spec/wast';

/** Valid modules V8 refuses only because they exceed its implementation limits (src/wasm/wasm-limits.h). */
export const engineLimits: Record<string, string> = {
  'memory64.wast:8': 'a 64-bit memory of 2^48 pages: V8 allows at most 262144 pages (16 GiB)',
  'memory64.wast:9': 'a 64-bit memory with a maximum of 2^48 pages: V8 allows at most 262144 pages',
  'table.wast:9': 'a table of 2^32-1 elements: V8 allows at most 10,000,000',
  'table64.wast:9': 'a 64-bit table of 2^64-1 elements: V8 allows at most 10,000,000',
};

/** Proposals in the suite whose features the compiler does not turn on, and so does not run. */
const proposalsNotEnabled: Record<string, string> = {
  'custom-descriptors': 'not standardised; V8 and wasm-tools need flags for it',
  'custom-page-sizes': 'not standardised (phase 3)',
  'wide-arithmetic': 'not standardised (phase 3)',
};

type Tally = Record<string, { passed: number; failed: number; engineLimit: number }>;
const tally: Tally = {};
const count = (category: string, outcome: 'passed' | 'failed' | 'engineLimit') =>
  ((tally[category] ??= { passed: 0, failed: 0, engineLimit: 0 })[outcome] += 1);

const suite = unpackConformance('wasm-spec-testsuite');
/** Malformed binaries the reader let through because the problem lies in function bodies, which it reports as unchecked. */
let malformedInUncheckedParts = 0;
const scratch = join(repoRoot(), '.test-output', 'spec-compile');
mkdirSync(scratch, { recursive: true });

async function checkText(file: string, module: WastModule, features: WatFeatures): Promise<string | undefined> {
  const name = basename(file);
  const source = join(scratch, 'module.wat');
  const output = join(scratch, 'module.wasm');
  writeFileSync(source, module.text!);
  const { result } = await compileWatFile(source, output, { features });
  const limit = engineLimits[`${name}:${module.line}`];
  if (module.expect === 'valid') {
    if (limit) {
      if (result.ok || !/implementation limit/.test(result.diagnostics[0]!.message))
        return `listed as beyond V8's limits but ${result.ok ? 'compiled' : `failed with: ${result.diagnostics[0]!.message}`}`;
      return 'engine-limit';
    }
    if (!result.ok) return `valid module refused: ${JSON.stringify(result.diagnostics[0])}`;
    const reference = await referenceParse(module.text!);
    if (Buffer.compare(Buffer.from(result.bytes), Buffer.from(reference)) !== 0) return 'bytes differ from wasm-tools parse';
    if (!existsSync(output) || Buffer.compare(readFileSync(output), Buffer.from(result.bytes)) !== 0)
      return 'output file missing or different';
    const mismatch = sourceMapMismatch(module.text!, result.bytes);
    if (mismatch) return mismatch;
    return roundTrip(result.bytes);
  }
  if (result.ok) return `${module.expect} module accepted (expected "${module.expectedMessage}")`;
  if (existsSync(output)) return 'an output file was left';
  const first = result.diagnostics[0]!;
  const lines = module.text!.split('\n');
  if (first.severity !== 'error' || first.line >= lines.length || first.column > lines[first.line]!.length)
    return `diagnostic outside the text: ${JSON.stringify(first)}`;
  return undefined;
}

/**
 * wasm-tools' own bytes for the text. Its lexer refuses the "Trojan Source" characters that names.wast puts in
 * strings; there each is written as the `\u{...}` escape the spec defines as the same string.
 */
async function referenceParse(text: string): Promise<Uint8Array> {
  try {
    return await wasmToolsParse(text);
  } catch (error) {
    if (!/ConfusingUnicode/.test(String((error as { payload?: unknown }).payload ?? error))) throw error;
    return wasmToolsParse(text.replace(/[\u202a-\u202e\u2066-\u206f]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`));
  }
}

/** Every valid module must also print to text that compiles back to a module printing the same. */
async function roundTrip(bytes: Uint8Array): Promise<string | undefined> {
  const problem = await roundTripProblem(bytes);
  count('print round trip of valid modules', problem ? 'failed' : 'passed');
  return problem && `print round trip: ${problem}`;
}

/** The text's instructions, function by function, must pair one-to-one with the binary's (what locates errors). */
function sourceMapMismatch(text: string, bytes: Uint8Array): string | undefined {
  const outline = outlineWat(text);
  if (!outline) return undefined;
  const code = moduleLayout(bytes).sections.find((s) => s.id === 10);
  for (const [i, entry] of (code?.entries ?? []).entries()) {
    const binary = bodyLayout(bytes, entry).instructions.length;
    const fromText = functionInstructions(outline.funcs[i]!).length;
    if (binary !== fromText) return `source map: function ${i} has ${binary} instructions in the binary but ${fromText} in the text`;
  }
  return undefined;
}

async function checkBinary(module: WastModule): Promise<string | undefined> {
  const bytes = module.bytes!;
  let readError: unknown;
  let unchecked: UncheckedPart[] = [];
  try {
    const read = await readBinary(memorySource(bytes), { functionBodies: true });
    unchecked = (read.kind === 'module' && read.unchecked) || [];
  } catch (error) {
    readError = error;
  }
  if (readError !== undefined && !(readError instanceof WasmFormatError)) return `reader crashed: ${String(readError)}`;
  const validation = await validateModule(bytes);
  if (validation.valid === 'unavailable') return `no validator: ${validation.reason}`;
  if (module.expect === 'valid') {
    if (readError) return `reader refused a valid module: ${(readError as Error).message}`;
    if (!validation.valid) return `V8 refused a valid module: ${validation.message}`;
    return roundTrip(bytes);
  }
  if (validation.valid) return `V8 accepted a ${module.expect} module`;
  if (module.expect === 'malformed' && !readError) {
    // Accepted only where the reader says it did not look: the engine's complaint must lie in such a part.
    const at = validation.offset;
    const inUnchecked = at !== undefined && unchecked.some((p) => at >= p.offset && at <= p.offset + p.size);
    if (!inUnchecked) return `the reader accepted a malformed module ("${module.expectedMessage}"; V8: ${validation.message} at ${at})`;
    malformedInUncheckedParts++;
  }
  return undefined;
}

function runFiles(label: string, files: string[], features: WatFeatures = {}): void {
  for (const file of files) {
    it(`${label} ${basename(file)}`, async () => {
      const failures: string[] = [];
      for (const module of readWast(readFileSync(file, 'utf8'))) {
        const category = `${label} ${module.form === 'binary' ? 'binary' : 'text'} ${module.expect}`;
        const problem = module.form === 'binary' ? await checkBinary(module) : await checkText(file, module, features);
        if (problem === 'engine-limit') count(category, 'engineLimit');
        else if (problem) {
          count(category, 'failed');
          failures.push(`${basename(file)}:${module.line} (${module.expect}, ${module.form}): ${problem}`);
        } else count(category, 'passed');
      }
      assert.deepEqual(failures, []);
    });
  }
}

describe('spec testsuite', () => {
  runFiles('core', wastFiles(suite));
  // The threads proposal's tests are written against Wasm 1.0 plus threads, where a second memory or table is invalid.
  runFiles('threads', wastFiles(join(suite, 'proposals', 'threads')), { multi_memory: false, reference_types: false });

  it('runs every proposal folder or says why not', () => {
    const folders = readdirSync(join(suite, 'proposals'));
    for (const folder of folders)
      assert.ok(folder === 'threads' || folder in proposalsNotEnabled, `proposal ${folder} is neither run nor listed`);
  });

  after(() => {
    let passed = 0;
    let failed = 0;
    for (const [category, t] of Object.entries(tally).sort()) {
      console.log(
        `spec ${category}: ${t.passed} passed, ${t.failed} failed${t.engineLimit ? `, ${t.engineLimit} beyond V8's limits (listed)` : ''}`,
      );
      passed += t.passed;
      failed += t.failed;
    }
    console.log(
      `spec binary malformed: ${malformedInUncheckedParts} of them malformed only in function bodies, which the reader reports as not checked`,
    );
    console.log(`spec testsuite: ${passed} passed, ${failed} failed`);
  });
});
