/**
 * One memory budget for everything a guest can grow: all linear memories of all its core modules (a component
 * has several), all their instances, and their tables.
 *
 * Engines give no hook on `memory.grow` or `table.grow`, and process limits do not bound Wasm memory, so the
 * budget is enforced where an engine does look: a memory's declared maximum (lowered before compiling, so a
 * `memory.grow` past it fails with -1 exactly as on a host with a limit), V8's per-table limit
 * (`--wasm-max-table-size`, set in the guest's own process), and a check at each instantiation that the
 * maxima of the instances made so far still fit. Memories share the budget by "water-filling": one that
 * declares a small maximum keeps it, the rest share what is left equally, so a program with one big memory gets
 * nearly all of it. The JavaScript heap (GC objects) is capped separately by `--max-old-space-size`.
 */
import { setFlagsFromString } from 'node:v8';
import { memorySource, readBinary, type Limits, type ModuleInfo } from '../binary';
import { concatBytes, encodeUleb, replaceSection } from '../binary/encode';
import { WorkbenchError } from '../errors';

/** More memory or table space than the budget allows (kind `refused`: the binary cannot run within the limit). */
export class MemoryLimitError extends WorkbenchError {
  constructor(message: string) {
    super('refused', message);
  }
}

/** Tables get this part of the budget (a table entry is a pointer: 8 bytes). */
const tableShare = 1 / 16;
const tableEntryBytes = 8;
/** V8's own default limit on table entries; never raised. */
const engineTableLimit = 10_000_000;

const pageSize = (limits: Limits) => 2 ** (limits.pageSizeLog2 ?? 16);
const mib = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
const raise = 'raise the limit (--max-memory / wasmWorkbench.run.maxMemoryMB)';

/** A memory the budget must cover: defined by a module, or imported from `env` and created by the host. */
export interface MemoryDemand {
  module: string;
  index: number;
  limits: Limits;
  /** For messages: "memory 0 of main.wasm". */
  what: string;
}

export interface MemoryBudget {
  /** The limits each memory gets, by `module:index`. */
  caps: Map<string, Limits>;
  /** Entries any one table may reach (`--wasm-max-table-size`). */
  tableEntries: number;
  /** Bytes the memories of one instance of each module may reach, for the instantiation check. */
  perInstance: Map<string, number>;
  budgetBytes: number;
}

export interface ModuleDemand {
  name: string;
  memories: MemoryDemand[];
  /** Initial sizes of the tables it defines. */
  tables: number[];
  /** How many instances of it will be made (a component may instantiate one core module several times). */
  instances: number;
}

/** What each module of a program needs from the budget, read from its binary. */
export function demandOf(name: string, module: ModuleInfo): ModuleDemand {
  const memories: MemoryDemand[] = module.memories.map((limits, index) => ({
    module: name,
    index,
    limits,
    what: `memory ${index} of ${name}`,
  }));
  // A memory imported from `env` (linked with --import-memory) is created by the host, under the same budget.
  module.imports.forEach((imported) => {
    if (imported.module === 'env' && imported.descriptor.kind === 'memory') {
      memories.push({
        module: name,
        index: -1 - memories.length,
        limits: imported.descriptor.memory,
        what: `imported memory env.${imported.name} of ${name}`,
      });
    }
  });
  return { name, memories, tables: module.tables.map((t) => t.limits.min), instances: 1 };
}

/** Shares `budgetBytes` among all memories and tables; throws when even their initial sizes do not fit. */
export function planMemoryBudget(modules: readonly ModuleDemand[], budgetBytes: number): MemoryBudget {
  const times = <T>(items: T[], n: number): T[] => Array.from({ length: n }, () => items).flat();
  const tables = modules.flatMap((m) => times(m.tables, m.instances));
  const largestInitialTable = Math.max(0, ...tables);
  const tableBytes = tables.length ? Math.floor(budgetBytes * tableShare) : 0;
  const tableEntries = Math.min(
    engineTableLimit,
    Math.max(largestInitialTable, 1, Math.floor(tableBytes / tableEntryBytes / Math.max(1, tables.length))),
  );

  const memories = modules.flatMap((m) => times(m.memories, m.instances));
  const initial = memories.reduce((n, m) => n + m.limits.min * pageSize(m.limits), 0);
  let left = budgetBytes - tableBytes;
  if (initial > left) {
    const list = memories.map((m) => `${m.what} starts at ${mib(m.limits.min * pageSize(m.limits))}`).join(', ');
    throw new MemoryLimitError(
      `its memories need ${mib(initial)} to start (${list}), above the memory limit of ${mib(budgetBytes)}: ${raise}`,
    );
  }
  const caps = new Map<string, Limits>();
  // Smallest declared maxima first: each takes what it declares or its equal share of what is left.
  const declared = (m: MemoryDemand) => (m.limits.max === undefined ? Number.POSITIVE_INFINITY : m.limits.max * pageSize(m.limits));
  const order = [...memories].sort((a, b) => declared(a) - declared(b));
  order.forEach((memory, i) => {
    const share = Math.floor(left / (order.length - i));
    const bytes = Math.max(memory.limits.min * pageSize(memory.limits), Math.min(declared(memory), share));
    const pages = Math.floor(bytes / pageSize(memory.limits));
    // Every instance of a module gets the same limit: the smallest share any of them was given.
    const key = `${memory.module}:${memory.index}`;
    const earlier = caps.get(key)?.max;
    caps.set(key, { ...memory.limits, max: earlier === undefined ? pages : Math.min(earlier, pages) });
    left -= pages * pageSize(memory.limits);
  });
  const perInstance = new Map<string, number>();
  for (const module of modules) {
    perInstance.set(
      module.name,
      module.memories.reduce((n, m) => n + caps.get(`${m.module}:${m.index}`)!.max! * pageSize(m.limits), 0),
    );
  }
  return { caps, tableEntries, perInstance, budgetBytes };
}

/** Counts instantiations against the budget: a module instantiated more often than planned must still fit. */
export class InstanceBudget {
  #reserved = 0;
  constructor(private readonly budget: MemoryBudget) {}
  reserve(module: string): void {
    const bytes = this.budget.perInstance.get(module) ?? 0;
    if (this.#reserved + bytes > this.budget.budgetBytes) {
      throw new MemoryLimitError(
        `its core module ${module} is instantiated again, and the memories of all its instances could then reach more than the memory limit of ${mib(this.budget.budgetBytes)}: ${raise}`,
      );
    }
    this.#reserved += bytes;
  }
}

function encodeLimits(limits: Limits): Uint8Array {
  const flags = 0x01 | (limits.shared ? 0x02 : 0) | (limits.is64 ? 0x04 : 0) | (limits.pageSizeLog2 !== undefined ? 0x08 : 0);
  const parts = [Uint8Array.of(flags), encodeUleb(limits.min), encodeUleb(limits.max!)];
  if (limits.pageSizeLog2 !== undefined) parts.push(encodeUleb(limits.pageSizeLog2));
  return concatBytes(parts);
}

/** The module's bytes with the memories it defines capped as the budget says. */
export async function applyMemoryCaps(bytes: Uint8Array, name: string, budget: MemoryBudget): Promise<Uint8Array> {
  const module = (await readBinary(memorySource(bytes))) as ModuleInfo;
  if (module.kind !== 'module' || module.memories.length === 0) return bytes;
  const section = module.sections.find((s) => s.name === 'memory')!;
  const capped = module.memories.map((m, i) => budget.caps.get(`${name}:${i}`) ?? m);
  return replaceSection(bytes, section, concatBytes([encodeUleb(capped.length), ...capped.map(encodeLimits)]));
}

/** The capped limits of an `env` memory the host creates for `name`. */
export function importedMemoryCap(budget: MemoryBudget, demand: ModuleDemand, importName: string): Limits {
  const memory = demand.memories.find((m) => m.index < 0 && m.what.startsWith(`imported memory env.${importName} `))!;
  return budget.caps.get(`${memory.module}:${memory.index}`)!;
}

/** The guest process's JavaScript heap limit (GC objects of Wasm GC live there), set when it starts. */
export function heapLimitFlag(budgetBytes: number): string {
  return `--max-old-space-size=${Math.max(64, Math.ceil(budgetBytes / (1024 * 1024))) + 64}`;
}

/** Applies the per-table limit in the guest's process, before any module is compiled. */
export function applyTableLimit(budget: MemoryBudget): void {
  setFlagsFromString(`--wasm-max-table-size=${budget.tableEntries}`);
}
