/**
 * Realistic Kubernetes objects for the tests: nodes with the labels the clouds, KWasm and runtime-class-manager put
 * on them, RuntimeClasses, SpinKube's CRDs (from schemas written here: SpinApp's is src/core/deploy/spinapp-schema.ts)
 * and objects, workloads. The same builders seed the real control plane (test/support/control-plane.ts) and the pure
 * model tests.
 */
import { spinAppSchema, type Schema } from '../../src/core/deploy/spinapp-schema';
import type { KubeObject } from './control-plane';

export type { KubeObject };

export interface NodeOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  arch?: string;
  ready?: boolean;
  unschedulable?: boolean;
  notReadyReason?: string;
  /** `containerd://1.7.20` by default. */
  containerRuntime?: string;
  /**
   * The port of kwok's kubelet endpoint: the node is a kwok fake node (kwok runs its pods; the API server reads their
   * logs there). Without it the node is a plain object nothing runs pods on.
   */
  kubeletPort?: number;
}

export const kwokNodeAnnotation = 'kwok.x-k8s.io/node';

export function node(name: string, options: NodeOptions = {}): KubeObject {
  const arch = options.arch ?? 'amd64';
  const ready = options.ready ?? true;
  const fake = options.kubeletPort !== undefined;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name, ...(options.labels ?? {}) },
      ...(options.annotations || fake
        ? { annotations: { ...(options.annotations ?? {}), ...(fake ? { [kwokNodeAnnotation]: 'fake' } : {}) } }
        : {}),
    },
    spec: { ...(options.taints ? { taints: options.taints } : {}), ...(options.unschedulable ? { unschedulable: true } : {}) },
    status: {
      conditions: [
        ready
          ? {
              type: 'Ready',
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
              lastHeartbeatTime: new Date().toISOString(),
              lastTransitionTime: new Date().toISOString(),
            }
          : {
              type: 'Ready',
              status: 'Unknown',
              reason: options.notReadyReason ?? 'NodeStatusUnknown',
              message: 'Kubelet stopped posting node status.',
              lastHeartbeatTime: new Date().toISOString(),
              lastTransitionTime: new Date().toISOString(),
            },
      ],
      capacity: { cpu: '16', memory: '64Gi', pods: '110' },
      allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: name },
      ],
      ...(fake ? { daemonEndpoints: { kubeletEndpoint: { Port: options.kubeletPort } } } : {}),
      nodeInfo: {
        architecture: arch,
        operatingSystem: 'linux',
        kubeletVersion: 'v1.36.3',
        containerRuntimeVersion: options.containerRuntime ?? 'containerd://1.7.20',
        osImage: 'Ubuntu 24.04 LTS',
        kernelVersion: '6.8.0',
        kubeProxyVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

export function runtimeClass(name: string, handler: string, nodeSelector?: Record<string, string>, tolerations?: object[]): KubeObject {
  return {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name },
    handler,
    ...(nodeSelector || tolerations
      ? { scheduling: { ...(nodeSelector ? { nodeSelector } : {}), ...(tolerations ? { tolerations } : {}) } }
      : {}),
  };
}

/** A CRD schema as the API server accepts it (structural): `additionalProperties: false` is what pruning does. */
function structural(schema: Schema): Record<string, unknown> {
  const { additionalProperties, properties, items, anyOf, ...rest } = schema;
  const out: Record<string, unknown> = { ...rest };
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, structural(v)]));
  if (items) out.items = structural(items);
  if (anyOf) out.anyOf = anyOf.map((s) => structural(s));
  if (additionalProperties && typeof additionalProperties === 'object') out.additionalProperties = structural(additionalProperties);
  return out;
}

const loose = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

function crd(group: string, kind: string, plural: string, scope: 'Namespaced' | 'Cluster', spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec, status: loose } } },
        },
      ],
    },
  };
}

/**
 * SpinKube's CRDs: SpinApp (its spec from src/core/deploy/spinapp-schema.ts) and SpinAppExecutor (spin-operator),
 * Shim (runtime-class-manager), with the fields their projects define.
 */
export function spinKubeCrds(): KubeObject[] {
  return [
    crd('core.spinkube.dev', 'SpinApp', 'spinapps', 'Namespaced', structural(spinAppSchema.properties!.spec!)),
    crd('core.spinkube.dev', 'SpinAppExecutor', 'spinappexecutors', 'Namespaced', {
      type: 'object',
      required: ['createDeployment'],
      properties: {
        createDeployment: { type: 'boolean' },
        deploymentConfig: {
          type: 'object',
          properties: {
            runtimeClassName: { type: 'string' },
            installDefaultCACerts: { type: 'boolean' },
            caCertSecret: { type: 'string' },
            otel: loose,
          },
        },
        singleImageDeploymentConfig: loose,
      },
    }),
    crd('runtime.spinkube.dev', 'Shim', 'shims', 'Cluster', {
      type: 'object',
      required: ['fetchStrategy', 'runtimeClass', 'rolloutStrategy'],
      properties: {
        nodeSelector: stringMap,
        fetchStrategy: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string' },
            anonHttp: { type: 'object', required: ['location'], properties: { location: { type: 'string' } } },
          },
        },
        runtimeClass: {
          type: 'object',
          required: ['name', 'handler'],
          properties: { name: { type: 'string' }, handler: { type: 'string' } },
        },
        rolloutStrategy: {
          type: 'object',
          required: ['type'],
          properties: { type: { type: 'string', enum: ['rolling', 'recreate'] }, rolling: loose },
        },
        containerdRuntimeOptions: stringMap,
      },
    }),
  ];
}

export function spinAppExecutor(
  name: string,
  runtimeClassName: string | undefined,
  namespace = 'default',
  createDeployment = true,
): KubeObject {
  return {
    apiVersion: 'core.spinkube.dev/v1alpha1',
    kind: 'SpinAppExecutor',
    metadata: { name, namespace },
    spec: { createDeployment, ...(runtimeClassName ? { deploymentConfig: { runtimeClassName, installDefaultCACerts: true } } : {}) },
  };
}

export function spinApp(
  name: string,
  image: string,
  options: { namespace?: string; executor?: string; replicas?: number } = {},
): KubeObject {
  return {
    apiVersion: 'core.spinkube.dev/v1alpha1',
    kind: 'SpinApp',
    metadata: { name, namespace: options.namespace ?? 'default' },
    spec: { image, executor: options.executor ?? 'containerd-shim-spin', replicas: options.replicas ?? 1 },
  };
}

/** A runtime-class-manager Shim; `version` goes into its download location, as real ones name a release. */
export function shim(
  name: string,
  runtimeClassName: string,
  handler: string,
  nodeSelector: Record<string, string>,
  version = '0.5.0',
): KubeObject {
  return {
    apiVersion: 'runtime.spinkube.dev/v1alpha1',
    kind: 'Shim',
    metadata: { name },
    spec: {
      nodeSelector,
      fetchStrategy: {
        type: 'anonymousHttp',
        anonHttp: {
          location: `https://github.com/containerd/runwasi/releases/download/containerd-shim-${handler}/v${version}/containerd-shim-${handler}-x86_64-linux-musl.tar.gz`,
        },
      },
      runtimeClass: { name: runtimeClassName, handler },
      rolloutStrategy: { type: 'recreate' },
    },
  };
}

export function deployment(
  name: string,
  image: string,
  options: {
    namespace?: string;
    runtimeClassName?: string;
    replicas?: number;
    nodeSelector?: Record<string, string>;
    tolerations?: object[];
  } = {},
): KubeObject {
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
          ...(options.tolerations ? { tolerations: options.tolerations } : {}),
          containers: [{ name, image, command: ['/'] }],
        },
      },
    },
  };
}

/**
 * A mixed cluster as found in the wild: an AKS system pool and a WASI pool (AKS labels, RuntimeClasses with
 * nodeSelector), a KWasm pool (one node provisioned, one only requested) with a selector-less RuntimeClass, nodes
 * without a pool label where runtime-class-manager installed a wasmtime Shim on one node (and is still installing on
 * another), a GKE-style Linux pool, an arm64 Karpenter pool with a taint, an EKS nodegroup, SpinKube installed.
 * `kubeletPort`: nodes are kwok fake nodes (pods run on them).
 */
export function mixedCluster(kubeletPort?: number): KubeObject[] {
  const k = kubeletPort !== undefined ? { kubeletPort } : {};
  const aks = (pool: string, extra: Record<string, string> = {}) => ({ 'kubernetes.azure.com/agentpool': pool, agentpool: pool, ...extra });
  return [
    node('aks-system-0', { ...k, labels: aks('system'), taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] }),
    node('aks-system-1', { ...k, labels: aks('system'), taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }] }),
    node('aks-wasipool-0', {
      ...k,
      labels: aks('wasipool', { 'kubernetes.azure.com/wasmtime-spin-v2': 'true', 'kubernetes.azure.com/wasmtime-slight-v1': 'true' }),
    }),
    node('aks-wasipool-1', {
      ...k,
      labels: aks('wasipool', { 'kubernetes.azure.com/wasmtime-spin-v2': 'true', 'kubernetes.azure.com/wasmtime-slight-v1': 'true' }),
      ready: false,
    }),
    node('kwasm-0', {
      ...k,
      labels: { 'cloud.google.com/gke-nodepool': 'wasm-pool', 'kwasm.sh/kwasm-provisioned': 'kwasm-0' },
      annotations: { 'kwasm.sh/kwasm-node': 'true' },
    }),
    node('kwasm-1', { ...k, labels: { 'cloud.google.com/gke-nodepool': 'wasm-pool' }, annotations: { 'kwasm.sh/kwasm-node': 'true' } }),
    node('rcm-0', { ...k, labels: { 'wasmtime-v5': 'provisioned' } }),
    node('rcm-1', { ...k, labels: { 'wasmtime-v5': 'pending' } }),
    node('gke-default-0', { ...k, labels: { 'cloud.google.com/gke-nodepool': 'default-pool' } }),
    node('karpenter-arm-0', {
      ...k,
      labels: { 'karpenter.sh/nodepool': 'arm-wasm', 'wasm.example.com/spin': 'true' },
      arch: 'arm64',
      taints: [{ key: 'wasm', value: 'true', effect: 'NoSchedule' }],
    }),
    node('eks-ng-0', { ...k, labels: { 'eks.amazonaws.com/nodegroup': 'linux-ng' }, containerRuntime: 'containerd://1.6.21' }),
    node('plain-0', k),
    runtimeClass('wasmtime-spin-v2', 'spin', { 'kubernetes.azure.com/wasmtime-spin-v2': 'true' }),
    runtimeClass('wasmtime-slight-v1', 'slight', { 'kubernetes.azure.com/wasmtime-slight-v1': 'true' }),
    runtimeClass('wasmedge', 'wasmedge'),
    runtimeClass('wasmtime-v5', 'wasmtime'),
    runtimeClass('spin-arm', 'spin', { 'wasm.example.com/spin': 'true' }, [{ key: 'wasm', operator: 'Exists', effect: 'NoSchedule' }]),
    runtimeClass('gvisor', 'runsc'),
    ...spinKubeCrds(),
    spinAppExecutor('containerd-shim-spin', 'wasmtime-spin-v2'),
    shim('wasmtime-v5', 'wasmtime-v5', 'wasmtime', { 'wasm.example.com/wasmtime': 'true' }, '0.5.0'),
  ];
}
