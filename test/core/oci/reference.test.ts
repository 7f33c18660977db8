/** Pieces of the OCI client that need no registry: references, the plain-http policy, challenges, tar, forms. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parseChallenges } from '../../../src/core/oci/challenge';
import { Redactor } from '../../../src/core/oci/errors';
import {
  buildArtifact,
  checkUrlAllowed,
  formatReference,
  gzip,
  isLoopbackHost,
  mediaTypes,
  OciInputError,
  parseReference,
  pushWasm,
  registryBaseUrl,
  sha256Digest,
  tar,
  type WasmFacts,
} from '../../../src/core/oci';
import { spinName } from '../../../src/core/oci/forms';

describe('image references', () => {
  it('registry, repository, tag and digest', () => {
    assert.deepEqual(parseReference('127.0.0.1:5000/app'), {
      registry: '127.0.0.1:5000',
      apiHost: '127.0.0.1:5000',
      repository: 'app',
      tag: 'latest',
    });
    assert.deepEqual(parseReference('ghcr.io/acme/tools/app:1.0.3'), {
      registry: 'ghcr.io',
      apiHost: 'ghcr.io',
      repository: 'acme/tools/app',
      tag: '1.0.3',
    });
    assert.deepEqual(parseReference('localhost/app:v1'), { registry: 'localhost', apiHost: 'localhost', repository: 'app', tag: 'v1' });
    assert.deepEqual(parseReference('[::1]:5000/a_b.c-d/e__f:x'), {
      registry: '[::1]:5000',
      apiHost: '[::1]:5000',
      repository: 'a_b.c-d/e__f',
      tag: 'x',
    });
    const digest = `sha256:${'ab'.repeat(32)}`;
    assert.deepEqual(parseReference(`reg.example:443/app@${digest}`), {
      registry: 'reg.example:443',
      apiHost: 'reg.example:443',
      repository: 'app',
      digest,
    });
    assert.deepEqual(parseReference(`reg.example/app:v2@${digest}`), {
      registry: 'reg.example',
      apiHost: 'reg.example',
      repository: 'app',
      tag: 'v2',
      digest,
    });
    assert.equal(formatReference(parseReference(`reg.example/app:v2@${digest}`)), `reg.example/app:v2@${digest}`);
  });

  it('Docker Hub defaults: docker.io, library/, registry-1.docker.io for the API', () => {
    assert.deepEqual(parseReference('hello'), {
      registry: 'docker.io',
      apiHost: 'registry-1.docker.io',
      repository: 'library/hello',
      tag: 'latest',
    });
    assert.deepEqual(parseReference('acme/app:2'), {
      registry: 'docker.io',
      apiHost: 'registry-1.docker.io',
      repository: 'acme/app',
      tag: '2',
    });
    assert.deepEqual(parseReference('index.docker.io/busybox'), {
      registry: 'docker.io',
      apiHost: 'registry-1.docker.io',
      repository: 'library/busybox',
      tag: 'latest',
    });
    assert.deepEqual(parseReference('docker.io/acme/app'), {
      registry: 'docker.io',
      apiHost: 'registry-1.docker.io',
      repository: 'acme/app',
      tag: 'latest',
    });
  });

  it('capitals in the repository: a clear error that names the lowercase form', () => {
    assert.throws(
      () => parseReference('127.0.0.1:5000/MyApp:v1'),
      (e: unknown) =>
        e instanceof OciInputError &&
        /repository names must be lowercase \("MyApp" → "myapp"\); registries answer capitals with 404/.test(e.message),
    );
    assert.throws(() => parseReference('ghcr.io/Acme/app'), /"Acme" → "acme"/);
    // Capitals in the tag and the registry host are fine.
    assert.equal(parseReference('Registry.Example:5000/app:V1').tag, 'V1');
  });

  it('malformed references say what is wrong and show the expected shape', () => {
    const cases: [string, RegExp][] = [
      ['', /it is empty/],
      ['https://ghcr.io/acme/app', /leave out the scheme/],
      ['ghcr.io/acme/app@sha256:abc', /is not a sha256 digest/],
      ['ghcr.io/acme/app:-bad', /is not a valid tag/],
      ['ghcr.io/acme//app', /empty path component/],
      ['ghcr.io/acme/app!', /is not a valid repository component/],
      ['ghcr.io/', /repository name is missing/],
      ['bad_host:5000/app', /is not a registry host/],
    ];
    for (const [text, why] of cases) {
      assert.throws(
        () => parseReference(text),
        (e: unknown) => e instanceof OciInputError && why.test(e.message) && /expected REGISTRY\/REPOSITORY\[:TAG\]/.test(e.message),
        text,
      );
    }
  });
});

describe('plain http policy', () => {
  it('loopback hosts', () => {
    for (const host of ['localhost', 'localhost:5000', '127.0.0.1', '127.8.9.10:80', '[::1]:5000', 'registry.localhost:5000'])
      assert.ok(isLoopbackHost(host), host);
    for (const host of ['10.0.0.1', '192.168.1.2:5000', 'ghcr.io', '127.0.0.1.example.com', '[::2]:5000', '0.0.0.0'])
      assert.ok(!isLoopbackHost(host), host);
  });

  it('registries are reached over https unless on loopback or insecure', () => {
    assert.equal(registryBaseUrl('ghcr.io'), 'https://ghcr.io');
    assert.equal(registryBaseUrl('registry.internal:5000'), 'https://registry.internal:5000');
    assert.equal(registryBaseUrl('127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(registryBaseUrl('localhost:5000'), 'http://localhost:5000');
    assert.equal(registryBaseUrl('registry.internal:5000', true), 'http://registry.internal:5000');
  });

  it('a plain-http URL to a host that is not loopback is refused without insecure (realms, upload locations, redirects)', () => {
    assert.throws(
      () => checkUrlAllowed('http://registry.internal:5000/v2/', false, 'checking registry.internal:5000'),
      (e: unknown) => {
        assert.ok(e instanceof OciInputError);
        assert.match(
          e.message,
          /^checking registry\.internal:5000: refusing plain http to registry\.internal:5000 \(not a loopback address\); registries are reached over https\. If this registry really serves plain http on a trusted network, pass --insecure/,
        );
        return true;
      },
    );
    assert.throws(
      () => checkUrlAllowed('http://auth.example.com/token', false, 'getting a token'),
      /refusing plain http to auth\.example\.com/,
    );
    assert.throws(() => checkUrlAllowed('ftp://127.0.0.1/x', true, 'x'), /refusing ftp: URL/);
    assert.equal(checkUrlAllowed('http://auth.example.com/token', true, 'x').host, 'auth.example.com');
    assert.equal(checkUrlAllowed('https://auth.example.com/token', false, 'x').protocol, 'https:');
    assert.equal(checkUrlAllowed('http://127.0.0.1:5000/v2/', false, 'x').port, '5000');
  });

  it('a push to a non-loopback plain-http registry never leaves the machine without insecure', async () => {
    // registryBaseUrl picks https for it; an http:// realm or Location is what the policy stops. The reference
    // itself cannot carry a scheme:
    await assert.rejects(
      pushWasm(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), { image: 'http://registry.internal:5000/app' }),
      /leave out the scheme/,
    );
  });
});

describe('WWW-Authenticate challenges', () => {
  it('Bearer with quoted parameters (commas inside quotes too), Basic, and several in one header', () => {
    assert.deepEqual(
      parseChallenges(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      ),
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' },
        },
      ],
    );
    assert.deepEqual(parseChallenges('Basic realm="Registry Realm"'), [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    assert.deepEqual(parseChallenges('Basic realm="a", Bearer realm="https://x/token", service=x'), [
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'https://x/token', service: 'x' } },
    ]);
    assert.deepEqual(parseChallenges('bearer realm="q\\"uote"'), [{ scheme: 'bearer', params: { realm: 'q"uote' } }]);
    assert.deepEqual(parseChallenges(null), []);
    assert.deepEqual(parseChallenges(''), []);
  });
});

describe('redaction', () => {
  it('removes every registered secret, longest first, and ignores tiny strings', () => {
    const r = new Redactor();
    r.add('hunter2-secret');
    r.add('hunter2');
    r.add('ab');
    assert.equal(r.redact('pw hunter2-secret and hunter2, ab'), 'pw *** and ***, ab');
  });
});

describe('tar+gzip layer', () => {
  it('is a valid ustar archive and byte-for-byte reproducible', () => {
    const bytes = new TextEncoder().encode('\0asm\x01\0\0\0'.repeat(100));
    const a = tar([{ name: 'app.wasm', bytes, mtime: 0 }]);
    const b = tar([{ name: 'app.wasm', bytes, mtime: 0 }]);
    assert.deepEqual(a, b);
    assert.equal(a.length, 512 + 1024 + 1024); // header, 800 bytes padded to 1024, two end blocks
    assert.equal(new TextDecoder().decode(a.subarray(257, 262)), 'ustar');
    assert.deepEqual(a.subarray(512, 512 + bytes.length), bytes);
    const gz = gzip(a);
    assert.deepEqual(gzip(a), gz);
    assert.equal(gz[9], 255, 'gzip OS byte fixed');
    assert.deepEqual(gz.subarray(4, 8), new Uint8Array(4), 'gzip mtime is zero');
    assert.deepEqual(new Uint8Array(gunzipSync(gz)), a);
    assert.throws(() => tar([{ name: 'x'.repeat(101), bytes, mtime: 0 }]), /1 to 100 bytes/);
  });
});

describe('forms', () => {
  const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  const module: WasmFacts = { kind: 'module', os: 'wasip1', imports: [], exports: [], command: true };
  const component: WasmFacts = {
    kind: 'component',
    os: 'wasip2',
    imports: ['wasi:cli/environment@0.2.0'],
    exports: ['wasi:cli/run@0.2.0'],
    command: false,
  };
  const options = { created: new Date(0), repository: 'acme/hello-app' };

  it('media types per form', () => {
    const types = (facts: WasmFacts, form: Parameters<typeof buildArtifact>[0]) => {
      const built = buildArtifact(form, wasm, facts, options);
      return [built.config.mediaType, ...built.layers.map((l) => l.mediaType)];
    };
    assert.deepEqual(types(module, 'artifact'), ['application/vnd.wasm.config.v0+json', 'application/wasm']);
    assert.deepEqual(types(component, 'artifact'), ['application/vnd.wasm.config.v0+json', 'application/wasm']);
    assert.deepEqual(types(module, 'runwasi'), [
      'application/vnd.oci.image.config.v1+json',
      'application/vnd.bytecodealliance.wasm.component.layer.v0+wasm',
    ]);
    assert.deepEqual(types(component, 'runwasi'), [
      'application/vnd.oci.image.config.v1+json',
      'application/vnd.bytecodealliance.wasm.component.layer.v0+wasm',
    ]);
    assert.deepEqual(types(module, 'image'), ['application/vnd.oci.image.config.v1+json', 'application/vnd.oci.image.layer.v1.tar+gzip']);
    assert.deepEqual(types(component, 'spin'), [
      'application/vnd.oci.image.config.v1+json',
      'application/vnd.wasm.content.layer.v1+wasm',
      'application/vnd.fermyon.spin.application.v1+config',
    ]);
  });

  it('the manifest is an OCI image manifest naming its blobs, and the same input gives the same digest', () => {
    for (const form of ['artifact', 'runwasi', 'image', 'spin'] as const) {
      const built = buildArtifact(form, wasm, component, options);
      const manifest = JSON.parse(new TextDecoder().decode(built.manifest));
      assert.equal(manifest.schemaVersion, 2);
      assert.equal(manifest.mediaType, mediaTypes.ociManifest);
      assert.deepEqual(manifest.config, {
        mediaType: built.config.mediaType,
        digest: sha256Digest(built.config.bytes),
        size: built.config.size,
      });
      assert.deepEqual(
        manifest.layers,
        built.layers.map((l) => ({ mediaType: l.mediaType, digest: sha256Digest(l.bytes), size: l.bytes.length })),
      );
      assert.deepEqual(buildArtifact(form, wasm, component, options).manifest, built.manifest, form);
    }
  });

  it('the artifact config follows the CNCF Wasm OCI artifact fields', () => {
    const built = buildArtifact('artifact', wasm, component, options);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(built.config.bytes)), {
      created: '1970-01-01T00:00:00Z',
      architecture: 'wasm',
      os: 'wasip2',
      layerDigests: [sha256Digest(wasm)],
      component: { imports: ['wasi:cli/environment@0.2.0'], exports: ['wasi:cli/run@0.2.0'] },
    });
  });

  it('Spin names are kebab-case ids', () => {
    assert.equal(spinName('acme/hello-app'), 'hello-app');
    assert.equal(spinName('acme/Hello_World.v2'), 'hello-world-v2');
    assert.equal(spinName('acme/2fast'), 'app');
    assert.equal(spinName('acme/a--b'), 'a-b');
  });
});
