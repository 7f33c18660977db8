/**
 * wasm-tools, through @bytecodealliance/jco-transpile: the one loader of the engine that parses and prints WAT,
 * prints and checks WIT, and makes components. Loaded on first use (a multi-megabyte Wasm build that inspecting a
 * module never needs), once per process or worker.
 */
import { errorMessage, WorkbenchError, type FailureKind } from '../errors';

/** What this project uses of jco-transpile's wasm-tools build. */
export interface WasmTools {
  parse(text: string): Promise<Uint8Array>;
  print(bytes: Uint8Array): Promise<string>;
  componentWit(bytes: Uint8Array): Promise<string>;
  componentNew(bytes: Uint8Array, adapters?: Array<[string, Uint8Array]>): Promise<Uint8Array>;
  componentWitMetadataForWorld(wit: { tag: 'source'; val: string }, world: string | undefined): Promise<unknown>;
}

let wasmTools: Promise<WasmTools> | undefined;

export function loadWasmTools(): Promise<WasmTools> {
  wasmTools ??= import('@bytecodealliance/jco-transpile/wasm-tools') as Promise<WasmTools>;
  return wasmTools;
}

/**
 * A wasm-tools failure as one readable line: it throws its own error objects (`{ payload }`) or strings, often
 * with a multi-line report of which only the first line says what is wrong.
 */
export function wasmToolsFailure(doing: string, error: unknown, kind: FailureKind = 'failed'): WorkbenchError {
  return new WorkbenchError(kind, `wasm-tools could not ${doing}: ${errorMessage(error).split('\n')[0]}`, { cause: error });
}
