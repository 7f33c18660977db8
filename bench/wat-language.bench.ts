// WAT language benchmark (part of `npm run bench`): reading a WAT text for the editor (outline and names, and
// folding; what happens once per document version) against wabt.js parsing the same text in the same run, for a
// 1 MiB file and a 10 MiB one (a binary printed as WAT can be that large). Target: at most 2× wabt's parse.
import { parseWat, watFolding, watSymbols } from '../src/core/wat';
import { wabtWat2Wasm } from '../test/fixtures/tools';
import { ms, ratio, size, stats, table } from './stats';

/** Functions with params, locals, labels and calls: every kind of name the editor resolves. */
function synthesize(targetBytes: number): { text: string; functions: number } {
  const parts = ['(module $bench', '  (memory $mem (export "memory") 1)', '  (global $total (mut i32) (i32.const 0))'];
  let length = parts.join('\n').length;
  let n = 0;
  while (length < targetBytes) {
    const f = `  (func $f${n} (export "f${n}") (param $a i32) (param $b i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $b)))
        (global.set $total (i32.add (global.get $total) (i32.load $mem (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ${n > 0 ? `(call $f${n - 1} (local.get $a) (local.get $i))` : '(local.get $a)'})`;
    parts.push(f);
    length += f.length + 1;
    n++;
  }
  parts.push(')');
  return { text: parts.join('\n') + '\n', functions: n };
}

async function measure(targetBytes: number, runs: number): Promise<number> {
  const { text, functions } = synthesize(targetBytes);
  const ours: number[] = [];
  let names = 0;
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    const syntax = parseWat(text);
    const symbols = watSymbols(text, syntax);
    watFolding(text, syntax);
    if (i >= 2) ours.push(performance.now() - start);
    names = symbols.occurrences.length;
    if (symbols.outline[0]?.children.length !== functions * 2 + 3)
      throw new Error(`the outline has ${symbols.outline[0]?.children.length} entries, expected ${functions * 2 + 3}`);
  }
  const theirs: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    await wabtWat2Wasm('bench.wat', text, { multi_memory: true });
    if (i >= 2) theirs.push(performance.now() - start);
  }
  const r = stats(ours).median / stats(theirs).median;
  console.log(`\nWAT language: ${size(text.length)} of WAT, ${functions} functions, ${names} $names, ${runs} runs each after warm-up`);
  console.log(
    table(
      ['reading', 'median', 'p90'],
      [
        ['outline, names and folding (core/wat)', ms(stats(ours).median), ms(stats(ours).p90)],
        ['wabt.js parse and encode (peer)', ms(stats(theirs).median), ms(stats(theirs).p90)],
      ],
    ),
  );
  console.log(`${r <= 2 ? '  MET    ' : '  MISSED '} editor reading ≤ 2× wabt.js: ${ratio(r)}`);
  return r;
}

async function main(): Promise<void> {
  await measure(1024 * 1024, 10);
  await measure(10 * 1024 * 1024, 3);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
