/**
 * The printing worker (built to dist/print-worker.js): elision, wasm-tools' print and the notes all run here,
 * so the caller's thread only receives the finished text and stays responsive; terminating the worker
 * cancels the work wherever it is.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { annotate, elideForPrinting, noElisions } from './print-plan';
import type { PrintWorkerInput, PrintWorkerMessage } from './print';
import { errorMessage } from '../errors';
import { loadWasmTools } from '../platform/wasm-tools';

/** The binary arrives in chunks after the start (the caller sends them a turn of its event loop apiece). */
function receiveBinary(length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let received = 0;
  return new Promise((resolve) => {
    if (length === 0) return resolve(bytes);
    const take = (chunk: Uint8Array) => {
      bytes.set(chunk, received);
      received += chunk.length;
      if (received < length) return;
      parentPort!.off('message', take);
      resolve(bytes);
    };
    parentPort!.on('message', take);
  });
}

async function run({ length, budget, fullTextHint, utf8 }: PrintWorkerInput): Promise<void> {
  const bytes = await receiveBinary(length);
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

run(workerData as PrintWorkerInput).catch((error: unknown) => {
  parentPort!.postMessage({ error: errorMessage(error).split('\n')[0] } satisfies PrintWorkerMessage);
});
