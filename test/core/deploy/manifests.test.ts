/**
 * Manifests for real binaries (core modules, command and HTTP components) on every known shim, on pools with and
 * without taints: each allowed combination gives objects that validate against the official Kubernetes schemas (and
 * the SpinApp CRD schema): a Job for a program that runs and exits, a Deployment and a Service for a server; each
 * refused one says why. Also the choice of OCI form (containerd versions) and of workload.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  buildManifests,
  checkCompatibility,
  checkRuntime,
  chooseForm,
  poolCanRun,
  workloadFor,
  checkSchema,
  containerPortFor,
  profileOf,
  shimOf,
  spinAppSchema,
  tolerationsFor,
  validateSpinApp,
  type BinaryProfile,
  type KubeObject,
  type PoolLike,
  type RuntimeLike,
} from '../../../src/core/deploy';
import { inspectFile } from '../../../src/core/inspect';
import { fixturePath, type FixtureName } from '../../fixtures';
import { compileSpinApp, validateManifest } from './validate';

const digest = `sha256:${'ab'.repeat(32)}`;
const image = `127.0.0.1:5000/apps/hello@${digest}`;

const runtimes: Record<string, RuntimeLike> = {
  wasmtime: { runtimeClassName: 'wasmtime', handler: 'wasmtime', shim: 'wasmtime' },
  wasmedge: { runtimeClassName: 'wasmedge', handler: 'wasmedge', shim: 'wasmedge' },
  wasmer: { runtimeClassName: 'wasmer', handler: 'wasmer', shim: 'wasmer' },
  spin: { runtimeClassName: 'wasmtime-spin-v2', handler: 'spin', shim: 'spin' },
  crun: { runtimeClassName: 'crun-wasm', handler: 'crun-wasm', shim: 'crun' },
  slight: { runtimeClassName: 'wasmtime-slight-v1', handler: 'slight', shim: 'slight' },
};

const taintedPool: PoolLike = {
  name: 'wasmpool',
  wasmCapable: true,
  reasons: ['RuntimeClass nodeSelector matches'],
  nodeSelector: { 'kubernetes.azure.com/agentpool': 'wasmpool' },
  taints: [
    { key: 'kwasm.sh/wasm', value: 'true', effect: 'NoSchedule' },
    { key: 'dedicated', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
  ],
  runtimeClasses: Object.values(runtimes).map((r) => r.runtimeClassName),
};
const plainPool: PoolLike = {
  name: 'wasm-plain',
  wasmCapable: true,
  reasons: [],
  nodeSelector: { 'cloud.google.com/gke-nodepool': 'wasm-plain' },
  taints: [],
  runtimeClasses: ['wasmtime'],
};
const linuxPool: PoolLike = {
  name: 'system',
  wasmCapable: false,
  reasons: ['no node has a Wasm shim'],
  nodeSelector: { agentpool: 'system' },
  taints: [],
  runtimeClasses: [],
};

type Expect = true | RegExp;
/** What each binary gets on each shim: true, or the refusal's words. */
const expectations: Partial<Record<FixtureName, Record<keyof typeof runtimes, Expect>>> = {
  'preview1-command': {
    wasmtime: true,
    wasmedge: true,
    wasmer: true,
    spin: /a program that runs and exits\. Spin serves HTTP apps, and would run a command as a WAGI handler/,
    crun: true,
    slight: true,
  },
  'component-command': {
    wasmtime: true,
    wasmedge: /RuntimeClass wasmedge \(WasmEdge \(runwasi\), handler wasmedge\) does not run a wasi:cli\/run component/,
    wasmer: /does not run a wasi:cli\/run component/,
    spin: /a program that runs and exits\. Spin serves HTTP apps/,
    crun: /does not run a wasi:cli\/run component/,
    slight: /does not run a wasi:cli\/run component/,
  },
  'component-http': {
    wasmtime: true,
    spin: true,
    wasmedge:
      /RuntimeClass wasmedge \(WasmEdge \(runwasi\), handler wasmedge\) does not run a wasi:http proxy component: choose a Spin RuntimeClass/,
    wasmer: /does not run a wasi:http proxy component/,
    crun: /does not run a wasi:http proxy component/,
    slight: /does not run a wasi:http proxy component/,
  },
  'preview1-reactor': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /library .* with no _start/])) as Record<string, RegExp>,
  'emscripten-style': Object.fromEntries(
    Object.keys(runtimes).map((k) => [k, /built by Emscripten and needs the JavaScript file/]),
  ) as Record<string, RegExp>,
  'wasm-bindgen-style': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /needs JavaScript glue/])) as Record<string, RegExp>,
  'unknown-imports': Object.fromEntries(
    Object.keys(runtimes).map((k) => [k, /imports .*acme.*which no Kubernetes Wasm runtime provides/]),
  ) as Record<string, RegExp>,
  'no-imports': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /no entry point/])) as Record<string, RegExp>,
};

const profiles = new Map<FixtureName, BinaryProfile>();

before(async () => {
  for (const name of Object.keys(expectations) as FixtureName[])
    profiles.set(name, profileOf(await inspectFile(await fixturePath(name), { wit: false })));
});

function manifestsFor(binary: BinaryProfile, runtime: RuntimeLike, pool: PoolLike, port?: number): KubeObject[] {
  const workload = workloadFor(binary, false);
  assert.ok('kind' in workload);
  return buildManifests({
    workload: workload.kind,
    name: 'hello',
    namespace: 'apps',
    image,
    imageTag: '127.0.0.1:5000/apps/hello:v1',
    runtimeClassName: runtime.runtimeClassName,
    shim: shimOf(runtime),
    binary,
    replicas: 2,
    ...(port !== undefined ? { port } : {}),
    nodeSelector: pool.nodeSelector,
    taints: pool.taints,
    poolName: pool.name,
    modulePath: '/app.wasm',
    imageHasEntrypoint: true,
    sourceFile: 'hello.wasm',
  });
}

describe('deploy manifests × compatibility', () => {
  for (const [fixture, byRuntime] of Object.entries(expectations) as [FixtureName, Record<string, Expect>][]) {
    for (const [runtimeName, expected] of Object.entries(byRuntime)) {
      const runtime = runtimes[runtimeName]!;
      it(`${fixture} on ${runtimeName}: ${expected === true ? 'valid manifests' : 'refused with the reason'}`, async () => {
        const binary = profiles.get(fixture)!;
        const result = checkCompatibility(binary, runtime, taintedPool);
        if (expected !== true) {
          assert.equal(result.ok, false, `${fixture} should be refused on ${runtimeName}`);
          assert.match((result as { reason: string }).reason, expected);
          return;
        }
        assert.equal(result.ok, true, result.ok ? '' : (result as { reason: string }).reason);
        const server = fixture === 'component-http';
        for (const pool of [taintedPool, plainPool]) {
          for (const port of server ? [undefined, 8080] : [undefined]) {
            const objects = manifestsFor(binary, runtime, pool, port);
            for (const object of objects) await validateManifest(object);
            const workload = objects[0]!;
            // A program that runs and exits is a Job (a Deployment would restart it forever); a server a Deployment.
            assert.equal(workload.kind, server ? 'Deployment' : 'Job');
            assert.equal(objects.length, server ? 2 : 1, 'a Service for a server, none for a command');
            const spec = workload.spec as {
              replicas?: number;
              backoffLimit?: number;
              selector?: { matchLabels: Record<string, string> };
              template: {
                metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
                spec: Record<string, unknown> & { containers: Record<string, unknown>[] };
              };
            };
            const pod = spec.template.spec;
            assert.equal(pod.runtimeClassName, runtime.runtimeClassName);
            assert.deepEqual(pod.nodeSelector, pool.nodeSelector);
            assert.deepEqual(workload.metadata.labels, {
              'app.kubernetes.io/name': 'hello',
              'app.kubernetes.io/managed-by': 'wasm-workbench',
            });
            assert.deepEqual(spec.template.metadata.labels, workload.metadata.labels);
            if (server) {
              assert.equal(spec.replicas, 2);
              assert.deepEqual(spec.selector!.matchLabels, workload.metadata.labels);
            } else {
              assert.equal(pod.restartPolicy, 'Never');
              assert.equal(spec.backoffLimit, 0, 'a deterministic program is not retried');
              assert.equal(spec.replicas, undefined);
            }
            const container = pod.containers[0]!;
            assert.equal(container.image, image, 'the pod pulls the pushed image by digest');
            // Tolerations: every pool taint but node lifecycle ones.
            if (pool === taintedPool) {
              assert.deepEqual(pod.tolerations, [
                { key: 'kwasm.sh/wasm', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
                { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' },
              ]);
            } else assert.equal(pod.tolerations, undefined);
            // A command only where the runtime needs one: Spin's shim wants "/"; runwasi shims read the image entrypoint.
            if (runtimeName === 'spin') assert.deepEqual(container.command, ['/']);
            else assert.equal(container.command, undefined);
            if (runtimeName === 'crun')
              assert.deepEqual(spec.template.metadata.annotations, { 'module.wasm.image/variant': 'compat-smart' });
            const servedPort = containerPortFor({ ...(port !== undefined ? { port } : {}), shim: shimOf(runtime), binary });
            if (servedPort !== undefined) assert.deepEqual(container.ports, [{ name: 'http', containerPort: servedPort, protocol: 'TCP' }]);
            else assert.equal(container.ports, undefined);
            if (fixture === 'component-http' && port !== undefined) {
              const env = runtimeName === 'spin' ? 'SPIN_HTTP_LISTEN_ADDR' : 'WASMTIME_HTTP_PROXY_SOCKET_ADDR';
              assert.deepEqual(container.env, [{ name: env, value: '0.0.0.0:8080' }]);
            }
            if (server) {
              const service = objects[1]!;
              assert.equal(service.kind, 'Service');
              assert.deepEqual((service.spec as { selector: unknown }).selector, spec.selector!.matchLabels);
              assert.deepEqual((service.spec as { ports: unknown }).ports, [
                { name: 'http', port: servedPort, targetPort: 'http', protocol: 'TCP' },
              ]);
            }
            // Built twice, the same objects: a redeploy applies nothing new.
            assert.deepEqual(manifestsFor(binary, runtime, pool, port), objects);
          }
        }
      });
    }
  }

  it('refuses a Wasm pod on a pool without a Wasm runtime, and a RuntimeClass the pool does not have', () => {
    const binary = profiles.get('preview1-command')!;
    const linux = checkCompatibility(binary, runtimes.wasmtime!, linuxPool);
    assert.equal(linux.ok, false);
    assert.match((linux as { reason: string }).reason, /pool system has no Wasm runtime \(no node has a Wasm shim\)/);
    const missing = checkCompatibility(binary, runtimes.wasmedge!, plainPool);
    assert.equal(missing.ok, false);
    assert.match(
      (missing as { reason: string }).reason,
      /RuntimeClass wasmedge does not run on pool wasm-plain, whose nodes have wasmtime/,
    );
  });

  it('refuses what a shim release is known to lack, and notes what an unknown release may lack', () => {
    const command = profiles.get('component-command')!;
    const http = profiles.get('component-http')!;
    const wasmtime = runtimes.wasmtime!;
    // KWasm's node installer ships the wasmtime shim v0.3.0: no components yet (v0.4.0), no wasi:http (v0.5.0).
    assert.match(
      checkRuntime(command, wasmtime, '0.3.0').refusal ?? '',
      /a wasi:cli\/run component needs wasmtime \(runwasi\) v0\.4\.0 or later, and RuntimeClass wasmtime \(.*v0\.3\.0\) is older/,
    );
    assert.equal(checkRuntime(command, wasmtime, '0.4.0').refusal, undefined);
    assert.match(
      checkRuntime(http, wasmtime, '0.4.2').refusal ?? '',
      /wasi:http proxy component needs wasmtime \(runwasi\) v0\.5\.0 or later/,
    );
    assert.deepEqual(checkRuntime(http, wasmtime, '0.5.0'), { notes: [] });
    const unknown = checkRuntime(http, wasmtime);
    assert.equal(unknown.refusal, undefined);
    assert.match(unknown.notes[0]!, /needs wasmtime \(runwasi\) v0\.5\.0 or later; the shim's version on these nodes is not known/);
    // Spin serves wasi:http on every release.
    assert.deepEqual(checkRuntime(http, runtimes.spin!, '0.1.0'), { notes: [] });
  });

  it('pins pods to the nodes that have the shim: the pool selector, the placement labels, an affinity for label keys', async () => {
    const binary = profiles.get('preview1-command')!;
    const pool: PoolLike = {
      ...plainPool,
      runtimeClasses: ['wasmtime'],
      runtimes: [
        {
          runtimeClassName: 'wasmtime',
          nodes: 2,
          placement: {
            nodeSelector: {},
            requiredLabels: ['kwasm.sh/kwasm-provisioned'],
            via: 'provisioned by KWasm',
            shimVersion: '0.3.0',
          },
          containerd: ['containerd://1.7.20'],
          wasmLayers: true,
        },
      ],
    };
    const verdict = poolCanRun(binary, runtimes.wasmtime!, pool);
    assert.equal(verdict.ok, true);
    if (!verdict.ok) return;
    assert.deepEqual(verdict.placement, { nodeSelector: pool.nodeSelector, requiredLabels: ['kwasm.sh/kwasm-provisioned'], taints: [] });
    assert.equal(verdict.shimVersion, '0.3.0');
    const [job] = buildManifests({
      workload: 'Job',
      name: 'hello',
      namespace: 'apps',
      image,
      runtimeClassName: 'wasmtime',
      shim: verdict.shim,
      binary,
      replicas: 1,
      ...verdict.placement,
    });
    await validateManifest(job!);
    const podSpec = (job!.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    assert.deepEqual(podSpec.affinity, {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kwasm.sh/kwasm-provisioned', operator: 'Exists' }] }],
        },
      },
    });
    // The same pool refuses a component: KWasm's wasmtime shim is too old for it.
    const component = poolCanRun(profiles.get('component-command')!, runtimes.wasmtime!, pool);
    assert.equal(component.ok, false);
    assert.match((component as { reason: string }).reason, /needs wasmtime \(runwasi\) v0\.4\.0 or later/);
  });

  it('a command runs once (a Job, or a Pod with restartPolicy Never); a server runs as a Deployment', async () => {
    const command = profiles.get('preview1-command')!;
    const http = profiles.get('component-http')!;
    assert.deepEqual(workloadFor(command, false), { kind: 'Job' });
    assert.deepEqual(workloadFor(command, false, 'pod'), { kind: 'Pod' });
    assert.deepEqual(workloadFor(http, false), { kind: 'Deployment' });
    assert.match((workloadFor(http, false, 'job') as { refusal: string }).refusal, /serves HTTP and runs as a Deployment/);
    assert.deepEqual(workloadFor(http, true), { kind: 'SpinApp' });
    const [pod] = buildManifests({
      workload: 'Pod',
      name: 'hello',
      namespace: 'apps',
      image,
      runtimeClassName: 'wasmtime',
      shim: shimOf(runtimes.wasmtime!),
      binary: command,
      replicas: 1,
    });
    await validateManifest(pod!);
    assert.equal(pod!.kind, 'Pod');
    assert.equal((pod!.spec as { restartPolicy: string }).restartPolicy, 'Never');
  });

  it('chooses the OCI form the shim pulls, the image form where containerd is too old for Wasm layers, and refuses the artifact form', () => {
    const wasmtime = shimOf(runtimes.wasmtime!);
    assert.deepEqual(chooseForm(wasmtime, undefined, true), { form: 'runwasi' });
    assert.deepEqual(chooseForm(wasmtime, undefined, undefined), { form: 'runwasi' });
    const old = chooseForm(wasmtime, undefined, false, ['containerd://1.6.21']);
    assert.equal((old as { form: string }).form, 'image');
    assert.match(
      (old as { note: string }).note,
      /containerd \(containerd:\/\/1\.6\.21\) is older than Wasm layers need \(containerd >= 1\.6\.25/,
    );
    assert.match((chooseForm(wasmtime, 'runwasi', false, ['containerd://1.7.2']) as { refusal: string }).refusal, /push with --form image/);
    assert.match(
      (chooseForm(wasmtime, 'artifact', true) as { refusal: string }).refusal,
      /no Kubernetes runtime runs it \(containerd refuses it: "unknown image config media type"/,
    );
    assert.match((chooseForm(shimOf(runtimes.spin!), 'runwasi', true) as { refusal: string }).refusal, /pulls Spin apps/);
    assert.deepEqual(chooseForm(shimOf(runtimes.spin!), undefined, false), { form: 'spin' });
    assert.deepEqual(chooseForm(shimOf(runtimes.crun!), undefined, undefined), { form: 'image' });
  });

  it('accepts an unknown shim with a note that nothing was checked', () => {
    const binary = profiles.get('component-command')!;
    const result = checkCompatibility(binary, { runtimeClassName: 'acme-wasm', handler: 'acme' });
    assert.equal(result.ok, true);
    assert.match((result as { notes: string[] }).notes[0]!, /not one Wasm Workbench knows/);
  });

  it('SpinApp manifests validate against the CRD schema', async () => {
    const binary = profiles.get('component-http')!;
    const objects = buildManifests({
      workload: 'SpinApp',
      name: 'hello',
      namespace: 'apps',
      image,
      runtimeClassName: 'wasmtime-spin-v2',
      shim: shimOf(runtimes.spin!),
      binary,
      replicas: 3,
      spinApp: { executor: 'containerd-shim-spin' },
      resources: { limits: { cpu: '500m', memory: '64Mi' } },
    });
    assert.equal(objects.length, 1);
    const app = objects[0]!;
    assert.equal(app.apiVersion, 'core.spinkube.dev/v1alpha1');
    assert.equal(app.kind, 'SpinApp');
    assert.deepEqual(app.spec, {
      image,
      executor: 'containerd-shim-spin',
      replicas: 3,
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi', cpu: '500m' } },
    });
    await validateManifest(app);
    validateSpinApp(app);
  });
});

describe('the validators catch invalid objects (so the checks above can fail)', () => {
  it('official Deployment schema: missing selector, a string replica count', async () => {
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 'two', template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    await assert.rejects(validateManifest(bad), /selector.*|replicas must be integer/);
  });

  it('official Deployment schema: a container without a name', async () => {
    const bad = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ image: 'i' }] } } },
    };
    await assert.rejects(validateManifest(bad), /name/);
  });

  it('official Service schema: a port that is not a number', async () => {
    const bad = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'http' }] } };
    await assert.rejects(validateManifest(bad), /port must be integer/);
  });

  it('SpinApp schema: no image, a typo in a field, a bad quantity, negative replicas (ajv and the runtime check agree)', async () => {
    const ajv = await compileSpinApp();
    const base = {
      apiVersion: 'core.spinkube.dev/v1alpha1',
      kind: 'SpinApp',
      metadata: { name: 'x' },
      spec: { image: 'r/x:1', executor: 'containerd-shim-spin', replicas: 1 },
    };
    assert.equal(ajv(base), true);
    assert.deepEqual(checkSchema(spinAppSchema, base), []);
    const cases: [string, unknown, RegExp][] = [
      ['no image', { ...base, spec: { executor: 'e' } }, /spec\.image: is required/],
      ['typo', { ...base, spec: { ...base.spec, replica: 2 } }, /spec\.replica: is not a field/],
      [
        'quantity',
        { ...base, spec: { ...base.spec, resources: { limits: { memory: '12 MB' } } } },
        /spec\.resources\.limits\.memory: must match/,
      ],
      ['replicas', { ...base, spec: { ...base.spec, replicas: -1 } }, /spec\.replicas: must be >= 0/],
      ['kind', { ...base, kind: 'SpinApps' }, /kind: must be one of "SpinApp"/],
      ['name', { ...base, metadata: { name: 'Hello_World' } }, /metadata\.name: must match/],
    ];
    for (const [what, object, message] of cases) {
      assert.equal(ajv(object), false, `ajv accepts ${what}`);
      const errors = checkSchema(spinAppSchema, object);
      assert.ok(
        errors.some((e) => message.test(e)),
        `${what}: ${errors.join('; ')}`,
      );
      assert.throws(() => validateSpinApp(object), /does not match the CRD schema/);
      await assert.rejects(validateManifest(object as KubeObject));
    }
  });
});

describe('tolerations', () => {
  it('tolerate pool taints once each, never node lifecycle taints', () => {
    assert.deepEqual(
      tolerationsFor([
        { key: 'a', value: 'b', effect: 'NoSchedule' },
        { key: 'a', value: 'b', effect: 'NoSchedule' },
        { key: 'c', effect: 'PreferNoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' },
        { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' },
      ]),
      [
        { key: 'a', operator: 'Equal', value: 'b', effect: 'NoSchedule' },
        { key: 'c', operator: 'Exists', effect: 'PreferNoSchedule' },
      ],
    );
  });
});
