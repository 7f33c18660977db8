/**
 * Setting file times to the nanosecond. Node's `utimes` family takes seconds as a double, which near today's
 * dates only keeps about a quarter of a microsecond, and it cannot leave one of the two times unchanged: a guest
 * that sets mtime to `t - 100 ns` and reads it back would see another value, and its atime would move. WASI
 * asks for exact nanoseconds and for "no change", so on Linux the call goes to coreutils' `touch`, which uses
 * `utimensat` with nanoseconds and UTIME_OMIT; elsewhere (or without `touch`) it falls back to Node's API.
 */
import { lstatSync, lutimesSync, statSync, utimesSync } from 'node:fs';
import { fail } from '../errors';

export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}

export type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: Datetime };

let touchMissing = process.platform !== 'linux';

/**
 * Sets the times of `path` (a path the filesystem layer built: `/proc/<pid>/fd/N` or `/proc/<pid>/fd/N/name`),
 * following a final symlink only when `follow` is true.
 */
export function setTimes(path: string, atime: NewTimestamp, mtime: NewTimestamp, follow: boolean): void {
  if (atime.tag === 'no-change' && mtime.tag === 'no-change') {
    // Still an error if it does not exist.
    (follow ? statSync : lstatSync)(path);
    return;
  }
  if (!touchMissing && touch(path, atime, mtime, follow)) return;
  const current = (follow ? statSync : lstatSync)(path);
  const seconds = (t: NewTimestamp, old: Date) =>
    t.tag === 'timestamp' ? Number(t.val.seconds) + t.val.nanoseconds / 1e9 : t.tag === 'now' ? Date.now() / 1000 : old.getTime() / 1000;
  (follow ? utimesSync : lutimesSync)(path, seconds(atime, current.atime), seconds(mtime, current.mtime));
}

/** True when done; false when `touch` is not there. Throws the failure otherwise. */
function touch(path: string, atime: NewTimestamp, mtime: NewTimestamp, follow: boolean): boolean {
  const runs: string[][] = [];
  const stamp = (t: Datetime) => `@${t.seconds}.${String(t.nanoseconds).padStart(9, '0')}`;
  const same =
    atime.tag === mtime.tag &&
    (atime.tag !== 'timestamp' ||
      (mtime.tag === 'timestamp' && atime.val.seconds === mtime.val.seconds && atime.val.nanoseconds === mtime.val.nanoseconds));
  if (same) runs.push(atime.tag === 'timestamp' ? ['-d', stamp(atime.val)] : []);
  else {
    if (atime.tag !== 'no-change') runs.push(['-a', ...(atime.tag === 'timestamp' ? ['-d', stamp(atime.val)] : [])]);
    if (mtime.tag !== 'no-change') runs.push(['-m', ...(mtime.tag === 'timestamp' ? ['-d', stamp(mtime.val)] : [])]);
  }
  // The guest's process sees only its own /proc entries; `touch` must name ours explicitly.
  const target = path.replace(/^\/proc\/self\//, `/proc/${process.pid}/`);
  for (const args of runs) {
    // Loaded here: only a guest that sets times pays for node:child_process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded synchronously, on first use
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const result = spawnSync('touch', ['-c', ...(follow ? [] : ['-h']), ...args, '--', target], {
      env: {},
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    if (result.error) {
      if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
        touchMissing = true;
        return false;
      }
      throw result.error;
    }
    if (result.status !== 0) {
      const message = result.stderr.toString();
      if (/No such file/.test(message)) fail('no-entry');
      if (/Permission denied/.test(message)) fail('access');
      if (/Operation not permitted/.test(message)) fail('not-permitted');
      if (/Read-only file system/.test(message)) fail('read-only');
      if (/Not a directory/.test(message)) fail('not-directory');
      fail('io');
    }
  }
  return true;
}
