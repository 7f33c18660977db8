/**
 * Shapes shared by the deploy pieces: what is deployed where, the progress events, and the one error type.
 * Pools and runtimes are given structurally, so the model read from a cluster (src/core/kube) and the flags of an
 * offline dry-run both fit.
 */

/** The OCI forms `pushWasm` writes (src/core/oci). */
import { WorkbenchError, type FailureKind } from '../errors';

export type OciForm = 'artifact' | 'runwasi' | 'image' | 'spin';
export const ociForms: readonly OciForm[] = ['artifact', 'runwasi', 'image', 'spin'];

export interface TaintLike {
  key: string;
  value?: string;
  effect: string;
}

/** Where in a pool a RuntimeClass runs (src/core/kube `PoolRuntime`). */
export interface PoolRuntimeLike {
  runtimeClassName: string;
  nodes: number;
  placement: { nodeSelector: Readonly<Record<string, string>>; requiredLabels: readonly string[]; via: string; shimVersion?: string };
  wasmLayers?: boolean;
  containerd: readonly string[];
}

/** A node pool as the cluster model describes it (src/core/kube `NodePool`). */
export interface PoolLike {
  name: string;
  wasmCapable: boolean;
  /** Why the pool is (or is not) Wasm-capable, in plain words. */
  reasons: readonly string[];
  nodeSelector: Readonly<Record<string, string>>;
  taints: readonly TaintLike[];
  /** RuntimeClasses whose nodes are in this pool (names, or runtime objects). */
  runtimeClasses: readonly (string | { runtimeClassName?: string; name?: string })[];
  /** Per RuntimeClass: which nodes and how to pin pods there (absent: the pool's selector alone). */
  runtimes?: readonly PoolRuntimeLike[];
}

/** A Wasm RuntimeClass (src/core/kube `WasmRuntime`). */
export interface RuntimeLike {
  runtimeClassName: string;
  handler: string;
  /** The shim's name when known (e.g. `spin`, `wasmtime`, `io.containerd.spin.v2`). */
  shim?: string;
  /** The shim's release, when the cluster says it. */
  shimVersion?: string;
  nodeSelector?: Readonly<Record<string, string>>;
}

export type DeployStep = 'inspect' | 'resolve' | 'push' | 'apply' | 'rollout' | 'undeploy';

export type DeployEvent =
  | { step: DeployStep; phase: 'start' | 'done'; message: string }
  | { step: DeployStep; phase: 'progress'; message: string; fraction?: number };

/**
 * The kinds of src/core/errors.ts a deploy fails with: bad flags, names or files (`input`), a target that cannot
 * run this binary (`refused`), a `--deny` policy (`policy`), a push, apply or rollout that failed (`failed`).
 */
export type DeployErrorKind = Exclude<FailureKind, 'cancelled'>;

export class DeployError extends WorkbenchError {
  override readonly name = 'DeployError';
  constructor(
    kind: DeployErrorKind,
    message: string,
    /** Events, pod states and log lines that explain a failure; shown on request. */
    readonly details: string = '',
    readonly step?: DeployStep,
    options?: { cause?: unknown },
  ) {
    super(kind, message, options);
  }
}

/** The field manager of every server-side apply (and the value of the managed-by label). */
export const fieldManager = 'wasm-workbench';
export const managedByLabel = 'app.kubernetes.io/managed-by';
export const nameLabel = 'app.kubernetes.io/name';
export const annotationPrefix = 'wasm-workbench';
