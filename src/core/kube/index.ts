/**
 * Public face of Kubernetes access: kubeconfig (read, switch context), a bounded client per context, and the
 * cluster model (Wasm runtimes, node pools, Wasm workloads) read from a cluster or built from objects.
 *
 * `@kubernetes/client-node` is loaded on first use (`import()`), never at activation.
 */
export { loadKubeconfig, switchContext, kubeconfigPrecedence, type Kubeconfig, type KubeconfigOptions, type KubeContext } from './kubeconfig';
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
export { KubeError, toKubeError, type KubeErrorKind, type KubeStatus } from './errors';
export { loadClientNode, type ClientNodeModule, type KubeConfig } from './client-node';
export { classifyHandler, isWasmHandler, shimAcceptsComponents, poolLabelKeys, kwasmNodeAnnotation, kwasmProvisionedLabel } from './runtimes';
export { buildClusterModel, matchesSelector, toleratesTaints } from './model';
export { readClusterModel, readClusterObjects, watchClusterObjects, type ClusterSnapshot, type ReadOptions, type ClusterWatch } from './read';
export type {
  ClusterModel,
  ClusterNode,
  ClusterObjects,
  ClusterProblem,
  DeploymentObject,
  KubeObject,
  NodeObject,
  NodePool,
  ObjectMeta,
  PodObject,
  PoolProvider,
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
