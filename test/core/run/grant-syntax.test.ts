/** The textual forms of grants: parsed from the CLI and launch configurations, and written back as a command line. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { noGrants, parseDirectoryGrant, parseEnvGrant, runCommandLine } from '../../../src/core/run';
import { fixturePath } from '../../fixtures';

const cli = join(process.cwd(), 'dist', 'cli.js');

describe('grant syntax', () => {
  it('parses HOST[::GUEST] and KEY=VALUE, and says what is wrong', () => {
    assert.deepEqual(parseDirectoryGrant('data::/in', true, '/work'), { host: '/work/data', guest: '/in', readOnly: true });
    assert.deepEqual(parseDirectoryGrant('out', false, '/work'), { host: '/work/out', guest: 'out', readOnly: false });
    assert.throws(() => parseDirectoryGrant('a::', false), /use HOST or HOST::GUEST/);
    assert.deepEqual(parseEnvGrant('A=b=c'), ['A', 'b=c']);
    assert.throws(() => parseEnvGrant('=x'), /use KEY=VALUE/);
  });

  it('runCommandLine writes a command a shell runs with exactly these grants', async () => {
    const dir = await mkdtemp(join(tmpdir(), "it's a dir "));
    await writeFile(join(dir, 'note.txt'), 'from the grant\n');
    const probe = await fixturePath('probe');
    const line = runCommandLine(probe, {
      ...noGrants(),
      args: ['args', 'two words', "it's", '$HOME', '--flag'],
      env: { GREETING: 'hi there' },
      dirs: [{ host: dir, guest: '/in', readOnly: true }],
    });
    assert.match(line, /^wasm-workbench run /);
    const shell = line.replace(/^wasm-workbench/, `${process.execPath} ${cli}`);
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', shell]);
    assert.equal(stdout, `argv[0]=probe.wasm\nargv[1]=args\nargv[2]=two words\nargv[3]=it's\nargv[4]=$HOME\nargv[5]=--flag\n`);
    const cat = runCommandLine(probe, {
      ...noGrants(),
      args: ['cat', '/in/note.txt'],
      dirs: [{ host: dir, guest: '/in', readOnly: true }],
    }).replace(/^wasm-workbench/, `${process.execPath} ${cli}`);
    assert.equal((await promisify(execFile)('/bin/sh', ['-c', cat])).stdout, 'from the grant\n');
  });
});
