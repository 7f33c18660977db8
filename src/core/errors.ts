/**
 * The one error model of core. Every error core throws for a person to read carries a `kind`, which is all a front
 * needs to decide what to do with it (src/cli/errors.ts: the exit code; src/extension/errors.ts: the message), and,
 * when it wraps another failure, that failure as its `cause`.
 *
 * Fronts read `kind` as a string rather than test the class: the CLI runs each command from a bundle of its own,
 * each with its own copy of these classes, so `instanceof` would not know another bundle's errors.
 */

export const failureKinds = [
  /** The user's input is wrong: a file, a flag, a name, a malformed binary, a kubeconfig. */
  'input',
  /** This binary cannot run or be deployed here, whatever is granted (its host kind, what it imports, the target). */
  'refused',
  /** A policy (`--deny`) forbids what the binary needs. */
  'policy',
  /** The work itself failed: a compiler, a registry, a cluster, the guest's process. */
  'failed',
  /** The user stopped it. */
  'cancelled',
] as const;
export type FailureKind = (typeof failureKinds)[number];

export class WorkbenchError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkbenchError';
  }
}

/** The kind of a failure from any bundle's copy of WorkbenchError, or undefined for any other error (a bug). */
export function failureKind(error: unknown): FailureKind | undefined {
  const kind = error instanceof Error ? (error as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && (failureKinds as readonly string[]).includes(kind) ? (kind as FailureKind) : undefined;
}

/**
 * The text of any thrown value: an Error's message, the `payload` of a value thrown by jco's generated code or
 * wasm-tools (a WIT or WAT error), or the value itself as text.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'payload' in error) return String((error as { payload: unknown }).payload);
  return String(error);
}
