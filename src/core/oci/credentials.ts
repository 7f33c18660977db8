/**
 * Where registry credentials come from, in docker's order:
 *
 * 1. explicit ones (username/password, or a registry token), e.g. from the command line;
 * 2. the docker config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (or the path given):
 *    - `credHelpers[registry]`: run `docker-credential-NAME get` with the server on stdin, JSON on stdout;
 *    - `credsStore`: the same helper protocol for every registry;
 *    - `auths[registry]`: `auth` (base64 of `user:password`), or `username`/`password`, `identitytoken`
 *      (an OAuth refresh token for the registry's token server) or `registrytoken` (sent as a bearer token).
 *
 * Every secret found is registered with the Redactor before it is used, so no message can carry it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { OciInputError, RegistryError, type Redactor } from './errors';
import { dockerHub } from './reference';
import { errorMessage } from '../errors';

export type Credentials =
  | { kind: 'basic'; username: string; password: string; source: string }
  /** A registry token: sent as `Authorization: Bearer` as it is. */
  | { kind: 'bearer'; token: string; source: string }
  /** An OAuth refresh token: exchanged at the registry's token server for an access token. */
  | { kind: 'identity'; token: string; source: string };

export interface ExplicitCredentials {
  username?: string;
  password?: string;
  /** A registry (bearer) token; used instead of username/password. */
  token?: string;
}

export interface CredentialOptions {
  credentials?: ExplicitCredentials;
  /** Path of the docker config file. Default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  dockerConfig?: string;
  /** Environment for DOCKER_CONFIG, HOME and the PATH credential helpers are found on. Default process.env. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

const dockerHubServer = 'https://index.docker.io/v1/';
const dockerHubKeys = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export function dockerConfigPath(options: Pick<CredentialOptions, 'dockerConfig' | 'env'>): string {
  const env = options.env ?? process.env;
  if (options.dockerConfig) return options.dockerConfig;
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  return join(env.HOME || homedir(), '.docker', 'config.json');
}

/** `https://host:port/v1/` → `host:port`, lowercased; how docker compares config keys with a registry. */
function normaliseKey(key: string): string {
  return key
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

function keyMatches(key: string, registry: string): boolean {
  const k = normaliseKey(key);
  const r = registry.toLowerCase();
  if (r === dockerHub) return dockerHubKeys.has(k);
  return k === r;
}

function findEntry<T>(map: Record<string, T> | undefined, registry: string): T | undefined {
  if (!map || typeof map !== 'object') return undefined;
  const key = Object.keys(map).find((k) => keyMatches(k, registry));
  return key === undefined ? undefined : map[key];
}

/** Explicit credentials are username and password together, or a token. */
export function checkExplicitCredentials(explicit: ExplicitCredentials | undefined): void {
  if (!explicit || explicit.token || (!explicit.username && !explicit.password)) return;
  if (!explicit.username || !explicit.password)
    throw new OciInputError('credentials: give both a username and a password (--username with --password-stdin)');
}

export async function resolveCredentials(
  registry: string,
  options: CredentialOptions,
  redactor: Redactor,
): Promise<Credentials | undefined> {
  const explicit = options.credentials;
  if (explicit && (explicit.token || explicit.username || explicit.password)) {
    if (explicit.token) {
      redactor.add(explicit.token);
      return { kind: 'bearer', token: explicit.token, source: 'the token given' };
    }
    checkExplicitCredentials(explicit);
    return basic(explicit.username!, explicit.password!, 'the username and password given', redactor);
  }

  const path = dockerConfigPath(options);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new RegistryError(`credentials: cannot read ${path}: ${code ?? errorMessage(error)}`, 'credentials', undefined, { cause: error });
  }
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch {
    // The parser's message can quote the file, which holds secrets: say only where.
    throw new RegistryError(`credentials: ${path} is not valid JSON; fix it or pass --username/--password-stdin`, 'credentials');
  }
  if (!config || typeof config !== 'object') return undefined;

  const server = registry === dockerHub ? dockerHubServer : registry;
  const helper = findEntry(config.credHelpers, registry);
  if (typeof helper === 'string' && helper) {
    return runHelper(helper, server, `credential helper docker-credential-${helper} (credHelpers in ${path})`, options, redactor);
  }
  if (typeof config.credsStore === 'string' && config.credsStore) {
    const found = await runHelper(
      config.credsStore,
      server,
      `credential helper docker-credential-${config.credsStore} (credsStore in ${path})`,
      options,
      redactor,
    );
    if (found) return found;
  }
  const entry = findEntry(config.auths, registry);
  if (!entry || typeof entry !== 'object') return undefined;
  const source = `auths in ${path}`;
  if (typeof entry.auth === 'string' && entry.auth) {
    redactor.add(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0)
      throw new RegistryError(`credentials: the "auth" entry for ${registry} in ${path} is not base64 of "user:password"`, 'credentials');
    redactor.add(decoded);
    return basic(decoded.slice(0, colon), decoded.slice(colon + 1), source, redactor);
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken) {
    redactor.add(entry.identitytoken);
    return { kind: 'identity', token: entry.identitytoken, source };
  }
  if (typeof entry.registrytoken === 'string' && entry.registrytoken) {
    redactor.add(entry.registrytoken);
    return { kind: 'bearer', token: entry.registrytoken, source };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string' && entry.username && entry.password) {
    return basic(entry.username, entry.password, source, redactor);
  }
  return undefined;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

function basic(username: string, password: string, source: string, redactor: Redactor): Credentials {
  redactor.add(password);
  redactor.add(Buffer.from(`${username}:${password}`).toString('base64'));
  return { kind: 'basic', username, password, source };
}

/** The docker credential helper protocol: `docker-credential-NAME get`, server URL on stdin, JSON on stdout. */
async function runHelper(
  name: string,
  server: string,
  what: string,
  options: CredentialOptions,
  redactor: Redactor,
): Promise<Credentials | undefined> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new RegistryError(`credentials: "${name}" is not a valid credential helper name (${what})`, 'credentials');
  const program = `docker-credential-${name}`;
  const env = options.env ?? process.env;
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException }>((resolve) => {
    const child = spawn(program, ['get'], { env: { ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Not spawn's own `timeout`: its timer outlives a helper that failed to start.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    const done = (value: { code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException }) => {
      clearTimeout(timer);
      resolve(value);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error: NodeJS.ErrnoException) => done({ code: null, stdout, stderr, error }));
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(server);
  });
  if (result.error?.code === 'ENOENT') {
    throw new RegistryError(
      `credentials: ${program} is not on PATH (${what}); install it or remove it from the docker config`,
      'credentials',
    );
  }
  if (result.error)
    throw new RegistryError(`credentials: ${what} could not run: ${result.error.code ?? result.error.message}`, 'credentials');
  const said = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0) {
    if (/credentials not found/i.test(said)) return undefined;
    const firstLine = redactor.redact(result.stderr.trim().split('\n')[0] ?? '').slice(0, 200);
    throw new RegistryError(
      `credentials: ${what} failed (exit ${result.code ?? 'killed'})${firstLine ? `: ${firstLine}` : ''}`,
      'credentials',
    );
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    throw new RegistryError(`credentials: ${what} printed something that is not JSON`, 'credentials');
  }
  const username = typeof parsed.Username === 'string' ? parsed.Username : '';
  const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
  if (!secret) return undefined;
  redactor.add(secret);
  if (username === '<token>') return { kind: 'identity', token: secret, source: what };
  return basic(username, secret, what, redactor);
}
