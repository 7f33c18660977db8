/**
 * The HTTP face of the test server: the Kubernetes REST conventions (paths, verbs, discovery, list pagination,
 * selectors, watch streams, patch types, Status errors) over the in-memory store, with bearer-token authentication
 * and a simple per-token authorisation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPlainObject } from './fields';
import { allVerbs, apiVersionOf, qualifiedName, storeKey, type ResourceDef } from './resources';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import { ApiError, apiError, statusObject, type Change, type KubeStore } from './store';
import type { KubeObject } from './types';

/** What a token may do. */
export interface TokenGrant {
  /** The user name shown in 403 messages. */
  user: string;
  /**
   * Allowed verbs on resources (plural names such as `nodes`, `deployments`, `pods/status`, or `*`), optionally only
   * in some namespaces. Absent: everything (like cluster-admin). An empty list: nothing but discovery.
   */
  rules?: { verbs: string[]; resources: string[]; namespaces?: string[] }[];
}

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  user?: string;
}

export interface HandlerOptions {
  store: KubeStore;
  tokens: Map<string, TokenGrant>;
  latencyMs: number;
  bookmarkIntervalMs: number;
  requests: RequestRecord[];
}

type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

interface Target {
  resource: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

let yamlLoader: Promise<(text: string) => unknown> | undefined;
function loadYaml(): Promise<(text: string) => unknown> {
  // client-node (already a dependency) carries a YAML parser; JSON bodies never need it.
  yamlLoader ??= import('@kubernetes/client-node').then((m) => (text: string) => m.loadYaml(text));
  return yamlLoader;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

function sendStatus(res: ServerResponse, error: ApiError): void {
  send(res, error.status.code, error.status);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function parseBody(text: string, contentType: string): Promise<unknown> {
  if (!text.trim()) throw apiError(400, 'BadRequest', 'the request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (/yaml/.test(contentType)) {
      try {
        return (await loadYaml())(text);
      } catch (e) {
        throw apiError(400, 'BadRequest', `error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    throw apiError(400, 'BadRequest', 'the body of the request could not be decoded as JSON');
  }
}

function discovery(store: KubeStore, host: string) {
  const resources = store.resources();
  const groups = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.group) continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  const group = (name: string, versions: string[]) => ({
    name,
    versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
  });
  const resourceList = (g: string, v: string) => {
    const list = resources.filter((r) => r.group === g && r.version === v);
    if (list.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: g ? `${g}/${v}` : v,
      resources: list.flatMap((r) => [
        { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: allVerbs, ...(r.shortNames ? { shortNames: r.shortNames } : {}) },
        ...(r.status ? [{ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ]),
    };
  };
  return {
    api: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] },
    apis: { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups].map(([n, v]) => group(n, v)) },
    group: (name: string) => (groups.has(name) ? { kind: 'APIGroup', apiVersion: 'v1', ...group(name, groups.get(name)!) } : undefined),
    resourceList,
  };
}

const version = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-kube-test-server',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.22.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function allowed(grant: TokenGrant, verb: Verb, target: Target): boolean {
  if (!grant.rules) return true;
  const names = [target.resource.plural, target.subresource ? `${target.resource.plural}/${target.subresource}` : undefined].filter(Boolean);
  const wanted = target.subresource ? names[1]! : names[0]!;
  return grant.rules.some(
    (rule) =>
      (rule.verbs.includes('*') || rule.verbs.includes(verb)) &&
      (rule.resources.includes('*') || rule.resources.includes(wanted)) &&
      (!rule.namespaces || (target.resource.namespaced && target.namespace !== undefined && rule.namespaces.includes(target.namespace))),
  );
}

function forbidden(grant: TokenGrant, verb: Verb, t: Target): ApiError {
  const r = t.resource;
  const res = t.subresource ? `${r.plural}/${t.subresource}` : r.plural;
  const subject = t.name ? `${qualifiedName(r)} "${t.name}"` : qualifiedName(r);
  const scope = t.namespace ? `in the namespace "${t.namespace}"` : 'at the cluster scope';
  return apiError(403, 'Forbidden', `${subject} is forbidden: User "${grant.user}" cannot ${verb} resource "${res}" in API group "${r.group}" ${scope}`, {
    ...(t.name ? { name: t.name } : {}),
    group: r.group,
    kind: r.plural,
  });
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof t.rv === 'number' && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch {
    // fall through
  }
  throw apiError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

/** Built-in list items come without apiVersion and kind, as from the real API server; custom resources keep them. */
function listItem(r: ResourceDef, o: KubeObject): string {
  if (!r.group || r.group.endsWith('.k8s.io') || r.group === 'apps') {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return JSON.stringify(rest);
  }
  return JSON.stringify(o);
}

export class KubeHttpHandler {
  /** While true, requests are accepted and never answered (a hung API server). */
  stalled = false;
  private readonly open = new Set<ServerResponse>();
  private readonly cleanups = new Set<() => void>();

  constructor(private readonly options: HandlerOptions) {}

  /** Ends every watch and stalled request (for stop()). */
  closeAll(): void {
    for (const c of [...this.cleanups]) c();
    for (const res of this.open) res.destroy();
    this.open.clear();
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://kube-test-server');
    const record: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    this.options.requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    if (this.stalled) {
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      return;
    }
    const go = () =>
      this.route(req, res, url, record).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof ApiError) sendStatus(res, error);
        else sendStatus(res, apiError(500, 'InternalError', `Internal error occurred: ${(error as Error)?.stack ?? String(error)}`));
      });
    if (this.options.latencyMs > 0) setTimeout(go, this.options.latencyMs);
    else void go();
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, record: RequestRecord): Promise<void> {
    const { store } = this.options;
    const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    const method = req.method ?? 'GET';
    if (parts.length === 1 && ['healthz', 'readyz', 'livez'].includes(parts[0]!)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (parts.length === 1 && parts[0] === 'version') return send(res, 200, version);

    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const grant = token ? this.options.tokens.get(token) : undefined;
    if (!grant) return sendStatus(res, apiError(401, 'Unauthorized', 'Unauthorized'));
    record.user = grant.user;

    const disc = discovery(store, req.headers.host ?? '127.0.0.1');
    if (parts.length === 1 && parts[0] === 'api') return send(res, 200, disc.api);
    if (parts.length === 1 && parts[0] === 'apis') return send(res, 200, disc.apis);
    if (parts.length === 2 && parts[0] === 'apis') {
      const g = disc.group(parts[1]!);
      return g ? send(res, 200, g) : sendStatus(res, apiError(404, 'NotFound', 'the server could not find the requested resource'));
    }
    let group: string;
    let ver: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      group = '';
      ver = parts[1]!;
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1]!;
      ver = parts[2]!;
      rest = parts.slice(3);
    } else return sendStatus(res, apiError(404, 'NotFound', 'the server could not find the requested resource'));
    if (rest.length === 0) {
      const list = disc.resourceList(group, ver);
      return list ? send(res, 200, list) : sendStatus(res, apiError(404, 'NotFound', 'the server could not find the requested resource'));
    }

    let legacyWatch = false;
    if (rest[0] === 'watch') {
      legacyWatch = true;
      rest = rest.slice(1);
    }
    let target: Target | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const r = store.resourceByPlural(group, ver, rest[2]!);
      if (r?.namespaced) target = { resource: r, namespace: rest[1]!, ...(rest[3] ? { name: rest[3] } : {}), ...(rest[4] ? { subresource: rest[4] } : {}) };
      else if (!r && rest.length === 3) {
        // /api/v1/namespaces/NAME/status
        const ns = store.resourceByPlural(group, ver, 'namespaces');
        if (ns) target = { resource: ns, name: rest[1]!, subresource: rest[2]! };
      }
      if (rest.length > 5) target = undefined;
    } else {
      const r = store.resourceByPlural(group, ver, rest[0]!);
      if (r && rest.length <= 3) target = { resource: r, ...(rest[1] ? { name: rest[1] } : {}), ...(rest[2] ? { subresource: rest[2] } : {}) };
      // A namespaced kind by name needs its namespace in the path.
      if (target && target.resource.namespaced && target.name) target = undefined;
    }
    if (!target || (target.subresource && target.subresource !== 'status') || (target.subresource && !target.resource.status && target.resource.kind !== 'Namespace')) {
      return sendStatus(res, apiError(404, 'NotFound', 'the server could not find the requested resource'));
    }

    const q = url.searchParams;
    const isWatch = legacyWatch || q.get('watch') === 'true' || q.get('watch') === '1';
    let verb: Verb;
    switch (method) {
      case 'GET':
        verb = target.name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
        break;
      case 'POST':
        if (target.name) return sendStatus(res, apiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
        verb = 'create';
        break;
      case 'PUT':
        verb = 'update';
        break;
      case 'PATCH':
        verb = 'patch';
        break;
      case 'DELETE':
        verb = target.name ? 'delete' : 'deletecollection';
        break;
      default:
        return sendStatus(res, apiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    }
    if ((verb === 'update' || verb === 'patch') && !target.name) {
      return sendStatus(res, apiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    }
    if (!allowed(grant, verb, target)) return sendStatus(res, forbidden(grant, verb, target));

    const r = target.resource;
    const dryRun = q.get('dryRun') === 'All';
    const userAgent = (req.headers['user-agent'] ?? '').split('/')[0] || 'unknown';
    const fieldManager = q.get('fieldManager') ?? undefined;
    const serve = (o: KubeObject) => ({ ...o, apiVersion: apiVersionOf(r) });

    switch (verb) {
      case 'watch':
        return this.watch(req, res, target, q);
      case 'list':
        return this.list(res, target, q);
      case 'get': {
        const o = store.peek(r, target.name!, target.namespace);
        if (!o) throw apiError(404, 'NotFound', `${qualifiedName(r)} "${target.name}" not found`, { name: target.name!, group: r.group, kind: r.plural });
        return send(res, 200, serve(o));
      }
      case 'create': {
        const body = await parseBody(await readBody(req), req.headers['content-type'] ?? '');
        const created = store.create(r, body, target.namespace, { fieldManager: fieldManager ?? userAgent, dryRun });
        return send(res, 201, serve(created));
      }
      case 'update': {
        const body = await parseBody(await readBody(req), req.headers['content-type'] ?? '');
        const updated = store.replace(r, body, target.namespace, target.name!, { fieldManager: fieldManager ?? userAgent, dryRun, ...(target.subresource === 'status' ? { subresource: 'status' as const } : {}) });
        return send(res, 200, serve(updated));
      }
      case 'patch': {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
        const body = await parseBody(await readBody(req), contentType);
        if (contentType === 'application/apply-patch+yaml') {
          if (!fieldManager) {
            throw apiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
              group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
            });
          }
          if (!isPlainObject(body)) throw apiError(400, 'BadRequest', 'the apply patch is not an object');
          const force = q.get('force') === 'true';
          const { object, created } = store.apply(r, body, target.namespace, target.name!, { fieldManager, force, dryRun });
          return send(res, created ? 201 : 200, serve(object));
        }
        if (q.get('force') !== null) {
          throw apiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
        }
        const type = contentType === 'application/merge-patch+json' ? 'merge' : contentType === 'application/strategic-merge-patch+json' ? 'strategic' : contentType === 'application/json-patch+json' ? 'json' : undefined;
        if (!type) throw apiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
        if (type === 'strategic' && r.group.includes('.') && !r.group.endsWith('.k8s.io')) {
          throw apiError(415, 'UnsupportedMediaType', 'strategic merge patch is not supported for custom resources; use application/merge-patch+json');
        }
        const patched = store.patch(r, target.namespace, target.name!, type, body, { fieldManager: fieldManager ?? userAgent, dryRun, ...(target.subresource === 'status' ? { subresource: 'status' as const } : {}) });
        return send(res, 200, serve(patched));
      }
      case 'delete': {
        let propagationPolicy = q.get('propagationPolicy') ?? undefined;
        let preconditionUid: string | undefined;
        const text = await readBody(req);
        if (text.trim()) {
          const options = (await parseBody(text, req.headers['content-type'] ?? '')) as { propagationPolicy?: string; preconditions?: { uid?: string } };
          propagationPolicy ??= options.propagationPolicy;
          preconditionUid = options.preconditions?.uid;
        }
        const gone = store.remove(r, target.namespace, target.name!, { dryRun, ...(propagationPolicy ? { propagationPolicy } : {}), ...(preconditionUid ? { preconditionUid } : {}) });
        return send(res, 200, statusObject(200, '', '', { name: target.name!, group: r.group, kind: r.plural, uid: gone.metadata?.uid ?? '' }));
      }
      case 'deletecollection': {
        const items = store.select(r, { ...(target.namespace ? { namespace: target.namespace } : {}), labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined });
        for (const o of items) if (store.peek(r, o.metadata!.name!, o.metadata!.namespace)) store.remove(r, o.metadata!.namespace, o.metadata!.name!, { dryRun });
        return send(res, 200, statusObject(200, '', ''));
      }
    }
  }

  private list(res: ServerResponse, target: Target, q: URLSearchParams): void {
    const { store } = this.options;
    const r = target.resource;
    const rvParam = q.get('resourceVersion');
    if (rvParam && rvParam !== '0') {
      const asked = Number(rvParam);
      if (!Number.isInteger(asked) || asked < 0) throw apiError(400, 'BadRequest', `invalid resource version: ${rvParam}`);
      if (asked > store.resourceVersion) {
        throw apiError(504, 'Timeout', `Too large resource version: ${asked}, current: ${store.resourceVersion}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
      }
    }
    const limitText = q.get('limit');
    const limit = limitText ? Number(limitText) : 0;
    if (limitText && (!Number.isInteger(limit) || limit < 0)) throw apiError(400, 'BadRequest', `invalid limit: ${limitText}`);
    const cont = q.get('continue');
    let listRv = store.resourceVersion;
    let start = '';
    if (cont) {
      const token = decodeContinue(cont);
      if (token.rv < store.oldestWatchableVersion) {
        throw apiError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      listRv = token.rv;
      start = token.start;
    }
    const labelSelector = q.get('labelSelector') ?? undefined;
    const fieldSelector = q.get('fieldSelector') ?? undefined;
    const all = store.select(r, { ...(target.namespace ? { namespace: target.namespace } : {}), labelSelector, fieldSelector });
    let from = 0;
    if (start) {
      const key = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (key(all[mid]!) <= start) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const page = limit > 0 ? all.slice(from, from + limit) : all.slice(from);
    const remaining = all.length - from - page.length;
    const metadata: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (remaining > 0 && page.length > 0) {
      const last = page[page.length - 1]!;
      metadata.continue = encodeContinue({ rv: listRv, start: `${last.metadata?.namespace ?? ''}/${last.metadata?.name ?? ''}` });
      if (!labelSelector && !fieldSelector) metadata.remainingItemCount = remaining;
    }
    const text = `{"kind":${JSON.stringify(r.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(r))},"metadata":${JSON.stringify(metadata)},"items":[${page.map((o) => listItem(r, o)).join(',')}]}`;
    send(res, 200, text);
  }

  private watch(req: IncomingMessage, res: ServerResponse, target: Target, q: URLSearchParams): void {
    const { store } = this.options;
    const r = target.resource;
    let labels;
    let fields;
    try {
      labels = parseLabelSelector(q.get('labelSelector'));
      const fieldText = [q.get('fieldSelector'), target.name ? `metadata.name=${target.name}` : ''].filter(Boolean).join(',');
      fields = parseFieldSelector(fieldText, r.plural);
    } catch (e) {
      if (e instanceof SelectorError) throw apiError(400, 'BadRequest', e.message);
      throw e;
    }
    const rvParam = q.get('resourceVersion');
    let from: number | undefined;
    if (rvParam && rvParam !== '0') {
      from = Number(rvParam);
      if (!Number.isInteger(from) || from < 0) throw apiError(400, 'BadRequest', `invalid resource version: ${rvParam}`);
    }
    const key = storeKey(r);
    const matches = (o: KubeObject | undefined) =>
      o !== undefined &&
      (!target.namespace || o.metadata?.namespace === target.namespace) &&
      (labels.length === 0 || matchesLabels(labels, o.metadata?.labels)) &&
      (fields.length === 0 || matchesFields(fields, o));
    const withVersion = (o: KubeObject) => ({ ...o, apiVersion: apiVersionOf(r), kind: r.kind });

    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    if (from !== undefined && from < store.oldestWatchableVersion) {
      write('ERROR', statusObject(410, 'Expired', `too old resource version: ${from} (${store.oldestWatchableVersion})`));
      res.end();
      return;
    }
    const deliver = (c: Change) => {
      if (storeKey(c.resource) !== key) return;
      const now = matches(c.object);
      const before = c.type === 'MODIFIED' ? matches(c.previous) : false;
      if (c.type === 'ADDED' && now) write('ADDED', withVersion(c.object));
      else if (c.type === 'DELETED' && (matches(c.previous) || now)) write('DELETED', withVersion(c.object));
      else if (c.type === 'MODIFIED') {
        if (now && before) write('MODIFIED', withVersion(c.object));
        else if (now) write('ADDED', withVersion(c.object));
        else if (before) write('DELETED', withVersion(c.object));
      }
    };
    if (from === undefined) {
      for (const o of store.select(r, { ...(target.namespace ? { namespace: target.namespace } : {}) })) if (matches(o)) write('ADDED', withVersion(o));
    } else {
      for (const c of store.changesSince(from)) deliver(c);
    }
    const listener = (c: Change) => deliver(c);
    store.on('change', listener);
    const bookmarks = q.get('allowWatchBookmarks') === 'true'
      ? setInterval(() => write('BOOKMARK', { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(store.resourceVersion) } }), this.options.bookmarkIntervalMs)
      : undefined;
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeoutSeconds > 0 ? setTimeout(() => cleanup(true), timeoutSeconds * 1000) : undefined;
    const cleanup = (end: boolean) => {
      store.off('change', listener);
      if (bookmarks) clearInterval(bookmarks);
      if (timer) clearTimeout(timer);
      this.cleanups.delete(close);
      if (end && !res.writableEnded) res.end();
    };
    const close = () => cleanup(true);
    this.cleanups.add(close);
    req.on('close', () => cleanup(false));
    res.on('close', () => cleanup(false));
  }
}
