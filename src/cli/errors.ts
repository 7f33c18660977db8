/** Exit codes of every command, and the one place that turns failures into them and into the line printed. */
import { errorMessage, failureKind, WorkbenchError, type FailureKind } from '../core/errors';

export const ExitCode = { ok: 0, failure: 1, badInput: 2, policyViolation: 3, stopped: 130 } as const;

/** The exit code of each kind of failure (src/core/errors.ts); a guest's own exit code is passed through instead. */
export const exitCodeOf: Record<FailureKind, number> = {
  input: ExitCode.badInput,
  refused: ExitCode.badInput,
  policy: ExitCode.policyViolation,
  failed: ExitCode.failure,
  cancelled: ExitCode.stopped,
};

/** An error of the command line itself (a flag, a missing argument), or a core error with the file it concerns. */
export class CliError extends WorkbenchError {
  override readonly name = 'CliError';
  constructor(message: string, kind: FailureKind = 'input', options?: { cause?: unknown }) {
    super(kind, message, options);
  }
}

/**
 * The line printed for a failure and the exit code, from the error's kind alone: each command is a bundle of its
 * own, so the error may be an instance of another bundle's classes. An error without a kind is a bug or a system
 * failure (exit 1), said as it is.
 */
export function describeFailure(error: unknown, file?: string): { message: string; exitCode: number } {
  const where = file ? `${file}: ` : '';
  const kind = failureKind(error);
  if (kind) {
    const name = (error as Error).name;
    const message = name === 'WasmFormatError' ? `${where}malformed Wasm binary ${errorMessage(error)}` : errorMessage(error);
    return { message, exitCode: exitCodeOf[kind] };
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return { message: `${where}no such file`, exitCode: ExitCode.badInput };
  if (code === 'EISDIR') return { message: `${where}is a directory, not a .wasm file`, exitCode: ExitCode.badInput };
  if (code === 'EACCES') return { message: `${where}permission denied`, exitCode: ExitCode.badInput };
  return { message: `${where}${errorMessage(error)}`, exitCode: ExitCode.failure };
}
