/**
 * The WebAssembly/wasi-testsuite preview1 programs (72 prebuilt C, Rust and AssemblyScript tests with their
 * JSON specifications), run as the suite's own executors run them: through `wasm-workbench run`, with the
 * test's directory preopened as `/`, its arguments and environment, and the exit code, stdout and stderr
 * compared with the specification. Then the same binaries wrapped as WASI 0.2 components with the preview1
 * adapter, run beside the reference, wasmtime (built by scripts/setup-tests.sh): every outcome must equal
 * wasmtime's, and every test must pass except the few that fail inside the adapter on wasmtime too.
 *
 * The suite comes from ../shared/conformance/wasi-testsuite-p1.tgz (WASM_WORKBENCH_CONFORMANCE for another folder;
 * the README says which commit of github.com/WebAssembly/wasi-testsuite it holds). Its programs write scratch files
 * beside themselves, so they run from a copy of their own.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { adapterPath, wasmTools } from '../fixtures/tools';
import { unpackConformance } from '../support/conformance';
import { testToolPath } from '../support/test-tools';

const run = promisify(execFile);
const root = process.cwd();
const work = join(root, '.test-output', 'conformance', 'wasi-testsuite-runs');
const modules = join(work, 'modules');
const components = join(work, 'components');
const cli = join(root, 'dist', 'cli.js');

interface Spec {
  args?: string[];
  env?: Record<string, string>;
  root?: string;
  exit_code?: number;
  stdout?: string;
  stderr?: string;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Adapted programs that fail inside the preview1 adapter itself, under wasmtime as here (checked live below):
 * not host behaviour, so they cannot pass on any host that runs the adapter unchanged.
 */
const adapterFailures: Record<string, string> = {
  'assemblyscript/args_get-multiple-arguments':
    "the adapter's own assertion traps (AssemblyScript's allocator and the adapter's state collide)",
  'assemblyscript/environ_get-multiple-variables':
    "the adapter's own assertion traps (AssemblyScript's allocator and the adapter's state collide)",
  'assemblyscript/fd_write-to-invalid-fd':
    'fd_write with no buffers on an invalid descriptor succeeds in the adapter instead of failing with EBADF',
  'assemblyscript/proc_exit-failure': 'the adapter turns proc_exit(33) into wasi:cli/exit(err): the code becomes 1',
};

/** Every test of the suite: `<language>/<name>` → its folder. */
function listTests(base: string): { id: string; dir: string; name: string }[] {
  if (!existsSync(base)) return [];
  return readdirSync(base).flatMap((language) => {
    const dir = join(base, language, 'testsuite', 'wasm32-wasip1');
    return readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .sort()
      .map((f) => ({ id: `${language}/${f.slice(0, -5)}`, dir, name: f.slice(0, -5) }));
  });
}

async function cleanup(dir: string): Promise<void> {
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.name.endsWith('.cleanup')) await rm(path, { recursive: true, force: true });
      else if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(dir);
}

/** Runs one test program the way the suite's executors do; `command` puts the runtime's flags around it. */
async function execute(dir: string, name: string, command: (spec: Spec, file: string) => string[]): Promise<Outcome> {
  const specFile = join(dir, `${name}.json`);
  const spec: Spec = existsSync(specFile) ? (JSON.parse(await readFile(specFile, 'utf8')) as Spec) : {};
  await cleanup(dir);
  const [program, ...args] = command(spec, `${name}.wasm`);
  const outcome = await run(program!, args, { cwd: dir, timeout: 60_000, maxBuffer: 16 << 20, env: { PATH: process.env.PATH ?? '' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  );
  await cleanup(dir);
  return outcome;
}

function specOf(dir: string, name: string): Spec {
  const file = join(dir, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Spec) : {};
}

/** The specification's verdict on an outcome: undefined when it passes, else why not. */
function verdict(spec: Spec, outcome: Outcome): string | undefined {
  const want = spec.exit_code ?? 0;
  if (outcome.code !== want)
    return `exit code ${outcome.code}, expected ${want}\nstdout: ${outcome.stdout.slice(0, 500)}\nstderr: ${outcome.stderr.slice(0, 1500)}`;
  if (spec.stdout !== undefined && !outcome.stdout.startsWith(spec.stdout))
    return `stdout ${JSON.stringify(outcome.stdout.slice(0, 200))}, expected ${JSON.stringify(spec.stdout)}`;
  if (spec.stderr !== undefined && !outcome.stderr.startsWith(spec.stderr))
    return `stderr ${JSON.stringify(outcome.stderr.slice(0, 200))}, expected ${JSON.stringify(spec.stderr)}`;
  return undefined;
}

const ours = (spec: Spec, file: string) => [
  process.execPath,
  cli,
  'run',
  ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ...(spec.root ? ['--dir', `${spec.root}::/`] : []),
  file,
  '--',
  ...(spec.args ?? []),
];

const wasmtime = (spec: Spec, file: string) => [
  testToolPath('wasmtime', 'bin/wasmtime'),
  'run',
  ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ...(spec.root ? ['--dir', `${spec.root}::/`] : []),
  file,
  ...(spec.args ?? []),
];

// The suite is unpacked before the tests are declared, so each program is a test of its own.
unpackSuite();
const moduleTests = listTests(join(modules, 'tests'));
const componentTests = moduleTests.map((t) => ({ ...t, dir: join(components, t.dir.slice(modules.length)) }));

after(() => rm(work, { recursive: true, force: true }));

describe('WASI testsuite (preview1 programs) through wasm-workbench run', () => {
  before(() => assert.equal(moduleTests.length, 72, 'the suite holds 72 preview1 programs'));
  for (const test of moduleTests) {
    it(test.id, async () => {
      const outcome = await execute(test.dir, test.name, ours);
      const failure = verdict(specOf(test.dir, test.name), outcome);
      assert.equal(failure, undefined, failure);
    });
  }
});

describe('WASI testsuite as WASI 0.2 components (preview1 adapter) through wasm-workbench run, beside wasmtime', () => {
  before(wrapAsComponents);
  for (const test of componentTests) {
    it(test.id, async () => {
      const spec = specOf(test.dir, test.name);
      const here = await execute(test.dir, test.name, ours);
      const reference = await execute(test.dir, test.name, wasmtime);
      assert.equal(
        here.code,
        reference.code,
        `exit code ${here.code} here, ${reference.code} under wasmtime\nhere: ${here.stderr.slice(0, 800)}\nwasmtime: ${reference.stderr.slice(0, 800)}`,
      );
      const known = adapterFailures[test.id];
      if (known) {
        assert.notEqual(
          verdict(spec, reference),
          undefined,
          `${test.id} now passes under wasmtime: remove it from the known adapter failures`,
        );
        return;
      }
      const failure = verdict(spec, here);
      assert.equal(failure, undefined, failure);
    });
  }
});

function unpackSuite(): void {
  const unpacked = unpackConformance('wasi-testsuite-p1');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  cpSync(join(unpacked, 'tests'), join(modules, 'tests'), { recursive: true });
}

/** The same programs made WASI 0.2 command components with the preview1 command adapter. */
async function wrapAsComponents(): Promise<void> {
  const adapter = new Uint8Array(await readFile(await adapterPath('command')));
  const tools = await wasmTools();
  for (const [i, test] of moduleTests.entries()) {
    const target = componentTests[i]!.dir;
    if (!existsSync(target)) await cp(test.dir, target, { recursive: true });
    const core = new Uint8Array(await readFile(join(test.dir, `${test.name}.wasm`)));
    await writeFile(join(target, `${test.name}.wasm`), await tools.componentNew(core, [['wasi_snapshot_preview1', adapter]]));
  }
}
