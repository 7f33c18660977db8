/**
 * Actions on a workload or pod of the clusters tree: its pods' logs, a describe-like report (state, conditions,
 * pods, events, last log lines: src/core/deploy `diagnose`), and its YAML as the cluster has it (managedFields left
 * out). Each opens in a read-only editor (a virtual document of the scheme below), refreshed when opened again.
 */
import * as vscode from 'vscode';
import { diagnose, toYaml, workloadApiVersions, workloadLogs, type KubeObject } from '../../core/deploy';
import type { Log } from '../log';
import type { ClustersProvider } from './provider';
import type { ClusterTreeNode } from './tree-nodes';
import { showFailure } from '../errors';

export const clusterDocumentScheme = 'wasm-workbench-k8s';

class ClusterDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

type Action = 'logs' | 'describe' | 'yaml';

/** The workload (or pod) a tree node names, as an object reference. */
function targetOf(
  node: ClusterTreeNode | undefined,
): { contextName: string; object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'> } | undefined {
  if (node?.kind === 'workload') {
    const w = node.workload;
    return {
      contextName: node.contextName,
      object: { apiVersion: workloadApiVersions[w.kind] ?? 'v1', kind: w.kind, metadata: { name: w.name, namespace: w.namespace } },
    };
  }
  if (node?.kind === 'pod')
    return {
      contextName: node.contextName,
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: node.pod.name, namespace: node.namespace } },
    };
  return undefined;
}

const titles: Record<Action, string> = { logs: 'logs', describe: 'describe', yaml: 'yaml' };

export function registerWorkloadActions(context: vscode.ExtensionContext, provider: ClustersProvider, log: Log): void {
  const documents = new ClusterDocuments();
  const run = async (action: Action, node?: ClusterTreeNode): Promise<vscode.TextDocument | undefined> => {
    const target = targetOf(node);
    if (!target) {
      void vscode.window.showErrorMessage('Choose a workload or a pod in the Wasm Clusters view.');
      return undefined;
    }
    const { contextName, object } = target;
    const client = await provider.client(contextName);
    if (!client) {
      void vscode.window.showErrorMessage(`Cannot read cluster ${contextName}: see its item in the Wasm Clusters view.`);
      return undefined;
    }
    const namespace = object.metadata.namespace ?? client.namespace;
    const what = `${object.kind} ${namespace}/${object.metadata.name}`;
    let text: string;
    try {
      text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${what}` }, async () => {
        if (action === 'logs') return workloadLogs(client, object);
        if (action === 'describe') {
          const d = await diagnose(client, object as KubeObject, { tailLines: 20 });
          return `${what} in ${contextName}\n\n${d.details}\n`;
        }
        const live = await client.get(object.apiVersion, object.kind, object.metadata.name, namespace);
        if (!live) return `# ${what} no longer exists in ${contextName}\n`;
        const { managedFields: _managed, ...metadata } = (live.metadata ?? {}) as Record<string, unknown>;
        return toYaml({ apiVersion: live.apiVersion, kind: live.kind, ...live, metadata });
      });
    } catch (error) {
      void showFailure(log, `Cannot read ${what}`, error);
      return undefined;
    }
    const uri = vscode.Uri.from({
      scheme: clusterDocumentScheme,
      path: `/${contextName}/${namespace}/${object.kind}/${object.metadata.name}.${action === 'yaml' ? 'yaml' : 'log'}`,
      query: titles[action],
    });
    documents.set(uri, text);
    const document = await vscode.workspace.openTextDocument(uri);
    if (action === 'yaml' && document.languageId !== 'yaml')
      await vscode.languages.setTextDocumentLanguage(document, 'yaml').then(undefined, () => undefined);
    await vscode.window.showTextDocument(document, { preview: true });
    return document;
  };
  context.subscriptions.push(
    documents,
    vscode.workspace.registerTextDocumentContentProvider(clusterDocumentScheme, documents),
    vscode.commands.registerCommand('wasmWorkbench.clusters.showLogs', (node?: ClusterTreeNode) => run('logs', node)),
    vscode.commands.registerCommand('wasmWorkbench.clusters.describe', (node?: ClusterTreeNode) => run('describe', node)),
    vscode.commands.registerCommand('wasmWorkbench.clusters.showYaml', (node?: ClusterTreeNode) => run('yaml', node)),
  );
}
