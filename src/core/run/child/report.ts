/**
 * How the guest's process reports back: JSON lines written synchronously to descriptor 3, so they arrive even
 * when the process ends at once. A guest's proc_exit ends it from inside the Wasm call: unwinding out of Wasm
 * instead (node:wasi's returnOnExit, or a thrown exception) crashed Node 20 now and then after a guest had
 * filled its memory.
 */
import { writeSync } from 'node:fs';
import type { ChildMessage } from '../protocol';

export const resultFd = 3;

export function report(message: ChildMessage): void {
  writeSync(resultFd, JSON.stringify(message) + '\n');
}

/** Reports the end and stops the process right here, whatever is on the stack. */
export function finish(end: ChildMessage & { type: 'end' }): never {
  report(end);
  process.exit(end.exitCode);
}

