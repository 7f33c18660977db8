/**
 * The "Wasm Clusters" view: the tree, its commands (refresh, retry, switch context, choose a kubeconfig) and the
 * small public API that `activate` returns for other extensions (and the integration tests) to read the tree.
 */
import * as vscode from 'vscode';
import { switchContext, type ClusterModel } from '../../core/kube';
import type { Log } from '../log';
import { ClustersProvider } from './provider';
import { config } from '../config';
import type { ClusterTreeNode } from './tree-nodes';
import { registerWorkloadActions } from './workload-actions';
import { errorMessage } from '../../core/errors';

export type { ClusterTreeNode } from './tree-nodes';

export const clustersViewId = 'wasmWorkbench.clusters';

/** What other extensions can read of the cluster explorer (`activate(...).clusters`). */
export interface ClustersApi {
  /** The tree's nodes: the kubeconfig's clusters (no argument), then a cluster's sections, pools, nodes, ... */
  getChildren(node?: ClusterTreeNode): Promise<ClusterTreeNode[]>;
  /** How a node is shown (label, description, tooltip). */
  getTreeItem(node: ClusterTreeNode): vscode.TreeItem;
  /** Shows a node in the view (expanding its parents). */
  reveal(node: ClusterTreeNode, options?: { expand?: boolean | number; select?: boolean; focus?: boolean }): Thenable<void>;
  /** The Wasm model of a kubeconfig context (undefined when the cluster cannot be read). */
  getClusterModel(contextName: string): Promise<ClusterModel | undefined>;
  /** Re-reads the kubeconfig and every cluster. */
  refresh(): void;
  readonly onDidChangeTreeData: vscode.Event<ClusterTreeNode | undefined>;
}

export function registerClusters(context: vscode.ExtensionContext, log: Log): ClustersApi {
  const provider = new ClustersProvider(context.extensionUri, log);
  const view = vscode.window.createTreeView(clustersViewId, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    provider,
    view,
    vscode.commands.registerCommand('wasmWorkbench.clusters.refresh', () => provider.refresh()),
    vscode.commands.registerCommand('wasmWorkbench.clusters.refreshCluster', (node?: ClusterTreeNode) => {
      if (node?.kind === 'cluster') provider.refreshCluster(node.context.name);
      else provider.refresh();
    }),
    vscode.commands.registerCommand('wasmWorkbench.clusters.retry', (node?: ClusterTreeNode) => {
      if (node?.kind === 'error' && node.contextName) provider.refreshCluster(node.contextName);
      else provider.refresh();
    }),
    vscode.commands.registerCommand('wasmWorkbench.clusters.useContext', async (node?: ClusterTreeNode) => {
      const kubeconfig = await provider.loadedKubeconfig();
      let name = node?.kind === 'cluster' ? node.context.name : undefined;
      if (!name) {
        const pick = await vscode.window.showQuickPick(
          kubeconfig.contexts.map((c) => ({
            label: c.name,
            description: `${c.server ?? ''}${c.name === kubeconfig.currentContext ? ' (current)' : ''}`,
          })),
          { title: 'Switch to kubeconfig context' },
        );
        name = pick?.label;
      }
      if (!name) return undefined;
      try {
        const file = await switchContext(kubeconfig, name);
        log.info(`Clusters: current-context is now ${name} (written to ${file})`);
        provider.refresh();
        void vscode.window.setStatusBarMessage(`Kubernetes context: ${name}`, 4000);
        return file;
      } catch (error) {
        void vscode.window.showErrorMessage(`Cannot switch to ${name}: ${errorMessage(error)}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('wasmWorkbench.clusters.chooseKubeconfig', async () => {
      const picked = await vscode.window.showOpenDialog({
        title: 'Choose a kubeconfig file',
        canSelectMany: false,
        openLabel: 'Use this kubeconfig',
      });
      if (!picked?.[0]) return;
      await config.clusters.setKubeconfig(picked[0].fsPath);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (config.clusters.changedIn(e)) provider.refresh();
    }),
  );
  registerWorkloadActions(context, provider, log);
  return {
    getChildren: (node) => provider.getChildren(node),
    getTreeItem: (node) => provider.getTreeItem(node),
    reveal: (node, options) => view.reveal(node, options),
    getClusterModel: (name) => provider.model(name),
    refresh: () => provider.refresh(),
    onDidChangeTreeData: provider.onDidChangeTreeData,
  };
}
