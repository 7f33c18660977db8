/** The `wasmWorkbench.clusters.*` settings. */
import * as vscode from 'vscode';

export const clustersSection = 'wasmWorkbench.clusters';

export interface ClustersSettings {
  /** kubeconfig file(s) that override `KUBECONFIG` for the explorer; empty: `KUBECONFIG` or `~/.kube/config`. */
  kubeconfig: string;
  /** Limit for each request to a cluster. */
  requestTimeoutMs: number;
  /** Keep RuntimeClasses, Deployments and SpinApps current with watches. */
  watch: boolean;
}

export function clustersSettings(): ClustersSettings {
  const c = vscode.workspace.getConfiguration(clustersSection);
  const seconds = c.get<number>('requestTimeoutSeconds', 10);
  return {
    kubeconfig: c.get<string>('kubeconfig', '').trim(),
    requestTimeoutMs: Math.max(1, Number.isFinite(seconds) ? seconds : 10) * 1000,
    watch: c.get<boolean>('watch', true),
  };
}
