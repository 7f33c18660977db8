/** The guest's random bytes, from the host's CSPRNG; node:crypto is loaded on first use (start-up time of every run). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded synchronously, on first use
const crypto = () => require('node:crypto') as typeof import('node:crypto');

export function randomFillSync<T extends NodeJS.ArrayBufferView>(buffer: T): T {
  return crypto().randomFillSync(buffer);
}

export function randomBytes(count: number): Uint8Array {
  return crypto().randomBytes(count);
}
