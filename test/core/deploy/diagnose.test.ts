/**
 * A rollout that crash-loops, on the real control plane (kwok plays the kubelet: a program that exits 1 under a
 * Deployment is restarted over and over): the error names CrashLoopBackOff at once (not at the time limit) and
 * carries the pod states, the events and the program's last log lines, read through the API server's log endpoint.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  applyObjects,
  buildManifests,
  DeployError,
  fatalFromEvents,
  shimTraits,
  waitForRollout,
  type BinaryProfile,
} from '../../../src/core/deploy';
import { connectToContext, loadKubeconfig, type KubeClient } from '../../../src/core/kube';
import * as fixtures from '../../support/cluster-fixtures';
import { startControlPlane, type ControlPlane } from '../../support/control-plane';

let cp: ControlPlane;
let client: KubeClient;
const dir = mkdtempSync(join(tmpdir(), 'diagnose-test-'));

before(async () => {
  cp = await startControlPlane();
  await cp.admin.apply([
    fixtures.node('wasm-0', { kubeletPort: cp.kubeletPort, labels: { wasm: 'yes' } }),
    fixtures.runtimeClass('wasmtime', 'wasmtime', { wasm: 'yes' }),
  ]);
  const path = cp.writeKubeconfig(join(dir, 'kubeconfig'));
  client = await connectToContext(await loadKubeconfig({ path }), 'test');
});
after(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a failing rollout explains itself', () => {
  it('CrashLoopBackOff fails at once with the pod state, the events and the last log lines', async () => {
    cp.setContainerOutput(Array.from({ length: 30 }, (_, i) => `line ${i + 1}`));
    const binary: BinaryProfile = {
      kind: 'component',
      hostKind: 'wasi-http-proxy',
      hostTitle: 'WASI 0.2 component (HTTP proxy world)',
      unknownImports: [],
      spin: false,
      http: true,
      capabilities: [],
    };
    const manifests = buildManifests({
      workload: 'Deployment',
      name: 'crasher',
      namespace: 'default',
      image: `registry.example/apps/exit-1@sha256:${'1'.repeat(64)}`,
      runtimeClassName: 'wasmtime',
      shim: shimTraits('wasmtime'),
      binary,
      replicas: 1,
    });
    const applied = await applyObjects(client, manifests);
    const started = Date.now();
    let error: unknown;
    try {
      await waitForRollout(client, manifests, applied, { timeoutMs: 60_000, pollMs: 100 });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof DeployError, String(error));
    assert.ok(Date.now() - started < 15_000, 'not at the time limit');
    assert.equal(error.step, 'rollout');
    assert.match(
      error.message,
      /^rollout of Deployment default\/crasher failed: 0\/1 available; CrashLoopBackOff: back-off 40s restarting failed container=crasher \(last exit code 1\)/,
    );
    assert.match(
      error.details,
      /Pod crasher-[a-z0-9]+-[a-z0-9]+: Running on wasm-0, container crasher waiting: CrashLoopBackOff .*3 restarts/,
    );
    assert.match(error.details, /Events:\n(.|\n)*Warning BackOff pod\/crasher-[a-z0-9-]+: Back-off restarting failed container/);
    assert.match(
      error.details,
      /Last 20 log lines of pod crasher-[a-z0-9-]+ \(container crasher, previous run\):\n {2}line 11\n(.|\n)* {2}line 30/,
    );
    assert.doesNotMatch(error.details, /line 10\n/);
  });

  it('reads a stuck pod from the kubelet events when its status does not say it yet', () => {
    assert.equal(
      fatalFromEvents([
        { type: 'Normal', reason: 'Pulling', message: 'Pulling image "r/fail:1"' },
        { type: 'Warning', reason: 'Failed', message: 'Failed to pull image "r/fail:1": not found' },
        { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff' },
      ]),
      'ImagePullBackOff: Failed to pull image "r/fail:1": not found',
    );
    assert.match(
      fatalFromEvents([{ type: 'Warning', reason: 'FailedCreatePodSandBox', message: 'no runtime for "spin" is configured' }])!,
      /^FailedCreatePodSandBox: no runtime for "spin"/,
    );
    assert.equal(fatalFromEvents([{ type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available' }]), undefined);
  });
});
