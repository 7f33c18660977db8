/** A capability policy for CI gates: which needed capabilities a pipeline refuses. */
import { capabilityIds, isCapabilityId, type CapabilityId } from './catalog';
import { WorkbenchError } from '../errors';
import type { Capability } from './analyze';

/** An unknown capability id in a `--deny` list. */
export class PolicyInputError extends WorkbenchError {
  constructor(message: string) {
    super('input', message);
  }
}

/** Parses `--deny fs,sockets`-style lists; an unknown id is an input error naming the valid ones. */
export function parseCapabilityList(text: string): CapabilityId[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !isCapabilityId(id));
  if (unknown.length) {
    throw new PolicyInputError(`unknown capability ${unknown.map((u) => `"${u}"`).join(', ')}; known ids: ${capabilityIds.join(', ')}`);
  }
  return ids as CapabilityId[];
}

export interface PolicyViolation {
  capability: CapabilityId;
  imports: string[];
}

export function deniedCapabilities(needed: Capability[], denied: readonly CapabilityId[]): PolicyViolation[] {
  const deny = new Set(denied);
  return needed.filter((c) => deny.has(c.id)).map((c) => ({ capability: c.id, imports: c.imports }));
}

/** The one wording of a policy violation: `caps --deny`, `run --deny`, `deploy --deny` and the editor say this. */
export function describeViolations(violations: readonly PolicyViolation[]): string {
  const list = violations.map((v) => `${v.capability} (${v.imports.join(', ')})`).join('; ');
  return `policy violation: needs denied ${violations.length === 1 ? 'capability' : 'capabilities'} ${list}`;
}
