/** The two ways a push or pull fails: the user's input is wrong (kind `input`), or the registry said no (`failed`). */
import { WorkbenchError } from '../errors';

/** Which part of talking to a registry failed; named in every error so a broken push says where it broke. */
export type RegistryStep =
  'credentials' | 'ping' | 'auth' | 'blob check' | 'upload start' | 'upload' | 'manifest push' | 'manifest pull' | 'blob pull';

/** Bad input: a malformed reference, a refused plain-HTTP URL, a digest that does not match. */
export class OciInputError extends WorkbenchError {
  override readonly name = 'OciInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options);
  }
}

/** The registry refused, failed or could not be reached. The message says what failed and what to do. */
export class RegistryError extends WorkbenchError {
  override readonly name = 'RegistryError';
  constructor(
    message: string,
    readonly step: RegistryStep,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super('failed', message, options);
  }
}

/**
 * Removes every known secret from text before it reaches a message. Messages are built without secrets in the
 * first place (no header is ever printed); this is the second line, for text that comes from elsewhere
 * (a registry's error body, a credential helper's stderr, a network error).
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short strings would blank out ordinary words; no real credential is that short.
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
    return out;
  }
}
