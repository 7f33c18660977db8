/**
 * Node file-backed ByteSource: positional reads through one open handle, so stepping over a code section
 * costs nothing. Kept out of core/binary so the reader itself can run wherever bytes come from (a web build
 * of the inspector would pass a memory source instead).
 */
import { open } from 'node:fs/promises';
import type { ByteSource } from '../binary/source';

export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

export async function openFileSource(path: string): Promise<FileSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let bytesRead = 0;
    return {
      size,
      get bytesRead() {
        return bytesRead;
      },
      async read(offset, length) {
        const buffer = new Uint8Array(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead: n } = await handle.read(buffer, filled, length - filled, offset + filled);
          if (n === 0) throw new Error(`${path} shrank while it was being read (wanted ${length} bytes at ${offset})`);
          filled += n;
        }
        bytesRead += length;
        return buffer;
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Runs `use` with an open file source and always closes it. */
export async function withFileSource<T>(path: string, use: (source: FileSource) => Promise<T>): Promise<T> {
  const source = await openFileSource(path);
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}
