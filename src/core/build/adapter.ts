/** The WASI preview1 command adapter (wasi_snapshot_preview1.command.wasm): configured, or found in known folders. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions } from './model';

export const commandAdapterName = 'wasi_snapshot_preview1.command.wasm';

/**
 * Where an installation keeps its own adapters, given its root folder (the extension's folder, or the package
 * above dist/cli.js): `dist/adapters/` in a packaged VSIX (`node build.mjs --production` copies them there), and
 * `.tools/adapters/` in a checkout (scripts/fetch-wasi-adapters.sh).
 */
export function installedAdapterFolders(installRoot: string): string[] {
  return [join(installRoot, 'dist', 'adapters'), join(installRoot, '.tools', 'adapters')];
}

export function findAdapter(options: BuildOptions): string | undefined {
  if (options.wasiAdapterPath) return existsSync(options.wasiAdapterPath) ? options.wasiAdapterPath : undefined;
  return (options.adapterSearchPaths ?? []).map((dir) => join(dir, commandAdapterName)).find((file) => existsSync(file));
}

export function adapterHint(): string {
  return `The adapter ships with wasmtime's releases and inside the npm package @bytecodealliance/jco (lib/${commandAdapterName}; the Wasm Workbench extension ships it, and in a checkout \`bash scripts/fetch-wasi-adapters.sh\` puts it in .tools/adapters/). Set its path as the WASI adapter path.`;
}
