/**
 * Manifests for real binaries (core modules, command and HTTP components) on every known shim, on pools with and
 * without taints: each allowed combination gives objects that validate against the official Kubernetes schemas (and
 * the SpinApp CRD schema), each refused one says why.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  buildManifests,
  checkCompatibility,
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
  wasmtime: { runtimeClassName: 'wasmtime', handler: 'wasmtime', shim: 'wasmtime', acceptsComponents: true },
  wasmedge: { runtimeClassName: 'wasmedge', handler: 'wasmedge', shim: 'wasmedge', acceptsComponents: false },
  wasmer: { runtimeClassName: 'wasmer', handler: 'wasmer', shim: 'wasmer', acceptsComponents: false },
  spin: { runtimeClassName: 'wasmtime-spin-v2', handler: 'spin', shim: 'spin', acceptsComponents: true },
  crun: { runtimeClassName: 'crun-wasm', handler: 'crun', shim: 'crun', acceptsComponents: false },
  slight: { runtimeClassName: 'wasmtime-slight-v1', handler: 'slight', shim: 'slight', acceptsComponents: false },
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
const plainPool: PoolLike = { name: 'wasm-plain', wasmCapable: true, reasons: [], nodeSelector: { 'cloud.google.com/gke-nodepool': 'wasm-plain' }, taints: [], runtimeClasses: ['wasmtime'] };
const linuxPool: PoolLike = { name: 'system', wasmCapable: false, reasons: ['no node has a Wasm shim'], nodeSelector: { agentpool: 'system' }, taints: [], runtimeClasses: [] };

type Expect = true | RegExp;
/** What each binary gets on each shim: true, or the refusal's words. */
const expectations: Partial<Record<FixtureName, Record<keyof typeof runtimes, Expect>>> = {
  'preview1-command': { wasmtime: true, wasmedge: true, wasmer: true, spin: true, crun: true, slight: true },
  'component-command': {
    wasmtime: true,
    wasmedge: /component, and RuntimeClass wasmedge .* only takes core modules/,
    wasmer: /only takes core modules/,
    spin: /wasi:cli\/run command component, and Spin runs HTTP/,
    crun: /only takes core modules/,
    slight: /only takes core modules/,
  },
  'component-http': {
    wasmtime: true,
    spin: true,
    wasmedge: /HTTP proxy component: it needs Spin or a wasi-http capable shim \(wasmtime\); RuntimeClass wasmedge .*only takes core modules/,
    wasmer: /needs Spin or a wasi-http capable shim/,
    crun: /needs Spin or a wasi-http capable shim/,
    slight: /needs Spin or a wasi-http capable shim/,
  },
  'preview1-reactor': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /library .* with no _start/])) as Record<string, RegExp>,
  'emscripten-style': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /built by Emscripten and needs the JavaScript file/])) as Record<string, RegExp>,
  'wasm-bindgen-style': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /needs JavaScript glue/])) as Record<string, RegExp>,
  'unknown-imports': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /imports .*acme.*which no Kubernetes Wasm runtime provides/])) as Record<string, RegExp>,
  'no-imports': Object.fromEntries(Object.keys(runtimes).map((k) => [k, /no entry point/])) as Record<string, RegExp>,
};

const profiles = new Map<FixtureName, BinaryProfile>();

before(async () => {
  for (const name of Object.keys(expectations) as FixtureName[]) profiles.set(name, profileOf(await inspectFile(await fixturePath(name), { wit: false })));
});

function manifestsFor(binary: BinaryProfile, runtime: RuntimeLike, pool: PoolLike, port?: number): KubeObject[] {
  return buildManifests({
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
        for (const pool of [taintedPool, plainPool]) {
          for (const port of [undefined, 8080]) {
            const objects = manifestsFor(binary, runtime, pool, port);
            for (const object of objects) await validateManifest(object);
            const deployment = objects[0]!;
            assert.equal(deployment.kind, 'Deployment');
            assert.equal(objects.length, port === undefined ? 1 : 2, 'a Service exactly when a port is given');
            const spec = deployment.spec as { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } };
            const pod = spec.template.spec;
            assert.equal(pod.runtimeClassName, runtime.runtimeClassName);
            assert.deepEqual(pod.nodeSelector, pool.nodeSelector);
            assert.equal(spec.replicas, 2);
            assert.deepEqual(deployment.metadata.labels, { 'app.kubernetes.io/name': 'hello', 'app.kubernetes.io/managed-by': 'wasm-workbench' });
            assert.deepEqual(spec.selector.matchLabels, deployment.metadata.labels);
            assert.deepEqual(spec.template.metadata.labels, deployment.metadata.labels);
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
            if (runtimeName === 'crun') assert.deepEqual(spec.template.metadata.annotations, { 'module.wasm.image/variant': 'compat-smart' });
            const servedPort = containerPortFor({ ...(port !== undefined ? { port } : {}), shim: shimOf(runtime), binary });
            if (servedPort !== undefined) assert.deepEqual(container.ports, [{ name: 'http', containerPort: servedPort, protocol: 'TCP' }]);
            else assert.equal(container.ports, undefined);
            if (fixture === 'component-http' && port !== undefined) {
              const env = runtimeName === 'spin' ? 'SPIN_HTTP_LISTEN_ADDR' : 'WASMTIME_HTTP_PROXY_SOCKET_ADDR';
              assert.deepEqual(container.env, [{ name: env, value: '0.0.0.0:8080' }]);
            }
            if (port !== undefined) {
              const service = objects[1]!;
              assert.equal(service.kind, 'Service');
              assert.deepEqual((service.spec as { selector: unknown }).selector, spec.selector.matchLabels);
              assert.deepEqual((service.spec as { ports: unknown }).ports, [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }]);
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
    assert.match((missing as { reason: string }).reason, /RuntimeClass wasmedge does not run on pool wasm-plain, whose nodes have wasmtime/);
  });

  it('trusts the cluster model when it says a shim build takes no components', () => {
    const binary = profiles.get('component-command')!;
    const result = checkCompatibility(binary, { runtimeClassName: 'wasmtime-old', handler: 'wasmtime', shim: 'wasmtime', acceptsComponents: false });
    assert.equal(result.ok, false);
    assert.match((result as { reason: string }).reason, /only takes core modules/);
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
    assert.deepEqual(app.spec, { image, executor: 'containerd-shim-spin', replicas: 3, resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi', cpu: '500m' } } });
    await validateManifest(app);
    validateSpinApp(app);
  });
});

describe('the validators catch invalid objects (so the checks above can fail)', () => {
  it('official Deployment schema: missing selector, a string replica count', async () => {
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    await assert.rejects(validateManifest(bad), /selector.*|replicas must be integer/);
  });

  it('official Deployment schema: a container without a name', async () => {
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ image: 'i' }] } } } };
    await assert.rejects(validateManifest(bad), /name/);
  });

  it('official Service schema: a port that is not a number', async () => {
    const bad = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'http' }] } };
    await assert.rejects(validateManifest(bad), /port must be integer/);
  });

  it('SpinApp schema: no image, a typo in a field, a bad quantity, negative replicas (ajv and the runtime check agree)', async () => {
    const ajv = await compileSpinApp();
    const base = { apiVersion: 'core.spinkube.dev/v1alpha1', kind: 'SpinApp', metadata: { name: 'x' }, spec: { image: 'r/x:1', executor: 'containerd-shim-spin', replicas: 1 } };
    assert.equal(ajv(base), true);
    assert.deepEqual(checkSchema(spinAppSchema, base), []);
    const cases: [string, unknown, RegExp][] = [
      ['no image', { ...base, spec: { executor: 'e' } }, /spec\.image: is required/],
      ['typo', { ...base, spec: { ...base.spec, replica: 2 } }, /spec\.replica: is not a field/],
      ['quantity', { ...base, spec: { ...base.spec, resources: { limits: { memory: '12 MB' } } } }, /spec\.resources\.limits\.memory: must match/],
      ['replicas', { ...base, spec: { ...base.spec, replicas: -1 } }, /spec\.replicas: must be >= 0/],
      ['kind', { ...base, kind: 'SpinApps' }, /kind: must be one of "SpinApp"/],
      ['name', { ...base, metadata: { name: 'Hello_World' } }, /metadata\.name: must match/],
    ];
    for (const [what, object, message] of cases) {
      assert.equal(ajv(object), false, `ajv accepts ${what}`);
      const errors = checkSchema(spinAppSchema, object);
      assert.ok(errors.some((e) => message.test(e)), `${what}: ${errors.join('; ')}`);
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
