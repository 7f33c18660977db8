/** Errors of building that are the user's input, not a failed compile: printed as they are, with no stack. */

/** A folder with no project, an unknown project name or target, an unreadable manifest. */
export class BuildInputError extends Error {
  override readonly name = 'BuildInputError';
}
