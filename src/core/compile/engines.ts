/**
 * wasm-tools through @bytecodealliance/jco-transpile: the one text engine (parse and print), loaded on first
 * use because it brings a multi-megabyte Wasm build that inspecting never needs.
 */
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
