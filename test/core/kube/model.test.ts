/** The cluster model from realistic object sets: Wasm runtimes, node pools and why they can (not) run Wasm, workloads. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildClusterModel, classifyHandler, matchesSelector, shimAcceptsComponents, toleratesTaints, type ClusterObjects, type NodePool } from '../../../src/core/kube';
import { fixtures } from '../../support/kube-test-server';

type Obj = ReturnType<typeof fixtures.node>;

function objectsOf(list: Obj[]): ClusterObjects {
  const of = (kind: string) => list.filter((o) => o.kind === kind) as never[];
  return {
    nodes: of('Node'),
    runtimeClasses: of('RuntimeClass'),
    crds: of('CustomResourceDefinition'),
    spinAppExecutors: of('SpinAppExecutor'),
    shims: of('Shim'),
    pods: of('Pod'),
    deployments: of('Deployment'),
    spinApps: of('SpinApp'),
  };
}

function pool(pools: NodePool[], name: string): NodePool {
  const p = pools.find((x) => x.name === name);
  assert.ok(p, `pool ${name} in ${pools.map((x) => x.name).join(', ')}`);
  return p;
}

describe('classifyHandler', () => {
  it('names the Wasm shim behind handlers in use, and refuses others', () => {
    const cases: [string, string | undefined][] = [
      ['spin', 'spin'],
      ['io.containerd.spin.v2', 'spin'],
      ['wasmtime-spin-v2', 'spin'],
      ['wasmtime', 'wasmtime'],
      ['io.containerd.wasmtime.v1', 'wasmtime'],
      ['wasmedge', 'wasmedge'],
      ['wasmer', 'wasmer'],
      ['slight', 'slight'],
      ['wws', 'wws'],
      ['lunatic', 'lunatic'],
      ['crun-wasm', 'crun'],
      ['crun', undefined],
      ['runc', undefined],
      ['runsc', undefined],
      ['kata-qemu', undefined],
      ['my-wasm-runtime', 'other'],
    ];
    for (const [handler, shim] of cases) assert.equal(classifyHandler(handler), shim, handler);
    assert.equal(shimAcceptsComponents('spin'), true);
    assert.equal(shimAcceptsComponents('wasmtime'), true);
    assert.equal(shimAcceptsComponents('wasmedge'), false);
  });
});

describe('selectors and taints', () => {
  it('match as the scheduler does', () => {
    assert.equal(matchesSelector({ a: '1', b: '2' }, { a: '1' }), true);
    assert.equal(matchesSelector({ a: '1' }, { a: '2' }), false);
    assert.equal(matchesSelector(undefined, {}), true);
    const taint = { key: 'wasm', value: 'true', effect: 'NoSchedule' };
    assert.equal(toleratesTaints([], [taint]), false);
    assert.equal(toleratesTaints([{ key: 'wasm', operator: 'Exists' }], [taint]), true);
    assert.equal(toleratesTaints([{ key: 'wasm', operator: 'Equal', value: 'true', effect: 'NoSchedule' }], [taint]), true);
    assert.equal(toleratesTaints([{ key: 'wasm', operator: 'Equal', value: 'false' }], [taint]), false);
    assert.equal(toleratesTaints([], [{ key: 'x', effect: 'PreferNoSchedule' }]), true);
  });
});

describe('buildClusterModel: a mixed cluster (AKS, GKE, EKS, Karpenter, KWasm, SpinKube)', () => {
  const model = buildClusterModel(objectsOf(fixtures.mixedCluster()));

  it('lists the Wasm runtimes with their shims, selectors, pools and SpinKube executors', () => {
    assert.deepEqual(model.runtimes.map((r) => [r.runtimeClassName, r.handler, r.shim, r.acceptsComponents]), [
      ['spin-arm', 'spin', 'spin', true],
      ['wasmedge', 'wasmedge', 'wasmedge', false],
      ['wasmtime-slight-v1', 'slight', 'slight', false],
      ['wasmtime-spin-v2', 'spin', 'spin', true],
    ]);
    const spin = model.runtimes.find((r) => r.runtimeClassName === 'wasmtime-spin-v2')!;
    assert.deepEqual(spin.nodeSelector, { 'kubernetes.azure.com/wasmtime-spin-v2': 'true' });
    assert.deepEqual(spin.nodePools, ['wasipool']);
    assert.deepEqual(spin.spinAppExecutors, ['default/containerd-shim-spin']);
    assert.equal(spin.shimResource, 'spin-v2');
    assert.deepEqual(model.runtimes.find((r) => r.runtimeClassName === 'wasmedge')!.nodePools, ['wasm-pool']);
    assert.deepEqual(model.runtimes.find((r) => r.runtimeClassName === 'spin-arm')!.tolerations, [{ key: 'wasm', operator: 'Exists', effect: 'NoSchedule' }]);
    assert.deepEqual(model.otherRuntimeClasses, [{ name: 'gvisor', handler: 'runsc' }]);
    assert.deepEqual(model.spinKube.crds, ['shims.runtime.spinkube.dev', 'spinappexecutors.core.spinkube.dev', 'spinapps.core.spinkube.dev']);
  });

  it('groups nodes by the AKS, GKE, EKS and Karpenter pool labels, and the rest as ungrouped', () => {
    assert.deepEqual(model.nodePools.map((p) => [p.name, p.provider, p.nodes.length]), [
      ['arm-wasm', 'karpenter', 1],
      ['wasipool', 'aks', 2],
      ['wasm-pool', 'gke', 2],
      ['default-pool', 'gke', 1],
      ['linux-ng', 'eks', 1],
      ['system', 'aks', 2],
      ['ungrouped', 'none', 1],
    ]);
    assert.deepEqual(pool(model.nodePools, 'wasipool').nodeSelector, { 'kubernetes.azure.com/agentpool': 'wasipool' });
    assert.deepEqual(pool(model.nodePools, 'wasm-pool').nodeSelector, { 'cloud.google.com/gke-nodepool': 'wasm-pool' });
    assert.deepEqual(pool(model.nodePools, 'linux-ng').nodeSelector, { 'eks.amazonaws.com/nodegroup': 'linux-ng' });
    assert.deepEqual(pool(model.nodePools, 'arm-wasm').nodeSelector, { 'karpenter.sh/nodepool': 'arm-wasm' });
    assert.deepEqual(pool(model.nodePools, 'ungrouped').nodeSelector, {});
    assert.equal(model.nodeCount, 10);
    assert.equal(model.readyNodeCount, 9);
  });

  it('marks the AKS WASI pool Wasm-capable by its RuntimeClasses\' selectors, with only the shims its labels name', () => {
    const p = pool(model.nodePools, 'wasipool');
    assert.equal(p.wasmCapable, true);
    assert.deepEqual(p.runtimeClasses, ['wasmtime-slight-v1', 'wasmtime-spin-v2']);
    assert.ok(p.reasons.some((r) => /RuntimeClass wasmtime-spin-v2 \(spin\) selects all 2 nodes by kubernetes\.azure\.com\/wasmtime-spin-v2=true/.test(r)), p.reasons.join('\n'));
    assert.ok(p.reasons.some((r) => /AKS WASI node/.test(r)));
    assert.equal(p.readyNodes, 1);
    const notReady = p.nodes.find((n) => !n.ready)!;
    assert.equal(notReady.name, 'aks-wasipool-1');
    assert.match(notReady.notReadyReason, /NodeStatusUnknown/);
  });

  it('marks the KWasm pool Wasm-capable by its annotation and label, usable with the selector-less RuntimeClass', () => {
    const p = pool(model.nodePools, 'wasm-pool');
    assert.equal(p.wasmCapable, true);
    assert.deepEqual(p.runtimeClasses, ['wasmedge']);
    assert.ok(p.reasons.some((r) => r.includes('kwasm.sh/kwasm-node=true')));
    assert.ok(p.reasons.some((r) => r.includes('kwasm.sh/kwasm-provisioned')));
    assert.ok(p.nodes.every((n) => n.wasmMarks.length === 2));
  });

  it('marks the tainted arm64 Karpenter pool Wasm-capable, with its taint and architecture', () => {
    const p = pool(model.nodePools, 'arm-wasm');
    assert.equal(p.wasmCapable, true);
    assert.deepEqual(p.runtimeClasses, ['spin-arm']);
    assert.deepEqual(p.taints, [{ key: 'wasm', value: 'true', effect: 'NoSchedule' }]);
    assert.deepEqual(p.architectures, ['arm64']);
    assert.deepEqual(p.reasons, ['RuntimeClass spin-arm (spin) selects its node by wasm.example.com/spin=true']);
  });

  it('marks Linux pools not Wasm-capable and says why', () => {
    for (const name of ['system', 'default-pool', 'linux-ng', 'ungrouped']) {
      const p = pool(model.nodePools, name);
      assert.equal(p.wasmCapable, false, name);
      assert.deepEqual(p.runtimeClasses, []);
      assert.ok(p.reasons.some((r) => /RuntimeClass wasmtime-spin-v2 needs kubernetes\.azure\.com\/wasmtime-spin-v2=true, which none of its nodes has/.test(r)), p.reasons.join('\n'));
      assert.ok(p.reasons.some((r) => /Not marked for Wasm/.test(r)));
    }
    assert.deepEqual(pool(model.nodePools, 'system').taints, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
  });
});

describe('buildClusterModel: other shapes of clusters', () => {
  it('a cluster with no Wasm RuntimeClass has no Wasm-capable pool, and says so', () => {
    const m = buildClusterModel(objectsOf([fixtures.node('a', { labels: { agentpool: 'nodepool1' } }), fixtures.runtimeClass('gvisor', 'runsc')]));
    assert.equal(m.runtimes.length, 0);
    assert.equal(m.nodePools[0]!.wasmCapable, false);
    assert.ok(m.nodePools[0]!.reasons.includes('The cluster has no RuntimeClass with a Wasm handler'));
  });

  it('a selector-less Wasm RuntimeClass on an unmarked cluster is assumed usable everywhere, and says so', () => {
    const m = buildClusterModel(objectsOf([fixtures.node('a', { labels: { 'cloud.google.com/gke-nodepool': 'p1' } }), fixtures.node('b', { labels: { 'cloud.google.com/gke-nodepool': 'p2' } }), fixtures.runtimeClass('wasmtime', 'wasmtime')]));
    for (const p of m.nodePools) {
      assert.equal(p.wasmCapable, true);
      assert.deepEqual(p.runtimeClasses, ['wasmtime']);
      assert.match(p.reasons[0]!, /has no nodeSelector.*assumes|assumed/);
    }
  });

  it('KWasm-marked nodes without any Wasm RuntimeClass are capable but need one', () => {
    const m = buildClusterModel(objectsOf([fixtures.node('a', { annotations: { 'kwasm.sh/kwasm-node': 'true' } })]));
    assert.equal(m.nodePools[0]!.wasmCapable, true);
    assert.ok(m.nodePools[0]!.reasons.some((r) => /no Wasm RuntimeClass yet/.test(r)));
  });

  it('a SpinKube Shim whose RuntimeClass is not created yet is a runtime that does not exist yet', () => {
    const m = buildClusterModel(objectsOf([fixtures.node('a'), fixtures.shim('wasmtime-v1', 'wasmtime-v1', 'wasmtime', { 'spin.example/ready': 'true' })]));
    assert.equal(m.runtimes.length, 1);
    assert.equal(m.runtimes[0]!.exists, false);
    assert.equal(m.runtimes[0]!.shim, 'wasmtime');
    assert.equal(m.nodePools[0]!.wasmCapable, false);
  });

  it('a partly labelled pool names how many nodes the RuntimeClass selects', () => {
    const m = buildClusterModel(objectsOf([
      fixtures.node('a', { labels: { agentpool: 'mixed', 'wasm/spin': 'yes' } }),
      fixtures.node('b', { labels: { agentpool: 'mixed' } }),
      fixtures.node('c', { labels: { agentpool: 'mixed' } }),
      fixtures.runtimeClass('spin', 'spin', { 'wasm/spin': 'yes' }),
    ]));
    assert.match(m.nodePools[0]!.reasons[0]!, /selects 1 of 3 nodes/);
  });
});

describe('buildClusterModel: Wasm workloads', () => {
  const base = fixtures.mixedCluster();
  const deployment = fixtures.deployment('web', 'ghcr.io/example/web:1', { runtimeClassName: 'wasmtime-spin-v2', replicas: 2 }) as any;
  deployment.metadata.generation = 1;
  deployment.status = { observedGeneration: 1, replicas: 2, readyReplicas: 1, updatedReplicas: 2 };
  const pod = (name: string, owner: string | undefined, hash: string | undefined, status: object, runtimeClassName = 'wasmtime-spin-v2') => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: hash ? { 'pod-template-hash': hash } : {}, ...(owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: owner, uid: 'x' }] } : {}) },
    spec: { runtimeClassName, nodeName: 'aks-wasipool-0', containers: [{ name: 'c', image: 'ghcr.io/example/web:1' }] },
    status,
  });
  const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  const pulling = { phase: 'Pending', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }] };
  const linuxDeploy = fixtures.deployment('nginx', 'nginx:1');
  const spinApp = fixtures.spinApp('hello', 'ghcr.io/spinkube/hello:1', { replicas: 1 }) as any;
  const spinDeploy = fixtures.deployment('hello', 'ghcr.io/spinkube/hello:1', { runtimeClassName: 'wasmtime-spin-v2' }) as any;
  spinDeploy.metadata.ownerReferences = [{ kind: 'SpinApp', name: 'hello', uid: 'y' }];
  spinDeploy.status = { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1 };
  spinDeploy.metadata.generation = 1;
  const model = buildClusterModel(objectsOf([
    ...base,
    deployment,
    pod('web-abc12-aaaaa', 'web-abc12', 'abc12', running),
    pod('web-abc12-bbbbb', 'web-abc12', 'abc12', pulling),
    pod('bare', undefined, undefined, running, 'wasmedge'),
    pod('linux', undefined, undefined, running, ''),
    linuxDeploy,
    spinApp,
    spinDeploy,
    pod('hello-h4sh0-ccccc', 'hello-h4sh0', 'h4sh0', running),
  ] as Obj[]));

  it('finds Deployments, SpinApps and bare pods on Wasm RuntimeClasses, and nothing else', () => {
    assert.deepEqual(model.workloads.map((w) => `${w.kind}/${w.name}`), ['Pod/bare', 'SpinApp/hello', 'Deployment/web']);
  });

  it('a Deployment with a failing pod is failed and says why; its pods are listed under it', () => {
    const web = model.workloads.find((w) => w.name === 'web')!;
    assert.equal(web.state, 'failed');
    assert.match(web.status, /^1\/2 ready; ImagePullBackOff: Back-off pulling image/);
    assert.deepEqual(web.pods.map((p) => [p.name, p.state]), [['web-abc12-aaaaa', 'ready'], ['web-abc12-bbbbb', 'failed']]);
    assert.deepEqual(web.replicas, { desired: 2, ready: 1 });
    assert.equal(web.shim, 'spin');
  });

  it('a SpinApp takes its RuntimeClass from its executor and its state from its Deployment', () => {
    const hello = model.workloads.find((w) => w.name === 'hello')!;
    assert.equal(hello.kind, 'SpinApp');
    assert.equal(hello.runtimeClassName, 'wasmtime-spin-v2');
    assert.equal(hello.state, 'ready');
    assert.equal(hello.status, '1/1 ready');
    assert.deepEqual(hello.pods.map((p) => p.name), ['hello-h4sh0-ccccc']);
  });

  it('a bare pod is a workload of its own', () => {
    const bare = model.workloads.find((w) => w.name === 'bare')!;
    assert.deepEqual([bare.state, bare.status, bare.shim, bare.nodeName], ['ready', 'Running', 'wasmedge', 'aks-wasipool-0']);
  });
});

describe('buildClusterModel at scale', () => {
  it('builds 5,000 nodes and 50 RuntimeClasses in linear time', () => {
    const make = (n: number) => {
      const list: Obj[] = [];
      for (let i = 0; i < n; i++) {
        const p = `pool-${i % 40}`;
        list.push(fixtures.node(`node-${i}`, { labels: { 'kubernetes.azure.com/agentpool': p, ...(i % 40 < 10 ? { [`wasm/shim-${i % 10}`]: 'true' } : {}) } }));
      }
      for (let r = 0; r < 50; r++) list.push(fixtures.runtimeClass(`rc-${r}`, r % 2 ? 'spin' : 'wasmtime', { [`wasm/shim-${r % 10}`]: 'true' }));
      return objectsOf(list);
    };
    const small = make(500);
    const large = make(5000);
    buildClusterModel(small);
    let t = process.hrtime.bigint();
    buildClusterModel(small);
    const smallMs = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    const model = buildClusterModel(large);
    const largeMs = Number(process.hrtime.bigint() - t) / 1e6;
    assert.equal(model.nodeCount, 5000);
    assert.equal(model.nodePools.length, 40);
    assert.equal(model.nodePools.filter((p) => p.wasmCapable).length, 10);
    assert.deepEqual(model.nodePools.find((p) => p.name === 'pool-3')!.runtimeClasses, ['rc-13', 'rc-23', 'rc-3', 'rc-33', 'rc-43']);
    // Speed is the cluster benchmark's to measure (bench/cluster.bench.ts); here only that it is not quadratic,
    // with a margin wide enough for a loaded machine.
    assert.ok(largeMs < Math.max(200, smallMs * 100), `500 nodes: ${smallMs.toFixed(1)} ms, 5,000 nodes: ${largeMs.toFixed(1)} ms`);
  });
});
