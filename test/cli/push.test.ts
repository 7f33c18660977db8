/** `wasm-workbench push` as users run it: node dist/cli.js, a real registry on 127.0.0.1, real exit codes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullManifest } from '../../src/core/oci';
import { fixturePath } from '../fixtures';
import { startRegistry, type TestRegistry } from '../support/registry';

const cli = join(process.cwd(), 'dist', 'cli.js');

function wasmWorkbench(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // HOME points nowhere so the user's own docker config is not read.
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent-home' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('wasm-workbench push', () => {
  let open: TestRegistry;
  let locked: TestRegistry;
  const password = 'Cli-Push-s3cret-Password';
  before(async () => {
    [open, locked] = await Promise.all([startRegistry(), startRegistry({ auth: { kind: 'htpasswd', users: { ci: password } } })]);
  });
  after(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
  });

  it('prints the pushed REG/REPO@sha256 reference as one line on stdout; progress on stderr', async () => {
    const file = await fixturePath('component-command');
    const { code, stdout, stderr } = await wasmWorkbench(['push', file, '--image', `${open.host}/cli/app:v1`, '--form', 'runwasi']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`^${open.host.replace(/\./g, '\\.')}/cli/app@sha256:[a-f0-9]{64}\\n$`));
    assert.match(stderr, /uploading blob sha256:/);
    assert.match(stderr, /pushed .* \(component, wasip2\) as runwasi to/);
    const pulled = await pullManifest(stdout.trim());
    assert.equal(pulled.manifest.layers[0]!.mediaType, 'application/vnd.bytecodealliance.wasm.component.layer.v0+wasm');
  });

  it('--username with --password-stdin; exit 1 with the log-in message when refused; no password in any output', async () => {
    const file = await fixturePath('preview1-command');
    const image = `${locked.host}/cli/secure:v1`;
    const ok = await wasmWorkbench(['push', file, '--image', image, '--username', 'ci', '--password-stdin'], `${password}\n`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^127\.0\.0\.1:\d+\/cli\/secure@sha256:[a-f0-9]{64}\n$/);

    const refused = await wasmWorkbench(['push', file, '--image', image, '--username', 'ci', '--password-stdin'], 'wrong-password-here\n');
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, '');
    assert.match(
      refused.stderr,
      /wasm-workbench: log in: credentials for 127\.0\.0\.1:\d+ were rejected \(401; they came from the username and password given\); check ~\/\.docker\/config\.json or --username\/--password-stdin\n$/,
    );

    const anonymous = await wasmWorkbench(['push', file, '--image', image]);
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.stderr, /needs credentials .* none were found \(looked in \/nonexistent-home\/\.docker\/config\.json\)/);

    for (const run of [ok, refused, anonymous]) {
      for (const secret of [password, 'wrong-password-here', Buffer.from(`ci:${password}`).toString('base64')]) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), 'a secret reached the output');
      }
    }
  });

  it('bad input exits 2: no --image, a malformed reference, an unknown form, a file that is not Wasm', async () => {
    const file = await fixturePath('preview1-command');
    const cases: [string[], RegExp][] = [
      [['push', file], /--image REF is required/],
      [['push', file, '--image', `${open.host}/Bad/Name`], /repository names must be lowercase/],
      [['push', file, '--image', `${open.host}/app`, '--form', 'zip'], /--form must be one of artifact, runwasi, image, spin/],
      [['push', 'does-not-exist.wasm', '--image', `${open.host}/app`], /does-not-exist\.wasm: no such file/],
      [['push', cli, '--image', `${open.host}/app`], /malformed Wasm binary/],
      [['push', file, '--image', `${open.host}/app`, '--password-stdin'], /--password-stdin needs --username U/],
      [['push', file, '--image', 'registry.invalid:5000/app', '--username', 'x'], /--username needs --password-stdin/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await wasmWorkbench(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(stderr, message);
    }
  });
});
