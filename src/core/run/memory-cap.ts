/**
 * Caps a module's linear memory before instantiation. Engines' process limits do not bound Wasm memory, but a
 * memory's declared maximum does: lowering it makes `memory.grow` past the cap fail (return -1), exactly as on
 * a host with a limit, so the guest sees an allocation failure instead of taking the machine's memory.
 */
import { memorySource, readBinary, type Limits, type ModuleInfo } from '../binary';
import { concatBytes, encodeUleb, replaceSection } from '../binary/encode';

export class MemoryLimitError extends Error {}

function pageSize(limits: Limits): number {
  return 2 ** (limits.pageSizeLog2 ?? 16);
}

/** The limits a memory gets under the cap; throws when even its initial size is above it. */
export function cappedLimits(limits: Limits, maxBytes: number, what: string): Limits {
  const capPages = Math.floor(maxBytes / pageSize(limits));
  if (limits.min > capPages) {
    throw new MemoryLimitError(
      `${what} starts at ${formatMiB(limits.min * pageSize(limits))}, above the memory limit of ${formatMiB(maxBytes)}: raise the limit (--max-memory / wasmWorkbench.run.maxMemoryMB)`,
    );
  }
  return { ...limits, max: Math.min(limits.max ?? Number.POSITIVE_INFINITY, capPages) };
}

function encodeLimits(limits: Limits): Uint8Array {
  const flags = 0x01 | (limits.shared ? 0x02 : 0) | (limits.is64 ? 0x04 : 0) | (limits.pageSizeLog2 !== undefined ? 0x08 : 0);
  const parts = [Uint8Array.of(flags), encodeUleb(limits.min), encodeUleb(limits.max!)];
  if (limits.pageSizeLog2 !== undefined) parts.push(encodeUleb(limits.pageSizeLog2));
  return concatBytes(parts);
}

/** The module with every memory it defines capped at `maxBytes` (imported memories are capped by whoever creates them). */
export async function capModuleMemory(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const module = (await readBinary(memorySource(bytes))) as ModuleInfo;
  if (module.kind !== 'module' || module.memories.length === 0) return bytes;
  const section = module.sections.find((s) => s.name === 'memory')!;
  const capped = module.memories.map((m, i) => cappedLimits(m, maxBytes, `memory ${i}`));
  return replaceSection(bytes, section, concatBytes([encodeUleb(capped.length), ...capped.map(encodeLimits)]));
}

function formatMiB(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}
