/**
 * Credentials against real registries on 127.0.0.1: docker-registry with htpasswd (Basic) and with token auth
 * (Bearer, from a token server in this process). Credentials come explicitly, from a docker config.json (auths,
 * credHelpers, credsStore with a fake helper on PATH) and from an identity token; and none of them ever shows
 * up in a progress event or an error.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullManifest, pushWasm, RegistryError, type ProgressEvent, type PushOptions } from '../../../src/core/oci';
import { fixturePath } from '../../fixtures';
import { startRegistry, type TestRegistry } from '../../support/registry';

const user = 'alice';
const password = 'Wasm-Workbench-s3cret-Pw';
const wrongPassword = 'Not-The-Right-Pw-9876';
const identityToken = 'refresh-5f1c0ddc-identity-token';
const basicB64 = Buffer.from(`${user}:${password}`).toString('base64');
const wrongB64 = Buffer.from(`${user}:${wrongPassword}`).toString('base64');

/** Everything a run said: progress messages and the error (message and stack). */
class Capture {
  readonly lines: string[] = [];
  readonly onProgress = (e: ProgressEvent) => void this.lines.push(e.message);
  async run<T>(work: Promise<T>): Promise<T | RegistryError> {
    try {
      return await work;
    } catch (error) {
      this.lines.push(String(error), (error as Error).stack ?? '');
      if (error instanceof RegistryError) return error;
      throw error;
    }
  }
}

function assertNoSecrets(texts: string[], secrets: string[]): void {
  const all = texts.join('\n');
  for (const secret of secrets) assert.ok(!all.includes(secret), `a secret leaked into the output:\n${all}`);
}

async function expectError(result: unknown, pattern: RegExp, status?: number): Promise<RegistryError> {
  assert.ok(result instanceof RegistryError, `expected a RegistryError, got ${JSON.stringify(result)}`);
  assert.match(result.message, pattern);
  if (status !== undefined) assert.equal(result.status, status);
  return result;
}

describe('registry credentials', () => {
  let scratch: string;
  let file: string;
  const everything: string[] = [];
  const capture = () => {
    const c = new Capture();
    everything.push('');
    return {
      run: <T>(work: Promise<T>) =>
        c.run(work).finally(() => {
          everything.push(...c.lines);
        }),
      onProgress: c.onProgress,
      lines: c.lines,
    };
  };

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'wasm-workbench-auth-'));
    file = await fixturePath('preview1-command');
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function dockerConfig(name: string, config: unknown): Promise<string> {
    const dir = join(scratch, name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    return dir;
  }

  /** A `docker-credential-NAME` script that knows one server. */
  async function fakeHelper(name: string, server: string, secret: string): Promise<string> {
    const dir = join(scratch, `helper-${name}`);
    await mkdir(dir, { recursive: true });
    const script = join(dir, `docker-credential-${name}`);
    await writeFile(
      script,
      `#!/bin/sh
[ "$1" = get ] || { echo "unsupported: $1" >&2; exit 2; }
read -r server || true
if [ "$server" = '${server}' ]; then
  printf '{"ServerURL":"%s","Username":"${user}","Secret":"%s"}\\n' "$server" '${secret}'
else
  echo "credentials not found in native keychain"
  exit 1
fi
`,
    );
    await chmod(script, 0o755);
    return dir;
  }

  describe('Basic (htpasswd)', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({ auth: { kind: 'htpasswd', users: { [user]: password } } });
    });
    after(async () => {
      await registry?.stop();
    });
    const image = () => `${registry.host}/secure/app:v1`;
    const noConfig = () => join(scratch, 'nowhere', 'config.json');

    it('401 without credentials: says none were found and where it looked', async () => {
      const c = capture();
      const result = await c.run(pushWasm(file, { image: image(), dockerConfig: noConfig(), onProgress: c.onProgress }));
      const error = await expectError(
        result,
        /^log in: 127\.0\.0\.1:\d+ needs credentials for checking 127\.0\.0\.1:\d+ \(GET \/v2\/\) and none were found \(looked in .*nowhere\/config\.json\); run docker login 127\.0\.0\.1:\d+ or pass --username\/--password-stdin$/,
        401,
      );
      assert.equal(error.step, 'auth');
    });

    it('401 with wrong explicit credentials: rejected, naming where they came from', async () => {
      const c = capture();
      const result = await c.run(
        pushWasm(file, { image: image(), credentials: { username: user, password: wrongPassword }, onProgress: c.onProgress }),
      );
      await expectError(
        result,
        /^log in: credentials for 127\.0\.0\.1:\d+ were rejected \(401; they came from the username and password given\); check ~\/\.docker\/config\.json or --username\/--password-stdin$/,
        401,
      );
    });

    it('right explicit credentials: pushed and pulled back', async () => {
      const c = capture();
      const pushed = await c.run(pushWasm(file, { image: image(), credentials: { username: user, password }, onProgress: c.onProgress }));
      assert.ok(!(pushed instanceof RegistryError), String(pushed));
      assert.ok(
        c.lines.some((l) =>
          /authenticating to 127\.0\.0\.1:\d+ as alice \(Basic, credentials from the username and password given\)/.test(l),
        ),
        c.lines.join('\n'),
      );
      const pulled = await c.run(pullManifest(image(), { credentials: { username: user, password } }));
      assert.ok(!(pulled instanceof RegistryError) && pulled.digest === pushed.digest);
      // Pulling is protected too.
      await expectError(await c.run(pullManifest(image(), { dockerConfig: noConfig() })), /needs credentials/, 401);
    });

    it('docker config.json: base64 auth, username/password, DOCKER_CONFIG, and a wrong entry', async () => {
      const withAuth = await dockerConfig('auth', { auths: { [`http://${registry.host}/v2/`]: { auth: basicB64 } } });
      const c = capture();
      const a = await c.run(pushWasm(file, { image: image(), dockerConfig: join(withAuth, 'config.json'), onProgress: c.onProgress }));
      assert.ok(!(a instanceof RegistryError), String(a));
      assert.ok(
        c.lines.some((l) => l.includes(`credentials from auths in ${join(withAuth, 'config.json')}`)),
        c.lines.join('\n'),
      );

      const withFields = await dockerConfig('fields', { auths: { [registry.host]: { username: user, password } } });
      const b = await c.run(
        pushWasm(file, { image: image(), env: { DOCKER_CONFIG: withFields, PATH: process.env.PATH }, onProgress: c.onProgress }),
      );
      assert.ok(!(b instanceof RegistryError), String(b));

      const wrong = await dockerConfig('wrong', { auths: { [registry.host]: { auth: wrongB64 } } });
      const w = await c.run(
        pushWasm(file, { image: image(), env: { DOCKER_CONFIG: wrong, PATH: process.env.PATH }, onProgress: c.onProgress }),
      );
      await expectError(
        w,
        new RegExp(
          `^log in: credentials for 127\\.0\\.0\\.1:\\d+ were rejected \\(401; they came from auths in ${join(wrong, 'config.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)`,
        ),
        401,
      );

      const broken = join(scratch, 'broken.json');
      await writeFile(broken, `{"auths": {"${registry.host}": {"auth": "${basicB64}"`);
      const x = await c.run(pushWasm(file, { image: image(), dockerConfig: broken }));
      const error = await expectError(x, /^credentials: .*broken\.json is not valid JSON; fix it or pass --username\/--password-stdin$/);
      assert.equal(error.step, 'credentials');
    });

    it('credHelpers and credsStore: a fake docker-credential helper on PATH', async () => {
      const helperDir = await fakeHelper('fake', registry.host, password);
      const env = { PATH: `${helperDir}:${process.env.PATH}`, HOME: scratch };
      const c = capture();

      const helpers = await dockerConfig('helpers', { credHelpers: { [registry.host]: 'fake' } });
      const a = await c.run(pushWasm(file, { image: image(), dockerConfig: join(helpers, 'config.json'), env, onProgress: c.onProgress }));
      assert.ok(!(a instanceof RegistryError), String(a));
      assert.ok(
        c.lines.some((l) => l.includes('credential helper docker-credential-fake (credHelpers in')),
        c.lines.join('\n'),
      );

      const store = await dockerConfig('store', { credsStore: 'fake', auths: { [registry.host]: {} } });
      const b = await c.run(pushWasm(file, { image: image(), dockerConfig: join(store, 'config.json'), env, onProgress: c.onProgress }));
      assert.ok(!(b instanceof RegistryError), String(b));

      // A helper that does not know the registry: no credentials, so the registry's 401 explains.
      const otherHelper = await fakeHelper('other', 'registry.example:5000', password);
      const unknown = await dockerConfig('unknown', { credsStore: 'other' });
      const u = await c.run(
        pushWasm(file, { image: image(), dockerConfig: join(unknown, 'config.json'), env: { PATH: `${otherHelper}:${process.env.PATH}` } }),
      );
      await expectError(u, /needs credentials .* none were found/, 401);

      // A helper that is not installed.
      const missing = await dockerConfig('missing', { credHelpers: { [registry.host]: 'not-installed' } });
      const m = await c.run(pushWasm(file, { image: image(), dockerConfig: join(missing, 'config.json'), env }));
      const error = await expectError(
        m,
        /^credentials: docker-credential-not-installed is not on PATH \(credential helper docker-credential-not-installed \(credHelpers in .*\)\); install it or remove it from the docker config$/,
      );
      assert.equal(error.step, 'credentials');

      // A helper handing out a wrong password.
      const wrongHelper = await fakeHelper('wrong', registry.host, wrongPassword);
      const wrongConfig = await dockerConfig('wrong-helper', { credHelpers: { [registry.host]: 'wrong' } });
      const w = await c.run(
        pushWasm(file, {
          image: image(),
          dockerConfig: join(wrongConfig, 'config.json'),
          env: { PATH: `${wrongHelper}:${process.env.PATH}` },
        }),
      );
      await expectError(w, /were rejected \(401; they came from credential helper docker-credential-wrong/, 401);
    });
  });

  describe('Bearer (token server)', () => {
    let registry: TestRegistry;
    before(async () => {
      registry = await startRegistry({
        auth: {
          kind: 'token',
          users: { [user]: password, reader: password },
          identityTokens: { [identityToken]: user },
          readOnlyUsers: ['reader'],
        },
      });
    });
    after(async () => {
      await registry?.stop();
    });
    const image = () => `${registry.host}/tokens/app:v1`;
    const noConfig = () => join(scratch, 'nowhere', 'config.json');

    it('without credentials: an anonymous token is not enough to push', async () => {
      const c = capture();
      const result = await c.run(pushWasm(file, { image: image(), dockerConfig: noConfig(), onProgress: c.onProgress }));
      await expectError(
        result,
        /^log in: 127\.0\.0\.1:\d+ needs credentials for checking whether blob sha256:[a-f0-9]{12}… is already in tokens\/app \(HEAD\) and none were found/,
        401,
      );
      assert.ok(
        c.lines.some((l) => /authenticating to 127\.0\.0\.1:\d+ anonymously \(token from 127\.0\.0\.1:\d+\)/.test(l)),
        c.lines.join('\n'),
      );
    });

    it('wrong credentials: the token server refuses them', async () => {
      const c = capture();
      const result = await c.run(
        pushWasm(file, { image: image(), credentials: { username: user, password: wrongPassword }, onProgress: c.onProgress }),
      );
      const error = await expectError(
        result,
        /^log in: credentials for 127\.0\.0\.1:\d+ were rejected \(401; they came from the username and password given\)/,
        401,
      );
      assert.equal(error.step, 'auth');
    });

    it('right credentials: a token per scope, pushed and pulled back', async () => {
      const c = capture();
      const pushed = await c.run(
        pushWasm(file, { image: image(), form: 'spin', credentials: { username: user, password }, onProgress: c.onProgress }),
      );
      assert.ok(!(pushed instanceof RegistryError), String(pushed));
      assert.ok(
        c.lines.some((l) =>
          /authenticating to 127\.0\.0\.1:\d+ as alice \(token from 127\.0\.0\.1:\d+ for repository:tokens\/app:pull,push, credentials from the username and password given\)/.test(
            l,
          ),
        ),
        c.lines.join('\n'),
      );
      const pulled = await c.run(pullManifest(image(), { credentials: { username: user, password } }));
      assert.ok(!(pulled instanceof RegistryError) && pulled.digest === pushed.digest);
    });

    it('credentials that may pull but not push: accepted, but the scope is named as missing', async () => {
      const c = capture();
      const result = await c.run(
        pushWasm(file, {
          image: `${registry.host}/tokens/read-only:v1`,
          credentials: { username: 'reader', password },
          onProgress: c.onProgress,
        }),
      );
      await expectError(
        result,
        /^starting the upload of blob sha256:[a-f0-9]{12}… \(POST \/v2\/tokens\/read-only\/blobs\/uploads\/\): the credentials for 127\.0\.0\.1:\d+ \(from the username and password given\) were accepted but do not allow repository:tokens\/read-only:pull,push; ask for push access/,
        401,
      );
    });

    it('an identity token from config.json is exchanged for an access token', async () => {
      const config = await dockerConfig('identity', { auths: { [registry.host]: { identitytoken: identityToken } } });
      const c = capture();
      const pushed = await c.run(pushWasm(file, { image: image(), dockerConfig: join(config, 'config.json'), onProgress: c.onProgress }));
      assert.ok(!(pushed instanceof RegistryError), String(pushed));
    });

    it('an explicit registry token is sent as a bearer token; a bad one is rejected', async () => {
      const realm = await fetch(`${registry.url}/v2/`).then((r) => r.headers.get('www-authenticate') ?? '');
      const tokenUrl = /realm="([^"]+)"/.exec(realm)![1]!;
      const issued = await fetch(`${tokenUrl}?service=wasm-workbench-test&scope=repository:tokens/direct:pull,push`, {
        headers: { Authorization: `Basic ${basicB64}` },
      }).then((r) => r.json() as Promise<{ token: string }>);
      const c = capture();
      const pushed = await c.run(
        pushWasm(file, { image: `${registry.host}/tokens/direct:v1`, credentials: { token: issued.token }, onProgress: c.onProgress }),
      );
      assert.ok(!(pushed instanceof RegistryError), String(pushed));
      const bad = await c.run(
        pushWasm(file, { image: `${registry.host}/tokens/direct:v1`, credentials: { token: 'not-a-real-token-0000' } }),
      );
      await expectError(bad, /^log in: credentials for 127\.0\.0\.1:\d+ were rejected \(401; they came from the token given\)/, 401);
    });

    it('no password, base64 auth, identity token or issued token appears in any message of any run', () => {
      assert.ok(everything.length > 20, `too little output captured to judge (${everything.length} lines)`);
      assert.ok(registry.issuedTokens.length > 3);
      assertNoSecrets(everything, [password, wrongPassword, basicB64, wrongB64, identityToken, ...registry.issuedTokens]);
    });
  });

  it('explicit credentials need both parts', async () => {
    const options: PushOptions = { image: '127.0.0.1:9/app:v1', credentials: { username: user } };
    await assert.rejects(pushWasm(file, options), /credentials: give both a username and a password/);
  });
});
