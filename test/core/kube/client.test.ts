/**
 * The client and the cluster model against the test API server, with the real @kubernetes/client-node through a
 * real kubeconfig: a mixed cluster, clusters that refuse or never answer (a timeout, never a hang), expired and
 * limited credentials, exec credential plugins, watches, and a paginated 5,000-node cluster.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectToContext, KubeError, loadKubeconfig, readClusterModel, readClusterObjects, watchClusterObjects, type KubeClient } from '../../../src/core/kube';
import { fixtures, kubeconfigEntries, startKubeTestServer, type KubeTestServer } from '../../support/kube-test-server';

const dir = mkdtempSync(join(tmpdir(), 'kube-client-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function clientFor(server: KubeTestServer, options: { token?: string; timeoutMs?: number; serverUrl?: string; name?: string } = {}): Promise<KubeClient> {
  const name = options.name ?? `ctx-${Math.random().toString(36).slice(2, 8)}`;
  const path = server.writeKubeconfig(join(dir, `${name}.yaml`), { contextName: name, ...(options.token ? { token: options.token } : {}), ...(options.serverUrl ? { server: options.serverUrl } : {}) });
  const kubeconfig = await loadKubeconfig({ path });
  return connectToContext(kubeconfig, name, { timeoutMs: options.timeoutMs ?? 5000 });
}

async function expectKubeError(promise: Promise<unknown>, kind: KubeError['kind'], message: RegExp, withinMs?: number): Promise<KubeError> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    const elapsed = Date.now() - started;
    assert.ok(error instanceof KubeError, `expected a KubeError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    if (withinMs !== undefined) assert.ok(elapsed < withinMs, `took ${elapsed} ms`);
    return error;
  }
  return assert.fail('expected an error');
}

/** A port where nothing listens. */
async function refusingPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the cluster model through client-node and a kubeconfig', () => {
  let server: KubeTestServer;
  before(async () => {
    server = await startKubeTestServer({
      objects: [
        ...fixtures.mixedCluster(),
        fixtures.deployment('web', 'ghcr.io/example/web:1', { runtimeClassName: 'wasmtime-spin-v2' }),
        fixtures.deployment('nginx', 'nginx:1.27'),
      ],
      tokens: {
        'rc-only': { user: 'rc-reader', rules: [{ verbs: ['get', 'list', 'watch'], resources: ['runtimeclasses'] }] },
        'team-a': { user: 'team-a', rules: [{ verbs: ['get', 'list', 'watch'], resources: ['nodes', 'runtimeclasses'] }, { verbs: ['*'], resources: ['*'], namespaces: ['default'] }] },
      },
      readyDelayMs: 20,
    });
    // Let the controller run the Deployment's pod.
    for (let i = 0; i < 100 && !server.store.list('apps/v1', 'Deployment').every((d: any) => d.status?.readyReplicas === 1); i++) await new Promise((r) => setTimeout(r, 20));
  });
  after(() => server.stop());

  it('reads pools, runtimes and workloads of a mixed cluster', async () => {
    const client = await clientFor(server);
    const model = await readClusterModel(client);
    assert.equal(model.nodeCount, 10);
    assert.deepEqual(model.nodePools.filter((p) => p.wasmCapable).map((p) => p.name), ['arm-wasm', 'wasipool', 'wasm-pool']);
    assert.deepEqual(model.runtimes.map((r) => r.runtimeClassName), ['spin-arm', 'wasmedge', 'wasmtime-slight-v1', 'wasmtime-spin-v2']);
    assert.deepEqual(model.spinKube.executors.map((e) => e.runtimeClassName), ['wasmtime-spin-v2']);
    assert.deepEqual(model.workloads.map((w) => [w.kind, w.name, w.state, w.status]), [['Deployment', 'web', 'ready', '1/1 ready']]);
    assert.equal(model.workloads[0]!.pods[0]!.nodeName, 'aks-wasipool-0');
    assert.deepEqual(model.problems, []);
  });

  it('gives client-node\'s typed and generic APIs, with every key kept by the raw ones', async () => {
    const client = await clientFor(server);
    const nodes = await client.core.listNode();
    assert.equal(nodes.items.length, 10);
    const rcs = await client.node.listRuntimeClass();
    assert.ok(rcs.items.some((r) => r.handler === 'spin'));
    const d = await client.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(d.spec?.template.spec?.runtimeClassName, 'wasmtime-spin-v2');
    const viaObjects = await client.objects.read({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'wasmedge' } });
    assert.equal((viaObjects as { handler?: string }).handler, 'wasmedge');
    const executors = await client.custom.listNamespacedCustomObject({ group: 'core.spinkube.dev', version: 'v1alpha1', namespace: 'default', plural: 'spinappexecutors' });
    assert.equal((executors as { items: unknown[] }).items.length, 1);
    const raw = await client.get('core.spinkube.dev/v1alpha1', 'SpinAppExecutor', 'containerd-shim-spin');
    assert.deepEqual((raw as any).spec.deploymentConfig, { runtimeClassName: 'wasmtime-spin-v2', installDefaultCACerts: true });
    assert.equal(await client.get('v1', 'ConfigMap', 'nothing-here'), undefined);
    const listed = await client.list('v1', 'Node', { labelSelector: 'agentpool=system' });
    assert.deepEqual(listed.items.map((n) => n.metadata?.name), ['aks-system-0', 'aks-system-1']);
  });

  it('applies with server-side apply, reports a field conflict as a readable 409, and deletes', async () => {
    const client = await clientFor(server);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-client', namespace: 'default' }, data: { a: '1' } };
    const created = await client.apply(cm, { fieldManager: 'wasm-workbench' });
    assert.equal((created as any).data.a, '1');
    await expectKubeError(client.apply({ ...cm, data: { a: '2' } }, { fieldManager: 'someone-else' }), 'conflict', /Conflict: Apply failed with 1 conflict: conflict with "wasm-workbench" using v1: \.data\.a \[HTTP 409\]/);
    const forced = await client.apply({ ...cm, data: { a: '2' } }, { fieldManager: 'someone-else', force: true });
    assert.equal((forced as any).data.a, '2');
    assert.equal(await client.delete('v1', 'ConfigMap', 'ssa-client'), true);
    assert.equal(await client.delete('v1', 'ConfigMap', 'ssa-client'), false);
    await expectKubeError(client.apply({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } }, { fieldManager: 'x' }), 'not-found', /does not serve example\.com\/v1/);
  });

  it('an expired or wrong token is a readable 401', async () => {
    const client = await clientFor(server, { token: 'expired-token' });
    await expectKubeError(readClusterModel(client), 'unauthorized', /^Unauthorized \(the credentials are missing, wrong or expired\)/);
    await expectKubeError(client.core.listNode(), 'unauthorized', /Unauthorized/);
  });

  it('a forbidden list becomes a problem of the model, and the rest is still read', async () => {
    const client = await clientFor(server, { token: 'rc-only' });
    const model = await readClusterModel(client);
    assert.equal(model.nodeCount, 0);
    assert.equal(model.runtimes.length, 4);
    const nodes = model.problems.find((p) => p.section === 'nodes')!;
    assert.match(nodes.message, /Cannot list nodes: Forbidden: nodes is forbidden: User "rc-reader" cannot list resource "nodes" in API group "" at the cluster scope \[HTTP 403\]/);
    assert.ok(model.problems.some((p) => p.section === 'workloads'));
    await expectKubeError(client.core.listNode(), 'forbidden', /cannot list resource "nodes"/);
  });

  it('a namespace-scoped user sees the workloads of their namespace', async () => {
    const client = await clientFor(server, { token: 'team-a' });
    const model = await readClusterModel(client);
    assert.equal(model.nodeCount, 10);
    assert.deepEqual(model.workloads.map((w) => w.name), ['web']);
    assert.ok(model.problems.some((p) => /showing namespace default only/.test(p.message)));
  });

  it('watches RuntimeClasses and Deployments from the lists\' versions and applies the changes', async () => {
    const client = await clientFor(server);
    const snapshot = await readClusterObjects(client);
    let changes = 0;
    const watch = watchClusterObjects(client, snapshot, () => changes++);
    try {
      await new Promise((r) => setTimeout(r, 100));
      server.store.put(fixtures.runtimeClass('wasmer', 'wasmer', { 'wasm/wasmer': 'true' }));
      server.store.delete('node.k8s.io/v1', 'RuntimeClass', 'wasmedge');
      for (let i = 0; i < 100 && changes < 2; i++) await new Promise((r) => setTimeout(r, 20));
      const names = watch.current().runtimeClasses.map((r) => r.metadata?.name).sort();
      assert.ok(names.includes('wasmer'));
      assert.ok(!names.includes('wasmedge'));
    } finally {
      watch.stop();
      server.store.put(fixtures.runtimeClass('wasmedge', 'wasmedge'));
      server.store.delete('node.k8s.io/v1', 'RuntimeClass', 'wasmer');
    }
  });

  it('a watch from an expired resourceVersion ends with a `gone` error', async () => {
    const client = await clientFor(server);
    const old = String(server.store.resourceVersion);
    server.store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump', namespace: 'default' } });
    server.store.compact();
    const handle = client.watch('/apis/node.k8s.io/v1/runtimeclasses', { resourceVersion: old }, () => {});
    const error = await handle.done;
    assert.ok(error instanceof KubeError);
    assert.equal(error.kind, 'gone');
    assert.match(error.message, /too old resource version/);
  });
});

describe('clusters that cannot be reached', () => {
  let server: KubeTestServer;
  let silent: Server;
  const sockets = new Set<Socket>();
  before(async () => {
    server = await startKubeTestServer({ objects: [fixtures.node('n1')], controller: false });
    silent = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  });
  after(async () => {
    await server.stop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('a port that refuses gives `unreachable` at once', async () => {
    const port = await refusingPort();
    const client = await clientFor(server, { serverUrl: `https://127.0.0.1:${port}` });
    await expectKubeError(readClusterModel(client), 'unreachable', new RegExp(`Cannot reach https://127\\.0\\.0\\.1:${port}: connection refused`), 3000);
  });

  it('a server that accepts and never answers gives a timeout, not a hang', async () => {
    const port = (silent.address() as { port: number }).port;
    const client = await clientFor(server, { serverUrl: `https://127.0.0.1:${port}`, timeoutMs: 600 });
    await expectKubeError(readClusterModel(client), 'timeout', /did not answer within 0\.6 s/, 2500);
    await expectKubeError(client.core.listNode(), 'timeout', /did not answer/, 2500);
    const handle = client.watch('/api/v1/nodes', {}, () => {});
    const error = await handle.done;
    assert.equal(error?.kind, 'timeout');
  });

  it('an API server that hangs mid-way (after TLS) gives a timeout through every API', async () => {
    const client = await clientFor(server, { timeoutMs: 600 });
    server.stall(true);
    try {
      await expectKubeError(readClusterModel(client), 'timeout', /did not answer/, 2500);
      await expectKubeError(client.apps.listDeploymentForAllNamespaces(), 'timeout', /did not answer/, 2500);
      await expectKubeError(client.objects.list('v1', 'Node'), 'timeout', /did not answer/, 2500);
    } finally {
      server.stall(false);
    }
    assert.equal((await readClusterModel(client)).nodeCount, 1, 'the same client works again');
  });

  it('a wrong CA is a TLS error', async () => {
    const other = await startKubeTestServer({ controller: false });
    try {
      // This server's kubeconfig, but the other server's address: its certificate is signed by the same CA, so
      // give a CA that signed nothing here.
      const path = join(dir, 'wrong-ca.yaml');
      const e = kubeconfigEntries({ contextName: 'wrong-ca', server: other.url, caPem: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0ZzZ2VuZXJhdGVkRm9yVGVzdHMwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n', token: other.token });
      writeFileSync(path, `apiVersion: v1\nkind: Config\nclusters:\n${e.cluster}users:\n${e.user}contexts:\n${e.context}current-context: wrong-ca\n`);
      const client = await connectToContext(await loadKubeconfig({ path }), 'wrong-ca', { timeoutMs: 3000 });
      const error = await readClusterModel(client).then(() => undefined, (err: unknown) => err);
      assert.ok(error instanceof KubeError);
      assert.equal(error.kind, 'tls', error.message);
    } finally {
      await other.stop();
    }
  });

  it('a context naming a missing cluster or plain http without skip-verify is a config error', async () => {
    const path = join(dir, 'dangling.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: Config\nclusters:\n- name: plain\n  cluster:\n    server: http://127.0.0.1:1\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: gone\n  context: {cluster: nowhere, user: u}\n- name: plain\n  context: {cluster: plain, user: u}\n');
    const kc = await loadKubeconfig({ path });
    await expectKubeError(connectToContext(kc, 'gone'), 'config', /context "gone" names cluster "nowhere", which is not defined/);
    await expectKubeError(connectToContext(kc, 'plain'), 'config', /plain http/);
    await expectKubeError(connectToContext(kc, 'absent'), 'config', /no context named "absent"/);
  });
});

describe('exec credential plugins', () => {
  let server: KubeTestServer;
  before(async () => {
    server = await startKubeTestServer({ objects: [fixtures.node('n1'), fixtures.runtimeClass('spin', 'spin')], controller: false, tokens: { 'from-exec-plugin': 'exec-user' } });
  });
  after(() => server.stop());

  function execKubeconfig(name: string, script: string): string {
    const plugin = join(dir, `${name}.js`);
    writeFileSync(plugin, script);
    const e = kubeconfigEntries({ contextName: name, server: server.url, caPem: server.caPem, token: 'unused' });
    const user = `- name: ${name}-user\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${JSON.stringify(process.execPath)}\n      args: [${JSON.stringify(plugin)}]\n      interactiveMode: Never\n`;
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, `apiVersion: v1\nkind: Config\nclusters:\n${e.cluster}users:\n${user}contexts:\n${e.context}current-context: ${name}\n`);
    return path;
  }

  it('work as in kubectl: the plugin\'s token authenticates', async () => {
    const path = execKubeconfig('exec-ok', `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-exec-plugin' } }));\n`);
    const client = await connectToContext(await loadKubeconfig({ path }), 'exec-ok', { timeoutMs: 5000 });
    const model = await readClusterModel(client);
    assert.equal(model.nodeCount, 1);
    assert.equal(server.requests.filter((r) => r.user === 'exec-user').length > 0, true);
  });

  it('a plugin that hangs cannot hang the caller', async () => {
    const pidFile = join(dir, 'exec-hang.pid');
    const path = execKubeconfig('exec-hang', `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 60_000);\n`);
    const client = await connectToContext(await loadKubeconfig({ path }), 'exec-hang', { timeoutMs: 700 });
    try {
      await expectKubeError(readClusterModel(client), 'timeout', /did not answer within 0\.7 s/, 3000);
    } finally {
      // The plugin is still waiting: end it (it was started by this test).
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  it('a plugin that fails is a readable credentials error', async () => {
    const path = execKubeconfig('exec-fail', "process.stderr.write('token expired, run login'); process.exit(1);\n");
    const client = await connectToContext(await loadKubeconfig({ path }), 'exec-fail', { timeoutMs: 5000 });
    const error = await readClusterModel(client).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof KubeError, String(error));
    assert.ok(['unauthorized', 'server'].includes(error.kind), error.kind);
    assert.match(error.message, /token expired|exit|fail/i);
  });
});

describe('a 5,000-node cluster', () => {
  it('is listed in pages of 500 and builds its model correctly', async () => {
    const objects = [];
    for (let i = 0; i < 5000; i++) {
      objects.push(fixtures.node(`node-${String(i).padStart(4, '0')}`, { labels: { 'karpenter.sh/nodepool': `pool-${i % 25}`, ...(i % 25 === 0 ? { 'wasm.example/spin': 'true' } : {}) } }));
    }
    objects.push(fixtures.runtimeClass('spin', 'spin', { 'wasm.example/spin': 'true' }));
    const server = await startKubeTestServer({ objects, controller: false });
    try {
      const client = await clientFor(server, { timeoutMs: 20_000 });
      const started = Date.now();
      const model = await readClusterModel(client);
      const ms = Date.now() - started;
      assert.equal(model.nodeCount, 5000);
      assert.equal(model.nodePools.length, 25);
      assert.deepEqual(model.nodePools.filter((p) => p.wasmCapable).map((p) => [p.name, p.nodes.length]), [['pool-0', 200]]);
      const nodeLists = server.requests.filter((r) => r.path === '/api/v1/nodes');
      assert.equal(nodeLists.length, 10);
      assert.ok(nodeLists.every((r) => r.query.limit === '500'));
      assert.ok(ms < 10_000, `took ${ms} ms`);
    } finally {
      await server.stop();
    }
  });
});
