/**
 * A connection to one kubeconfig context: client-node's typed and generic APIs plus raw JSON access, every
 * request bounded by a time limit so that a hung server (or a hung exec credential plugin) cannot hang the caller.
 *
 * Authentication and TLS are client-node's own (`KubeConfig.applySecurityAuthentication`): tokens, client
 * certificates, exec plugins and auth providers work as they do for client-node and kubectl.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { loadClientNode, type ClientNodeModule, type KubeConfig } from './client-node';
import { errorFromResponse, KubeError, toKubeError } from './errors';
import type { Kubeconfig } from './kubeconfig';
import type { KubeObject } from './types';

export interface ConnectOptions {
  /** Limit for each request, from sending it to the last byte of the answer (default 10 s). */
  timeoutMs?: number;
}

export interface ListOptions {
  /** Only this namespace (namespaced kinds); all namespaces when absent. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size: lists are read in pages of this many items (default 500) and joined. */
  limit?: number;
  /** `0` to accept any cached state; absent for the most recent. */
  resourceVersion?: string;
  /** Stop after this many items in all (no limit by default). */
  maxItems?: number;
}

export interface ListResult<T> {
  items: T[];
  /** The list's resourceVersion: start a watch from here to miss nothing. */
  resourceVersion: string;
}

export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask for BOOKMARK events (resourceVersion progress without changes). Default true. */
  allowWatchBookmarks?: boolean;
  /** Ask the server to end the watch after this long (default 300 s); watch again from the last resourceVersion. */
  timeoutSeconds?: number;
}

export interface WatchHandle {
  /** Ends the watch; `done` then resolves with undefined. */
  stop(): void;
  /**
   * Resolves when the watch ends: undefined when it ended normally (stopped, or the server closed it), or the
   * error (`kind: 'gone'` when the resourceVersion is too old: list again, then watch from the new version).
   */
  readonly done: Promise<KubeError | undefined>;
}

export interface ApplyOptions {
  /** The field manager (required by the API for server-side apply). */
  fieldManager: string;
  /** Take ownership of fields another manager owns (otherwise such a change is a 409 conflict). */
  force?: boolean;
  dryRun?: boolean;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Override the client's time limit for this request. */
  timeoutMs?: number;
}

/** Where a kind lives: its collection path under a namespace (or the cluster) and whether it is namespaced. */
export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  /** The plural resource name, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
}

/**
 * What deploy code and the cluster explorer need from one context. Typed APIs are client-node's own objects
 * (their results are client-node's model classes, which drop keys they do not model); `get`, `list`, `apply`,
 * `delete`, `request` and `watch` work on raw JSON and keep every field.
 */
export interface KubeClient {
  readonly contextName: string;
  /** The API server's address. */
  readonly server: string;
  /** The context's namespace, or `default`. */
  readonly namespace: string;
  readonly timeoutMs: number;
  /** client-node's KubeConfig with this context current (in memory only). */
  readonly kubeConfig: KubeConfig;
  /** The client-node module (for its model classes, `PatchStrategy`, ...). */
  readonly k8s: ClientNodeModule;
  /** client-node's generic object API (by apiVersion/kind), with the time limit. */
  readonly objects: ClientNode.KubernetesObjectApi;
  readonly core: ClientNode.CoreV1Api;
  readonly apps: ClientNode.AppsV1Api;
  readonly node: ClientNode.NodeV1Api;
  readonly custom: ClientNode.CustomObjectsApi;
  readonly apiextensions: ClientNode.ApiextensionsV1Api;

  /** The object, or undefined when it does not exist. */
  get<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined>;
  /** Every item, read page by page (`limit`, `continue`). */
  list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, options?: ListOptions): Promise<ListResult<T>>;
  /** Server-side apply (`PATCH` with `application/apply-patch+yaml`); creates the object when missing. */
  apply<T extends KubeObject = KubeObject>(object: KubeObject, options: ApplyOptions): Promise<T>;
  /** Deletes; false when it did not exist. */
  delete(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    options?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' },
  ): Promise<boolean>;
  /** Where a kind lives (discovery, cached). Throws `not-found` for a kind the server does not serve. */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo>;
  /** The collection path of a kind: `/apis/apps/v1/namespaces/ns/deployments`. */
  collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string>;
  /** Every item of a collection path, page by page. */
  listPath<T extends KubeObject = KubeObject>(path: string, options?: ListOptions): Promise<ListResult<T>>;
  /** A JSON request to the API server (path from the server root). */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** Watches a collection path (`?watch=1`); events come as they arrive. */
  watch<T extends KubeObject = KubeObject>(path: string, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): WatchHandle;
}

export const defaultTimeoutMs = 10_000;
export const defaultPageSize = 500;

/** Runs `promise` with a time limit; `onTimeout` is called (e.g. to abort) when it passes. */
export function withDeadline<T>(promise: Promise<T>, ms: number, error: () => Error, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(error());
    }, ms);
    timer.unref?.();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Wraps every method of a client-node API object so that its promise is bounded by the time limit. */
function bounded<T extends object>(api: T, timeoutMs: number, server: string): T {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        const what = String(property);
        // A little later than the HTTP limit, so that the HTTP layer's own abort is what reports a slow server.
        return withDeadline(
          result,
          timeoutMs + 1000,
          () => new KubeError('timeout', `${server} did not answer within ${timeoutMs / 1000} s (${what})`),
        ).catch((error: unknown) => {
          throw toKubeError(error, server, what);
        });
      };
    },
  });
}

interface AuthContext {
  headers: Record<string, string>;
  agent: http.Agent | undefined;
}

async function authFor(kubeConfig: KubeConfig): Promise<AuthContext> {
  const headers: Record<string, string> = {};
  let agent: http.Agent | undefined;
  const context = {
    setHeaderParam(key: string, value: string) {
      headers[key] = value;
    },
    setAgent(a: http.Agent) {
      agent = a;
    },
  };
  await kubeConfig.applySecurityAuthentication(context as unknown as ClientNode.RequestContext);
  return { headers, agent };
}

function buildQuery(query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function groupVersionPath(apiVersion: string): string {
  const { group, version } = splitApiVersion(apiVersion);
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/**
 * Connects to a context of the kubeconfig. Nothing is sent yet: the first request (e.g. `readClusterModel`) tells
 * whether the cluster answers. Throws `KubeError('config')` for an unknown context or a context whose cluster or
 * user entry is missing.
 */
export async function connectToContext(kubeconfig: Kubeconfig, contextName: string, options: ConnectOptions = {}): Promise<KubeClient> {
  const k8s = await loadClientNode();
  const source = kubeconfig.kubeConfig;
  const context = source.getContextObject(contextName);
  if (!context) throw new KubeError('config', `no context named "${contextName}" in ${kubeconfig.files.join(', ') || 'the kubeconfig'}`);
  const cluster = source.getCluster(context.cluster);
  const file = kubeconfig.contexts.find((c) => c.name === contextName)?.file ?? 'the kubeconfig';
  if (!cluster) throw new KubeError('config', `${file}: context "${contextName}" names cluster "${context.cluster}", which is not defined`);
  if (!cluster.server) throw new KubeError('config', `${file}: cluster "${cluster.name}" has no server address`);
  if (context.user && !source.getUser(context.user)) {
    throw new KubeError('config', `${file}: context "${contextName}" names user "${context.user}", which is not defined`);
  }
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromOptions({ clusters: source.clusters, users: source.users, contexts: source.contexts, currentContext: contextName });
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const server = cluster.server.replace(/\/+$/, '');
  if (server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw new KubeError(
      'config',
      `${file}: cluster "${cluster.name}" uses plain http (${server}); client-node refuses it unless insecure-skip-tls-verify is true`,
    );
  }

  // Typed APIs: every HTTP exchange gets an AbortSignal that fires at the time limit (the body included).
  const inner = new k8s.IsomorphicFetchHttpLibrary();
  const httpApi: ClientNode.HttpLibrary = {
    send(request) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      timer.unref?.();
      const prior = request.getSignal();
      request.setSignal((prior ? AbortSignal.any([prior, controller.signal]) : controller.signal) as never);
      return inner.send(request);
    },
  };
  const configuration = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(server, {}),
    authMethods: { default: kubeConfig },
    httpApi,
  });
  const api = <T extends object>(Type: new (c: ClientNode.Configuration) => T): T => bounded(new Type(configuration), timeoutMs, server);

  const discovery = new Map<string, Promise<{ name: string; kind: string; namespaced: boolean }[]>>();

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const limit = opts.timeoutMs ?? timeoutMs;
    const what = `${method} ${path}`;
    const controller = new AbortController();
    const work = (async () => {
      const auth = await authFor(kubeConfig);
      const url = new URL(server + path + buildQuery(opts.query));
      const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      const headers: Record<string, string> = { Accept: 'application/json', ...auth.headers };
      if (body !== undefined) {
        headers['Content-Type'] = opts.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const lib = url.protocol === 'http:' ? http : https;
      return await new Promise<T>((resolve, reject) => {
        const req = lib.request(url, { method, headers, agent: auth.agent, signal: controller.signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) return reject(errorFromResponse(status, text, what));
            if (!text) return resolve(undefined as T);
            try {
              resolve(JSON.parse(text) as T);
            } catch {
              reject(new KubeError('server', `${what}: the server's answer is not JSON: ${text.slice(0, 200)}`, status));
            }
          });
        });
        req.on('error', reject);
        if (body !== undefined) req.write(body);
        req.end();
      });
    })();
    return withDeadline(
      work,
      limit,
      () => new KubeError('timeout', `${server} did not answer within ${limit / 1000} s (${what})`),
      () => controller.abort(),
    ).catch((error: unknown) => {
      throw toKubeError(error, server, what);
    });
  }

  async function resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const gv = groupVersionPath(apiVersion);
    let resources = discovery.get(gv);
    if (!resources) {
      resources = request<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>('GET', gv).then((r) => r.resources ?? []);
      discovery.set(gv, resources);
      resources.catch(() => discovery.delete(gv));
    }
    let list: { name: string; kind: string; namespaced: boolean }[];
    try {
      list = await resources;
    } catch (error) {
      if (error instanceof KubeError && error.reason === 'not-found') {
        throw new KubeError('not-found', `The server does not serve ${apiVersion} (is the CRD installed?)`, 404);
      }
      throw error;
    }
    const found = list.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!found) throw new KubeError('not-found', `The server does not serve ${kind} in ${apiVersion} (is the CRD installed?)`, 404);
    return { apiVersion, kind, resource: found.name, namespaced: found.namespaced };
  }

  async function collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const info = await resource(apiVersion, kind);
    const base = groupVersionPath(apiVersion);
    return info.namespaced && namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${info.resource}`
      : `${base}/${info.resource}`;
  }

  async function listPath<T extends KubeObject>(path: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    const limit = opts.limit ?? defaultPageSize;
    do {
      const page = await request<{ items?: T[]; metadata?: { continue?: string; resourceVersion?: string } }>('GET', path, {
        query: {
          limit,
          continue: cont,
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          // The resourceVersion goes with the first page only; the continue token carries it after.
          resourceVersion: cont ? undefined : opts.resourceVersion,
        },
      });
      for (const item of page.items ?? []) items.push(item);
      cont = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      if (opts.maxItems !== undefined && items.length >= opts.maxItems) break;
    } while (cont);
    return { items, resourceVersion };
  }

  function watch<T extends KubeObject>(path: string, opts: WatchOptions, onEvent: (event: WatchEvent<T>) => void): WatchHandle {
    const controller = new AbortController();
    let stopped = false;
    const done = (async (): Promise<KubeError | undefined> => {
      try {
        const auth = await withDeadline(
          authFor(kubeConfig),
          timeoutMs,
          () => new KubeError('timeout', `credentials for ${server} took longer than ${timeoutMs / 1000} s`),
        );
        const query = buildQuery({
          watch: 1,
          resourceVersion: opts.resourceVersion,
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          allowWatchBookmarks: opts.allowWatchBookmarks ?? true,
          timeoutSeconds: opts.timeoutSeconds ?? 300,
        });
        const url = new URL(server + path + query);
        const lib = url.protocol === 'http:' ? http : https;
        return await new Promise<KubeError | undefined>((resolve) => {
          let settled = false;
          const finish = (error?: KubeError) => {
            if (settled) return;
            settled = true;
            clearTimeout(connectTimer);
            resolve(stopped ? undefined : error);
          };
          // Until the server answers with headers, the usual time limit applies.
          const connectTimer = setTimeout(() => {
            finish(new KubeError('timeout', `${server} did not answer within ${timeoutMs / 1000} s (watch ${path})`));
            controller.abort();
          }, timeoutMs);
          connectTimer.unref?.();
          const req = lib.request(
            url,
            { method: 'GET', headers: { Accept: 'application/json', ...auth.headers }, agent: auth.agent, signal: controller.signal },
            (res) => {
              clearTimeout(connectTimer);
              const status = res.statusCode ?? 0;
              if (status !== 200) {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () => finish(errorFromResponse(status, Buffer.concat(chunks).toString('utf8'), `watch ${path}`)));
                res.on('error', () => finish(errorFromResponse(status, '', `watch ${path}`)));
                return;
              }
              let buffered = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                buffered += chunk;
                let newline: number;
                while ((newline = buffered.indexOf('\n')) >= 0) {
                  const line = buffered.slice(0, newline).trim();
                  buffered = buffered.slice(newline + 1);
                  if (!line) continue;
                  let event: WatchEvent<T>;
                  try {
                    event = JSON.parse(line) as WatchEvent<T>;
                  } catch {
                    continue;
                  }
                  if (event.type === 'ERROR') {
                    const status = event.object as unknown as { code?: number };
                    finish(errorFromResponse(status.code ?? 500, event.object, `watch ${path}`));
                    controller.abort();
                    return;
                  }
                  if (!stopped) onEvent(event);
                }
              });
              res.on('end', () => finish());
              res.on('error', (e) => finish(toKubeError(e, server, `watch ${path}`)));
              res.on('close', () => finish());
            },
          );
          req.on('error', (e) => finish(toKubeError(e, server, `watch ${path}`)));
          req.end();
        });
      } catch (error) {
        return stopped ? undefined : toKubeError(error, server, `watch ${path}`);
      }
    })();
    return {
      stop() {
        stopped = true;
        controller.abort();
      },
      done,
    };
  }

  const client: KubeClient = {
    contextName,
    server,
    namespace: context.namespace || 'default',
    timeoutMs,
    kubeConfig,
    k8s,
    objects: bounded(new k8s.KubernetesObjectApi(configuration), timeoutMs, server),
    core: api(k8s.CoreV1Api),
    apps: api(k8s.AppsV1Api),
    node: api(k8s.NodeV1Api),
    custom: api(k8s.CustomObjectsApi),
    apiextensions: api(k8s.ApiextensionsV1Api),
    async get<T extends KubeObject>(apiVersion: string, kind: string, name: string, namespace?: string) {
      const path = `${await collectionPath(apiVersion, kind, namespace ?? client.namespace)}/${encodeURIComponent(name)}`;
      try {
        return await request<T>('GET', path);
      } catch (error) {
        if (error instanceof KubeError && error.reason === 'not-found') return undefined;
        throw error;
      }
    },
    async list<T extends KubeObject>(apiVersion: string, kind: string, opts: ListOptions = {}) {
      return listPath<T>(await collectionPath(apiVersion, kind, opts.namespace), opts);
    },
    async apply<T extends KubeObject>(object: KubeObject, opts: ApplyOptions) {
      const { apiVersion, kind } = object;
      const name = object.metadata?.name;
      if (!apiVersion || !kind || !name) throw new KubeError('invalid', 'apply needs apiVersion, kind and metadata.name');
      const info = await resource(apiVersion, kind);
      const namespace = info.namespaced ? (object.metadata?.namespace ?? client.namespace) : undefined;
      const body = info.namespaced ? { ...object, metadata: { ...object.metadata, namespace } } : object;
      const path = `${await collectionPath(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`;
      return request<T>('PATCH', path, {
        query: { fieldManager: opts.fieldManager, force: opts.force ? 'true' : undefined, dryRun: opts.dryRun ? 'All' : undefined },
        body,
        contentType: 'application/apply-patch+yaml',
      });
    },
    async delete(apiVersion: string, kind: string, name: string, namespace?: string, opts = {}) {
      const path = `${await collectionPath(apiVersion, kind, namespace ?? client.namespace)}/${encodeURIComponent(name)}`;
      try {
        await request('DELETE', path, { query: { propagationPolicy: opts.propagationPolicy ?? 'Background' } });
        return true;
      } catch (error) {
        if (error instanceof KubeError && error.reason === 'not-found') return false;
        throw error;
      }
    },
    resource,
    collectionPath,
    listPath,
    request,
    watch,
  };
  return client;
}
