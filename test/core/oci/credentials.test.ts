/** Reading docker's config.json the way docker does, without a registry. */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redactor } from '../../../src/core/oci/errors';
import { dockerConfigPath, OciInputError, resolveCredentials } from '../../../src/core/oci';

describe('docker config credentials', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasm-workbench-creds-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function config(name: string, value: unknown): Promise<string> {
    const path = join(dir, name, 'config.json');
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(path, JSON.stringify(value));
    return path;
  }

  it('where the config is: the given path, else $DOCKER_CONFIG, else ~/.docker', () => {
    assert.equal(dockerConfigPath({ dockerConfig: '/x/c.json', env: { DOCKER_CONFIG: '/y' } }), '/x/c.json');
    assert.equal(dockerConfigPath({ env: { DOCKER_CONFIG: '/y', HOME: '/home/u' } }), '/y/config.json');
    assert.equal(dockerConfigPath({ env: { HOME: '/home/u' } }), '/home/u/.docker/config.json');
  });

  it('auths keys match with or without scheme and path; Docker Hub under its historical keys', async () => {
    const auth = Buffer.from('bob:pw-one-two').toString('base64');
    const path = await config('keys', {
      auths: {
        'https://index.docker.io/v1/': { auth },
        'http://reg.example:5000/v2/': { username: 'carol', password: 'pw-three' },
        'ghcr.io': { identitytoken: 'refresh-abc' },
        'quay.io': { registrytoken: 'registry-token-xyz' },
        'empty.example': {},
      },
    });
    const resolve = (registry: string) => resolveCredentials(registry, { dockerConfig: path }, new Redactor());
    assert.deepEqual(await resolve('docker.io'), { kind: 'basic', username: 'bob', password: 'pw-one-two', source: `auths in ${path}` });
    assert.deepEqual(await resolve('reg.example:5000'), {
      kind: 'basic',
      username: 'carol',
      password: 'pw-three',
      source: `auths in ${path}`,
    });
    assert.deepEqual(await resolve('ghcr.io'), { kind: 'identity', token: 'refresh-abc', source: `auths in ${path}` });
    assert.deepEqual(await resolve('quay.io'), { kind: 'bearer', token: 'registry-token-xyz', source: `auths in ${path}` });
    assert.equal(await resolve('empty.example'), undefined);
    assert.equal(await resolve('reg.example'), undefined, 'the port is part of the key');
    assert.equal(await resolve('other.example'), undefined);
  });

  it('registers every secret it finds with the redactor', async () => {
    const auth = Buffer.from('dave:pw-dave-1').toString('base64');
    const path = await config('redact', { auths: { 'r.example': { auth } } });
    const redactor = new Redactor();
    await resolveCredentials('r.example', { dockerConfig: path }, redactor);
    assert.equal(redactor.redact(`a ${auth} b pw-dave-1 c dave:pw-dave-1`), 'a *** b *** c ***');
  });

  it('a missing file is no credentials; a broken one says where, not what it holds', async () => {
    assert.equal(await resolveCredentials('r.example', { dockerConfig: join(dir, 'none', 'config.json') }, new Redactor()), undefined);
    const path = join(dir, 'broken.json');
    await writeFile(path, '{"auths": {"r.example": {"auth": "c2VjcmV0LXN0dWZm"');
    await assert.rejects(resolveCredentials('r.example', { dockerConfig: path }, new Redactor()), (e: unknown) => {
      assert.match((e as Error).message, /broken\.json is not valid JSON/);
      assert.doesNotMatch((e as Error).message, /c2VjcmV0/);
      return true;
    });
    const bad = await config('bad-auth', { auths: { 'r.example': { auth: Buffer.from('no-colon').toString('base64') } } });
    await assert.rejects(resolveCredentials('r.example', { dockerConfig: bad }, new Redactor()), /is not base64 of "user:password"/);
  });

  it('explicit credentials win over the config file, and need both parts', async () => {
    const path = await config('explicit', { auths: { 'r.example': { username: 'x', password: 'from-file' } } });
    assert.deepEqual(
      await resolveCredentials('r.example', { dockerConfig: path, credentials: { username: 'u', password: 'given-pw' } }, new Redactor()),
      {
        kind: 'basic',
        username: 'u',
        password: 'given-pw',
        source: 'the username and password given',
      },
    );
    assert.deepEqual(await resolveCredentials('r.example', { credentials: { token: 'tok-123' } }, new Redactor()), {
      kind: 'bearer',
      token: 'tok-123',
      source: 'the token given',
    });
    await assert.rejects(
      resolveCredentials('r.example', { credentials: { username: 'u' } }, new Redactor()),
      (e: unknown) => e instanceof OciInputError,
    );
  });

  it('a credential helper name cannot be a path', async () => {
    const path = await config('evil', { credHelpers: { 'r.example': '../../bin/sh' } });
    await assert.rejects(resolveCredentials('r.example', { dockerConfig: path }, new Redactor()), /is not a valid credential helper name/);
  });
});
