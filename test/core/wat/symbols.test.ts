import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { occurrenceAt, referencesTo, watSymbols, type WatOutlineItem, type WatSymbols } from '../../../src/core/wat';
import { wasmToolsParse } from '../../fixtures/tools';

// A module that uses every kind of name: types and struct fields, imports, globals, tables, element and data
// segments, tags, params and locals, folded and flat blocks with labels, inline and separate exports.
const DEMO = `(module $demo
  (type $binop (func (param i32 i32) (result i32)))
  (type $point (struct (field $x i32) (field $y (mut i32))))
  (import "env" "log" (func $log (param i32)))
  (import "env" "memory" (memory $mem 1))
  (global $count (mut i32) (i32.const 0))
  (table $fns 2 funcref)
  (elem (table $fns) (i32.const 0) func $add $twice)
  (data $greeting (memory $mem) (i32.const 16) "hi")
  (tag $oops (param i32))
  (func $add (type $binop) (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
  (func $twice (export "twice") (param $n i32) (result i32)
    (local $tmp i32)
    (block $done (result i32)
      (loop $again
        (br_if $done (i32.eqz (local.get $n)) (i32.const 1))
        (local.set $n (call $add (local.get $n) (i32.const -1)))
        (br $again))
      (i32.const 0))
    drop
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (call $log (global.get $count))
    (call_indirect $fns (type $binop) (local.get $n) (local.get $n) (i32.const 0)))
  (func $flat (param $p (ref null $point)) (result i32)
    block $outer
      block $inner
        local.get $p
        struct.get $point $y
        br_if $outer
        br $inner
      end
    end
    data.drop $greeting
    local.get $p
    struct.get $point $x
    i32.load $mem offset=4
    (throw $oops (i32.const 1)))
  (export "add" (func $add)))
`;

const at = (text: string, needle: string, nth = 0) => {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} (#${nth}) is not in the text`);
  return index + 1; // inside the name
};

function definitionAt(symbols: WatSymbols, text: string, needle: string, nth = 0) {
  return occurrenceAt(symbols, at(text, needle, nth))?.definition;
}

const labels = (items: WatOutlineItem[]): string[] => items.map((i) => `${i.kind} ${i.label}`);

describe('WAT names: outline', () => {
  it("lists a module's definitions, imports and exports, with params, locals and fields under them", async () => {
    await wasmToolsParse(DEMO); // the demo is valid WAT, as wasm-tools reads it
    const { outline } = watSymbols(DEMO);
    assert.equal(outline.length, 1);
    const module = outline[0]!;
    assert.equal(module.label, '$demo');
    assert.deepEqual(labels(module.children), [
      'type $binop',
      'type $point',
      'func $log',
      'memory $mem',
      'global $count',
      'table $fns',
      'elem elem 0',
      'data $greeting',
      'tag $oops',
      'func $add',
      'func $twice',
      'export "twice"',
      'func $flat',
      'export "add"',
    ]);
    const byLabel = new Map(module.children.map((c) => [c.label, c]));
    assert.equal(byLabel.get('$add')!.detail, '(type $binop) (param i32 i32) (result i32)');
    assert.deepEqual(labels(byLabel.get('$add')!.children), ['local $a', 'local $b']);
    assert.deepEqual(labels(byLabel.get('$twice')!.children), ['local $n', 'local $tmp']);
    assert.deepEqual(labels(byLabel.get('$point')!.children), ['field $x', 'field $y']);
    assert.equal(byLabel.get('$log')!.detail, '(param i32) — imported from "env" "log"');
    assert.equal(byLabel.get('$count')!.detail, '(mut i32)');
    assert.equal(byLabel.get('"add"')!.detail, '(func $add)');
    // Ranges: the whole field, and its name for the selection.
    const add = byLabel.get('$add')!;
    assert.equal(DEMO.slice(add.selectionStart, add.selectionEnd), '$add');
    assert.ok(DEMO.slice(add.start, add.end).startsWith('(func $add') && DEMO.slice(add.start, add.end).endsWith('i32.add)'));
  });

  it('a .wast with several modules: one outline entry and one scope each', () => {
    const text =
      '(module $one (func $f (result i32) (i32.const 1)) (func (call $f) drop))\n(assert_return (invoke "f") (i32.const 1))\n(module $two (func $f) (func $g (call $f)))\n';
    const symbols = watSymbols(text);
    assert.deepEqual(
      symbols.outline.map((m) => m.label),
      ['$one', '$two'],
    );
    const second = definitionAt(symbols, text, '$f)', 2);
    assert.equal(second, definitionAt(symbols, text, '$f)', 1), "the call in $two names $two's $f");
    assert.notEqual(definitionAt(symbols, text, '$f (result'), second);
  });

  it('fields at the top level form one module; unnamed definitions are shown by index', () => {
    const symbols = watSymbols('(func (result i32) i32.const 0)\n(memory 1)\n');
    assert.deepEqual(labels(symbols.outline[0]!.children), ['func func 0', 'memory memory 0']);
  });

  it('a component lists its core modules', () => {
    const symbols = watSymbols('(component $c (core module $m (func $f)) (component $inner))');
    assert.equal(symbols.outline[0]!.label, '$c');
    assert.deepEqual(
      symbols.outline[0]!.children.map((c) => c.label),
      ['$m', '$inner'],
    );
    assert.deepEqual(labels(symbols.outline[0]!.children[0]!.children), ['func $f']);
  });
});

describe('WAT names: definitions and references', () => {
  const symbols = watSymbols(DEMO);

  it('functions: calls, element segments and exports name the same definition', () => {
    const add = definitionAt(symbols, DEMO, '$add (type')!;
    assert.equal(add.space, 'func');
    assert.equal(add.name, '$add');
    // In text order: the element segment, the definition, the call, the export.
    const uses = referencesTo(symbols, add);
    assert.deepEqual(
      uses.map((u) => u.isDefinition),
      [false, true, false, false],
    );
    assert.deepEqual(
      uses.map((u) => DEMO.slice(u.start - 6, u.end).trim()),
      ['func $add', '(func $add', '(call $add', '(func $add'],
    );
  });

  it("params and locals, by function; another function's do not leak in", () => {
    const n = definitionAt(symbols, DEMO, '$n i32')!;
    assert.equal(n.space, 'local');
    assert.equal(referencesTo(symbols, n).length, 6);
    assert.equal(definitionAt(symbols, DEMO, '$a\n'), definitionAt(symbols, DEMO, '$a i32'));
    const other = watSymbols('(module (func $f (param $x i32)) (func $g local.get $x drop))');
    assert.equal(occurrenceAt(other, other.occurrences.at(-1)!.start)!.definition, undefined, '$x of $f is not in $g');
  });

  it('labels: the enclosing block of that name, folded or flat', () => {
    assert.equal(definitionAt(symbols, DEMO, '$done (i32'), definitionAt(symbols, DEMO, '$done (result'));
    assert.equal(definitionAt(symbols, DEMO, '$again)'), definitionAt(symbols, DEMO, '$again\n'));
    const outer = definitionAt(symbols, DEMO, '$outer\n')!;
    assert.equal(outer.space, 'label');
    assert.equal(definitionAt(symbols, DEMO, '$outer', 1), outer);
    assert.equal(definitionAt(symbols, DEMO, '$inner', 1), definitionAt(symbols, DEMO, '$inner'));
    // A flat block's definition runs to its `end`.
    assert.match(DEMO.slice(outer.start, outer.end), /^block \$outer[\s\S]*end\n {4}end$/);
  });

  it('types, struct fields, globals, tables, memories, data and tags', () => {
    assert.equal(definitionAt(symbols, DEMO, '$binop)', 0)?.space, 'type');
    assert.equal(definitionAt(symbols, DEMO, '$binop)', 1), definitionAt(symbols, DEMO, '$binop)', 0));
    assert.equal(definitionAt(symbols, DEMO, '$point)'), definitionAt(symbols, DEMO, '$point (struct'));
    const y = definitionAt(symbols, DEMO, '$y\n')!;
    assert.equal(y.space, 'field');
    assert.equal(y, definitionAt(symbols, DEMO, '$y (mut'));
    assert.equal(definitionAt(symbols, DEMO, '$x\n'), definitionAt(symbols, DEMO, '$x i32'));
    assert.equal(referencesTo(symbols, definitionAt(symbols, DEMO, '$count (mut')!).length, 4);
    assert.equal(definitionAt(symbols, DEMO, '$fns (type'), definitionAt(symbols, DEMO, '$fns 2'));
    assert.equal(definitionAt(symbols, DEMO, '$fns)'), definitionAt(symbols, DEMO, '$fns 2'));
    assert.equal(definitionAt(symbols, DEMO, '$mem)'), definitionAt(symbols, DEMO, '$mem 1'));
    assert.equal(definitionAt(symbols, DEMO, '$mem offset'), definitionAt(symbols, DEMO, '$mem 1'));
    assert.equal(definitionAt(symbols, DEMO, '$greeting\n'), definitionAt(symbols, DEMO, '$greeting ('));
    assert.equal(definitionAt(symbols, DEMO, '$oops (i32'), definitionAt(symbols, DEMO, '$oops (param'));
  });

  it('a name nothing defines has no definition; a name in a comment or string is no name', () => {
    const text = '(module (func $f call $missing) ;; call $f\n (data "$f"))';
    const s = watSymbols(text);
    assert.deepEqual(
      s.occurrences.map((o) => [o.name, Boolean(o.definition)]),
      [
        ['$f', true],
        ['$missing', false],
      ],
    );
  });

  it('keeps going through broken text: unclosed lists and stray parentheses', () => {
    const text = '(module (func $f (param $p i32) local.get $p\n  (func $g call $f';
    const s = watSymbols(text);
    assert.ok(s.outline[0]!.children.some((c) => c.label === '$f'));
    assert.equal(definitionAt(s, text, '$p\n'), definitionAt(s, text, '$p i32'));
    assert.doesNotThrow(() => watSymbols(')))(((( $x "unterminated\n(; open comment'));
  });

  it('the hello example: its import is called by name', () => {
    const text = readFileSync('examples/hello.wat', 'utf8');
    const s = watSymbols(text);
    const fdWrite = definitionAt(s, text, '$fd_write (param')!;
    assert.equal(fdWrite.space, 'func');
    assert.equal(referencesTo(s, fdWrite).length, 2);
  });
});
