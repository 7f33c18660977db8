/** One error type for everything that talks to a cluster, with a reason a person can act on. */
import { WorkbenchError } from '../errors';

export type KubeErrorReason =
  /** The kubeconfig cannot be read or is invalid (the message names the file). */
  | 'config'
  /** Nothing answers at the server's address (refused, DNS, network). */
  | 'unreachable'
  /** The server did not answer within the time limit. */
  | 'timeout'
  /** TLS failed: unknown certificate authority, wrong host name, expired certificate. */
  | 'tls'
  /** 401: missing, wrong or expired credentials (or the exec/auth-provider plugin failed). */
  | 'unauthorized'
  /** 403: the credentials are valid but may not do this. */
  | 'forbidden'
  | 'not-found'
  /** 409: already exists, stale resourceVersion, or a server-side apply field conflict. */
  | 'conflict'
  /** 422 (or 400): the object is invalid. */
  | 'invalid'
  /** 410: a resourceVersion or continue token too old. */
  | 'gone'
  /** Any other server answer (5xx, unexpected status). */
  | 'server';

/** A Kubernetes `Status` object, as the API server sends with errors. */
export interface KubeStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** Of kind `input` when the kubeconfig is at fault, else `failed`; `reason` says what failed. */
export class KubeError extends WorkbenchError {
  override readonly name = 'KubeError';
  constructor(
    readonly reason: KubeErrorReason,
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** The server's `Status` object, when it sent one. */
    readonly details?: KubeStatus,
    options?: { cause?: unknown },
  ) {
    super(reason === 'config' ? 'input' : 'failed', message, options);
  }
}

const kindByStatus: Record<number, KubeErrorReason> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  422: 'invalid',
  504: 'timeout',
};

const titleByKind: Partial<Record<KubeErrorReason, string>> = {
  unauthorized: 'Unauthorized (the credentials are missing, wrong or expired)',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  invalid: 'Invalid',
  gone: 'Expired',
};

/** The error for an HTTP answer that is not 2xx; `body` is the response text (a Status object, usually). */
export function errorFromResponse(status: number, body: unknown, what: string): KubeError {
  let parsed: KubeStatus | undefined;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body) as KubeStatus;
    } catch {
      parsed = undefined;
    }
  } else if (body && typeof body === 'object') {
    parsed = body as KubeStatus;
  }
  const kind = kindByStatus[status] ?? 'server';
  const serverMessage =
    parsed?.message?.trim() || (typeof body === 'string' && body.trim() && !body.trim().startsWith('{') ? body.trim().slice(0, 300) : '');
  const title = titleByKind[kind] ?? `HTTP ${status}`;
  const message = serverMessage && kind !== 'unauthorized' ? `${title}: ${serverMessage}` : `${title} (${what})`;
  return new KubeError(kind, `${message} [HTTP ${status}]`, status, parsed);
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);
const tlsCodes = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|ERR_OSSL|HOSTNAME_MISMATCH|ERR_TLS_CERT)/;

/**
 * Any error from a request (ours, node's, node-fetch's, or client-node's `ApiException`) as a `KubeError`.
 * `server` is the address, for messages such as "nothing answers at https://...".
 */
export function toKubeError(error: unknown, server: string, what: string): KubeError {
  if (error instanceof KubeError) return error;
  const e = error as { code?: unknown; errno?: unknown; body?: unknown; message?: string; name?: string; type?: string; cause?: unknown };
  // client-node's ApiException: `code` is the HTTP status, `body` the parsed Status.
  if (typeof e?.code === 'number' && e.code >= 100) return errorFromResponse(e.code, e.body, what);
  const code =
    typeof e?.code === 'string'
      ? e.code
      : typeof e?.errno === 'string'
        ? e.errno
        : typeof (e?.cause as { code?: unknown })?.code === 'string'
          ? (e.cause as { code: string }).code
          : '';
  const detail = e?.message ?? String(error);
  if (e?.name === 'AbortError' || e?.type === 'aborted' || code === 'ABORT_ERR') {
    return new KubeError('timeout', `${server} did not answer in time (${what})`, undefined, undefined, { cause: error });
  }
  if (networkCodes.has(code)) {
    const why =
      code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'host name not found'
          : code === 'ETIMEDOUT'
            ? 'connection timed out'
            : code.toLowerCase();
    return new KubeError(
      code === 'ETIMEDOUT' ? 'timeout' : 'unreachable',
      `Cannot reach ${server}: ${why} (${what})`,
      undefined,
      undefined,
      { cause: error },
    );
  }
  if (tlsCodes.test(code) || /certificate|self[- ]signed|TLS|SSL/i.test(detail)) {
    return new KubeError('tls', `TLS failed talking to ${server}: ${detail} (${what})`, undefined, undefined, { cause: error });
  }
  if (/exec|auth|token|credential/i.test(detail)) {
    return new KubeError('unauthorized', `Credentials for ${server} failed: ${detail}`, undefined, undefined, { cause: error });
  }
  return new KubeError('server', `${what} failed: ${detail}`, undefined, undefined, { cause: error });
}
