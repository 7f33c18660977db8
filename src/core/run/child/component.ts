/** Runs a WASI 0.2 component: transpiled by jco (cached by hash) and linked to a least-privilege host. */
import type { ChildMessage, ChildPlan } from '../protocol';
import { exitCodeFor } from '../types';

type End = ChildMessage & { type: 'end' };

export async function runComponent(plan: ChildPlan, report: (message: ChildMessage & { type: 'denied' }) => void): Promise<End> {
  void plan;
  void report;
  return { type: 'end', end: 'failed', exitCode: exitCodeFor.failed, message: 'running components is not implemented yet' };
}
