/**
 * What decides before a run whether a binary can run at all (the editor greys Run with this reason) and whether
 * grants can be given as they are (the grants editor checks with it before saving).
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspectFile } from '../../../src/core/inspect';
import { checkGrants, noGrants, RunRefusedError, runRefusal } from '../../../src/core/run';
import { fixturePath, type FixtureName } from '../../fixtures';

const reportOf = async (name: FixtureName) => inspectFile(await fixturePath(name), { wit: false });

describe('runRefusal', () => {
  it('lets programs run, and libraries only by calling an export', async () => {
    assert.equal(runRefusal(await reportOf('probe')), undefined);
    assert.equal(runRefusal(await reportOf('component-command')), undefined);
    const library = await reportOf('preview1-reactor');
    assert.match(runRefusal(library)?.message ?? '', /library with no _start/);
    assert.equal(runRefusal(library, { invoke: true }), undefined);
  });

  it('refuses what needs another host, with the reason and exit code 2', async () => {
    for (const [name, reason] of [
      ['emscripten-style', /Emscripten/],
      ['unknown-imports', /./],
      ['wasi-threads', /threads/],
      ['component-http', /HTTP/],
    ] as const) {
      const refusal = runRefusal(await reportOf(name));
      assert.ok(refusal instanceof RunRefusedError, `${name} was not refused`);
      assert.equal(refusal.kind, 'refused');
      assert.match(refusal.message, reason, name);
    }
  });

  it('a policy refuses with the kind policy (exit code 3 in the CLI), in the words caps --deny uses', async () => {
    const refusal = runRefusal(await reportOf('probe'), { deny: ['filesystem'] });
    assert.equal(refusal?.kind, 'policy');
    assert.match(refusal?.message ?? '', /^policy violation: needs denied capability filesystem \(.*path_open/);
  });
});

describe('checkGrants', () => {
  it('refuses variable names a guest cannot read, values with NUL, missing directories and guest paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grants-'));
    const refused = (grants: Partial<ReturnType<typeof noGrants>>, pattern: RegExp) =>
      assert.rejects(checkGrants({ ...noGrants(), ...grants }), (e: unknown) => e instanceof RunRefusedError && pattern.test(e.message));
    await refused({ env: { '': 'x' } }, /must not be empty/);
    await refused({ env: { 'A=B': 'x' } }, /"A=B" cannot be passed/);
    await refused({ env: { A: 'x\0y' } }, /NUL/);
    await refused({ dirs: [{ host: join(dir, 'none'), guest: '/data', readOnly: true }] }, /does not exist/);
    await refused({ dirs: [{ host: dir, guest: '', readOnly: true }] }, /no guest path/);
    await refused(
      {
        dirs: [
          { host: dir, guest: '/a', readOnly: true },
          { host: dir, guest: '/a/', readOnly: false },
        ],
      },
      /granted twice/,
    );
    await checkGrants({ ...noGrants(), env: { A: '', B: 'x=y' }, dirs: [{ host: dir, guest: '/data', readOnly: true }] });
  });
});
