import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { memorySource, readBinary, type ModuleInfo } from '../../../src/core/binary';
import { compileWat, compileWatFile, parseFeatureList, type SourceDiagnostic } from '../../../src/core/compile';
import { describeEngineMessage, describeWasmToolsError } from '../../../src/core/compile/wat';

const dir = join(process.cwd(), '.test-output', 'compile');

/** The text a diagnostic points at. */
function marked(text: string, d: SourceDiagnostic): string {
  const line = text.split('\n')[d.line]!;
  return line.slice(d.column, d.endColumn ?? d.column + 1);
}

async function refused(text: string, options = {}): Promise<SourceDiagnostic> {
  const result = await compileWat(text, options);
  assert.equal(result.ok, false, `expected ${text} to be refused`);
  return result.diagnostics[0]!;
}

describe('WAT → Wasm', () => {
  before(() => mkdir(dir, { recursive: true }));

  it('compiles with wasm-tools, keeping debug names', async () => {
    const result = await compileWat('(module $m (func $answer (export "answer") (result i32) i32.const 42))');
    assert.ok(result.ok);
    assert.equal(result.kind, 'module');
    const module = (await readBinary(memorySource(result.bytes))) as ModuleInfo;
    assert.equal(module.names.module, 'm');
    assert.equal(module.exports[0]!.internalName, 'answer');
  });

  it('leaves the name section out with debugNames: false', async () => {
    const result = await compileWat('(module $m (func $answer (export "answer")))', { debugNames: false });
    assert.ok(result.ok);
    const module = (await readBinary(memorySource(result.bytes))) as ModuleInfo;
    assert.equal(module.customSections.length, 0);
    assert.equal(module.exports[0]!.internalName, undefined);
  });

  it('reports parse errors at 0-based line and column, marking the token', async () => {
    const text = '(module\n  (func (result i32)\n    i32.addd))';
    const d = await refused(text);
    assert.deepEqual(
      { ...d },
      { line: 2, column: 4, endColumn: 12, severity: 'error', message: 'unknown operator or unexpected token', source: 'wasm-tools' },
    );
    assert.equal(marked(text, d), 'i32.addd');
  });

  it('counts columns in UTF-16 units after non-ASCII text', async () => {
    const text = '(module\n  (func (; é€😀 ;) i32.addd))';
    const d = await refused(text);
    assert.equal(d.line, 1);
    assert.equal(text.split('\n')[1]!.slice(d.column).startsWith('i32.addd'), true);
  });

  // V8 reports a wrong operand at the instruction that produced it, and names the consumer in the message.
  it('locates a validation error at the instruction V8 names, in flat code', async () => {
    const text = '(module\n  (func (result i32)\n    i32.const 1\n    f32.const 2\n    i32.add))';
    const d = await refused(text);
    assert.equal(d.source, 'V8');
    assert.equal(d.message, 'i32.add[1] expected type i32, found f32.const of type f32 (in function 0)');
    assert.deepEqual([d.line, d.column, marked(text, d)], [3, 4, 'f32.const']);
  });

  it('locates a validation error in folded code, where the binary order differs from the text order', async () => {
    const text =
      '(module\n  (func (param i32) (result i32)\n    (i32.add (local.get 0)\n      (f32.const 2))\n    (i32.eqz (i64.const 0))))';
    const d = await refused(text);
    assert.deepEqual([d.line, d.column, marked(text, d)], [3, 7, 'f32.const']);
    const second = await refused(
      '(module (func (result i32)\n  (i32.add (i32.const 1) (i32.const 2))\n  (drop)\n  (i32.eqz (i64.const 0))))',
    );
    assert.deepEqual([second.line, second.column], [3, 12]);
  });

  it('locates the fall-through type error at the closing parenthesis that ends the function', async () => {
    const text = '(module (func $f (result i32)\n  i64.const 1))';
    const d = await refused(text);
    assert.match(d.message, /type error in fallthru\[0\] \(expected i32, got i64\) \(in function 0 "f"\)/);
    assert.deepEqual([d.line, marked(text, d)], [1, ')']);
    assert.equal(d.column, 13);
  });

  it('locates an error inside if/then/else and a later function', async () => {
    const text = `(module
  (func (result i32) (i32.const 0))
  (func (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.const 1))
      (else (i64.const 2)))))`;
    const d = await refused(text);
    assert.equal(d.line, 5);
    assert.match(marked(text, d), /^\)/);
    assert.match(d.message, /in function 1/);
  });

  it('locates module-level errors at the field', async () => {
    const text = '(module\n  (memory 1)\n  (func)\n  (export "f" (func 0))\n  (export "f" (memory 0)))';
    const d = await refused(text);
    assert.match(d.message, /Duplicate export name/i);
    assert.equal(d.line, 4);
    assert.equal(marked(text, d), '(export');
  });

  it('refuses an undeclared function reference that the old fallback let through', async () => {
    const text = '(module\n  (func $f)\n  (func (drop (ref.func $f))))';
    const d = await refused(text);
    assert.match(d.message, /undeclared reference to function/);
    assert.deepEqual([d.line, marked(text, d)], [2, 'ref.func']);
  });

  it('refuses invalid GC code at the instruction (what binaryen missed)', async () => {
    const text = '(module (type $t (struct (field i32)))\n (func (param (ref null $t)) (result i64)\n  local.get 0 struct.get $t 0))';
    const d = await refused(text);
    assert.equal(d.source, 'V8');
    assert.equal(d.line, 2);
  });

  it('refuses a br_on_cast whose target does not match and a read of an uninitialised non-defaultable local', async () => {
    await refused(
      '(module (type $s (struct)) (func (param anyref) (result (ref $s)) (block $l (result (ref $s)) (br_on_cast $l anyref i31ref (local.get 0)) unreachable)))',
    );
    const text = '(module (type $s (struct))\n (func (local (ref $s))\n  (drop (local.get 0))))';
    const d = await refused(text);
    assert.match(d.message, /uninitialized non-defaultable local/);
    assert.equal(marked(text, d), 'local.get');
  });

  it('writes (data (memory 1) ...) with its memory index, and raw non-ASCII string bytes as UTF-8', async () => {
    const result = await compileWat('(module (memory 1) (memory $m 1) (data (memory $m) (i32.const 0) "é€"))');
    assert.ok(result.ok, JSON.stringify(!result.ok && result.diagnostics));
    const hex = Buffer.from(result.bytes).toString('hex');
    assert.ok(hex.includes('0b0c0102014100' + '0b05c3a9e282ac'), hex);
  });

  it('accepts names the printer writes ($"quoted ids") and a raw U+FEFF in a string', async () => {
    const result = await compileWat('(module (func $"#func557 dummy") (data "\uFEFFx"))');
    assert.ok(result.ok, JSON.stringify(!result.ok && result.diagnostics));
    assert.ok(Buffer.from(result.bytes).includes(Buffer.from([0xef, 0xbb, 0xbf, 0x78])));
  });

  it('compiles bidirectional control characters in strings as the spec says, with a warning at each', async () => {
    const text = '(module (func (export "a\u202eb")))';
    const result = await compileWat(text);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.diagnostics));
    assert.ok(Buffer.from(result.bytes).includes(Buffer.from('a\u202eb')));
    assert.equal(result.diagnostics.length, 1);
    assert.equal(result.diagnostics[0]!.severity, 'warning');
    assert.equal(result.diagnostics[0]!.column, text.indexOf('\u202e'));
    const broken = await refused('(module (func (export "a\u202eb"))\n  (oops))');
    assert.equal(broken.line, 1);
    assert.equal(broken.column, 3);
  });

  it('compiles component WAT and validates its core modules with V8, located in the component text', async () => {
    const ok = await compileWat(';; a component\n(component (core module $m (func (export "f"))))');
    assert.ok(ok.ok);
    assert.equal(ok.kind, 'component');
    const text = '(component\n  (core module $a (func))\n  (core module $b\n    (func (result i32)\n      f32.const 1)))';
    const d = await refused(text);
    assert.equal(d.source, 'V8');
    assert.deepEqual([d.line, marked(text, d)], [4, ')']);
    const broken = await compileWat('(component\n (oops))');
    assert.equal(broken.ok, false);
    assert.equal(broken.diagnostics[0]!.line, 1);
  });

  it('accepts a valid component that has no WIT shape (it exports a core module)', async () => {
    assert.ok((await compileWat('(component (core module $m) (export "m" (core module $m)))')).ok);
  });

  it('honours feature flags, pointing at what needs the feature', async () => {
    const shared = '(module\n  (memory 1 1 shared))';
    assert.ok((await compileWat(shared)).ok);
    const threads = await refused(shared, { features: parseFeatureList('-threads') });
    assert.match(threads.message, /a shared memory needs the "threads" feature/);
    assert.equal(marked(shared, threads), '(memory');
    const simd = '(module (func (param v128) (result v128)\n  (i32x4.add (local.get 0) (local.get 0))))';
    const d = await refused(simd, { features: parseFeatureList('-simd') });
    assert.match(d.message, /needs the "simd" feature/);
    const tail = '(module (func $f\n  return_call $f))';
    assert.equal(marked(tail, await refused(tail, { features: parseFeatureList('-tail-call') })), 'return_call');
    assert.throws(() => parseFeatureList('threds'), /unknown feature "threds"/);
  });

  it('writes the output atomically and removes a stale output when the source breaks', async () => {
    const source = join(dir, 'counter.wat');
    const output = join(dir, 'counter.wasm');
    await writeFile(source, '(module (func (export "f")))');
    const first = await compileWatFile(source, output);
    assert.ok(first.result.ok);
    assert.deepEqual([...(await readFile(output)).subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
    await writeFile(source, '(module (func (export "f") i32.add))');
    const second = await compileWatFile(source, output);
    assert.equal(second.result.ok, false);
    assert.equal(second.removedStaleOutput, output);
    await assert.rejects(stat(output), /ENOENT/);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary files left',
    );
  });
});

describe('engine messages', () => {
  it('wasm-tools debug-printed errors: message and UTF-8 byte offset', () => {
    const text =
      'Error { kind: Wast(Error { inner: ErrorInner { text: Some(Text { line: 4, col: 7, snippet: "x" }), file: None, span: Span { offset: 94 }, kind: Custom("expected \\"i32\\"") } }) }';
    assert.deepEqual(describeWasmToolsError(new Error(text)), { byteOffset: 94, message: 'expected "i32"' });
    const lex =
      'Error { kind: Wast(Error { inner: ErrorInner { text: None, file: None, span: Span { offset: 3 }, kind: Lex(UnterminatedString) } }) }';
    assert.deepEqual(describeWasmToolsError(lex), { byteOffset: 3, message: 'string is not closed' });
  });

  it('V8 messages lose the "Compiling function" preamble, keeping the function', () => {
    assert.equal(
      describeEngineMessage('Compiling function #2:"f" failed: invalid local index: 3'),
      'invalid local index: 3 (in function 2 "f")',
    );
    assert.equal(
      describeEngineMessage("Duplicate export name 'f' for memory 0 and function 0"),
      "Duplicate export name 'f' for memory 0 and function 0",
    );
  });
});
