/**
 * Pushing to a real registry (Debian's docker-registry, distribution 2.8, on 127.0.0.1): every form for a module
 * and a component, pulled back and checked byte for byte; re-pushes; a missing repository; broken uploads.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import {
  mediaTypes,
  pullBlob,
  pullManifest,
  pushWasm,
  RegistryError,
  sha256Digest,
  wasmForms,
  type ProgressEvent,
  type WasmForm,
} from '../../../src/core/oci';
import { fixturePath } from '../../fixtures';
import { freePort, startBreakingProxy, startRegistry, type TestRegistry } from '../../support/registry';

const expectedLayerTypes: Record<WasmForm, { module: string[]; component: string[] }> = {
  artifact: { module: [mediaTypes.wasm], component: [mediaTypes.wasm] },
  runwasi: { module: [mediaTypes.runwasiComponentLayer], component: [mediaTypes.runwasiComponentLayer] },
  image: { module: [mediaTypes.ociLayerTarGzip], component: [mediaTypes.ociLayerTarGzip] },
  spin: {
    module: [mediaTypes.spinWasmLayer, mediaTypes.spinApplication],
    component: [mediaTypes.spinWasmLayer, mediaTypes.spinApplication],
  },
};

/** The one regular file in a ustar archive, read by hand (the header layout, not our writer, decides). */
function untarSingle(archive: Uint8Array): { name: string; bytes: Uint8Array; mode: number; mtime: number } {
  const text = (from: number, length: number) => new TextDecoder().decode(archive.subarray(from, from + length)).replace(/\0.*$/s, '');
  const size = parseInt(text(124, 12).trim(), 8);
  assert.equal(text(257, 6), 'ustar');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : archive[i]!;
  assert.equal(parseInt(text(148, 8).trim(), 8), sum, 'tar header checksum');
  assert.equal(archive.length % 512, 0);
  return {
    name: text(0, 100),
    bytes: archive.subarray(512, 512 + size),
    mode: parseInt(text(100, 8), 8),
    mtime: parseInt(text(136, 12), 8),
  };
}

describe('push to a real registry', () => {
  let registry: TestRegistry;
  const files = { module: '', component: '' };

  before(async () => {
    registry = await startRegistry();
    files.module = await fixturePath('preview1-command');
    files.component = await fixturePath('component-command');
  });
  after(async () => {
    await registry?.stop();
  });

  for (const form of wasmForms) {
    for (const kind of ['module', 'component'] as const) {
      it(`${form} form of a ${kind}: pushed, pulled back, digests and bytes match`, async () => {
        const wasm = new Uint8Array(await readFile(files[kind]));
        const events: ProgressEvent[] = [];
        const image = `${registry.host}/forms/${form}-${kind}:v1`;
        const result = await pushWasm(files[kind], { image, form, onProgress: (e) => events.push(e) });

        assert.match(result.reference, new RegExp(`^${registry.host.replace(/\./g, '\\.')}/forms/${form}-${kind}@sha256:[a-f0-9]{64}$`));
        assert.equal(result.kind, kind);
        assert.equal(result.os, kind === 'component' ? 'wasip2' : 'wasip1');
        assert.equal(result.mediaType, mediaTypes.ociManifest);
        assert.ok(events.some((e) => e.kind === 'upload') && events.some((e) => e.kind === 'manifest'));

        // By tag and by digest, the registry hands back the manifest we pushed.
        const byTag = await pullManifest(image);
        const byDigest = await pullManifest(result.reference);
        assert.equal(byTag.digest, result.digest);
        assert.equal(byDigest.digest, result.digest);
        assert.equal(sha256Digest(byTag.bytes), result.digest);
        assert.equal(byTag.bytes.length, result.size);
        assert.equal(byTag.mediaType, mediaTypes.ociManifest);
        const manifest = byTag.manifest;
        assert.equal(manifest.schemaVersion, 2);
        assert.deepEqual(
          manifest.layers.map((l) => l.mediaType),
          expectedLayerTypes[form][kind],
        );

        // Every blob comes back with the digest and size its descriptor names.
        const config = await pullBlob(image, manifest.config.digest);
        assert.equal(config.length, manifest.config.size);
        const configJson = JSON.parse(new TextDecoder().decode(config));
        const layers = [];
        for (const layer of manifest.layers) {
          const bytes = await pullBlob(image, layer.digest);
          assert.equal(sha256Digest(bytes), layer.digest);
          assert.equal(bytes.length, layer.size);
          layers.push(bytes);
        }

        assert.equal(configJson.architecture, 'wasm');
        assert.equal(configJson.created, '1970-01-01T00:00:00Z');
        switch (form) {
          case 'artifact':
            assert.equal(manifest.config.mediaType, mediaTypes.wasmConfig);
            assert.deepEqual(layers[0], wasm);
            assert.equal(configJson.os, kind === 'component' ? 'wasip2' : 'wasip1');
            assert.deepEqual(configJson.layerDigests, [manifest.layers[0]!.digest]);
            if (kind === 'component') {
              assert.ok(
                configJson.component.exports.some((e: string) => /^wasi:cli\/run@0\.2\.\d+$/.test(e)),
                JSON.stringify(configJson.component),
              );
              assert.ok(configJson.component.imports.some((e: string) => e.startsWith('wasi:cli/environment@')));
            } else {
              assert.equal(configJson.component, undefined);
            }
            break;
          case 'runwasi':
            assert.equal(manifest.config.mediaType, mediaTypes.ociConfig);
            assert.deepEqual(layers[0], wasm);
            assert.equal(configJson.os, kind === 'component' ? 'wasip2' : 'wasip1', "as runwasi's own builder writes it");
            assert.deepEqual(configJson.rootfs, { type: 'layers', diff_ids: [] });
            assert.equal(configJson.config.Labels['wasm-workbench.wasm-digest'], manifest.layers[0]!.digest);
            break;
          case 'image': {
            assert.equal(manifest.config.mediaType, mediaTypes.ociConfig);
            const archive = new Uint8Array(gunzipSync(layers[0]!));
            const entry = untarSingle(archive);
            assert.equal(entry.name, 'app.wasm');
            assert.deepEqual(entry.bytes, wasm);
            assert.equal(entry.mtime, 0);
            assert.equal(configJson.os, kind === 'component' ? 'wasip2' : 'wasip1');
            assert.deepEqual(configJson.config.Entrypoint, ['/app.wasm']);
            assert.deepEqual(configJson.rootfs, { type: 'layers', diff_ids: [sha256Digest(archive)] });
            // GNU tar reads the layer too, and finds the same bytes.
            const scratch = await mkdtemp(join(tmpdir(), 'wasm-workbench-untar-'));
            try {
              await writeFile(join(scratch, 'layer.tgz'), layers[0]!);
              execFileSync('tar', ['-xzf', 'layer.tgz'], { cwd: scratch });
              assert.deepEqual(new Uint8Array(await readFile(join(scratch, 'app.wasm'))), wasm);
            } finally {
              await rm(scratch, { recursive: true, force: true });
            }
            break;
          }
          case 'spin': {
            assert.equal(manifest.config.mediaType, mediaTypes.ociConfig);
            assert.deepEqual(layers[0], wasm);
            const app = JSON.parse(new TextDecoder().decode(layers[1]));
            assert.equal(configJson.config.Labels['com.fermyon.spin.lockedAppDigest'], manifest.layers[1]!.digest);
            assert.equal(app.spin_lock_version, 0);
            const name = `spin-${kind}`;
            assert.deepEqual(app.components, [
              { id: name, source: { content_type: 'application/wasm', digest: manifest.layers[0]!.digest } },
            ]);
            assert.equal(app.triggers.length, 1);
            assert.equal(app.triggers[0].trigger_type, 'http');
            assert.equal(app.triggers[0].trigger_config.route, '/...');
            assert.equal(app.triggers[0].trigger_config.component, name);
            // A preview1 command is a WAGI module for Spin; a component runs on the default executor.
            assert.deepEqual(app.triggers[0].trigger_config.executor, kind === 'module' ? { type: 'wagi' } : undefined);
            break;
          }
        }
      });
    }
  }

  it('a re-push gives the same digest and uploads nothing', async () => {
    const image = `${registry.host}/again/app:1.0`;
    const first = await pushWasm(files.component, { image, form: 'image' });
    assert.equal(first.uploaded.length, 2);
    const events: ProgressEvent[] = [];
    const second = await pushWasm(files.component, { image, form: 'image', onProgress: (e) => events.push(e) });
    assert.equal(second.digest, first.digest);
    assert.equal(second.reference, first.reference);
    assert.deepEqual(second.uploaded, []);
    assert.equal(second.skipped.length, 2);
    assert.equal(events.filter((e) => e.kind === 'upload').length, 0);
    assert.equal(events.filter((e) => e.kind === 'blob-exists').length, 2);
    // The same binary under another tag of the same repository: same manifest digest.
    const third = await pushWasm(files.component, { image: `${registry.host}/again/app:latest`, form: 'image' });
    assert.equal(third.digest, first.digest);
    // A push by digest works when the digest is the one the manifest has.
    const byDigest = await pushWasm(files.component, { image: first.reference, form: 'image' });
    assert.equal(byDigest.digest, first.digest);
    assert.equal(byDigest.tag, undefined);
  });

  it('SOURCE_DATE_EPOCH-style created times change the config, and stay reproducible', async () => {
    const created = new Date(1_700_000_000_000);
    const a = await pushWasm(files.module, { image: `${registry.host}/dated/app:a`, form: 'artifact', created });
    const b = await pushWasm(files.module, { image: `${registry.host}/dated/app:b`, form: 'artifact', created });
    const epoch = await pushWasm(files.module, { image: `${registry.host}/dated/app:c`, form: 'artifact' });
    assert.equal(a.digest, b.digest);
    assert.notEqual(a.digest, epoch.digest);
    const config = JSON.parse(
      new TextDecoder().decode(await pullBlob(`${registry.host}/dated/app`, (await pullManifest(a.reference)).manifest.config.digest)),
    );
    assert.equal(config.created, '2023-11-14T22:13:20Z');
  });

  it('a missing repository or tag is a 404 that says so', async () => {
    await assert.rejects(pullManifest(`${registry.host}/no/such-repository:v1`), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 404);
      assert.equal(error.step, 'manifest pull');
      assert.match(
        error.message,
        /^reading the manifest no\/such-repository:v1 \(GET\): not found: repository no\/such-repository does not exist on 127\.0\.0\.1:\d+ \(404\); check the name, or push to it first$/,
      );
      return true;
    });
    await pushWasm(files.module, { image: `${registry.host}/exists/app:v1` });
    await assert.rejects(pullManifest(`${registry.host}/exists/app:v2`), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.status, 404);
      assert.match(error.message, /not found: tag v2 does not exist in repository exists\/app on 127\.0\.0\.1:\d+ \(404\); its tags: v1$/);
      return true;
    });
    await assert.rejects(
      pullBlob(`${registry.host}/exists/app`, `sha256:${'0'.repeat(64)}`),
      (error: unknown) => error instanceof RegistryError && error.status === 404 && error.step === 'blob pull',
    );
  });

  it('a digest that is not the manifest’s own is refused before anything is sent', async () => {
    await assert.rejects(
      pushWasm(files.module, { image: `${registry.host}/x/app@sha256:${'1'.repeat(64)}` }),
      /manifest for this binary has digest sha256:[a-f0-9]{64}, not sha256:1{64}/,
    );
  });

  it('capitals in the repository are refused with a clear error, not a bare 404', async () => {
    await assert.rejects(
      pushWasm(files.module, { image: `${registry.host}/Acme/App:v1` }),
      /repository names must be lowercase \("Acme" → "acme"\)/,
    );
  });

  it('a connection cut in the middle of the blob PUT gives an error naming the upload step', async () => {
    const proxy = await startBreakingProxy(registry.host, 'cut');
    try {
      await assert.rejects(pushWasm(files.component, { image: `${proxy.host}/broken/cut:v1`, timeoutMs: 10_000 }), (error: unknown) => {
        assert.ok(error instanceof RegistryError, String(error));
        assert.equal(error.step, 'upload');
        assert.match(
          error.message,
          /^uploading blob sha256:[a-f0-9]{12}… \([\d.]+ KiB, PUT to the upload session\): the connection to 127\.0\.0\.1:\d+ broke \(.+\); the blob was not stored, run the push again$/,
        );
        return true;
      });
      assert.equal(proxy.broken, 1);
    } finally {
      await proxy.stop();
    }
  });

  it('a registry that answers 500 to the blob PUT gives an error naming the upload step and the registry’s words', async () => {
    const proxy = await startBreakingProxy(registry.host, '500');
    try {
      await assert.rejects(pushWasm(files.module, { image: `${proxy.host}/broken/five-hundred:v1` }), (error: unknown) => {
        assert.ok(error instanceof RegistryError, String(error));
        assert.equal(error.step, 'upload');
        assert.equal(error.status, 500);
        assert.match(
          error.message,
          /^uploading blob sha256:.*: 127\.0\.0\.1:\d+ failed with 500 Internal Server Error \(UNKNOWN: storage backend unavailable\); the registry has a problem/,
        );
        return true;
      });
    } finally {
      await proxy.stop();
    }
  });

  it('a registry that is not there: connection refused, with the address', async () => {
    const port = await freePort();
    await assert.rejects(pushWasm(files.module, { image: `127.0.0.1:${port}/app:v1` }), (error: unknown) => {
      assert.ok(error instanceof RegistryError);
      assert.equal(error.step, 'ping');
      assert.match(
        error.message,
        new RegExp(
          `cannot connect to 127\\.0\\.0\\.1:${port} \\(connection refused\\); is the registry running at http://127\\.0\\.0\\.1:${port}\\?`,
        ),
      );
      return true;
    });
  });

  it('a registry that does not answer in time: the timeout names the step', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await assert.rejects(
        pushWasm(files.module, { image: `127.0.0.1:${port}/app:v1`, timeoutMs: 300 }),
        /: checking 127\.0\.0\.1:\d+ \(GET \/v2\/\): 127\.0\.0\.1:\d+ did not answer within 0\.3 s/,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
