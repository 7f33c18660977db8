/** Runs a WASI preview1 command or reactor on node:wasi, with the guard, the memory cap and only the grants. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';
import { memorySource, readBinary, type ModuleInfo } from '../../binary';
import { cappedLimits, capModuleMemory } from '../memory-cap';
import type { ChildMessage, ChildPlan } from '../protocol';
import { exitCodeFor } from '../types';
import { guardPreview1, type WasiImports } from './preview1-guard';
import { parseInvokeArguments, formatResults } from './invoke';
import { finish } from './report';

type End = ChildMessage & { type: 'end' };

export async function runPreview1(plan: ChildPlan, report: (message: ChildMessage & { type: 'denied' }) => void): Promise<End> {
  const original = new Uint8Array(await readFile(plan.file));
  const info = (await readBinary(memorySource(original))) as ModuleInfo;
  const bytes = await capModuleMemory(original, plan.limits.maxMemoryBytes);
  const module = await WebAssembly.compile(bytes);

  const preopens: Record<string, string> = {};
  plan.grants.dirs.forEach((dir) => (preopens[dir.guest] = dir.host));
  const unstable = info.imports.some((i) => i.module === 'wasi_unstable');
  const wasi = new WASI({
    version: unstable ? 'unstable' : 'preview1',
    args: [basename(plan.file), ...plan.grants.args],
    env: plan.grants.env,
    preopens,
    // proc_exit is ours (below): node:wasi's own would end the process without reporting.
    returnOnExit: false,
  });

  let memory: WebAssembly.Memory | undefined;
  const imports: WebAssembly.Imports = {};
  const guarded = guardPreview1(wasi.wasiImport as unknown as WasiImports, {
    // node:wasi numbers preopens from 3 in the order they are given.
    preopens: plan.grants.dirs.map((dir, i) => ({ fd: 3 + i, guest: dir.guest, readOnly: dir.readOnly })),
    memory: () => memory!,
    report: (access) => report({ type: 'denied', access }),
  });
  // Exiting ends the process from inside the call, after the result is reported (see main.ts for why not unwind).
  guarded.proc_exit = (code) => finish({ type: 'end', end: 'exited', exitCode: Number(code) });
  imports[unstable ? 'wasi_unstable' : 'wasi_snapshot_preview1'] = guarded as unknown as WebAssembly.ModuleImports;
  // A memory imported from `env` (linked with --import-memory) is created here, under the cap.
  for (const imported of info.imports) {
    if (imported.module === 'env' && imported.descriptor.kind === 'memory') {
      const limits = cappedLimits(imported.descriptor.memory, plan.limits.maxMemoryBytes, `imported memory env.${imported.name}`);
      memory = new WebAssembly.Memory({ initial: limits.min, maximum: limits.max!, shared: limits.shared } as WebAssembly.MemoryDescriptor);
      (imports.env ??= {})[imported.name] = memory;
    }
  }

  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (error) {
    return { type: 'end', end: 'failed', exitCode: exitCodeFor.failed, message: `could not instantiate: ${(error as Error).message}` };
  }
  memory ??= instance.exports.memory as WebAssembly.Memory;

  try {
    if (!plan.invoke) {
      wasi.start(instance);
      // _start returned without proc_exit: a successful run.
      return { type: 'end', end: 'exited', exitCode: 0 };
    }
    if (typeof instance.exports._initialize === 'function') wasi.initialize(instance);
    else if (memory) wasi.initialize(wrapWithoutInitialize(instance));
    const fn = instance.exports[plan.invoke.name];
    const exported = info.exports.find((e) => e.name === plan.invoke!.name);
    if (typeof fn !== 'function' || !exported || exported.kind !== 'func') {
      const functions = info.exports.filter((e) => e.kind === 'func').map((e) => e.name);
      return { type: 'end', end: 'failed', exitCode: exitCodeFor.failed, message: `no exported function "${plan.invoke.name}"; exported functions: ${functions.join(', ') || 'none'}` };
    }
    const args = parseInvokeArguments(exported.type, plan.invoke.args);
    const result = (fn as (...a: unknown[]) => unknown)(...args);
    return { type: 'end', end: 'exited', exitCode: 0, result: formatResults(exported.type, result) };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) return { type: 'end', end: 'trapped', exitCode: exitCodeFor.trapped, message: `trap: ${error.message}` };
    if (error instanceof RangeError && /call stack/.test(error.message)) return { type: 'end', end: 'trapped', exitCode: exitCodeFor.trapped, message: 'trap: call stack exhausted' };
    throw error;
  }
}

/** node:wasi's initialize() needs an exported memory and no `_start`; a reactor without `_initialize` still qualifies. */
function wrapWithoutInitialize(instance: WebAssembly.Instance): WebAssembly.Instance {
  return { exports: { memory: instance.exports.memory } } as unknown as WebAssembly.Instance;
}
