/**
 * The component step: a WASI preview1 module plus the preview1 command adapter → a WASI 0.2 component, with
 * wasm-tools `component new`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadWasmTools, wasmToolsFailure } from '../platform/wasm-tools';
import type { ComponentStep } from './model';

export async function runComponentStep(step: ComponentStep): Promise<void> {
  const tools = await loadWasmTools();
  const [module, adapter] = await Promise.all([readFile(step.module), readFile(step.adapter)]);
  let component: Uint8Array;
  try {
    component = await tools.componentNew(new Uint8Array(module), [['wasi_snapshot_preview1', new Uint8Array(adapter)]]);
  } catch (error) {
    throw wasmToolsFailure(`make a component of ${step.module}`, error);
  }
  await writeFile(step.output, component);
}
