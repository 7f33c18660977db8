/**
 * Wasm → WAT, printed by wasm-tools (correct for GC and components) in a worker thread, so a large binary
 * never blocks the caller. Very large modules are printed with their biggest share of code elided: the
 * function bodies past a budget are replaced by `unreachable`, which keeps every signature, import, export
 * and data segment visible and the text a size an editor can hold.
 */
import { Worker } from 'node:worker_threads';
import { memorySource, readBinary, type ModuleInfo } from '../binary';
import { concatBytes, encodeUleb, replaceSection } from '../binary/encode';
import { moduleUrl } from './engines';

export interface PrintOptions {
  /** Bytes of function bodies printed in full; later bodies are elided. Default 1 MiB. */
  maxCodeBytes?: number;
  /** Characters of text returned at most; the rest is cut with a note. Default 16 Mi characters. */
  maxChars?: number;
}

export interface PrintResult {
  text: string;
  /** Functions whose bodies were replaced by `unreachable`. */
  elidedFunctions: number;
  /** Whether the text was cut at `maxChars`. */
  truncated: boolean;
}

export async function printWat(bytes: Uint8Array, options: PrintOptions = {}): Promise<PrintResult> {
  const maxCodeBytes = options.maxCodeBytes ?? 1024 * 1024;
  const maxChars = options.maxChars ?? 16 * 1024 * 1024;
  const binary = await readBinary(memorySource(bytes), { functionBodies: true });
  let input = bytes;
  let elided = { count: 0, first: -1 };
  if (binary.kind === 'module' && binary.functions.codeBytes > maxCodeBytes) {
    ({ bytes: input, elided } = elideBodies(bytes, binary, maxCodeBytes));
  }
  let text = await printInWorker(input);
  const notes: string[] = [];
  if (elided.count) {
    notes.push(
      `;; Wasm Workbench: this module has ${formatMiB(binary.kind === 'module' ? binary.functions.codeBytes : 0)} of code. The bodies of ${elided.count} functions`,
      `;; (from function ${elided.first} on) are shown as \`unreachable\` so the text stays readable; everything else is complete.`,
    );
  }
  let truncated = false;
  if (text.length > maxChars) {
    text = text.slice(0, text.lastIndexOf('\n', maxChars) + 1);
    notes.push(`;; Wasm Workbench: the text was cut at ${formatMiB(maxChars)} characters.`);
    truncated = true;
  }
  if (notes.length) text = `${notes.join('\n')}\n${text}`;
  return { text, elidedFunctions: elided.count, truncated };
}

function formatMiB(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A copy of the module whose code section keeps bodies up to the budget and stubs the rest. */
function elideBodies(bytes: Uint8Array, module: ModuleInfo, budget: number): { bytes: Uint8Array; elided: { count: number; first: number } } {
  const code = module.sections.find((s) => s.name === 'code')!;
  const bodies = module.functions.bodies!;
  const stub = Uint8Array.of(0x03, 0x00, 0x00, 0x0b); // size 3: no locals, unreachable, end
  const parts: Uint8Array[] = [encodeUleb(bodies.length)];
  let spent = 0;
  let count = 0;
  let first = -1;
  for (const body of bodies) {
    const keep = spent + body.size <= budget;
    if (keep) {
      spent += body.size;
      parts.push(encodeUleb(body.size), bytes.subarray(body.offset, body.offset + body.size));
    } else {
      if (first < 0) first = body.index;
      count++;
      parts.push(stub);
    }
  }
  return { bytes: replaceSection(bytes, code, concatBytes(parts)), elided: { count, first } };
}



function printInWorker(bytes: Uint8Array): Promise<string> {
  const url = moduleUrl('@bytecodealliance/jco-transpile/wasm-tools');
  if (!url) return Promise.reject(new Error('wasm-tools (@bytecodealliance/jco-transpile) is not installed'));
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url)
      .then((tools) => tools.print(workerData.bytes))
      .then((text) => parentPort.postMessage({ text }), (error) => parentPort.postMessage({ error: String(error && (error.message || error.payload) || error) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { eval: true, workerData: { url, bytes } });
    worker.once('message', (result: { text?: string; error?: string }) => {
      void worker.terminate();
      if (result.text !== undefined) resolve(result.text);
      else reject(new Error(`wasm-tools could not print this binary: ${result.error?.split('\n')[0]}`));
    });
    worker.once('error', reject);
  });
}
