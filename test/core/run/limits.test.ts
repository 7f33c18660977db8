/**
 * Limits that hold whatever the guest does: one memory budget across memories, tables and instances; output
 * that waits for a slow reader instead of piling up; time limits of any size; inputs that are not programs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  noGrants,
  prepareRun,
  RunRefusedError,
  startGuest,
  type RunGrants,
  type RunLimits,
  type RunningGuest,
  type RunOutcome,
} from '../../../src/core/run';
import { fixturePath } from '../../fixtures';

const execFileAsync = promisify(execFile);
const root = process.cwd();
const childScript = join(root, 'dist', 'run-child.js');
const work = join(root, '.test-output', 'limits');
const mib = 1024 * 1024;
/** Node 24 (what code-server's extension host runs): its V8 has multi-memory, which Node 20's lacks. */
const node24 = join(root, '.tools', 'node24', 'bin', 'node');

async function start(file: string, grants: Partial<RunGrants>, limits: Partial<RunLimits>, execPath?: string): Promise<RunningGuest> {
  const prepared = await prepareRun(
    { file, grants: { ...noGrants(), ...grants }, limits: { timeoutMs: 60_000, maxMemoryBytes: 256 * mib, ...limits } },
    { cacheDir: join(work, 'cache'), childScript, ...(execPath ? { execPath } : {}) },
  );
  return startGuest(prepared.plan, {
    childScript,
    stdio: 'pipe',
    confinement: prepared.confinement,
    extraReadOnly: prepared.extraReadOnly,
    ...(execPath ? { execPath } : {}),
  });
}

async function run(
  file: string,
  grants: Partial<RunGrants>,
  limits: Partial<RunLimits>,
  execPath?: string,
): Promise<{ outcome: RunOutcome; stdout: string }> {
  const guest = await start(file, grants, limits, execPath);
  let stdout = '';
  guest.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  guest.stderr!.resume();
  guest.stdin!.end();
  return { outcome: await guest.outcome, stdout };
}

before(() => mkdir(work, { recursive: true }));
after(() => rm(work, { recursive: true, force: true }));

describe('one memory budget for all memories, tables and instances', () => {
  it('three memories growing together stay within the budget', async () => {
    const { outcome, stdout } = await run(await fixturePath('memory-bomb-multi'), {}, { maxMemoryBytes: 48 * mib }, node24);
    assert.equal(outcome.exitCode, 0, outcome.message);
    const grew = Number(/grew (\d+) MiB/.exec(stdout)?.[1]);
    // Each memory starts at 64 KiB; together they may reach the budget, never more.
    assert.ok(grew > 30 && grew <= 48, stdout);
  });

  it('tables stop growing at their share of the budget', async () => {
    const { outcome } = await run(await fixturePath('table-bomb'), {}, { maxMemoryBytes: 64 * mib });
    // 64 MiB / 16 for tables / 8 bytes an entry = 512 Ki entries in all: 8 chunks of 64 Ki (4 per table).
    assert.equal(outcome.end, 'exited', outcome.message);
    assert.ok(outcome.exitCode >= 6 && outcome.exitCode <= 8, `reached ${outcome.exitCode} chunks of 64 Ki entries`);
  });

  it('a component instantiating one core module eight times shares one budget among the eight', async () => {
    const { outcome } = await run(await fixturePath('component-instances'), {}, { maxMemoryBytes: 64 * mib });
    assert.equal(outcome.end, 'exited', outcome.message);
    // Each instance may grow to its eighth of the budget (less the 64 KiB it starts with).
    assert.ok(outcome.exitCode > 40 && outcome.exitCode <= 64, `the eight instances reached ${outcome.exitCode} MiB under a 64 MiB budget`);
  });

  it('a budget below what the memories start with is refused before the run (exit 2)', async () => {
    await assert.rejects(
      prepareRun(
        { file: await fixturePath('probe'), grants: noGrants(), limits: { timeoutMs: 10_000, maxMemoryBytes: 64 * 1024 } },
        { cacheDir: work, childScript },
      ),
      (e: unknown) => e instanceof RunRefusedError && e.kind === 'refused' && /above the memory limit of 0\.1 MiB/.test(e.message),
    );
  });
});

describe('output that waits for its reader', () => {
  it('a guest flooding stdout waits while nobody reads, and loses nothing once read', async () => {
    const guest = await start(await fixturePath('hostile'), { args: ['flood', '64'] }, {});
    guest.stdin!.end();
    guest.stderr!.resume();
    const stdout = guest.stdout!;
    stdout.pause();
    let ended = false;
    void guest.outcome.then(() => (ended = true));
    const rssBefore = process.memoryUsage().rss;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(ended, false, 'the guest finished without its output being read: it was buffered somewhere');
    assert.ok(process.memoryUsage().rss - rssBefore < 32 * mib, 'the supervisor kept the unread output');
    let bytes = 0;
    stdout.on('data', (c: Buffer) => (bytes += c.length));
    stdout.resume();
    const outcome = await guest.outcome;
    assert.equal(outcome.exitCode, 0);
    assert.equal(bytes, 64 * mib);
  });
});

describe('time limits of any size', () => {
  it('a limit beyond what one timer can wait (24.8 days) is kept, not fired at once', async () => {
    const guest = await start(await fixturePath('probe'), { args: ['loop'] }, { timeoutMs: 40 * 24 * 3600 * 1000 });
    guest.stdin!.end();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    guest.kill();
    const outcome = await guest.outcome;
    assert.equal(outcome.end, 'killed', 'the guest was stopped by the limit at once');
  });

  it('a fractional limit works, and values that are not a limit are refused with the reason', async () => {
    const guest = await start(await fixturePath('probe'), { args: ['loop'] }, { timeoutMs: 700 });
    guest.stdin!.end();
    const outcome = await guest.outcome;
    assert.deepEqual([outcome.end, outcome.exitCode], ['timeout', 124]);
    for (const timeoutMs of [0, -5, Number.POSITIVE_INFINITY, Number.NaN, 2e12]) {
      await assert.rejects(
        prepareRun(
          { file: await fixturePath('probe'), grants: noGrants(), limits: { timeoutMs, maxMemoryBytes: 64 * mib } },
          { cacheDir: work, childScript },
        ),
        (e: unknown) => e instanceof RunRefusedError && e.kind === 'refused' && /time limit must be a number of seconds/.test(e.message),
      );
    }
  });

  it('the CLI says what is wrong with a --timeout it cannot take', async () => {
    const cli = join(root, 'dist', 'cli.js');
    const probe = await fixturePath('probe');
    for (const [value, pattern] of [
      ['abc', /--timeout needs a positive number/],
      ['1e10', /at most 1000000000/],
      ['Infinity', /--timeout needs a positive number/],
    ] as const) {
      const result = await execFileAsync(process.execPath, [cli, 'run', probe, '--timeout', value]).catch(
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal((result as { code: number }).code, 2);
      assert.match((result as { stderr: string }).stderr, pattern);
    }
  });
});

describe('FILE must be a program', () => {
  it('a FIFO, a directory or a missing file is refused at once, naming what it is', async () => {
    const fifo = join(work, 'pipe.wasm');
    await execFileAsync('mkfifo', [fifo]);
    const refused = (file: string, pattern: RegExp) =>
      assert.rejects(
        prepareRun({ file, grants: noGrants(), limits: { timeoutMs: 1000, maxMemoryBytes: 64 * mib } }, { cacheDir: work, childScript }),
        (e: unknown) => e instanceof RunRefusedError && e.kind === 'refused' && pattern.test(e.message),
      );
    await refused(fifo, /is a FIFO \(named pipe\): give the path of a \.wasm file/);
    await refused(work, /is a directory/);
    await refused(join(work, 'none.wasm'), /does not exist/);
  });
});

describe('refusals', () => {
  it('control characters in a refused path are shown escaped', async () => {
    const { outcome } = await run(
      await fixturePath('hostile'),
      { args: ['read', 'g/../\u001b[2J\u202eevil'], dirs: [{ host: work, guest: 'g', readOnly: true }] },
      {},
    );
    const refusal = outcome.denied.find((d) => /leads outside/.test(d.detail));
    assert.ok(refusal, JSON.stringify(outcome.denied));
    // eslint-disable-next-line no-control-regex -- the escape character must not reach the detail
    assert.ok(!/[\u001b\u202e]/.test(refusal.detail) && refusal.detail.includes('\\x1b[2J\\u{202e}evil'), refusal.detail);
  });
});
