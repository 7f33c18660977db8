/**
 * Which nodes have a RuntimeClass's shim, and how to keep its pods on them: the one rule the cluster tree (is this
 * pool Wasm-capable, and why) and deploy (where may this go, and with which node selector) both use.
 *
 * What the projects do (from their sources):
 * - A RuntimeClass's `scheduling.nodeSelector` is merged into every pod by the API server's RuntimeClass admission
 *   (a pod whose own selector has the same key with another value is refused): nodes it selects are meant to run it.
 * - KWasm: the annotation `kwasm.sh/kwasm-node=true` only asks for a node to be provisioned; the label
 *   `kwasm.sh/kwasm-provisioned=<node name>` is set when the install Job is created. KWasm's RuntimeClasses carry no
 *   scheduling, so pods must be pinned by that label (any value: a required node affinity, not a nodeSelector).
 * - SpinKube's runtime-class-manager labels each node `<shim name>=pending|provisioned|failed` and copies the Shim's
 *   `spec.nodeSelector` (the request) into the RuntimeClass: only `provisioned` nodes have the shim.
 * - AKS WASI node pools: label `kubernetes.azure.com/wasmtime-<shim>-v<n>=true`, selected by the RuntimeClass.
 * - A cluster where no node carries any of these marks (kind or k3d with shims baked in): every node is assumed to
 *   have a shim whose RuntimeClass has no scheduling, and the tree says that it is an assumption.
 */
import { matchesSelector } from './selectors';
import { classifyHandler, kwasmShimVersions, type WasmShim } from './shims';

export const kwasmNodeAnnotation = 'kwasm.sh/kwasm-node';
export const kwasmProvisionedLabel = 'kwasm.sh/kwasm-provisioned';
/** AKS WASI node pools: `kubernetes.azure.com/wasmtime-spin-v1=true` and friends. */
export const aksWasmLabel = /^kubernetes\.azure\.com\/wasmtime-([a-z0-9-]+)$/;

/** How a RuntimeClass's pods are kept on nodes that have its shim. */
export interface Placement {
  /** Labels the pod's nodeSelector gets (beyond the RuntimeClass's own, which admission adds). */
  nodeSelector: Record<string, string>;
  /** Label keys the node must have with any value (a required node affinity). */
  requiredLabels: string[];
  /** What makes the nodes capable, in plain words. */
  via: string;
  /** The shim's release there, when it is known (KWasm's installer, a SpinKube Shim's download). */
  shimVersion?: string;
}

/** The facts about a RuntimeClass that placement reads (src/core/kube `WasmRuntime` fits). */
export interface RuntimeFacts {
  runtimeClassName: string;
  shim: WasmShim;
  /** `scheduling.nodeSelector` */
  nodeSelector: Readonly<Record<string, string>>;
  /** The runtime-class-manager Shim that installs it: its name (also the node label key) and release. */
  installedBy?: { shim: string; version?: string };
}

export interface NodeFacts {
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
}

export type NodeVerdict = { capable: true; placement: Placement } | { capable: false; reason: string };

const selectorText = (selector: Readonly<Record<string, string>>) =>
  Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** Whether a node carries any Wasm mark (KWasm, runtime-class-manager, AKS WASI): decides the "assumed" case. */
export function nodeWasmMarks(node: NodeFacts, shimNames: ReadonlySet<string>): string[] {
  const labels = node.labels ?? {};
  const marks: string[] = [];
  if (node.annotations?.[kwasmNodeAnnotation] === 'true')
    marks.push(`KWasm asked to provision it (annotation ${kwasmNodeAnnotation}=true)`);
  if (labels[kwasmProvisionedLabel] !== undefined) marks.push(`provisioned by KWasm (label ${kwasmProvisionedLabel})`);
  for (const key in labels) {
    if (aksWasmLabel.test(key) && labels[key] === 'true') marks.push(`AKS WASI node (label ${key}=true)`);
    if (shimNames.has(key)) marks.push(`runtime-class-manager Shim ${key}: ${labels[key]}`);
  }
  return marks;
}

/** The verdicts that do not depend on the node, made once per RuntimeClass (5,000 nodes × 50 RuntimeClasses). */
interface RuntimeTexts {
  rc: string;
  scheduling: boolean;
  lacksSelector: NodeVerdict;
  selected: NodeVerdict;
  kwasm: NodeVerdict;
  assumed: NodeVerdict;
  unmarked: NodeVerdict;
  kwasmRequested: NodeVerdict;
}
const textsByRuntime = new WeakMap<RuntimeFacts, RuntimeTexts>();

function textsOf(runtime: RuntimeFacts): RuntimeTexts {
  let texts = textsByRuntime.get(runtime);
  if (texts) return texts;
  const rc = `RuntimeClass ${runtime.runtimeClassName}`;
  const selector = selectorText(runtime.nodeSelector);
  const version = kwasmShimVersions[runtime.shim];
  texts = {
    rc,
    scheduling: selector !== '',
    lacksSelector: { capable: false, reason: `${rc} selects ${selector}, which it lacks` },
    selected: { capable: true, placement: { nodeSelector: {}, requiredLabels: [], via: `${rc} selects it (${selector})` } },
    kwasm: {
      capable: true,
      placement: {
        nodeSelector: {},
        requiredLabels: [kwasmProvisionedLabel],
        via: `provisioned by KWasm (label ${kwasmProvisionedLabel})`,
        ...(version ? { shimVersion: version } : {}),
      },
    },
    assumed: {
      capable: true,
      placement: {
        nodeSelector: {},
        requiredLabels: [],
        via: `assumed: ${rc} has no scheduling and no node of the cluster is marked for Wasm, so every node is taken to have the ${runtime.shim} shim`,
      },
    },
    unmarked: {
      capable: false,
      reason: `no mark says it has the ${runtime.shim} shim (KWasm's ${kwasmProvisionedLabel} label, a runtime-class-manager label, an AKS WASI label), while other nodes have one`,
    },
    kwasmRequested: {
      capable: false,
      reason: `KWasm was asked to provision it (annotation ${kwasmNodeAnnotation}=true) but has not yet (no ${kwasmProvisionedLabel} label)`,
    },
  };
  textsByRuntime.set(runtime, texts);
  return texts;
}

/**
 * Whether this node has the RuntimeClass's shim, and how pods are pinned to such nodes. `anyNodeMarked`: some node
 * of the cluster carries a Wasm mark (then unmarked nodes are not assumed to have shims). Verdicts are shared
 * objects: do not change them.
 */
export function nodeRunsRuntime(node: NodeFacts, runtime: RuntimeFacts, anyNodeMarked: boolean): NodeVerdict {
  const labels = node.labels ?? {};
  const texts = textsOf(runtime);
  if (texts.scheduling && !matchesSelector(labels, runtime.nodeSelector)) return texts.lacksSelector;
  if (runtime.installedBy) {
    const { shim, version } = runtime.installedBy;
    const state = labels[shim];
    if (state === 'provisioned') {
      return {
        capable: true,
        placement: {
          nodeSelector: { [shim]: 'provisioned' },
          requiredLabels: [],
          via: `runtime-class-manager installed Shim ${shim} (label ${shim}=provisioned)`,
          ...(version ? { shimVersion: version } : {}),
        },
      };
    }
    return {
      capable: false,
      reason: state
        ? `Shim ${shim} is ${state} on it (runtime-class-manager label ${shim}=${state})`
        : `runtime-class-manager has not installed Shim ${shim} on it (no ${shim}=provisioned label)`,
    };
  }
  if (texts.scheduling) return texts.selected;
  if (labels[kwasmProvisionedLabel] !== undefined && runtime.shim !== 'crun' && runtime.shim !== 'other') return texts.kwasm;
  for (const key in labels) {
    const m = aksWasmLabel.exec(key);
    if (m && labels[key] === 'true' && classifyHandler(m[1]!) === runtime.shim) {
      return {
        capable: true,
        placement: { nodeSelector: { [key]: 'true' }, requiredLabels: [], via: `AKS WASI node pool (label ${key}=true)` },
      };
    }
  }
  if (node.annotations?.[kwasmNodeAnnotation] === 'true') return texts.kwasmRequested;
  return anyNodeMarked ? texts.unmarked : texts.assumed;
}

/** A stable key for grouping nodes by placement. */
export function placementKey(p: Placement): string {
  return `${selectorText(p.nodeSelector)}|${p.requiredLabels.join(',')}`;
}
