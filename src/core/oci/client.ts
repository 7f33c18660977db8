/**
 * A small client for the OCI distribution API over Node's global `fetch`: what pushing and pulling one artifact
 * needs, nothing more.
 *
 * - Auth: a request without credentials first; on 401 the `WWW-Authenticate` challenge decides. `Bearer`: a token
 *   from the realm for `repository:NAME:pull[,push]` (GET with Basic credentials, or anonymous; an identity token
 *   is exchanged by POST, as docker does). `Basic`: the credentials on every request. Tokens are kept per scope.
 * - Uploads: POST to start a session, then one PUT with the whole blob and `?digest=` (distribution 2.8 ignores
 *   a single-POST monolithic upload). Blobs already there (HEAD) are not uploaded again.
 * - Every request has a timeout; redirects are followed by hand so credentials never follow to another origin,
 *   and every URL (realm, upload location, redirect) passes the plain-http policy in url-policy.ts.
 * - Errors name the step, the registry and what to do. No header, credential or token ever goes into a message
 *   or progress event; text from elsewhere passes the Redactor first.
 */
import { parseChallenges, type Challenge } from './challenge';
import { checkExplicitCredentials, dockerConfigPath, resolveCredentials, type CredentialOptions, type Credentials } from './credentials';
import { sha256Digest, type Blob } from './digest';
import { Redactor, RegistryError, type RegistryStep } from './errors';
import { checkUrlAllowed, registryBaseUrl } from './url-policy';
import { formatBytes } from '../text/bytes';

export interface ProgressEvent {
  kind: 'auth' | 'blob-exists' | 'upload' | 'manifest';
  message: string;
  digest?: string;
  size?: number;
}

export interface RegistryClientOptions extends CredentialOptions {
  /** Allow plain http to registries that are not on loopback. */
  insecure?: boolean;
  /** Limit for each request, in milliseconds (uploads get a second more per MiB). Default 60 s. */
  timeoutMs?: number;
  onProgress?: (event: ProgressEvent) => void;
}

export const manifestMediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const defaultTimeoutMs = 60_000;

interface RequestInit {
  step: RegistryStep;
  /** Human words for the action, e.g. "upload of blob sha256:ab12… (PUT)". */
  what: string;
  method: string;
  url: string;
  scope?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

export class RegistryClient {
  readonly redactor = new Redactor();
  readonly baseUrl: string;
  private credentials: Credentials | undefined;
  private credentialsResolved = false;
  private bearerSent = false;
  private basicHeader: string | undefined;
  private readonly tokens = new Map<string, string>();
  private readonly timeoutMs: number;

  constructor(
    /** The registry as the user wrote it (printed in messages and references). */
    readonly registry: string,
    /** Where its API is served (differs for Docker Hub). */
    readonly apiHost: string,
    private readonly options: RegistryClientOptions = {},
  ) {
    checkExplicitCredentials(options.credentials);
    this.baseUrl = registryBaseUrl(apiHost, options.insecure);
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  }

  // ---- operations ----

  /** GET /v2/: the registry is there and speaks the API (and, with auth, the credentials work). */
  async ping(): Promise<void> {
    const res = await this.request({
      step: 'ping',
      what: `checking ${this.registry} (GET /v2/)`,
      method: 'GET',
      url: `${this.baseUrl}/v2/`,
    });
    if (res.status === 200) return void (await drain(res));
    throw await this.failure('ping', `checking ${this.registry} (GET /v2/)`, res, {
      notFound: `${this.registry} does not serve the OCI distribution API (/v2/ answered 404); check the registry address`,
    });
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const what = `checking whether blob ${short(digest)} is already in ${repository} (HEAD)`;
    const res = await this.request({
      step: 'blob check',
      what,
      method: 'HEAD',
      url: this.url(repository, `blobs/${digest}`),
      scope: pushScope(repository),
    });
    if (res.status === 200 || res.status === 404) {
      await drain(res);
      return res.status === 200;
    }
    throw await this.failure('blob check', what, res);
  }

  /** Pushes one blob unless the repository has it already; returns whether bytes were sent. */
  async pushBlob(repository: string, blob: Blob): Promise<boolean> {
    const size = formatBytes(blob.size);
    if (await this.blobExists(repository, blob.digest)) {
      this.progress({
        kind: 'blob-exists',
        message: `blob ${short(blob.digest)} (${blob.mediaType}, ${size}) is already in ${repository}; not uploaded again`,
        digest: blob.digest,
        size: blob.size,
      });
      return false;
    }
    this.progress({
      kind: 'upload',
      message: `uploading blob ${short(blob.digest)} (${blob.mediaType}, ${size})`,
      digest: blob.digest,
      size: blob.size,
    });

    const startWhat = `starting the upload of blob ${short(blob.digest)} (POST /v2/${repository}/blobs/uploads/)`;
    const start = await this.request({
      step: 'upload start',
      what: startWhat,
      method: 'POST',
      url: this.url(repository, 'blobs/uploads/'),
      scope: pushScope(repository),
      headers: { 'Content-Length': '0' },
    });
    if (start.status !== 202)
      throw await this.failure('upload start', startWhat, start, {
        notFound: `repository ${repository} cannot be created on ${this.registry} (404 on upload)`,
      });
    await drain(start);
    const location = start.headers.get('location');
    if (!location)
      throw new RegistryError(
        `${startWhat}: ${this.registry} answered 202 without a Location header, so the upload cannot continue; the registry is not speaking the distribution API`,
        'upload start',
        202,
      );
    const target = checkUrlAllowed(new URL(location, this.url(repository, 'blobs/uploads/')), this.options.insecure ?? false, startWhat);
    target.searchParams.set('digest', blob.digest);

    const putWhat = `uploading blob ${short(blob.digest)} (${size}, PUT to the upload session)`;
    const put = await this.request({
      step: 'upload',
      what: putWhat,
      method: 'PUT',
      url: target.toString(),
      scope: pushScope(repository),
      headers: { 'Content-Type': 'application/octet-stream' },
      body: blob.bytes,
    });
    if (put.status !== 201) throw await this.failure('upload', putWhat, put, { hint: 'the blob was not stored; run the push again' });
    await drain(put);
    const stored = put.headers.get('docker-content-digest');
    if (stored && stored !== blob.digest) {
      throw new RegistryError(
        `${putWhat}: ${this.registry} stored the blob as ${stored}, but its bytes hash to ${blob.digest}; the upload was corrupted, run the push again`,
        'upload',
        put.status,
      );
    }
    return true;
  }

  /** PUT a manifest under a tag or digest; returns the digest, checked against the bytes' own sha256. */
  async pushManifest(repository: string, reference: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const digest = sha256Digest(bytes);
    const what = `pushing the manifest ${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference} (PUT)`;
    this.progress({
      kind: 'manifest',
      message: `pushing manifest ${short(digest)} as ${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`,
      digest,
      size: bytes.length,
    });
    const res = await this.request({
      step: 'manifest push',
      what,
      method: 'PUT',
      url: this.url(repository, `manifests/${reference}`),
      scope: pushScope(repository),
      headers: { 'Content-Type': mediaType },
      body: bytes,
    });
    if (res.status !== 201) throw await this.failure('manifest push', what, res);
    await drain(res);
    const stored = res.headers.get('docker-content-digest');
    if (stored && stored !== digest) {
      throw new RegistryError(
        `${what}: ${this.registry} reports digest ${stored}, but the manifest's bytes hash to ${digest}; the registry rewrote it, so the digest cannot be trusted`,
        'manifest push',
        res.status,
      );
    }
    return digest;
  }

  async pullManifest(repository: string, reference: string): Promise<{ bytes: Uint8Array; mediaType: string; digest: string }> {
    const what = `reading the manifest ${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference} (GET)`;
    const res = await this.request({
      step: 'manifest pull',
      what,
      method: 'GET',
      url: this.url(repository, `manifests/${reference}`),
      scope: pullScope(repository),
      headers: { Accept: Object.values(manifestMediaTypes).join(', ') },
    });
    if (res.status === 404) throw await this.manifestNotFound(repository, reference, what, res);
    if (res.status !== 200) throw await this.failure('manifest pull', what, res);
    const bytes = await this.readBody(res, 'manifest pull', what);
    const digest = sha256Digest(bytes);
    const stated = res.headers.get('docker-content-digest');
    if ((reference.startsWith('sha256:') && reference !== digest) || (stated && stated !== digest)) {
      throw new RegistryError(
        `${what}: the manifest's bytes hash to ${digest}, not ${reference.startsWith('sha256:') ? reference : stated}; refusing content that does not match its digest`,
        'manifest pull',
        res.status,
      );
    }
    return { bytes, mediaType: (res.headers.get('content-type') ?? '').split(';')[0]!.trim(), digest };
  }

  /** A 404 for a manifest: the tag list tells a missing repository from a missing tag or digest. */
  private async manifestNotFound(repository: string, reference: string, what: string, res: Response): Promise<RegistryError> {
    const byDigest = reference.startsWith('sha256:');
    const generic = await this.failure('manifest pull', what, res, {
      notFound: `${repository}${byDigest ? '@' : ':'}${reference} is not on ${this.registry}`,
    });
    let tags: string[] | undefined;
    try {
      const list = await this.request({
        step: 'manifest pull',
        what: `listing the tags of ${repository}`,
        method: 'GET',
        url: this.url(repository, 'tags/list'),
        scope: pullScope(repository),
      });
      if (list.status === 404) {
        await drain(list);
        return new RegistryError(
          `${what}: not found: repository ${repository} does not exist on ${this.registry} (404); check the name, or push to it first`,
          'manifest pull',
          404,
        );
      }
      if (list.status === 200)
        tags = ((JSON.parse(await list.text()) as { tags?: string[] | null }).tags ?? []).filter((t) => typeof t === 'string');
      else await drain(list);
    } catch {
      return generic;
    }
    if (!tags) return generic;
    const known = tags.length ? `; its tags: ${tags.slice(0, 10).join(', ')}${tags.length > 10 ? ', …' : ''}` : '';
    return new RegistryError(
      `${what}: not found: ${byDigest ? `manifest ${reference}` : `tag ${reference}`} does not exist in repository ${repository} on ${this.registry} (404)${known}`,
      'manifest pull',
      404,
    );
  }

  async pullBlob(repository: string, digest: string): Promise<Uint8Array> {
    const what = `reading blob ${short(digest)} from ${repository} (GET)`;
    const res = await this.request({
      step: 'blob pull',
      what,
      method: 'GET',
      url: this.url(repository, `blobs/${digest}`),
      scope: pullScope(repository),
    });
    if (res.status !== 200)
      throw await this.failure('blob pull', what, res, { notFound: `blob ${digest} is not in ${repository} on ${this.registry}` });
    const bytes = await this.readBody(res, 'blob pull', what);
    const actual = sha256Digest(bytes);
    if (actual !== digest)
      throw new RegistryError(
        `${what}: the bytes received hash to ${actual}, not ${digest}; refusing corrupted content`,
        'blob pull',
        res.status,
      );
    return bytes;
  }

  // ---- plumbing ----

  private url(repository: string, rest: string): string {
    return `${this.baseUrl}/v2/${repository}/${rest}`;
  }

  private progress(event: ProgressEvent): void {
    this.options.onProgress?.({ ...event, message: this.redactor.redact(event.message) });
  }

  private async getCredentials(): Promise<Credentials | undefined> {
    if (!this.credentialsResolved) {
      this.credentials = await resolveCredentials(this.registry, this.options, this.redactor);
      this.credentialsResolved = true;
    }
    return this.credentials;
  }

  private authorization(scope: string | undefined): string | undefined {
    if (this.credentials?.kind === 'bearer') {
      this.bearerSent = true;
      return `Bearer ${this.credentials.token}`;
    }
    const token = this.tokens.get(scope ?? '');
    if (token) return `Bearer ${token}`;
    return this.basicHeader;
  }

  /** Sends a request, answering one 401 challenge. A 401 that remains becomes a RegistryError here. */
  private async request(init: RequestInit): Promise<Response> {
    // Explicit registry tokens are sent from the first request on.
    if (!this.credentialsResolved && this.options.credentials?.token) await this.getCredentials();
    let answered = false;
    for (;;) {
      const headers: Record<string, string> = { 'User-Agent': 'wasm-workbench', ...init.headers };
      const authorization = this.authorization(init.scope);
      if (authorization) headers.Authorization = authorization;
      const res = await this.send(init, headers);
      if (res.status !== 401) return res;
      const challenges = parseChallenges(res.headers.get('www-authenticate'));
      if (answered || !challenges.length) throw await this.unauthorized(init, res, challenges);
      await drain(res);
      answered = true;
      await this.answer(init, challenges);
    }
  }

  private async answer(init: RequestInit, challenges: Challenge[]): Promise<void> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const credentials = await this.getCredentials();
    if (credentials?.kind === 'bearer') {
      // A registry token is sent as it is; one that was sent and refused is wrong.
      if (this.bearerSent) throw new RegistryError(this.rejectedMessage(credentials), 'auth', 401);
      return;
    }
    if (bearer) {
      const realm = bearer.params.realm;
      if (!realm)
        throw new RegistryError(`${init.what}: ${this.registry} asked for a bearer token but named no realm to get it from`, 'auth', 401);
      const scope = init.scope ?? bearer.params.scope;
      this.tokens.set(init.scope ?? '', await this.fetchToken(init, realm, bearer.params.service, scope, credentials));
      return;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      if (!credentials || credentials.kind !== 'basic') throw new RegistryError(this.noCredentialsMessage(init), 'auth', 401);
      this.progress({
        kind: 'auth',
        message: `authenticating to ${this.registry} as ${credentials.username} (Basic, credentials from ${credentials.source})`,
      });
      this.basicHeader = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      return;
    }
    throw new RegistryError(
      `${init.what}: ${this.registry} asks for ${challenges.map((c) => c.scheme).join(', ')} authentication, which is not supported (Bearer and Basic are)`,
      'auth',
      401,
    );
  }

  private async fetchToken(
    init: RequestInit,
    realm: string,
    service: string | undefined,
    scope: string | undefined,
    credentials: Credentials | undefined,
  ): Promise<string> {
    const what = `getting a token for ${this.registry} from its auth server`;
    const url = checkUrlAllowed(realm, this.options.insecure ?? false, what);
    const who = credentials?.kind === 'basic' ? ` as ${credentials.username}` : credentials ? '' : ' anonymously';
    this.progress({
      kind: 'auth',
      message: `authenticating to ${this.registry}${who} (token from ${url.host}${scope ? ` for ${scope}` : ''}${credentials ? `, credentials from ${credentials.source}` : ''})`,
    });
    let res: Response;
    if (credentials?.kind === 'identity') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: 'wasm-workbench' });
      if (service) form.set('service', service);
      if (scope) form.set('scope', scope);
      res = await this.send(
        { ...init, body: undefined, step: 'auth', what, method: 'POST', url: url.toString() },
        { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'wasm-workbench' },
        new TextEncoder().encode(form.toString()),
      );
    } else {
      if (service) url.searchParams.set('service', service);
      if (scope) url.searchParams.set('scope', scope);
      const headers: Record<string, string> = { 'User-Agent': 'wasm-workbench' };
      if (credentials?.kind === 'basic')
        headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      res = await this.send({ ...init, body: undefined, step: 'auth', what, method: 'GET', url: url.toString() }, headers);
    }
    if (res.status === 401 || res.status === 403) {
      await drain(res);
      throw new RegistryError(credentials ? this.rejectedMessage(credentials) : this.noCredentialsMessage(init), 'auth', res.status);
    }
    if (res.status !== 200) throw await this.failure('auth', what, res);
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = JSON.parse(new TextDecoder().decode(await this.readBody(res, 'auth', what))) as typeof body;
    } catch {
      throw new RegistryError(`${what}: the auth server at ${url.host} answered with something that is not JSON`, 'auth', res.status);
    }
    const token =
      typeof body.token === 'string' && body.token ? body.token : typeof body.access_token === 'string' ? body.access_token : '';
    if (!token) throw new RegistryError(`${what}: the auth server at ${url.host} answered without a token`, 'auth', res.status);
    this.redactor.add(token);
    return token;
  }

  private async unauthorized(init: RequestInit, res: Response, challenges: Challenge[]): Promise<RegistryError> {
    await drain(res);
    const credentials = this.credentialsResolved ? this.credentials : await this.getCredentials();
    const insufficient = challenges.some((c) => c.params.error === 'insufficient_scope');
    if (credentials && insufficient) {
      return new RegistryError(
        `${init.what}: the credentials for ${this.registry} (from ${credentials.source}) were accepted but do not allow ${init.scope ?? 'this'}; ask for push access to the repository, or check its name`,
        'auth',
        401,
      );
    }
    return new RegistryError(
      credentials ? this.rejectedMessage(credentials) : this.noCredentialsMessage(init),
      init.step === 'ping' ? 'auth' : init.step,
      401,
    );
  }

  private rejectedMessage(credentials: Credentials): string {
    return `log in: credentials for ${this.registry} were rejected (401; they came from ${credentials.source}); check ~/.docker/config.json or --username/--password-stdin`;
  }

  private noCredentialsMessage(init: RequestInit): string {
    return `log in: ${this.registry} needs credentials for ${init.what} and none were found (looked in ${dockerConfigPath(this.options)}); run docker login ${this.registry} or pass --username/--password-stdin`;
  }

  /** One HTTP exchange with a timeout; redirects followed by hand (credentials dropped across origins). */
  private async send(init: RequestInit, headers: Record<string, string>, body: Uint8Array | undefined = init.body): Promise<Response> {
    let url = checkUrlAllowed(init.url, this.options.insecure ?? false, init.what);
    let method = init.method;
    let sendHeaders = { ...headers };
    for (let hop = 0; ; hop++) {
      // A big upload gets one more second per MiB on top of the limit.
      const limit = this.timeoutMs + (body ? Math.ceil(body.length / (1024 * 1024)) * 1000 : 0);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: sendHeaders,
          ...(body && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
          redirect: 'manual',
          signal: AbortSignal.timeout(limit),
        });
      } catch (error) {
        throw this.networkError(init, url, error, limit);
      }
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      await drain(res);
      if (hop >= 5) throw new RegistryError(`${init.what}: too many redirects from ${this.registry}`, init.step, res.status);
      const next = checkUrlAllowed(new URL(location, url), this.options.insecure ?? false, init.what);
      if (next.origin !== url.origin) {
        const { Authorization: _dropped, ...rest } = sendHeaders;
        sendHeaders = rest;
      }
      if (res.status === 303) {
        method = 'GET';
        body = undefined;
      }
      url = next;
    }
  }

  private networkError(init: RequestInit, url: URL, error: unknown, limit: number): RegistryError {
    const e = error as Error & { cause?: Error & { code?: string } };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return new RegistryError(
        `${init.what}: ${url.host} did not answer within ${Math.round(limit / 100) / 10} s; check that the registry is up, or allow more time (--timeout)`,
        init.step,
      );
    }
    const code = e?.cause?.code ?? (e as { code?: string })?.code;
    const detail = this.redactor.redact(e?.cause?.message ?? e?.message ?? String(error));
    if (code === 'ECONNREFUSED')
      return new RegistryError(
        `${init.what}: cannot connect to ${url.host} (connection refused); is the registry running at ${url.origin}?`,
        init.step,
      );
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return new RegistryError(`${init.what}: the host ${url.hostname} was not found (${code}); check the registry name`, init.step);
    if (/certificate|self.signed|CERT_|ERR_TLS|SSL/i.test(`${code ?? ''} ${detail}`)) {
      return new RegistryError(
        `${init.what}: TLS with ${url.host} failed (${detail}); the registry's certificate is not trusted here (NODE_EXTRA_CA_CERTS adds a CA)`,
        init.step,
      );
    }
    const after = init.step === 'upload' ? '; the blob was not stored, run the push again' : '; try again';
    return new RegistryError(`${init.what}: the connection to ${url.host} broke (${code ? `${code}: ` : ''}${detail})${after}`, init.step);
  }

  private async readBody(res: Response, step: RegistryStep, what: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await res.arrayBuffer());
    } catch (error) {
      const e = error as Error & { cause?: Error };
      throw new RegistryError(
        `${what}: the connection to ${this.registry} broke while reading the answer (${this.redactor.redact(e.cause?.message ?? e.message)}); try again`,
        step,
        res.status,
      );
    }
  }

  /** Turns an unexpected status into a message: the step, the registry's own error code and message, what to do. */
  private async failure(
    step: RegistryStep,
    what: string,
    res: Response,
    words: { notFound?: string; hint?: string } = {},
  ): Promise<RegistryError> {
    let said = '';
    try {
      const text = (await res.text()).slice(0, 4096);
      try {
        const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
        said = (parsed.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
      } catch {
        said = text.replace(/\s+/g, ' ').trim().slice(0, 200);
      }
    } catch {
      // The body is optional for the message.
    }
    said = this.redactor.redact(said);
    const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    const detail = said ? ` (${said})` : '';
    if (res.status === 404 && words.notFound) return new RegistryError(`${what}: not found: ${words.notFound}${detail}`, step, 404);
    if (res.status === 403) {
      const source = this.credentials ? ` (credentials from ${this.credentials.source})` : '';
      return new RegistryError(
        `${what}: ${this.registry} denied access (403)${detail}; these credentials${source} may not do this on that repository`,
        step,
        403,
      );
    }
    if (res.status >= 500) {
      return new RegistryError(
        `${what}: ${this.registry} failed with ${status}${detail}; the registry has a problem: try again later or check its logs${words.hint ? ` (${words.hint})` : ''}`,
        step,
        res.status,
      );
    }
    return new RegistryError(
      `${what}: ${this.registry} answered ${status}${detail}${words.hint ? `; ${words.hint}` : ''}`,
      step,
      res.status,
    );
  }
}

export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

async function drain(res: Response): Promise<void> {
  try {
    await res.arrayBuffer();
  } catch {
    // Nothing to read, or the connection went; the status is what matters.
  }
}

export function short(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}
