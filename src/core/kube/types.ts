/**
 * The cluster model: what a cluster offers for WebAssembly, in plain data (JSON-ready, no client objects).
 * Built by `buildClusterModel` (pure) from the objects `readClusterObjects` lists.
 *
 * The Kubernetes object shapes below are the few fields the model reads; objects from the API (typed or raw JSON)
 * fit them structurally.
 */
import type { Placement } from './placement';
import type { WasmShim } from './shims';

export type { WasmShim };

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes objects, as far as the model reads them

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | Date;
  deletionTimestamp?: string | Date;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind: string; name: string; uid?: string; controller?: boolean }[];
}

/** Any Kubernetes object (typed client-node objects and raw JSON both fit). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export interface Taint {
  key: string;
  value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface NodeObject extends KubeObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean; providerID?: string };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    nodeInfo?: {
      architecture?: string;
      operatingSystem?: string;
      kubeletVersion?: string;
      containerRuntimeVersion?: string;
      osImage?: string;
    };
  };
}

export interface RuntimeClassObject extends KubeObject {
  handler?: string;
  scheduling?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
  overhead?: { podFixed?: Record<string, string> };
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: object;
  terminated?: { reason?: string; exitCode?: number; message?: string };
}

export interface PodObject extends KubeObject {
  spec?: {
    runtimeClassName?: string;
    nodeName?: string;
    restartPolicy?: string;
    containers?: { name: string; image?: string }[];
    nodeSelector?: Record<string, string>;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: {
      name: string;
      ready?: boolean;
      restartCount?: number;
      state?: ContainerState;
      lastState?: ContainerState;
    }[];
  };
}

export interface DeploymentObject extends KubeObject {
  spec?: {
    replicas?: number;
    template?: { metadata?: ObjectMeta; spec?: PodObject['spec'] };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** batch/v1 Job. */
export interface JobObject extends KubeObject {
  spec?: { completions?: number; backoffLimit?: number; template?: { metadata?: ObjectMeta; spec?: PodObject['spec'] } };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** SpinKube `SpinApp` (core.spinkube.dev/v1alpha1). */
export interface SpinAppObject extends KubeObject {
  spec?: { image?: string; executor?: string; replicas?: number; enableAutoscaling?: boolean };
  status?: {
    readyReplicas?: number;
    activeScheduler?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** SpinKube `SpinAppExecutor` (core.spinkube.dev/v1alpha1). */
export interface SpinAppExecutorObject extends KubeObject {
  spec?: { createDeployment?: boolean; deploymentConfig?: { runtimeClassName?: string; installDefaultCACerts?: boolean } };
}

/** SpinKube runtime-class-manager `Shim` (runtime.spinkube.dev/v1alpha1, cluster-scoped). */
export interface ShimObject extends KubeObject {
  spec?: {
    nodeSelector?: Record<string, string>;
    runtimeClass?: { name?: string; handler?: string };
    fetchStrategy?: { type?: string; anonHttp?: { location?: string } };
  };
  status?: { nodes?: number; nodesReady?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** Everything `buildClusterModel` reads. Missing lists are treated as empty. */
export interface ClusterObjects {
  nodes: NodeObject[];
  runtimeClasses: RuntimeClassObject[];
  /** CustomResourceDefinitions (only names are read, to tell whether SpinKube is installed). */
  crds?: KubeObject[];
  spinAppExecutors?: SpinAppExecutorObject[];
  shims?: ShimObject[];
  pods?: PodObject[];
  deployments?: DeploymentObject[];
  jobs?: JobObject[];
  spinApps?: SpinAppObject[];
}

// ---------------------------------------------------------------------------------------------------------------
// The model

/** A RuntimeClass whose handler runs WebAssembly. */
export interface WasmRuntime {
  /** The RuntimeClass name (what `spec.runtimeClassName` of a pod names). */
  runtimeClassName: string;
  /** The containerd runtime handler, e.g. `spin`. */
  handler: string;
  shim: WasmShim;
  /** The shim's release, when the cluster says it (a SpinKube Shim's download). */
  shimVersion?: string;
  /** `scheduling.nodeSelector`: the scheduler adds it to every pod using the RuntimeClass. Empty: any node. */
  nodeSelector: Record<string, string>;
  /** `scheduling.tolerations`, added to every pod using the RuntimeClass. */
  tolerations: Toleration[];
  /** Node pools where it can run (names of `NodePool`s). */
  nodePools: string[];
  /** SpinKube SpinAppExecutors that use this RuntimeClass (`namespace/name`). */
  spinAppExecutors: string[];
  /** The SpinKube Shim that installs it, when one does (its name is also the node label runtime-class-manager sets). */
  shimResource?: string;
  /** Whether a RuntimeClass object exists (false: a Shim names it but it is not created yet). */
  exists: boolean;
}

export type PoolProvider = 'aks' | 'gke' | 'eks' | 'karpenter' | 'none';

export interface ClusterNode {
  name: string;
  pool: string;
  ready: boolean;
  /** Why the node is not ready (the Ready condition's reason and message), or `''`. */
  notReadyReason: string;
  /** Cordoned (`spec.unschedulable`). */
  unschedulable: boolean;
  taints: Taint[];
  /** `kubernetes.io/arch` or the node's reported architecture (`amd64`, `arm64`, ...). */
  architecture: string;
  os: string;
  kubeletVersion: string;
  containerRuntime: string;
  /** What marks the node as Wasm-ready, in plain words (KWasm annotation, AKS WASI label, ...). */
  wasmMarks: string[];
  labels: Record<string, string>;
}

/** Where in a pool a RuntimeClass can run (src/core/kube/placement.ts decides it per node). */
export interface PoolRuntime {
  runtimeClassName: string;
  /** Nodes of the pool that have the shim, and how many of those are Ready. */
  nodes: number;
  readyNodes: number;
  /** How its pods are pinned to those nodes (the pool's selector is added to it). */
  placement: Placement;
  /** Whether those nodes' containerd reads Wasm layers: false when one of them is too old, undefined when not reported. */
  wasmLayers?: boolean;
  /** Their containerd versions (`containerd://1.7.20`), distinct. */
  containerd: string[];
}

/**
 * Nodes grouped by their cloud or Karpenter pool label; nodes without one are grouped by what makes them Wasm-capable
 * (`ungrouped-kwasm`, `ungrouped-<shim>`, or `ungrouped`).
 */
export interface NodePool {
  /** The pool's name (the label's value), or `ungrouped…` for nodes without a pool label. */
  name: string;
  provider: PoolProvider;
  /** The labels that select this pool's nodes (`{}` for `ungrouped`). */
  nodeSelector: Record<string, string>;
  /** Whether Wasm workloads can run here. */
  wasmCapable: boolean;
  /** Why the pool is (or is not) Wasm-capable, in plain words. */
  reasons: string[];
  /** Taints every node of the pool has: a pod needs tolerations for them. */
  taints: Taint[];
  /** Names of the Wasm RuntimeClasses usable on this pool. */
  runtimeClasses: string[];
  /** For each of them: which nodes, and how to pin pods there. */
  runtimes: PoolRuntime[];
  architectures: string[];
  nodes: ClusterNode[];
  readyNodes: number;
}

export type WorkloadKind = 'Pod' | 'Job' | 'Deployment' | 'SpinApp';
/** `completed`: a Job or a run-once pod that finished with exit code 0. */
export type WorkloadState = 'ready' | 'completed' | 'progressing' | 'failed' | 'pending' | 'unknown';

/** A pod, Job, Deployment or SpinApp that runs on a Wasm RuntimeClass. */
export interface WasmWorkload {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  runtimeClassName: string;
  shim: WasmShim | undefined;
  state: WorkloadState;
  /** e.g. `2/3 available`, `Complete (exit code 0)`, `ImagePullBackOff: ...`. */
  status: string;
  images: string[];
  replicas?: { desired: number; ready: number };
  /** Pods: the node it runs on. */
  nodeName?: string;
  /** Jobs and run-once pods, once finished. */
  exitCode?: number;
  /** Deployments, Jobs and SpinApps: their pods (in the model's pod list). */
  pods: { name: string; state: WorkloadState; status: string; nodeName?: string }[];
}

export interface SpinKubeInfo {
  /** The SpinKube CRDs installed (`spinapps.core.spinkube.dev`, ...). */
  crds: string[];
  executors: { name: string; namespace: string; createDeployment: boolean; runtimeClassName?: string }[];
  shims: {
    name: string;
    runtimeClassName?: string;
    handler?: string;
    nodeSelector: Record<string, string>;
    nodes?: number;
    nodesReady?: number;
  }[];
}

/** A part of the cluster that could not be read (e.g. listing pods is forbidden); the rest of the model stands. */
export interface ClusterProblem {
  section: 'nodes' | 'runtimeClasses' | 'spinKube' | 'workloads';
  message: string;
}

export interface ClusterModel {
  runtimes: WasmRuntime[];
  /** RuntimeClasses whose handler is not Wasm (runc, kata, gvisor, ...). */
  otherRuntimeClasses: { name: string; handler: string }[];
  nodePools: NodePool[];
  workloads: WasmWorkload[];
  spinKube: SpinKubeInfo;
  nodeCount: number;
  readyNodeCount: number;
  problems: ClusterProblem[];
}
