/**
 * Where the reader gets its bytes. Reads are positional so a file-backed source can step over the code
 * section without touching it: the cost of reading a module grows with its header, not with its code.
 * Core stays free of any host API here; the Node file implementation lives in `core/platform`.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads exactly `length` bytes at `offset` (the caller keeps within `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** How many bytes were fetched so far (for benchmarks and tests of the "reads only what it needs" promise). */
  readonly bytesRead: number;
}

export function memorySource(bytes: Uint8Array): ByteSource {
  let bytesRead = 0;
  return {
    size: bytes.length,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset, length) {
      bytesRead += length;
      return bytes.subarray(offset, offset + length);
    },
  };
}

/**
 * Caches one window of a source so that reading many small, nearby pieces (section headers, function body
 * sizes) costs one read per window instead of one per piece.
 */
export class WindowedReader {
  private windowStart = 0;
  private window: Uint8Array = new Uint8Array(0);

  constructor(
    readonly source: ByteSource,
    /** Small by default: headers sit close together, and every window fetched past them is wasted. */
    private readonly windowSize = 4 * 1024,
  ) {}

  /** Up to `length` bytes at `offset`, fewer only at the end of the source. */
  async peek(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.source.size);
    if (offset >= this.windowStart && end <= this.windowStart + this.window.length) {
      return this.window.subarray(offset - this.windowStart, end - this.windowStart);
    }
    if (end - offset > this.windowSize) return this.source.read(offset, end - offset);
    const windowEnd = Math.min(offset + this.windowSize, this.source.size);
    this.window = await this.source.read(offset, windowEnd - offset);
    this.windowStart = offset;
    return this.window.subarray(0, end - offset);
  }
}
