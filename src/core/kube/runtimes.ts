/**
 * Names in use for Wasm on Kubernetes: containerd shim handlers (runwasi, Spin, crun), node pool labels of the
 * clouds and Karpenter, KWasm's node marks and AKS's WASI node pool labels.
 */
import type { PoolProvider, WasmShim } from './types';

/** Node pool labels, in the order they are tried. */
export const poolLabelKeys: readonly { key: string; provider: PoolProvider }[] = [
  { key: 'kubernetes.azure.com/agentpool', provider: 'aks' },
  { key: 'agentpool', provider: 'aks' },
  { key: 'cloud.google.com/gke-nodepool', provider: 'gke' },
  { key: 'eks.amazonaws.com/nodegroup', provider: 'eks' },
  { key: 'karpenter.sh/nodepool', provider: 'karpenter' },
];

/** KWasm marks the nodes it should provision with this annotation (value `true`). */
export const kwasmNodeAnnotation = 'kwasm.sh/kwasm-node';
/** KWasm labels the nodes it has provisioned (any value). */
export const kwasmProvisionedLabel = 'kwasm.sh/kwasm-provisioned';
/** AKS WASI node pools: `kubernetes.azure.com/wasmtime-spin-v1=true` and friends. */
export const aksWasmLabel = /^kubernetes\.azure\.com\/wasmtime-([a-z0-9-]+)$/;

const shimWords: readonly [RegExp, WasmShim][] = [
  // Order matters: `wasmtime-spin-v2` is Spin, `crun-wasmedge` is crun.
  [/(^|[^a-z])crun([^a-z]|$)/, 'crun'],
  [/spin/, 'spin'],
  [/slight|spiderlightning/, 'slight'],
  [/wasmedge/, 'wasmedge'],
  [/wasmer/, 'wasmer'],
  [/(^|[^a-z])wws([^a-z]|$)|wasm-workers/, 'wws'],
  [/lunatic/, 'lunatic'],
  [/wasmtime/, 'wasmtime'],
];

/**
 * The Wasm shim behind a RuntimeClass handler (`spin`, `wasmtime`, `io.containerd.spin.v2`, `crun-wasm`, ...),
 * or undefined when the handler is not a Wasm one (`runc`, `kata`, `runsc`, plain `crun`).
 */
export function classifyHandler(handler: string): WasmShim | undefined {
  const h = handler.toLowerCase();
  for (const [re, shim] of shimWords) {
    if (!re.test(h)) continue;
    // crun runs Wasm only when built with a Wasm handler and named for it (`crun-wasm`, `crun-wasmedge`).
    if (shim === 'crun') return /wasm/.test(h) ? 'crun' : undefined;
    return shim;
  }
  return /wasm|wasi/.test(h) ? 'other' : undefined;
}

export function isWasmHandler(handler: string): boolean {
  return classifyHandler(handler) !== undefined;
}

/** Spin and wasmtime (runwasi) run WebAssembly components; the other shims run core modules. */
export function shimAcceptsComponents(shim: WasmShim): boolean {
  return shim === 'spin' || shim === 'wasmtime';
}
