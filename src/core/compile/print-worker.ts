/**
 * The printing worker (built to dist/print-worker.js): elision, wasm-tools' print and the notes all run here,
 * so the caller's thread only receives the finished text and stays responsive; terminating the worker
 * cancels the work wherever it is.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { annotate, elideForPrinting, noElisions, type PrintBudget } from './print-plan';
import type { PrintWorkerMessage } from './print';
import { errorMessage } from '../errors';
import { loadWasmTools } from '../platform/wasm-tools';

interface Input {
  bytes: Uint8Array;
  /** Undefined prints everything. */
  budget?: PrintBudget;
  fullTextHint: string;
  /** Send UTF-8 bytes (moved, not copied) instead of a string: a very large text then never stalls the caller. */
  utf8: boolean;
}

async function run({ bytes, budget, fullTextHint, utf8 }: Input): Promise<void> {
  const post = (message: PrintWorkerMessage) => parentPort!.postMessage(message);
  post({ progress: 'planning', fraction: 0.05 });
  const { bytes: printed, elisions } = budget ? elideForPrinting(bytes, budget) : { bytes, elisions: noElisions() };
  post({ progress: 'loading wasm-tools', fraction: 0.1 });
  const tools = await loadWasmTools();
  post({ progress: 'printing', fraction: 0.2 });
  const text = await tools.print(printed);
  post({ progress: 'adding notes', fraction: 0.9 });
  const annotated = annotate(text, elisions, fullTextHint);
  if (!utf8) return post({ done: { text: annotated, elisions } });
  const encoded = new TextEncoder().encode(annotated);
  parentPort!.postMessage({ done: { utf8: encoded, elisions } } satisfies PrintWorkerMessage, [encoded.buffer as ArrayBuffer]);
}

run(workerData as Input).catch((error: unknown) => {
  parentPort!.postMessage({ error: errorMessage(error).split('\n')[0] } satisfies PrintWorkerMessage);
});
