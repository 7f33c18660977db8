/**
 * `@kubernetes/client-node` (1.4.x, ESM-only) loaded on first use with `import()`, which the CommonJS bundles keep
 * as is: activating the extension or starting the CLI never loads it.
 */
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type ClientNodeModule = typeof ClientNode;
export type KubeConfig = ClientNode.KubeConfig;

let loading: Promise<ClientNodeModule> | undefined;

export function loadClientNode(): Promise<ClientNodeModule> {
  loading ??= import('@kubernetes/client-node').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
