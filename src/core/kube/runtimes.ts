/** Node pool labels of the clouds and Karpenter (the Wasm names are in shims.ts and placement.ts). */
import type { PoolProvider } from './types';

/** Node pool labels, in the order they are tried. */
export const poolLabelKeys: readonly { key: string; provider: PoolProvider }[] = [
  { key: 'kubernetes.azure.com/agentpool', provider: 'aks' },
  { key: 'agentpool', provider: 'aks' },
  { key: 'cloud.google.com/gke-nodepool', provider: 'gke' },
  { key: 'eks.amazonaws.com/nodegroup', provider: 'eks' },
  { key: 'karpenter.sh/nodepool', provider: 'karpenter' },
];
