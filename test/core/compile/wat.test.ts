import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, before } from 'node:test';
import { memorySource, readBinary, type ModuleInfo } from '../../../src/core/binary';
import { compileWat, compileWatFile, parseFeatureList } from '../../../src/core/compile';
import { wasmToolsDiagnostic } from '../../../src/core/compile/wat';
import { parseColonDiagnostics } from '../../../src/core/compile/diagnostics';

const dir = join(process.cwd(), '.test-output', 'compile');

describe('WAT → Wasm', () => {
  before(() => mkdir(dir, { recursive: true }));

  it('compiles with wabt, keeping debug names', async () => {
    const result = await compileWat('(module $m (func $answer (export "answer") (result i32) i32.const 42))');
    assert.ok(result.ok);
    assert.equal(result.engine, 'wabt');
    const module = (await readBinary(memorySource(result.bytes))) as ModuleInfo;
    assert.equal(module.names.module, 'm');
    assert.equal(module.exports[0]!.internalName, 'answer');
  });

  it('reports parse errors at 0-based line and column with the span wabt marks', async () => {
    const result = await compileWat('(module\n  (func (result i32)\n    i32.addd))', { fileName: 'broken.wat' });
    assert.equal(result.ok, false);
    assert.deepEqual(result.diagnostics[0], { line: 2, column: 4, endColumn: 12, severity: 'error', message: 'unexpected token i32.addd, expected ).', source: 'wabt' });
  });

  it('reports every parse error wabt finds, not only the first', async () => {
    const result = await compileWat('(module\n  (func\n    i32.addd\n    foo)\n  (func (param i33)))');
    assert.equal(result.ok, false);
    assert.deepEqual(result.diagnostics.map((d) => [d.line, d.column]), [[2, 4], [3, 4], [4, 15]]);
  });

  it('reports validation errors at the instruction', async () => {
    const result = await compileWat('(module\n  (func (result i32)\n    i64.const 1))');
    assert.equal(result.ok, false);
    assert.equal(result.diagnostics[0]!.line, 2);
    assert.equal(result.diagnostics[0]!.column, 4);
    assert.match(result.diagnostics[0]!.message, /type mismatch/);
  });

  it('compiles GC with wasm-tools and validates it with binaryen', async () => {
    const result = await compileWat(`(module
      (rec (type $node (sub (struct (field i32) (field (mut (ref null $node)))))))
      (type $bytes (array (mut i8)))
      (func (export "len") (param (ref null $bytes)) (result i32) local.get 0 array.len))`);
    assert.ok(result.ok, JSON.stringify(result.diagnostics));
    assert.equal(result.engine, 'wasm-tools');
    assert.deepEqual(result.diagnostics, []);
    const module = (await readBinary(memorySource(result.bytes))) as ModuleInfo;
    assert.ok(module.types.some((t) => t.composite.kind === 'array'));
  });

  it('rejects an invalid GC module with binaryen’s message', async () => {
    const result = await compileWat('(module (type $t (struct (field i32)))\n (func (param (ref null $t)) (result i64)\n  local.get 0 struct.get $t 0))');
    assert.equal(result.ok, false);
    assert.equal(result.diagnostics[0]!.source, 'binaryen');
    assert.match(result.diagnostics[0]!.message, /invalid module/);
  });

  it('reports wasm-tools parse errors at 0-based positions', async () => {
    const result = await compileWat('(module (type $t (struct (field i32)))\n (func (param (ref null $t))\n  struct.gett $t 0))');
    assert.equal(result.ok, false);
    assert.deepEqual(result.diagnostics[0], { line: 2, column: 2, severity: 'error', message: 'unknown operator or unexpected token', source: 'wasm-tools' });
  });

  it('compiles component WAT and validates its structure', async () => {
    const ok = await compileWat(';; a component\n(component (core module $m (func (export "f"))))');
    assert.ok(ok.ok);
    assert.equal(ok.kind, 'component');
    const broken = await compileWat('(component\n (oops))');
    assert.equal(broken.ok, false);
    assert.equal(broken.diagnostics[0]!.line, 1);
  });

  it('honours feature flags: threads off rejects a shared memory', async () => {
    const text = '(module (memory 1 1 shared))';
    assert.ok((await compileWat(text)).ok);
    const off = await compileWat(text, { features: parseFeatureList('-threads') });
    assert.equal(off.ok, false);
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
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
  });
});

describe('diagnostic parsers', () => {
  it('colon format: 1-based in, 0-based out, caret span only when it lines up', () => {
    const parsed = parseColonDiagnostics('x.wat:3:5: error: bad thing\n    i32.addd\n    ^^^^^^^^\nx.wat:1:1: warning: meh\n', 'wabt');
    assert.deepEqual(parsed, [
      { line: 2, column: 4, endColumn: 12, severity: 'error', message: 'bad thing', source: 'wabt' },
      { line: 0, column: 0, severity: 'warning', message: 'meh', source: 'wabt' },
    ]);
  });

  it('wasm-tools debug-printed errors', () => {
    const text = 'Error { kind: Wast(Error { inner: ErrorInner { text: Some(Text { line: 4, col: 7, snippet: "x" }), file: None, span: Span { offset: 94 }, kind: Custom("expected \\"i32\\"") } }) }';
    assert.deepEqual(wasmToolsDiagnostic(new Error(text)), { line: 4, column: 7, severity: 'error', message: 'expected "i32"', source: 'wasm-tools' });
  });
});
