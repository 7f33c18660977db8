/** Runs a WASI preview1 command or reactor on this project's preview1 host, under the memory budget. */
import { readFileSync } from 'node:fs';
import { memorySource, readBinary, type ModuleInfo } from '../../binary';
import { applyMemoryCaps, applyTableLimit, demandOf, importedMemoryCap, MemoryLimitError, planMemoryBudget } from '../memory-cap';
import type { ChildMessage, ChildPlan } from '../protocol';
import { exitCodeFor } from '../types';
import { preopenForPreview1, preview1Imports } from '../wasi/preview1';
import { formatResults, parseInvokeArguments } from './invoke';
import { finish, refusals } from './report';
import { errorMessage } from '../../errors';

type End = Omit<ChildMessage & { type: 'end' }, 'type' | 'refusals'>;

export async function runPreview1(plan: ChildPlan): Promise<End> {
  const original = new Uint8Array(readFileSync(plan.file));
  const info = (await readBinary(memorySource(original))) as ModuleInfo;
  const demand = demandOf(plan.program, info);
  let budget;
  try {
    budget = planMemoryBudget([demand], plan.limits.maxMemoryBytes);
  } catch (error) {
    if (error instanceof MemoryLimitError) return { end: 'failed', exitCode: exitCodeFor.failed, message: error.message };
    throw error;
  }
  applyTableLimit(budget);
  const module = await WebAssembly.compile(await applyMemoryCaps(original, plan.program, budget));

  const preopened = preopenForPreview1(plan.grants.dirs, (refusal) => refusals.record(refusal), plan.layer);
  const unstable = info.imports.some((i) => i.module === 'wasi_unstable');
  let memory: WebAssembly.Memory | undefined;
  const wasi = preview1Imports(
    {
      args: [plan.program, ...plan.grants.args],
      env: plan.grants.env,
      preopens: preopened.map((descriptor, i) => ({ descriptor, guest: plan.grants.dirs[i]!.guest })),
      unstable,
      refuse: (access) => refusals.record(access),
      exit: (code) => finish({ end: 'exited', exitCode: code }),
    },
    () => memory ?? noMemory(),
  );
  const imports: WebAssembly.Imports = { [unstable ? 'wasi_unstable' : 'wasi_snapshot_preview1']: wasi };
  // A memory imported from `env` (linked with --import-memory) is created here, under the budget.
  for (const imported of info.imports) {
    if (imported.module === 'env' && imported.descriptor.kind === 'memory') {
      const limits = importedMemoryCap(budget, demand, imported.name);
      memory = new WebAssembly.Memory({ initial: limits.min, maximum: limits.max!, shared: limits.shared } as WebAssembly.MemoryDescriptor);
      (imports.env ??= {})[imported.name] = memory;
    }
  }

  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (error) {
    return { end: 'failed', exitCode: exitCodeFor.failed, message: `could not instantiate: ${errorMessage(error)}` };
  }
  if (instance.exports.memory instanceof WebAssembly.Memory) memory ??= instance.exports.memory;

  try {
    if (!plan.invoke) {
      const start = instance.exports._start;
      if (typeof start !== 'function') return { end: 'failed', exitCode: exitCodeFor.failed, message: 'it exports no _start function' };
      (start as () => void)();
      // _start returned without proc_exit: a successful run.
      return { end: 'exited', exitCode: 0 };
    }
    const initialize = instance.exports._initialize;
    if (typeof initialize === 'function') (initialize as () => void)();
    const fn = instance.exports[plan.invoke.name];
    const exported = info.exports.find((e) => e.name === plan.invoke!.name);
    if (typeof fn !== 'function' || !exported || exported.kind !== 'func') {
      const functions = info.exports.filter((e) => e.kind === 'func').map((e) => e.name);
      return {
        end: 'failed',
        exitCode: exitCodeFor.failed,
        message: `no exported function "${plan.invoke.name}"; exported functions: ${functions.join(', ') || 'none'}`,
      };
    }
    const args = parseInvokeArguments(exported.type, plan.invoke.args);
    const result = (fn as (...a: unknown[]) => unknown)(...args);
    return { end: 'exited', exitCode: 0, result: formatResults(exported.type, result) };
  } catch (error) {
    const trap = trapMessage(error);
    if (trap !== undefined) return { end: 'trapped', exitCode: exitCodeFor.trapped, message: `trap: ${trap}` };
    throw error;
  }
}

/** The message of an error that is a trap (a Wasm runtime error or a stack overflow), else undefined. */
export function trapMessage(error: unknown): string | undefined {
  if (error instanceof WebAssembly.RuntimeError) return error.message.replace(/^wasm trap: /, '');
  if (error instanceof RangeError && /call stack/.test(error.message)) return 'call stack exhausted';
  return undefined;
}

function noMemory(): never {
  throw new WebAssembly.RuntimeError('the module exports no memory for its WASI calls to use');
}
