/**
 * Wasm → WAT, printed by wasm-tools (correct for GC, exceptions and components) in a worker thread, so a large
 * binary never blocks the caller; progress is reported and an AbortSignal cancels it. Very large modules are
 * printed with whole payloads elided past a budget (see print-plan.ts), so the text always compiles; `full`
 * prints everything, however large.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from './engines';
import { defaultPrintBudget, type Elisions, type PrintBudget } from './print-plan';
import { WorkbenchError } from '../errors';

export interface PrintOptions {
  /** Print everything, however large (no budget). */
  full?: boolean;
  /** Budgets for elision; unset fields take the defaults (1 MiB of code, 1 MiB of data, 256 KiB of custom sections). */
  budget?: Partial<PrintBudget>;
  /** Said in the first and last lines when something was elided: how to get the whole text. */
  fullTextHint?: string;
  signal?: AbortSignal;
  onProgress?: (stage: string, fraction: number) => void;
}

export interface PrintResult {
  text: string;
  elisions: Elisions;
}

export interface PrintedBytes {
  /** The text as UTF-8. */
  utf8: Uint8Array;
  elisions: Elisions;
}

export type PrintWorkerMessage = { progress: string; fraction: number } | { done: PrintResult | PrintedBytes } | { error: string };

/** What the worker is started with; the binary follows as chunks (see sendInChunks). */
export interface PrintWorkerInput {
  /** The binary's length in bytes. */
  length: number;
  /** Undefined prints everything. */
  budget?: PrintBudget;
  fullTextHint: string;
  /** Send UTF-8 bytes (moved, not copied) instead of a string: a very large text then never stalls the caller. */
  utf8: boolean;
}

/**
 * The binary goes to the worker in copies of this size, each moved (not cloned) and sent on its own turn of the
 * event loop: cloning a 24 MB module into workerData at once held the caller for 20 to 80 ms.
 */
const inputChunkBytes = 2 * 1024 * 1024;

export class PrintCancelled extends WorkbenchError {
  override readonly name = 'PrintCancelled';
  constructor() {
    super('cancelled', 'printing was cancelled');
  }
}

export function printWat(bytes: Uint8Array, options: PrintOptions = {}): Promise<PrintResult> {
  return runPrintWorker(bytes, options, false) as Promise<PrintResult>;
}

/**
 * The same text as UTF-8 bytes, moved from the worker without a copy: for writing files and standard output,
 * where a text of tens of megabytes would otherwise stall the caller while it is copied and encoded.
 */
export function printWatUtf8(bytes: Uint8Array, options: PrintOptions = {}): Promise<PrintedBytes> {
  return runPrintWorker(bytes, options, true) as Promise<PrintedBytes>;
}

function runPrintWorker(bytes: Uint8Array, options: PrintOptions, utf8: boolean): Promise<PrintResult | PrintedBytes> {
  const script = workerScript();
  if (!script) return Promise.reject(new Error('the printing worker (dist/print-worker.js) is missing: run `node build.mjs`'));
  if (options.signal?.aborted) return Promise.reject(new PrintCancelled());
  const budget = options.full ? undefined : { ...defaultPrintBudget, ...options.budget };
  const fullTextHint = options.fullTextHint ?? 'Print with `wasm-workbench print FILE --full` to see everything.';
  return new Promise((resolve, reject) => {
    const workerData: PrintWorkerInput = { length: bytes.length, budget, fullTextHint, utf8 };
    const worker = new Worker(script, { workerData });
    let settled = false;
    const cancel = () => {
      settled = true;
      void worker.terminate();
      reject(new PrintCancelled());
    };
    options.signal?.addEventListener('abort', cancel, { once: true });
    const finish = () => {
      settled = true;
      options.signal?.removeEventListener('abort', cancel);
    };
    void sendInChunks(worker, bytes, () => settled);
    worker.on('message', (message: PrintWorkerMessage) => {
      if ('progress' in message) options.onProgress?.(message.progress, message.fraction);
      else {
        finish();
        void worker.terminate();
        if ('done' in message) resolve(message.done);
        else reject(new Error(`wasm-tools could not print this binary: ${message.error}`));
      }
    });
    worker.once('error', (error) => {
      finish();
      reject(error);
    });
  });
}

async function sendInChunks(worker: Worker, bytes: Uint8Array, stopped: () => boolean): Promise<void> {
  for (let offset = 0; offset < bytes.length && !stopped(); offset += inputChunkBytes) {
    const chunk = bytes.slice(offset, offset + inputChunkBytes);
    worker.postMessage(chunk, [chunk.buffer]);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function workerScript(): string | undefined {
  const root = packageRoot();
  const path = root ? join(root, 'dist', 'print-worker.js') : undefined;
  return path && existsSync(path) ? path : undefined;
}
