/**
 * Public face of OCI registries: push a Wasm module or component in one of four forms (see forms.ts), read back
 * what was pushed, and parse image references. Talks to registries with Node's fetch; no vscode here.
 *
 *   const { reference } = await pushWasm('app.wasm', { image: 'ghcr.io/acme/app:1.0', form: 'runwasi' });
 */
export {
  pushWasm,
  pullManifest,
  pullBlob,
  type PushOptions,
  type PushResult,
  type PullOptions,
  type PulledManifest,
  type OciManifest,
  type OciDescriptor,
} from './push';
export { parseReference, formatReference, digestReference, type ImageReference } from './reference';
export { wasmForms, mediaTypes, buildArtifact, wasmFacts, spinLockedApp, type WasmForm, type WasmFacts, type BuiltArtifact } from './forms';
export { RegistryClient, type ProgressEvent, type RegistryClientOptions } from './client';
export { resolveCredentials, dockerConfigPath, type Credentials, type ExplicitCredentials, type CredentialOptions } from './credentials';
export { OciInputError, RegistryError, type RegistryStep } from './errors';
export { checkUrlAllowed, isLoopbackHost, registryBaseUrl } from './url-policy';
export { sha256Digest } from './digest';
export { tar, gzip } from './tar';
