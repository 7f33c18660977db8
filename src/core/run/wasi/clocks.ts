/** The guest's clocks, in nanoseconds: a monotonic one, and a wall clock with nanosecond steps. */

const startedMonotonic = process.hrtime.bigint();
const startedWall = BigInt(Date.now()) * 1_000_000n;

export function monotonicNow(): bigint {
  return process.hrtime.bigint();
}

/** Wall-clock time: the system time at start plus the monotonic time since (Date.now() only has milliseconds). */
export function wallNow(): bigint {
  return startedWall + (process.hrtime.bigint() - startedMonotonic);
}

/** Both clocks step by one nanosecond (hrtime's unit). */
export const clockResolution = 1n;
