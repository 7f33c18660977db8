/**
 * Deploy end to end on loopback: a real OCI registry (Debian's docker-registry) and a real Kubernetes control plane
 * (etcd, kube-apiserver, controller-manager, scheduler; kwok plays the kubelets: see test/support/kwok-stages.yaml),
 * through the real client-node and a real kubeconfig. A command runs as a Job (exit code and log reported), an HTTP
 * component as a Deployment and a Service; redeploys change nothing; undeploy removes what deploy made. What a real
 * API server refuses is shown with its reason: a RuntimeClass selector conflict, requests over limits, a changed
 * Deployment selector, RBAC; and failures midway: registry down, image pull, a program that exits 1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { deploy, DeployError, undeploy, type DeployRequest } from '../../../src/core/deploy';
import { pullManifest } from '../../../src/core/oci';
import { fixturePath } from '../../fixtures';
import * as fixtures from '../../support/cluster-fixtures';
import { closedPort, hungListener, startControlPlane, type ControlPlane, type KubeObject } from '../../support/control-plane';
import { freePort, startRegistry, type TestRegistry } from '../../support/registry';
import { validateManifest } from './validate';

const exec = promisify(execFile);
const cli = join(process.cwd(), 'dist', 'cli.js');

let registry: TestRegistry;
let cp: ControlPlane;
let dir = '';
let kubeconfig = '';
let http = '';
let command = '';

/** Two KWasm-provisioned Wasm nodes in an AKS-style pool (tainted), and a system pool. */
function clusterObjects(kubeletPort: number): KubeObject[] {
  const wasmNode = (name: string) =>
    fixtures.node(name, {
      kubeletPort,
      labels: { 'kubernetes.azure.com/agentpool': 'wasmpool', 'kwasm.sh/kwasm-provisioned': name, wasm: 'yes' },
      annotations: { 'kwasm.sh/kwasm-node': 'true' },
      taints: [{ key: 'kwasm.sh/wasm', value: 'true', effect: 'NoSchedule' }],
    });
  return [
    wasmNode('wasm-0'),
    wasmNode('wasm-1'),
    fixtures.node('system-0', { kubeletPort, labels: { 'kubernetes.azure.com/agentpool': 'system' } }),
    // A pool whose containerd is too old for Wasm layers (1.6.25 is the first 1.6 that reads them).
    fixtures.node('old-0', {
      kubeletPort,
      labels: { 'kubernetes.azure.com/agentpool': 'oldpool', wasm: 'yes' },
      containerRuntime: 'containerd://1.6.21',
    }),
    fixtures.runtimeClass('wasmtime', 'wasmtime', { wasm: 'yes' }),
    // SpinApp pods get only the RuntimeClass's tolerations, so the Spin RuntimeClass tolerates the pool's taint.
    fixtures.runtimeClass('wasmtime-spin-v2', 'spin', { wasm: 'yes' }, [
      { key: 'kwasm.sh/wasm', operator: 'Exists', effect: 'NoSchedule' },
    ]),
    fixtures.runtimeClass('wasmedge', 'wasmedge', { wasm: 'yes' }),
    ...fixtures.spinKubeCrds(),
  ];
}

function request(extra: Partial<DeployRequest>): DeployRequest {
  return {
    file: http,
    image: `${registry.host}/apps/hello:v1`,
    context: 'test',
    kubeconfig: { path: kubeconfig },
    pollMs: 100,
    rolloutTimeoutMs: 30_000,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<DeployError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DeployError, `expected a DeployError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the deploy to fail');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasm-workbench-deploy-'));
  [registry, cp, http, command] = await Promise.all([
    startRegistry(),
    startControlPlane(),
    fixturePath('component-http'),
    fixturePath('preview1-command'),
  ]);
  await cp.admin.apply(clusterObjects(cp.kubeletPort));
  // The executor lives in `default` only: a SpinApp elsewhere has none (the spin-operator looks in the app's namespace).
  await cp.admin.apply([fixtures.spinAppExecutor('containerd-shim-spin', 'wasmtime-spin-v2', 'default')]);
  kubeconfig = cp.writeKubeconfig(join(dir, 'kubeconfig'), { contextName: 'test' });
});

after(async () => {
  await Promise.all([registry?.stop(), cp?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('an HTTP component: a Deployment and a Service', () => {
  it('deploys: pushes, applies by server-side apply, and waits until the pods are available on the Wasm pool', async () => {
    const steps: string[] = [];
    const result = await deploy(request({ name: 'hello', replicas: 2, onProgress: (e) => steps.push(`${e.step}:${e.phase}`) }));
    assert.equal(result.workload, 'Deployment');
    assert.equal(result.rollout?.ready, true);
    assert.equal(result.rollout?.readyReplicas, 2);
    assert.deepEqual(
      result.applied.map((a) => `${a.kind}/${a.name}/${a.result}`),
      ['Deployment/hello/created', 'Service/hello/created'],
    );
    for (const s of ['inspect:start', 'push:start', 'push:done', 'apply:start', 'apply:done', 'rollout:start', 'rollout:done'])
      assert.ok(steps.includes(s), `progress ${s} in ${steps.join(' ')}`);
    // Spin is preferred for HTTP (it serves wasi:http on every release); wasmtime's release is not known here.
    assert.equal(result.target.runtime.runtimeClassName, 'wasmtime-spin-v2');
    assert.equal(result.form, 'spin');
    const pulled = await pullManifest(result.image);
    assert.equal(pulled.digest, result.digest);

    const stored = (await cp.admin.get<KubeObject & { spec: any; metadata: any }>('apps/v1', 'Deployment', 'hello'))!;
    const pod = stored.spec.template.spec;
    assert.equal(pod.runtimeClassName, 'wasmtime-spin-v2');
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.azure.com/agentpool': 'wasmpool' });
    assert.deepEqual(pod.tolerations, [{ key: 'kwasm.sh/wasm', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    assert.equal(pod.containers[0].image, result.image);
    assert.ok(
      stored.metadata.managedFields.some(
        (m: { manager: string; operation: string }) => m.manager === 'wasm-workbench' && m.operation === 'Apply',
      ),
    );
    for (const m of result.manifests) await validateManifest(m);
    // The API server's RuntimeClass admission merged the RuntimeClass's scheduling into the pods; the scheduler put
    // them on the Wasm nodes.
    const pods = await cp.admin.list<{ spec: { nodeName?: string; nodeSelector?: Record<string, string> } }>('v1', 'Pod', {
      namespace: 'default',
      labelSelector: 'app.kubernetes.io/name=hello',
    });
    assert.equal(pods.length, 2);
    for (const p of pods) {
      assert.match(String(p.spec.nodeName), /^wasm-/);
      assert.equal(p.spec.nodeSelector?.wasm, 'yes');
    }
  });

  it('redeploys the same binary: server-side apply changes nothing (generation and resourceVersion kept)', async () => {
    const before = (await cp.admin.get<{ metadata: { generation: number; resourceVersion: string } }>('apps/v1', 'Deployment', 'hello'))!;
    const result = await deploy(request({ name: 'hello', replicas: 2 }));
    assert.deepEqual(
      result.applied.map((a) => `${a.kind}/${a.name}/${a.result}`),
      ['Deployment/hello/unchanged', 'Service/hello/unchanged'],
    );
    const afterwards = (await cp.admin.get<{ metadata: { generation: number; resourceVersion: string } }>(
      'apps/v1',
      'Deployment',
      'hello',
    ))!;
    assert.equal(afterwards.metadata.generation, before.metadata.generation);
    assert.equal(afterwards.metadata.resourceVersion, before.metadata.resourceVersion);
    const scaled = await deploy(request({ name: 'hello', replicas: 3 }));
    assert.equal(scaled.applied[0]!.result, 'configured');
    assert.equal(scaled.applied[0]!.generation, before.metadata.generation + 1);
    assert.equal(scaled.rollout?.readyReplicas, 3);
  });

  it('undeploys what the deploy created, and nothing else', async () => {
    await cp.admin.apply([fixtures.deployment('bystander', 'registry.example/other@sha256:00', { runtimeClassName: 'wasmtime' })]);
    const result = await undeploy({ name: 'hello', context: 'test', kubeconfig: { path: kubeconfig } });
    assert.deepEqual(result.deleted.map((d) => `${d.kind}/${d.name}`).sort(), ['Deployment/hello', 'Service/hello']);
    await cp.admin.waitFor('Deployment hello to be gone', async () => (await cp.admin.get('apps/v1', 'Deployment', 'hello')) === undefined);
    assert.equal(await cp.admin.get('v1', 'Service', 'hello'), undefined);
    assert.ok(await cp.admin.get('apps/v1', 'Deployment', 'bystander'));
    const again = await undeploy({ name: 'hello', context: 'test', kubeconfig: { path: kubeconfig } });
    assert.deepEqual(again.deleted, []);
  });
});

describe('a WASI command: a Job that runs to completion', () => {
  it("runs once, reports exit code 0 and the program's output (its pod log)", async () => {
    cp.setContainerOutput(['hello from a WASI command', 'done']);
    const result = await deploy(request({ file: command, name: 'count', image: `${registry.host}/apps/count:v1` }));
    assert.equal(result.workload, 'Job');
    assert.equal(result.target.runtime.runtimeClassName, 'wasmtime', 'a command goes to a runwasi shim, never Spin');
    assert.equal(result.form, 'runwasi');
    assert.deepEqual(
      result.applied.map((a) => `${a.kind}/${a.name}/${a.result}`),
      ['Job/count/created'],
    );
    assert.equal(result.rollout?.completed, true);
    assert.equal(result.rollout?.exitCode, 0);
    assert.match(result.rollout?.message ?? '', /^Complete \(exit code 0\)/);
    assert.equal(result.rollout?.logs, 'hello from a WASI command\ndone\n');
    const job = (await cp.admin.get<{ spec: { backoffLimit: number; template: { spec: any } } }>('batch/v1', 'Job', 'count'))!;
    assert.equal(job.spec.backoffLimit, 0);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    // KWasm-provisioned nodes: pinned by the label (any value), on top of the RuntimeClass's selector.
    assert.deepEqual(job.spec.template.spec.affinity, undefined, 'the RuntimeClass selects the nodes here: no extra affinity');
    // Redeploying the same binary changes nothing and reports the run that happened.
    const again = await deploy(request({ file: command, name: 'count', image: `${registry.host}/apps/count:v1` }));
    assert.deepEqual(
      again.applied.map((a) => a.result),
      ['unchanged'],
    );
    assert.equal(again.rollout?.exitCode, 0);
  });

  it('a Job whose binary changed is run again: its template cannot change, so it is replaced', async () => {
    const result = await deploy(request({ file: command, name: 'count', image: `${registry.host}/apps/count:v2`, form: 'image' }));
    assert.deepEqual(
      result.applied.map((a) => `${a.kind}/${a.result}`),
      ['Job/replaced'],
    );
    assert.equal(result.rollout?.exitCode, 0);
    const job = (await cp.admin.get<{ spec: { template: { spec: { containers: { image: string }[] } } } }>('batch/v1', 'Job', 'count'))!;
    assert.equal(job.spec.template.spec.containers[0]!.image, result.image);
    const removed = await undeploy({ name: 'count', context: 'test', kubeconfig: { path: kubeconfig } });
    assert.deepEqual(
      removed.deleted.map((d) => `${d.kind}/${d.name}`),
      ['Job/count'],
    );
  });

  it('on a pool whose containerd cannot read Wasm layers, the binary goes in the image form (and --form runwasi is refused)', async () => {
    const result = await deploy(request({ file: command, name: 'old-node', image: `${registry.host}/apps/old-node:v1`, pool: 'oldpool' }));
    assert.equal(result.form, 'image');
    assert.ok(
      result.notes.some((n) => /containerd \(containerd:\/\/1\.6\.21\) is older than Wasm layers need/.test(n)),
      result.notes.join('\n'),
    );
    assert.equal(result.rollout?.exitCode, 0);
    const pulled = await pullManifest(result.image);
    assert.deepEqual(
      pulled.manifest.layers.map((l: { mediaType: string }) => l.mediaType),
      ['application/vnd.oci.image.layer.v1.tar+gzip'],
    );
    const refused = await failure(
      deploy(request({ file: command, name: 'old-node', image: `${registry.host}/apps/old-node:v2`, pool: 'oldpool', form: 'runwasi' })),
    );
    assert.equal(refused.kind, 'refused');
    assert.match(refused.message, /push with --form image/);
    await undeploy({ name: 'old-node', context: 'test', kubeconfig: { path: kubeconfig } });
  });

  it('a program that exits 1 fails the deploy with its exit code and log; the CLI exits 1 and prints them', async () => {
    cp.setContainerOutput(['error: input file missing']);
    const error = await failure(deploy(request({ file: command, name: 'bad-run', image: `${registry.host}/apps/exit-1:v1` })));
    assert.equal(error.kind, 'failed');
    assert.equal(error.step, 'rollout');
    assert.match(error.message, /^bad-run exited with code 1: /);
    assert.match(error.details, /Pod bad-run-[a-z0-9]+: Failed on wasm-\d, container bad-run terminated: Error exit 1/);
    assert.match(error.details, /error: input file missing/);
    const r = await exec(
      process.execPath,
      [
        cli,
        'deploy',
        command,
        '--context',
        'test',
        '--image',
        `${registry.host}/apps/exit-1:v2`,
        '--name',
        'bad-cli',
        '--timeout',
        '30',
        '-q',
      ],
      { env: { ...process.env, KUBECONFIG: kubeconfig } },
    ).then(
      () => assert.fail('expected exit 1'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /wasm-workbench: bad-cli exited with code 1/);
    assert.match(r.stderr, /error: input file missing/);
    await undeploy({ name: 'bad-run', context: 'test', kubeconfig: { path: kubeconfig } });
    await undeploy({ name: 'bad-cli', context: 'test', kubeconfig: { path: kubeconfig } });
  });

  it('with --workload pod, a Pod with restartPolicy Never, through the CLI, with its output', async () => {
    cp.setContainerOutput(['once']);
    const d = await exec(
      process.execPath,
      [
        cli,
        'deploy',
        command,
        '--context',
        'test',
        '--image',
        `${registry.host}/apps/once:v1`,
        '--workload',
        'pod',
        '--name',
        'once',
        '--timeout',
        '30',
      ],
      { env: { ...process.env, KUBECONFIG: kubeconfig } },
    );
    assert.match(d.stdout, /^Deployed once to test\/default/m);
    assert.match(d.stdout, /applied: {2}Pod once \(created/);
    assert.match(d.stdout, /run: {6}Completed \(exit code 0\)/);
    assert.match(d.stdout, /output \(last lines of its log\):\n {4}once/);
    const pod = (await cp.admin.get<{ spec: { restartPolicy: string }; status: { phase: string } }>('v1', 'Pod', 'once'))!;
    assert.deepEqual([pod.spec.restartPolicy, pod.status.phase], ['Never', 'Succeeded']);
    const u = await exec(process.execPath, [cli, 'undeploy', 'once', '--context', 'test'], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    assert.match(u.stdout, /Deleted Pod once from default/);
  });
});

describe('what a real API server refuses, shown with its reason', () => {
  it("a node selector that conflicts with the RuntimeClass's: the API server forbids the pod, the deploy says why", async () => {
    const error = await failure(
      deploy(
        request({ file: command, name: 'conflict', image: `${registry.host}/apps/conflict:v1`, pool: 'wasm=no', runtimeClass: 'wasmtime' }),
      ),
    );
    assert.equal(error.step, 'rollout');
    assert.match(
      error.message,
      /^the run of Job default\/conflict failed: FailedCreate: Error creating: pods "conflict-" is forbidden: conflict: runtimeClass\.scheduling\.nodeSelector\[wasm\] = yes; pod\.spec\.nodeSelector\[wasm\] = no/,
    );
    await undeploy({ name: 'conflict', context: 'test', kubeconfig: { path: kubeconfig } });
  });

  it('requests over limits: 422 from the API server, with the field', async () => {
    const error = await failure(deploy(request({ name: 'greedy', resources: { limits: { cpu: '5m' } } })));
    assert.equal(error.step, 'apply');
    assert.match(
      error.message,
      /server-side apply of Deployment default\/greedy failed: Invalid: .*must be less than or equal to cpu limit.*\[HTTP 422\]/,
    );
    assert.match(
      error.details,
      /spec\.template\.spec\.containers\[0\]\.resources\.requests: Invalid value: "10m": must be less than or equal to cpu limit/,
    );
    assert.match(error.details, /Nothing was applied/);
  });

  it('a Deployment of that name made by someone else: a conflict naming the fields; forced, 422 "field is immutable"', async () => {
    await cp.admin.apply([fixtures.deployment('taken', 'registry.example/other@sha256:00', { runtimeClassName: 'wasmtime' })]);
    const conflict = await failure(deploy(request({ name: 'taken', runtimeClass: 'wasmtime-spin-v2' })));
    assert.equal(conflict.step, 'apply');
    assert.match(conflict.message, /Conflict: Apply failed with 3 conflicts: conflicts with "test-admin":\n- \.spec\.selector\n/);
    const error = await failure(deploy(request({ name: 'taken', runtimeClass: 'wasmtime-spin-v2', force: true })));
    assert.equal(error.step, 'apply');
    assert.match(error.message, /Invalid: .*spec\.selector: Invalid value: .*field is immutable.*\[HTTP 422\]/);
  });

  it('RBAC: a user who may only read gets 403 with what to ask for; nothing is applied', async () => {
    const viewer = cp.writeKubeconfig(join(dir, 'viewer'), { contextName: 'test', user: 'viewer' });
    const error = await failure(deploy(request({ name: 'forbidden', kubeconfig: { path: viewer } })));
    assert.equal(error.step, 'apply');
    assert.match(
      error.message,
      /server-side apply of Deployment default\/forbidden failed: Forbidden: deployments\.apps "forbidden" is forbidden: User "viewer" cannot patch resource "deployments".*\[HTTP 403\].*ask for the RBAC rights/,
    );
    assert.equal(await cp.admin.get('apps/v1', 'Deployment', 'forbidden'), undefined);
  });

  it('a field another manager took over is a conflict with the way out; --force-conflicts takes it back', async () => {
    await deploy(request({ name: 'shared', replicas: 1 }));
    await cp.admin.request(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/shared?fieldManager=autoscaler&force=true',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shared' }, spec: { replicas: 4 } },
      'application/apply-patch+yaml',
    );
    const conflict = await failure(deploy(request({ name: 'shared', replicas: 1 })));
    assert.equal(conflict.step, 'apply');
    assert.match(conflict.message, /server-side apply of Deployment default\/shared failed: Conflict: .*autoscaler.*--force-conflicts/);
    const forced = await deploy(request({ name: 'shared', replicas: 1, force: true }));
    assert.equal(forced.applied[0]!.result, 'configured');
    assert.equal((await cp.admin.get<{ spec: { replicas: number } }>('apps/v1', 'Deployment', 'shared'))!.spec.replicas, 1);
    await undeploy({ name: 'shared', context: 'test', kubeconfig: { path: kubeconfig } });
  });
});

describe('SpinApps', () => {
  it('with the executor in its namespace: applied (validated by the CRD schema); without a spin-operator it never gets a status, and the deploy says so', async () => {
    const error = await failure(
      deploy(request({ name: 'spin-hello', spin: true, image: `${registry.host}/apps/spin-hello:v1`, rolloutTimeoutMs: 3000 })),
    );
    assert.equal(error.step, 'rollout');
    assert.match(
      error.message,
      /rollout of SpinApp default\/spin-hello did not finish within 3 s \(no status and no Deployment yet: is the SpinKube spin-operator running\?\)/,
    );
    const app = (await cp.admin.get<{ spec: { executor: string; image: string; replicas: number } }>(
      'core.spinkube.dev/v1alpha1',
      'SpinApp',
      'spin-hello',
    ))!;
    assert.equal(app.spec.executor, 'containerd-shim-spin');
    assert.equal(app.spec.replicas, 1);
    const pulled = await pullManifest(app.spec.image);
    assert.ok(
      pulled.manifest.layers.some((l: { mediaType: string }) => l.mediaType === 'application/vnd.fermyon.spin.application.v1+config'),
    );
    const removed = await undeploy({ name: 'spin-hello', context: 'test', kubeconfig: { path: kubeconfig } });
    assert.deepEqual(
      removed.deleted.map((d) => d.kind),
      ['SpinApp'],
    );
  });

  it('without an executor in its namespace: refused before anything is pushed', async () => {
    const error = await failure(deploy(request({ name: 'spin-elsewhere', spin: true, namespace: 'team-a' })));
    assert.equal(error.kind, 'refused');
    assert.match(error.message, /SpinAppExecutor containerd-shim-spin exists in namespace default but not in team-a/);
  });

  it("replicas 0: refused (the spin-operator's webhook would refuse it)", async () => {
    const error = await failure(deploy(request({ name: 'spin-zero', spin: true, replicas: 0 })));
    assert.equal(error.kind, 'input');
    assert.match(error.message, /a SpinApp needs --replicas 1 or more/);
  });
});

describe('failures midway and clusters that cannot be reached', () => {
  it('registry down: a clear error at the push, nothing applied', async () => {
    const port = await freePort();
    const error = await failure(deploy(request({ name: 'no-registry', image: `127.0.0.1:${port}/apps/x:v1` })));
    assert.equal(error.step, 'push');
    assert.match(error.message, new RegExp(`push to 127\\.0\\.0\\.1:${port} failed: .*`));
    assert.match(error.details, /Nothing was applied/);
    assert.equal(await cp.admin.get('apps/v1', 'Deployment', 'no-registry'), undefined);
  });

  it("an image that cannot be pulled: the rollout fails at once with the kubelet's reason and the pod events", async () => {
    const error = await failure(deploy(request({ name: 'broken', image: `${registry.host}/apps/pull-fails:v1` })));
    assert.equal(error.step, 'rollout');
    assert.match(error.message, /rollout of Deployment default\/broken failed: .*ImagePullBackOff: Back-off pulling image/);
    assert.match(error.details, /Pod broken-[a-z0-9-]+: Pending/);
    assert.match(error.details, /Events:\n(.|\n)*Warning Failed pod\/broken-[a-z0-9-]+: Error: ImagePullBackOff/);
    await undeploy({ name: 'broken', context: 'test', kubeconfig: { path: kubeconfig } });
  });

  it('refuses a pool without a Wasm runtime, and a component on a core-module shim, before pushing (CLI exit 2)', async () => {
    const pool = await failure(deploy(request({ name: 'wrong-pool', pool: 'system' })));
    assert.equal(pool.kind, 'refused');
    assert.match(pool.message, /pool system has no Wasm runtime/);
    const shim = await failure(deploy(request({ name: 'wrong-shim', runtimeClass: 'wasmedge' })));
    assert.equal(shim.kind, 'refused');
    assert.match(shim.message, /RuntimeClass wasmedge .* does not run a wasi:http proxy component/);
    const r = await exec(
      process.execPath,
      [cli, 'deploy', http, '--context', 'test', '--image', `${registry.host}/apps/x:v1`, '--pool', 'system', '-q'],
      { env: { ...process.env, KUBECONFIG: kubeconfig } },
    ).then(
      () => assert.fail('expected exit 2'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /pool system has no Wasm runtime/);
  });

  it('an unreachable cluster (a closed port) and a hung one (a listener that never answers): clear errors, no hang', async () => {
    const closed = cp.writeKubeconfig(join(dir, 'closed'), { contextName: 'test', server: `https://127.0.0.1:${await closedPort()}` });
    const unreachable = await failure(deploy(request({ name: 'x', kubeconfig: { path: closed } })));
    assert.equal(unreachable.step, 'resolve');
    assert.match(
      unreachable.message,
      /reading the cluster of context test failed: Cannot reach https:\/\/127\.0\.0\.1:\d+: connection refused.*is the cluster running and reachable from here\?/,
    );
    const hung = await hungListener();
    try {
      const path = cp.writeKubeconfig(join(dir, 'hung'), { contextName: 'test', server: `https://127.0.0.1:${hung.port}` });
      const started = Date.now();
      const timeout = await failure(deploy(request({ name: 'x', kubeconfig: { path }, requestTimeoutMs: 1000 })));
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      assert.match(timeout.message, /did not answer within 1 s/);
    } finally {
      await hung.close();
    }
  });
});
