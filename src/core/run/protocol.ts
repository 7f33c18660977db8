/** Messages between the supervisor (the editor or CLI process) and the guest's own process. */
import type { DeniedAccess, RunEnd, RunGrants, RunLimits } from './types';

export type GuestKind = 'preview1' | 'component';

/** Sent once to the guest process: everything it needs, already resolved (no host environment inside). */
export interface ChildPlan {
  file: string;
  kind: GuestKind;
  grants: RunGrants;
  limits: RunLimits;
  invoke?: { name: string; args: string[] };
  /** Where transpiled components are cached, by binary hash. */
  cacheDir: string;
}

export type ParentMessage = { type: 'run'; plan: ChildPlan };

export type ChildMessage =
  | { type: 'denied'; access: DeniedAccess }
  | { type: 'end'; end: Exclude<RunEnd, 'timeout' | 'killed'>; exitCode: number; message?: string; result?: string };
