/**
 * What a guest was refused, kept small whatever the guest does: each distinct refusal is reported once as it
 * happens (so a run stopped by its time limit still explains itself), repeats are only counted, and past a fixed
 * number of distinct ones the rest are counted too. A guest retrying a million opens costs a counter, not memory.
 */
import { escapeControls } from '../../text/escape';
import type { DeniedAccess } from '../types';

/** Distinct refusals kept with their text; beyond this only the number is kept. */
export const maxDistinctRefusals = 64;
/** Guest-supplied text inside a refusal (a path) is cut to this many characters. */
const maxDetailLength = 200;

export interface RefusalSummary {
  /** Each distinct refusal with how often it happened, in the order first seen. */
  distinct: DeniedAccess[];
  /** Refusals beyond the distinct ones kept, counted only. */
  uncounted: number;
}

export class RefusalLog {
  readonly #counts = new Map<string, DeniedAccess>();
  #uncounted = 0;

  /** `onFirst` hears each distinct refusal once, when it first happens. */
  constructor(private readonly onFirst: (access: DeniedAccess) => void = () => undefined) {}

  record(access: DeniedAccess): void {
    const clean: DeniedAccess = {
      capability: access.capability,
      call: escapeControls(access.call),
      detail: cut(escapeControls(access.detail)),
      ...(access.reason ? { reason: access.reason } : {}),
    };
    const key = `${clean.capability}\0${clean.call}\0${clean.detail}`;
    const known = this.#counts.get(key);
    if (known) {
      known.count = (known.count ?? 1) + 1;
      return;
    }
    if (this.#counts.size >= maxDistinctRefusals) {
      this.#uncounted++;
      return;
    }
    this.#counts.set(key, { ...clean, count: 1 });
    this.onFirst({ ...clean, count: 1 });
  }

  summary(): RefusalSummary {
    return { distinct: [...this.#counts.values()].map((a) => ({ ...a })), uncounted: this.#uncounted };
  }
}

function cut(text: string): string {
  return text.length <= maxDetailLength ? text : `${text.slice(0, maxDetailLength)}…`;
}
