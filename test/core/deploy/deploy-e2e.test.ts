/**
 * Deploy end to end on loopback: a real OCI registry (Debian's docker-registry), the test API server over HTTPS
 * with its own CA and bearer tokens, and the real client-node through a real kubeconfig file. Deploy (push, apply,
 * rollout), redeploy (idempotent), undeploy, the CLI as a process, and failures midway: registry down, a rollout
 * that fails (events in the error), a 403 from the API server, a refused pool.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { deploy, DeployError, undeploy, type DeployRequest } from '../../../src/core/deploy';
import { pullManifest } from '../../../src/core/oci';
import { fixturePath } from '../../fixtures';
import { fixtures, startKubeTestServer, type KubeObject, type KubeTestServer } from '../../support/kube-test-server';
import { freePort, startRegistry, type TestRegistry } from '../../support/registry';
import { validateManifest } from './validate';

const exec = promisify(execFile);
const cli = join(process.cwd(), 'dist', 'cli.js');

const wasmNode = (name: string) =>
  fixtures.node(name, {
    labels: { 'kubernetes.azure.com/agentpool': 'wasmpool', 'kwasm.sh/kwasm-provisioned': 'true', wasm: 'yes' },
    annotations: { 'kwasm.sh/kwasm-node': 'true' },
    taints: [{ key: 'kwasm.sh/wasm', value: 'true', effect: 'NoSchedule' }],
  });

function clusterObjects(): KubeObject[] {
  return [
    wasmNode('wasm-0'),
    wasmNode('wasm-1'),
    fixtures.node('system-0', { labels: { 'kubernetes.azure.com/agentpool': 'system' } }),
    fixtures.runtimeClass('wasmtime', 'wasmtime', { wasm: 'yes' }),
    // SpinApp pods get only the RuntimeClass's tolerations, so the Spin RuntimeClass tolerates the pool's taint.
    fixtures.runtimeClass('wasmtime-spin-v2', 'spin', { wasm: 'yes' }, [{ key: 'kwasm.sh/wasm', operator: 'Exists', effect: 'NoSchedule' }]),
    fixtures.runtimeClass('wasmedge', 'wasmedge', { wasm: 'yes' }),
    ...fixtures.spinKubeCrds(),
    fixtures.spinAppExecutor('containerd-shim-spin', 'wasmtime-spin-v2'),
  ];
}

let registry: TestRegistry;
let server: KubeTestServer;
let dir = '';
let kubeconfig = '';
let readerKubeconfig = '';
let http = '';

function request(extra: Partial<DeployRequest>): DeployRequest {
  return { file: http, image: `${registry.host}/apps/hello:v1`, context: 'test', kubeconfig: { path: kubeconfig }, pollMs: 50, rolloutTimeoutMs: 20_000, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<DeployError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeployError, `expected a DeployError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the deploy to fail');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasm-workbench-deploy-'));
  [registry, server, http] = await Promise.all([
    startRegistry(),
    startKubeTestServer({
      objects: clusterObjects(),
      readyDelayMs: 100,
      tokens: { 'reader-token': { user: 'reader', rules: [{ verbs: ['get', 'list', 'watch'], resources: ['*'] }] } },
    }),
    fixturePath('component-http'),
  ]);
  kubeconfig = server.writeKubeconfig(join(dir, 'kubeconfig'), { contextName: 'test' });
  readerKubeconfig = server.writeKubeconfig(join(dir, 'reader-kubeconfig'), { contextName: 'test', token: 'reader-token' });
});

after(async () => {
  await Promise.all([registry?.stop(), server?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('deploy against the loopback registry and the test API server', () => {
  it('deploys: pushes, applies a Deployment and a Service by server-side apply, and waits for the rollout', async () => {
    const steps: string[] = [];
    const result = await deploy(request({ name: 'hello', port: 8080, replicas: 2, onProgress: (e) => steps.push(`${e.step}:${e.phase}`) }));
    assert.equal(result.rollout?.ready, true);
    assert.equal(result.rollout?.readyReplicas, 2);
    assert.deepEqual(result.applied.map((a) => `${a.kind}/${a.name}/${a.result}`), ['Deployment/hello/created', 'Service/hello/created']);
    for (const s of ['inspect:start', 'push:start', 'push:done', 'apply:start', 'apply:done', 'rollout:start', 'rollout:done']) assert.ok(steps.includes(s), `progress ${s} in ${steps.join(' ')}`);
    assert.ok(steps.indexOf('push:done') < steps.indexOf('apply:start') && steps.indexOf('apply:done') < steps.indexOf('rollout:start'));

    // The registry holds what the pods pull, by the digest in the manifest.
    assert.equal(result.form, 'runwasi');
    assert.match(result.image, new RegExp(`^${registry.host.replace(/\./g, '\\.')}/apps/hello@sha256:[0-9a-f]{64}$`));
    const pulled = await pullManifest(result.image);
    assert.equal(pulled.digest, result.digest);

    // What the server stores: the pool's selector and tolerations, the runtime class, the labels, owned by our manager.
    const stored = server.store.get('apps/v1', 'Deployment', 'hello', 'default') as KubeObject & { spec: any };
    const pod = stored.spec.template.spec;
    assert.equal(pod.runtimeClassName, 'wasmtime');
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.azure.com/agentpool': 'wasmpool' });
    assert.deepEqual(pod.tolerations, [{ key: 'kwasm.sh/wasm', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    assert.equal(pod.containers[0].image, result.image);
    assert.equal(stored.metadata?.labels?.['app.kubernetes.io/managed-by'], 'wasm-workbench');
    const managers = (stored.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields ?? [];
    assert.ok(managers.some((m) => m.manager === 'wasm-workbench' && m.operation === 'Apply'), JSON.stringify(managers));
    for (const m of result.manifests) await validateManifest(m);
    // Pods landed on the Wasm pool.
    const pods = server.store.list('v1', 'Pod', { namespace: 'default' }).filter((p) => p.metadata?.labels?.['app.kubernetes.io/name'] === 'hello');
    assert.equal(pods.length, 2);
    for (const p of pods) assert.match(String((p.spec as { nodeName?: string }).nodeName), /^wasm-/);
  });

  it('redeploys idempotently: same objects, no conflict, generation and resourceVersion unchanged', async () => {
    const before = server.store.get('apps/v1', 'Deployment', 'hello', 'default')!;
    const result = await deploy(request({ name: 'hello', port: 8080, replicas: 2 }));
    assert.deepEqual(result.applied.map((a) => `${a.kind}/${a.name}/${a.result}`), ['Deployment/hello/unchanged', 'Service/hello/unchanged']);
    const after = server.store.get('apps/v1', 'Deployment', 'hello', 'default')!;
    assert.equal(after.metadata?.generation, before.metadata?.generation);
    assert.deepEqual(after.spec, before.spec);
    assert.equal(result.rollout?.ready, true);
    // A change (replicas) is applied as an update of the same objects.
    const scaled = await deploy(request({ name: 'hello', port: 8080, replicas: 3 }));
    assert.equal(scaled.applied[0]!.result, 'configured');
    assert.equal(scaled.applied[0]!.generation, (before.metadata?.generation ?? 0) + 1);
    assert.equal(scaled.rollout?.readyReplicas, 3);
  });

  it('a field another manager took over is a conflict with the way out; --force-conflicts takes it back', async () => {
    await deploy(request({ name: 'shared', replicas: 1 }));
    const r = server.store.resourceFor('apps/v1', 'Deployment')!;
    server.store.apply(r, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shared', namespace: 'default' }, spec: { replicas: 4 } }, 'default', 'shared', { fieldManager: 'autoscaler', force: true });
    const conflict = await failure(deploy(request({ name: 'shared', replicas: 1 })));
    assert.equal(conflict.step, 'apply');
    assert.match(conflict.message, /server-side apply of Deployment default\/shared failed: Conflict: .*autoscaler.*--force-conflicts/);
    const forced = await deploy(request({ name: 'shared', replicas: 1, force: true }));
    assert.equal(forced.applied[0]!.result, 'configured');
    assert.equal((server.store.get('apps/v1', 'Deployment', 'shared', 'default') as { spec: { replicas: number } }).spec.replicas, 1);
    await undeploy({ name: 'shared', context: 'test', kubeconfig: { path: kubeconfig } });
  });

  it('undeploys what the deploy created, and nothing else', async () => {
    server.store.put(fixtures.deployment('bystander', 'registry.example/other:1', { runtimeClassName: 'wasmtime' }));
    const result = await undeploy({ name: 'hello', context: 'test', kubeconfig: { path: kubeconfig } });
    assert.deepEqual(result.deleted.map((d) => `${d.kind}/${d.name}`).sort(), ['Deployment/hello', 'Service/hello']);
    assert.equal(server.store.get('apps/v1', 'Deployment', 'hello', 'default'), undefined);
    assert.equal(server.store.get('v1', 'Service', 'hello', 'default'), undefined);
    assert.ok(server.store.get('apps/v1', 'Deployment', 'bystander', 'default'));
    const again = await undeploy({ name: 'hello', context: 'test', kubeconfig: { path: kubeconfig } });
    assert.deepEqual(again.deleted, []);
  });

  it('deploys a SpinApp with --spin and the CLI, then undeploys it with the CLI', async () => {
    const env = { ...process.env, KUBECONFIG: kubeconfig };
    const d = await exec(process.execPath, [cli, 'deploy', http, '--context', 'test', '--image', `${registry.host}/apps/spin-hello:v1`, '--spin', '--name', 'spin-hello', '--timeout', '20'], { env });
    assert.match(d.stdout, /^Deployed spin-hello to test\/default/m);
    assert.match(d.stdout, /applied: {2}SpinApp spin-hello \(created/);
    assert.match(d.stdout, /rollout: {2}ready, 1\/1 ready/);
    assert.match(d.stderr, /\[push\] Pushed .*spin-hello@sha256:/);
    assert.match(d.stderr, /\[rollout\] /);
    const app = server.store.get('core.spinkube.dev/v1alpha1', 'SpinApp', 'spin-hello', 'default') as KubeObject & { spec: any };
    assert.equal(app.spec.executor, 'containerd-shim-spin');
    assert.match(app.spec.image, /spin-hello@sha256:/);
    const pulled = await pullManifest(app.spec.image);
    assert.ok(pulled.manifest.layers.some((l: { mediaType: string }) => l.mediaType === 'application/vnd.fermyon.spin.application.v1+config'));
    const u = await exec(process.execPath, [cli, 'undeploy', 'spin-hello', '--context', 'test'], { env });
    assert.match(u.stdout, /Deleted SpinApp spin-hello from default/);
    assert.equal(server.store.get('core.spinkube.dev/v1alpha1', 'SpinApp', 'spin-hello', 'default'), undefined);
  });

  it('registry down: a clear error at the push, nothing applied', async () => {
    const port = await freePort();
    const error = await failure(deploy(request({ name: 'no-registry', image: `127.0.0.1:${port}/apps/x:v1` })));
    assert.equal(error.kind, 'failed');
    assert.equal(error.step, 'push');
    assert.match(error.message, new RegExp(`push to 127\\.0\\.0\\.1:${port} failed: .*`));
    assert.match(error.details, /Nothing was applied/);
    assert.equal(server.store.get('apps/v1', 'Deployment', 'no-registry', 'default'), undefined);
  });

  it('a rollout that fails: the error names the pull failure, with the pod events', async () => {
    const error = await failure(deploy(request({ name: 'broken', image: `${registry.host}/apps/fail-app:v1` })));
    assert.equal(error.kind, 'failed');
    assert.equal(error.step, 'rollout');
    assert.match(error.message, /rollout of Deployment default\/broken failed: (ErrImagePull|ImagePullBackOff)/);
    assert.match(error.details, /Pod broken-[a-z0-9-]+: Pending/);
    assert.match(error.details, /Events:\n(.|\n)*Warning (Failed|BackOff) pod\/broken-/);
    // The CLI exits 1 and prints the same.
    const r = await exec(process.execPath, [cli, 'deploy', http, '--context', 'test', '--image', `${registry.host}/apps/fail-app:v1`, '--name', 'broken', '--timeout', '20', '-q'], { env: { ...process.env, KUBECONFIG: kubeconfig } }).then(
      () => assert.fail('expected exit 1'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /wasm-workbench: rollout of Deployment default\/broken failed: (ErrImagePull|ImagePullBackOff)/);
    assert.match(r.stderr, /Events:/);
    await undeploy({ name: 'broken', context: 'test', kubeconfig: { path: kubeconfig } });
  });

  it('API server 403: readable, with what to ask for; nothing applied, and the push before it is harmless', async () => {
    const error = await failure(deploy(request({ name: 'forbidden', kubeconfig: { path: readerKubeconfig } })));
    assert.equal(error.kind, 'failed');
    assert.equal(error.step, 'apply');
    assert.match(error.message, /server-side apply of Deployment default\/forbidden failed: Forbidden: .*reader.*\[HTTP 403\]/);
    assert.match(error.message, /ask for the RBAC rights/);
    assert.match(error.details, /Nothing was applied/);
    assert.equal(server.store.get('apps/v1', 'Deployment', 'forbidden', 'default'), undefined);
  });

  it('refuses a pool without a Wasm runtime, and a component on a core-module shim, before pushing', async () => {
    const pool = await failure(deploy(request({ name: 'wrong-pool', pool: 'system' })));
    assert.equal(pool.kind, 'refused');
    assert.match(pool.message, /pool system has no Wasm runtime/);
    const shim = await failure(deploy(request({ name: 'wrong-shim', runtimeClass: 'wasmedge' })));
    assert.equal(shim.kind, 'refused');
    assert.match(shim.message, /HTTP proxy component: it needs Spin or a wasi-http capable shim/);
    const r = await exec(process.execPath, [cli, 'deploy', http, '--context', 'test', '--image', `${registry.host}/apps/x:v1`, '--pool', 'system', '-q'], { env: { ...process.env, KUBECONFIG: kubeconfig } }).then(
      () => assert.fail('expected exit 2'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pool system has no Wasm runtime/);
  });
});
