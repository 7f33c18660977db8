/**
 * What `wasm-workbench run` (and the editor's Run) gives a guest, capability by capability: the one table the
 * CLI's flags and help, the editor's grants prompt, the run header, the capability catalogue's hints and the
 * refusals read. A binary that needs an `unsupported` capability is refused before it starts (exit 2), with the
 * reason and what to use instead.
 */
import type { CapabilityId } from '../capabilities/catalog';
import { c, rich, type RichText } from '../text/rich';

export type SupportLevel =
  /** Every guest has it. */
  | 'always'
  /** The guest has it only when the user grants it (flag or prompt). */
  | 'on-grant'
  /** Linked so the binary starts, but every use fails (as in wasmtime without its network flags). */
  | 'off'
  /** The runner cannot give it: the binary is refused before it starts. */
  | 'unsupported';

export interface RunnerSupport {
  level: SupportLevel;
  /** One line for people: what the guest gets, or why not (commands and flags as code spans). */
  summary: RichText;
  /** For `on-grant`: the CLI flags that grant it. */
  flags?: RichText;
  /** For `on-grant`: the editor's words for granting it (grants prompt, refusal hints). */
  editor?: RichText;
  /** For `unsupported`: what runs it instead. */
  instead?: RichText;
  /** For a grant that can be read-only: how to allow changes (CLI, editor). */
  readOnly?: { flags: RichText; editor: RichText };
}

export const runnerSupport: Readonly<Record<CapabilityId, RunnerSupport>> = {
  stdio: { level: 'always', summary: rich`always connected: stdin, stdout and stderr are the terminal` },
  args: {
    level: 'always',
    summary: rich`the arguments you pass: ${c('wasm-workbench run FILE -- ARG...')} (in the editor: the Arguments list of the run grants)`,
  },
  environment: {
    level: 'on-grant',
    summary: rich`only the variables you pass; none by default`,
    flags: rich`${c('--env KEY=VALUE')} for each variable (${c('--inherit-env')} passes the whole host environment)`,
    editor: rich`add variables under Environment in the run grants`,
  },
  filesystem: {
    level: 'on-grant',
    summary: rich`only the directories you grant, read-only or read-write; none by default`,
    flags: rich`${c('--dir HOST[::GUEST]')} (read-write) or ${c('--ro-dir HOST[::GUEST]')} (read-only)`,
    editor: rich`add a directory under Directories in the run grants`,
    readOnly: {
      flags: rich`it is granted read-only: grant it with ${c('--dir')} instead of ${c('--ro-dir')} to allow changes`,
      editor: rich`it is granted read-only: make it read-write in the run grants to allow changes`,
    },
  },
  clocks: { level: 'always', summary: rich`always available` },
  random: { level: 'always', summary: rich`always available` },
  exit: { level: 'always', summary: rich`always available; the exit code is reported` },
  poll: { level: 'always', summary: rich`always available` },
  sockets: {
    level: 'off',
    summary: rich`the network is off: every socket and name lookup fails with "access denied"`,
    instead: rich`${c('wasmtime run -S inherit-network')}`,
  },
  'http-outgoing': {
    level: 'off',
    summary: rich`the network is off: every outgoing request fails with "HTTP request denied"`,
    instead: rich`${c('wasmtime run -S http')}`,
  },
  'http-incoming': {
    level: 'unsupported',
    summary: rich`not runnable with ${c('run')}: it is an HTTP server, not a program`,
    instead: rich`${c('wasmtime serve FILE')}, or deploy it to a Spin or wasmtime runtime`,
  },
  threads: {
    level: 'unsupported',
    summary: rich`it starts threads (wasi-threads), which this runner does not support`,
    instead: rich`${c('wasmtime run -W threads=y -S threads=y')}`,
  },
  'wasi-nn': {
    level: 'unsupported',
    summary: rich`machine-learning inference (wasi-nn) is not supported`,
    instead: rich`${c('wasmtime run -S nn')}`,
  },
  keyvalue: {
    level: 'unsupported',
    summary: rich`a key-value store (wasi:keyvalue) is not supported`,
    instead: rich`${c('wasmtime run -S keyvalue')}, or Spin`,
  },
  config: {
    level: 'unsupported',
    summary: rich`runtime configuration (wasi:config) is not supported`,
    instead: rich`${c('wasmtime run -S config')}, or Spin`,
  },
  logging: { level: 'unsupported', summary: rich`host logging (wasi:logging) is not supported`, instead: rich`Spin` },
  database: { level: 'unsupported', summary: rich`database connections are not supported`, instead: rich`Spin` },
  messaging: { level: 'unsupported', summary: rich`messaging brokers are not supported`, instead: rich`Spin` },
  blobstore: { level: 'unsupported', summary: rich`blob storage is not supported`, instead: rich`a host that provides wasi:blobstore` },
  ai: { level: 'unsupported', summary: rich`language models are not supported`, instead: rich`Spin (${c('ai_models')})` },
};

/** The catalogue's one-line hint for this runner: how the capability is granted, or why it is not. */
export function runnerHint(id: CapabilityId): RichText {
  const support = runnerSupport[id];
  switch (support.level) {
    case 'on-grant':
      return support.flags!;
    case 'unsupported':
      return rich`${support.summary}; use ${support.instead!}`;
    default:
      return support.summary;
  }
}

/** How to grant a refused capability, for notes after a run: in the CLI and in the editor. */
export function grantAdvice(id: CapabilityId, front: 'cli' | 'editor', reason?: 'read-only'): RichText | undefined {
  const support = runnerSupport[id];
  if (reason === 'read-only' && support.readOnly) return front === 'cli' ? support.readOnly.flags : support.readOnly.editor;
  if (support.level === 'on-grant') return front === 'cli' ? support.flags : support.editor;
  if (support.level === 'off') return rich`${support.summary}; to run it with network access use ${support.instead!}`;
  return undefined;
}
