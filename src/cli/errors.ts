/** Exit codes of every command, and the one place that turns failures into them. */
import { WasmFormatError } from '../core/binary';
import { PolicyInputError } from '../core/capabilities';

export const ExitCode = { ok: 0, failure: 1, badInput: 2, policyViolation: 3 } as const;

/** An error that already says what to do; printed as it is, with the exit code it carries. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.badInput,
  ) {
    super(message);
  }
}

export function describeFailure(error: unknown, file?: string): { message: string; exitCode: number } {
  const where = file ? `${file}: ` : '';
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof WasmFormatError) return { message: `${where}malformed Wasm binary ${error.message}`, exitCode: ExitCode.badInput };
  if (error instanceof PolicyInputError) return { message: error.message, exitCode: ExitCode.badInput };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { message: `${where}no such file`, exitCode: ExitCode.badInput };
  if (code === 'EISDIR') return { message: `${where}is a directory, not a .wasm file`, exitCode: ExitCode.badInput };
  if (code === 'EACCES') return { message: `${where}permission denied`, exitCode: ExitCode.badInput };
  return { message: `${where}${error instanceof Error ? error.message : String(error)}`, exitCode: ExitCode.failure };
}
