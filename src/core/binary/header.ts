import { Cursor } from './cursor';
import { failAt } from './errors';
import type { WindowedReader } from './source';

export type BinaryKind = 'module' | 'component';

/** Reads the 8-byte preamble at `start` and says what follows: a core module or a component. */
export async function readHeader(reader: WindowedReader, start: number, end: number): Promise<BinaryKind> {
  if (end - start < 8) {
    failAt(start, `${end - start} bytes is too short for a WebAssembly binary, which starts with an 8-byte header`);
  }
  const bytes = await reader.peek(start, 8);
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    const found = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    failAt(start, `not a WebAssembly binary: expected the magic bytes 00 61 73 6d ("\\0asm"), found ${found}`);
  }
  const c = new Cursor(bytes.subarray(4), start + 4);
  const version = c.u8() | (c.u8() << 8);
  const layer = c.u8() | (c.u8() << 8);
  if (layer === 0 && version === 1) return 'module';
  if (layer === 1 && version === 0x0d) return 'component';
  if (layer === 1)
    failAt(start + 4, `component binary version 0x${version.toString(16)} is not supported (only 0x0d, the released component model, is)`);
  failAt(start + 4, `unsupported binary version ${version} (layer ${layer}); only version 1 core modules and components are read`);
}

export async function expectHeader(reader: WindowedReader, start: number, end: number, kind: BinaryKind): Promise<void> {
  const found = await readHeader(reader, start, end);
  if (found !== kind) failAt(start, `expected a nested ${kind} here, found a ${found}`);
}
