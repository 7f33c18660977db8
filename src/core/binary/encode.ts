/** The few encoders core needs to rewrite a binary (capping memories, eliding bodies for printing). */

/** Unsigned LEB128 of a non-negative integer up to 2^53. */
export function encodeUleb(value: number): Uint8Array {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest) byte |= 0x80;
    out.push(byte);
  } while (rest);
  return Uint8Array.from(out);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Replaces the bytes of one section (header and payload) with a new section of the same id. */
export function replaceSection(
  bytes: Uint8Array,
  section: { id: number; offset: number; payloadOffset: number; size: number },
  payload: Uint8Array,
): Uint8Array {
  return concatBytes([
    bytes.subarray(0, section.offset),
    Uint8Array.of(section.id),
    encodeUleb(payload.length),
    payload,
    bytes.subarray(section.payloadOffset + section.size),
  ]);
}
