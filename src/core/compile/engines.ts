/**
 * wasm-tools through @bytecodealliance/jco-transpile: the one text engine (parse and print), loaded on first
 * use because it brings a multi-megabyte Wasm build that inspecting never needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface WasmTools {
  parse(text: string): Promise<Uint8Array>;
  print(bytes: Uint8Array): Promise<string>;
  componentWit(bytes: Uint8Array): Promise<string>;
}

let wasmTools: Promise<WasmTools> | undefined;

export function loadWasmTools(): Promise<WasmTools> {
  wasmTools ??= import('@bytecodealliance/jco-transpile/wasm-tools') as Promise<WasmTools>;
  return wasmTools;
}

/**
 * A package's entry as a file URL, resolved from here: a worker's bare `import('x')` would resolve from the
 * process's working directory, which in an editor is not this extension's folder.
 */
export function moduleUrl(specifier: string): string | undefined {
  try {
    return pathToFileURL(require.resolve(specifier)).href;
  } catch {
    return undefined;
  }
}

/** The nearest folder above this file with the project's package.json (the extension's or the CLI's root). */
export function packageRoot(): string | undefined {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'wasm-workbench') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
