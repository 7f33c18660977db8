// Run benchmark (part of `npm run bench`): `wasm-workbench run FILE` as a whole process, from start to exit,
// as a user types it: the C hello world as a preview1 module (with bubblewrap, the default where it works, and
// with the WASI layer alone), and the same program as a WASI 0.2 component (preview1 adapter), first with an
// empty transpile cache, then cached; beside it the reference, `wasmtime run`, and Node's own start-up, in the
// same run. Then the WASI testsuite's 72 preview1 programs end to end, builtin against wasmtime.
// Targets: module ≤ 150 ms; cached component ≤ 2× the module.
// Every run's output is checked; a run that fails or prints anything else stops the benchmark.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '../test/fixtures';
import { repoRoot } from '../test/fixtures/tools';
import { unpackConformance } from '../test/support/conformance';
import { testToolPath } from '../test/support/test-tools';
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
  const wasmtime = testToolPath('wasmtime', 'bin/wasmtime');
  const runOnce = (file: string, flags: string[] = []): number => {
    const { ms: elapsed, stdout } = timeProcess(process.execPath, [cli, 'run', ...flags, file], true);
    if (stdout !== 'hello, world\n') throw new Error(`${file} printed ${JSON.stringify(stdout)}`);
    return elapsed;
  };
  const wasmtimeOnce = (file: string): number => {
    const { ms: elapsed, stdout } = timeProcess(wasmtime, ['run', file], true);
    if (stdout !== 'hello, world\n') throw new Error(`wasmtime: ${file} printed ${JSON.stringify(stdout)}`);
    return elapsed;
  };

  console.log(
    `\nRun: \`node dist/cli.js run FILE\` start to exit, C hello world, median of ${runs} runs (${coldRuns} for an empty cache) after a warm-up`,
  );
  const node: number[] = [];
  const modules: number[] = [];
  const layerOnly: number[] = [];
  const cached: number[] = [];
  const cold: number[] = [];
  const reference: number[] = [];
  const referenceComponent: number[] = [];

  const cache = mkdtempSync(join(work, 'cache-'));
  useCache(cache);
  runOnce(module);
  runOnce(component); // fills the cache
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that a slow moment of the machine does not land on one case only.
    node.push(timeProcess(process.execPath, ['-e', '0'], false).ms);
    modules.push(runOnce(module));
    layerOnly.push(runOnce(module, ['--sandbox', 'none']));
    cached.push(runOnce(component));
    reference.push(wasmtimeOnce(module));
    referenceComponent.push(wasmtimeOnce(component));
  }
  for (let i = 0; i < coldRuns; i++) {
    const empty = mkdtempSync(join(work, 'empty-'));
    useCache(empty);
    cold.push(runOnce(component));
    rmSync(empty, { recursive: true, force: true });
  }
  rmSync(cache, { recursive: true, force: true });

  const row = (name: string, s: Stats) => [name, ms(s.median), ms(s.p90), ms(s.min), ms(s.max)];
  const [n, m, l, c, f, w, wc] = [
    stats(node),
    stats(modules),
    stats(layerOnly),
    stats(cached),
    stats(cold),
    stats(reference),
    stats(referenceComponent),
  ];
  console.log(
    table(
      ['case', 'median', 'p90', 'min', 'max'],
      [
        row('node -e 0 (Node start-up alone)', n),
        row('preview1 module (builtin host, bubblewrap)', m),
        row('preview1 module (builtin host, WASI layer alone)', l),
        row('component, transpile cache empty (jco)', f),
        row('component, cached transpile', c),
        row('wasmtime run, module (reference)', w),
        row('wasmtime run, component (reference)', wc),
      ],
    ),
  );
  console.log(`  module: ${ratio(m.median / w.median)} wasmtime's time; component: ${ratio(c.median / wc.median)}`);
  const r = c.median / m.median;
  const targets = [
    { met: m.median <= 150, text: `module start to exit ≤ 150 ms: ${ms(m.median)}` },
    { met: r <= 2, text: `cached component ≤ 2× the module: ${ratio(r)} (${ms(c.median)} vs ${ms(m.median)})` },
  ];
  for (const t of targets) console.log(`${t.met ? '  MET    ' : '  MISSED '} ${t.text}`);
  console.log(`  (first run of a component, transpiling it: ${ms(f.median)}, ${ratio(f.median / c.median)} the cached run)`);

  testsuiteWallTime(cli, wasmtime, work);
}

/** The WASI testsuite's preview1 programs, one after another, through each runtime: the whole suite's wall time. */
function testsuiteWallTime(cli: string, wasmtime: string, work: string): void {
  const suite = mkdtempSync(join(work, 'wasi-testsuite-'));
  cpSync(join(unpackConformance('wasi-testsuite-p1'), 'tests'), join(suite, 'tests'), { recursive: true });
  const tests = readdirSync(join(suite, 'tests')).flatMap((language) => {
    const dir = join(suite, 'tests', language, 'testsuite', 'wasm32-wasip1');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => ({ dir, file: f }));
  });
  const spec = (dir: string, file: string) => {
    const path = join(dir, file.replace(/\.wasm$/, '.json'));
    return (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}) as {
      args?: string[];
      env?: Record<string, string>;
      root?: string;
      exit_code?: number;
    };
  };
  const suiteTime = (runner: 'builtin' | 'wasmtime') => {
    const started = performance.now();
    for (const { dir, file } of tests) {
      const s = spec(dir, file);
      const flags = [
        ...Object.entries(s.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
        ...(s.root ? ['--dir', `${s.root}::/`] : []),
      ];
      const [command, args] =
        runner === 'builtin'
          ? [process.execPath, [cli, 'run', ...flags, file, '--', ...(s.args ?? [])]]
          : [wasmtime, ['run', ...flags, file, ...(s.args ?? [])]];
      const result = spawnSync(command, args as string[], { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
      if (result.status !== (s.exit_code ?? 0)) throw new Error(`${runner}: ${file} exited with ${result.status}`);
      const scratch = join(dir, 'fs-tests.dir');
      if (existsSync(scratch))
        for (const entry of readdirSync(scratch).filter((e) => e.endsWith('.cleanup')))
          rmSync(join(scratch, entry), { recursive: true, force: true });
    }
    return performance.now() - started;
  };
  const builtin = suiteTime('builtin');
  const reference = suiteTime('wasmtime');
  rmSync(suite, { recursive: true, force: true });
  console.log(
    `\nWASI testsuite, ${tests.length} preview1 programs one after another: builtin ${ms(builtin)}, wasmtime ${ms(reference)} (${ratio(builtin / reference)})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
