/**
 * Public face of Kubernetes access: kubeconfig (read, switch context), a bounded client per context, and the
 * cluster model (Wasm runtimes, node pools, Wasm workloads) read from a cluster or built from objects.
 *
 * `@kubernetes/client-node` is loaded on first use (`import()`), never at activation.
 */
export {
  loadKubeconfig,
  switchContext,
  kubeconfigPrecedence,
  type Kubeconfig,
  type KubeconfigOptions,
  type KubeContext,
} from './kubeconfig';
export {
  connectToContext,
  defaultPageSize,
  defaultTimeoutMs,
  withDeadline,
  type ApplyOptions,
  type ConnectOptions,
  type KubeClient,
  type ListOptions,
  type ListResult,
  type RequestOptions,
  type ResourceInfo,
  type WatchEvent,
  type WatchHandle,
  type WatchOptions,
} from './client';
export { KubeError, toKubeError, type KubeErrorReason, type KubeStatus } from './errors';
export { loadClientNode, type ClientNodeModule, type KubeConfig } from './client-node';
export { poolLabelKeys } from './runtimes';
export {
  classifyHandler,
  shimTraits,
  isWasmShim,
  shimSupports,
  parseVersion,
  versionAtLeast,
  containerdReadsWasmLayers,
  wasmLayerContainerd,
  versionFromLocation,
  kwasmShimVersions,
  type ShimTraits,
  type PulledForm,
} from './shims';
export {
  nodeRunsRuntime,
  nodeWasmMarks,
  kwasmNodeAnnotation,
  kwasmProvisionedLabel,
  aksWasmLabel,
  type Placement,
  type RuntimeFacts,
  type NodeFacts,
  type NodeVerdict,
} from './placement';
export {
  podStatus,
  deploymentStatus,
  jobStatus,
  runOncePodStatus,
  spinAppStatus,
  settled,
  failingWaitingReasons,
  type PodStatus,
  type WorkloadStatus,
} from './status';
export { buildClusterModel, matchesSelector, toleratesTaints } from './model';
export {
  readClusterModel,
  readClusterObjects,
  watchClusterObjects,
  type ClusterSnapshot,
  type ReadOptions,
  type ClusterWatch,
} from './read';
export type {
  ClusterModel,
  ClusterNode,
  ClusterObjects,
  ClusterProblem,
  ContainerState,
  DeploymentObject,
  JobObject,
  KubeObject,
  NodeObject,
  NodePool,
  ObjectMeta,
  PodObject,
  PoolProvider,
  PoolRuntime,
  RuntimeClassObject,
  ShimObject,
  SpinAppExecutorObject,
  SpinAppObject,
  SpinKubeInfo,
  Taint,
  Toleration,
  WasmRuntime,
  WasmShim,
  WasmWorkload,
  WorkloadKind,
  WorkloadState,
} from './types';
