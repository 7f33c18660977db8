/** Builders for realistic objects to seed the test server (and the model's unit tests) with. */
import type { KubeObject } from './types';

export interface NodeOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  arch?: string;
  ready?: boolean;
  unschedulable?: boolean;
  notReadyReason?: string;
}

export function node(name: string, options: NodeOptions = {}): KubeObject {
  const arch = options.arch ?? 'amd64';
  const ready = options.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name, ...(options.labels ?? {}) },
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    spec: { ...(options.taints ? { taints: options.taints } : {}), ...(options.unschedulable ? { unschedulable: true } : {}) },
    status: {
      conditions: [
        ready
          ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : { type: 'Ready', status: 'Unknown', reason: options.notReadyReason ?? 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' },
      ],
      nodeInfo: { architecture: arch, operatingSystem: 'linux', kubeletVersion: 'v1.31.0', containerRuntimeVersion: 'containerd://1.7.20', osImage: 'Ubuntu 22.04.4 LTS' },
    },
  };
}

export function runtimeClass(name: string, handler: string, nodeSelector?: Record<string, string>, tolerations?: object[]): KubeObject {
  return {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name },
    handler,
    ...(nodeSelector || tolerations ? { scheduling: { ...(nodeSelector ? { nodeSelector } : {}), ...(tolerations ? { tolerations } : {}) } } : {}),
  };
}

function crd(group: string, kind: string, plural: string, scope: 'Namespaced' | 'Cluster', version = 'v1alpha1'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: version, served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

/** SpinKube's CRDs: SpinApp and SpinAppExecutor (spin-operator), Shim (runtime-class-manager). */
export function spinKubeCrds(): KubeObject[] {
  return [
    crd('core.spinkube.dev', 'SpinApp', 'spinapps', 'Namespaced'),
    crd('core.spinkube.dev', 'SpinAppExecutor', 'spinappexecutors', 'Namespaced'),
    crd('runtime.spinkube.dev', 'Shim', 'shims', 'Cluster'),
  ];
}

export function spinAppExecutor(name: string, runtimeClassName: string | undefined, namespace = 'default', createDeployment = true): KubeObject {
  return {
    apiVersion: 'core.spinkube.dev/v1alpha1',
    kind: 'SpinAppExecutor',
    metadata: { name, namespace },
    spec: { createDeployment, ...(runtimeClassName ? { deploymentConfig: { runtimeClassName, installDefaultCACerts: true } } : {}) },
  };
}

export function spinApp(name: string, image: string, options: { namespace?: string; executor?: string; replicas?: number } = {}): KubeObject {
  return {
    apiVersion: 'core.spinkube.dev/v1alpha1',
    kind: 'SpinApp',
    metadata: { name, namespace: options.namespace ?? 'default' },
    spec: { image, executor: options.executor ?? 'containerd-shim-spin', replicas: options.replicas ?? 1 },
  };
}

export function shim(name: string, runtimeClassName: string, handler: string, nodeSelector: Record<string, string>): KubeObject {
  return {
    apiVersion: 'runtime.spinkube.dev/v1alpha1',
    kind: 'Shim',
    metadata: { name },
    spec: { nodeSelector, fetchStrategy: { type: 'anonymousHttp', anonHttp: { location: `https://example.invalid/${name}.tar.gz` } }, runtimeClass: { name: runtimeClassName, handler }, rolloutStrategy: { type: 'recreate' } },
  };
}

export function deployment(name: string, image: string, options: { namespace?: string; runtimeClassName?: string; replicas?: number; nodeSelector?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: options.namespace ?? 'default', labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(options.runtimeClassName ? { runtimeClassName: options.runtimeClassName } : {}),
          ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
          containers: [{ name, image, command: ['/'] }],
        },
      },
    },
  };
}

/**
 * A mixed cluster as found in the wild: an AKS system pool and a WASI pool (AKS labels, RuntimeClasses with
 * nodeSelector), a KWasm-annotated pool with a selector-less RuntimeClass, a GKE-style Linux pool, an arm64
 * Karpenter pool with a taint, an EKS nodegroup, SpinKube installed, and Wasm and non-Wasm workloads.
 */
export function mixedCluster(): KubeObject[] {
  const aks = (pool: string, extra: Record<string, string> = {}) => ({ 'kubernetes.azure.com/agentpool': pool, agentpool: pool, ...extra });
  return [
    node('aks-system-0', { labels: aks('system'), taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] }),
    node('aks-system-1', { labels: aks('system'), taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] }),
    node('aks-wasipool-0', { labels: aks('wasipool', { 'kubernetes.azure.com/wasmtime-spin-v2': 'true', 'kubernetes.azure.com/wasmtime-slight-v1': 'true' }) }),
    node('aks-wasipool-1', { labels: aks('wasipool', { 'kubernetes.azure.com/wasmtime-spin-v2': 'true', 'kubernetes.azure.com/wasmtime-slight-v1': 'true' }), ready: false }),
    node('kwasm-0', { labels: { 'cloud.google.com/gke-nodepool': 'wasm-pool', 'kwasm.sh/kwasm-provisioned': 'true' }, annotations: { 'kwasm.sh/kwasm-node': 'true' } }),
    node('kwasm-1', { labels: { 'cloud.google.com/gke-nodepool': 'wasm-pool', 'kwasm.sh/kwasm-provisioned': 'true' }, annotations: { 'kwasm.sh/kwasm-node': 'true' } }),
    node('gke-default-0', { labels: { 'cloud.google.com/gke-nodepool': 'default-pool' } }),
    node('karpenter-arm-0', { labels: { 'karpenter.sh/nodepool': 'arm-wasm', 'wasm.example.com/spin': 'true' }, arch: 'arm64', taints: [{ key: 'wasm', value: 'true', effect: 'NoSchedule' }] }),
    node('eks-ng-0', { labels: { 'eks.amazonaws.com/nodegroup': 'linux-ng' } }),
    node('plain-0'),
    runtimeClass('wasmtime-spin-v2', 'spin', { 'kubernetes.azure.com/wasmtime-spin-v2': 'true' }),
    runtimeClass('wasmtime-slight-v1', 'slight', { 'kubernetes.azure.com/wasmtime-slight-v1': 'true' }),
    runtimeClass('wasmedge', 'wasmedge'),
    runtimeClass('spin-arm', 'spin', { 'wasm.example.com/spin': 'true' }, [{ key: 'wasm', operator: 'Exists', effect: 'NoSchedule' }]),
    runtimeClass('gvisor', 'runsc'),
    ...spinKubeCrds(),
    spinAppExecutor('containerd-shim-spin', 'wasmtime-spin-v2'),
    shim('spin-v2', 'wasmtime-spin-v2', 'spin', { 'kubernetes.azure.com/wasmtime-spin-v2': 'true' }),
  ];
}
