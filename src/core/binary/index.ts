/**
 * Public face of the binary reader: `readBinary` turns any Wasm binary (core module or component) into a
 * plain description, or throws a `WasmFormatError` naming the offset and the problem.
 *
 * Written here rather than taken from a library because none does what the product needs: wabt's JS build
 * loads the whole file and cannot read GC types, and wasm-tools (via jco) loads a multi-megabyte engine and
 * the whole binary. This reader steps over function bodies with positional reads, so inspecting a 100 MB
 * module reads a few kilobytes.
 */
import { readComponentAt } from './component';
import { readHeader } from './header';
import type { WasmBinary } from './model';
import { readModuleAt, type ReadOptions } from './module';
import { WindowedReader, type ByteSource } from './source';

export async function readBinary(source: ByteSource, options: ReadOptions = {}): Promise<WasmBinary> {
  const reader = new WindowedReader(source);
  const kind = await readHeader(reader, 0, source.size);
  return kind === 'module' ? readModuleAt(reader, 0, source.size, options) : readComponentAt(reader, 0, source.size, options);
}

export { WasmFormatError, type ReadWarning } from './errors';
export { memorySource, type ByteSource } from './source';
export type { ReadOptions } from './module';
export * from './model';
