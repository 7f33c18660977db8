/** Pushing a Wasm binary in one of the registry forms, and reading what was pushed back. */
import { readFile } from 'node:fs/promises';
import { inspectBytes } from '../inspect';
import { RegistryClient, type RegistryClientOptions } from './client';
import { sha256Digest } from './digest';
import { OciInputError, RegistryError, type Redactor } from './errors';
import { buildArtifact, wasmFacts, wasmForms, type WasmForm } from './forms';
import { digestReference, parseReference, type ImageReference } from './reference';

export interface PushOptions extends RegistryClientOptions {
  /** Where to push: `REGISTRY/REPOSITORY[:TAG][@DIGEST]` (no tag: `latest`). */
  image: string;
  /** Default `artifact`. */
  form?: WasmForm;
  /** `created` in the config (and the tar mtime). Default: the Unix epoch, so pushes are reproducible. */
  created?: Date;
}

export interface PushResult {
  /** `REGISTRY/REPOSITORY@sha256:…`: the immutable reference to what was pushed. */
  reference: string;
  digest: string;
  mediaType: string;
  /** Size of the manifest in bytes (what a descriptor pointing at it would carry). */
  size: number;
  tag?: string;
  form: WasmForm;
  kind: 'module' | 'component';
  os: 'wasip1' | 'wasip2';
  /** Digests of the blobs sent, and of those the registry had already. */
  uploaded: string[];
  skipped: string[];
}

export async function pushWasm(input: string | Uint8Array, options: PushOptions): Promise<PushResult> {
  const form = options.form ?? 'artifact';
  if (!wasmForms.includes(form)) throw new OciInputError(`unknown form "${String(form)}"; use one of ${wasmForms.join(', ')}`);
  const ref = parseReference(options.image);
  const wasm = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input;
  const facts = wasmFacts(await inspectBytes(wasm, { wit: false }));
  const built = buildArtifact(form, wasm, facts, { created: options.created ?? new Date(0), repository: ref.repository });
  const digest = sha256Digest(built.manifest);
  if (ref.digest && ref.digest !== digest) {
    throw new OciInputError(
      `${options.image}: the ${form} manifest for this binary has digest ${digest}, not ${ref.digest}; push by tag, or give the digest it has`,
    );
  }

  const client = new RegistryClient(ref.registry, ref.apiHost, options);
  return guarded(client.redactor, async () => {
    await client.ping();
    const uploaded: string[] = [];
    const skipped: string[] = [];
    for (const blob of [...built.layers, built.config]) {
      ((await client.pushBlob(ref.repository, blob)) ? uploaded : skipped).push(blob.digest);
    }
    const stored = await client.pushManifest(ref.repository, ref.tag ?? digest, built.manifest, built.manifestMediaType);
    return {
      reference: digestReference(ref, stored),
      digest: stored,
      mediaType: built.manifestMediaType,
      size: built.manifest.length,
      ...(ref.tag ? { tag: ref.tag } : {}),
      form,
      kind: facts.kind,
      os: facts.os,
      uploaded,
      skipped,
    };
  });
}

export type PullOptions = RegistryClientOptions;

export interface PulledManifest {
  reference: string;
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
  /** The manifest parsed as JSON. */
  manifest: OciManifest;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface OciManifest {
  schemaVersion: number;
  mediaType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

export async function pullManifest(image: string, options: PullOptions = {}): Promise<PulledManifest> {
  const ref = parseReference(image);
  const client = new RegistryClient(ref.registry, ref.apiHost, options);
  return guarded(client.redactor, async () => {
    const pulled = await client.pullManifest(ref.repository, ref.digest ?? ref.tag ?? 'latest');
    let manifest: OciManifest;
    try {
      manifest = JSON.parse(new TextDecoder().decode(pulled.bytes)) as OciManifest;
    } catch {
      throw new RegistryError(`reading the manifest of ${image}: it is not JSON`, 'manifest pull');
    }
    return {
      reference: digestReference(ref, pulled.digest),
      digest: pulled.digest,
      mediaType: pulled.mediaType,
      bytes: pulled.bytes,
      manifest,
    };
  });
}

/** A blob of the repository `image` names (its tag or digest is ignored), checked against `digest`. */
export async function pullBlob(image: string, digest: string, options: PullOptions = {}): Promise<Uint8Array> {
  const ref: ImageReference = parseReference(image);
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new OciInputError(`"${digest}" is not a sha256 digest`);
  const client = new RegistryClient(ref.registry, ref.apiHost, options);
  return guarded(client.redactor, () => client.pullBlob(ref.repository, digest));
}

/** The last line of defence: whatever fails, its message passes the Redactor. */
async function guarded<T>(redactor: Redactor, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error) error.message = redactor.redact(error.message);
    throw error;
  }
}
