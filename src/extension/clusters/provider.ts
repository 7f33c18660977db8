/**
 * The cluster explorer's data: the kubeconfig's contexts, and for each cluster (loaded when first expanded, with
 * the request time limit) its Wasm runtimes, node pools and Wasm workloads. A cluster that fails shows an error
 * item with the reason; the others are not affected. Watches keep RuntimeClasses, Deployments and SpinApps current;
 * everything else is re-read on Refresh.
 */
import * as vscode from 'vscode';
import {
  buildClusterModel,
  connectToContext,
  KubeError,
  loadKubeconfig,
  readClusterObjects,
  watchClusterObjects,
  withDeadline,
  type ClusterModel,
  type ClusterSnapshot,
  type ClusterWatch,
  type KubeClient,
  type Kubeconfig,
} from '../../core/kube';
import type { Log } from '../log';
import { config } from '../config';
import { treeItemOf, type ClusterTreeNode } from './tree-nodes';

interface ClusterState {
  loading?: Promise<void>;
  model?: ClusterModel;
  error?: KubeError;
  client?: KubeClient;
  watch?: ClusterWatch;
  debounce?: NodeJS.Timeout;
  /** Bumped on every reset, so that a load that finishes after a refresh is dropped. */
  generation: number;
}

function asKubeError(error: unknown): KubeError {
  return error instanceof KubeError ? error : new KubeError('server', (error as Error)?.message ?? String(error));
}

export class ClustersProvider implements vscode.TreeDataProvider<ClusterTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private kubeconfig: Promise<Kubeconfig> | undefined;
  private readonly clusters = new Map<string, ClusterState>();
  private readonly clusterNodes = new Map<string, ClusterTreeNode>();
  private fileWatchers: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
  ) {}

  dispose(): void {
    for (const s of this.clusters.values()) this.stopWatch(s);
    for (const w of this.fileWatchers) w.dispose();
    this.changed.dispose();
  }

  getTreeItem(node: ClusterTreeNode): vscode.TreeItem {
    const item = treeItemOf(node, (file) => vscode.Uri.joinPath(this.extensionUri, 'media', file));
    item.id = node.id;
    return item;
  }

  getParent(node: ClusterTreeNode): ClusterTreeNode | undefined {
    return node.kind === 'cluster' ? undefined : node.parent;
  }

  async getChildren(node?: ClusterTreeNode): Promise<ClusterTreeNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'cluster':
        return this.clusterChildren(node);
      case 'section':
        return this.sectionChildren(node);
      case 'pool':
        return node.pool.nodes.map((n) => ({
          kind: 'node',
          id: `${node.id}/${n.name}`,
          contextName: node.contextName,
          node: n,
          parent: node,
        }));
      case 'workload':
        return node.workload.pods.map((p) => ({
          kind: 'pod',
          id: `${node.id}/${p.name}`,
          contextName: node.contextName,
          pod: p,
          namespace: node.workload.namespace,
          parent: node,
        }));
      default:
        return [];
    }
  }

  /** The model of a context, loading it if needed (undefined when it cannot be read: see the tree's error item). */
  async model(contextName: string): Promise<ClusterModel | undefined> {
    const state = this.state(contextName);
    await this.ensureLoaded(contextName, state);
    return state.model;
  }

  /** The connected client of a context (undefined when the cluster cannot be read). */
  async client(contextName: string): Promise<KubeClient | undefined> {
    const state = this.state(contextName);
    await this.ensureLoaded(contextName, state);
    return state.client;
  }

  /** Re-reads the kubeconfig and every cluster. */
  refresh(): void {
    this.kubeconfig = undefined;
    for (const [name, s] of this.clusters) this.reset(name, s);
    this.clusters.clear();
    this.changed.fire(undefined);
  }

  /** Re-reads one cluster. */
  refreshCluster(contextName: string): void {
    const s = this.clusters.get(contextName);
    if (s) this.reset(contextName, s);
    this.clusters.delete(contextName);
    const node = this.clusterNodes.get(contextName);
    this.changed.fire(node);
  }

  /** The kubeconfig as the explorer reads it (the setting, else KUBECONFIG, else ~/.kube/config). */
  loadedKubeconfig(): Promise<Kubeconfig> {
    if (!this.kubeconfig) {
      const path = config.clusters.read().kubeconfig;
      this.kubeconfig = loadKubeconfig(path ? { path } : {});
      this.kubeconfig.then(
        (kc) => this.watchFiles(kc.precedence),
        () => undefined,
      );
    }
    return this.kubeconfig;
  }

  private watchFiles(files: string[]): void {
    for (const w of this.fileWatchers) w.dispose();
    this.fileWatchers = files.map((file) => {
      const uri = vscode.Uri.file(file);
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop()!),
      );
      const onChange = () => {
        this.log.info(`Clusters: ${file} changed; reading the kubeconfig again`);
        this.kubeconfig = undefined;
        this.changed.fire(undefined);
      };
      watcher.onDidChange(onChange);
      watcher.onDidCreate(onChange);
      watcher.onDidDelete(onChange);
      return watcher;
    });
  }

  private async roots(): Promise<ClusterTreeNode[]> {
    let kc: Kubeconfig;
    try {
      kc = await this.loadedKubeconfig();
    } catch (error) {
      this.kubeconfig = undefined;
      const e = asKubeError(error);
      this.log.warn(`Clusters: ${e.message}`);
      await vscode.commands.executeCommand('setContext', 'wasmWorkbench.clusters.noKubeconfig', false);
      return [{ kind: 'error', id: 'kubeconfig-error', message: e.message, errorKind: e.kind }];
    }
    await vscode.commands.executeCommand('setContext', 'wasmWorkbench.clusters.noKubeconfig', kc.contexts.length === 0);
    this.clusterNodes.clear();
    const nodes: ClusterTreeNode[] = kc.contexts.map((context) => ({
      kind: 'cluster',
      id: `cluster/${context.name}`,
      context,
      current: context.name === kc.currentContext,
    }));
    for (const n of nodes) if (n.kind === 'cluster') this.clusterNodes.set(n.context.name, n);
    // Contexts that are gone: stop their watches.
    for (const [name, s] of this.clusters) {
      if (!this.clusterNodes.has(name)) {
        this.reset(name, s);
        this.clusters.delete(name);
      }
    }
    return nodes;
  }

  private state(contextName: string): ClusterState {
    let s = this.clusters.get(contextName);
    if (!s) {
      s = { generation: 0 };
      this.clusters.set(contextName, s);
    }
    return s;
  }

  private reset(contextName: string, s: ClusterState): void {
    s.generation++;
    this.stopWatch(s);
    s.loading = undefined;
    s.model = undefined;
    s.error = undefined;
    s.client = undefined;
    void contextName;
  }

  private stopWatch(s: ClusterState): void {
    s.watch?.stop();
    s.watch = undefined;
    if (s.debounce) clearTimeout(s.debounce);
    s.debounce = undefined;
  }

  private ensureLoaded(contextName: string, s: ClusterState): Promise<void> {
    if (s.model || s.error) return Promise.resolve();
    s.loading ??= this.load(contextName, s);
    return s.loading;
  }

  private async load(contextName: string, s: ClusterState): Promise<void> {
    const generation = s.generation;
    const settings = config.clusters.read();
    const started = Date.now();
    try {
      const kc = await this.loadedKubeconfig();
      const client = await connectToContext(kc, contextName, { timeoutMs: settings.requestTimeoutMs });
      // Each request has its limit; the whole read is bounded too (a few rounds of requests at most).
      const snapshot: ClusterSnapshot = await withDeadline(
        readClusterObjects(client),
        settings.requestTimeoutMs * 4,
        () =>
          new KubeError(
            'timeout',
            `${client.server} did not answer in time (reading the cluster took longer than ${(settings.requestTimeoutMs * 4) / 1000} s)`,
          ),
      );
      if (generation !== s.generation) return;
      s.client = client;
      s.model = buildClusterModel(snapshot.objects, snapshot.problems);
      this.log.info(
        `Clusters: ${contextName}: ${s.model.nodeCount} nodes, ${s.model.nodePools.length} pools, ${s.model.runtimes.length} Wasm runtimes, ${s.model.workloads.length} Wasm workloads (${Date.now() - started} ms)`,
      );
      if (settings.watch) this.startWatch(contextName, s, client, snapshot);
    } catch (error) {
      if (generation !== s.generation) return;
      s.error = asKubeError(error);
      this.log.warn(`Clusters: ${contextName}: ${s.error.message}`);
    } finally {
      if (generation === s.generation) s.loading = undefined;
    }
  }

  private startWatch(contextName: string, s: ClusterState, client: KubeClient, snapshot: ClusterSnapshot): void {
    const generation = s.generation;
    s.watch = watchClusterObjects(
      client,
      snapshot,
      () => {
        if (generation !== s.generation) return;
        if (s.debounce) clearTimeout(s.debounce);
        s.debounce = setTimeout(() => {
          s.debounce = undefined;
          if (generation !== s.generation || !s.watch) return;
          s.model = buildClusterModel(s.watch.current(), snapshot.problems);
          this.changed.fire(this.clusterNodes.get(contextName));
        }, 400);
      },
      (error) => this.log.info(`Clusters: ${contextName}: watch: ${error.message} (retrying)`),
    );
  }

  private async clusterChildren(node: Extract<ClusterTreeNode, { kind: 'cluster' }>): Promise<ClusterTreeNode[]> {
    const name = node.context.name;
    const s = this.state(name);
    await this.ensureLoaded(name, s);
    if (s.error)
      return [
        { kind: 'error', id: `${node.id}/error`, contextName: name, message: s.error.message, errorKind: s.error.kind, parent: node },
      ];
    const m = s.model;
    if (!m) return [];
    const section = (kind: 'runtimes' | 'pools' | 'workloads' | 'problems', count: number, detail: string): ClusterTreeNode => ({
      kind: 'section',
      id: `${node.id}/${kind}`,
      contextName: name,
      section: kind,
      count,
      detail,
      parent: node,
    });
    const wasmPools = m.nodePools.filter((p) => p.wasmCapable).length;
    const out: ClusterTreeNode[] = [
      section('runtimes', m.runtimes.length, `${m.runtimes.length}`),
      section(
        'pools',
        m.nodePools.length,
        `${m.nodePools.length} · ${wasmPools} Wasm-capable · ${m.readyNodeCount}/${m.nodeCount} nodes ready`,
      ),
      section('workloads', m.workloads.length, `${m.workloads.length}`),
    ];
    if (m.problems.length > 0) out.push(section('problems', m.problems.length, `${m.problems.length}`));
    return out;
  }

  private sectionChildren(node: Extract<ClusterTreeNode, { kind: 'section' }>): ClusterTreeNode[] {
    const m = this.clusters.get(node.contextName)?.model;
    if (!m) return [];
    const info = (label: string, detail?: string): ClusterTreeNode => ({
      kind: 'info',
      id: `${node.id}/info/${label}`,
      label,
      ...(detail ? { detail } : {}),
      parent: node,
    });
    switch (node.section) {
      case 'runtimes':
        if (m.runtimes.length === 0)
          return [
            info(
              'No Wasm RuntimeClass',
              m.otherRuntimeClasses.length ? `other RuntimeClasses: ${m.otherRuntimeClasses.map((r) => r.name).join(', ')}` : undefined,
            ),
          ];
        return m.runtimes.map((runtime) => ({
          kind: 'runtime',
          id: `${node.id}/${runtime.runtimeClassName}`,
          contextName: node.contextName,
          runtime,
          parent: node,
        }));
      case 'pools':
        if (m.nodePools.length === 0) return [info('No nodes to show', m.problems.find((p) => p.section === 'nodes')?.message)];
        return m.nodePools.map((pool) => ({
          kind: 'pool',
          id: `${node.id}/${pool.provider}/${pool.name}`,
          contextName: node.contextName,
          pool,
          parent: node,
        }));
      case 'workloads':
        if (m.workloads.length === 0) return [info('No Wasm workloads')];
        return m.workloads.map((workload) => ({
          kind: 'workload',
          id: `${node.id}/${workload.kind}/${workload.namespace}/${workload.name}`,
          contextName: node.contextName,
          workload,
          parent: node,
        }));
      case 'problems':
        return m.problems.map((p, i) => ({ ...info(p.message), id: `${node.id}/${i}` }));
    }
  }
}
