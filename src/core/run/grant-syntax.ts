/** The textual forms of grants shared by the CLI and launch configurations: `HOST[::GUEST]` and `KEY=VALUE`. */
import { resolve } from 'node:path';
import type { DirectoryGrant } from './types';

/**
 * `HOST[::GUEST]`, as wasmtime reads it: without `::GUEST` the guest sees the directory under the name it was
 * given (`--dir .` lets the guest open `notes.txt`; `--dir data` gives it `data/...`).
 */
export function parseDirectoryGrant(text: string, readOnly: boolean, base = process.cwd()): DirectoryGrant {
  const parts = text.split('::');
  const host = parts[0];
  if (!host || parts.length > 2 || parts[1] === '') throw new Error(`bad directory grant "${text}": use HOST or HOST::GUEST`);
  return { host: resolve(base, host), guest: parts[1] ?? host, readOnly };
}

export function parseEnvGrant(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`bad environment grant "${text}": use KEY=VALUE`);
  return [text.slice(0, at), text.slice(at + 1)];
}
