/**
 * Scripts beside a binary (`app.wasm` → `app.js`, `app.mjs`, `app.cjs`), for recognising the JavaScript glue
 * that loads it. Only the start of each is read: loaders name their binary and show their vocabulary early, and a
 * glue file can be tens of megabytes.
 */
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.cjs'];
const MAX_BYTES = 4 * 1024 * 1024;

export async function siblingScripts(wasmPath: string): Promise<{ name: string; text: string }[]> {
  const stem = basename(wasmPath).replace(/\.wasm$/i, '');
  const found: { name: string; text: string }[] = [];
  for (const extension of SCRIPT_EXTENSIONS) {
    const name = `${stem}${extension}`;
    let handle;
    try {
      handle = await open(join(dirname(wasmPath), name), 'r');
    } catch {
      continue; // no such file, or not readable: nothing to learn from it
    }
    try {
      const buffer = new Uint8Array(Math.min((await handle.stat()).size, MAX_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      found.push({ name, text: new TextDecoder('utf-8', { fatal: false }).decode(buffer.subarray(0, bytesRead)) });
    } catch {
      // a folder named app.js, or a read error: not glue
    } finally {
      await handle.close();
    }
  }
  return found;
}
