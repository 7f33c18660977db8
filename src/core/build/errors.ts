/** Errors of building that are the user's input, not a failed compile: printed as they are, with no stack. */
import { WorkbenchError } from '../errors';

/** A folder with no project, an unknown project name or target, an unreadable manifest. */
export class BuildInputError extends WorkbenchError {
  override readonly name = 'BuildInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options);
  }
}
