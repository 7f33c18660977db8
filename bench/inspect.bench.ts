// Inspect benchmark: `npm run bench` (builds, then runs node out/bench/inspect.bench.js).
//
// Synthesises two core modules with identical imports and exports and 1 MiB vs 100 MiB of code in
// .test-output/bench/, then measures in one run:
//   - in process: inspectFile(path) (median and p90 after warm-up), and how many bytes it read;
//   - whole processes: `node dist/cli.js inspect FILE --json` beside `wasm-objdump -x FILE > /dev/null`.
// It prints a table and whether each target was met. Missing a target does not fail the process;
// an error (a bad synthesised file, a failing CLI, a wrong report) does.
//
// Options: --runs=N (in-process runs, default 30), --cli-runs=N (default 10), --json=FILE (results).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { inspectFile } from '../src/core/inspect';
import { nativeTool, repoRoot } from '../test/fixtures/tools';
import { wasm } from '../test/fixtures/wasm-api';
import { MiB, ms, pct, ratio, size, stats, table, timeProcess, type Stats } from './stats';
import { BENCH_EXPORTS, BENCH_IMPORT_COUNT, synthesizeModule, type SynthesizedModule } from './synthesize';

interface Options {
  runs: number;
  warmup: number;
  cliRuns: number;
  json?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 30, warmup: 5, cliRuns: 10 };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=') as [string, string | undefined];
    const n = Number(value);
    if (key === 'runs' && n > 0) options.runs = n;
    else if (key === 'warmup' && n >= 0) options.warmup = n;
    else if (key === 'cli-runs' && n > 0) options.cliRuns = n;
    else if (key === 'json' && value) options.json = value;
    else throw new Error(`unknown option ${arg} (use --runs=N --warmup=N --cli-runs=N --json=FILE)`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

// ---------------------------------------------------------------------------------------------
// Checks on the synthesised files (errors fail the bench)

function checkWithV8(file: SynthesizedModule): void {
  const bytes = readFileSync(file.path);
  if (!wasm.validate(bytes)) throw new Error(`${file.path}: WebAssembly.validate says the synthesised module is invalid`);
  const module = new wasm.Module(bytes);
  const imports = wasm.Module.imports(module);
  const exports = wasm.Module.exports(module).map((e) => e.name);
  if (imports.length !== BENCH_IMPORT_COUNT)
    throw new Error(`${file.path}: V8 sees ${imports.length} imports, expected ${BENCH_IMPORT_COUNT}`);
  if (exports.join() !== BENCH_EXPORTS.join())
    throw new Error(`${file.path}: V8 sees exports ${exports.join()}, expected ${BENCH_EXPORTS.join()}`);
}

/** Debian's native wasm-objdump: the peer. `npm run` would otherwise find the npm wabt package's JS build first. */
const objdumpPath = nativeTool('wasm-objdump');

/** `wasm-objdump -h` must see the code section we meant to write (count and size). */
function checkWithObjdump(file: SynthesizedModule): void {
  const r = spawnSync(objdumpPath!, ['-h', file.path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wasm-objdump -h ${file.path} failed: ${r.stderr}`);
  const code = /Code start=0x[0-9a-f]+ end=0x[0-9a-f]+ \(size=0x([0-9a-f]+)\) count: (\d+)/.exec(r.stdout);
  if (!code) throw new Error(`wasm-objdump -h ${file.path} shows no code section:\n${r.stdout}`);
  const [codeSize, count] = [parseInt(code[1]!, 16), Number(code[2])];
  if (codeSize !== file.codeSectionSize || count !== file.functionCount) {
    throw new Error(
      `wasm-objdump -h ${file.path}: code size ${codeSize} / count ${count}, expected ${file.codeSectionSize} / ${file.functionCount}`,
    );
  }
  for (const section of ['Type', 'Import', 'Function', 'Memory', 'Global', 'Export', 'Data', '"name"', '"producers"']) {
    if (!r.stdout.includes(section)) throw new Error(`wasm-objdump -h ${file.path} does not list ${section}:\n${r.stdout}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface InProcessResult {
  stats: Stats;
  bytesRead: number;
  bytesReadPercent: number;
}

type Report = Awaited<ReturnType<typeof inspectFile>>;

function checkReport(file: SynthesizedModule, report: Report, where: string): void {
  const problems: string[] = [];
  if (report.kind !== 'module') problems.push(`kind ${String(report.kind)}`);
  if (report.sizeBytes !== file.fileSize) problems.push(`sizeBytes ${report.sizeBytes} (file has ${file.fileSize})`);
  const imports = (report as { imports?: unknown[] }).imports;
  const exports = (report as { exports?: { name: string }[] }).exports;
  if (!Array.isArray(imports) || imports.length !== BENCH_IMPORT_COUNT)
    problems.push(`imports ${Array.isArray(imports) ? imports.length : 'missing'} (expected ${BENCH_IMPORT_COUNT})`);
  if (!Array.isArray(exports) || exports.map((e) => e.name).join() !== BENCH_EXPORTS.join())
    problems.push(`exports ${JSON.stringify(exports?.map((e) => e.name))}`);
  if (typeof report.bytesRead !== 'number' || !(report.bytesRead > 0)) problems.push(`bytesRead ${String(report.bytesRead)}`);
  if (problems.length) throw new Error(`${where} report for ${file.path} is wrong: ${problems.join('; ')}`);
}

async function measureInProcess(files: SynthesizedModule[], options: Options): Promise<InProcessResult[]> {
  const samples = files.map(() => [] as number[]);
  const last: Report[] = [];
  for (let i = 0; i < options.warmup; i++) for (const file of files) await inspectFile(file.path);
  // Interleave the files so that drift (GC, CPU frequency, other load) hits both alike.
  for (let run = 0; run < options.runs; run++) {
    for (const [i, file] of files.entries()) {
      const start = performance.now();
      const report = await inspectFile(file.path);
      samples[i]!.push(performance.now() - start);
      last[i] = report;
    }
  }
  return files.map((file, i) => {
    checkReport(file, last[i]!, 'inspectFile');
    const bytesRead = last[i]!.bytesRead;
    return { stats: stats(samples[i]!), bytesRead, bytesReadPercent: (100 * bytesRead) / file.fileSize };
  });
}

interface ProcessResult {
  cli: Stats;
  objdump?: Stats;
}

function measureProcesses(files: SynthesizedModule[], options: Options, cliPath: string, objdump: boolean): ProcessResult[] {
  const cliArgs = (file: SynthesizedModule) => [cliPath, 'inspect', file.path, '--json'];
  // One untimed run of each so both start from a warm page cache.
  for (const file of files) {
    const { stdout } = timeProcess(process.execPath, cliArgs(file), true);
    let report: Report;
    try {
      report = JSON.parse(stdout) as Report;
    } catch {
      throw new Error(`dist/cli.js inspect ${file.path} --json did not print JSON:\n${stdout.slice(0, 2000)}`);
    }
    checkReport(file, report, 'CLI');
    if (objdump) timeProcess(objdumpPath!, ['-x', file.path], false);
  }
  const cli = files.map(() => [] as number[]);
  const dump = files.map(() => [] as number[]);
  for (let run = 0; run < options.cliRuns; run++) {
    for (const [i, file] of files.entries()) {
      cli[i]!.push(timeProcess(process.execPath, cliArgs(file), true).ms);
      if (objdump) dump[i]!.push(timeProcess(objdumpPath!, ['-x', file.path], false).ms);
    }
  }
  return files.map((_, i) => (objdump ? { cli: stats(cli[i]!), objdump: stats(dump[i]!) } : { cli: stats(cli[i]!) }));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = repoRoot();
  const outDir = join(root, '.test-output', 'bench');
  mkdirSync(outDir, { recursive: true });

  console.log(`Wasm Workbench inspect benchmark — node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPU(s)`);
  const synthStart = performance.now();
  const small = synthesizeModule(join(outDir, 'code-1mb.wasm'), 1 * MiB);
  const large = synthesizeModule(join(outDir, 'code-100mb.wasm'), 100 * MiB);
  const files = [small, large];
  const labels = ['1 MB code', '100 MB code'];
  console.log(
    `synthesised in ${ms(performance.now() - synthStart)} (${files.map((f) => (f.reused ? 'reused' : 'written')).join(', ')}): ` +
      files.map((f) => `${relative(root, f.path)} ${size(f.fileSize)}, ${f.functionCount} functions`).join('; '),
  );

  checkWithV8(small);
  const objdump = objdumpPath !== undefined;
  if (objdump) for (const f of files) checkWithObjdump(f);
  console.log(
    `checked: WebAssembly.validate on ${relative(root, small.path)}${objdump ? '; wasm-objdump -h on both files' : ' (wasm-objdump not installed: not checked with it)'}`,
  );

  console.log(`\nIn process: inspectFile(path), ${options.runs} runs each after ${options.warmup} warm-up runs`);
  const inProcess = await measureInProcess(files, options);
  console.log(
    table(
      ['file', 'size', 'median', 'p90', 'min', 'bytes read', '% of file'],
      files.map((f, i) => {
        const r = inProcess[i]!;
        return [
          labels[i]!,
          size(f.fileSize),
          ms(r.stats.median),
          ms(r.stats.p90),
          ms(r.stats.min),
          r.bytesRead.toLocaleString('en-US'),
          pct(r.bytesReadPercent),
        ];
      }),
    ),
  );
  const inProcessRatio = inProcess[1]!.stats.median / inProcess[0]!.stats.median;
  console.log(`ratio 100 MB / 1 MB (median): ${ratio(inProcessRatio)}`);

  const cliPath = join(root, 'dist', 'cli.js');
  if (!existsSync(cliPath)) throw new Error(`${relative(root, cliPath)} is missing: run \`node build.mjs\` first (npm run bench does)`);
  console.log(
    `\nWhole process: node ${relative(root, cliPath)} inspect FILE --json${objdump ? ' vs wasm-objdump -x FILE > /dev/null' : ''}, ${options.cliRuns} runs each (median)`,
  );
  const processes = measureProcesses(files, options, cliPath, objdump);
  console.log(
    table(
      ['file', 'CLI median', 'CLI p90', 'objdump -x median', 'objdump -x p90', 'CLI / objdump'],
      files.map((_, i) => {
        const p = processes[i]!;
        return [
          labels[i]!,
          ms(p.cli.median),
          ms(p.cli.p90),
          ms(p.objdump?.median ?? NaN),
          ms(p.objdump?.p90 ?? NaN),
          ratio(p.cli.median / (p.objdump?.median ?? NaN)),
        ];
      }),
    ),
  );

  const large100 = inProcess[1]!;
  const cliLarge = processes[1]!;
  const targets: { name: string; met: boolean | undefined; detail: string }[] = [
    { name: '100 MB in-process inspectFile median ≤ 10 ms', met: large100.stats.median <= 10, detail: ms(large100.stats.median) },
    {
      name: '100 MB in-process median ≤ 2× the 1 MB median',
      met: inProcessRatio <= 2,
      detail: `${ratio(inProcessRatio)} (${ms(large100.stats.median)} vs ${ms(inProcess[0]!.stats.median)})`,
    },
    {
      name: 'bytes read ≤ 1% of the 100 MB file',
      met: large100.bytesReadPercent <= 1,
      detail: `${large100.bytesRead.toLocaleString('en-US')} of ${large.fileSize.toLocaleString('en-US')} bytes = ${pct(large100.bytesReadPercent)}`,
    },
    {
      name: 'CLI inspect --json ≤ wasm-objdump -x on the 100 MB file',
      met: cliLarge.objdump ? cliLarge.cli.median <= cliLarge.objdump.median : undefined,
      detail: cliLarge.objdump
        ? `${ms(cliLarge.cli.median)} vs ${ms(cliLarge.objdump.median)} (${ratio(cliLarge.cli.median / cliLarge.objdump.median)})`
        : 'wasm-objdump not installed (apt-get install wabt)',
    },
  ];
  console.log('\nTargets');
  for (const t of targets) console.log(`  ${t.met === undefined ? 'NOT MEASURED' : t.met ? 'MET   ' : 'MISSED'}  ${t.name}: ${t.detail}`);
  const met = targets.filter((t) => t.met).length;
  console.log(`  ${met} of ${targets.length} targets met`);

  const results = {
    node: process.version,
    cpus: cpus().length,
    files: files.map((f, i) => ({
      label: labels[i],
      path: relative(root, f.path),
      fileSize: f.fileSize,
      codeSectionSize: f.codeSectionSize,
      functionCount: f.functionCount,
    })),
    inProcess: inProcess.map((r, i) => ({ label: labels[i], ...r })),
    inProcessRatio,
    processes: processes.map((p, i) => ({ label: labels[i], ...p })),
    targets,
  };
  const jsonPath = options.json ?? join(outDir, 'results.json');
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nresults: ${relative(process.cwd(), jsonPath)}`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
