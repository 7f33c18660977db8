/**
 * The preview1 runner end to end, as `wasm-workbench run` uses it: prepareRun + startGuest with a real C
 * program (Debian clang + wasi-libc), each run in its own process. Includes the hostile suite.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  explainOutcome,
  noGrants,
  prepareRun,
  RunRefusedError,
  startGuest,
  type RunGrants,
  type RunLimits,
  type RunOutcome,
} from '../../../src/core/run';
import { fixturePath } from '../../fixtures';
import { wasmToolsParse } from '../../fixtures/tools';

const root = process.cwd();
const childScript = join(root, 'dist', 'run-child.js');
const limits: RunLimits = { timeoutMs: 20_000, maxMemoryBytes: 256 * 1024 * 1024 };
let probe = '';
let sandbox = '';

interface Ran {
  outcome: RunOutcome;
  stdout: string;
  stderr: string;
  notes: string[];
}

async function run(
  file: string,
  grants: Partial<RunGrants> = {},
  options: {
    limits?: Partial<RunLimits>;
    stdin?: string;
    invoke?: { name: string; args: string[] };
    hostEnv?: Record<string, string>;
  } = {},
): Promise<Ran> {
  const prepared = await prepareRun(
    {
      file,
      grants: { ...noGrants(), ...grants },
      limits: { ...limits, ...options.limits },
      ...(options.invoke ? { invoke: options.invoke } : {}),
    },
    {
      cacheDir: join(root, '.test-output', 'run-cache'),
      hostEnv: options.hostEnv ?? { HOME: '/root', SECRET_TOKEN: 'do-not-leak' },
      childScript,
    },
  );
  const guest = startGuest(prepared.plan, { childScript, stdio: 'pipe', confinement: prepared.confinement });
  let stdout = '';
  let stderr = '';
  guest.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  guest.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  guest.stdin!.end(options.stdin ?? '');
  const outcome = await guest.outcome;
  return { outcome, stdout, stderr, notes: explainOutcome(outcome, prepared) };
}

describe("runner: WASI preview1 modules on the project's host, in their own process", () => {
  before(async () => {
    const work = join(root, '.test-output', 'run');
    await mkdir(work, { recursive: true });
    probe = await fixturePath('probe');
    sandbox = await mkdtemp(join(work, 'sandbox-'));
    await mkdir(join(sandbox, 'data'));
    await writeFile(join(sandbox, 'data', 'notes.txt'), 'granted file\n');
    await writeFile(join(sandbox, 'outside.txt'), 'must stay unreadable\n');
  });

  it('runs a C hello world: its stdout and exit code 0', async () => {
    const { outcome, stdout } = await run(await fixturePath('preview1-command'));
    assert.equal(outcome.end, 'exited');
    assert.equal(outcome.exitCode, 0);
    assert.equal(stdout, 'hello, world\n');
  });

  it('passes arguments, with the binary name as argv[0]', async () => {
    const { stdout } = await run(probe, { args: ['args', 'two words', '--flag'] });
    assert.equal(stdout, 'argv[0]=probe.wasm\nargv[1]=args\nargv[2]=two words\nargv[3]=--flag\n');
  });

  it('reports the guest exit code', async () => {
    const { outcome } = await run(probe, { args: ['exit', '42'] });
    assert.deepEqual([outcome.end, outcome.exitCode], ['exited', 42]);
  });

  it('passes stdin through', async () => {
    const { outcome, stdout } = await run(probe, { args: ['stdin'] }, { stdin: 'typed line\n' });
    assert.equal(stdout, 'read: typed line\n');
    assert.equal(outcome.exitCode, 3);
  });

  it('hostile: the host environment is invisible without a grant, and only granted variables are visible', async () => {
    const none = await run(probe, { args: ['env'] });
    assert.equal(none.stdout, '0 variables\n');
    const some = await run(probe, { args: ['env'], env: { GREETING: 'hi' } });
    assert.equal(some.stdout, 'GREETING=hi\n1 variables\n');
    const inherited = await run(probe, { args: ['env'], inheritEnv: true }, { hostEnv: { ONLY_HOST_VAR: 'x' } });
    assert.equal(inherited.stdout, 'ONLY_HOST_VAR=x\n1 variables\n');
  });

  it('reads a file in a granted directory', async () => {
    const { outcome, stdout } = await run(probe, {
      args: ['cat', 'data/notes.txt'],
      dirs: [{ host: join(sandbox, 'data'), guest: 'data', readOnly: true }],
    });
    assert.equal(outcome.exitCode, 0);
    assert.equal(stdout, 'granted file\n');
  });

  it('hostile: without a directory grant the open fails, and the note names the capability and the flag', async () => {
    const { outcome, stderr, notes } = await run(probe, { args: ['cat', 'data/notes.txt'] });
    assert.equal(outcome.exitCode, 4);
    assert.match(stderr, /data\/notes\.txt: Capabilities insufficient/);
    assert.ok(
      notes.some((n) => /granted directories .*--dir HOST\[::GUEST\]/.test(n)),
      notes.join('\n'),
    );
  });

  it('hostile: a ../ path escape from a preopen is refused', async () => {
    const { outcome, stdout, notes } = await run(probe, {
      args: ['cat', 'data/../outside.txt'],
      dirs: [{ host: join(sandbox, 'data'), guest: 'data', readOnly: false }],
    });
    assert.equal(outcome.exitCode, 4);
    assert.equal(stdout, '');
    assert.ok(
      notes.some((n) => /^path_open was refused: "data\/\.\.\/outside\.txt" leads outside the granted directory/.test(n)),
      notes.join('\n'),
    );
  });

  it('hostile: a read-only grant refuses writes with EROFS; a read-write grant allows them', async () => {
    const readOnly = await run(probe, {
      args: ['write', 'data/new.txt'],
      dirs: [{ host: join(sandbox, 'data'), guest: 'data', readOnly: true }],
    });
    assert.equal(readOnly.outcome.exitCode, 5);
    assert.match(readOnly.stderr, /Read-only file system/);
    assert.ok(!(await readdir(join(sandbox, 'data'))).includes('new.txt'));
    const readWrite = await run(probe, {
      args: ['write', 'data/new.txt'],
      dirs: [{ host: join(sandbox, 'data'), guest: 'data', readOnly: false }],
    });
    assert.equal(readWrite.outcome.exitCode, 0);
    assert.equal(await readFile(join(sandbox, 'data', 'new.txt'), 'utf8'), 'written by the guest\n');
  });

  it('hostile: an infinite loop is killed at the time limit', async () => {
    const { outcome } = await run(probe, { args: ['loop'] }, { limits: { timeoutMs: 1000 } });
    assert.equal(outcome.end, 'timeout');
    assert.equal(outcome.exitCode, 124);
    assert.match(outcome.message!, /time limit/);
  });

  it('hostile: a memory bomb hits the cap and sees malloc fail', async () => {
    const { outcome, stdout } = await run(probe, { args: ['bomb'] }, { limits: { maxMemoryBytes: 64 * 1024 * 1024 } });
    assert.equal(outcome.exitCode, 7);
    const mib = Number(/after (\d+) MiB/.exec(stdout)?.[1]);
    assert.ok(mib > 0 && mib <= 64, stdout);
  });

  it('a trap ends the run with exit code 134 and the trap message', async () => {
    const { outcome } = await run(probe, { args: ['trap'] });
    assert.deepEqual([outcome.end, outcome.exitCode], ['trapped', 134]);
    assert.match(outcome.message!, /trap: unreachable/);
  });

  it('calls an export of a reactor after _initialize, with typed arguments', async () => {
    const { outcome } = await run(await fixturePath('preview1-reactor'), {}, { invoke: { name: 'add', args: ['2', '40'] } });
    assert.deepEqual([outcome.exitCode, outcome.result], [0, '42']);
  });

  it('refuses Emscripten modules, HTTP handlers and reactors without --invoke, saying why', async () => {
    const refused = async (file: string, pattern: RegExp) =>
      assert.rejects(run(file), (e: unknown) => e instanceof RunRefusedError && e.kind === 'refused' && pattern.test(e.message));
    await refused(await fixturePath('emscripten-style'), /Emscripten.*JavaScript/);
    await refused(await fixturePath('component-http'), /HTTP handler/);
    await refused(await fixturePath('preview1-reactor'), /--invoke NAME \(exports: .*add/);
  });

  it('refuses before starting a module that needs what the runner does not give, or imports what it does not provide (exit 2)', async () => {
    const module = async (name: string, imports: string) => {
      const file = join(sandbox, `${name}.wasm`);
      await writeFile(file, await wasmToolsParse(`(module ${imports} (memory (export "memory") 1) (func (export "_start")))`));
      return file;
    };
    const nn = await module('nn', '(import "wasi_ephemeral_nn" "load" (func (param i32 i32 i32 i32 i32) (result i32)))');
    await assert.rejects(
      run(nn),
      (e: unknown) =>
        e instanceof RunRefusedError &&
        e.kind === 'refused' &&
        /needs machine-learning inference \(wasi_ephemeral_nn\.load\): .*not supported; use wasmtime run -S nn/.test(e.message),
    );
    const unknown = await module('unknown-fn', '(import "wasi_snapshot_preview1" "no_such_function" (func))');
    await assert.rejects(
      run(unknown),
      (e: unknown) =>
        e instanceof RunRefusedError &&
        e.kind === 'refused' &&
        /imports wasi_snapshot_preview1\.no_such_function, which this runner does not provide/.test(e.message),
    );
  });

  it('refuses a grant of a directory that does not exist, naming it', async () => {
    await assert.rejects(
      run(probe, { dirs: [{ host: join(sandbox, 'nope'), guest: 'nope', readOnly: true }] }),
      (e: unknown) => e instanceof RunRefusedError && e.kind === 'refused' && /granted directory .*nope does not exist/.test(e.message),
    );
  });

  it('refuses by policy before running (exit code 3)', async () => {
    await assert.rejects(
      prepareRun({ file: probe, grants: noGrants(), limits }, { cacheDir: '/nonexistent', deny: ['filesystem'], childScript }),
      (e: unknown) => e instanceof RunRefusedError && e.kind === 'policy' && /filesystem/.test(e.message),
    );
  });
});
