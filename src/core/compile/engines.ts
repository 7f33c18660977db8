/**
 * The text-format engines, each loaded on first use: wabt (fast, precise multi-error messages, validates),
 * wasm-tools through jco-transpile (reads everything: GC, function references, components), and binaryen's
 * validator for what wasm-tools parsed (wasm-tools `parse` does not validate).
 */
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WabtModule {
  resolveNames(): void;
  validate(features?: Record<string, boolean>): void;
  toBinary(options: { write_debug_names?: boolean; log?: boolean }): { buffer: Uint8Array };
  destroy(): void;
}
export interface Wabt {
  parseWat(fileName: string, text: string, features?: Record<string, boolean>): WabtModule;
}
export interface WasmTools {
  parse(text: string): Promise<Uint8Array>;
  print(bytes: Uint8Array): Promise<string>;
  componentWit(bytes: Uint8Array): Promise<string>;
}

let wabt: Promise<Wabt> | undefined;
let wasmTools: Promise<WasmTools> | undefined;

export function loadWabt(): Promise<Wabt> {
  wabt ??= import('wabt').then((m) => (m.default as unknown as () => Promise<Wabt>)());
  return wabt;
}

export function loadWasmTools(): Promise<WasmTools> {
  wasmTools ??= import('@bytecodealliance/jco-transpile/wasm-tools') as Promise<WasmTools>;
  return wasmTools;
}

export type ValidationResult = { valid: true } | { valid: false; message: string } | { valid: 'unavailable'; reason: string };

/**
 * Validates a core module with binaryen (which knows GC). Binaryen prints its findings to the console instead
 * of returning them, so it runs in a worker whose console output is captured; that also keeps a large module's
 * validation off the caller's thread.
 */
/** Our feature names → binaryen's, for validating with exactly the features the user turned on. */
const binaryenFeatures: Record<string, string[]> = {
  exceptions: ['ExceptionHandling'],
  mutable_globals: ['MutableGlobals'],
  sat_float_to_int: ['NontrappingFPToInt'],
  sign_extension: ['SignExt'],
  simd: ['SIMD128'],
  threads: ['Atomics'],
  multi_value: ['Multivalue'],
  tail_call: ['TailCall'],
  bulk_memory: ['BulkMemory', 'BulkMemoryOpt'],
  reference_types: ['ReferenceTypes', 'CallIndirectOverlong'],
  gc: ['GC'],
  function_references: ['ReferenceTypes'],
  memory64: ['Memory64'],
  multi_memory: ['MultiMemory'],
  extended_const: ['ExtendedConst'],
  relaxed_simd: ['RelaxedSIMD'],
};

export function validateWithBinaryen(bytes: Uint8Array, features: Record<string, boolean>): Promise<ValidationResult> {
  const featureNames = [...new Set(Object.entries(features).filter(([, on]) => on).flatMap(([name]) => binaryenFeatures[name] ?? []))];
  const url = moduleUrl('binaryen');
  if (!url) return Promise.resolve({ valid: 'unavailable', reason: 'binaryen is not installed' });
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then(({ default: binaryen }) => {
      let module;
      const mask = workerData.featureNames.reduce((m, name) => m | binaryen.Features[name], binaryen.Features.MVP);
      try {
        module = binaryen.readBinaryWithFeatures(workerData.bytes, mask);
      } catch (error) {
        parentPort.postMessage({ valid: false, message: String(error && error.message || error) });
        return;
      }
      const valid = module.validate();
      module.dispose();
      // Give the captured console a turn to flush before reporting.
      setImmediate(() => parentPort.postMessage({ valid: Boolean(valid) }));
    }, (error) => parentPort.postMessage({ unavailable: String(error && error.message || error) }));`;
  return new Promise((resolve) => {
    const worker = new Worker(script, { eval: true, workerData: { url, bytes, featureNames }, stdout: true, stderr: true });
    let output = '';
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.once('message', (result: { valid?: boolean; message?: string; unavailable?: string }) => {
      void worker.terminate();
      if (result.unavailable !== undefined) resolve({ valid: 'unavailable', reason: `binaryen is not installed (${result.unavailable.split('\n')[0]})` });
      else if (result.valid) resolve({ valid: true });
      else resolve({ valid: false, message: (result.message ?? output).trim() || 'binaryen found the module invalid' });
    });
    worker.once('error', (error) => resolve({ valid: 'unavailable', reason: `binaryen validation failed to run: ${error.message}` }));
  });
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
