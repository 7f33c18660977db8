// Print benchmark (part of `npm run bench`): opening large real modules as WAT the way the editor does
// (printWat with the default budget, in its worker) and printing them in full (`print --full`), on SQLite built
// by scripts/test-tools/sqlite-wasm. While the worker prints, the calling thread's longest stall is measured:
// the editor must never freeze for more than 100 ms. Target: a large module opens in ≤ 2 s.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { printWat, printWatUtf8 } from '../src/core/compile';
import { testToolCachedPath } from '../test/support/test-tools';
import { ms, stats, table } from './stats';

function sqliteBuild(file: string): string | undefined {
  const path = testToolCachedPath('sqlite-wasm', file);
  return existsSync(path) ? path : undefined;
}

async function timed(bytes: Uint8Array, full: boolean): Promise<{ elapsed: number; stall: number; chars: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  // The histogram records the gap between two of its ticks, so it must have ticked once before the call starts:
  // otherwise the call's synchronous start (starting the worker, handing it the binary) goes unmeasured.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const start = performance.now();
  // The editor opens the budgeted text as a string; --full (the CLI, Save as WAT) takes UTF-8 bytes for a file.
  const size = full ? (await printWatUtf8(bytes, { full })).utf8.length : (await printWat(bytes)).text.length;
  const elapsed = performance.now() - start;
  delay.disable();
  return { elapsed, stall: delay.max / 1e6, chars: size };
}

async function main(): Promise<void> {
  const runs = 5;
  const rows: string[][] = [];
  let worstOpen = 0;
  let worstStall = 0;
  console.log(`\nPrint: Wasm → WAT of large real programs, ${runs} runs each after a warm-up`);
  for (const file of ['sqlite-debug.wasm', 'sqlite.wasm']) {
    const path = sqliteBuild(file);
    if (!path) {
      console.log(`  SKIPPED  ${file}: not built (bash scripts/setup-tests.sh builds it)`);
      continue;
    }
    const bytes = new Uint8Array(readFileSync(path));
    const size = `${(statSync(path).size / (1024 * 1024)).toFixed(1)} MB`;
    for (const full of [false, true]) {
      await timed(bytes, full);
      const samples: number[] = [];
      let stall = 0;
      let chars = 0;
      for (let i = 0; i < (full ? 2 : runs); i++) {
        const r = await timed(bytes, full);
        samples.push(r.elapsed);
        stall = Math.max(stall, r.stall);
        chars = r.chars;
      }
      const s = stats(samples);
      if (!full) worstOpen = Math.max(worstOpen, s.median);
      worstStall = Math.max(worstStall, stall);
      rows.push([
        `${file} (${size})`,
        full ? 'print --full (UTF-8 bytes)' : 'open (default budget, string)',
        `${(chars / 1e6).toFixed(1)} M ${full ? 'bytes' : 'chars'}`,
        ms(s.median),
        ms(stall),
      ]);
    }
  }
  console.log(table(['module', 'mode', 'text', 'median', 'longest stall of the caller'], rows));
  if (!rows.length) return;
  console.log(`${worstOpen <= 2000 ? '  MET    ' : '  MISSED '} a large module opens as WAT in ≤ 2 s: ${ms(worstOpen)}`);
  console.log(
    `${worstStall <= 100 ? '  MET    ' : '  MISSED '} the calling thread never stalls > 100 ms while printing: ${ms(worstStall)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
