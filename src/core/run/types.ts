/** What a run is given (grants, limits) and what comes back (outcome with notes on denied capabilities). */
import type { CapabilityId } from '../capabilities';

export interface DirectoryGrant {
  /** Directory on the host. */
  host: string;
  /** Where the guest sees it (absolute guest path, e.g. `/data`). */
  guest: string;
  readOnly: boolean;
}

/** Everything a guest may use. Nothing else is granted: no host environment, no network. */
export interface RunGrants {
  args: string[];
  env: Record<string, string>;
  /** Pass the whole host environment (explicit opt-in; off by default). */
  inheritEnv: boolean;
  dirs: DirectoryGrant[];
}

export interface RunLimits {
  /** Wall-clock limit; the guest process is killed when it is reached. */
  timeoutMs: number;
  /** One budget for all linear memories and tables of all instances; `memory.grow` past it fails as on a host with a limit. */
  maxMemoryBytes: number;
}

export const defaultLimits: RunLimits = { timeoutMs: 30_000, maxMemoryBytes: 1024 * 1024 * 1024 };

export function noGrants(): RunGrants {
  return { args: [], env: {}, inheritEnv: false, dirs: [] };
}

export interface RunRequest {
  /** Absolute path of the .wasm. */
  file: string;
  grants: RunGrants;
  limits: RunLimits;
  /** For reactors and libraries: call this export (after `_initialize`) with these arguments. */
  invoke?: { name: string; args: string[] };
}

/** A guest's attempt to use something it was not granted, recorded by the host as it refused. */
export interface DeniedAccess {
  capability: CapabilityId;
  /** The call that was refused, e.g. `path_open` or `wasi:sockets/tcp`. */
  call: string;
  /** What it asked for, e.g. the path it tried to open (control characters escaped). */
  detail: string;
  /** How many times it was refused this (1 when absent). */
  count?: number;
  /** Why, when the capability itself was granted: a change under a read-only grant. */
  reason?: 'read-only';
}

export type RunEnd =
  /** The guest finished (returned from its entry point or called exit). */
  | 'exited'
  /** It trapped (unreachable, out-of-bounds access, stack overflow...). */
  | 'trapped'
  /** It ran past the time limit and was killed. */
  | 'timeout'
  /** It was stopped from outside (the user closed the terminal, Ctrl+C). */
  | 'killed'
  /** The host could not start it (instantiation failed: missing import, memory over the limit...). */
  | 'failed';

export interface RunOutcome {
  end: RunEnd;
  /** The guest's exit code; by convention 134 for a trap and 124 for a timeout, as on Unix shells. */
  exitCode: number;
  /** One line on what happened when it did not simply exit (the trap message, the limit...). */
  message?: string;
  /** The result of an invoked export, printed as text. */
  result?: string;
  /** Each distinct refusal with its count (a bounded number of them). */
  denied: DeniedAccess[];
  /** Refusals beyond the distinct ones kept, only counted. */
  uncountedDenials: number;
  durationMs: number;
}

/** Exit codes for ends other than a normal exit. */
export const exitCodeFor = { trapped: 134, timeout: 124, killed: 130, failed: 1 } as const;
