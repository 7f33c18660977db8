// Compile benchmark (part of `npm run bench`): WAT → Wasm of a ~1 MB WAT file in process (compileWat:
// wasm-tools parse and V8 validation, in a Node 24 child when this Node's V8 lacks Wasm 3.0) against Debian's
// native `wat2wasm` on the same file in the same run. Target: at most 1.5× native.
// Both outputs are checked to be valid binaries with the same exports before anything is reported.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memorySource, readBinary } from '../src/core/binary';
import { compileWat } from '../src/core/compile';
import { nativeTool, repoRoot } from '../test/fixtures/tools';
import { ms, ratio, stats, table, timeProcess } from './stats';

/** A realistic WAT file: many small functions with locals, control flow, memory access and calls. */
function synthesizeWat(targetBytes: number): { text: string; functions: number } {
  const parts = ['(module $bench', '  (memory (export "memory") 1)', '  (global $counter (mut i32) (i32.const 0))'];
  let size = parts.join('\n').length;
  let n = 0;
  while (size < targetBytes) {
    const f = `  (func $f${n} (export "f${n}") (param $a i32) (param $b i32) (result i32)
    (local $i i32) (local $acc i32)
    (local.set $acc (local.get $a))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $b)))
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.load (i32.and (local.get $i) (i32.const 0xfffc)))))
        (i32.store (i32.const ${(n * 4) & 0xfffc}) (local.get $acc))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    ${n > 0 ? `(i32.xor (local.get $acc) (call $f${n - 1} (local.get $b) (i32.const 0)))` : '(local.get $acc)'})`;
    parts.push(f);
    size += f.length + 1;
    n++;
  }
  parts.push(')');
  return { text: parts.join('\n') + '\n', functions: n };
}

async function main(): Promise<void> {
  const runs = 15;
  const dir = join(repoRoot(), '.test-output', 'bench');
  mkdirSync(dir, { recursive: true });
  const { text, functions } = synthesizeWat(1024 * 1024);
  const watPath = join(dir, 'compile-1mb.wat');
  const nativeOut = join(dir, 'compile-1mb.native.wasm');
  writeFileSync(watPath, text);
  console.log(
    `\nCompile: WAT → Wasm of ${watPath.replace(repoRoot() + '/', '')} (${(text.length / 1024).toFixed(0)} KiB, ${functions} functions), ${runs} runs each after warm-up`,
  );

  const inProcess: number[] = [];
  let bytes: Uint8Array | undefined;
  for (let i = 0; i < runs + 3; i++) {
    const start = performance.now();
    const result = await compileWat(text, { fileName: watPath });
    const elapsed = performance.now() - start;
    if (!result.ok) throw new Error(`compileWat failed: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
    if (i >= 3) inProcess.push(elapsed);
    bytes = result.bytes;
  }
  const ours = await readBinary(memorySource(bytes!));
  if (ours.kind !== 'module' || ours.exports.length !== functions + 1)
    throw new Error(`compileWat output has ${ours.exports.length} exports, expected ${functions + 1}`);

  const wat2wasm = nativeTool('wat2wasm');
  const rows = [[`compileWat (wasm-tools + V8, Node ${process.versions.node})`, ms(stats(inProcess).median), ms(stats(inProcess).p90)]];
  let native;
  if (wat2wasm) {
    const samples: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const { ms: elapsed } = timeProcess(wat2wasm, ['--enable-all', watPath, '-o', nativeOut], false);
      if (i > 0) samples.push(elapsed);
    }
    const theirs = await readBinary(memorySource(readFileSync(nativeOut)));
    if (theirs.exports.length !== ours.exports.length) throw new Error('native wat2wasm output differs in exports');
    native = stats(samples);
    rows.push([`${wat2wasm} --enable-all (whole process)`, ms(native.median), ms(native.p90)]);
  }
  console.log(table(['engine', 'median', 'p90'], rows));
  if (!native) {
    console.log('  SKIPPED  ratio: native wat2wasm is not installed (apt-get install wabt)');
    return;
  }
  const r = stats(inProcess).median / native.median;
  console.log(
    `${r <= 1.5 ? '  MET    ' : '  MISSED '} compile ≤ 1.5× native wat2wasm: ${ratio(r)} (${ms(stats(inProcess).median)} vs ${ms(native.median)})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
