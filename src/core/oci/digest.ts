/** Content digests: `sha256:` and the lowercase hex of the bytes' SHA-256, as OCI descriptors carry them. */
import { createHash } from 'node:crypto';

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A blob ready to push: its bytes and the descriptor that names it. */
export interface Blob {
  mediaType: string;
  digest: string;
  size: number;
  bytes: Uint8Array;
}

export function makeBlob(mediaType: string, bytes: Uint8Array): Blob {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length, bytes };
}

export function descriptor(
  blob: Blob,
  annotations?: Record<string, string>,
): { mediaType: string; digest: string; size: number; annotations?: Record<string, string> } {
  return { mediaType: blob.mediaType, digest: blob.digest, size: blob.size, ...(annotations ? { annotations } : {}) };
}

export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
