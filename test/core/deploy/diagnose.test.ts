/**
 * A rollout that crash-loops: the error names CrashLoopBackOff at once (not at the time limit) and carries the pod
 * states, the events and the last log lines of the previous run. The client is an in-memory stand-in with the calls
 * waitForRollout makes (the test API server has no pods/log endpoint).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeployError, fatalFromEvents, waitForRollout, type KubeObject } from '../../../src/core/deploy';
import type { KubeClient } from '../../../src/core/kube';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'crasher', namespace: 'default', labels: { 'app.kubernetes.io/name': 'crasher', 'app.kubernetes.io/managed-by': 'wasm-workbench' } },
  spec: { replicas: 1 },
};

function fakeClient(logRequests: unknown[]): KubeClient {
  const pod = {
    metadata: { name: 'crasher-abc-1', namespace: 'default', labels: deployment.metadata.labels },
    spec: { nodeName: 'wasm-0' },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'crasher', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=crasher' } } }],
    },
  };
  const events = [
    { type: 'Normal', reason: 'Started', message: 'Started container crasher', involvedObject: { kind: 'Pod', name: 'crasher-abc-1' }, lastTimestamp: '2026-01-01T00:00:01Z' },
    { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container crasher in pod crasher-abc-1', involvedObject: { kind: 'Pod', name: 'crasher-abc-1' }, lastTimestamp: '2026-01-01T00:00:02Z' },
    { type: 'Warning', reason: 'Unrelated', message: 'other app', involvedObject: { kind: 'Pod', name: 'other-1' }, lastTimestamp: '2026-01-01T00:00:03Z' },
  ];
  const client = {
    namespace: 'default',
    contextName: 'fake',
    async get(_apiVersion: string, kind: string) {
      return kind === 'Deployment' ? { ...deployment, metadata: { ...deployment.metadata, generation: 1 }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0, readyReplicas: 0 } } : undefined;
    },
    async list(_apiVersion: string, kind: string, options: { labelSelector?: string }) {
      if (kind === 'Pod') {
        assert.equal(options.labelSelector, 'app.kubernetes.io/name=crasher,app.kubernetes.io/managed-by=wasm-workbench');
        return { items: [pod], resourceVersion: '1' };
      }
      if (kind === 'Event') return { items: events, resourceVersion: '1' };
      return { items: [], resourceVersion: '1' };
    },
    core: {
      async readNamespacedPodLog(args: { name: string; container: string; tailLines: number; previous: boolean }) {
        logRequests.push(args);
        return Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).slice(-args.tailLines).join('\n') + '\n';
      },
    },
  };
  return client as unknown as KubeClient;
}

describe('a failing rollout explains itself', () => {
  it('CrashLoopBackOff fails at once with the events and the last log lines of the previous run', async () => {
    const logRequests: unknown[] = [];
    const started = Date.now();
    let error: unknown;
    try {
      await waitForRollout(fakeClient(logRequests), [deployment], [{ kind: 'Deployment', name: 'crasher', namespace: 'default', result: 'created', generation: 1 }], { timeoutMs: 60_000, pollMs: 20 });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof DeployError, String(error));
    assert.ok(Date.now() - started < 5000, 'not at the time limit');
    assert.equal(error.step, 'rollout');
    assert.match(error.message, /^rollout of Deployment default\/crasher failed: CrashLoopBackOff: back-off 40s/);
    assert.match(error.details, /Pod crasher-abc-1: Running on wasm-0, container crasher waiting: CrashLoopBackOff .*4 restarts/);
    assert.match(error.details, /Events:\n(.|\n)*Warning BackOff pod\/crasher-abc-1: Back-off restarting failed container/);
    assert.doesNotMatch(error.details, /other app/);
    assert.match(error.details, /Last 20 log lines of pod crasher-abc-1 \(container crasher, previous run\):\n {2}line 11\n(.|\n)* {2}line 30/);
    assert.doesNotMatch(error.details, /line 10\n/);
    assert.deepEqual(logRequests, [{ name: 'crasher-abc-1', namespace: 'default', container: 'crasher', tailLines: 20, previous: true }]);
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
    assert.match(fatalFromEvents([{ type: 'Warning', reason: 'FailedCreatePodSandBox', message: 'no runtime for "spin" is configured' }])!, /^FailedCreatePodSandBox: no runtime for "spin"/);
    assert.equal(fatalFromEvents([{ type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available' }]), undefined);
  });
});
