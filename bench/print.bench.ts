// Print benchmark (part of `npm run bench`): opening large real modules as WAT the way the editor does
// (printWat with the default budget, in its worker) and printing them in full (`print --full`), on SQLite built
// by scripts/test-tools/sqlite-wasm: a 23.6 MB debug build (DWARF with its C sources embedded, issue 10 asks for a
// module of 21 MB or more) and a 10.5 MB release build, both carrying the amalgamation as a data segment. While the
// worker prints, the calling thread's longest stall is measured per mode: the editor must never freeze for more
// than 100 ms. Target: a large module opens in ≤ 2 s.
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
  const runs = { open: 5, full: 2 };
  const rows: string[][] = [];
  let worstOpen = 0;
  const worstStall = { open: 0, full: 0 };
  let largest = 0;
  console.log(`\nPrint: Wasm → WAT of large real programs, ${runs.open} opens and ${runs.full} full prints of each after a warm-up`);
  for (const file of ['sqlite-debug.wasm', 'sqlite.wasm']) {
    const path = sqliteBuild(file);
    if (!path) {
      console.log(`  SKIPPED  ${file}: not built (bash scripts/setup-tests.sh builds it)`);
      continue;
    }
    const bytes = new Uint8Array(readFileSync(path));
    const size = `${(statSync(path).size / (1024 * 1024)).toFixed(1)} MB`;
    largest = Math.max(largest, statSync(path).size);
    for (const full of [false, true]) {
      await timed(bytes, full);
      const samples: number[] = [];
      let stall = 0;
      let chars = 0;
      for (let i = 0; i < (full ? runs.full : runs.open); i++) {
        const r = await timed(bytes, full);
        samples.push(r.elapsed);
        stall = Math.max(stall, r.stall);
        chars = r.chars;
      }
      const s = stats(samples);
      if (!full) worstOpen = Math.max(worstOpen, s.median);
      const mode = full ? 'full' : 'open';
      worstStall[mode] = Math.max(worstStall[mode], stall);
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
  const verdict = (met: boolean) => (met ? '  MET    ' : '  MISSED ');
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  console.log(`${verdict(largest >= 21 * 1024 * 1024)} the largest module printed is ≥ 21 MB (issue 10): ${mb(largest)}`);
  console.log(`${verdict(worstOpen <= 2000)} a large module opens as WAT in ≤ 2 s: ${ms(worstOpen)}`);
  for (const [mode, label] of [
    ['open', 'opening (the editor)'],
    ['full', 'print --full'],
  ] as const)
    console.log(`${verdict(worstStall[mode] <= 100)} the calling thread never stalls > 100 ms while ${label}: ${ms(worstStall[mode])}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
