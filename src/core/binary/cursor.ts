import { WasmFormatError } from './errors';

// ignoreBOM: a name may start with U+FEFF, and the decoder would otherwise drop it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads the primitive encodings of the binary format (LEB128, names, vectors) from an in-memory slice,
 * reporting every failure as a WasmFormatError at the absolute file offset.
 */
export class Cursor {
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    /** Absolute file offset of bytes[0]. */
    readonly base = 0,
  ) {}

  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  fail(reason: string, at = this.offset): never {
    throw new WasmFormatError(at, reason);
  }

  u8(): number {
    if (this.pos >= this.bytes.length) this.fail('unexpected end of data');
    return this.bytes[this.pos++]!;
  }

  peekU8(): number {
    if (this.pos >= this.bytes.length) this.fail('unexpected end of data');
    return this.bytes[this.pos]!;
  }

  skip(length: number): void {
    if (length > this.remaining) this.fail(`needs ${length} bytes but only ${this.remaining} remain`);
    this.pos += length;
  }

  take(length: number): Uint8Array {
    const start = this.pos;
    this.skip(length);
    return this.bytes.subarray(start, start + length);
  }

  /** Unsigned LEB128 of at most `bits` bits, as a JS number (bits ≤ 53 keeps it exact). */
  private unsigned(bits: number, what: string): number {
    const start = this.offset;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.bytes.length) this.fail(`unexpected end of data in ${what}`, start);
      const byte = this.bytes[this.pos++]!;
      const payload = byte & 0x7f;
      if (i === maxBytes - 1) {
        const usedBits = bits - 7 * i;
        if (byte & 0x80) this.fail(`bad LEB128 ${what}: longer than ${maxBytes} bytes`, start);
        if (usedBits < 7 && payload >> usedBits !== 0) this.fail(`bad LEB128 ${what}: value does not fit in ${bits} bits`, start);
      }
      result += payload * scale;
      if (!(byte & 0x80)) return result;
      scale *= 128;
    }
    return result;
  }

  u32(what = 'u32'): number {
    return this.unsigned(32, what);
  }

  /** u64 values (memory64 limits) kept exact up to 2^53; larger values are refused rather than rounded. */
  u64(what = 'u64'): number {
    const start = this.offset;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) {
        if (result > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} ${result} is too large to represent`, start);
        return Number(result);
      }
      shift += 7n;
    }
    this.fail(`bad LEB128 ${what}: longer than 10 bytes`, start);
  }

  /** Signed LEB128 of at most `bits` bits (used for s33 heap types and s32/s64 constants). */
  signed(bits: number, what: string): bigint {
    const start = this.offset;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < maxBytes; i++) {
      if (this.pos >= this.bytes.length) this.fail(`unexpected end of data in ${what}`, start);
      const byte = this.bytes[this.pos++]!;
      if (i === maxBytes - 1) {
        if (byte & 0x80) this.fail(`bad LEB128 ${what}: longer than ${maxBytes} bytes`, start);
        // The bits of the last byte beyond the value's width must all repeat its sign bit.
        const usedBits = bits - 7 * i;
        if (usedBits < 7) {
          const unused = (byte & 0x7f) >> (usedBits - 1);
          if (unused !== 0 && unused !== 0x7f >> (usedBits - 1)) this.fail(`bad LEB128 ${what}: value does not fit in ${bits} bits`, start);
        }
      }
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
      if (!(byte & 0x80)) {
        if (byte & 0x40) result -= 1n << shift;
        return result;
      }
    }
    this.fail(`bad LEB128 ${what}: longer than ${maxBytes} bytes`, start);
  }

  /**
   * A vector count. Every element takes at least `minElementBytes`, so a count larger than the bytes left
   * is malformed: refusing it here is what keeps a tiny file from making us allocate gigabytes.
   */
  count(what: string, minElementBytes = 1): number {
    const start = this.offset;
    const n = this.u32(`${what} count`);
    if (n * minElementBytes > this.remaining) {
      this.fail(`${what} count ${n} is larger than the ${this.remaining} bytes left could hold`, start);
    }
    return n;
  }

  name(what = 'name'): string {
    const start = this.offset;
    const length = this.u32(`${what} length`);
    if (length > this.remaining) this.fail(`${what} length ${length} runs past the end of its section`, start);
    const bytes = this.take(length);
    try {
      return utf8.decode(bytes);
    } catch {
      this.fail(`${what} is not valid UTF-8`, start);
    }
  }
}
