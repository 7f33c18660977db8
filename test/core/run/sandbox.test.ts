// Whether bubblewrap can be used is decided by one probe, run either synchronously (bubblewrapWorks) or started early
// while a run is prepared (probeBubblewrapSoon). Both must give the same verdict, here and where bwrap is missing or
// cannot make namespaces. The verdict is cached per process, so each case runs in a fresh process: this file again,
// in probe mode.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bubblewrapWorks, probeBubblewrapSoon } from '../../../src/core/run/sandbox';

const probeMode = process.env.WASM_WORKBENCH_PROBE_MODE;
if (probeMode) {
  const verdict = probeMode === 'soon' ? probeBubblewrapSoon() : Promise.resolve(bubblewrapWorks());
  void verdict.then((v) => process.stdout.write(JSON.stringify(v)));
} else {
  const verdicts = (path: string) =>
    (['sync', 'soon'] as const).map((mode) => {
      const out = execFileSync(process.execPath, [__filename], { env: { PATH: path, WASM_WORKBENCH_PROBE_MODE: mode }, encoding: 'utf8' });
      return JSON.parse(out) as { ok: boolean; reason?: string };
    });

  // bubblewrap is Linux only: elsewhere every verdict says so, whatever PATH holds.
  const linuxOnly = process.platform === 'linux' ? undefined : `bubblewrap is Linux only (this is ${process.platform})`;

  describe('the bubblewrap probe', () => {
    it('gives the same verdict started early as run at once, on this machine', () => {
      const [now, soon] = verdicts(process.env.PATH ?? '');
      assert.deepEqual(soon, now);
      // setup.sh installs bubblewrap; where it works, the verdict must say so.
      const works = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-all', '--', 'true']).status === 0;
      assert.equal(now!.ok, works);
    });

    it('names the missing package when bwrap is not installed', () => {
      const empty = mkdtempSync(join(tmpdir(), 'no-bwrap-'));
      for (const v of verdicts(empty)) {
        assert.equal(v.ok, false);
        if (linuxOnly) assert.equal(v.reason, linuxOnly);
        else assert.match(v.reason ?? '', /bubblewrap \(bwrap\) is not installed: apt-get install bubblewrap/);
      }
    });

    it("gives bwrap's own words when it cannot make namespaces", () => {
      const dir = mkdtempSync(join(tmpdir(), 'failing-bwrap-'));
      // What bwrap prints where user namespaces are off (a container without the privilege, a hardened kernel).
      writeFileSync(join(dir, 'bwrap'), '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n');
      chmodSync(join(dir, 'bwrap'), 0o755);
      for (const v of verdicts(dir)) {
        assert.equal(v.ok, false);
        assert.equal(v.reason, linuxOnly ?? 'bwrap cannot make namespaces here: bwrap: No permissions to create new namespace');
      }
    });
  });
}
