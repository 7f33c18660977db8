/**
 * A Kubernetes API server for tests, faithful enough for the real `@kubernetes/client-node` 1.4 and kubectl-style
 * clients: HTTPS with its own CA (made at start with node-forge), bearer tokens (401/403 Status objects),
 * discovery, list with pagination and selectors, watch streams with bookmarks and 410 for expired versions,
 * create/replace/patch/delete, server-side apply with field ownership and conflicts, validation (422), and a small
 * controller that turns Deployments and SpinApps into pods that become ready (or fail).
 *
 *   const server = await startKubeTestServer({ objects: mixedCluster() });
 *   server.writeKubeconfig('/tmp/kubeconfig', { contextName: 'test' });
 *   ...
 *   await server.stop();
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import { makeCertificates, type TestCertificates } from './certs';
import { TestController } from './controller';
import { KubeHttpHandler, type RequestRecord, type TokenGrant } from './server';
import { KubeStore } from './store';
import type { KubeObject } from './types';

export { KubeStore, ApiError } from './store';
export type { Change } from './store';
export type { TokenGrant, RequestRecord } from './server';
export type { KubeObject, Status } from './types';
export * as fixtures from './fixtures';

export interface KubeTestServerOptions {
  /** Objects to start with (nodes, RuntimeClasses, CRDs and custom resources, workloads...). */
  objects?: readonly KubeObject[];
  /**
   * More tokens: token → grant (or a user name, for a token that may do everything). The server's own `token`
   * (full rights) always works too.
   */
  tokens?: Record<string, TokenGrant | string>;
  /** Delay before each request is handled. */
  latencyMs?: number;
  /** Run the controller (Deployment → ReplicaSet → pods, SpinApp → Deployment). Default true. */
  controller?: boolean;
  /** Time until a scheduled pod runs (or fails to pull). Default 150 ms. */
  readyDelayMs?: number;
  /** Interval of BOOKMARK events on watches that allow them. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** How many changes watches can replay (older versions get 410 Gone). Default 50,000. */
  historyLimit?: number;
  /** Port on 127.0.0.1 (default: any free port). */
  port?: number;
}

export interface KubeconfigFileOptions {
  /** Context name (also the cluster name). Default `kube-test`. */
  contextName?: string;
  /** Token for the user (default: the server's full-rights token). */
  token?: string;
  /** The user entry's name. Default `<context>-user`. */
  userName?: string;
  /** Namespace of the context. */
  namespace?: string;
  /** Set `current-context` (default true). */
  current?: boolean;
  /** Server address (default the server's URL; give another to describe an unreachable cluster). */
  server?: string;
}

export interface KubeTestServer {
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The CA certificate (PEM) that signed the server certificate. */
  caPem: string;
  /** A bearer token with full rights. */
  token: string;
  /** The objects; tests may seed, change and read them directly (`put`, `modify`, `delete`, `get`, `list`, `compact`). */
  store: KubeStore;
  /** Every request so far (method, path, query, status, user). */
  requests: RequestRecord[];
  /** A kubeconfig (YAML) for this server. */
  kubeconfigYaml(options?: KubeconfigFileOptions): string;
  /** Writes a kubeconfig for this server to `path` (directories created) and returns the path. */
  writeKubeconfig(path: string, options?: KubeconfigFileOptions): string;
  /** While on, requests are accepted and never answered (a hung API server). */
  stall(on?: boolean): void;
  stop(): Promise<void>;
}

let certificates: TestCertificates | undefined;

/** One kubeconfig entry set (cluster, user, context) as YAML lines, for combining several servers in one file. */
export function kubeconfigEntries(options: { contextName: string; server: string; caPem: string; token: string; userName?: string; namespace?: string }): { cluster: string; user: string; context: string } {
  const user = options.userName ?? `${options.contextName}-user`;
  return {
    cluster: `- name: ${options.contextName}\n  cluster:\n    server: ${options.server}\n    certificate-authority-data: ${Buffer.from(options.caPem).toString('base64')}\n`,
    user: `- name: ${user}\n  user:\n    token: ${options.token}\n`,
    context: `- name: ${options.contextName}\n  context:\n    cluster: ${options.contextName}\n    user: ${user}\n${options.namespace ? `    namespace: ${options.namespace}\n` : ''}`,
  };
}

export async function startKubeTestServer(options: KubeTestServerOptions = {}): Promise<KubeTestServer> {
  // One CA per process: making RSA keys and signing takes a few hundred milliseconds.
  certificates ??= makeCertificates();
  const { caPem, certPem, keyPem } = certificates;
  const token = `kube-test-${randomBytes(16).toString('hex')}`;
  const tokens = new Map<string, TokenGrant>([[token, { user: 'test-admin' }]]);
  for (const [t, grant] of Object.entries(options.tokens ?? {})) tokens.set(t, typeof grant === 'string' ? { user: grant } : grant);

  const store = new KubeStore(options.historyLimit);
  const controller = options.controller === false ? undefined : new TestController(store, { readyDelayMs: options.readyDelayMs ?? 150 });
  if (options.objects) store.seed(options.objects);
  const requests: RequestRecord[] = [];
  const handler = new KubeHttpHandler({ store, tokens, latencyMs: options.latencyMs ?? 0, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000, requests });
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => handler.handle(req, res));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const url = `https://127.0.0.1:${port}`;

  const kubeconfigYaml = (o: KubeconfigFileOptions = {}) => {
    const contextName = o.contextName ?? 'kube-test';
    const e = kubeconfigEntries({ contextName, server: o.server ?? url, caPem, token: o.token ?? token, ...(o.userName ? { userName: o.userName } : {}), ...(o.namespace ? { namespace: o.namespace } : {}) });
    return `apiVersion: v1\nkind: Config\nclusters:\n${e.cluster}users:\n${e.user}contexts:\n${e.context}${o.current === false ? '' : `current-context: ${contextName}\n`}preferences: {}\n`;
  };

  let stopped = false;
  return {
    url,
    port,
    caPem,
    token,
    store,
    requests,
    kubeconfigYaml,
    writeKubeconfig(path, o = {}) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, kubeconfigYaml(o), { mode: 0o600 });
      return path;
    },
    stall(on = true) {
      handler.stalled = on;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      controller?.stop();
      handler.closeAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      await closed;
    },
  };
}
