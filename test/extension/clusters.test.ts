// Integration tests of the "Wasm Clusters" view and of deploy/undeploy in a real VS Code extension host, against a
// real Kubernetes control plane (test/support/control-plane.ts: etcd, kube-apiserver, controller-manager, scheduler,
// kwok for the kubelets) and a real OCI registry started here; a kubeconfig in a temporary folder given through the
// `wasmWorkbench.clusters.kubeconfig` setting; the tree read through the API that `activate` returns; deploy and
// undeploy run as commands.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fixturePath } from '../fixtures';
import * as fixtures from '../support/cluster-fixtures';
import { closedPort, hungListener, startControlPlane, type ControlPlane } from '../support/control-plane';
import { startRegistry, type TestRegistry } from '../support/registry';
import { screenshot } from './screenshot';

const EXTENSION_ID = 'wasm-workbench.wasm-workbench';

/** The tree node shape of src/extension/clusters/tree-nodes.ts, as far as these tests read it. */
interface TreeNode {
  kind: string;
  id: string;
  context?: { name: string };
  section?: string;
  pool?: { name: string };
  workload?: { name: string; state: string };
  message?: string;
}

interface ClustersApi {
  getChildren(node?: TreeNode): Promise<TreeNode[]>;
  getTreeItem(node: TreeNode): vscode.TreeItem;
  reveal(node: TreeNode, options?: { expand?: boolean | number; select?: boolean; focus?: boolean }): Thenable<void>;
  refresh(): void;
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

function tooltip(item: vscode.TreeItem): string {
  const t = item.tooltip;
  return typeof t === 'string' ? t : ((t as { value?: string } | undefined)?.value ?? '');
}

async function until<T>(what: string, get: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return assert.fail(`timed out waiting for ${what}`);
}

describe('Wasm Clusters view', function () {
  this.timeout(120_000);
  let cp: ControlPlane;
  let registry: TestRegistry;
  let hung: { port: number; close(): Promise<void> };
  let dir: string;
  let kubeconfig: string;
  let api: ClustersApi;
  const settings = () => vscode.workspace.getConfiguration('wasmWorkbench.clusters');

  const child = async (parent: TreeNode | undefined, predicate: (n: TreeNode) => boolean, what: string) => {
    const children = await api.getChildren(parent);
    const found = children.find(predicate);
    assert.ok(found, `${what} in ${JSON.stringify(children.map((c) => c.id))}`);
    return found;
  };
  const cluster = (name: string) => child(undefined, (n) => n.kind === 'cluster' && n.context?.name === name, `cluster ${name}`);
  const section = async (clusterName: string, name: string) =>
    child(await cluster(clusterName), (n) => n.kind === 'section' && n.section === name, `section ${name}`);

  before(async () => {
    [cp, registry, hung] = await Promise.all([startControlPlane(), startRegistry(), hungListener()]);
    await cp.admin.apply([
      ...fixtures.mixedCluster(cp.kubeletPort),
      fixtures.deployment('hello-wasm', 'registry.example/apps/hello-wasm@sha256:00', {
        runtimeClassName: 'wasmtime-spin-v2',
        replicas: 2,
      }),
      fixtures.deployment('broken-wasm', 'registry.example/apps/pull-fails@sha256:00', { runtimeClassName: 'wasmtime-spin-v2' }),
      fixtures.deployment('nginx', 'nginx:1.27'),
      fixtures.spinApp('spin-hello', 'registry.example/spinkube/spin-hello@sha256:00'),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'wasm-clusters-test-'));
    kubeconfig = join(dir, 'config');
    // The real cluster; one whose port refuses; one that accepts connections and never answers.
    const entries = [
      cp.kubeconfigEntries({ contextName: 'wasm-lab' }),
      cp.kubeconfigEntries({ contextName: 'offline', server: `https://127.0.0.1:${await closedPort()}` }),
      cp.kubeconfigEntries({ contextName: 'hung', server: `https://127.0.0.1:${hung.port}` }),
    ];
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n${entries.map((e) => e.cluster).join('')}users:\n${entries.map((e) => e.user).join('')}contexts:\n${entries.map((e) => e.context).join('')}current-context: wasm-lab\n`,
      { mode: 0o600 },
    );
    // Let the controllers, the scheduler and kwok run the pods before the view reads them.
    await until(
      "the test cluster's pods",
      async () => {
        const pods = await cp.admin.list<{
          status?: { phase?: string; containerStatuses?: { state?: { waiting?: { reason?: string } } }[] };
        }>('v1', 'Pod', { namespace: 'default' });
        return pods.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff') &&
          pods.filter((p) => p.status?.phase === 'Running').length >= 2
          ? true
          : undefined;
      },
      60_000,
    );

    await settings().update('requestTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
    await settings().update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
    const exports = (await ext.activate()) as { clusters?: ClustersApi } | undefined;
    assert.ok(exports?.clusters, 'activate returns the clusters API');
    api = exports.clusters;
    api.refresh();
  });

  after(async () => {
    await settings().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([cp?.stop(), registry?.stop(), hung?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists the kubeconfig's clusters with the current context marked", async () => {
    const roots = await api.getChildren();
    assert.deepEqual(
      roots.map((r) => r.context?.name),
      ['wasm-lab', 'offline', 'hung'],
    );
    const item = api.getTreeItem(roots[0]!);
    assert.equal(label(item), 'wasm-lab');
    assert.match(String(item.description), /127\.0\.0\.1:\d+ · current/);
    assert.equal(item.contextValue, 'wasmCluster.current');
    assert.equal(api.getTreeItem(roots[1]!).contextValue, 'wasmCluster');
  });

  it('shows the node pools with the Wasm marker and the reasons in the tooltip', async () => {
    const pools = await api.getChildren(await section('wasm-lab', 'pools'));
    const byName = new Map(pools.map((p) => [p.pool!.name, api.getTreeItem(p)]));
    assert.deepEqual(
      [...byName.keys()],
      ['arm-wasm', 'wasipool', 'wasm-pool', 'ungrouped-wasmtime-v5', 'default-pool', 'linux-ng', 'system', 'ungrouped'],
    );
    const wasi = byName.get('wasipool')!;
    assert.match(String(wasi.description), /^Wasm · 1\/2 ready · wasmtime-slight-v1, wasmtime-spin-v2 · amd64$/);
    assert.ok((wasi.iconPath as { path?: string }).path?.endsWith('/media/wasm-pool.svg'), 'the Wasm marker icon');
    assert.match(
      tooltip(wasi),
      /RuntimeClass wasmtime\\-spin\\-v2 \\\(spin\\\) on all 2 nodes: RuntimeClass wasmtime\\-spin\\-v2 selects it/,
    );
    // KWasm: one node provisioned, one only asked for; the tooltip says which.
    assert.match(tooltip(byName.get('wasm-pool')!), /RuntimeClass wasmedge \\\(wasmedge\\\) on 1 of 2 nodes: provisioned by KWasm/);
    const system = byName.get('system')!;
    assert.match(String(system.description), /^no Wasm · 2\/2 ready · amd64 · 1 taint$/);
    assert.match(tooltip(system), /not Wasm-capable/);
    const nodes = await api.getChildren(pools.find((p) => p.pool!.name === 'wasipool'));
    assert.deepEqual(
      nodes.map((n) => [label(api.getTreeItem(n)), String(api.getTreeItem(n).description)]),
      [
        ['aks-wasipool-0', 'Ready · amd64 · Wasm'],
        ['aks-wasipool-1', 'NotReady · amd64 · Wasm'],
      ],
    );
    const arm = await api.getChildren(pools.find((p) => p.pool!.name === 'arm-wasm'));
    assert.equal(String(api.getTreeItem(arm[0]!).description), 'Ready · arm64 · wasm=true:NoSchedule');
  });

  it('shows the Wasm runtimes and the Wasm workloads with their status', async () => {
    const runtimes = await api.getChildren(await section('wasm-lab', 'runtimes'));
    assert.deepEqual(
      runtimes.map((r) => label(api.getTreeItem(r))),
      ['spin-arm', 'wasmedge', 'wasmtime-slight-v1', 'wasmtime-spin-v2', 'wasmtime-v5'],
    );
    assert.equal(String(api.getTreeItem(runtimes[3]!).description), 'spin · spin · wasipool');
    assert.equal(String(api.getTreeItem(runtimes[4]!).description), 'wasmtime v0.5.0 · runwasi · ungrouped-wasmtime-v5');
    assert.match(
      tooltip(api.getTreeItem(runtimes[4]!)).replace(/\\/g, ''),
      /Runs: WASI commands, wasi:cli components \(v0\.4\.0\+; here v0\.5\.0\), wasi:http components \(v0\.5\.0\+; here v0\.5\.0\)/,
    );
    const workloads = await api.getChildren(await section('wasm-lab', 'workloads'));
    const rows = workloads.map((w) => [label(api.getTreeItem(w)), String(api.getTreeItem(w).description)]);
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['broken-wasm', 'hello-wasm', 'spin-hello'],
    );
    assert.match(rows[0]![1]!, /^Deployment · default · 0\/1 available; ImagePullBackOff/);
    assert.equal(rows[1]![1], 'Deployment · default · 2/2 available');
    // No spin-operator runs here: the SpinApp has no status, and the tree says what that means.
    assert.equal(rows[2]![1], 'SpinApp · default · no status and no Deployment yet: is the SpinKube spin-operator running?');
    const pods = await api.getChildren(workloads[1]);
    assert.equal(pods.length, 2);
  });

  it("a workload's logs, description and YAML open in read-only editors", async () => {
    cp.setContainerOutput(['GET / 200', 'GET /health 200']);
    const workloads = await api.getChildren(await section('wasm-lab', 'workloads'));
    const hello = workloads.find((w) => w.workload?.name === 'hello-wasm')!;
    const menu = api.getTreeItem(hello).contextValue;
    assert.equal(menu, 'wasmWorkload.Deployment');
    const logs = await vscode.commands.executeCommand<vscode.TextDocument>('wasmWorkbench.clusters.showLogs', hello);
    assert.equal(logs.uri.scheme, 'wasm-workbench-k8s');
    assert.match(
      logs.getText(),
      /==== pod hello-wasm-[a-z0-9]+-[a-z0-9]+ \(container hello-wasm, node aks-wasipool-\d\)\nGET \/ 200\nGET \/health 200\n/,
    );
    const described = await vscode.commands.executeCommand<vscode.TextDocument>('wasmWorkbench.clusters.describe', hello);
    assert.match(
      described.getText(),
      /^Deployment default\/hello-wasm in wasm-lab\n\nDeployment default\/hello-wasm: 2\/2 ready; Available=True/,
    );
    assert.match(described.getText(), /Pod hello-wasm-[a-z0-9-]+: Running on aks-wasipool-\d/);
    const yaml = await vscode.commands.executeCommand<vscode.TextDocument>('wasmWorkbench.clusters.showYaml', hello);
    assert.equal(yaml.languageId, 'yaml');
    assert.match(yaml.getText(), /^apiVersion: apps\/v1\nkind: Deployment\n/);
    assert.doesNotMatch(yaml.getText(), /managedFields/);
    // A pod of it too.
    const pods = await api.getChildren(hello);
    const podLogs = await vscode.commands.executeCommand<vscode.TextDocument>('wasmWorkbench.clusters.showLogs', pods[0]);
    assert.match(podLogs.getText(), /GET \/health 200/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('an unreachable cluster and a cluster that never answers show an error with Retry, and the others keep working', async () => {
    const started = Date.now();
    const [offline, hung] = await Promise.all([api.getChildren(await cluster('offline')), api.getChildren(await cluster('hung'))]);
    assert.ok(Date.now() - started < 15_000, 'bounded by the request time limit');
    assert.equal(offline.length, 1);
    assert.equal(offline[0]!.kind, 'error');
    assert.match(offline[0]!.message!, /Cannot reach https:\/\/127\.0\.0\.1:\d+: connection refused/);
    const item = api.getTreeItem(offline[0]!);
    assert.equal(item.contextValue, 'wasmClusterError');
    assert.equal(item.command?.command, 'wasmWorkbench.clusters.retry');
    assert.equal(hung[0]!.kind, 'error');
    assert.match(hung[0]!.message!, /did not answer within 2 s/);
    // The good cluster is unaffected.
    assert.equal((await api.getChildren(await cluster('wasm-lab'))).length, 3);
    // Retry reads the cluster again (and fails the same way).
    await vscode.commands.executeCommand('wasmWorkbench.clusters.retry', offline[0]);
    const again = await api.getChildren(await cluster('offline'));
    assert.equal(again[0]!.kind, 'error');
  });

  it('updates the tree from a watch when a RuntimeClass is added', async () => {
    await cp.admin.apply([
      fixtures.runtimeClass('wasmer-v1', 'wasmer', { 'kubernetes.azure.com/agentpool': 'system' }, [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
      ]),
    ]);
    try {
      await until('the new runtime', async () => {
        const runtimes = await api.getChildren(await section('wasm-lab', 'runtimes'));
        return runtimes.some((r) => label(api.getTreeItem(r)) === 'wasmer-v1') ? true : undefined;
      });
    } finally {
      await cp.admin.delete('node.k8s.io/v1', 'RuntimeClass', 'wasmer-v1');
    }
    await until('the runtime gone', async () => {
      const runtimes = await api.getChildren(await section('wasm-lab', 'runtimes'));
      return runtimes.some((r) => label(api.getTreeItem(r)) === 'wasmer-v1') ? undefined : true;
    });
  });

  it('deploys a command as a Job and an HTTP component as a Deployment through the commands, then undeploys them', async () => {
    cp.setContainerOutput(['hello from the Job']);
    const job = await vscode.commands.executeCommand<
      { workload: string; rollout?: { completed?: boolean; exitCode?: number; logs?: string } } | undefined
    >('wasmWorkbench.deploy', {
      file: await fixturePath('preview1-command'),
      context: 'wasm-lab',
      image: `${registry.host}/apps/count:v1`,
      runtimeClass: 'wasmtime-v5',
      name: 'count',
    });
    assert.ok(job, 'the deploy command returns its result');
    assert.equal(job.workload, 'Job');
    assert.deepEqual([job.rollout?.completed, job.rollout?.exitCode, job.rollout?.logs], [true, 0, 'hello from the Job\n']);
    // runtime-class-manager's provisioned label pins the Job's pod.
    const stored = await cp.admin.get<{ spec: { template: { spec: { nodeSelector?: Record<string, string> } } } }>(
      'batch/v1',
      'Job',
      'count',
    );
    assert.deepEqual(stored?.spec.template.spec.nodeSelector, { 'wasmtime-v5': 'provisioned' });
    const web = await vscode.commands.executeCommand<{ workload: string; rollout?: { ready: boolean } } | undefined>(
      'wasmWorkbench.deploy',
      {
        file: await fixturePath('component-http'),
        context: 'wasm-lab',
        image: `${registry.host}/apps/web:v1`,
        pool: 'wasipool',
        name: 'web',
      },
    );
    assert.equal(web?.workload, 'Deployment');
    assert.equal(web?.rollout?.ready, true);
    // The tree shows both (the watches see them).
    await until('the deployed workloads in the tree', async () => {
      const workloads = await api.getChildren(await section('wasm-lab', 'workloads'));
      const rows = workloads.map((w) => `${label(api.getTreeItem(w))}: ${String(api.getTreeItem(w).description)}`);
      return rows.includes('count: Job · default · Complete (exit code 0)') && rows.includes('web: Deployment · default · 1/1 available')
        ? true
        : undefined;
    });
    for (const name of ['count', 'web']) {
      const removed = await vscode.commands.executeCommand<boolean>('wasmWorkbench.undeploy', {
        context: 'wasm-lab',
        name,
        confirmed: true,
      });
      assert.equal(removed, true, name);
    }
    // Deleted in the foreground: gone once the garbage collector has removed their pods.
    await cp.admin.waitFor(
      'Job count and Deployment web to be gone',
      async () =>
        (await cp.admin.get('batch/v1', 'Job', 'count')) === undefined &&
        (await cp.admin.get('apps/v1', 'Deployment', 'web')) === undefined,
    );
  });

  it('a deploy the target refuses returns nothing and changes nothing', async () => {
    const refused = await vscode.commands.executeCommand('wasmWorkbench.deploy', {
      file: await fixturePath('preview1-command'),
      context: 'wasm-lab',
      image: `${registry.host}/apps/x:v1`,
      runtimeClass: 'wasmtime-spin-v2',
      name: 'wagi',
    });
    assert.equal(refused, undefined);
    assert.equal(await cp.admin.get('batch/v1', 'Job', 'wagi'), undefined);
  });

  it("shows the tree in the activity bar's Wasm Clusters view", async () => {
    await vscode.commands.executeCommand('workbench.view.extension.wasmClusters');
    // The view fetches its roots once it is shown: reveal works when it has them.
    const reveal = (node: TreeNode, options: { expand?: boolean; select?: boolean; focus?: boolean }) =>
      until(`revealing ${node.id}`, async () => {
        try {
          await api.reveal(node, options);
          return true;
        } catch {
          return undefined;
        }
      });
    await reveal(await cluster('wasm-lab'), { expand: true });
    const pools = await section('wasm-lab', 'pools');
    await reveal(pools, { expand: true });
    await reveal(await section('wasm-lab', 'workloads'), { expand: true });
    const wasi = await child(pools, (n) => n.pool?.name === 'wasipool', 'wasipool');
    await reveal(wasi, { expand: true, select: true, focus: true });
    // A wider side bar, so that the descriptions (Wasm marker, readiness, RuntimeClasses) show whole.
    for (let i = 0; i < 6; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    // Only the view: no panel left open by earlier suites.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const shot = await screenshot('clusters-tree');
    if (shot) console.log(`    screenshot: ${shot}`);
    // Leave the workbench as the other suites expect it: the side bar at its width, the Explorer shown.
    for (let i = 0; i < 6; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('switches the current context in the kubeconfig file', async () => {
    const offline = await cluster('offline');
    const written = await vscode.commands.executeCommand<string>('wasmWorkbench.clusters.useContext', offline);
    assert.equal(written, kubeconfig);
    assert.match(readFileSync(kubeconfig, 'utf8'), /^current-context: offline$/m);
    const roots = await api.getChildren();
    assert.match(String(api.getTreeItem(roots.find((r) => r.context?.name === 'offline')!).description), /current/);
    await vscode.commands.executeCommand(
      'wasmWorkbench.clusters.useContext',
      roots.find((r) => r.context?.name === 'wasm-lab'),
    );
    assert.match(readFileSync(kubeconfig, 'utf8'), /^current-context: wasm-lab$/m);
  });

  it('shows the welcome view when there is no kubeconfig', async () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = join(dir, 'no-such-config');
    try {
      await settings().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      api.refresh();
      assert.deepEqual(await api.getChildren(), [], 'an empty tree shows the welcome content');
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
      await settings().update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
    }
    assert.equal((await api.getChildren()).length, 3);
  });
});
