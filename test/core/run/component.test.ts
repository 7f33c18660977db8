/**
 * The component runner end to end, as `wasm-workbench run` uses it: prepareRun + startGuest, each run in its
 * own process, on components built at test time (test/fixtures): the C hello world and a C probe made
 * components with the preview1 adapter, and two WAT components (exit-with-code, a TCP socket request).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  explainOutcome,
  noGrants,
  prepareRun,
  startGuest,
  type DeniedAccess,
  type RunGrants,
  type RunLimits,
  type RunningGuest,
  type RunOutcome,
} from '../../../src/core/run';
import type { Descriptor } from '../../../src/core/run/wasi/fs/descriptor';
import { createPreview2Host } from '../../../src/core/run/wasi/preview2';
import { fixturePath } from '../../fixtures';
import { wasmToolsParse } from '../../fixtures/tools';

const execFileAsync = promisify(execFile);
const root = process.cwd();
const childScript = join(root, 'dist', 'run-child.js');
const limits: RunLimits = { timeoutMs: 20_000, maxMemoryBytes: 256 * 1024 * 1024 };
const work = join(root, '.test-output', 'run-component');
let cacheDir = '';
let sandbox = '';
let probe = '';

interface Ran {
  outcome: RunOutcome;
  stdout: string;
  stderr: string;
  notes: string[];
}

interface RunOptions {
  limits?: Partial<RunLimits>;
  stdin?: string;
  hostEnv?: Record<string, string>;
  cacheDir?: string;
  /** Drives the guest while it runs (stdin is then left to it). */
  interact?: (guest: RunningGuest, output: () => string) => Promise<void>;
}

async function run(file: string, grants: Partial<RunGrants> = {}, options: RunOptions = {}): Promise<Ran> {
  const prepared = await prepareRun(
    { file, grants: { ...noGrants(), ...grants }, limits: { ...limits, ...options.limits } },
    { cacheDir: options.cacheDir ?? cacheDir, hostEnv: options.hostEnv ?? { HOME: '/root', SECRET_TOKEN: 'do-not-leak' }, childScript },
  );
  assert.equal(prepared.plan.kind, 'component');
  const guest = startGuest(prepared.plan, {
    childScript,
    stdio: 'pipe',
    confinement: prepared.confinement,
    extraReadOnly: prepared.extraReadOnly,
  });
  let stdout = '';
  let stderr = '';
  guest.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  guest.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  if (options.interact) await options.interact(guest, () => stdout);
  else guest.stdin!.end(options.stdin ?? '');
  const outcome = await guest.outcome;
  return { outcome, stdout, stderr, notes: explainOutcome(outcome, prepared) };
}

function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (condition()) resolve();
      else if (Date.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else return;
      clearInterval(poll);
    }, 10);
  });
}

const deniedCalls = (denied: DeniedAccess[]) => denied.map((d) => `${d.capability} ${d.call}: ${d.detail}`);

// Sandboxes and transpile caches of this file's runs.
after(() => rm(work, { recursive: true, force: true }));

describe("runner: WASI 0.2 components (jco glue + the project's 0.2 host), in their own process", () => {
  before(async () => {
    await mkdir(work, { recursive: true });
    cacheDir = await mkdtemp(join(work, 'cache-'));
    sandbox = await mkdtemp(join(work, 'sandbox-'));
    await mkdir(join(sandbox, 'data'));
    await writeFile(join(sandbox, 'data', 'notes.txt'), 'granted file\n');
    await writeFile(join(sandbox, 'outside.txt'), 'must stay unreadable\n');
    probe = await fixturePath('component-probe');
  });

  it('runs the hello component: "hello, world", exit code 0, and arguments round trip', async () => {
    const hello = await fixturePath('component-command');
    const plain = await run(hello);
    assert.deepEqual([plain.outcome.end, plain.outcome.exitCode, plain.stdout], ['exited', 0, 'hello, world\n']);
    const named = await run(hello, { args: ['Ada'] });
    assert.deepEqual([named.outcome.exitCode, named.stdout], [0, 'hello, Ada\n']);
  });

  it('a program that never opens a file gets no filesystem note, though the adapter lists the directories', async () => {
    const { outcome, notes } = await run(await fixturePath('component-command'));
    assert.deepEqual(outcome.denied, []);
    assert.deepEqual(notes, []);
  });

  it('passes arguments, with the binary name as argv[0]', async () => {
    const { stdout } = await run(probe, { args: ['args', 'two words', '--flag'] });
    assert.equal(stdout, 'argv[0]=component-probe.wasm\nargv[1]=args\nargv[2]=two words\nargv[3]=--flag\n');
  });

  it("hostile: the environment is exactly the granted variables (not the host's, not the guest process's own)", async () => {
    // The guest's process has ELECTRON_RUN_AS_NODE=1 in its environment: the shim's default would show it.
    const none = await run(probe, { args: ['env'] });
    assert.equal(none.stdout, '0 variables\n');
    const some = await run(probe, { args: ['env'], env: { GREETING: 'hi', EMPTY: '' } });
    assert.equal(some.stdout, 'GREETING=hi\nEMPTY=\n2 variables\n');
    const inherited = await run(probe, { args: ['env'], inheritEnv: true }, { hostEnv: { ONLY_HOST_VAR: 'x' } });
    assert.equal(inherited.stdout, 'ONLY_HOST_VAR=x\n1 variables\n');
  });

  it("exit-with-code(3) ends the run with exit code 3 (wasi:cli/exit@0.2.3 and run@0.2.0: older than the adapter's 0.2.x)", async () => {
    const { outcome } = await run(await fixturePath('component-exit-code'));
    assert.deepEqual([outcome.end, outcome.exitCode], ['exited', 3]);
  });

  it('exit through the preview1 adapter: 0 stays 0, any other code becomes 1 (the adapter calls exit(err))', async () => {
    assert.equal((await run(probe, { args: ['exit', '0'] })).outcome.exitCode, 0);
    const failed = await run(probe, { args: ['exit', '5'] });
    assert.deepEqual([failed.outcome.end, failed.outcome.exitCode], ['exited', 1]);
  });

  it('stdin and stdout stream live: the question arrives before any input, the answer after it', async () => {
    const { outcome, stdout, stderr } = await run(
      probe,
      { args: ['prompt'] },
      {
        interact: async (guest, output) => {
          await until(() => output() === 'name? ', 'the prompt');
          guest.stdin!.write('Ada\n'); // stdin stays open: the guest reads the line as it arrives
          await until(() => output().includes('hello, Ada'), 'the answer');
          guest.stdin!.end();
        },
      },
    );
    assert.equal(outcome.exitCode, 0);
    assert.equal(stdout, 'name? hello, Ada\n');
    assert.equal(stderr, 'said hello to Ada\n');
  });

  it('reads a file in a granted read-only directory', async () => {
    const { outcome, stdout, notes } = await run(probe, {
      args: ['cat', 'data/notes.txt'],
      dirs: [{ host: join(sandbox, 'data'), guest: 'data', readOnly: true }],
    });
    assert.equal(outcome.exitCode, 0);
    assert.equal(stdout, 'granted file\n');
    assert.deepEqual(notes, []);
  });

  it('hostile: without a directory grant the open fails, with a denied record and a note naming the flag', async () => {
    const { outcome, stderr, notes } = await run(probe, { args: ['cat', 'data/notes.txt'] });
    assert.equal(outcome.exitCode, 1);
    assert.match(stderr, /data\/notes\.txt: Capabilities insufficient/);
    assert.deepEqual(deniedCalls(outcome.denied), [
      'filesystem wasi:filesystem/preopens#get-directories: it looked for granted directories and found none',
    ]);
    assert.ok(
      notes.some((n) => /granted directories .*--dir HOST\[::GUEST\]/.test(n)),
      notes.join('\n'),
    );
  });

  it('hostile: a ../ path escape from a granted directory is refused and reported', async () => {
    const { outcome, stdout, stderr } = await run(probe, {
      args: ['cat', 'data/../outside.txt'],
      dirs: [{ host: join(sandbox, 'data'), guest: 'data', readOnly: false }],
    });
    assert.equal(outcome.exitCode, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /Operation not permitted/);
    assert.deepEqual(deniedCalls(outcome.denied), [
      'filesystem wasi:filesystem/types#descriptor.open-at: "data/../outside.txt" leads outside the granted directory',
    ]);
  });

  it('hostile: a read-only grant refuses writes with read-only (EROFS) and reports them; a read-write grant allows them', async () => {
    const dir = join(sandbox, 'data');
    const readOnly = await run(probe, { args: ['write', 'data/new.txt'], dirs: [{ host: dir, guest: 'data', readOnly: true }] });
    assert.equal(readOnly.outcome.exitCode, 1);
    assert.match(readOnly.stderr, /data\/new\.txt: Read-only file system/);
    assert.deepEqual(deniedCalls(readOnly.outcome.denied), [
      'filesystem wasi:filesystem/types#descriptor.open-at: write to "data/new.txt" in a read-only directory',
    ]);
    assert.ok(!(await readdir(dir)).includes('new.txt'));
    const readWrite = await run(probe, { args: ['write', 'data/new.txt'], dirs: [{ host: dir, guest: 'data', readOnly: false }] });
    assert.equal(readWrite.outcome.exitCode, 0);
    assert.deepEqual(readWrite.outcome.denied, []);
    assert.equal(await readFile(join(dir, 'new.txt'), 'utf8'), 'written by the guest\n');
    await rm(join(dir, 'new.txt'));
  });

  it('hostile: the network is off: create-tcp-socket fails with access-denied, reported as sockets', async () => {
    const { outcome } = await run(await fixturePath('component-sockets'));
    assert.equal(outcome.exitCode, 101, 'exit code 100 + error-code case 1 (access-denied)');
    assert.deepEqual(deniedCalls(outcome.denied), [
      'sockets wasi:sockets/tcp-create-socket#create-tcp-socket: a TCP socket (the network is off)',
    ]);
  });

  it('hostile: an infinite loop is killed at the time limit (124)', async () => {
    const { outcome } = await run(probe, { args: ['loop'] }, { limits: { timeoutMs: 1500 } });
    assert.deepEqual([outcome.end, outcome.exitCode], ['timeout', 124]);
  });

  it('hostile: a memory bomb hits the cap on every core module and sees malloc fail', async () => {
    const { stdout } = await run(probe, { args: ['bomb'] }, { limits: { maxMemoryBytes: 64 * 1024 * 1024 } });
    const mib = Number(/malloc failed after (\d+) MiB/.exec(stdout)?.[1]);
    assert.ok(mib > 0 && mib <= 64, stdout);
  });

  it('a memory limit below what a core module starts with fails before running, saying so', async () => {
    const { outcome } = await run(probe, { args: ['args'] }, { limits: { maxMemoryBytes: 64 * 1024 } });
    assert.equal(outcome.end, 'failed');
    assert.match(outcome.message!, /above the memory limit/);
  });

  it('a trap ends the run with exit code 134 and the trap message', async () => {
    const { outcome } = await run(probe, { args: ['trap'] });
    assert.deepEqual([outcome.end, outcome.exitCode], ['trapped', 134]);
    assert.match(outcome.message!, /^trap: .*unreachable/);
  });
});

describe('the 0.2 host: what a host could grant, refused', () => {
  const failure = (payload: unknown) => (e: unknown) => JSON.stringify((e as { payload: unknown }).payload) === JSON.stringify(payload);
  const hostFor = (grants: RunGrants, reports: DeniedAccess[] = []) =>
    createPreview2Host({
      args: ['p.wasm', ...grants.args],
      env: grants.env,
      grants: grants.dirs,
      refuse: (a) => reports.push(a),
      exit: () => {
        throw new Error('exit');
      },
    });

  it('outgoing HTTP, TCP and UDP sockets and name lookups fail with their access errors, each reported', () => {
    const reports: DeniedAccess[] = [];
    const host = hostFor(noGrants(), reports);
    const network = (host.imports['wasi:sockets/instance-network']!.instanceNetwork as () => unknown)();
    const call =
      (iface: string, name: string, ...args: unknown[]) =>
      () =>
        (host.imports[iface]![name] as (...a: unknown[]) => unknown)(...args);
    assert.throws(call('wasi:http/outgoing-handler', 'handle', {}, undefined), failure({ tag: 'HTTP-request-denied' }));
    assert.throws(call('wasi:sockets/tcp-create-socket', 'createTcpSocket', 'ipv4'), failure('access-denied'));
    assert.throws(call('wasi:sockets/udp-create-socket', 'createUdpSocket', 'ipv4'), failure('access-denied'));
    assert.throws(call('wasi:sockets/ip-name-lookup', 'resolveAddresses', network, 'example.com'), failure('access-denied'));
    assert.deepEqual(
      reports.map((r) => `${r.capability} ${r.call}`),
      [
        'http-outgoing wasi:http/outgoing-handler#handle',
        'sockets wasi:sockets/tcp-create-socket#create-tcp-socket',
        'sockets wasi:sockets/udp-create-socket#create-udp-socket',
        'sockets wasi:sockets/ip-name-lookup#resolve-addresses',
      ],
    );
  });

  it('environment, arguments and working directory come from the grants only', () => {
    const environment = hostFor({ ...noGrants(), args: ['a'], env: { K: 'v' } }).imports['wasi:cli/environment'] as Record<
      string,
      () => unknown
    >;
    assert.deepEqual(environment.getEnvironment!(), [['K', 'v']]);
    assert.deepEqual(environment.getArguments!(), ['p.wasm', 'a']);
    assert.equal(environment.initialCwd!(), undefined);
  });

  it('a read-only grant refuses every kind of change, on the directory and on what is opened from it', async () => {
    const dir = await mkdtemp(join(work, 'ro-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'f.txt'), 'text');
    const reports: DeniedAccess[] = [];
    const grants = { ...noGrants(), dirs: [{ host: dir, guest: '/data', readOnly: true }] };
    const host = hostFor(grants, reports);
    const [[data, guest]] = (host.imports['wasi:filesystem/preopens']!.getDirectories as () => [Descriptor, string][])();
    assert.equal(guest, '/data');
    const readOnly = failure('read-only');
    const follow = { symlinkFollow: true };
    const sub = data.openAt(follow, 'sub', { directory: true }, { read: true });
    const file = sub.openAt(follow, 'f.txt', {}, { read: true });
    assert.deepEqual(file.read(10n, 0n)[0], new TextEncoder().encode('text'));
    assert.deepEqual(data.getFlags(), { read: true, mutateDirectory: false });
    assert.throws(() => data.openAt(follow, 'new.txt', { create: true }, { write: true }), readOnly);
    assert.throws(() => sub.openAt(follow, 'f.txt', { truncate: true }, { read: true }), readOnly);
    assert.throws(() => data.createDirectoryAt('made'), readOnly);
    assert.throws(() => sub.unlinkFileAt('f.txt'), readOnly);
    assert.throws(() => data.removeDirectoryAt('sub'), readOnly);
    assert.throws(() => data.renameAt('sub', data, 'moved'), readOnly);
    assert.throws(() => sub.symlinkAt('f.txt', 'link'), readOnly);
    assert.throws(() => sub.linkAt({}, 'f.txt', sub, 'hard'), readOnly);
    assert.throws(() => file.write(new Uint8Array([1]), 0n), readOnly);
    assert.throws(() => file.writeViaStream(0n), readOnly);
    assert.throws(() => file.setSize(0n), readOnly);
    assert.deepEqual((await readdir(dir)).sort(), ['sub']);
    assert.deepEqual(await readdir(join(dir, 'sub')), ['f.txt']);
    assert.equal(await readFile(join(dir, 'sub', 'f.txt'), 'utf8'), 'text');
    assert.equal(reports.length, 11);
    assert.ok(
      reports.every((r) => r.capability === 'filesystem' && / in a read-only directory$/.test(r.detail)),
      JSON.stringify(reports),
    );
    assert.equal(reports[0]!.detail, 'write to "/data/new.txt" in a read-only directory');

    // The same directory granted read-write: the changes go through.
    const [[rw]] = (
      hostFor({ ...noGrants(), dirs: [{ ...grants.dirs[0]!, readOnly: false }] }).imports['wasi:filesystem/preopens']!
        .getDirectories as () => [Descriptor, string][]
    )();
    rw.createDirectoryAt('made');
    assert.deepEqual((await readdir(dir)).sort(), ['made', 'sub']);
  });

  it('a component that imports what this runner does not provide is refused before it starts, naming the import', async () => {
    const file = join(work, 'logger.wasm');
    await writeFile(file, await wasmToolsParse('(component (import "acme:logger/log" (instance)) )'));
    await assert.rejects(run(file), /imports acme:logger\/log, which this runner does not provide|needs a special host|component library/i);
  });
});

describe('the transpile cache (<cacheDir>/components/<sha256>/)', () => {
  const sha256 = async (file: string) =>
    createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  const entries = async (dir: string) => (await readdir(join(dir, 'components'))).sort();

  it('the first run writes one entry; the next runs use it without transpiling again', async () => {
    const hello = await fixturePath('component-command');
    const dir = await mkdtemp(join(work, 'cache-'));
    assert.equal((await run(hello, {}, { cacheDir: dir })).stdout, 'hello, world\n');
    const hash = await sha256(hello);
    assert.deepEqual(await entries(dir), [hash]);
    const entry = join(dir, 'components', hash);
    const before = await Promise.all(['.', 'manifest.json', 'component.mjs'].map((f) => stat(join(entry, f))));
    for (let i = 0; i < 2; i++) assert.equal((await run(hello, { args: [`run ${i}`] }, { cacheDir: dir })).stdout, `hello, run ${i}\n`);
    const after = await Promise.all(['.', 'manifest.json', 'component.mjs'].map((f) => stat(join(entry, f))));
    // Same directory, same files, not rewritten: nothing was transpiled.
    assert.deepEqual(
      after.map((s) => [s.ino, s.mtimeMs]),
      before.map((s) => [s.ino, s.mtimeMs]),
    );
    assert.deepEqual(await entries(dir), [hash]);
  });

  it('a corrupted or partial entry is rebuilt', async () => {
    const hello = await fixturePath('component-command');
    const dir = await mkdtemp(join(work, 'cache-'));
    await run(hello, {}, { cacheDir: dir });
    const entry = join(dir, 'components', await sha256(hello));
    const manifest = JSON.parse(await readFile(join(entry, 'manifest.json'), 'utf8')) as { files: Record<string, string> };

    await truncate(join(entry, 'component.core.wasm'), 100); // a core module cut short
    assert.equal((await run(hello, {}, { cacheDir: dir })).stdout, 'hello, world\n');
    assert.equal(await sha256(join(entry, 'component.core.wasm')), manifest.files['component.core.wasm']);

    await writeFile(join(entry, 'component.mjs'), 'export function instantiate() { throw new Error("tampered"); }');
    assert.equal((await run(hello, {}, { cacheDir: dir })).stdout, 'hello, world\n');

    await rm(join(entry, 'manifest.json')); // an entry without its manifest is not whole
    assert.equal((await run(hello, {}, { cacheDir: dir })).stdout, 'hello, world\n');

    await rm(entry, { recursive: true });
    await mkdir(entry); // an empty directory where the entry should be
    assert.equal((await run(hello, {}, { cacheDir: dir })).stdout, 'hello, world\n');
    assert.deepEqual(await entries(dir), [await sha256(hello)], 'nothing left behind');
  });

  it('concurrent first runs of one component all run, and leave one entry', async () => {
    const hello = await fixturePath('component-command');
    const dir = await mkdtemp(join(work, 'cache-'));
    const ran = await Promise.all([1, 2, 3].map((i) => run(hello, { args: [String(i)] }, { cacheDir: dir })));
    assert.deepEqual(
      ran.map((r) => r.stdout),
      ['hello, 1\n', 'hello, 2\n', 'hello, 3\n'],
    );
    assert.deepEqual(await entries(dir), [await sha256(hello)]);
  });
});

describe('wasm-workbench run with a component (the CLI process)', () => {
  const cli = (args: string[], cache: string) =>
    execFileAsync(process.execPath, [join(root, 'dist', 'cli.js'), 'run', ...args], {
      env: { ...process.env, XDG_CACHE_HOME: cache },
      timeout: 30_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('prints the guest output and exits with its code', async () => {
    const cache = await mkdtemp(join(work, 'xdg-'));
    assert.deepEqual(await cli([await fixturePath('component-command'), '--', 'Ada'], cache), {
      code: 0,
      stdout: 'hello, Ada\n',
      stderr: '',
    });
    assert.equal((await cli([await fixturePath('component-exit-code')], cache)).code, 3);
    assert.equal((await readdir(join(cache, 'wasm-workbench', 'components'))).length, 2);
  });
});
