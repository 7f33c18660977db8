/**
 * What an instruction does, for hovers in WAT: its operand stack signature (as the specification writes it,
 * `[i32 i32] → [i32]`) and one line of meaning. Written from the WebAssembly 3.0 specification's instruction
 * index; the regular families (numeric, memory, SIMD lanes, atomics) are generated from their rules so each
 * rule is stated once.
 */

export interface InstructionInfo {
  /** The operand stack before and after, e.g. `[i32 i32] → [i32]`; immediates are named in `immediates`. */
  signature: string;
  /** One line: what it does. */
  meaning: string;
  /** The immediates written after it, e.g. `$func`, `offset=N align=N`. */
  immediates?: string;
}

const table = new Map<string, InstructionInfo>();

const sig = (params: string[], results: string[]) => `[${params.join(' ')}] → [${results.join(' ')}]`;
function def(name: string, params: string[], results: string[], meaning: string, immediates?: string): void {
  table.set(name, { signature: sig(params, results), meaning, ...(immediates ? { immediates } : {}) });
}
/** Instructions whose stack effect depends on a type they name: described in words. */
function word(name: string, signature: string, meaning: string, immediates?: string): void {
  table.set(name, { signature, meaning, ...(immediates ? { immediates } : {}) });
}

// --- Control -----------------------------------------------------------------------------------------------
word('unreachable', '[t1*] → [t2*]', 'Traps at once (the code after it is never reached).');
def('nop', [], [], 'Does nothing.');
word('block', '[t1*] → [t2*]', 'Starts a block; a branch to its label jumps past its `end`.', '$label? blocktype');
word('loop', '[t1*] → [t2*]', 'Starts a loop; a branch to its label jumps back to its start.', '$label? blocktype');
word('if', '[t1* i32] → [t2*]', 'Runs its `then` arm when the condition is non-zero, else its `else` arm.', '$label? blocktype');
word('else', '', 'Starts the `else` arm of an `if`.');
word('end', '', 'Ends a block, loop, if, try_table or function.');
word('br', '[t1* t*] → [t2*]', 'Branches to a label: past the end of a block, or back to the start of a loop.', '$label');
word('br_if', '[t* i32] → [t*]', 'Branches to a label when the condition is non-zero.', '$label');
word(
  'br_table',
  '[t1* t* i32] → [t2*]',
  'Branches to the label the operand selects from the list, or to the last one (the default) when it is out of range.',
  '$label* $default',
);
word('return', '[t1* t*] → [t2*]', 'Returns from the function with the values on the stack.');
word('call', '[t1*] → [t2*]', 'Calls a function with the arguments on the stack.', '$func');
word('call_indirect', '[t1* i32] → [t2*]', 'Calls the function at a table index, trapping unless its type matches.', '$table? (type $t)');
word('return_call', '[t1*] → [t2*]', 'Tail call: calls a function in place of the current one.', '$func');
word('return_call_indirect', '[t1* i32] → [t2*]', 'Tail call through a table.', '$table? (type $t)');
word('call_ref', '[t1* (ref null $t)] → [t2*]', 'Calls a function reference, trapping on null.', '$type');
word('return_call_ref', '[t1* (ref null $t)] → [t2*]', 'Tail call of a function reference.', '$type');
word('drop', '[t] → []', 'Discards the value on top of the stack.');
word('select', '[t t i32] → [t]', 'Picks the first value when the condition is non-zero, else the second.', '(result t)?');
word(
  'try_table',
  '[t1*] → [t2*]',
  'Starts a block whose exceptions go to the labels of its catch clauses.',
  '$label? blocktype (catch $tag $label)*',
);
word('throw', '[t1* t*] → [t2*]', 'Throws an exception of a tag with the values on the stack.', '$tag');
word('throw_ref', '[t1* exnref] → [t2*]', 'Rethrows a caught exception reference.');
word('try', '[t1*] → [t2*]', 'Legacy exceptions: a block with catch clauses.', '$label? blocktype');
word('catch', '', 'Legacy exceptions: starts the handler for a tag.', '$tag');
word('catch_all', '', 'Legacy exceptions: starts the handler for any exception.');
word('rethrow', '[t1*] → [t2*]', 'Legacy exceptions: rethrows the exception caught by an enclosing handler.', '$label');
word('delegate', '', 'Legacy exceptions: hands exceptions to an outer try.', '$label');
word('br_on_null', '[t* (ref null ht)] → [t* (ref ht)]', 'Branches when the reference is null; else leaves it, now non-null.', '$label');
word('br_on_non_null', '[t* (ref null ht)] → [t*]', 'Branches with the reference when it is not null.', '$label');
word('br_on_cast', '[t* rt1] → [t* rt1∖rt2]', 'Branches when the reference casts to the target type.', '$label rt1 rt2');
word('br_on_cast_fail', '[t* rt1] → [t* rt2]', 'Branches when the reference does not cast to the target type.', '$label rt1 rt2');

// --- Variables -------------------------------------------------------------------------------------------
word('local.get', '[] → [t]', 'Pushes the value of a local (or parameter).', '$local');
word('local.set', '[t] → []', 'Sets a local (or parameter).', '$local');
word('local.tee', '[t] → [t]', 'Sets a local and keeps the value on the stack.', '$local');
word('global.get', '[] → [t]', 'Pushes the value of a global.', '$global');
word('global.set', '[t] → []', 'Sets a mutable global.', '$global');

// --- Numeric ---------------------------------------------------------------------------------------------
const intTypes = ['i32', 'i64'] as const;
const floatTypes = ['f32', 'f64'] as const;
for (const t of [...intTypes, ...floatTypes]) word(`${t}.const`, `[] → [${t}]`, `Pushes a constant ${t}.`, 'value');
const intBinary: Record<string, string> = {
  add: 'Adds, wrapping around on overflow.',
  sub: 'Subtracts, wrapping around on overflow.',
  mul: 'Multiplies, keeping the low bits.',
  div_s: 'Divides as signed integers, rounding toward zero; traps on division by zero or overflow.',
  div_u: 'Divides as unsigned integers; traps on division by zero.',
  rem_s: 'Remainder of signed division (the sign of the dividend); traps on division by zero.',
  rem_u: 'Remainder of unsigned division; traps on division by zero.',
  and: 'Bitwise and.',
  or: 'Bitwise or.',
  xor: 'Bitwise exclusive or.',
  shl: 'Shifts left by the second operand (modulo the bit width).',
  shr_s: 'Shifts right, copying the sign bit in.',
  shr_u: 'Shifts right, shifting zeros in.',
  rotl: 'Rotates left.',
  rotr: 'Rotates right.',
};
const intCompare: Record<string, string> = {
  eq: 'Equal: 1 or 0.',
  ne: 'Not equal: 1 or 0.',
  lt_s: 'Less than, signed: 1 or 0.',
  lt_u: 'Less than, unsigned: 1 or 0.',
  gt_s: 'Greater than, signed: 1 or 0.',
  gt_u: 'Greater than, unsigned: 1 or 0.',
  le_s: 'Less than or equal, signed: 1 or 0.',
  le_u: 'Less than or equal, unsigned: 1 or 0.',
  ge_s: 'Greater than or equal, signed: 1 or 0.',
  ge_u: 'Greater than or equal, unsigned: 1 or 0.',
};
for (const t of intTypes) {
  for (const [op, meaning] of Object.entries(intBinary)) def(`${t}.${op}`, [t, t], [t], meaning);
  for (const [op, meaning] of Object.entries(intCompare)) def(`${t}.${op}`, [t, t], ['i32'], meaning);
  def(`${t}.eqz`, [t], ['i32'], 'Is it zero: 1 or 0.');
  def(`${t}.clz`, [t], [t], 'Counts the leading zero bits.');
  def(`${t}.ctz`, [t], [t], 'Counts the trailing zero bits.');
  def(`${t}.popcnt`, [t], [t], 'Counts the one bits.');
  def(`${t}.extend8_s`, [t], [t], 'Sign-extends the low 8 bits.');
  def(`${t}.extend16_s`, [t], [t], 'Sign-extends the low 16 bits.');
}
def('i64.extend32_s', ['i64'], ['i64'], 'Sign-extends the low 32 bits.');
const floatBinary: Record<string, string> = {
  add: 'Adds (IEEE 754).',
  sub: 'Subtracts (IEEE 754).',
  mul: 'Multiplies (IEEE 754).',
  div: 'Divides (IEEE 754).',
  min: 'The smaller value; NaN if either is NaN, and -0 below +0.',
  max: 'The larger value; NaN if either is NaN, and +0 above -0.',
  copysign: 'The first value with the sign of the second.',
};
const floatUnary: Record<string, string> = {
  abs: 'Absolute value.',
  neg: 'Negates.',
  sqrt: 'Square root.',
  ceil: 'Rounds up to an integer.',
  floor: 'Rounds down to an integer.',
  trunc: 'Rounds toward zero to an integer.',
  nearest: 'Rounds to the nearest integer, ties to even.',
};
const floatCompare: Record<string, string> = {
  eq: 'Equal: 1 or 0 (NaN is equal to nothing).',
  ne: 'Not equal: 1 or 0.',
  lt: 'Less than: 1 or 0.',
  gt: 'Greater than: 1 or 0.',
  le: 'Less than or equal: 1 or 0.',
  ge: 'Greater than or equal: 1 or 0.',
};
for (const t of floatTypes) {
  for (const [op, meaning] of Object.entries(floatBinary)) def(`${t}.${op}`, [t, t], [t], meaning);
  for (const [op, meaning] of Object.entries(floatUnary)) def(`${t}.${op}`, [t], [t], meaning);
  for (const [op, meaning] of Object.entries(floatCompare)) def(`${t}.${op}`, [t, t], ['i32'], meaning);
}
def('i32.wrap_i64', ['i64'], ['i32'], 'Keeps the low 32 bits.');
def('i64.extend_i32_s', ['i32'], ['i64'], 'Widens, copying the sign.');
def('i64.extend_i32_u', ['i32'], ['i64'], 'Widens with zeros.');
for (const to of intTypes) {
  for (const from of floatTypes) {
    for (const sign of ['s', 'u'] as const) {
      const kind = sign === 's' ? 'signed' : 'unsigned';
      def(
        `${to}.trunc_${from}_${sign}`,
        [from],
        [to],
        `Converts to a ${kind} integer, rounding toward zero; traps on NaN or out of range.`,
      );
      def(
        `${to}.trunc_sat_${from}_${sign}`,
        [from],
        [to],
        `Converts to a ${kind} integer, rounding toward zero; NaN gives 0, out of range gives the nearest bound.`,
      );
      def(`${from}.convert_${to}_${sign}`, [to], [from], `Converts a ${kind} integer to the nearest ${from}.`);
    }
  }
}
def('f32.demote_f64', ['f64'], ['f32'], 'Rounds to the nearest f32.');
def('f64.promote_f32', ['f32'], ['f64'], 'Widens exactly.');
def('i32.reinterpret_f32', ['f32'], ['i32'], 'The same 32 bits read as an integer.');
def('i64.reinterpret_f64', ['f64'], ['i64'], 'The same 64 bits read as an integer.');
def('f32.reinterpret_i32', ['i32'], ['f32'], 'The same 32 bits read as a float.');
def('f64.reinterpret_i64', ['i64'], ['f64'], 'The same 64 bits read as a float.');

// --- Memory ----------------------------------------------------------------------------------------------
const memarg = '$memory? offset=N? align=N?';
const address = 'i32'; // i64 for memory64; the signature names the 32-bit form
for (const t of [...intTypes, ...floatTypes, 'v128'] as const) {
  def(`${t}.load`, [address], [t], `Loads a ${t} from linear memory at the address plus the offset; traps out of bounds.`, memarg);
  def(`${t}.store`, [address, t], [], `Stores a ${t} into linear memory at the address plus the offset; traps out of bounds.`, memarg);
}
for (const t of intTypes) {
  for (const bits of t === 'i32' ? [8, 16] : [8, 16, 32]) {
    def(`${t}.load${bits}_s`, [address], [t], `Loads ${bits} bits and sign-extends them.`, memarg);
    def(`${t}.load${bits}_u`, [address], [t], `Loads ${bits} bits and zero-extends them.`, memarg);
    def(`${t}.store${bits}`, [address, t], [], `Stores the low ${bits} bits.`, memarg);
  }
}
word('memory.size', '[] → [i32]', 'The memory size in pages (64 KiB each).', '$memory?');
word('memory.grow', '[i32] → [i32]', 'Grows the memory by some pages; gives the old size, or -1 when it cannot grow.', '$memory?');
word('memory.fill', '[i32 i32 i32] → []', 'Fills a byte range (destination, value, length); traps out of bounds.', '$memory?');
word('memory.copy', '[i32 i32 i32] → []', 'Copies a byte range (destination, source, length), overlapping or not.', '$memory? $memory?');
word(
  'memory.init',
  '[i32 i32 i32] → []',
  'Copies from a passive data segment into memory (destination, source offset, length).',
  '$memory? $data',
);
word('data.drop', '[] → []', 'Discards a passive data segment (its bytes can no longer be used).', '$data');

// --- Tables and references -------------------------------------------------------------------------------
word('table.get', '[i32] → [t]', 'Reads a table element; traps out of bounds.', '$table?');
word('table.set', '[i32 t] → []', 'Writes a table element; traps out of bounds.', '$table?');
word('table.size', '[] → [i32]', 'The table size in elements.', '$table?');
word('table.grow', '[t i32] → [i32]', 'Grows the table, filling with the value; gives the old size, or -1.', '$table?');
word('table.fill', '[i32 t i32] → []', 'Fills a range of the table with a value.', '$table?');
word('table.copy', '[i32 i32 i32] → []', 'Copies a range of elements between tables (destination, source, length).', '$table? $table?');
word('table.init', '[i32 i32 i32] → []', 'Copies from a passive element segment into a table.', '$table? $elem');
word('elem.drop', '[] → []', 'Discards a passive element segment.', '$elem');
word('ref.null', '[] → [(ref null ht)]', 'Pushes a null reference of a heap type.', 'heaptype');
word('ref.is_null', '[(ref null ht)] → [i32]', 'Is the reference null: 1 or 0.');
word('ref.func', '[] → [(ref $t)]', 'Pushes a reference to a function.', '$func');
word('ref.as_non_null', '[(ref null ht)] → [(ref ht)]', 'Traps on null; otherwise the same reference, typed non-null.');
word('ref.eq', '[eqref eqref] → [i32]', 'Are the two references the same: 1 or 0.');
word('ref.test', '[rt1] → [i32]', 'Does the reference cast to a type: 1 or 0.', 'reftype');
word('ref.cast', '[rt1] → [rt2]', 'Casts the reference to a type; traps when it does not cast.', 'reftype');
word('ref.i31', '[i32] → [(ref i31)]', 'Boxes the low 31 bits as an i31 reference.');
word('i31.get_s', '[(ref null i31)] → [i32]', 'Unboxes an i31, sign-extended; traps on null.');
word('i31.get_u', '[(ref null i31)] → [i32]', 'Unboxes an i31, zero-extended; traps on null.');
word('any.convert_extern', '[(ref null extern)] → [(ref null any)]', 'Turns an external reference into an internal one.');
word('extern.convert_any', '[(ref null any)] → [(ref null extern)]', 'Turns an internal reference into an external one.');

// --- GC: structs and arrays ------------------------------------------------------------------------------
word('struct.new', '[t*] → [(ref $t)]', 'Allocates a struct with its fields from the stack.', '$type');
word('struct.new_default', '[] → [(ref $t)]', 'Allocates a struct with default (zero or null) fields.', '$type');
word('struct.get', '[(ref null $t)] → [t]', 'Reads a field; traps on null.', '$type $field');
word('struct.get_s', '[(ref null $t)] → [i32]', 'Reads a packed (i8, i16) field, sign-extended; traps on null.', '$type $field');
word('struct.get_u', '[(ref null $t)] → [i32]', 'Reads a packed (i8, i16) field, zero-extended; traps on null.', '$type $field');
word('struct.set', '[(ref null $t) t] → []', 'Writes a mutable field; traps on null.', '$type $field');
word('array.new', '[t i32] → [(ref $t)]', 'Allocates an array of a length, every element the value.', '$type');
word('array.new_default', '[i32] → [(ref $t)]', 'Allocates an array of a length with default elements.', '$type');
word('array.new_fixed', '[t^n] → [(ref $t)]', 'Allocates an array of the n values on the stack.', '$type n');
word('array.new_data', '[i32 i32] → [(ref $t)]', 'Allocates an array from a data segment (offset, length).', '$type $data');
word('array.new_elem', '[i32 i32] → [(ref $t)]', 'Allocates an array from an element segment (offset, length).', '$type $elem');
word('array.get', '[(ref null $t) i32] → [t]', 'Reads an element; traps on null or out of bounds.', '$type');
word('array.get_s', '[(ref null $t) i32] → [i32]', 'Reads a packed element, sign-extended.', '$type');
word('array.get_u', '[(ref null $t) i32] → [i32]', 'Reads a packed element, zero-extended.', '$type');
word('array.set', '[(ref null $t) i32 t] → []', 'Writes an element of a mutable array.', '$type');
word('array.len', '[(ref null array)] → [i32]', 'The array length; traps on null.');
word('array.fill', '[(ref null $t) i32 t i32] → []', 'Fills a range of the array with a value.', '$type');
word('array.copy', '[(ref null $t1) i32 (ref null $t2) i32 i32] → []', 'Copies elements between arrays.', '$type $type');
word('array.init_data', '[(ref null $t) i32 i32 i32] → []', 'Copies from a data segment into the array.', '$type $data');
word('array.init_elem', '[(ref null $t) i32 i32 i32] → []', 'Copies from an element segment into the array.', '$type $elem');

// --- Threads: atomics ------------------------------------------------------------------------------------
word('memory.atomic.notify', '[i32 i32] → [i32]', 'Wakes up to n threads waiting at the address; gives how many woke.', memarg);
def(
  'memory.atomic.wait32',
  [address, 'i32', 'i64'],
  ['i32'],
  'Waits while the i32 at the address equals the value, up to a timeout in ns: 0 woken, 1 not equal, 2 timed out.',
  memarg,
);
def(
  'memory.atomic.wait64',
  [address, 'i64', 'i64'],
  ['i32'],
  'Waits while the i64 at the address equals the value, up to a timeout in ns: 0 woken, 1 not equal, 2 timed out.',
  memarg,
);
def('atomic.fence', [], [], 'Orders memory accesses: none moves across it.');
const rmw: Record<string, string> = { add: 'adds', sub: 'subtracts', and: 'ands', or: 'ors', xor: 'xors', xchg: 'swaps in' };
for (const t of intTypes) {
  for (const bits of [undefined, 8, 16, ...(t === 'i64' ? [32] : [])]) {
    const width = bits === undefined ? '' : `${bits}`;
    const suffix = bits === undefined ? '' : '_u';
    const what = bits === undefined ? `the ${t}` : `${bits} bits`;
    def(`${t}.atomic.load${width}${suffix}`, [address], [t], `Atomically loads ${what}.`, memarg);
    def(`${t}.atomic.store${width}`, [address, t], [], `Atomically stores ${what}.`, memarg);
    for (const [op, verb] of Object.entries(rmw)) {
      def(
        `${t}.atomic.rmw${width}.${op}${suffix}`,
        [address, t],
        [t],
        `Atomically ${verb} ${what} at the address; gives the old value.`,
        memarg,
      );
    }
    def(
      `${t}.atomic.rmw${width}.cmpxchg${suffix}`,
      [address, t, t],
      [t],
      `Atomically replaces ${what} when it equals the expected value; gives the old value.`,
      memarg,
    );
  }
}

// --- SIMD (v128) ------------------------------------------------------------------------------------------
const lanes = { i8x16: 'i32', i16x8: 'i32', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64' } as const;
word('v128.const', '[] → [v128]', 'Pushes a 128-bit constant.', 'shape values');
def('v128.not', ['v128'], ['v128'], 'Bitwise not.');
def('v128.and', ['v128', 'v128'], ['v128'], 'Bitwise and.');
def('v128.andnot', ['v128', 'v128'], ['v128'], 'Bitwise and of the first with the not of the second.');
def('v128.or', ['v128', 'v128'], ['v128'], 'Bitwise or.');
def('v128.xor', ['v128', 'v128'], ['v128'], 'Bitwise exclusive or.');
def('v128.bitselect', ['v128', 'v128', 'v128'], ['v128'], 'Takes bits from the first where the mask is 1, from the second where it is 0.');
def('v128.any_true', ['v128'], ['i32'], 'Is any bit set: 1 or 0.');
def('i8x16.shuffle', ['v128', 'v128'], ['v128'], 'Picks 16 bytes from the two vectors by the 16 lane indices.');
def('i8x16.swizzle', ['v128', 'v128'], ['v128'], 'Picks bytes of the first vector by the indices in the second (0 when out of range).');
for (const [shape, scalar] of Object.entries(lanes)) {
  const isFloat = shape.startsWith('f');
  def(`${shape}.splat`, [scalar], ['v128'], `A vector with every ${shape} lane set to the value.`);
  const extract = isFloat || shape === 'i32x4' || shape === 'i64x2' ? ['extract_lane'] : ['extract_lane_s', 'extract_lane_u'];
  for (const op of extract)
    def(
      `${shape}.${op}`,
      ['v128'],
      [scalar],
      `Reads one lane${op.endsWith('_s') ? ', sign-extended' : op.endsWith('_u') ? ', zero-extended' : ''}.`,
      'lane',
    );
  def(`${shape}.replace_lane`, ['v128', scalar], ['v128'], 'The vector with one lane replaced.', 'lane');
  def(`${shape}.add`, ['v128', 'v128'], ['v128'], `Adds lane by lane (${shape}).`);
  def(`${shape}.sub`, ['v128', 'v128'], ['v128'], `Subtracts lane by lane (${shape}).`);
  if (shape !== 'i8x16') def(`${shape}.mul`, ['v128', 'v128'], ['v128'], `Multiplies lane by lane (${shape}).`);
  def(`${shape}.neg`, ['v128'], ['v128'], `Negates each lane (${shape}).`);
  def(`${shape}.eq`, ['v128', 'v128'], ['v128'], 'Each lane all ones where equal, else zero.');
  def(`${shape}.ne`, ['v128', 'v128'], ['v128'], 'Each lane all ones where not equal, else zero.');
  for (const cmp of isFloat ? ['lt', 'gt', 'le', 'ge'] : ['lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']) {
    if (shape === 'i64x2' && cmp.endsWith('_u')) continue;
    def(
      `${shape}.${cmp}`,
      ['v128', 'v128'],
      ['v128'],
      `Each lane all ones where ${cmp.replace(/_[su]$/, '')} holds${cmp.endsWith('_s') ? ' (signed)' : cmp.endsWith('_u') ? ' (unsigned)' : ''}, else zero.`,
    );
  }
  if (isFloat) {
    for (const [op, meaning] of Object.entries({
      ...floatUnary,
      div: 'Divides',
      min: 'The smaller',
      max: 'The larger',
      pmin: 'The smaller, as `b < a ? b : a`',
      pmax: 'The larger, as `a < b ? b : a`',
    })) {
      def(`${shape}.${op}`, op in floatUnary ? ['v128'] : ['v128', 'v128'], ['v128'], `${meaning.replace(/\.$/, '')}, lane by lane.`);
    }
  } else {
    def(`${shape}.abs`, ['v128'], ['v128'], 'Absolute value of each lane.');
    def(`${shape}.all_true`, ['v128'], ['i32'], 'Are all lanes non-zero: 1 or 0.');
    def(`${shape}.bitmask`, ['v128'], ['i32'], 'The top bit of each lane, gathered into an integer.');
    for (const op of ['shl', 'shr_s', 'shr_u'])
      def(
        `${shape}.${op}`,
        ['v128', 'i32'],
        ['v128'],
        `Shifts each lane ${op === 'shl' ? 'left' : 'right'}${op === 'shr_s' ? ', copying the sign' : ''}.`,
      );
  }
}
for (const shape of ['i8x16', 'i16x8', 'i32x4'] as const) {
  for (const op of ['min_s', 'min_u', 'max_s', 'max_u'])
    def(
      `${shape}.${op}`,
      ['v128', 'v128'],
      ['v128'],
      `The ${op.startsWith('min') ? 'smaller' : 'larger'} of each pair of lanes (${op.endsWith('_s') ? 'signed' : 'unsigned'}).`,
    );
}
for (const shape of ['i8x16', 'i16x8'] as const) {
  for (const op of ['add_sat_s', 'add_sat_u', 'sub_sat_s', 'sub_sat_u'])
    def(
      `${shape}.${op}`,
      ['v128', 'v128'],
      ['v128'],
      `${op.startsWith('add') ? 'Adds' : 'Subtracts'} lane by lane, saturating (${op.endsWith('_s') ? 'signed' : 'unsigned'}).`,
    );
  def(`${shape}.avgr_u`, ['v128', 'v128'], ['v128'], 'Rounded average of each pair of lanes (unsigned).');
}
def('i8x16.popcnt', ['v128'], ['v128'], 'Counts the one bits of each byte.');
def('v128.load8_splat', [address], ['v128'], 'Loads 8 bits into every lane.', memarg);
def('v128.load16_splat', [address], ['v128'], 'Loads 16 bits into every lane.', memarg);
def('v128.load32_splat', [address], ['v128'], 'Loads 32 bits into every lane.', memarg);
def('v128.load64_splat', [address], ['v128'], 'Loads 64 bits into every lane.', memarg);
def('v128.load32_zero', [address], ['v128'], 'Loads 32 bits into the first lane, zeros elsewhere.', memarg);
def('v128.load64_zero', [address], ['v128'], 'Loads 64 bits into the first lane, zeros elsewhere.', memarg);
for (const [name, bits] of [
  ['v128.load8x8_s', 8],
  ['v128.load8x8_u', 8],
  ['v128.load16x4_s', 16],
  ['v128.load16x4_u', 16],
  ['v128.load32x2_s', 32],
  ['v128.load32x2_u', 32],
] as const) {
  def(
    name,
    [address],
    ['v128'],
    `Loads 64 bits and widens each ${bits}-bit value to twice its width (${name.endsWith('_s') ? 'signed' : 'unsigned'}).`,
    memarg,
  );
}
for (const bits of [8, 16, 32, 64]) {
  def(`v128.load${bits}_lane`, [address, 'v128'], ['v128'], `Loads ${bits} bits into one lane.`, `${memarg} lane`);
  def(`v128.store${bits}_lane`, [address, 'v128'], [], `Stores one ${bits}-bit lane.`, `${memarg} lane`);
}

/** What `name` does, when it is an instruction. */
export function instructionInfo(name: string): InstructionInfo | undefined {
  return table.get(name);
}

/** Every instruction described, by name. */
export function describedInstructions(): string[] {
  return [...table.keys()];
}
