/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 at a free port, with
 * filesystem storage under a temp dir, stopped and removed after. Optionally with auth:
 *
 * - `htpasswd`: HTTP Basic against an htpasswd file of bcrypt hashes (distribution accepts only bcrypt; the
 *   hashes come from apache2-utils' `htpasswd -B`);
 * - `token`: the Bearer token flow. A token server on loopback (here, in this process) checks Basic credentials or
 *   an OAuth refresh token and issues ES256 JWTs whose `x5c` header carries a self-signed certificate (made with
 *   openssl) that the registry trusts through `rootcertbundle`.
 *
 * Also a proxy in front of a registry that breaks blob uploads, to test what a push says when that happens.
 *
 * Everything listens on 127.0.0.1 only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RegistryAuth {
  kind: 'htpasswd' | 'token';
  /** username → password */
  users: Record<string, string>;
  /** token auth only: refresh (identity) tokens the token server accepts, → username */
  identityTokens?: Record<string, string>;
  /** token auth only: users who get `pull` and nothing more */
  readOnlyUsers?: string[];
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`, for image references. */
  host: string;
  url: string;
  dir: string;
  /** Token auth: every access token the token server issued (for leak checks). */
  issuedTokens: string[];
  /** The registry's own log, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const serviceName = 'wasm-workbench-test';
const issuer = 'wasm-workbench-test-issuer';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function requireTool(name: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${name} is not installed: run bash scripts/setup.sh (or apt-get install ${pkg})`);
  }
}

export async function startRegistry(options: { auth?: RegistryAuth } = {}): Promise<TestRegistry> {
  requireTool('docker-registry', 'docker-registry');
  const dir = await mkdtemp(join(tmpdir(), 'wasm-workbench-registry-'));
  const issuedTokens: string[] = [];
  let tokenServer: Server | undefined;
  let authConfig = '';

  if (options.auth?.kind === 'htpasswd') {
    requireTool('htpasswd', 'apache2-utils');
    const lines = Object.entries(options.auth.users).map(([user, password]) =>
      execFileSync('htpasswd', ['-niB', user], { input: password, encoding: 'utf8' }).trim(),
    );
    writeFileSync(join(dir, 'htpasswd'), lines.join('\n') + '\n');
    authConfig = `auth:\n  htpasswd:\n    realm: wasm-workbench-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (options.auth?.kind === 'token') {
    requireTool('openssl', 'openssl');
    const key = join(dir, 'token.key');
    const cert = join(dir, 'token.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=wasm-workbench-test-token-issuer',
      ],
      { stdio: 'ignore' },
    );
    const tokenPort = await freePort();
    tokenServer = await startTokenServer(tokenPort, options.auth, key, cert, issuedTokens);
    authConfig = `auth:\n  token:\n    realm: http://127.0.0.1:${tokenPort}/token\n    service: ${serviceName}\n    issuer: ${issuer}\n    rootcertbundle: ${cert}\n`;
  }

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      `version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
  secret: wasm-workbench-test-secret
${authConfig}`,
    );
    const logPath = join(dir, `registry-${attempt}.log`);
    const logFd = openSync(logPath, 'w');
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    const log = () => {
      try {
        return readFileSync(logPath, 'utf8');
      } catch {
        return '';
      }
    };
    try {
      await waitForRegistry(`http://127.0.0.1:${port}`, child, log);
    } catch (error) {
      lastError = error as Error;
      await stopChild(child);
      continue;
    }
    return {
      host: `127.0.0.1:${port}`,
      url: `http://127.0.0.1:${port}`,
      dir,
      issuedTokens,
      log,
      async stop() {
        await stopChild(child);
        if (tokenServer) await new Promise<void>((resolve) => tokenServer!.close(() => resolve()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  if (tokenServer) tokenServer.close();
  await rm(dir, { recursive: true, force: true });
  throw lastError ?? new Error('docker-registry did not start');
}

async function waitForRegistry(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`docker-registry exited while starting:\n${log()}`);
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer /v2/ within 20 s:\n${log()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---- the token server ----

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

async function startTokenServer(port: number, auth: RegistryAuth, keyPath: string, certPath: string, issued: string[]): Promise<Server> {
  const key = createPrivateKey(readFileSync(keyPath));
  const certDer = Buffer.from(
    readFileSync(certPath, 'utf8')
      .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
      .replace(/\s+/g, ''),
    'base64',
  );
  const issue = (subject: string, scopes: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      const granted = !subject
        ? []
        : auth.readOnlyUsers?.includes(subject)
          ? actions?.split(',').filter((a) => a === 'pull')
          : actions?.split(',');
      return type && name && actions ? [{ type, name, actions: granted ?? [] }] : [];
    });
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] }));
    const claims = base64url(
      JSON.stringify({ iss: issuer, sub: subject, aud: serviceName, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${header}.${claims}.${base64url(signature)}`;
    issued.push(token);
    return token;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/token') return reply(404, { error: 'not found' });
    if (req.method === 'GET') {
      let subject = '';
      const header = req.headers.authorization;
      if (header?.startsWith('Basic ')) {
        const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        const user = decoded.slice(0, colon);
        if (colon < 0 || auth.users[user] === undefined || auth.users[user] !== decoded.slice(colon + 1))
          return reply(401, { details: 'incorrect username or password' });
        subject = user;
      }
      // Anonymous callers get a token with no access, as public registries do for private repositories.
      const token = issue(subject, url.searchParams.getAll('scope'));
      return reply(200, { token, access_token: token, expires_in: 300 });
    }
    if (req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const user = form.get('grant_type') === 'refresh_token' ? auth.identityTokens?.[form.get('refresh_token') ?? ''] : undefined;
        if (!user) return reply(401, { error: 'invalid_grant' });
        const token = issue(
          user,
          form.getAll('scope').flatMap((s) => s.split(' ')),
        );
        reply(200, { access_token: token, expires_in: 300 });
      });
      return;
    }
    reply(405, { error: 'method not allowed' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

// ---- a proxy that breaks uploads ----

export interface BreakingProxy {
  host: string;
  /** How many blob upload PUTs it broke. */
  broken: number;
  stop(): Promise<void>;
}

/**
 * Forwards everything to `target` (host:port), except blob upload PUTs: `cut` closes the connection after the
 * first bytes of the body arrive; `500` answers with an internal server error.
 */
export async function startBreakingProxy(target: string, mode: 'cut' | '500'): Promise<BreakingProxy> {
  const [targetHost, targetPort] = target.split(':') as [string, string];
  const state = { broken: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'PUT' && /\/blobs\/uploads\//.test(req.url ?? '')) {
      state.broken++;
      if (mode === 'cut') {
        req.once('data', () => req.socket.destroy());
        req.once('end', () => req.socket.destroy());
        return;
      }
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'storage backend unavailable' }] }));
      });
      return;
    }
    const upstream = httpRequest(
      { host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${port}`,
    get broken() {
      return state.broken;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
