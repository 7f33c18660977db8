/**
 * How the guest's process reports back: JSON lines written synchronously to descriptor 3, so they arrive even
 * when the process ends at once. A guest's exit ends the process from inside the Wasm call: unwinding out of
 * Wasm instead crashed Node 20 now and then after a guest had filled its memory.
 */
import { resultsFd, type ChildMessage } from '../protocol';
import { RefusalLog } from '../wasi/refusals';
import { exitProcess, writeAll } from '../wasi/stdio';

export function report(message: ChildMessage): void {
  writeAll(resultsFd, Buffer.from(JSON.stringify(message) + '\n'));
}

/** The run's refusals: each new one is reported at once, and all are summarised at the end. */
export const refusals = new RefusalLog((access) => report({ type: 'denied', access }));

/** Reports the end (with the refusal summary) and stops the process right here, whatever is on the stack. */
export function finish(end: Omit<ChildMessage & { type: 'end' }, 'type' | 'refusals'>): never {
  report({ type: 'end', ...end, refusals: refusals.summary() });
  exitProcess(end.exitCode & 0xff);
}
