/**
 * The client and the cluster model against a real Kubernetes control plane (test/support/control-plane.ts: etcd,
 * kube-apiserver, controller-manager, scheduler, kwok), with the real @kubernetes/client-node through a real
 * kubeconfig: a mixed cluster, clusters that refuse or never answer (a timeout, never a hang), expired and limited
 * credentials, exec credential plugins, watches, and a paginated 5,000-node cluster.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  connectToContext,
  KubeError,
  loadKubeconfig,
  readClusterModel,
  readClusterObjects,
  watchClusterObjects,
  type KubeClient,
} from '../../../src/core/kube';
import * as fixtures from '../../support/cluster-fixtures';
import { makeAuthority } from '../../support/certs';
import { closedPort, hungListener, startControlPlane, type ControlPlane, type TestUser } from '../../support/control-plane';

const dir = mkdtempSync(join(tmpdir(), 'kube-client-test-'));
let cp: ControlPlane;
before(async () => {
  cp = await startControlPlane();
});
after(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function clientFor(
  options: { user?: TestUser; namespace?: string; timeoutMs?: number; serverUrl?: string; name?: string } = {},
): Promise<KubeClient> {
  const name = options.name ?? `ctx-${Math.random().toString(36).slice(2, 8)}`;
  const path = cp.writeKubeconfig(join(dir, `${name}.yaml`), {
    contextName: name,
    ...(options.user ? { user: options.user } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.serverUrl ? { server: options.serverUrl } : {}),
  });
  const kubeconfig = await loadKubeconfig({ path });
  return connectToContext(kubeconfig, name, { timeoutMs: options.timeoutMs ?? 10_000 });
}

async function expectKubeError(
  promise: Promise<unknown>,
  kind: KubeError['reason'],
  message: RegExp,
  withinMs?: number,
): Promise<KubeError> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    const elapsed = Date.now() - started;
    assert.ok(error instanceof KubeError, `expected a KubeError, got ${String(error)}`);
    assert.equal(error.reason, kind, error.message);
    assert.match(error.message, message);
    if (withinMs !== undefined) assert.ok(elapsed < withinMs, `took ${elapsed} ms`);
    return error;
  }
  return assert.fail('expected an error');
}

describe('the cluster model through client-node and a kubeconfig', () => {
  before(async () => {
    await cp.admin.apply([
      ...fixtures.mixedCluster(cp.kubeletPort),
      fixtures.deployment('web', 'registry.example/apps/web@sha256:00', { runtimeClassName: 'wasmtime-spin-v2' }),
      fixtures.deployment('nginx', 'nginx:1.27'),
      fixtures.deployment('team-web', 'registry.example/apps/web@sha256:00', { namespace: 'team-a', runtimeClassName: 'wasmtime-spin-v2' }),
    ]);
    // The controllers make the pods, the scheduler places them, kwok runs them.
    await cp.admin.waitFor(
      'Deployment web to be available',
      async () =>
        (await cp.admin.get<{ status?: { availableReplicas?: number } }>('apps/v1', 'Deployment', 'web'))?.status?.availableReplicas === 1,
      60_000,
    );
  });

  it('reads pools, runtimes and workloads of a mixed cluster', async () => {
    const client = await clientFor();
    const model = await readClusterModel(client);
    assert.equal(model.nodeCount, 12);
    assert.deepEqual(
      model.nodePools.filter((p) => p.wasmCapable).map((p) => p.name),
      ['arm-wasm', 'wasipool', 'wasm-pool', 'ungrouped-wasmtime-v5'],
    );
    assert.deepEqual(
      model.runtimes.map((r) => r.runtimeClassName),
      ['spin-arm', 'wasmedge', 'wasmtime-slight-v1', 'wasmtime-spin-v2', 'wasmtime-v5'],
    );
    assert.deepEqual(
      model.spinKube.executors.map((e) => e.runtimeClassName),
      ['wasmtime-spin-v2'],
    );
    const web = model.workloads.find((w) => w.name === 'web' && w.namespace === 'default')!;
    assert.deepEqual([web.kind, web.state, web.status], ['Deployment', 'ready', '1/1 available']);
    // The RuntimeClass admission put the pod on a node with the shim.
    assert.match(web.pods[0]!.nodeName ?? '', /^aks-wasipool-/);
    assert.ok(!model.workloads.some((w) => w.name === 'nginx'), 'a Linux Deployment is not a Wasm workload');
    assert.deepEqual(model.problems, []);
  });

  it("gives client-node's typed and generic APIs, with every key kept by the raw ones", async () => {
    const client = await clientFor();
    const nodes = await client.core.listNode();
    assert.equal(nodes.items.length, 12);
    const rcs = await client.node.listRuntimeClass();
    assert.ok(rcs.items.some((r) => r.handler === 'spin'));
    const d = await client.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(d.spec?.template.spec?.runtimeClassName, 'wasmtime-spin-v2');
    const viaObjects = await client.objects.read({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'wasmedge' } });
    assert.equal((viaObjects as { handler?: string }).handler, 'wasmedge');
    const executors = await client.custom.listNamespacedCustomObject({
      group: 'core.spinkube.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'spinappexecutors',
    });
    assert.equal((executors as { items: unknown[] }).items.length, 1);
    const raw = await client.get('core.spinkube.dev/v1alpha1', 'SpinAppExecutor', 'containerd-shim-spin');
    assert.deepEqual((raw as any).spec.deploymentConfig, { runtimeClassName: 'wasmtime-spin-v2', installDefaultCACerts: true });
    assert.equal(await client.get('v1', 'ConfigMap', 'nothing-here'), undefined);
    const listed = await client.list('v1', 'Node', { labelSelector: 'agentpool=system' });
    assert.deepEqual(
      listed.items.map((n) => n.metadata?.name),
      ['aks-system-0', 'aks-system-1'],
    );
  });

  it('applies with server-side apply, reports a field conflict as a readable 409, and deletes', async () => {
    const client = await clientFor();
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-client', namespace: 'default' }, data: { a: '1' } };
    const created = await client.apply(cm, { fieldManager: 'wasm-workbench' });
    assert.equal((created as any).data.a, '1');
    await expectKubeError(
      client.apply({ ...cm, data: { a: '2' } }, { fieldManager: 'someone-else' }),
      'conflict',
      /Conflict: Apply failed with 1 conflict: conflict with "wasm-workbench": \.data\.a \[HTTP 409\]/,
    );
    const forced = await client.apply({ ...cm, data: { a: '2' } }, { fieldManager: 'someone-else', force: true });
    assert.equal((forced as any).data.a, '2');
    assert.equal(await client.delete('v1', 'ConfigMap', 'ssa-client'), true);
    assert.equal(await client.delete('v1', 'ConfigMap', 'ssa-client'), false);
    await expectKubeError(
      client.apply({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } }, { fieldManager: 'x' }),
      'not-found',
      /does not serve example\.com\/v1/,
    );
  });

  it('an expired client certificate is a readable 401', async () => {
    const client = await clientFor({ user: 'expired' });
    await expectKubeError(readClusterModel(client), 'unauthorized', /^Unauthorized \(the credentials are missing, wrong or expired\)/);
    await expectKubeError(client.core.listNode(), 'unauthorized', /Unauthorized/);
  });

  it('forbidden lists become problems of the model; a namespace-scoped user sees the workloads of their namespace', async () => {
    const client = await clientFor({ user: 'team', namespace: 'team-a' });
    const model = await readClusterModel(client);
    assert.equal(model.nodeCount, 0);
    assert.equal(model.runtimes.length, 0);
    const nodes = model.problems.find((p) => p.section === 'nodes')!;
    assert.match(
      nodes.message,
      /Cannot list nodes: Forbidden: nodes is forbidden: User "team" cannot list resource "nodes" in API group "" at the cluster scope \[HTTP 403\]/,
    );
    assert.ok(
      model.problems.some((p) => p.section === 'runtimeClasses' && /runtimeclasses\.node\.k8s\.io is forbidden/.test(p.message)),
      JSON.stringify(model.problems),
    );
    assert.ok(
      model.problems.some((p) => /Listing Deployments in all namespaces is forbidden; showing namespace team-a only/.test(p.message)),
      JSON.stringify(model.problems),
    );
    await expectKubeError(client.core.listNode(), 'forbidden', /cannot list resource "nodes"/);
  });

  it("watches RuntimeClasses and Deployments from the lists' versions and applies the changes", async () => {
    const client = await clientFor();
    const snapshot = await readClusterObjects(client);
    let changes = 0;
    const watch = watchClusterObjects(client, snapshot, () => changes++);
    try {
      await new Promise((r) => setTimeout(r, 100));
      await cp.admin.apply([fixtures.runtimeClass('wasmer', 'wasmer', { 'wasm/wasmer': 'true' })]);
      await cp.admin.delete('node.k8s.io/v1', 'RuntimeClass', 'wasmedge');
      for (let i = 0; i < 200 && changes < 2; i++) await new Promise((r) => setTimeout(r, 20));
      const names = watch
        .current()
        .runtimeClasses.map((r) => r.metadata?.name)
        .sort();
      assert.ok(names.includes('wasmer'));
      assert.ok(!names.includes('wasmedge'));
    } finally {
      watch.stop();
      await cp.admin.apply([fixtures.runtimeClass('wasmedge', 'wasmedge')]);
      await cp.admin.delete('node.k8s.io/v1', 'RuntimeClass', 'wasmer');
    }
  });

  it('a watch from an expired resourceVersion ends with a `gone` error', async () => {
    const client = await clientFor();
    // ConfigMaps have no watch cache in the test control plane, so the watch goes to etcd, whose history is compacted.
    const path = '/api/v1/namespaces/default/configmaps';
    const { resourceVersion: old } = await client.listPath(path);
    await cp.admin.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump', namespace: 'default' }, data: { a: '1' } }]);
    await cp.admin.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bump', namespace: 'default' }, data: { a: '2' } }]);
    await cp.compactEtcd();
    const handle = client.watch(path, { resourceVersion: old, timeoutSeconds: 10 }, () => {});
    const error = await handle.done;
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, 'gone');
    assert.match(error.message, /Expired: The resourceVersion for the provided watch is too old\. \[HTTP 410\]/);
  });
});

describe('clusters that cannot be reached', () => {
  it('a port that refuses gives `unreachable` at once', async () => {
    const port = await closedPort();
    const client = await clientFor({ serverUrl: `https://127.0.0.1:${port}` });
    await expectKubeError(
      readClusterModel(client),
      'unreachable',
      new RegExp(`Cannot reach https://127\\.0\\.0\\.1:${port}: connection refused`),
      3000,
    );
  });

  it('a listener that accepts and never answers gives a timeout, not a hang', async () => {
    const hung = await hungListener();
    try {
      const client = await clientFor({ serverUrl: `https://127.0.0.1:${hung.port}`, timeoutMs: 600 });
      await expectKubeError(readClusterModel(client), 'timeout', /did not answer within 0\.6 s/, 2500);
      await expectKubeError(client.core.listNode(), 'timeout', /did not answer/, 2500);
      const error = await client.watch('/api/v1/nodes', {}, () => {}).done;
      assert.equal(error?.reason, 'timeout');
    } finally {
      await hung.close();
    }
  });

  it('an API server that stops answering (the real one, frozen) gives a timeout through every API, and works again after', async () => {
    const client = await clientFor({ timeoutMs: 800 });
    assert.ok((await readClusterModel(client)).nodeCount > 0);
    cp.freeze('apiserver', true);
    try {
      await expectKubeError(readClusterModel(client), 'timeout', /did not answer/, 3000);
      await expectKubeError(client.apps.listDeploymentForAllNamespaces(), 'timeout', /did not answer/, 3000);
      await expectKubeError(client.objects.list('v1', 'Node'), 'timeout', /did not answer/, 3000);
    } finally {
      cp.freeze('apiserver', false);
    }
    const again = await clientFor({ timeoutMs: 10_000 });
    assert.ok((await readClusterModel(again)).nodeCount > 0, 'the cluster answers again');
  });

  it("a CA that did not sign the server's certificate is a TLS error", async () => {
    const path = join(dir, 'wrong-ca.yaml');
    const other = makeAuthority('another cluster');
    writeFileSync(
      path,
      cp
        .kubeconfigYaml({ contextName: 'wrong-ca' })
        .replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${Buffer.from(other.caPem).toString('base64')}`),
    );
    const client = await connectToContext(await loadKubeconfig({ path }), 'wrong-ca', { timeoutMs: 3000 });
    const error = await readClusterModel(client).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(error instanceof KubeError);
    assert.equal(error.reason, 'tls', error.message);
  });

  it('a context naming a missing cluster or plain http without skip-verify is a config error', async () => {
    const path = join(dir, 'dangling.yaml');
    writeFileSync(
      path,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: plain\n  cluster:\n    server: http://127.0.0.1:1\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: gone\n  context: {cluster: nowhere, user: u}\n- name: plain\n  context: {cluster: plain, user: u}\n',
    );
    const kc = await loadKubeconfig({ path });
    await expectKubeError(connectToContext(kc, 'gone'), 'config', /context "gone" names cluster "nowhere", which is not defined/);
    await expectKubeError(connectToContext(kc, 'plain'), 'config', /plain http/);
    await expectKubeError(connectToContext(kc, 'absent'), 'config', /no context named "absent"/);
  });
});

describe('exec credential plugins', () => {
  function execKubeconfig(name: string, script: string): string {
    const plugin = join(dir, `${name}.js`);
    writeFileSync(plugin, script);
    const e = cp.kubeconfigEntries({ contextName: name });
    const user = `- name: ${name}-admin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${JSON.stringify(process.execPath)}\n      args: [${JSON.stringify(plugin)}]\n      interactiveMode: Never\n`;
    const path = join(dir, `${name}.yaml`);
    writeFileSync(
      path,
      `apiVersion: v1\nkind: Config\nclusters:\n${e.cluster}users:\n${user}contexts:\n${e.context}current-context: ${name}\n`,
    );
    return path;
  }

  it("work as in kubectl: the plugin's token authenticates (as the user it names)", async () => {
    const path = execKubeconfig(
      'exec-ok',
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(cp.token('viewer'))} } }));\n`,
    );
    const client = await connectToContext(await loadKubeconfig({ path }), 'exec-ok', { timeoutMs: 10_000 });
    const model = await readClusterModel(client);
    assert.equal(model.nodeCount, 12);
    // The viewer may read, not write: the API server saw the plugin's user.
    await expectKubeError(
      client.apply(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } },
        { fieldManager: 'wasm-workbench' },
      ),
      'forbidden',
      /User "viewer" cannot patch resource "configmaps"/,
    );
  });

  it('a plugin that hangs cannot hang the caller', async () => {
    const pidFile = join(dir, 'exec-hang.pid');
    const path = execKubeconfig(
      'exec-hang',
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 60_000);\n`,
    );
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
    const client = await connectToContext(await loadKubeconfig({ path }), 'exec-fail', { timeoutMs: 10_000 });
    const error = await readClusterModel(client).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof KubeError, String(error));
    assert.ok(['unauthorized', 'server'].includes(error.reason), error.reason);
    assert.match(error.message, /token expired|exit|fail/i);
  });
});

describe('a 5,000-node cluster', () => {
  it('is listed in pages of 500 and builds its model correctly', async () => {
    // A control plane of its own: 5,000 nodes created through the real API server (no kubelets: plain objects).
    const big = await startControlPlane({ kwok: false });
    try {
      const nodes = [];
      for (let i = 0; i < 5000; i++) {
        nodes.push(
          fixtures.node(`node-${String(i).padStart(4, '0')}`, {
            labels: { 'karpenter.sh/nodepool': `pool-${i % 25}`, ...(i % 25 === 0 ? { 'wasm.example/spin': 'true' } : {}) },
          }),
        );
      }
      await big.admin.apply([fixtures.runtimeClass('spin', 'spin', { 'wasm.example/spin': 'true' })]);
      await big.createMany(nodes);
      const path = big.writeKubeconfig(join(dir, 'big.yaml'), { contextName: 'big' });
      const client = await connectToContext(await loadKubeconfig({ path }), 'big', { timeoutMs: 30_000 });
      // The real API server pages: 500 items and a continue token.
      const first = await client.request<{ items: unknown[]; metadata: { continue?: string } }>('GET', '/api/v1/nodes', {
        query: { limit: 500 },
      });
      assert.equal(first.items.length, 500);
      assert.ok(first.metadata.continue);
      const model = await readClusterModel(client);
      assert.equal(model.nodeCount, 5000);
      assert.equal(model.nodePools.length, 25);
      assert.deepEqual(
        model.nodePools.filter((p) => p.wasmCapable).map((p) => [p.name, p.nodes.length]),
        [['pool-0', 200]],
      );
    } finally {
      await big.stop();
    }
  });
});
