/**
 * The cluster explorer's tree: every node is one kind of a tagged union, and `treeItemOf` is the one place that
 * says how each kind looks (label, description, icon, tooltip, context value for menus).
 */
import * as vscode from 'vscode';
import {
  shimTraits,
  type ClusterNode,
  type KubeContext,
  type NodePool,
  type ShimTraits,
  type WasmRuntime,
  type WasmWorkload,
  type WorkloadState,
} from '../../core/kube';

export type SectionKind = 'runtimes' | 'pools' | 'workloads' | 'problems';

export type ClusterTreeNode =
  | { kind: 'cluster'; id: string; context: KubeContext; current: boolean }
  | { kind: 'section'; id: string; contextName: string; section: SectionKind; count: number; detail: string; parent: ClusterTreeNode }
  | { kind: 'runtime'; id: string; contextName: string; runtime: WasmRuntime; parent: ClusterTreeNode }
  | { kind: 'pool'; id: string; contextName: string; pool: NodePool; parent: ClusterTreeNode }
  | { kind: 'node'; id: string; contextName: string; node: ClusterNode; parent: ClusterTreeNode }
  | { kind: 'workload'; id: string; contextName: string; workload: WasmWorkload; parent: ClusterTreeNode }
  | { kind: 'pod'; id: string; contextName: string; pod: WasmWorkload['pods'][number]; namespace: string; parent: ClusterTreeNode }
  /** A cluster (or the kubeconfig) that could not be read, with the reason; Retry reloads it. */
  | { kind: 'error'; id: string; contextName?: string; message: string; errorKind: string; parent?: ClusterTreeNode }
  /** A line of information: an empty section, a problem of the model. */
  | { kind: 'info'; id: string; label: string; detail?: string; parent: ClusterTreeNode };

export type ClusterTreeNodeKind = ClusterTreeNode['kind'];

const stateIcons: Record<WorkloadState, vscode.ThemeIcon> = {
  ready: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  completed: new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed')),
  progressing: new vscode.ThemeIcon('sync'),
  pending: new vscode.ThemeIcon('clock', new vscode.ThemeColor('list.warningForeground')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  unknown: new vscode.ThemeIcon('question'),
};

function md(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text);
  m.supportThemeIcons = true;
  return m;
}

/** Text from the cluster inside Markdown: backticks and other markup neutralised. */
function esc(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** What a shim runs, in a few words (from the one shim table, src/core/kube/shims.ts). */
function runsText(traits: ShimTraits, version: string | undefined): string {
  const at = (feature: ShimTraits['httpComponents']) =>
    feature === true
      ? ''
      : typeof feature === 'object'
        ? ` (v${feature.since}+${version ? `; here v${version}` : '; version not known'})`
        : '';
  const parts: string[] = [];
  if (traits.spinInterfaces) parts.push('Spin apps and wasi:http components');
  else {
    if (traits.commandModules) parts.push('WASI commands');
    if (traits.commandComponents !== false) parts.push(`wasi:cli components${at(traits.commandComponents)}`);
    if (traits.httpComponents !== false) parts.push(`wasi:http components${at(traits.httpComponents)}`);
  }
  return parts.join(', ');
}

function taintText(t: { key: string; value?: string; effect: string }): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

function serverHost(server: string | undefined): string {
  if (!server) return 'no server';
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

export function treeItemOf(node: ClusterTreeNode, mediaUri: (file: string) => vscode.Uri): vscode.TreeItem {
  const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  const None = vscode.TreeItemCollapsibleState.None;
  switch (node.kind) {
    case 'cluster': {
      const c = node.context;
      const item = new vscode.TreeItem(c.name, node.current ? vscode.TreeItemCollapsibleState.Expanded : Collapsed);
      item.description = `${serverHost(c.server)}${node.current ? ' · current' : ''}`;
      item.iconPath = new vscode.ThemeIcon(node.current ? 'vm-active' : 'vm');
      item.contextValue = node.current ? 'wasmCluster.current' : 'wasmCluster';
      item.tooltip = md(
        [
          `**${esc(c.name)}**${node.current ? ' (current context)' : ''}`,
          '',
          `- Server: ${esc(c.server ?? 'none')}`,
          `- Cluster: ${esc(c.cluster)}`,
          `- User: ${esc(c.user)}`,
          `- Namespace: ${esc(c.namespace ?? 'default')}`,
          `- From: ${esc(c.file)}`,
        ].join('\n'),
      );
      return item;
    }
    case 'section': {
      const titles: Record<SectionKind, string> = {
        runtimes: 'Wasm runtimes',
        pools: 'Node pools',
        workloads: 'Wasm workloads',
        problems: 'Problems',
      };
      const icons: Record<SectionKind, vscode.ThemeIcon> = {
        runtimes: new vscode.ThemeIcon('symbol-class'),
        pools: new vscode.ThemeIcon('server'),
        workloads: new vscode.ThemeIcon('rocket'),
        problems: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
      };
      const item = new vscode.TreeItem(
        titles[node.section],
        node.section === 'pools' ? vscode.TreeItemCollapsibleState.Expanded : Collapsed,
      );
      item.description = node.detail;
      item.iconPath = icons[node.section];
      item.contextValue = `wasmClusterSection.${node.section}`;
      return item;
    }
    case 'runtime': {
      const r = node.runtime;
      const item = new vscode.TreeItem(r.runtimeClassName, None);
      const selector = Object.entries(r.nodeSelector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      const traits = shimTraits(r.shim);
      item.description = `${r.shim}${r.shimVersion ? ` v${r.shimVersion}` : ''} · ${traits.family}${r.nodePools.length ? ` · ${r.nodePools.join(', ')}` : ' · no pool'}${r.exists ? '' : ' · not created yet'}`;
      item.iconPath = mediaUri('wasm-pool.svg');
      item.contextValue = 'wasmRuntime';
      item.tooltip = md(
        [
          `**RuntimeClass ${esc(r.runtimeClassName)}**`,
          '',
          `- Handler: ${esc(r.handler || '(none)')}: ${esc(traits.label)}${r.shimVersion ? ` v${esc(r.shimVersion)}` : ''}`,
          `- Runs: ${esc(runsText(traits, r.shimVersion))}`,
          `- Pulls: the ${traits.form} form`,
          `- Node selector: ${selector ? esc(selector) : 'none (any node)'}`,
          ...(r.tolerations.length
            ? [
                `- Tolerations: ${esc(r.tolerations.map((t) => `${t.key ?? '*'}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? '*'}`).join(', '))}`,
              ]
            : []),
          `- Node pools: ${r.nodePools.length ? esc(r.nodePools.join(', ')) : 'none'}`,
          ...(r.spinAppExecutors.length ? [`- SpinAppExecutors: ${esc(r.spinAppExecutors.join(', '))}`] : []),
          ...(r.shimResource ? [`- Installed by SpinKube Shim ${esc(r.shimResource)}`] : []),
        ].join('\n'),
      );
      return item;
    }
    case 'pool': {
      const p = node.pool;
      const item = new vscode.TreeItem(p.name, p.nodes.length > 0 ? Collapsed : None);
      const parts = [p.wasmCapable ? 'Wasm' : 'no Wasm', `${p.readyNodes}/${p.nodes.length} ready`];
      if (p.wasmCapable && p.runtimeClasses.length) parts.push(p.runtimeClasses.join(', '));
      if (p.architectures.length) parts.push(p.architectures.join('/'));
      if (p.taints.length) parts.push(`${p.taints.length} taint${p.taints.length > 1 ? 's' : ''}`);
      item.description = parts.join(' · ');
      item.iconPath = p.wasmCapable ? mediaUri('wasm-pool.svg') : new vscode.ThemeIcon('server');
      item.contextValue = p.wasmCapable ? 'wasmPool.wasm' : 'wasmPool';
      const selector = Object.entries(p.nodeSelector)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      item.tooltip = md(
        [
          `**Node pool ${esc(p.name)}** ${p.wasmCapable ? '— Wasm-capable' : '— not Wasm-capable'}`,
          '',
          ...p.reasons.map((r) => `- ${esc(r)}`),
          '',
          `Selector: ${selector ? esc(selector) : 'none (nodes without a pool label)'}`,
          ...(p.taints.length ? [`Taints: ${esc(p.taints.map(taintText).join(', '))}`] : []),
          ...(p.runtimeClasses.length ? [`RuntimeClasses: ${esc(p.runtimeClasses.join(', '))}`] : []),
        ].join('\n\n'),
      );
      return item;
    }
    case 'node': {
      const n = node.node;
      const item = new vscode.TreeItem(n.name, None);
      const parts = [n.ready ? 'Ready' : 'NotReady'];
      if (n.unschedulable) parts.push('cordoned');
      if (n.architecture) parts.push(n.architecture);
      if (n.taints.length) parts.push(n.taints.map(taintText).join(', '));
      if (n.wasmMarks.length) parts.push('Wasm');
      item.description = parts.join(' · ');
      item.iconPath = n.ready
        ? new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.errorForeground'));
      item.contextValue = 'wasmNode';
      item.tooltip = md(
        [
          `**${esc(n.name)}** ${n.ready ? 'Ready' : `NotReady: ${esc(n.notReadyReason)}`}`,
          '',
          `- Pool: ${esc(n.pool)}`,
          `- ${esc(n.os || 'unknown OS')}/${esc(n.architecture || 'unknown architecture')}, kubelet ${esc(n.kubeletVersion || '?')}, ${esc(n.containerRuntime || 'unknown runtime')}`,
          `- Taints: ${n.taints.length ? esc(n.taints.map(taintText).join(', ')) : 'none'}`,
          ...n.wasmMarks.map((m) => `- ${esc(m)}`),
        ].join('\n'),
      );
      return item;
    }
    case 'workload': {
      const w = node.workload;
      const item = new vscode.TreeItem(w.name, w.pods.length > 0 ? Collapsed : None);
      item.description = `${w.kind} · ${w.namespace} · ${w.status}`;
      item.iconPath = stateIcons[w.state];
      item.contextValue = `wasmWorkload.${w.kind}`;
      item.tooltip = md(
        [
          `**${esc(w.kind)} ${esc(w.namespace)}/${esc(w.name)}**: ${esc(w.state)}`,
          '',
          `- Status: ${esc(w.status)}`,
          `- RuntimeClass: ${esc(w.runtimeClassName || 'unknown')}${w.shim ? ` (${esc(w.shim)})` : ''}`,
          ...w.images.map((i) => `- Image: ${esc(i)}`),
        ].join('\n'),
      );
      return item;
    }
    case 'pod': {
      const p = node.pod;
      const item = new vscode.TreeItem(p.name, None);
      item.description = `${p.status}${p.nodeName ? ` · ${p.nodeName}` : ''}`;
      item.iconPath = stateIcons[p.state];
      item.contextValue = 'wasmPod';
      item.tooltip = `${node.namespace}/${p.name}: ${p.status}${p.nodeName ? ` on ${p.nodeName}` : ''}`;
      return item;
    }
    case 'error': {
      const firstLine = node.message.split('\n')[0]!;
      const item = new vscode.TreeItem(firstLine, None);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.contextValue = 'wasmClusterError';
      item.tooltip = md(`${esc(node.message)}\n\n$(debug-restart) Click to retry.`);
      item.command = { command: 'wasmWorkbench.clusters.retry', title: 'Retry', arguments: [node] };
      return item;
    }
    case 'info': {
      const item = new vscode.TreeItem(node.label, None);
      item.description = node.detail;
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'wasmClusterInfo';
      item.tooltip = node.detail ? `${node.label}: ${node.detail}` : node.label;
      return item;
    }
  }
}
