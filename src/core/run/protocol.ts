/** Messages between the supervisor (the editor or CLI process) and the guest's own process. */
import type { WasmtimeEngine } from './engines/wasmtime';
import type { DeniedAccess, RunEnd, RunGrants, RunLimits } from './types';

export type GuestKind = 'preview1' | 'component';

/** Handed to the guest's process on descriptor 4: everything it needs, already resolved (no host environment inside). */
export interface ChildPlan {
  file: string;
  kind: GuestKind;
  /** argv[0] as the guest sees it. */
  program: string;
  grants: RunGrants;
  limits: RunLimits;
  invoke?: { name: string; args: string[] };
  /** A component's transpiled code (a cache entry filled before the guest's process starts). */
  componentDir?: string;
  /** Run with this wasmtime instead of the builtin host (no child protocol then: wasmtime runs the guest). */
  wasmtime?: WasmtimeEngine;
  /** How the WASI layer reaches files (`path`: from recorded host paths, as on systems without /proc). */
  layer?: 'descriptor' | 'path';
}

/** Descriptor numbers of the guest's process besides stdio. */
export const resultsFd = 3;
export const planFd = 4;

export type ChildMessage =
  /** A refusal seen for the first time (at most a fixed number of distinct ones are sent). */
  | { type: 'denied'; access: DeniedAccess }
  | {
      type: 'end';
      end: Exclude<RunEnd, 'timeout' | 'killed'>;
      exitCode: number;
      message?: string;
      result?: string;
      /** Every distinct refusal with its count, and how many more were only counted. */
      refusals?: { distinct: DeniedAccess[]; uncounted: number };
    };
