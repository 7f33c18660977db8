import { WorkbenchError } from '../errors';

/**
 * The one error type the binary reader throws for bad input (kind `input`). It always names the byte offset where reading
 * failed and says in one line what is wrong, so the CLI and the editor can show it as it is.
 */
export class WasmFormatError extends WorkbenchError {
  override readonly name = 'WasmFormatError';
  constructor(
    /** Absolute byte offset in the file where the problem was found. */
    readonly offset: number,
    /** One line saying what is wrong, without the offset. */
    readonly reason: string,
  ) {
    super('input', `at byte 0x${offset.toString(16)} (${offset}): ${reason}`);
  }
}

/** A problem that does not stop reading (e.g. a malformed `name` section, which engines ignore too). */
export interface ReadWarning {
  offset: number;
  message: string;
}

export function failAt(offset: number, reason: string): never {
  throw new WasmFormatError(offset, reason);
}
