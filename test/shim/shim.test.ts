/**
 * `npm run test:shim`: a real runwasi Wasm shim pulls and runs what Wasm Workbench pushes. containerd (built from the
 * Go module proxy by scripts/shim-tools/containerd) runs as root on a private socket, root and state dir; the shim is
 * `containerd-shim-wasmtime-v1` from WASM_WORKBENCH_SHIM_WASMTIME (a path) or PATH (it comes from runwasi's releases:
 * no registry ships it, see the README). Each form the project pushes for runwasi (the runwasi form of a module and
 * of a component, the image form) goes to the loopback registry, is pulled by `ctr` and run by the shim, and the
 * program's output is checked.
 *
 * Without a shim, or not as root, the test fails with the reason: it never passes without having run.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { pushWasm } from '../../src/core/oci';
import { fixturePath } from '../fixtures';
import { startRegistry, type TestRegistry } from '../support/registry';
import { repositoryRoot, testToolsCache } from '../support/test-tools';

const exec = promisify(execFile);
const shimName = 'containerd-shim-wasmtime-v1';

function findShim(): string {
  const given = process.env.WASM_WORKBENCH_SHIM_WASMTIME;
  if (given) {
    accessSync(given, constants.X_OK);
    return given;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, shimName);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `${shimName} was not found: set WASM_WORKBENCH_SHIM_WASMTIME=/path/to/${shimName} or put it on PATH (runwasi's releases ship it: containerd-shim-wasmtime-<arch>-linux-musl.tar.gz); the test cannot run without it`,
  );
}

function containerdBinary(file: string): string {
  const version = readFileSync(join(repositoryRoot, 'scripts', 'shim-tools', 'containerd', 'version'), 'utf8').trim();
  const path = join(testToolsCache(), `containerd-${version}`, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: run bash scripts/shim-tools/containerd/build.sh`);
  return path;
}

let registry: TestRegistry;
let containerd: ChildProcess | undefined;
let dir = '';
let socket = '';
let ctr = '';
let containerdLog = '';

before(async () => {
  if (process.getuid?.() !== 0) throw new Error('containerd needs root: run npm run test:shim as root');
  const shim = findShim();
  ctr = containerdBinary('ctr');
  dir = mkdtempSync('/tmp/wwb-shim-');
  socket = join(dir, 'containerd.sock');
  containerdLog = join(dir, 'containerd.log');
  // A private containerd: its own root, state and socket; no CRI; the shim found on its PATH.
  writeFileSync(
    join(dir, 'config.toml'),
    `version = 3\nroot = "${dir}/root"\nstate = "${dir}/state"\n[grpc]\n  address = "${socket}"\n[ttrpc]\n  address = "${socket}.ttrpc"\n[debug]\n  level = "info"\n`,
  );
  const out = openSync(containerdLog, 'a');
  containerd = spawn(containerdBinary('containerd'), ['--config', join(dir, 'config.toml')], {
    stdio: ['ignore', out, out],
    env: { ...process.env, PATH: `${dirname(shim)}${delimiter}${process.env.PATH ?? ''}` },
  });
  registry = await startRegistry();
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(socket), `containerd did not start:\n${readFileSync(containerdLog, 'utf8')}`);
});

after(async () => {
  if (containerd && containerd.exitCode === null) {
    const exited = new Promise((r) => containerd!.once('exit', r));
    containerd.kill('SIGTERM');
    await exited;
  }
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ctrRun(reference: string, id: string): Promise<{ stdout: string; stderr: string }> {
  const base = ['--address', socket, '--namespace', 'wwb-test'];
  await exec(ctr, [...base, 'images', 'pull', '--plain-http', reference]);
  try {
    return await exec(ctr, [...base, 'run', '--rm', '--snapshotter', 'native', '--runtime', 'io.containerd.wasmtime.v1', reference, id], {
      timeout: 60_000,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `ctr run ${reference}: ${e.message}\nstdout: ${e.stdout ?? ''}\nstderr: ${e.stderr ?? ''}\ncontainerd log:\n${readFileSync(containerdLog, 'utf8').split('\n').slice(-30).join('\n')}`,
    );
  }
}

describe('the runwasi wasmtime shim pulls and runs what Wasm Workbench pushes', () => {
  const cases: { fixture: 'preview1-command' | 'component-command'; form: 'runwasi' | 'image' }[] = [
    { fixture: 'preview1-command', form: 'runwasi' },
    { fixture: 'component-command', form: 'runwasi' },
    { fixture: 'preview1-command', form: 'image' },
    { fixture: 'component-command', form: 'image' },
  ];
  for (const { fixture, form } of cases) {
    it(`${fixture} in the ${form} form prints its greeting`, async () => {
      const pushed = await pushWasm(await fixturePath(fixture), { image: `${registry.host}/shim/${fixture}-${form}:v1`, form });
      const result = await ctrRun(pushed.reference, `${fixture}-${form}`);
      assert.equal(result.stdout, 'hello, world\n');
    });
  }

  it('the artifact form (which deploy refuses) is not run: containerd cannot use it as an image', async () => {
    const pushed = await pushWasm(await fixturePath('preview1-command'), { image: `${registry.host}/shim/artifact:v1`, form: 'artifact' });
    const error = await ctrRun(pushed.reference, 'artifact').then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(error, 'the artifact form ran, so deploy should not refuse it');
    console.log(
      `# artifact form: ${
        error.message
          .split('\n')
          .filter((l) => /ctr: |error/i.test(l) && !/DEPRECATION/.test(l))
          .join(' / ') || error.message
      }`,
    );
  });
});
