/**
 * The component step: a WASI preview1 module plus the preview1 command adapter → a WASI 0.2 component, with
 * wasm-tools `component new` (through @bytecodealliance/jco-transpile, loaded on first use: it is a
 * multi-megabyte engine that other builds never need).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { ComponentStep } from './model';

type WasmTools = { componentNew(bytes: Uint8Array, adapters?: Array<[string, Uint8Array]>): Promise<Uint8Array> };

let wasmTools: Promise<WasmTools> | undefined;

export async function runComponentStep(step: ComponentStep): Promise<void> {
  wasmTools ??= import('@bytecodealliance/jco-transpile/wasm-tools') as Promise<WasmTools>;
  const tools = await wasmTools;
  const [module, adapter] = await Promise.all([readFile(step.module), readFile(step.adapter)]);
  let component: Uint8Array;
  try {
    component = await tools.componentNew(new Uint8Array(module), [['wasi_snapshot_preview1', new Uint8Array(adapter)]]);
  } catch (error) {
    const message =
      error instanceof Error
        ? error.message
        : typeof error === 'object' && error && 'payload' in error
          ? String((error as { payload: unknown }).payload)
          : String(error);
    throw new Error(`wasm-tools could not make a component of ${step.module}: ${message.split('\n')[0]}`);
  }
  await writeFile(step.output, component);
}
