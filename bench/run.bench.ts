// Run benchmark (part of `npm run bench`): `wasm-workbench run FILE` as a whole process, from start to exit,
// as a user types it: the C hello world as a preview1 module, and the same program as a WASI 0.2 component
// (preview1 adapter), first with an empty transpile cache, then cached. Node's own start-up is measured in
// the same run for scale. Targets: module ≤ 150 ms; cached component ≤ 2× the module.
// Every run's output is checked; a run that fails or prints anything else stops the benchmark.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '../test/fixtures';
import { repoRoot } from '../test/fixtures/tools';
import { ms, ratio, stats, table, timeProcess, type Stats } from './stats';

async function main(): Promise<void> {
  const runs = 10;
  const coldRuns = 5;
  const cli = join(repoRoot(), 'dist', 'cli.js');
  const work = join(repoRoot(), '.test-output', 'bench', 'run');
  mkdirSync(work, { recursive: true });
  const module = await fixturePath('preview1-command');
  const component = await fixturePath('component-command');

  // The CLI caches transpiled components under $XDG_CACHE_HOME/wasm-workbench; children inherit this.
  const useCache = (dir: string) => (process.env.XDG_CACHE_HOME = dir);
  const runOnce = (file: string): number => {
    const { ms: elapsed, stdout } = timeProcess(process.execPath, [cli, 'run', file], true);
    if (stdout !== 'hello, world\n') throw new Error(`${file} printed ${JSON.stringify(stdout)}`);
    return elapsed;
  };

  console.log(`\nRun: \`node dist/cli.js run FILE\` start to exit, C hello world, median of ${runs} runs (${coldRuns} for an empty cache) after a warm-up`);
  const node: number[] = [];
  const modules: number[] = [];
  const cached: number[] = [];
  const cold: number[] = [];

  const cache = mkdtempSync(join(work, 'cache-'));
  useCache(cache);
  runOnce(module);
  runOnce(component); // fills the cache
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that a slow moment of the machine does not land on one case only.
    node.push(timeProcess(process.execPath, ['-e', '0'], false).ms);
    modules.push(runOnce(module));
    cached.push(runOnce(component));
  }
  for (let i = 0; i < coldRuns; i++) {
    const empty = mkdtempSync(join(work, 'empty-'));
    useCache(empty);
    cold.push(runOnce(component));
    rmSync(empty, { recursive: true, force: true });
  }
  rmSync(cache, { recursive: true, force: true });

  const row = (name: string, s: Stats) => [name, ms(s.median), ms(s.p90), ms(s.min), ms(s.max)];
  const [n, m, c, f] = [stats(node), stats(modules), stats(cached), stats(cold)];
  console.log(
    table(
      ['case', 'median', 'p90', 'min', 'max'],
      [
        row('node -e 0 (Node start-up alone)', n),
        row('preview1 module (node:wasi)', m),
        row('component, transpile cache empty (jco)', f),
        row('component, cached transpile', c),
      ],
    ),
  );
  const r = c.median / m.median;
  const targets = [
    { met: m.median <= 150, text: `module start to exit ≤ 150 ms: ${ms(m.median)}` },
    { met: r <= 2, text: `cached component ≤ 2× the module: ${ratio(r)} (${ms(c.median)} vs ${ms(m.median)})` },
  ];
  for (const t of targets) console.log(`${t.met ? '  MET    ' : '  MISSED '} ${t.text}`);
  console.log(`  (first run of a component, transpiling it: ${ms(f.median)}, ${ratio(f.median / c.median)} the cached run)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
