/**
 * Choosing where a deploy goes, from a cluster model built from real-shaped objects (AKS-style pools, KWasm marks,
 * RuntimeClasses with scheduling), and from flags alone (offline dry-run); names and flags checked on the way.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  appNameFromFile,
  checkAppName,
  DeployError,
  parseNodeSelector,
  parseTaint,
  profileOf,
  resolvableOffline,
  resolveFromModel,
  resolveOffline,
  nonWasmPools,
  targetChoices,
  type BinaryProfile,
} from '../../../src/core/deploy';
import { inspectFile } from '../../../src/core/inspect';
import { buildClusterModel } from '../../../src/core/kube/model';
import type { ClusterModel, ClusterObjects, NodeObject } from '../../../src/core/kube/types';
import { fixturePath } from '../../fixtures';

function node(
  name: string,
  pool: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    taints?: { key: string; value?: string; effect: string }[];
  } = {},
): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.azure.com/agentpool': pool, 'kubernetes.io/arch': 'amd64', ...extra.labels },
      annotations: extra.annotations ?? {},
    },
    spec: { taints: extra.taints ?? [] },
    status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { architecture: 'amd64', operatingSystem: 'linux' } },
  };
}

const objects: ClusterObjects = {
  nodes: [
    node('sys-1', 'system'),
    node('wasm-1', 'wasmpool', {
      labels: { 'kwasm.sh/kwasm-provisioned': 'true', wasm: 'yes' },
      annotations: { 'kwasm.sh/kwasm-node': 'true' },
      taints: [{ key: 'kwasm.sh/wasm', value: 'true', effect: 'NoSchedule' }],
    }),
    node('edge-1', 'edgepool', { labels: { edge: 'yes' } }),
  ],
  runtimeClasses: [
    {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'wasmtime' },
      handler: 'wasmtime',
      scheduling: { nodeSelector: { wasm: 'yes' } },
    },
    {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'wasmtime-spin-v2' },
      handler: 'spin',
      scheduling: { nodeSelector: { wasm: 'yes' }, tolerations: [{ key: 'kwasm.sh/wasm', operator: 'Exists', effect: 'NoSchedule' }] },
    },
    {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'wasmedge' },
      handler: 'wasmedge',
      scheduling: { nodeSelector: { edge: 'yes' } },
    },
    { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc' },
  ],
  crds: [{ metadata: { name: 'spinapps.core.spinkube.dev' } }, { metadata: { name: 'spinappexecutors.core.spinkube.dev' } }],
  spinAppExecutors: [
    {
      metadata: { name: 'containerd-shim-spin', namespace: 'default' },
      spec: { createDeployment: true, deploymentConfig: { runtimeClassName: 'wasmtime-spin-v2' } },
    },
  ],
};

let model: ClusterModel;
let command: BinaryProfile;
let component: BinaryProfile;
let http: BinaryProfile;

before(async () => {
  model = buildClusterModel(objects);
  command = profileOf(await inspectFile(await fixturePath('preview1-command'), { wit: false }));
  component = profileOf(await inspectFile(await fixturePath('component-command'), { wit: false }));
  http = profileOf(await inspectFile(await fixturePath('component-http'), { wit: false }));
});

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DeployError, String(error));
    assert.equal(error.kind, 'refused');
    return error.message;
  }
  assert.fail('expected a refusal');
}

describe('target from the cluster model', () => {
  it('the model sees the pools as expected (precondition)', () => {
    const pools = Object.fromEntries(model.nodePools.map((p) => [p.name, p]));
    assert.deepEqual(pools.wasmpool?.runtimeClasses, ['wasmtime', 'wasmtime-spin-v2']);
    assert.equal(pools.system?.wasmCapable, false);
  });

  it('picks a RuntimeClass that runs the binary and the pool that has it, with the pool taints tolerated', () => {
    const target = resolveFromModel('app.wasm', component, {}, model);
    assert.equal(target.runtime.runtimeClassName, 'wasmtime');
    assert.equal(target.pool?.name, 'wasmpool');
    assert.deepEqual(target.pool?.nodeSelector, { 'kubernetes.azure.com/agentpool': 'wasmpool' });
    assert.deepEqual(target.pool?.taints, [{ key: 'kwasm.sh/wasm', value: 'true', effect: 'NoSchedule' }]);
  });

  it('honours --runtime-class and --pool, and refuses a pool without a Wasm runtime with the reason', () => {
    const target = resolveFromModel('app.wasm', command, { runtimeClass: 'wasmedge', pool: 'edgepool' }, model);
    assert.equal(target.shim.shim, 'wasmedge');
    assert.equal(target.pool?.name, 'edgepool');
    assert.match(
      refusal(() => resolveFromModel('app.wasm', command, { runtimeClass: 'wasmtime', pool: 'system' }, model)),
      /pool system has no Wasm runtime/,
    );
    assert.match(
      refusal(() => resolveFromModel('app.wasm', command, { runtimeClass: 'wasmtime', pool: 'edgepool' }, model)),
      /RuntimeClass wasmtime does not run on pool edgepool, whose nodes have wasmedge/,
    );
    assert.match(
      refusal(() => resolveFromModel('app.wasm', command, { pool: 'nope' }, model)),
      /no node pool "nope" \(pools: /,
    );
  });

  it('refuses a component on a core-module shim, a non-Wasm RuntimeClass, and an unknown one', () => {
    assert.match(
      refusal(() => resolveFromModel('app.wasm', component, { runtimeClass: 'wasmedge' }, model)),
      /on RuntimeClass wasmedge: RuntimeClass wasmedge \(WasmEdge \(runwasi\), handler wasmedge\) does not run a wasi:cli\/run component/,
    );
    assert.match(
      refusal(() => resolveFromModel('app.wasm', component, { runtimeClass: 'gvisor' }, model)),
      /handler runsc, which does not run WebAssembly/,
    );
    assert.match(
      refusal(() => resolveFromModel('app.wasm', component, { runtimeClass: 'missing' }, model)),
      /no RuntimeClass missing \(Wasm RuntimeClasses: /,
    );
    assert.match(
      refusal(() => resolveFromModel('app.wasm', component, { pool: 'edgepool' }, model)),
      /no Wasm RuntimeClass on pool edgepool can run it \(.*wasmedge: RuntimeClass wasmedge .*does not run a wasi:cli\/run component/,
    );
  });

  it('a SpinApp goes to the executor of SpinKube; a command component is refused there', () => {
    const target = resolveFromModel('app.wasm', http, { spin: true }, model);
    assert.deepEqual(target.spinApp, { executor: 'containerd-shim-spin' });
    assert.equal(target.runtime.runtimeClassName, 'wasmtime-spin-v2');
    assert.match(
      refusal(() => resolveFromModel('app.wasm', component, { spin: true }, model)),
      /SpinKube runs it with the Spin shim, and it is a .*: a program that runs and exits/,
    );
    // A SpinApp cannot carry tolerations: a tainted pool needs them on the RuntimeClass.
    const untolerated = buildClusterModel({
      ...objects,
      runtimeClasses: objects.runtimeClasses.map((rc) =>
        rc.metadata?.name === 'wasmtime-spin-v2' ? { ...rc, scheduling: { nodeSelector: { wasm: 'yes' } } } : rc,
      ),
    });
    assert.match(
      refusal(() => resolveFromModel('app.wasm', http, { spin: true }, untolerated)),
      /every pool that runs RuntimeClass wasmtime-spin-v2 is tainted \(wasmpool: kwasm\.sh\/wasm=true:NoSchedule\).*deploy without --spin/,
    );
    assert.match(
      refusal(() => resolveFromModel('app.wasm', http, { spin: true, pool: 'wasmpool' }, untolerated)),
      /pool wasmpool is tainted kwasm\.sh\/wasm=true:NoSchedule/,
    );
    const noSpinKube = buildClusterModel({ ...objects, crds: [], spinAppExecutors: [] });
    assert.match(
      refusal(() => resolveFromModel('app.wasm', http, { spin: true }, noSpinKube)),
      /SpinKube is not installed/,
    );
  });

  it('a SpinApp takes an executor from its own namespace only (spin-operator looks it up there)', () => {
    assert.deepEqual(resolveFromModel('app.wasm', http, { spin: true }, model, 'default').spinApp, { executor: 'containerd-shim-spin' });
    assert.match(
      refusal(() => resolveFromModel('app.wasm', http, { spin: true }, model, 'team-a')),
      /SpinAppExecutor containerd-shim-spin exists in namespace default but not in team-a, and the spin-operator only uses an executor from the SpinApp's own namespace/,
    );
    assert.match(
      refusal(() => resolveFromModel('app.wasm', http, { spin: true, executor: 'other' }, model, 'default')),
      /namespace default has no SpinAppExecutor other \(executors there: containerd-shim-spin\)/,
    );
  });

  it('a command goes to a runwasi shim first, an HTTP component to Spin first', () => {
    assert.equal(resolveFromModel('app.wasm', command, {}, model).runtime.runtimeClassName, 'wasmtime');
    assert.equal(resolveFromModel('app.wasm', http, {}, model).runtime.runtimeClassName, 'wasmtime-spin-v2');
    // On Spin a command would be a WAGI handler answering errors: refused, with the way out.
    assert.match(
      refusal(() => resolveFromModel('app.wasm', command, { runtimeClass: 'wasmtime-spin-v2' }, model)),
      /would run a command as a WAGI handler.*choose a runwasi RuntimeClass/,
    );
  });

  it('a cluster with no Wasm runtime at all is refused', () => {
    const bare = buildClusterModel({ nodes: [node('n1', 'system')], runtimeClasses: [] });
    assert.match(
      refusal(() => resolveFromModel('app.wasm', command, {}, bare)),
      /no Wasm RuntimeClass/,
    );
  });
});

describe('target choices for a picker', () => {
  it('offers compatible RuntimeClass/pool pairs first, and lists the others with the reason', () => {
    const choices = targetChoices(model, component);
    const ok = choices.filter((c) => !c.refusal).map((c) => c.label);
    assert.deepEqual(ok, ['wasmtime on wasmpool']);
    const refused = Object.fromEntries(choices.filter((c) => c.refusal).map((c) => [c.label, c.refusal]));
    assert.match(refused['wasmtime-spin-v2 on wasmpool']!, /a program that runs and exits\. Spin serves HTTP apps/);
    assert.match(refused['wasmedge on edgepool']!, /does not run a wasi:cli\/run component/);
    assert.match(refused['SpinApp (SpinKube, executor default/containerd-shim-spin)']!, /Spin serves HTTP apps/);
    assert.deepEqual(choices.find((c) => c.label === 'wasmtime on wasmpool')!.request, { runtimeClass: 'wasmtime', pool: 'wasmpool' });
    assert.deepEqual(
      nonWasmPools(model).map((c) => c.label),
      ['system'],
    );
  });

  it('narrows to the pool or runtime node the command came from', () => {
    assert.deepEqual(
      targetChoices(model, http, { pool: 'wasmpool' })
        .filter((c) => !c.refusal)
        .map((c) => c.label),
      ['wasmtime on wasmpool', 'wasmtime-spin-v2 on wasmpool', 'SpinApp (SpinKube, executor default/containerd-shim-spin)'],
    );
    const edge = targetChoices(model, http, { pool: 'edgepool' });
    assert.equal(edge.filter((c) => !c.refusal).length, 0);
    assert.match(edge.find((c) => c.label === 'wasmtime on edgepool')!.refusal!, /does not run on pool edgepool/);
    assert.match(edge.find((c) => c.label.startsWith('SpinApp'))!.refusal!, /RuntimeClass wasmtime-spin-v2 does not run on pool edgepool/);
    assert.deepEqual(
      targetChoices(model, command, { runtimeClass: 'wasmedge' }).map((c) => `${c.label}${c.refusal ? ' ✗' : ''}`),
      ['wasmedge on edgepool'],
    );
  });
});

describe('target from flags (offline)', () => {
  it('needs the runtime class and a node selector (or --spin)', () => {
    assert.equal(resolvableOffline({ runtimeClass: 'wasmtime', pool: 'agentpool=wasm' }), true);
    assert.equal(resolvableOffline({ runtimeClass: 'wasmtime', nodeSelector: { a: 'b' } }), true);
    assert.equal(resolvableOffline({ runtimeClass: 'wasmtime', pool: 'wasmpool' }), false);
    assert.equal(resolvableOffline({ pool: 'a=b' }), false);
    assert.equal(resolvableOffline({ spin: true }), true);
  });

  it('tells the shim from the RuntimeClass name and still refuses what it cannot run', () => {
    const t = resolveOffline('app.wasm', http, {
      runtimeClass: 'wasmtime-spin-v2',
      pool: 'agentpool=wasm',
      tolerations: [parseTaint('sku=wasm:NoSchedule')],
    });
    assert.equal(t.shim.shim, 'spin');
    assert.deepEqual(t.pool, {
      nodeSelector: { agentpool: 'wasm' },
      requiredLabels: [],
      taints: [{ key: 'sku', value: 'wasm', effect: 'NoSchedule' }],
    });
    assert.match(
      refusal(() => resolveOffline('app.wasm', component, { runtimeClass: 'wasmedge', pool: 'a=b' })),
      /does not run a wasi:cli\/run component/,
    );
  });
});

describe('names and flags', () => {
  it('derives a valid app name from a file name', () => {
    assert.equal(appNameFromFile('/x/My_App.v2.wasm'), 'my-app-v2');
    assert.equal(appNameFromFile('123.wasm'), 'wasm-app');
    assert.equal(appNameFromFile(`${'a'.repeat(80)}.wasm`).length, 63);
    assert.equal(appNameFromFile('--hello--.WASM'), 'hello');
  });

  it('refuses bad names, selectors and taints with the rule', () => {
    assert.throws(() => checkAppName('Hello'), /invalid name "Hello"/);
    assert.throws(() => checkAppName('1abc'), /starting with a letter/);
    assert.throws(() => parseNodeSelector(['novalue']), /expected KEY=VALUE/);
    assert.throws(() => parseNodeSelector(['bad key=x']), /not a Kubernetes label key/);
    assert.throws(() => parseNodeSelector(['k=-x']), /invalid node selector value/);
    assert.deepEqual(parseNodeSelector(['a=b,kubernetes.io/arch=amd64', 'c=']), { a: 'b', 'kubernetes.io/arch': 'amd64', c: '' });
    assert.throws(() => parseTaint('key=value'), /KEY\[=VALUE\]:EFFECT/);
    assert.throws(() => parseTaint('key:Sometimes'), /one of NoSchedule/);
    assert.deepEqual(parseTaint('dedicated:NoExecute'), { key: 'dedicated', effect: 'NoExecute' });
  });
});
