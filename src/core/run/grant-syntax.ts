/**
 * The textual forms of grants, the one parser the CLI's flags and launch configurations share: `HOST[::GUEST]` and
 * `KEY=VALUE`. A bad one is an input error that says the form.
 */
import { resolve } from 'node:path';
import { WorkbenchError } from '../errors';
import type { DirectoryGrant, RunGrants } from './types';

/**
 * `HOST[::GUEST]`, as wasmtime reads it: without `::GUEST` the guest sees the directory under the name it was
 * given (`--dir .` lets the guest open `notes.txt`; `--dir data` gives it `data/...`).
 */
export function parseDirectoryGrant(text: string, readOnly: boolean, base = process.cwd()): DirectoryGrant {
  const parts = text.split('::');
  const host = parts[0];
  if (!host || parts.length > 2 || parts[1] === '')
    throw new WorkbenchError('input', `bad directory grant "${text}": use HOST or HOST::GUEST`);
  return { host: resolve(base, host), guest: parts[1] ?? host, readOnly };
}

export function parseEnvGrant(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new WorkbenchError('input', `bad environment grant "${text}": use KEY=VALUE`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/**
 * The `wasm-workbench run` command line that makes a run with these grants, quoted for a POSIX shell: how to
 * do from a terminal what the editor does (its grants editor and refusal hints show it).
 */
export function runCommandLine(file: string, grants: RunGrants, invoke?: { name: string; args: string[] }): string {
  const words = ['wasm-workbench', 'run', file];
  for (const dir of grants.dirs) words.push(dir.readOnly ? '--ro-dir' : '--dir', `${dir.host}::${dir.guest}`);
  for (const [key, value] of Object.entries(grants.env)) words.push('--env', `${key}=${value}`);
  if (grants.inheritEnv) words.push('--inherit-env');
  if (invoke) words.push('--invoke', invoke.name);
  const rest = invoke ? invoke.args : grants.args;
  if (rest.length) words.push('--', ...rest);
  return words.map(shellWord).join(' ');
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
