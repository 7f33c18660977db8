/**
 * The shapes a Wasm binary takes in a registry. Each form is one OCI image manifest
 * (`application/vnd.oci.image.manifest.v1+json`) with one config blob and its layers:
 *
 * | form       | config media type                          | layers                                              | read by |
 * |------------|--------------------------------------------|-----------------------------------------------------|---------|
 * | `artifact` | `application/vnd.wasm.config.v0+json`      | `application/wasm` (the binary)                      | CNCF TAG-Runtime Wasm OCI artifact: wkg, wasmtime/wash tooling |
 * | `runwasi`  | `application/vnd.oci.image.config.v1+json` | `application/vnd.bytecodealliance.wasm.component.layer.v0+wasm` (modules too) | containerd runwasi shims (wasmtime, wasmedge, wasmer), every release since components |
 * | `image`    | `application/vnd.oci.image.config.v1+json` | `application/vnd.oci.image.layer.v1.tar+gzip` holding `app.wasm` | container tooling; `docker run --platform wasi/wasm` style runtimes |
 * | `spin`     | `application/vnd.oci.image.config.v1+json` | `application/vnd.wasm.content.layer.v1+wasm` + `application/vnd.fermyon.spin.application.v1+config` | `spin up -f`, SpinKube's containerd-shim-spin |
 *
 * Configs:
 * - `artifact`: `{ created, architecture: "wasm", os: "wasip1"|"wasip2", layerDigests: [wasm digest],
 *   component?: { imports, exports } }` (component only for components: the names of the world's imports and
 *   exports, e.g. `wasi:cli/run@0.2.0`).
 * - `runwasi`: an OCI image config `{ created, architecture: "wasm", os: "wasip1"|"wasip2", config: { Entrypoint:
 *   ["/app.wasm"], Labels: { "wasm-workbench.wasm-digest": digest } }, rootfs: { type: "layers", diff_ids: [] } }`,
 *   as runwasi's own OCI builder writes it: the component layer media type even for core modules (runwasi reads
 *   Wasm layers only when the config says `architecture: wasm`; plain `application/wasm` layers are read by recent
 *   releases only, the v0.4.x shims ignore them). The entrypoint is what Kubernetes needs for a command (`args[0]`);
 *   the Wasm layer is not a tar, so there are no diff_ids, and the label keeps the config (the image ID) distinct
 *   per binary.
 * - `image`: `{ created, architecture: "wasm", os: "wasip1"|"wasip2", config: { Entrypoint: ["/app.wasm"] },
 *   rootfs: { type: "layers", diff_ids: [sha256 of the uncompressed tar] } }`.
 * - `spin`: `{ created, architecture: "wasm", os, config: { Labels: { "com.fermyon.spin.lockedAppDigest": digest
 *   of the locked-app layer } }, rootfs: { type: "layers", diff_ids: [] } }`, as `spin registry push` writes it.
 *
 * The spin locked app (the `+config` layer) is the least Spin needs to serve one HTTP component:
 * ```json
 * { "spin_lock_version": 0,
 *   "metadata": { "name": NAME, "trigger": { "type": "http" } },
 *   "triggers": [{ "id": "http-NAME", "trigger_type": "http",
 *                  "trigger_config": { "component": NAME, "route": "/..." } }],
 *   "components": [{ "id": NAME, "source": { "content_type": "application/wasm", "digest": WASM_DIGEST } }] }
 * ```
 * NAME is the repository's last component made kebab-case (else `app`). The component's source names the Wasm
 * layer by digest (Spin resolves content refs against the image's layers). A WASI preview1 command module (it
 * exports `_start`) gets `"executor": { "type": "wagi" }` in its trigger config: Spin runs such modules as WAGI
 * (CGI-style: request in environment and stdin, response on stdout); components and Spin SDK modules use the
 * default executor. WAGI suits only a module written for it (one that prints CGI headers): `push --form spin` writes
 * it when asked, but deploy never sends a command to Spin (src/core/deploy/compatibility.ts refuses it).
 *
 * Every config carries `created` (RFC 3339), fixed by the caller (SOURCE_DATE_EPOCH, else the epoch), so a
 * binary pushed twice gives the same manifest digest.
 */
import type { InspectReport } from '../inspect';
import { descriptor, jsonBytes, makeBlob, sha256Digest, type Blob } from './digest';
import { gzip, tar } from './tar';

export const wasmForms = ['artifact', 'runwasi', 'image', 'spin'] as const;
export type WasmForm = (typeof wasmForms)[number];

export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerTarGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  wasmConfig: 'application/vnd.wasm.config.v0+json',
  wasm: 'application/wasm',
  runwasiComponentLayer: 'application/vnd.bytecodealliance.wasm.component.layer.v0+wasm',
  spinWasmLayer: 'application/vnd.wasm.content.layer.v1+wasm',
  spinApplication: 'application/vnd.fermyon.spin.application.v1+config',
} as const;

/** What the forms need to know about the binary. */
export interface WasmFacts {
  kind: 'module' | 'component';
  /** `wasip2` for components, `wasip1` for core modules (also plain Wasm: the OCI `os` must name something). */
  os: 'wasip1' | 'wasip2';
  /** Component world imports/exports by name (empty for modules). */
  imports: string[];
  exports: string[];
  /** A WASI command module (exports `_start`). */
  command: boolean;
}

export function wasmFacts(report: InspectReport): WasmFacts {
  const component = report.kind === 'component';
  return {
    kind: report.kind,
    os: component ? 'wasip2' : 'wasip1',
    imports: component ? report.imports.map((i) => i.name) : [],
    exports: component ? report.exports.map((e) => e.name) : [],
    command: !component && report.exports.some((e) => e.name === '_start' && e.kind === 'func'),
  };
}

export interface BuildOptions {
  /** Written as `created` in configs and as the tar entry's mtime. */
  created: Date;
  /** The repository, for the Spin app and component name. */
  repository: string;
}

export interface BuiltArtifact {
  form: WasmForm;
  config: Blob;
  layers: Blob[];
  /** The layer that carries the binary (for `image`, the tar+gzip holding it). */
  wasmLayer: Blob;
  manifest: Uint8Array;
  manifestMediaType: string;
}

export function buildArtifact(form: WasmForm, wasm: Uint8Array, facts: WasmFacts, options: BuildOptions): BuiltArtifact {
  const created = rfc3339(options.created);
  switch (form) {
    case 'artifact': {
      const layer = makeBlob(mediaTypes.wasm, wasm);
      const config = makeBlob(
        mediaTypes.wasmConfig,
        jsonBytes({
          created,
          architecture: 'wasm',
          os: facts.os,
          layerDigests: [layer.digest],
          ...(facts.kind === 'component' ? { component: { imports: facts.imports, exports: facts.exports } } : {}),
        }),
      );
      return finish(form, config, [layer], layer);
    }
    case 'runwasi': {
      const layer = makeBlob(mediaTypes.runwasiComponentLayer, wasm);
      const config = makeBlob(
        mediaTypes.ociConfig,
        jsonBytes({
          created,
          architecture: 'wasm',
          os: facts.os,
          config: { Entrypoint: ['/app.wasm'], Labels: { 'wasm-workbench.wasm-digest': layer.digest } },
          rootfs: { type: 'layers', diff_ids: [] },
        }),
      );
      return finish(form, config, [layer], layer);
    }
    case 'image': {
      const archive = tar([{ name: 'app.wasm', bytes: wasm, mtime: Math.floor(options.created.getTime() / 1000), mode: 0o755 }]);
      const layer = makeBlob(mediaTypes.ociLayerTarGzip, gzip(archive));
      const config = makeBlob(
        mediaTypes.ociConfig,
        jsonBytes({
          created,
          architecture: 'wasm',
          os: facts.os,
          config: { Entrypoint: ['/app.wasm'] },
          rootfs: { type: 'layers', diff_ids: [sha256Digest(archive)] },
        }),
      );
      return finish(form, config, [layer], layer);
    }
    case 'spin': {
      const layer = makeBlob(mediaTypes.spinWasmLayer, wasm);
      const name = spinName(options.repository);
      const app = makeBlob(mediaTypes.spinApplication, jsonBytes(spinLockedApp(name, layer.digest, facts)));
      const config = makeBlob(
        mediaTypes.ociConfig,
        jsonBytes({
          created,
          architecture: 'wasm',
          os: facts.os,
          config: { Labels: { 'com.fermyon.spin.lockedAppDigest': app.digest } },
          rootfs: { type: 'layers', diff_ids: [] },
        }),
      );
      return finish(form, config, [layer, app], layer);
    }
  }
}

export function spinLockedApp(name: string, wasmDigest: string, facts: Pick<WasmFacts, 'command'>): unknown {
  return {
    spin_lock_version: 0,
    metadata: { name, trigger: { type: 'http' } },
    triggers: [
      {
        id: `http-${name}`,
        trigger_type: 'http',
        trigger_config: { component: name, route: '/...', ...(facts.command ? { executor: { type: 'wagi' } } : {}) },
      },
    ],
    components: [{ id: name, source: { content_type: 'application/wasm', digest: wasmDigest } }],
  };
}

/** The repository's last component as a Spin id (kebab-case, starting with a letter), else `app`. */
export function spinName(repository: string): string {
  const last = repository.split('/').pop() ?? '';
  const kebab = last
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*$/.test(kebab) ? kebab : 'app';
}

function finish(form: WasmForm, config: Blob, layers: Blob[], wasmLayer: Blob): BuiltArtifact {
  const manifest = jsonBytes({
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config: descriptor(config),
    layers: layers.map((l) => descriptor(l)),
  });
  return { form, config, layers, wasmLayer, manifest, manifestMediaType: mediaTypes.ociManifest };
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
