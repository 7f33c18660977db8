/**
 * `wasm-workbench deploy --dry-run` as users run it (node dist/cli.js), offline: no kubeconfig, no registry.
 * The YAML on stdout parses back into manifests that validate against the official schemas.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { fixturePath } from '../../fixtures';
import { validateManifest } from './validate';

const run = promisify(execFile);
const cli = join(process.cwd(), 'dist', 'cli.js');
let home = '';

async function wasmWorkbench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No kubeconfig anywhere, no proxy: a dry-run that tried to reach a cluster or registry would fail.
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    KUBECONFIG: join(home, 'no-such-kubeconfig'),
    DOCKER_CONFIG: join(home, 'no-docker'),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('wasm-workbench deploy --dry-run (offline)', () => {
  before(async () => {
    home = join(process.cwd(), '.test-output', 'deploy-cli-home');
    await mkdir(home, { recursive: true });
  });

  it('prints a Deployment and a Service as YAML that validates; progress only on stderr', async () => {
    const file = await fixturePath('component-http');
    const r = await wasmWorkbench(
      'deploy',
      file,
      '--image',
      '127.0.0.1:5000/demo/hello:v1',
      '--runtime-class',
      'wasmtime',
      '--pool',
      'kubernetes.azure.com/agentpool=wasm',
      '--toleration',
      'kwasm.sh/wasm=true:NoSchedule',
      '--port',
      '8080',
      '--replicas',
      '3',
      '--name',
      'hello',
      '--namespace',
      'apps',
      '--dry-run',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[inspect\] .*WASI 0\.2 component \(HTTP proxy world\)/);
    assert.match(r.stderr, /\[resolve\] Deployment on RuntimeClass wasmtime/);
    const docs = parseAllDocuments(r.stdout);
    assert.equal(docs.length, 2);
    const [deployment, service] = docs.map((d) => d.toJSON() as Record<string, any>);
    for (const o of [deployment, service]) await validateManifest(o!);
    assert.equal(deployment!.kind, 'Deployment');
    assert.equal(deployment!.metadata.namespace, 'apps');
    assert.equal(deployment!.spec.replicas, 3);
    const pod = deployment!.spec.template.spec;
    assert.equal(pod.runtimeClassName, 'wasmtime');
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.azure.com/agentpool': 'wasm' });
    assert.deepEqual(pod.tolerations, [{ key: 'kwasm.sh/wasm', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    assert.match(pod.containers[0].image, /^127\.0\.0\.1:5000\/demo\/hello@sha256:[0-9a-f]{64}$/);
    assert.equal(service!.kind, 'Service');
    assert.equal(service!.spec.ports[0].port, 8080);
    assert.match(r.stdout, /# image: the runwasi form of this binary pushed as 127\.0\.0\.1:5000\/demo\/hello:v1 has digest sha256:/);
  });

  it('the digest shown is the one a push would give: the same binary twice, the same YAML', async () => {
    const file = await fixturePath('preview1-command');
    const args = [
      'deploy',
      file,
      '--image',
      '127.0.0.1:5000/cmd:v1',
      '--runtime-class',
      'wasmedge',
      '--node-selector',
      'pool=edge',
      '--dry-run',
      '-q',
    ];
    const [a, b] = [await wasmWorkbench(...args), await wasmWorkbench(...args)];
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.equal(a.stderr, '');
  });

  it('prints a SpinApp with --spin', async () => {
    const r = await wasmWorkbench(
      'deploy',
      await fixturePath('component-http'),
      '--image',
      '127.0.0.1:5000/spin-hello:v1',
      '--spin',
      '--dry-run',
      '-q',
    );
    assert.equal(r.code, 0, r.stderr);
    const [app] = parseAllDocuments(r.stdout).map((d) => d.toJSON() as Record<string, any>);
    assert.equal(app!.kind, 'SpinApp');
    assert.equal(app!.spec.executor, 'containerd-shim-spin');
    await validateManifest(app!);
  });

  it('--json gives the manifests and the target; a command is a Job', async () => {
    const r = await wasmWorkbench(
      'deploy',
      await fixturePath('preview1-command'),
      '--image',
      '127.0.0.1:5000/cmd:v1',
      '--runtime-class',
      'wasmtime',
      '--pool',
      'a=b',
      '--dry-run',
      '--json',
      '-q',
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.dryRun, true);
    assert.equal(json.target.runtimeClassName, 'wasmtime');
    assert.equal(json.target.workload, 'Job');
    assert.equal(json.manifests[0].kind, 'Job');
    assert.equal(json.manifests[0].spec.template.spec.restartPolicy, 'Never');
    await validateManifest(json.manifests[0]);
  });

  it('a command on a Spin RuntimeClass is refused (it would be a WAGI handler), with the way out', async () => {
    const r = await wasmWorkbench(
      'deploy',
      await fixturePath('preview1-command'),
      '--image',
      '127.0.0.1:5000/cmd:v1',
      '--runtime-class',
      'wasmtime-spin-v2',
      '--pool',
      'a=b',
      '--dry-run',
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /would run a command as a WAGI handler, which answers every request with an error unless the program writes CGI headers; choose a runwasi RuntimeClass/,
    );
  });

  it('exit 2 for a refused runtime, bad input, a missing --image; exit 3 for --deny', async () => {
    const http = await fixturePath('component-http');
    const refused = await wasmWorkbench(
      'deploy',
      http,
      '--image',
      '127.0.0.1:5000/x:v1',
      '--runtime-class',
      'wasmedge',
      '--pool',
      'a=b',
      '--dry-run',
    );
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /cannot be deployed: on RuntimeClass wasmedge: RuntimeClass wasmedge \(WasmEdge \(runwasi\)\) does not run a wasi:http proxy component: choose a Spin RuntimeClass/,
    );
    assert.equal(refused.stdout, '');
    const emscripten = await wasmWorkbench(
      'deploy',
      await fixturePath('emscripten-style'),
      '--image',
      '127.0.0.1:5000/x:v1',
      '--runtime-class',
      'wasmtime',
      '--pool',
      'a=b',
      '--dry-run',
    );
    assert.equal(emscripten.code, 2);
    assert.match(emscripten.stderr, /built by Emscripten/);
    for (const bad of [
      ['--replicas', 'two'],
      ['--port', '70000'],
      ['--image', 'Registry.io/App:v1'],
      ['--name', 'Bad_Name'],
      ['--toleration', 'x'],
      ['--form', 'zip'],
      ['--form', 'artifact'],
      ['--workload', 'job'],
      ['--workload', 'daemon'],
    ]) {
      const args = ['deploy', http, '--image', '127.0.0.1:5000/x:v1', '--runtime-class', 'wasmtime', '--pool', 'a=b', '--dry-run'];
      const i = args.indexOf(bad[0]!);
      if (i >= 0) args[i + 1] = bad[1]!;
      else args.push(...bad);
      const r = await wasmWorkbench(...args);
      assert.equal(r.code, 2, `${bad.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^wasm-workbench: /m);
    }
    const noImage = await wasmWorkbench('deploy', http, '--dry-run');
    assert.equal(noImage.code, 2);
    assert.match(noImage.stderr, /--image REG\/REPO:TAG is required/);
    const denied = await wasmWorkbench(
      'deploy',
      await fixturePath('preview1-command'),
      '--image',
      '127.0.0.1:5000/x:v1',
      '--runtime-class',
      'wasmtime',
      '--pool',
      'a=b',
      '--dry-run',
      '--deny',
      'stdio',
    );
    assert.equal(denied.code, 3);
    assert.match(denied.stderr, /policy violation: needs denied capability stdio/);
  });

  it('without the target on the command line, a dry-run needs the cluster and says which kubeconfig is missing', async () => {
    const r = await wasmWorkbench(
      'deploy',
      await fixturePath('preview1-command'),
      '--image',
      '127.0.0.1:5000/x:v1',
      '--context',
      'kind-wasm',
      '--dry-run',
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /no-such-kubeconfig|no context named "kind-wasm"/);
  });

  it('help lists every flag of the brief', async () => {
    const r = await wasmWorkbench('deploy', '--help');
    assert.equal(r.code, 0);
    for (const flag of [
      '--context',
      '--image',
      '--runtime-class',
      '--pool',
      '--workload',
      '--replicas',
      '--port',
      '--spin',
      '--dry-run',
      '--namespace',
      '--form',
      '--insecure',
    ])
      assert.ok(r.stdout.includes(flag), flag);
    const u = await wasmWorkbench('undeploy', '--help');
    assert.equal(u.code, 0);
    assert.match(u.stdout, /undeploy NAME --context C/);
  });
});
