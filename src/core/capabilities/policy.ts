/** A capability policy for CI gates: which needed capabilities a pipeline refuses. */
import { capabilityIds, isCapabilityId, type CapabilityId } from './catalog';
import type { Capability } from './analyze';

export class PolicyInputError extends Error {}

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
