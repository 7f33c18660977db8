/** The cluster model from realistic object sets: Wasm runtimes, node pools and why they can (not) run Wasm, workloads. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildClusterModel,
  classifyHandler,
  containerdReadsWasmLayers,
  matchesSelector,
  shimSupports,
  shimTraits,
  toleratesTaints,
  versionFromLocation,
  type ClusterObjects,
  type NodePool,
} from '../../../src/core/kube';
import * as fixtures from '../../support/cluster-fixtures';

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
    jobs: of('Job'),
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
      ['crun-wasmedge', 'crun'],
      ['wamr', 'wamr'],
      ['crun', undefined],
      ['runc', undefined],
      ['runsc', undefined],
      ['kata-qemu', undefined],
      ['my-wasm-runtime', 'other'],
    ];
    for (const [handler, shim] of cases) assert.equal(classifyHandler(handler), shim, handler);
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

describe('buildClusterModel: a mixed cluster (AKS, GKE, EKS, Karpenter, KWasm, runtime-class-manager, SpinKube)', () => {
  const model = buildClusterModel(objectsOf(fixtures.mixedCluster()));

  it('lists the Wasm runtimes with their shims, selectors, pools, releases and SpinKube executors', () => {
    assert.deepEqual(
      model.runtimes.map((r) => [r.runtimeClassName, r.handler, r.shim, r.nodePools.join(',')]),
      [
        ['spin-arm', 'spin', 'spin', 'arm-wasm'],
        ['wasmedge', 'wasmedge', 'wasmedge', 'wasm-pool'],
        ['wasmtime-slight-v1', 'slight', 'slight', 'wasipool'],
        ['wasmtime-spin-v2', 'spin', 'spin', 'wasipool'],
        ['wasmtime-v5', 'wasmtime', 'wasmtime', 'ungrouped-wasmtime-v5'],
      ],
    );
    const spin = model.runtimes.find((r) => r.runtimeClassName === 'wasmtime-spin-v2')!;
    assert.deepEqual(spin.nodeSelector, { 'kubernetes.azure.com/wasmtime-spin-v2': 'true' });
    assert.deepEqual(spin.spinAppExecutors, ['default/containerd-shim-spin']);
    const v5 = model.runtimes.find((r) => r.runtimeClassName === 'wasmtime-v5')!;
    assert.equal(v5.shimResource, 'wasmtime-v5');
    assert.equal(v5.shimVersion, '0.5.0', 'the release the Shim downloads');
    assert.deepEqual(model.runtimes.find((r) => r.runtimeClassName === 'spin-arm')!.tolerations, [
      { key: 'wasm', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    assert.deepEqual(model.otherRuntimeClasses, [{ name: 'gvisor', handler: 'runsc' }]);
    assert.deepEqual(model.spinKube.crds, [
      'shims.runtime.spinkube.dev',
      'spinappexecutors.core.spinkube.dev',
      'spinapps.core.spinkube.dev',
    ]);
  });

  it('groups nodes by the AKS, GKE, EKS and Karpenter pool labels, and the rest by what provisioned them', () => {
    assert.deepEqual(
      model.nodePools.map((p) => [p.name, p.provider, p.nodes.length, p.wasmCapable]),
      [
        ['arm-wasm', 'karpenter', 1, true],
        ['wasipool', 'aks', 2, true],
        ['wasm-pool', 'gke', 2, true],
        ['ungrouped-wasmtime-v5', 'none', 1, true],
        ['default-pool', 'gke', 1, false],
        ['linux-ng', 'eks', 1, false],
        ['system', 'aks', 2, false],
        ['ungrouped', 'none', 2, false],
      ],
    );
    assert.deepEqual(pool(model.nodePools, 'wasipool').nodeSelector, { 'kubernetes.azure.com/agentpool': 'wasipool' });
    assert.deepEqual(pool(model.nodePools, 'wasm-pool').nodeSelector, { 'cloud.google.com/gke-nodepool': 'wasm-pool' });
    assert.deepEqual(pool(model.nodePools, 'linux-ng').nodeSelector, { 'eks.amazonaws.com/nodegroup': 'linux-ng' });
    assert.deepEqual(pool(model.nodePools, 'arm-wasm').nodeSelector, { 'karpenter.sh/nodepool': 'arm-wasm' });
    assert.deepEqual(pool(model.nodePools, 'ungrouped').nodeSelector, {});
    assert.deepEqual(
      pool(model.nodePools, 'ungrouped-wasmtime-v5').nodes.map((n) => n.name),
      ['rcm-0'],
    );
    assert.equal(model.nodeCount, 12);
    assert.equal(model.readyNodeCount, 11);
  });

  it('the AKS WASI pool runs the RuntimeClasses that select its labels; pods are pinned by the RuntimeClass', () => {
    const p = pool(model.nodePools, 'wasipool');
    assert.deepEqual(p.runtimeClasses, ['wasmtime-slight-v1', 'wasmtime-spin-v2']);
    const spin = p.runtimes.find((r) => r.runtimeClassName === 'wasmtime-spin-v2')!;
    assert.deepEqual([spin.nodes, spin.readyNodes], [2, 1]);
    assert.deepEqual(spin.placement.nodeSelector, {}, 'admission adds the RuntimeClass selector');
    assert.match(spin.placement.via, /RuntimeClass wasmtime-spin-v2 selects it \(kubernetes\.azure\.com\/wasmtime-spin-v2=true\)/);
    assert.deepEqual(spin.containerd, ['containerd://1.7.20']);
    assert.equal(spin.wasmLayers, true);
    assert.ok(p.reasons.some((r) => /AKS WASI node/.test(r)));
    assert.match(p.nodes.find((n) => !n.ready)!.notReadyReason, /NodeStatusUnknown/);
  });

  it('KWasm: only the provisioned node counts (the annotation is a request); pods are pinned by the provisioned label', () => {
    const p = pool(model.nodePools, 'wasm-pool');
    assert.deepEqual(p.runtimeClasses, ['wasmedge']);
    const wasmedge = p.runtimes[0]!;
    assert.equal(wasmedge.nodes, 1, 'kwasm-1 is only asked for');
    assert.deepEqual(
      wasmedge.placement.requiredLabels,
      ['kwasm.sh/kwasm-provisioned'],
      "the label holds each node's name: a node affinity, not a selector",
    );
    assert.ok(
      p.reasons.some((r) => /provisioned by KWasm \(label kwasm\.sh\/kwasm-provisioned\) on 1 of 2 nodes/.test(r)),
      p.reasons.join('\n'),
    );
    assert.ok(
      p.reasons.some((r) => /KWasm asked to provision it .* on all 2 nodes/.test(r)),
      p.reasons.join('\n'),
    );
  });

  it("runtime-class-manager: only nodes labelled <shim>=provisioned run the Shim's RuntimeClass; pending ones do not", () => {
    const p = pool(model.nodePools, 'ungrouped-wasmtime-v5');
    const v5 = p.runtimes[0]!;
    assert.deepEqual(v5.placement.nodeSelector, { 'wasmtime-v5': 'provisioned' });
    assert.equal(v5.placement.shimVersion, '0.5.0');
    const rest = pool(model.nodePools, 'ungrouped');
    assert.ok(
      rest.reasons.some((r) =>
        /RuntimeClass wasmtime-v5 \(wasmtime\): 1 of 2 nodes: (Shim wasmtime-v5 is pending on it|runtime-class-manager has not installed Shim wasmtime-v5)/.test(
          r,
        ),
      ),
      rest.reasons.join('\n'),
    );
  });

  it('the tainted arm64 Karpenter pool runs its RuntimeClass, with its taint and architecture', () => {
    const p = pool(model.nodePools, 'arm-wasm');
    assert.deepEqual(p.runtimeClasses, ['spin-arm']);
    assert.deepEqual(p.taints, [{ key: 'wasm', value: 'true', effect: 'NoSchedule' }]);
    assert.deepEqual(p.architectures, ['arm64']);
    assert.deepEqual(p.reasons, [
      'RuntimeClass spin-arm (spin) on its node: RuntimeClass spin-arm selects it (wasm.example.com/spin=true)',
    ]);
  });

  it('Linux pools are not Wasm-capable, and say why for each RuntimeClass', () => {
    for (const name of ['system', 'default-pool', 'linux-ng']) {
      const p = pool(model.nodePools, name);
      assert.deepEqual(p.runtimeClasses, [], name);
      assert.ok(
        p.reasons.some((r) =>
          /RuntimeClass wasmtime-spin-v2 \(spin\): .*: RuntimeClass wasmtime-spin-v2 selects kubernetes\.azure\.com\/wasmtime-spin-v2=true, which it lacks/.test(
            r,
          ),
        ),
        p.reasons.join('\n'),
      );
      assert.ok(
        p.reasons.some((r) => /RuntimeClass wasmedge \(wasmedge\): .*no mark says it has the wasmedge shim/.test(r)),
        p.reasons.join('\n'),
      );
    }
    assert.deepEqual(pool(model.nodePools, 'system').taints, [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
  });
});

describe('buildClusterModel: other shapes of clusters', () => {
  it('a cluster with no Wasm RuntimeClass has no Wasm-capable pool, and says so', () => {
    const m = buildClusterModel(
      objectsOf([fixtures.node('a', { labels: { agentpool: 'nodepool1' } }), fixtures.runtimeClass('gvisor', 'runsc')]),
    );
    assert.equal(m.runtimes.length, 0);
    assert.equal(m.nodePools[0]!.wasmCapable, false);
    assert.ok(m.nodePools[0]!.reasons.includes('The cluster has no RuntimeClass with a Wasm handler'));
  });

  it('a selector-less Wasm RuntimeClass on an unmarked cluster is assumed usable everywhere, and says it is assumed', () => {
    const m = buildClusterModel(
      objectsOf([
        fixtures.node('a', { labels: { 'cloud.google.com/gke-nodepool': 'p1' } }),
        fixtures.node('b', { labels: { 'cloud.google.com/gke-nodepool': 'p2' } }),
        fixtures.runtimeClass('wasmtime', 'wasmtime'),
      ]),
    );
    for (const p of m.nodePools) {
      assert.deepEqual(p.runtimeClasses, ['wasmtime']);
      assert.match(p.reasons[0]!, /assumed: RuntimeClass wasmtime has no scheduling and no node of the cluster is marked for Wasm/);
    }
  });

  it('KWasm-requested nodes (annotation only) are not capable: KWasm has not provisioned them', () => {
    const m = buildClusterModel(
      objectsOf([fixtures.node('a', { annotations: { 'kwasm.sh/kwasm-node': 'true' } }), fixtures.runtimeClass('wasmtime', 'wasmtime')]),
    );
    assert.equal(m.nodePools[0]!.wasmCapable, false);
    assert.ok(
      m.nodePools[0]!.reasons.some((r) =>
        /KWasm was asked to provision it .* but has not yet \(no kwasm\.sh\/kwasm-provisioned label\)/.test(r),
      ),
      m.nodePools[0]!.reasons.join('\n'),
    );
  });

  it('KWasm-provisioned nodes without any Wasm RuntimeClass need one', () => {
    const m = buildClusterModel(objectsOf([fixtures.node('a', { labels: { 'kwasm.sh/kwasm-provisioned': 'a' } })]));
    assert.equal(m.nodePools[0]!.wasmCapable, false);
    assert.ok(m.nodePools[0]!.reasons.some((r) => /no Wasm RuntimeClass yet/.test(r)));
    assert.equal(m.nodePools[0]!.name, 'ungrouped-kwasm');
  });

  it('KWasm nodes run the wasmtime shim KWasm installs (v0.3.0): the placement says so', () => {
    const m = buildClusterModel(
      objectsOf([fixtures.node('a', { labels: { 'kwasm.sh/kwasm-provisioned': 'a' } }), fixtures.runtimeClass('wasmtime', 'wasmtime')]),
    );
    assert.equal(m.nodePools[0]!.runtimes[0]!.placement.shimVersion, '0.3.0');
  });

  it('a SpinKube Shim whose RuntimeClass is not created yet is a runtime that does not exist yet', () => {
    const m = buildClusterModel(
      objectsOf([fixtures.node('a'), fixtures.shim('wasmtime-v1', 'wasmtime-v1', 'wasmtime', { 'spin.example/ready': 'true' })]),
    );
    assert.equal(m.runtimes.length, 1);
    assert.equal(m.runtimes[0]!.exists, false);
    assert.equal(m.runtimes[0]!.shim, 'wasmtime');
    assert.equal(m.nodePools[0]!.wasmCapable, false);
  });

  it('a partly labelled pool names how many nodes have the shim, and its containerd', () => {
    const m = buildClusterModel(
      objectsOf([
        fixtures.node('a', { labels: { agentpool: 'mixed', 'wasm/spin': 'yes' }, containerRuntime: 'containerd://1.7.6' }),
        fixtures.node('b', { labels: { agentpool: 'mixed' } }),
        fixtures.node('c', { labels: { agentpool: 'mixed' } }),
        fixtures.runtimeClass('spin', 'spin', { 'wasm/spin': 'yes' }),
      ]),
    );
    assert.match(m.nodePools[0]!.reasons[0]!, /RuntimeClass spin \(spin\) on 1 of 3 nodes/);
    assert.deepEqual(m.nodePools[0]!.runtimes[0]!.containerd, ['containerd://1.7.6']);
    assert.equal(m.nodePools[0]!.runtimes[0]!.wasmLayers, false, 'Wasm layers need containerd 1.7.7 on the 1.7 line');
  });
});

describe('one shim taxonomy', () => {
  it('containerd versions that read Wasm layers', () => {
    const cases: [string, boolean | undefined][] = [
      ['containerd://1.6.24', false],
      ['containerd://1.6.25', true],
      ['containerd://1.7.6', false],
      ['containerd://1.7.7', true],
      ['containerd://1.5.9', false],
      ['containerd://2.0.0', true],
      ['containerd://1.7.20-k3s1', true],
      ['cri-o://1.30.0', undefined],
      ['', undefined],
    ];
    for (const [version, expected] of cases) assert.equal(containerdReadsWasmLayers(version), expected, version);
  });

  it('what each shim runs, and from which release', () => {
    assert.deepEqual(shimTraits('wasmtime').commandComponents, { since: '0.4.0' });
    assert.deepEqual(shimTraits('wasmtime').httpComponents, { since: '0.5.0' });
    assert.equal(shimTraits('spin').commandModules, false, 'a command on Spin would be a WAGI handler');
    assert.equal(shimTraits('crun').form, 'image');
    assert.equal(shimTraits('wasmedge').form, 'runwasi');
    assert.equal(shimSupports(shimTraits('wasmtime').commandComponents, '0.3.0'), 'no');
    assert.equal(shimSupports(shimTraits('wasmtime').commandComponents, undefined), 'unknown');
    assert.equal(
      versionFromLocation(
        'https://github.com/spinkube/containerd-shim-spin/releases/download/v0.15.1/containerd-shim-spin-v2-linux-x86_64.tar.gz',
      ),
      '0.15.1',
    );
  });
});

describe('buildClusterModel: Wasm workloads', () => {
  const base = fixtures.mixedCluster();
  const deployment = fixtures.deployment('web', 'ghcr.io/example/web:1', { runtimeClassName: 'wasmtime-spin-v2', replicas: 2 }) as any;
  deployment.metadata.generation = 1;
  deployment.status = { observedGeneration: 1, replicas: 2, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 2 };
  const pod = (
    name: string,
    owner: string | undefined,
    hash: string | undefined,
    status: object,
    runtimeClassName = 'wasmtime-spin-v2',
    ownerKind = 'ReplicaSet',
    restartPolicy?: string,
  ) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: hash ? { 'pod-template-hash': hash } : {},
      ...(owner ? { ownerReferences: [{ kind: ownerKind, name: owner, uid: 'x' }] } : {}),
    },
    spec: {
      runtimeClassName,
      nodeName: 'aks-wasipool-0',
      ...(restartPolicy ? { restartPolicy } : {}),
      containers: [{ name: 'c', image: 'ghcr.io/example/web:1' }],
    },
    status,
  });
  const job = (name: string, status: object) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      backoffLimit: 0,
      template: { spec: { runtimeClassName: 'wasmedge', restartPolicy: 'Never', containers: [{ name: 'c', image: 'r/x@sha256:00' }] } },
    },
    status,
  });
  const exited = (code: number) => ({
    phase: code ? 'Failed' : 'Succeeded',
    containerStatuses: [{ name: 'c', state: { terminated: { exitCode: code, reason: code ? 'Error' : 'Completed' } } }],
  });
  const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  const pulling = {
    phase: 'Pending',
    containerStatuses: [{ name: 'c', state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }],
  };
  const linuxDeploy = fixtures.deployment('nginx', 'nginx:1');
  const spinApp = fixtures.spinApp('hello', 'ghcr.io/spinkube/hello:1', { replicas: 1 }) as any;
  const spinDeploy = fixtures.deployment('hello', 'ghcr.io/spinkube/hello:1', { runtimeClassName: 'wasmtime-spin-v2' }) as any;
  spinDeploy.metadata.ownerReferences = [{ kind: 'SpinApp', name: 'hello', uid: 'y' }];
  spinDeploy.status = { observedGeneration: 1, replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 };
  spinDeploy.metadata.generation = 1;
  const model = buildClusterModel(
    objectsOf([
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
      job('count', { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }),
      pod('count-xyz', 'count', undefined, exited(0), 'wasmedge', 'Job', 'Never'),
      job('broken', {
        failed: 1,
        conditions: [
          { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
        ],
      }),
      pod('broken-xyz', 'broken', undefined, exited(3), 'wasmedge', 'Job', 'Never'),
      pod('once', undefined, undefined, exited(0), 'wasmedge', undefined, 'Never'),
      // The pod of a Job that is gone (pods are re-read on refresh only, the Jobs are watched): not a workload.
      pod('gone-job-xyz', 'gone-job', undefined, exited(0), 'wasmedge', 'Job', 'Never'),
    ] as Obj[]),
  );

  it('finds Deployments, Jobs, SpinApps and bare pods on Wasm RuntimeClasses, and nothing else', () => {
    assert.deepEqual(
      model.workloads.map((w) => `${w.kind}/${w.name}`),
      ['Pod/bare', 'Job/broken', 'Job/count', 'SpinApp/hello', 'Pod/once', 'Deployment/web'],
    );
  });

  it('a Job that ran is completed with its exit code; a failed one says why and with which code', () => {
    const count = model.workloads.find((w) => w.name === 'count')!;
    assert.deepEqual([count.state, count.status, count.exitCode], ['completed', 'Complete (exit code 0)', 0]);
    assert.deepEqual(
      count.pods.map((p) => p.name),
      ['count-xyz'],
    );
    const broken = model.workloads.find((w) => w.name === 'broken')!;
    assert.equal(broken.state, 'failed');
    assert.equal(broken.exitCode, 3);
    assert.match(broken.status, /^BackoffLimitExceeded: Job has reached the specified backoff limit; Error \(exit code 3\)/);
    const once = model.workloads.find((w) => w.name === 'once')!;
    assert.deepEqual([once.kind, once.state, once.status], ['Pod', 'completed', 'Completed (exit code 0)']);
  });

  it('a Deployment with a failing pod is failed and says why; its pods are listed under it', () => {
    const web = model.workloads.find((w) => w.name === 'web')!;
    assert.equal(web.state, 'failed');
    assert.match(web.status, /^1\/2 available; ImagePullBackOff: Back-off pulling image/);
    assert.deepEqual(
      web.pods.map((p) => [p.name, p.state]),
      [
        ['web-abc12-aaaaa', 'ready'],
        ['web-abc12-bbbbb', 'failed'],
      ],
    );
    assert.deepEqual(web.replicas, { desired: 2, ready: 1 });
    assert.equal(web.shim, 'spin');
  });

  it('a SpinApp takes its RuntimeClass from its executor and its state from its Deployment', () => {
    const hello = model.workloads.find((w) => w.name === 'hello')!;
    assert.equal(hello.kind, 'SpinApp');
    assert.equal(hello.runtimeClassName, 'wasmtime-spin-v2');
    assert.equal(hello.state, 'ready');
    assert.equal(hello.status, '1/1 available');
    assert.deepEqual(
      hello.pods.map((p) => p.name),
      ['hello-h4sh0-ccccc'],
    );
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
        list.push(
          fixtures.node(`node-${i}`, {
            labels: { 'kubernetes.azure.com/agentpool': p, ...(i % 40 < 10 ? { [`wasm/shim-${i % 10}`]: 'true' } : {}) },
          }),
        );
      }
      for (let r = 0; r < 50; r++)
        list.push(fixtures.runtimeClass(`rc-${r}`, r % 2 ? 'spin' : 'wasmtime', { [`wasm/shim-${r % 10}`]: 'true' }));
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
