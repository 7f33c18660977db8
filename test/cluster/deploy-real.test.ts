/**
 * `npm run test:cluster`: the deploy flow (push, server-side apply, rollout, redeploy, undeploy) against a real
 * cluster named by KUBECONFIG, e.g. kind with KWasm or SpinKube. Without KUBECONFIG it is skipped, never passed.
 *
 *   KUBECONFIG=~/.kube/config \
 *   WASM_WORKBENCH_TEST_IMAGE=registry.example:5000/wasm-workbench/http-test:dev \
 *   [WASM_WORKBENCH_TEST_CONTEXT=kind-wasm] [WASM_WORKBENCH_TEST_RUNTIME_CLASS=wasmtime] [WASM_WORKBENCH_TEST_POOL=NAME]
 *   [WASM_WORKBENCH_TEST_NAMESPACE=default] [WASM_WORKBENCH_TEST_SPIN=1] [WASM_WORKBENCH_TEST_INSECURE=1] \
 *   npm run test:cluster
 *
 * The image reference must be a registry this machine can push to and the cluster's nodes can pull from. The
 * binary deployed is the `component-http` fixture (a wasi:http proxy component), which wasmtime and Spin serve.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deploy, undeploy, type DeployRequest } from '../../src/core/deploy';
import { fixturePath } from '../fixtures';

const env = process.env;
const skipReason = !env.KUBECONFIG
  ? 'skipped: set KUBECONFIG=/path/to/kubeconfig (a cluster with a Wasm RuntimeClass, e.g. kind + KWasm or SpinKube) and WASM_WORKBENCH_TEST_IMAGE=REGISTRY/REPO:TAG to run against a real cluster'
  : !env.WASM_WORKBENCH_TEST_IMAGE
    ? 'skipped: set WASM_WORKBENCH_TEST_IMAGE=REGISTRY/REPO:TAG (a registry this machine can push to and the cluster can pull from) to run against the cluster in KUBECONFIG'
    : undefined;

test('deploy, redeploy and undeploy on the cluster in KUBECONFIG', { timeout: 15 * 60_000 }, async (t) => {
  if (skipReason) {
    t.skip(skipReason);
    return;
  }
  const file = await fixturePath('component-http');
  const name = `ww-test-${Date.now().toString(36)}`;
  const request: DeployRequest = {
    file,
    image: env.WASM_WORKBENCH_TEST_IMAGE!,
    name,
    replicas: 1,
    rolloutTimeoutMs: 5 * 60_000,
    onProgress: (e) => process.stdout.write(`# [${e.step}] ${e.message}\n`),
    ...(env.WASM_WORKBENCH_TEST_CONTEXT ? { context: env.WASM_WORKBENCH_TEST_CONTEXT } : {}),
    ...(env.WASM_WORKBENCH_TEST_RUNTIME_CLASS ? { runtimeClass: env.WASM_WORKBENCH_TEST_RUNTIME_CLASS } : {}),
    ...(env.WASM_WORKBENCH_TEST_POOL ? { pool: env.WASM_WORKBENCH_TEST_POOL } : {}),
    ...(env.WASM_WORKBENCH_TEST_NAMESPACE ? { namespace: env.WASM_WORKBENCH_TEST_NAMESPACE } : {}),
    ...(env.WASM_WORKBENCH_TEST_SPIN ? { spin: true } : { port: 8080 }),
    ...(env.WASM_WORKBENCH_TEST_INSECURE ? { insecure: true } : {}),
  };
  try {
    const first = await deploy(request);
    assert.equal(first.rollout?.ready, true, first.rollout?.message);
    assert.match(first.image, /@sha256:[0-9a-f]{64}$/);

    const again = await deploy(request);
    assert.equal(again.digest, first.digest);
    for (const applied of again.applied) {
      const before = first.applied.find((a) => a.kind === applied.kind && a.name === applied.name)!;
      assert.equal(applied.generation, before.generation, `${applied.kind} ${applied.name}: a redeploy of the same binary changes nothing`);
    }
  } finally {
    const removed = await undeploy({
      name,
      ...(env.WASM_WORKBENCH_TEST_CONTEXT ? { context: env.WASM_WORKBENCH_TEST_CONTEXT } : {}),
      ...(env.WASM_WORKBENCH_TEST_NAMESPACE ? { namespace: env.WASM_WORKBENCH_TEST_NAMESPACE } : {}),
    });
    process.stdout.write(`# undeployed: ${removed.deleted.map((d) => `${d.kind} ${d.name}`).join(', ') || 'nothing'}\n`);
  }
});
