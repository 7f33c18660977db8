/**
 * A one-file tar+gzip layer, written here (the format is small): a POSIX ustar header block, the data padded to
 * 512-byte blocks, two zero blocks at the end. Everything that could vary between runs is fixed (mtime, owner,
 * mode, the gzip header's time and OS byte), so the same file always gives the same layer digest.
 */
import { gzipSync } from 'node:zlib';
import { concatBytes } from '../binary/encode';

const block = 512;

export interface TarEntry {
  /** Path inside the archive, e.g. `app.wasm` (at most 100 bytes: no prefix field is used). */
  name: string;
  bytes: Uint8Array;
  /** Seconds since the epoch. */
  mtime: number;
  /** Permission bits, default 0o644. */
  mode?: number;
}

export function tar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    parts.push(header(entry), entry.bytes);
    const pad = (block - (entry.bytes.length % block)) % block;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(block * 2));
  return concatBytes(parts);
}

function header(entry: TarEntry): Uint8Array {
  const name = new TextEncoder().encode(entry.name);
  if (name.length === 0 || name.length > 100) throw new Error(`tar: entry name must be 1 to 100 bytes, got ${name.length}`);
  if (entry.bytes.length > 0o77777777777) throw new Error('tar: entry larger than 8 GiB');
  const h = new Uint8Array(block);
  const put = (offset: number, text: string) => h.set(new TextEncoder().encode(text), offset);
  const octal = (offset: number, width: number, value: number) => put(offset, value.toString(8).padStart(width - 1, '0') + '\0');
  h.set(name, 0); //                          name      [0, 100)
  octal(100, 8, entry.mode ?? 0o644); //       mode      [100, 108)
  octal(108, 8, 0); //                         uid       [108, 116)
  octal(116, 8, 0); //                         gid       [116, 124)
  octal(124, 12, entry.bytes.length); //       size      [124, 136)
  octal(136, 12, Math.max(0, Math.floor(entry.mtime))); // mtime [136, 148)
  put(148, '        '); //                     checksum  [148, 156), spaces while summing
  put(156, '0'); //                            typeflag: regular file
  put(257, 'ustar\0'); //                      magic     [257, 263)
  put(263, '00'); //                           version   [263, 265)
  put(265, 'root'); //                         uname     [265, 297)
  put(297, 'root'); //                         gname     [297, 329)
  let sum = 0;
  for (const byte of h) sum += byte;
  put(148, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** gzip with a fixed header: mtime 0 (zlib's default) and OS byte 255 (unknown), whatever the platform. */
export function gzip(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(gzipSync(bytes, { level: 9 }));
  out[9] = 255;
  return out;
}
