/**
 * The TextMate grammars for WAT/WAST and WIT, run through the same engine VS Code uses (vscode-textmate on
 * vscode-oniguruma): realistic snippets are tokenized and the scopes of chosen tokens are checked, every regex of
 * both grammars is compiled by Oniguruma, and every `include` must resolve. Paths are relative to the repository
 * root, which is the working directory when the tests run.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const ROOT = process.cwd();
const GRAMMAR_FILES: Record<string, string> = {
  'source.wat': 'syntaxes/wat.tmLanguage.json',
  'source.wit': 'syntaxes/wit.tmLanguage.json',
};

interface Token {
  text: string;
  start: number; // offset in the whole document
  end: number;
  scopes: string[];
}

interface Doc {
  text: string;
  tokens: Token[];
}

let registry: vsctm.Registry;
const grammars = new Map<string, vsctm.IGrammar>();

let loading: Promise<void> | undefined;

/** Loads Oniguruma (once per process: its WASM can be loaded only once) and both grammars. */
function loadEngine(): Promise<void> {
  loading ??= load();
  return loading;
}

async function load(): Promise<void> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      const file = GRAMMAR_FILES[scopeName];
      if (!file) return null;
      const path = join(ROOT, file);
      return vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
  for (const scopeName of Object.keys(GRAMMAR_FILES)) {
    const grammar = await registry.loadGrammar(scopeName);
    assert.ok(grammar, `grammar ${scopeName} loads`);
    grammars.set(scopeName, grammar);
  }
}

function tokenize(scopeName: string, text: string): Doc {
  const grammar = grammars.get(scopeName);
  assert.ok(grammar, scopeName);
  const tokens: Token[] = [];
  let stack = vsctm.INITIAL;
  let offset = 0;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, stack, 5000);
    assert.equal(result.stoppedEarly, false, `tokenizing stopped early on: ${line}`);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end > t.startIndex) {
        tokens.push({ text: line.slice(t.startIndex, end), start: offset + t.startIndex, end: offset + end, scopes: t.scopes });
      }
    }
    stack = result.ruleStack;
    offset += line.length + 1;
  }
  return { text, tokens };
}

/** Offset of `needle` inside the first occurrence of `context` (which defaults to the needle itself). */
function locate(doc: Doc, needle: string, context = needle): number {
  const at = doc.text.indexOf(context);
  assert.ok(at >= 0, `snippet has no ${JSON.stringify(context)}`);
  const inner = context.indexOf(needle);
  assert.ok(inner >= 0, `${JSON.stringify(context)} has no ${JSON.stringify(needle)}`);
  return at + inner;
}

function hasScope(scopes: string[], scope: string): boolean {
  return scopes.some((s) => s === scope || s.startsWith(`${scope}.`));
}

let assertions = 0;

/**
 * The token `needle` carries `scope` (prefix match, as themes do). Without `context` it is the first token whose text is
 * exactly `needle`; with one, it is the token at `needle` inside the first occurrence of `context`, and must be exactly
 * `needle`.
 */
function expectToken(doc: Doc, needle: string, scope: string, context?: string): void {
  let token: Token | undefined;
  if (context === undefined) {
    token = doc.tokens.find((t) => t.text === needle);
    assert.ok(token, `no token ${JSON.stringify(needle)} in the snippet`);
  } else {
    const start = locate(doc, needle, context);
    token = doc.tokens.find((t) => t.start <= start && start < t.end);
    assert.ok(token, `no token at ${JSON.stringify(needle)}`);
    assert.equal(
      token.text,
      needle,
      `${JSON.stringify(needle)} should be one token (got ${JSON.stringify(token.text)}: ${token.scopes.join(' ')})`,
    );
  }
  assert.ok(hasScope(token.scopes, scope), `${JSON.stringify(needle)} should have ${scope}, has ${token.scopes.join(' ')}`);
  assertions++;
}

/** Every token overlapping `needle` (found inside `context`) carries `scope`. */
function expectSpan(doc: Doc, needle: string, scope: string, context?: string): void {
  const start = locate(doc, needle, context);
  const end = start + needle.length;
  const covering = doc.tokens.filter((t) => t.end > start && t.start < end);
  assert.ok(covering.length > 0, `no tokens at ${JSON.stringify(needle)}`);
  for (const t of covering) {
    assert.ok(
      hasScope(t.scopes, scope),
      `${JSON.stringify(t.text)} inside ${JSON.stringify(needle)} should have ${scope}, has ${t.scopes.join(' ')}`,
    );
  }
  assertions++;
}

/** The token at `needle` does not carry `scope`. */
function expectNotScope(doc: Doc, needle: string, scope: string, context?: string): void {
  const start = locate(doc, needle, context);
  const token = doc.tokens.find((t) => t.start <= start && start < t.end);
  assert.ok(token, `no token at ${JSON.stringify(needle)}`);
  assert.ok(!hasScope(token.scopes, scope), `${JSON.stringify(needle)} should not have ${scope}, has ${token.scopes.join(' ')}`);
  assertions++;
}

// ---------------------------------------------------------------------------------------------------------------
// Snippets

const GC_MODULE = `;; A GC module: a point struct, an array of points and a typed function reference.
(module $shapes
  (rec
    (type $point (struct (field $x (mut f64)) (field $y (mut f64))))
    (type $points (array (mut (ref null $point))))
    (type $shape (sub (struct (field $origin (ref $point)))))
    (type $circle (sub final $shape (struct (field $origin (ref $point)) (field $r f64)))))
  (type $scale_fn (func (param (ref $point) f64) (result (ref $point))))

  (func $make (export "make") (param $x f64) (param $y f64) (result (ref $point))
    (struct.new $point (local.get $x) (local.get $y)))

  (func $scale (type $scale_fn)
    (struct.new $point
      (f64.mul (struct.get $point $x (local.get 0)) (local.get 1))
      (f64.mul (struct.get $point $y (local.get 0)) (local.get 1))))

  (func $apply (param $f (ref null $scale_fn)) (param $p (ref $point)) (result (ref $point))
    (block $null (result (ref $point))
      (br_on_null $null (local.get $f))
      local.get $p
      f64.const 0x1p-3
      call_ref $scale_fn
      return)
    (return_call_ref $scale_fn (local.get $p) (f64.const 2.5e+00) (ref.as_non_null (local.get $f))))

  (func $area (param $s (ref $shape)) (result f64)
    (local $c (ref null $circle))
    (block $not_circle (result (ref $shape))
      (br_on_cast_fail $not_circle (ref $shape) (ref $circle) (local.get $s))
      (local.set $c)
      (f64.mul (struct.get $circle $r (local.get $c)) (f64.const 3.141_592_653)))
    drop
    (f64.const nan:0x8_0000_0000_0000))

  (func $boxes (param $n i32) (result i32 anyref externref)
    (array.len (array.new_default $points (local.get $n)))
    (ref.i31 (i32.const 42))
    (extern.convert_any (ref.i31 (i32.const -7)))
    i31.get_s
    drop
    any.convert_extern
    (ref.test (ref i31))
    (ref.cast (ref null eq))
    (ref.null none)
    array.new_fixed $points 2)
  (elem declare func $scale)
  (func $quoted (export "quoted") (param $"first arg" i32) (local.get $"first arg")))
`;

const SIMD_KERNEL = `(module
  (memory $data i64 1 65536)          ;; memory64: i64 addresses
  (memory $lut 1 1 shared)             ;; multi-memory and threads
  (func $saxpy (export "saxpy") (param $a f32) (param $x i64) (param $y i64) (param $n i64)
    (local $va v128)
    (local.set $va (f32x4.splat (local.get $a)))
    (loop $body
      (v128.store $data offset=0 align=16 (local.get $y)
        (f32x4.add
          (f32x4.mul (local.get $va) (v128.load $data (local.get $x)))
          (v128.load $data offset=16 (local.get $y))))
      (br_if $body (i64.gt_u (local.get $n) (i64.const 0)))))
  (func $relaxed (param v128 v128 v128) (result v128)
    (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1))
    i16x8.relaxed_dot_i8x16_i7x16_s
    (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2))
    drop drop drop
    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 0) (local.get 1))
    (v128.const i32x4 0xffff_ffff -1 0 1)
    i32x4.extadd_pairwise_i16x8_u
    i16x8.extract_lane_s 3
    drop)
  (func $atomics (param $p i32) (result i32)
    (i32.atomic.rmw.cmpxchg $lut (local.get $p) (i32.const 0) (i32.const 1))
    (memory.atomic.notify $lut (local.get $p) (i32.const 1))
    (i64.atomic.rmw16.add_u $lut (local.get $p) (i64.const 1))
    atomic.fence
    (memory.atomic.wait64 $lut (local.get $p) (i64.const 0) (i64.const -1))
    (memory.copy $data $lut (i64.const 0) (i32.const 0) (i32.const 16))
    drop drop drop))
`;

const WAST_SCRIPT = `;; Spec-test style script.
(module $M1
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.const -nan:0x7f_ffff))
  (func (export "inf") (result f64) (f64.const -inf)))
(register "m1" $M1)
(assert_return (invoke "div" (i32.const 10) (i32.const 3)) (i32.const 3))
(assert_return (invoke "nan") (f32.const nan:arithmetic))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke $M1 "recurse") "call stack exhausted")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_unlinkable (module (import "m1" "missing" (func))) "unknown import")
(assert_exception (invoke "throws"))
(module binary "\\00asm" "\\01\\00\\00\\00")
(get $M1 "global")
`;

const EXCEPTIONS = `(module
  (tag $overflow (param i32))
  (func $checked_add (param i32 i32) (result i32)
    (block $handler (result i32 exnref)
      (try_table (result i32) (catch $overflow $handler) (catch_all_ref $handler)
        (if (i32.lt_u (i32.add (local.get 0) (local.get 1)) (local.get 0))
          (then (throw $overflow (local.get 0))))
        (return (i32.add (local.get 0) (local.get 1)))))
    throw_ref)
  (func $legacy (result i32)
    try (result i32)
      call $checked_add
    catch $overflow
      rethrow 0
    catch_all
      i32.const 0
    end)
  (func $tail (param i32) (result i32)
    (return_call $checked_add (local.get 0) (i32.const 1)))
  (func $bulk (param $dst i32)
    (memory.fill (local.get $dst) (i32.const 0) (i32.const 64))
    (memory.init $greeting (local.get $dst) (i32.const 0) (i32.const 5))
    (data.drop $greeting)
    (table.grow $fns (ref.null func) (i32.const 1))
    drop)
  (table $fns 1 funcref)
  (global $limit (export "limit") i64 (i64.const 9_223_372_036_854_775_807))
  (data $greeting "hello\\n\\t\\"quoted\\" \\u{1F600} \\ff\\00")
  (@custom "note" (after code) "annotated")
  (; a block comment (; with a nested one ;) that ends here ;)
  (func $after_comment)) ;; #region is only a marker in line comments
`;

const COMPONENT = `(component $proxy
  (import "wasi:http/types@0.2.0" (instance $types
    (export "fields" (type $fields (sub resource)))))
  (alias export $types "fields" (type $fields))
  (core module $Main
    (memory (export "memory") 1)
    (func (export "handle") (param i32)))
  (core instance $main (instantiate $Main))
  (core func $drop (canon resource.drop $fields))
  (type $handle_t (func (param "request" u32) (result (list u8))))
  (func $handle (type $handle_t)
    (canon lift (core func $main "handle") (memory $mem) string-encoding=utf8))
  (instance $handler (export "handle" (func $handle)))
  (export "wasi:http/incoming-handler@0.2.0" (instance $handler)))
`;

const WIT_HTTP = `/// Types for HTTP requests and responses, in the style of wasi:http.
package wasi:http@0.2.0;

/* a block comment /* with a nested one */ still a comment */
interface types {
  use wasi:io/streams@0.2.0.{input-stream, output-stream as out-stream};
  use wasi:clocks/monotonic-clock@0.2.0.{duration};

  /// An HTTP method.
  variant method {
    get,
    post,
    other(string),
  }

  enum scheme-kind { http, https }

  flags header-flags { immutable, %static }

  record request-options {
    connect-timeout: option<duration>,
    %type: u32,
  }

  type field-key = string;
  type field-value = list<u8>;

  @since(version = 0.2.0)
  resource fields {
    constructor();
    from-list: static func(entries: list<tuple<field-key, field-value>>) -> result<fields, header-error>;
    get: func(name: borrow<field-key>) -> list<field-value>;
    append: func(name: field-key, value: field-value) -> result<_, header-error>;
    @unstable(feature = fields-clone)
    clone: func() -> own<fields>;
  }

  resource incoming-body;

  @deprecated(version = 0.2.2)
  read: func(len: u64) -> result<list<u8>, error-code>;

  body: async func() -> tuple<stream<u8>, future<result<_, error-context>>>;
}

world proxy {
  include wasi:cli/imports@0.2.0 with { stdin as host-stdin }
  import wasi:random/random@0.2.0;
  import log: func(message: string, level: s8);
  export handler;
  export wasi:http/incoming-handler@0.2.0;
}
`;

// Every instruction name of the current text format, by proposal; each must be one instruction token.
const INSTRUCTIONS = `
unreachable nop block loop if else end br br_if br_table return call call_indirect drop select
local.get local.set local.tee global.get global.set
i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u i64.load8_s i64.load8_u
i64.load16_s i64.load16_u i64.load32_s i64.load32_u i32.store i64.store f32.store f64.store i32.store8 i32.store16
i64.store8 i64.store16 i64.store32 memory.size memory.grow i32.const i64.const f32.const f64.const
i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
f32.eq f32.ne f32.lt f32.gt f32.le f32.ge f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u i32.and i32.or i32.xor
i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s
i64.div_u i64.rem_s i64.rem_u i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div f32.min f32.max
f32.copysign f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div
f64.min f64.max f64.copysign i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64 f64.convert_i32_s
f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32 i32.reinterpret_f32 i64.reinterpret_f64
f32.reinterpret_i32 f64.reinterpret_i64
i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s
i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u i64.trunc_sat_f32_s
i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u
memory.init data.drop memory.copy memory.fill table.init elem.drop table.copy table.get table.set table.size
table.grow table.fill ref.null ref.is_null ref.func
call_ref return_call_ref ref.as_non_null br_on_null br_on_non_null return_call return_call_indirect
struct.new struct.new_default struct.get struct.get_s struct.get_u struct.set array.new array.new_default
array.new_fixed array.new_data array.new_elem array.get array.get_s array.get_u array.set array.len array.fill
array.copy array.init_data array.init_elem ref.test ref.cast br_on_cast br_on_cast_fail any.convert_extern
extern.convert_any ref.i31 i31.get_s i31.get_u ref.eq
try_table throw throw_ref try catch catch_all delegate rethrow
memory.atomic.notify memory.atomic.wait32 memory.atomic.wait64 atomic.fence i32.atomic.load i64.atomic.load
i32.atomic.load8_u i32.atomic.load16_u i64.atomic.load8_u i64.atomic.load16_u i64.atomic.load32_u
i32.atomic.store i64.atomic.store i32.atomic.store8 i32.atomic.store16 i64.atomic.store8 i64.atomic.store16
i64.atomic.store32 i32.atomic.rmw.add i64.atomic.rmw.add i32.atomic.rmw8.add_u i32.atomic.rmw16.add_u
i64.atomic.rmw8.add_u i64.atomic.rmw16.add_u i64.atomic.rmw32.add_u i32.atomic.rmw.sub i32.atomic.rmw.and
i32.atomic.rmw.or i32.atomic.rmw.xor i32.atomic.rmw.xchg i32.atomic.rmw.cmpxchg i64.atomic.rmw32.cmpxchg_u
i32.atomic.rmw8.xchg_u i64.atomic.rmw16.or_u
v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u
v128.load8_splat v128.load16_splat v128.load32_splat v128.load64_splat v128.load32_zero v128.load64_zero
v128.store v128.load8_lane v128.load16_lane v128.load32_lane v128.load64_lane v128.store8_lane
v128.store16_lane v128.store32_lane v128.store64_lane v128.const i8x16.shuffle i8x16.swizzle i8x16.splat
i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat i8x16.extract_lane_s i8x16.extract_lane_u
i8x16.replace_lane i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane i32x4.extract_lane
i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane f32x4.extract_lane f32x4.replace_lane
f64x2.extract_lane f64x2.replace_lane i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.ge_u
i16x8.le_s i32x4.ge_s i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s f32x4.eq f32x4.lt
f64x2.ge v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true i8x16.abs i8x16.neg
i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u i8x16.shl i8x16.shr_s
i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u i8x16.min_s
i8x16.min_u i8x16.max_s i8x16.max_u i8x16.avgr_u i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u
i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u i16x8.abs i16x8.neg i16x8.q15mulr_sat_s
i16x8.all_true i16x8.bitmask i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u i16x8.extend_low_i8x16_s
i16x8.extend_high_i8x16_u i16x8.mul i16x8.avgr_u i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_u
i32x4.abs i32x4.all_true i32x4.bitmask i32x4.extend_low_i16x8_u i32x4.mul i32x4.dot_i16x8_s
i32x4.extmul_high_i16x8_s i64x2.abs i64x2.neg i64x2.all_true i64x2.bitmask i64x2.extend_low_i32x4_s
i64x2.extend_high_i32x4_u i64x2.shl i64x2.shr_u i64x2.add i64x2.sub i64x2.mul i64x2.extmul_low_i32x4_u
f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest f64x2.ceil f32x4.abs f32x4.neg f32x4.sqrt f32x4.add
f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin f32x4.pmax f64x2.pmax f64x2.sqrt
i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u
f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
i8x16.relaxed_swizzle i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u i32x4.relaxed_trunc_f64x2_s_zero
i32x4.relaxed_trunc_f64x2_u_zero f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd
i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect
f32x4.relaxed_min f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max i16x8.relaxed_q15mulr_s
i16x8.relaxed_dot_i8x16_i7x16_s i32x4.relaxed_dot_i8x16_i7x16_add_s
i64.add128 i64.sub128 i64.mul_wide_s i64.mul_wide_u
`
  .trim()
  .split(/\s+/);

// ---------------------------------------------------------------------------------------------------------------

describe('syntaxes: grammars compile and resolve', () => {
  before(loadEngine);

  for (const [scopeName, file] of Object.entries(GRAMMAR_FILES)) {
    it(`${file}: scopeName, every regex compiles in Oniguruma, every include resolves, no unused rule`, () => {
      const grammar = JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
      assert.equal(grammar.scopeName, scopeName);
      const repository: Record<string, unknown> = grammar.repository ?? {};
      const used = new Set<string>();
      const problems: string[] = [];
      let regexes = 0;
      const walk = (node: unknown, path: string): void => {
        if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${path}[${i}]`));
        if (!node || typeof node !== 'object') return;
        for (const [key, value] of Object.entries(node)) {
          if (['match', 'begin', 'end', 'while'].includes(key) && typeof value === 'string') {
            regexes++;
            try {
              new oniguruma.OnigScanner([value]).dispose();
            } catch (error) {
              problems.push(`${path}.${key}: ${String(error)}`);
            }
          } else if (key === 'include' && typeof value === 'string') {
            if (value.startsWith('#')) {
              used.add(value.slice(1));
              if (!(value.slice(1) in repository)) problems.push(`${path}: include ${value} is not in the repository`);
            } else if (value !== '$self' && value !== '$base') {
              problems.push(`${path}: include ${value} names another grammar`);
            }
          } else if ((key === 'name' && path !== file) || key === 'contentName') {
            if (typeof value !== 'string' || !/^[a-z0-9$.+-]+(?: [a-z0-9$.+-]+)*$/.test(value))
              problems.push(`${path}.${key}: odd scope ${String(value)}`);
          } else {
            walk(value, `${path}.${key}`);
          }
        }
      };
      walk(grammar, file);
      for (const name of Object.keys(repository)) if (!used.has(name)) problems.push(`repository rule ${name} is never included`);
      assert.deepEqual(problems, []);
      assert.ok(regexes > 30, `${regexes} regexes`);
    });
  }

  it('package.json contributes both languages with their grammars and configurations', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const languages = new Map<string, { extensions: string[]; aliases: string[]; configuration: string }>(
      pkg.contributes.languages.map((l: { id: string }) => [l.id, l]),
    );
    assert.deepEqual(languages.get('wat')?.extensions, ['.wat', '.wast']);
    assert.ok(languages.get('wat')?.aliases.includes('WebAssembly Text'));
    assert.deepEqual(languages.get('wit')?.extensions, ['.wit']);
    assert.ok(languages.get('wit')?.aliases.includes('WIT'));
    for (const language of languages.values()) assert.ok(existsSync(join(ROOT, language.configuration)), language.configuration);
    const grammarsByLanguage = new Map<string, { scopeName: string; path: string }>(
      pkg.contributes.grammars.map((g: { language: string }) => [g.language, g]),
    );
    for (const [language, scopeName] of [
      ['wat', 'source.wat'],
      ['wit', 'source.wit'],
    ]) {
      const grammar = grammarsByLanguage.get(language);
      assert.equal(grammar?.scopeName, scopeName);
      assert.equal(join(ROOT, grammar!.path), join(ROOT, GRAMMAR_FILES[scopeName]!));
    }
    assertions += 6;
  });
});

describe('syntaxes: language configurations', () => {
  const wat = JSON.parse(readFileSync(join(ROOT, 'language-configuration/wat.json'), 'utf8'));
  const wit = JSON.parse(readFileSync(join(ROOT, 'language-configuration/wit.json'), 'utf8'));

  it('declare the comment markers and brackets', () => {
    assert.equal(wat.comments.lineComment, ';;');
    assert.deepEqual(wat.comments.blockComment, ['(;', ';)']);
    assert.equal(wit.comments.lineComment, '//');
    assert.deepEqual(wit.comments.blockComment, ['/*', '*/']);
    assert.deepEqual(wat.brackets, [['(', ')']]);
    assert.ok(wit.brackets.some(([open, close]: string[]) => open === '{' && close === '}'));
    assert.ok(wit.autoClosingPairs.some((p: { open: string; close: string }) => p.open === '<' && p.close === '>'));
    assert.ok(wat.autoClosingPairs.some((p: { open: string }) => p.open === '"'));
    assertions += 8;
  });

  it('keep $names, dotted instructions, kebab-case names and versions as one word', () => {
    const words = (pattern: string, text: string) => text.match(new RegExp(pattern, 'g'));
    assert.deepEqual(words(wat.wordPattern, '(i32.add (local.get $x) $"a b") offset=8'), [
      'i32.add',
      'local.get',
      '$x',
      '$"a b"',
      'offset',
      '8',
    ]);
    assert.deepEqual(words(wat.wordPattern, 'f64.const -0x1.8p+3 nan:0x7f'), ['f64.const', '-0x1.8p+3', 'nan:0x7f']);
    assert.deepEqual(words(wit.wordPattern, 'use wasi:io/streams@0.2.0-rc.1.{input-stream}; %type'), [
      'use',
      'wasi',
      'io',
      'streams',
      '0.2.0-rc.1',
      'input-stream',
      '%type',
    ]);
    assertions += 3;
  });

  it('fold #region markers and indent after an open form', () => {
    const start = new RegExp(wat.folding.markers.start);
    const end = new RegExp(wat.folding.markers.end);
    assert.match('  ;; #region imports', start);
    assert.match('  ;; #endregion', end);
    assert.doesNotMatch('  ;; #endregion', start);
    assert.match('  // #region types', new RegExp(wit.folding.markers.start));
    assert.match('// #endregion', new RegExp(wit.folding.markers.end));
    const increase = new RegExp(wat.indentationRules.increaseIndentPattern);
    assert.match('  (func $f (param i32) (result i32)', increase);
    assert.match('(module', increase);
    assert.doesNotMatch('    (i32.add (local.get 0) (local.get 1))', increase);
    assert.match('  )', new RegExp(wat.indentationRules.decreaseIndentPattern));
    assert.match('interface types {', new RegExp(wit.indentationRules.increaseIndentPattern));
    assert.doesNotMatch('enum e { a, b }', new RegExp(wit.indentationRules.increaseIndentPattern));
    assert.match('  }', new RegExp(wit.indentationRules.decreaseIndentPattern));
    assertions += 12;
  });
});

describe('syntaxes: WAT and WAST', () => {
  before(loadEngine);

  it('a GC module: types, struct/array instructions, typed references', () => {
    const doc = tokenize('source.wat', GC_MODULE);
    expectToken(doc, ';;', 'comment.line.double-semicolon.wat');
    expectToken(doc, 'module', 'storage.type.module.wat');
    expectToken(doc, '$shapes', 'entity.name.namespace.module.wat');
    expectToken(doc, 'rec', 'storage.type.rec.wat');
    expectToken(doc, '$point', 'entity.name.type.wat', '(type $point');
    expectToken(doc, 'struct', 'storage.type.struct.wat', '(struct (field $x');
    expectToken(doc, 'field', 'storage.type.field.wat');
    expectToken(doc, '$x', 'variable.other.property.wat', '(field $x');
    expectToken(doc, 'mut', 'storage.modifier.mut.wat');
    expectToken(doc, 'f64', 'support.type.number.wat');
    expectToken(doc, 'array', 'storage.type.array.wat', '(array (mut');
    expectToken(doc, 'ref', 'support.type.reference.wat', '(ref null $point)');
    expectToken(doc, 'null', 'storage.modifier.nullable.wat', '(ref null $point)');
    expectToken(doc, '$point', 'entity.name.type.wat', '(ref null $point)');
    expectToken(doc, 'sub', 'storage.type.sub.wat', '(sub final');
    expectToken(doc, 'final', 'storage.modifier.final.wat');
    expectToken(doc, '$shape', 'entity.name.type.wat', 'final $shape');
    expectToken(doc, 'func', 'storage.type.function.wat', '(func $make');
    expectToken(doc, '$make', 'entity.name.function.wat');
    expectToken(doc, 'export', 'keyword.other.export.wat');
    expectToken(doc, 'make', 'string.quoted.double.wat', '(export "make")');
    expectToken(doc, 'param', 'storage.type.param.wat');
    expectToken(doc, '$y', 'variable.parameter.wat', '(param $y');
    expectToken(doc, 'struct.new', 'keyword.other.instruction.gc.wat');
    expectToken(doc, '$point', 'variable.other.wat', 'struct.new $point (');
    expectToken(doc, 'local.get', 'keyword.other.instruction.variable.wat');
    expectToken(doc, '$x', 'variable.other.local.wat', 'local.get $x');
    expectToken(doc, 'struct.get', 'keyword.other.instruction.gc.wat');
    expectToken(doc, 'f64.mul', 'keyword.other.instruction.numeric.wat');
    expectToken(doc, 'block', 'keyword.control.wat');
    expectToken(doc, '$null', 'entity.name.label.wat', 'block $null');
    expectToken(doc, 'br_on_null', 'keyword.control.wat');
    expectToken(doc, '$null', 'variable.other.label.wat', 'br_on_null $null');
    expectToken(doc, '0x1p-3', 'constant.numeric.float.hexadecimal.wat');
    expectToken(doc, 'call_ref', 'keyword.control.wat');
    expectToken(doc, 'return_call_ref', 'keyword.control.wat');
    expectToken(doc, '2.5e+00', 'constant.numeric.float.decimal.wat');
    expectToken(doc, 'ref.as_non_null', 'keyword.other.instruction.reference.wat');
    expectToken(doc, 'br_on_cast_fail', 'keyword.control.wat');
    expectToken(doc, '3.141_592_653', 'constant.numeric.float.decimal.wat');
    expectToken(doc, 'nan:0x8_0000_0000_0000', 'constant.numeric.float.nan.wat');
    expectToken(doc, 'array.new_default', 'keyword.other.instruction.gc.wat');
    expectToken(doc, 'array.len', 'keyword.other.instruction.gc.wat');
    expectToken(doc, 'ref.i31', 'keyword.other.instruction.gc.wat');
    expectToken(doc, '-7', 'constant.numeric.integer.decimal.wat');
    expectToken(doc, 'extern.convert_any', 'keyword.other.instruction.gc.wat');
    expectToken(doc, 'any.convert_extern', 'keyword.other.instruction.gc.wat');
    expectToken(doc, 'i31.get_s', 'keyword.other.instruction.gc.wat');
    expectToken(doc, 'ref.test', 'keyword.other.instruction.reference.wat');
    expectToken(doc, 'i31', 'support.type.heap.wat', '(ref i31)');
    expectToken(doc, 'ref.cast', 'keyword.other.instruction.reference.wat');
    expectToken(doc, 'eq', 'support.type.heap.wat', 'null eq)');
    expectToken(doc, 'none', 'support.type.heap.wat');
    expectToken(doc, 'anyref', 'support.type.reference.wat');
    expectToken(doc, 'externref', 'support.type.reference.wat');
    expectToken(doc, 'array.new_fixed', 'keyword.other.instruction.gc.wat');
    expectToken(doc, 'declare', 'storage.modifier.wat');
    expectToken(doc, 'func', 'support.type.heap.wat', 'declare func');
    expectToken(doc, '$"first arg"', 'variable.parameter.wat', '(param $"first arg"');
    expectToken(doc, '$"first arg"', 'variable.other.local.wat', 'local.get $"first arg"');
  });

  it('a SIMD kernel with memory64, multi-memory, relaxed SIMD and atomics', () => {
    const doc = tokenize('source.wat', SIMD_KERNEL);
    expectToken(doc, 'memory', 'storage.type.memory.wat');
    expectToken(doc, '$data', 'variable.other.memory.wat', '(memory $data');
    expectToken(doc, 'i64', 'support.type.number.wat', '$data i64 1');
    expectToken(doc, '65536', 'constant.numeric.integer.decimal.wat');
    expectToken(doc, 'shared', 'storage.modifier.wat');
    expectSpan(doc, ';; memory64: i64 addresses', 'comment.line.double-semicolon.wat');
    expectToken(doc, 'v128', 'support.type.vector.wat', '(local $va v128)');
    expectToken(doc, 'f32x4.splat', 'keyword.other.instruction.simd.wat');
    expectToken(doc, 'v128.store', 'keyword.other.instruction.simd.wat');
    expectToken(doc, '$data', 'variable.other.wat', 'v128.store $data');
    expectToken(doc, 'offset', 'entity.other.attribute-name.memarg.wat', 'offset=0 align');
    expectToken(doc, '=', 'keyword.operator.assignment.wat', 'offset=0 align');
    expectToken(doc, '16', 'constant.numeric.integer.wat', 'align=16');
    expectToken(doc, 'f32x4.add', 'keyword.other.instruction.simd.wat');
    expectToken(doc, 'v128.load', 'keyword.other.instruction.simd.wat');
    expectToken(doc, 'i64.gt_u', 'keyword.other.instruction.numeric.wat');
    expectToken(doc, 'f32x4.relaxed_madd', 'keyword.other.instruction.simd.relaxed.wat');
    expectToken(doc, 'i8x16.relaxed_swizzle', 'keyword.other.instruction.simd.relaxed.wat');
    expectToken(doc, 'i16x8.relaxed_dot_i8x16_i7x16_s', 'keyword.other.instruction.simd.relaxed.wat');
    expectToken(doc, 'i32x4.relaxed_laneselect', 'keyword.other.instruction.simd.relaxed.wat');
    expectToken(doc, 'i8x16.shuffle', 'keyword.other.instruction.simd.wat');
    expectToken(doc, '15', 'constant.numeric.integer.decimal.wat', '14 15');
    expectToken(doc, 'v128.const', 'keyword.other.instruction.constant.wat');
    expectToken(doc, 'i32x4', 'support.type.shape.wat', 'v128.const i32x4');
    expectToken(doc, '0xffff_ffff', 'constant.numeric.integer.hexadecimal.wat');
    expectToken(doc, 'i32x4.extadd_pairwise_i16x8_u', 'keyword.other.instruction.simd.wat');
    expectToken(doc, 'i16x8.extract_lane_s', 'keyword.other.instruction.simd.wat');
    expectToken(doc, 'i32.atomic.rmw.cmpxchg', 'keyword.other.instruction.atomic.wat');
    expectToken(doc, 'memory.atomic.notify', 'keyword.other.instruction.atomic.wat');
    expectToken(doc, 'i64.atomic.rmw16.add_u', 'keyword.other.instruction.atomic.wat');
    expectToken(doc, 'atomic.fence', 'keyword.other.instruction.atomic.wat');
    expectToken(doc, 'memory.atomic.wait64', 'keyword.other.instruction.atomic.wat');
    expectToken(doc, 'memory.copy', 'keyword.other.instruction.memory.wat');
    expectToken(doc, '$lut', 'variable.other.wat', 'memory.copy $data $lut');
    expectToken(doc, 'drop', 'keyword.other.instruction.parametric.wat');
  });

  it('exceptions (try_table and legacy try), tail calls, bulk memory, strings, annotations, nested comments', () => {
    const doc = tokenize('source.wat', EXCEPTIONS);
    expectToken(doc, 'tag', 'storage.type.tag.wat');
    expectToken(doc, '$overflow', 'variable.other.tag.wat', '(tag $overflow');
    expectToken(doc, 'exnref', 'support.type.reference.wat');
    expectToken(doc, 'try_table', 'keyword.control.wat');
    expectToken(doc, '$handler', 'entity.name.label.wat', 'block $handler');
    expectToken(doc, 'catch', 'keyword.control.wat', '(catch $overflow');
    expectToken(doc, 'catch_all_ref', 'keyword.control.wat');
    expectToken(doc, 'if', 'keyword.control.wat', '(if (i32.lt_u');
    expectToken(doc, 'then', 'keyword.control.wat');
    expectToken(doc, 'throw', 'keyword.control.wat', '(throw $overflow');
    expectToken(doc, 'throw_ref', 'keyword.control.wat');
    expectToken(doc, 'try', 'keyword.control.wat', 'try (result i32)');
    expectToken(doc, '$checked_add', 'entity.name.function.wat', 'call $checked_add');
    expectToken(doc, 'rethrow', 'keyword.control.wat');
    expectToken(doc, 'catch_all', 'keyword.control.wat', 'catch_all\n');
    expectToken(doc, 'end', 'keyword.control.wat', 'end)');
    expectToken(doc, 'return_call', 'keyword.control.wat');
    expectToken(doc, '$checked_add', 'entity.name.function.wat', 'return_call $checked_add');
    expectToken(doc, 'memory.fill', 'keyword.other.instruction.memory.wat');
    expectToken(doc, 'memory.init', 'keyword.other.instruction.memory.wat');
    expectToken(doc, 'data.drop', 'keyword.other.instruction.memory.wat');
    expectToken(doc, 'table.grow', 'keyword.other.instruction.table.wat');
    expectToken(doc, 'ref.null', 'keyword.other.instruction.reference.wat');
    expectToken(doc, 'funcref', 'support.type.reference.wat');
    expectToken(doc, '$limit', 'variable.other.global.wat');
    expectToken(doc, '9_223_372_036_854_775_807', 'constant.numeric.integer.decimal.wat');
    expectToken(doc, '$greeting', 'variable.other.segment.wat', '(data $greeting');
    expectToken(doc, '\\n', 'constant.character.escape.wat');
    expectToken(doc, '\\"', 'constant.character.escape.wat');
    expectToken(doc, '\\u{1F600}', 'constant.character.escape.wat');
    expectToken(doc, '\\ff', 'constant.character.escape.wat');
    expectSpan(doc, '"hello\\n\\t\\"quoted\\" \\u{1F600} \\ff\\00"', 'string.quoted.double.wat');
    expectToken(doc, '@custom', 'storage.type.annotation.wat');
    expectSpan(doc, '(@custom "note" (after code) "annotated")', 'meta.annotation.wat');
    expectSpan(doc, '(; a block comment (; with a nested one ;) that ends here ;)', 'comment.block.wat');
    expectToken(doc, '$after_comment', 'entity.name.function.wat');
    expectNotScope(doc, 'func', 'comment', '(func $after_comment');
    expectSpan(doc, ';; #region is only a marker in line comments', 'comment.line.double-semicolon.wat');
  });

  it('a WAST script: commands, assertions, nan patterns and module forms', () => {
    const doc = tokenize('source.wat', WAST_SCRIPT);
    expectToken(doc, 'register', 'keyword.control.command.wast.wat');
    expectToken(doc, '$M1', 'variable.other.wat', '"m1" $M1');
    expectToken(doc, 'assert_return', 'keyword.control.assertion.wast.wat');
    expectToken(doc, 'invoke', 'keyword.control.command.wast.wat');
    expectToken(doc, 'nan:arithmetic', 'constant.numeric.float.nan.wat');
    expectToken(doc, '-nan:0x7f_ffff', 'constant.numeric.float.nan.wat');
    expectToken(doc, '-inf', 'constant.numeric.float.inf.wat');
    expectToken(doc, 'i32.div_s', 'keyword.other.instruction.numeric.wat');
    expectToken(doc, 'assert_trap', 'keyword.control.assertion.wast.wat');
    expectToken(doc, 'assert_exhaustion', 'keyword.control.assertion.wast.wat');
    expectToken(doc, 'assert_invalid', 'keyword.control.assertion.wast.wat');
    expectToken(doc, 'assert_malformed', 'keyword.control.assertion.wast.wat');
    expectToken(doc, 'quote', 'storage.modifier.module.wast.wat');
    expectSpan(doc, '"(func (i32.const 0x))"', 'string.quoted.double.wat');
    expectToken(doc, 'assert_unlinkable', 'keyword.control.assertion.wast.wat');
    expectToken(doc, 'assert_exception', 'keyword.control.assertion.wast.wat');
    expectToken(doc, 'binary', 'storage.modifier.module.wast.wat');
    expectToken(doc, '\\00', 'constant.character.escape.wat');
    expectToken(doc, 'get', 'keyword.control.command.wast.wat', '(get $M1');
  });

  it('a component: core modules and instances, canon lift, aliases, instances with exports', () => {
    const doc = tokenize('source.wat', COMPONENT);
    expectToken(doc, 'component', 'storage.type.component.wat');
    expectToken(doc, '$proxy', 'entity.name.namespace.component.wat');
    expectToken(doc, 'import', 'keyword.other.import.wat');
    expectToken(doc, 'instance', 'keyword.other.component.wat', '(instance $types');
    expectToken(doc, 'resource', 'keyword.other.component.wat', '(sub resource)');
    expectToken(doc, 'alias', 'keyword.other.component.wat');
    expectToken(doc, 'core', 'keyword.other.component.wat', '(core module');
    expectToken(doc, 'module', 'storage.type.core.module.wat', '(core module');
    expectToken(doc, '$Main', 'entity.name.namespace.core.wat', '(core module $Main');
    expectToken(doc, 'instantiate', 'keyword.other.component.wat');
    expectToken(doc, '$drop', 'entity.name.function.wat', '(core func $drop');
    expectToken(doc, 'canon', 'keyword.other.component.wat');
    expectToken(doc, 'resource.drop', 'keyword.other.canon.wat');
    expectToken(doc, 'u32', 'support.type.component.wat');
    expectToken(doc, 'list', 'support.type.component.wat');
    expectToken(doc, 'lift', 'keyword.other.component.wat');
    expectToken(doc, 'string-encoding', 'entity.other.attribute-name.component.wat');
    expectToken(doc, 'utf8', 'support.constant.encoding.wat');
    expectToken(doc, '$handler', 'variable.other.instance.wat', '(instance $handler');
    expectSpan(doc, '"wasi:http/incoming-handler@0.2.0"', 'string.quoted.double.wat');
  });

  it('every instruction of the current text format is one instruction token; misspellings are not', () => {
    const grammar = grammars.get('source.wat')!;
    const missing = INSTRUCTIONS.filter((name) => {
      const { tokens } = grammar.tokenizeLine(`  ${name} `, vsctm.INITIAL);
      const token = tokens.find((t) => t.startIndex === 2);
      return !token || token.endIndex !== 2 + name.length || !token.scopes.some((s) => s.startsWith('keyword.'));
    });
    assert.deepEqual(missing, []);
    assert.ok(INSTRUCTIONS.length > 400, `${INSTRUCTIONS.length} names`);
    for (const wrong of ['i32.addd', 'struct.neww', 'i8x16.add_sat', 'f32.div_s', 'local.gett', 'i32.atomic.rmw8.add']) {
      const { tokens } = grammar.tokenizeLine(wrong, vsctm.INITIAL);
      assert.ok(!tokens.some((t) => t.scopes.some((s) => s.startsWith('keyword.'))), `${wrong} is not an instruction`);
    }
    assertions += 2 + 6;
  });

  it('every token of the WAT fixtures in test/fixtures/sources gets a scope', () => {
    const dir = join(ROOT, 'test/fixtures/sources');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wat')) : [];
    const unscoped: string[] = [];
    for (const file of files) {
      const doc = tokenize('source.wat', readFileSync(join(dir, file), 'utf8'));
      for (const t of doc.tokens) if (t.text.trim() && t.scopes.length === 1) unscoped.push(`${file}: ${JSON.stringify(t.text)}`);
    }
    assert.deepEqual(unscoped, []);
    assertions++;
  });
});

describe('syntaxes: WIT', () => {
  before(loadEngine);

  it('a wasi:http style package: interfaces, types, resources, functions, worlds', () => {
    const doc = tokenize('source.wit', WIT_HTTP);
    expectSpan(doc, '/// Types for HTTP requests and responses, in the style of wasi:http.', 'comment.line.documentation.wit');
    expectToken(doc, 'package', 'storage.type.package.wit');
    expectToken(doc, 'wasi:http', 'entity.name.namespace.wit', 'package wasi:http');
    expectToken(doc, '@', 'punctuation.definition.version.wit', 'http@0.2.0;');
    expectToken(doc, '0.2.0', 'constant.numeric.version.wit', 'http@0.2.0;');
    expectSpan(doc, '/* a block comment /* with a nested one */ still a comment */', 'comment.block.wit');
    expectToken(doc, 'interface', 'storage.type.interface.wit');
    expectToken(doc, 'types', 'entity.name.type.interface.wit', 'interface types');
    expectToken(doc, 'use', 'keyword.control.use.wit');
    expectToken(doc, 'streams', 'entity.name.type.interface.wit', 'io/streams');
    expectToken(doc, 'input-stream', 'entity.name.type.wit');
    expectToken(doc, 'as', 'keyword.control.as.wit', 'output-stream as');
    expectToken(doc, 'out-stream', 'entity.name.type.wit');
    expectToken(doc, 'variant', 'storage.type.variant.wit');
    expectToken(doc, 'method', 'entity.name.type.wit', 'variant method');
    expectToken(doc, 'post', 'variable.other.enummember.wit');
    expectToken(doc, 'string', 'support.type.primitive.wit', 'other(string)');
    expectToken(doc, 'enum', 'storage.type.enum.wit');
    expectToken(doc, 'https', 'variable.other.enummember.wit');
    expectToken(doc, 'flags', 'storage.type.flags.wit');
    expectToken(doc, '%static', 'variable.other.enummember.wit');
    expectToken(doc, 'record', 'storage.type.record.wit');
    expectToken(doc, 'connect-timeout', 'variable.other.member.wit');
    expectToken(doc, 'option', 'support.type.builtin.wit');
    expectToken(doc, '<', 'punctuation.definition.typeparameters.begin.wit', 'option<duration>');
    expectToken(doc, 'duration', 'entity.name.type.wit', 'option<duration>');
    expectToken(doc, '%type', 'variable.other.member.wit');
    expectToken(doc, 'type', 'storage.type.type.wit', 'type field-key');
    expectToken(doc, 'field-key', 'entity.name.type.wit', 'type field-key');
    expectToken(doc, 'u8', 'support.type.primitive.wit', 'list<u8>;');
    expectToken(doc, '@', 'punctuation.definition.annotation.wit', '@since');
    expectToken(doc, 'since', 'storage.type.annotation.wit');
    expectToken(doc, 'version', 'variable.parameter.annotation.wit', 'since(version');
    expectToken(doc, '0.2.0', 'constant.numeric.version.wit', 'version = 0.2.0)');
    expectToken(doc, 'resource', 'storage.type.resource.wit', 'resource fields');
    expectToken(doc, 'fields', 'entity.name.type.wit', 'resource fields');
    expectToken(doc, 'constructor', 'storage.type.constructor.wit');
    expectToken(doc, 'from-list', 'entity.name.function.wit');
    expectToken(doc, 'static', 'storage.modifier.static.wit');
    expectToken(doc, 'func', 'storage.type.function.wit', 'static func');
    expectToken(doc, 'entries', 'variable.parameter.wit');
    expectToken(doc, 'tuple', 'support.type.builtin.wit', 'list<tuple<');
    expectToken(doc, '->', 'keyword.operator.arrow.wit');
    expectToken(doc, 'result', 'support.type.builtin.wit', '-> result<fields');
    expectToken(doc, 'header-error', 'entity.name.type.wit');
    expectToken(doc, 'get', 'entity.name.function.wit', 'get: func');
    expectToken(doc, 'borrow', 'support.type.builtin.wit');
    expectToken(doc, '_', 'variable.language.wildcard.wit', 'result<_, header-error>');
    expectToken(doc, 'unstable', 'storage.type.annotation.wit');
    expectToken(doc, 'feature', 'variable.parameter.annotation.wit');
    expectToken(doc, 'fields-clone', 'constant.other.feature.wit');
    expectToken(doc, 'own', 'support.type.builtin.wit');
    expectToken(doc, 'incoming-body', 'entity.name.type.wit');
    expectToken(doc, 'deprecated', 'storage.type.annotation.wit');
    expectToken(doc, 'len', 'variable.parameter.wit');
    expectToken(doc, 'u64', 'support.type.primitive.wit');
    expectToken(doc, 'list', 'support.type.builtin.wit', 'result<list<u8>, error-code>');
    expectToken(doc, 'error-code', 'entity.name.type.wit', 'result<list<u8>, error-code>');
    expectToken(doc, '>', 'punctuation.definition.typeparameters.end.wit', 'error-code>;');
    expectToken(doc, 'async', 'storage.modifier.async.wit');
    expectToken(doc, 'stream', 'support.type.builtin.wit');
    expectToken(doc, 'future', 'support.type.builtin.wit');
    expectToken(doc, 'error-context', 'support.type.primitive.wit');
    expectToken(doc, 'world', 'storage.type.world.wit');
    expectToken(doc, 'proxy', 'entity.name.type.world.wit');
    expectToken(doc, 'include', 'keyword.control.include.wit');
    expectToken(doc, 'imports', 'entity.name.type.interface.wit', 'cli/imports');
    expectToken(doc, 'with', 'keyword.control.with.wit');
    expectToken(doc, 'host-stdin', 'entity.name.type.wit');
    expectToken(doc, 'import', 'keyword.control.import.wit', 'import wasi:random');
    expectToken(doc, 'wasi:random', 'entity.name.namespace.wit');
    expectToken(doc, 'log', 'entity.name.function.wit');
    expectToken(doc, 's8', 'support.type.primitive.wit');
    expectToken(doc, 'export', 'keyword.control.export.wit', 'export handler');
    expectToken(doc, 'handler', 'entity.name.type.interface.wit', 'export handler');
    expectToken(doc, 'incoming-handler', 'entity.name.type.interface.wit');
  });

  it('keywords inside kebab-case names and %-escaped names are not keywords', () => {
    const doc = tokenize(
      'source.wit',
      `interface x {
  record my-record { use-count: u32, %record: bool }
  get-type: func(%type: string, func-ref: u32) -> option<my-record>;
}`,
    );
    expectToken(doc, 'my-record', 'entity.name.type.wit', 'record my-record');
    expectToken(doc, 'use-count', 'variable.other.member.wit');
    expectToken(doc, '%record', 'variable.other.member.wit');
    expectToken(doc, 'get-type', 'entity.name.function.wit');
    expectToken(doc, '%type', 'variable.parameter.wit');
    expectToken(doc, 'func-ref', 'variable.parameter.wit');
    expectToken(doc, 'my-record', 'entity.name.type.wit', 'option<my-record>');
  });

  it('made at least 150 assertions on scopes', () => {
    assert.ok(assertions >= 150, `${assertions} assertions`);
  });
});
