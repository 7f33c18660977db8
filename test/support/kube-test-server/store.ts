/**
 * The test server's state: objects per resource in memory, one monotonically increasing resourceVersion, and a
 * bounded history of changes that watches replay. Writes follow the API server's rules (defaults, validation,
 * resourceVersion checks, generation, managed fields, server-side apply, garbage collection by owner references);
 * breaking one throws an `ApiError` carrying the `Status` the server sends.
 *
 * Tests use it directly to seed objects, change them and read them back (`put`, `modify`, `get`, `list`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { clone, deepEqual, mergePatch, recordUpdate, serverSideApply, isPlainObject } from './fields';
import { apiVersionOf, builtinResources, qualifiedName, resourcesOfCrd, storeKey, type ResourceDef } from './resources';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors';
import type { KubeObject, Status } from './types';

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export function statusObject(code: number, reason: string, message: string, details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: code < 400 ? 'Success' : 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export function apiError(code: number, reason: string, message: string, details?: Status['details']): ApiError {
  return new ApiError(statusObject(code, reason, message, details));
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  type: ChangeType;
  resourceVersion: number;
  resource: ResourceDef;
  object: KubeObject;
  /** The object before a modification or deletion. */
  previous?: KubeObject;
}

export interface ListQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

interface Collection {
  resource: ResourceDef;
  objects: Map<string, KubeObject>;
  sortedKeys?: string[];
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
}

export class KubeStore extends EventEmitter {
  private rv = 0;
  private readonly collections = new Map<string, Collection>();
  private readonly history: Change[] = [];
  /** Changes at or below this resourceVersion are no longer in the history (a watch from there gets 410). */
  private compactedRv = 0;
  private crdResources: ResourceDef[] = [];

  constructor(readonly historyLimit = 50_000) {
    super();
    this.setMaxListeners(0);
    for (const r of builtinResources) this.collections.set(storeKey(r), { resource: r, objects: new Map() });
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
  }

  /** The current resourceVersion (of the last write). */
  get resourceVersion(): number {
    return this.rv;
  }

  /** The oldest resourceVersion a watch may start from. */
  get oldestWatchableVersion(): number {
    return this.compactedRv;
  }

  /** Every served resource: built-in ones and those of the CRDs in the store. */
  resources(): ResourceDef[] {
    return [...builtinResources, ...this.crdResources];
  }

  resourceFor(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.resources().find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
  }

  resourceByPlural(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.resources().find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  private requireResource(apiVersion: string | undefined, kind: string | undefined): ResourceDef {
    const r = apiVersion && kind ? this.resourceFor(apiVersion, kind) : undefined;
    if (!r) throw apiError(404, 'NotFound', `the server could not find the requested resource (${kind ?? '?'} in ${apiVersion ?? '?'})`);
    return r;
  }

  private collection(r: ResourceDef): Collection {
    const k = storeKey(r);
    let c = this.collections.get(k);
    if (!c) {
      c = { resource: r, objects: new Map() };
      this.collections.set(k, c);
    }
    return c;
  }

  /** Drops the whole change history: a watch from any earlier resourceVersion now gets 410 Gone. */
  compact(): void {
    this.history.length = 0;
    this.compactedRv = this.rv;
  }

  /** Changes after `resourceVersion` (the caller checked it is not older than `oldestWatchableVersion`). */
  changesSince(resourceVersion: number): Change[] {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid]!.resourceVersion <= resourceVersion) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  private record(change: Omit<Change, 'resourceVersion'>): void {
    const full = { ...change, resourceVersion: this.rv };
    this.history.push(full);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = dropped[dropped.length - 1]!.resourceVersion;
    }
    if (change.resource.kind === 'CustomResourceDefinition') this.refreshCrds();
    this.emit('change', full);
  }

  private refreshCrds(): void {
    const crds = this.collections.get('apiextensions.k8s.io/customresourcedefinitions')!;
    this.crdResources = [...crds.objects.values()].flatMap(resourcesOfCrd);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Reads

  /** The stored object (not a copy: do not change it; use `modify`). */
  peek(r: ResourceDef, name: string, namespace?: string): KubeObject | undefined {
    return this.collection(r).objects.get(objectKey(r.namespaced ? namespace : undefined, name));
  }

  /** A copy of the object, or undefined. */
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const r = this.requireResource(apiVersion, kind);
    return clone(this.peek(r, name, namespace ?? (r.namespaced ? 'default' : undefined)));
  }

  /** Matching objects in key order (namespace/name), stored objects (not copies). */
  select(r: ResourceDef, query: ListQuery = {}): KubeObject[] {
    let labels;
    let fields;
    try {
      labels = parseLabelSelector(query.labelSelector);
      fields = parseFieldSelector(query.fieldSelector, r.plural);
    } catch (e) {
      if (e instanceof SelectorError) throw apiError(400, 'BadRequest', e.message);
      throw e;
    }
    const c = this.collection(r);
    c.sortedKeys ??= [...c.objects.keys()].sort();
    const out: KubeObject[] = [];
    const prefix = query.namespace !== undefined && r.namespaced ? `${query.namespace}/` : undefined;
    for (const k of c.sortedKeys) {
      if (prefix && !k.startsWith(prefix)) continue;
      const o = c.objects.get(k)!;
      if (labels.length > 0 && !matchesLabels(labels, o.metadata?.labels)) continue;
      if (fields.length > 0 && !matchesFields(fields, o)) continue;
      out.push(o);
    }
    return out;
  }

  /** Copies of the matching objects. */
  list(apiVersion: string, kind: string, query: ListQuery = {}): KubeObject[] {
    return this.select(this.requireResource(apiVersion, kind), query).map((o) => clone(o));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Writes (the API server's rules)

  private validate(r: ResourceDef, o: KubeObject): void {
    const kindName = r.group ? `${r.kind}.${r.group}` : r.kind;
    const name = o.metadata?.name ?? '';
    const causes: { reason: string; message: string; field: string }[] = [];
    const invalid = (field: string, message: string) => causes.push({ reason: 'FieldValueInvalid', message: `${message}`, field });
    const required = (field: string, message = 'Required value') => causes.push({ reason: 'FieldValueRequired', message: `Required value${message === 'Required value' ? '' : `: ${message}`}`, field });
    if (!name) required('metadata.name', 'name or generateName is required');
    else if (name.length > 253 || !dns1123Subdomain.test(name)) {
      invalid('metadata.name', `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
    }
    const spec = (o as { spec?: Record<string, unknown> }).spec;
    const podSpec = (s: unknown, field: string) => {
      const containers = isPlainObject(s) ? (s.containers as { name?: string; image?: string }[] | undefined) : undefined;
      if (!Array.isArray(containers) || containers.length === 0) return required(`${field}.containers`);
      containers.forEach((c, i) => {
        if (!c?.name) required(`${field}.containers[${i}].name`);
        if (!c?.image) required(`${field}.containers[${i}].image`);
      });
      const rc = isPlainObject(s) ? s.runtimeClassName : undefined;
      if (rc !== undefined && (typeof rc !== 'string' || !dns1123Subdomain.test(rc))) invalid(`${field}.runtimeClassName`, `Invalid value: ${JSON.stringify(rc)}: a lowercase RFC 1123 subdomain`);
    };
    switch (`${r.group}/${r.kind}`) {
      case '/Pod':
        podSpec(spec, 'spec');
        break;
      case 'apps/Deployment':
      case 'apps/ReplicaSet':
      case 'apps/DaemonSet':
      case 'apps/StatefulSet': {
        const selector = (spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
        const template = spec?.template as { metadata?: { labels?: Record<string, string> }; spec?: unknown } | undefined;
        if (!selector || Object.keys(selector).length === 0) required('spec.selector');
        if (!template) required('spec.template');
        else {
          const labels = template.metadata?.labels ?? {};
          if (selector && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
            invalid('spec.template.metadata.labels', `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``);
          }
          podSpec(template.spec, 'spec.template.spec');
        }
        const replicas = spec?.replicas;
        if (replicas !== undefined && (typeof replicas !== 'number' || replicas < 0)) invalid('spec.replicas', `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
        break;
      }
      case 'node.k8s.io/RuntimeClass': {
        const handler = (o as { handler?: unknown }).handler;
        if (!handler) required('handler');
        else if (typeof handler !== 'string' || !dns1123Label.test(handler)) invalid('handler', `Invalid value: ${JSON.stringify(handler)}: a lowercase RFC 1123 label`);
        break;
      }
      case 'apiextensions.k8s.io/CustomResourceDefinition': {
        const s = spec as { group?: string; names?: { plural?: string; kind?: string }; versions?: unknown[] } | undefined;
        if (!s?.group) required('spec.group');
        if (!s?.names?.plural) required('spec.names.plural');
        if (!s?.names?.kind) required('spec.names.kind');
        if (!s?.versions?.length) required('spec.versions');
        if (s?.group && s.names?.plural && name !== `${s.names.plural}.${s.group}`) invalid('metadata.name', `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`);
        break;
      }
      case 'core.spinkube.dev/SpinApp': {
        if (!spec?.image) required('spec.image');
        if (spec?.replicas !== undefined && (typeof spec.replicas !== 'number' || spec.replicas < 0)) invalid('spec.replicas', 'Invalid value: must be >= 0');
        break;
      }
    }
    if (causes.length > 0) {
      const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
      throw apiError(422, 'Invalid', `${kindName} "${name}" is invalid: ${causes.length > 1 ? `[${text}]` : text}`, { name, group: r.group, kind: r.kind, causes });
    }
  }

  /** Checks a body against the resource it is sent to (kind, apiVersion, namespace, name). */
  private checkBody(r: ResourceDef, o: unknown, namespace: string | undefined, name?: string): KubeObject {
    if (!isPlainObject(o)) throw apiError(400, 'BadRequest', 'the body of the request was not a JSON object');
    const obj = o as KubeObject;
    const expected = apiVersionOf(r);
    if (obj.kind !== undefined && obj.kind !== r.kind) {
      throw apiError(422, 'Invalid', `${r.kind}${r.group ? `.${r.group}` : ''} "${obj.metadata?.name ?? ''}" is invalid: kind: Invalid value: "${String(obj.kind)}": must be ${r.kind}`, {
        name: obj.metadata?.name ?? '', group: r.group, kind: r.kind, causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "${String(obj.kind)}": must be ${r.kind}`, field: 'kind' }],
      });
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
      throw apiError(422, 'Invalid', `${r.kind} "${obj.metadata?.name ?? ''}" is invalid: apiVersion: Invalid value: "${String(obj.apiVersion)}": must be ${expected}`, {
        name: obj.metadata?.name ?? '', group: r.group, kind: r.kind, causes: [{ reason: 'FieldValueInvalid', message: `must be ${expected}`, field: 'apiVersion' }],
      });
    }
    const body = clone(obj);
    body.apiVersion = expected;
    body.kind = r.kind;
    body.metadata = isPlainObject(body.metadata) ? body.metadata : {};
    if (r.namespaced) {
      if (body.metadata.namespace && namespace && body.metadata.namespace !== namespace) {
        throw apiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      body.metadata.namespace = namespace ?? body.metadata.namespace ?? 'default';
    } else delete body.metadata.namespace;
    if (name !== undefined && body.metadata.name !== undefined && body.metadata.name !== name) {
      throw apiError(400, 'BadRequest', `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (name !== undefined) body.metadata.name ??= name;
    delete body.metadata.managedFields;
    return body;
  }

  private requireNamespace(r: ResourceDef, namespace: string | undefined): void {
    if (!r.namespaced || !namespace) return;
    if (!this.collections.get('/namespaces')!.objects.has(objectKey(undefined, namespace))) {
      throw apiError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
  }

  private defaults(r: ResourceDef, o: KubeObject): void {
    const spec = (o as { spec?: Record<string, unknown> }).spec;
    if (r.group === 'apps' && (r.kind === 'Deployment' || r.kind === 'ReplicaSet' || r.kind === 'StatefulSet') && isPlainObject(spec) && spec.replicas === undefined) spec.replicas = 1;
    if (r.kind === 'Pod' && r.group === '' && !isPlainObject(o.status)) o.status = { phase: 'Pending' };
  }

  private write(r: ResourceDef, next: KubeObject, previous: KubeObject | undefined, dryRun: boolean): KubeObject {
    if (dryRun) return clone(next);
    this.rv++;
    next.metadata!.resourceVersion = String(this.rv);
    const c = this.collection(r);
    const k = objectKey(next.metadata!.namespace, next.metadata!.name!);
    if (!c.objects.has(k)) c.sortedKeys = undefined;
    c.objects.set(k, next);
    this.record({ type: previous ? 'MODIFIED' : 'ADDED', resource: r, object: next, ...(previous ? { previous } : {}) });
    return clone(next);
  }

  private finishCreate(r: ResourceDef, body: KubeObject, opts: WriteOptions): KubeObject {
    const meta = body.metadata!;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
    this.validate(r, body);
    this.requireNamespace(r, meta.namespace);
    if (this.peek(r, meta.name!, meta.namespace)) {
      throw apiError(409, 'AlreadyExists', `${qualifiedName(r)} "${meta.name}" already exists`, { name: meta.name!, group: r.group, kind: r.plural });
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp();
    if (r.generation) meta.generation = 1;
    delete meta.resourceVersion;
    this.defaults(r, body);
    if (opts.fieldManager !== undefined) recordUpdate(undefined, body, opts.fieldManager);
    return this.write(r, body, undefined, opts.dryRun ?? false);
  }

  /** POST: creates the object (409 when it exists, 422 when invalid, 404 when its namespace does not exist). */
  create(r: ResourceDef, object: unknown, namespace: string | undefined, opts: WriteOptions = {}): KubeObject {
    return this.finishCreate(r, this.checkBody(r, object, namespace), opts);
  }

  /** The rules shared by every change of an existing object: status, generation, identity. */
  private finishUpdate(r: ResourceDef, current: KubeObject, next: KubeObject, opts: WriteOptions & { subresource?: 'status' }): KubeObject {
    const meta = next.metadata!;
    const cur = current.metadata!;
    meta.uid = cur.uid;
    meta.creationTimestamp = cur.creationTimestamp;
    meta.name = cur.name;
    if (r.namespaced) meta.namespace = cur.namespace;
    if (cur.deletionTimestamp) meta.deletionTimestamp = cur.deletionTimestamp;
    if (opts.subresource === 'status') {
      // Only status changes through the status subresource.
      const onlyStatus = clone(current);
      onlyStatus.status = next.status;
      onlyStatus.metadata!.managedFields = cur.managedFields;
      return this.commitUpdate(r, current, onlyStatus, opts.dryRun ?? false);
    }
    if (r.status) {
      if (current.status === undefined) delete next.status;
      else next.status = clone(current.status);
    }
    this.validate(r, next);
    bumpGeneration(r, current, next);
    return this.commitUpdate(r, current, next, opts.dryRun ?? false);
  }

  private commitUpdate(r: ResourceDef, current: KubeObject, next: KubeObject, dryRun: boolean): KubeObject {
    // A write that changes nothing is not a write: same resourceVersion, no event.
    const comparable = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: (o.metadata?.managedFields ?? []).map((m) => ({ ...m, time: undefined })) } });
    if (deepEqual(comparable(current), comparable(next))) return clone(current);
    return this.write(r, next, current, dryRun);
  }

  /** PUT: replaces the object (404 when missing, 409 when metadata.resourceVersion is stale). */
  replace(r: ResourceDef, object: unknown, namespace: string | undefined, name: string, opts: WriteOptions & { subresource?: 'status' } = {}): KubeObject {
    const body = this.checkBody(r, object, namespace, name);
    const current = this.peek(r, name, body.metadata!.namespace);
    if (!current) throw apiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });
    const rv = body.metadata!.resourceVersion;
    if (rv && rv !== current.metadata!.resourceVersion) {
      throw apiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: r.group, kind: r.plural });
    }
    body.metadata!.managedFields = clone(current.metadata!.managedFields);
    if (opts.fieldManager !== undefined && opts.subresource !== 'status') recordUpdate(current, body, opts.fieldManager);
    return this.finishUpdate(r, current, body, opts);
  }

  /** PATCH with a JSON merge patch, a strategic merge patch (approximated) or a JSON patch. */
  patch(r: ResourceDef, namespace: string | undefined, name: string, patchType: 'merge' | 'strategic' | 'json', patch: unknown, opts: WriteOptions & { subresource?: 'status' } = {}): KubeObject {
    const current = this.peek(r, name, r.namespaced ? namespace : undefined);
    if (!current) throw apiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });
    let next: KubeObject;
    if (patchType === 'json') next = applyJsonPatch(clone(current), patch);
    else {
      if (!isPlainObject(patch)) throw apiError(400, 'BadRequest', 'the patch is not a JSON object');
      next = mergePatch(clone(current), patch, patchType === 'strategic') as KubeObject;
    }
    const rv = (patch as KubeObject)?.metadata?.resourceVersion;
    if (patchType !== 'json' && rv && rv !== current.metadata!.resourceVersion) {
      throw apiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: r.group, kind: r.plural });
    }
    next.apiVersion = current.apiVersion;
    next.kind = current.kind;
    if (opts.fieldManager !== undefined && opts.subresource !== 'status') recordUpdate(current, next, opts.fieldManager);
    return this.finishUpdate(r, current, next, opts);
  }

  /** Server-side apply: creates or merges, records ownership, 409 on a conflict with another manager unless forced. */
  apply(r: ResourceDef, object: unknown, namespace: string | undefined, name: string, opts: { fieldManager: string; force?: boolean; dryRun?: boolean }): { object: KubeObject; created: boolean } {
    const body = this.checkBody(r, object, namespace, name);
    const current = this.peek(r, name, body.metadata!.namespace);
    if (current && body.metadata!.resourceVersion && body.metadata!.resourceVersion !== current.metadata!.resourceVersion) {
      throw apiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: r.group, kind: r.plural });
    }
    const applied = clone(body);
    delete applied.metadata!.resourceVersion;
    if (r.status) delete applied.status;
    const result = serverSideApply(current, applied, opts.fieldManager, opts.force ?? false);
    if ('conflicts' in result) {
      const byManager = new Map<string, string[]>();
      for (const c of result.conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.path]);
      const n = result.conflicts.length;
      const parts = [...byManager].map(([m, paths]) => (paths.length === 1 ? `conflict with "${m}" using ${apiVersionOf(r)}: ${paths[0]}` : `conflicts with "${m}" using ${apiVersionOf(r)}:\n${paths.map((p) => `- ${p}`).join('\n')}`));
      throw apiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`, {
        name, group: r.group, kind: r.plural,
        causes: result.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersionOf(r)}`, field: c.path })),
      });
    }
    const next = result.object;
    next.apiVersion = apiVersionOf(r);
    next.kind = r.kind;
    if (!current) {
      const meta = next.metadata!;
      this.validate(r, next);
      this.requireNamespace(r, meta.namespace);
      meta.uid = randomUUID();
      meta.creationTimestamp = timestamp();
      if (r.generation) meta.generation = 1;
      this.defaults(r, next);
      return { object: this.write(r, next, undefined, opts.dryRun ?? false), created: true };
    }
    return { object: this.finishUpdate(r, current, next, opts), created: false };
  }

  /** DELETE: removes the object and (unless orphaned) the objects it owns; deleting a namespace empties it. */
  remove(r: ResourceDef, namespace: string | undefined, name: string, opts: { dryRun?: boolean; propagationPolicy?: string; preconditionUid?: string } = {}): KubeObject {
    const current = this.peek(r, name, r.namespaced ? namespace : undefined);
    if (!current) throw apiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, { name, group: r.group, kind: r.plural });
    if (opts.preconditionUid && opts.preconditionUid !== current.metadata!.uid) {
      throw apiError(409, 'Conflict', `Precondition failed: UID in precondition: ${opts.preconditionUid}, UID in object meta: ${current.metadata!.uid}`);
    }
    if (opts.dryRun) return clone(current);
    const c = this.collection(r);
    c.objects.delete(objectKey(current.metadata!.namespace, name));
    c.sortedKeys = undefined;
    this.rv++;
    const gone = clone(current);
    gone.metadata!.resourceVersion = String(this.rv);
    this.record({ type: 'DELETED', resource: r, object: gone, previous: current });
    if (opts.propagationPolicy !== 'Orphan') this.collectGarbage(current);
    if (r.kind === 'Namespace' && r.group === '') {
      for (const col of this.collections.values()) {
        if (!col.resource.namespaced) continue;
        for (const o of [...col.objects.values()]) if (o.metadata?.namespace === name) this.remove(col.resource, name, o.metadata.name!);
      }
    }
    return gone;
  }

  private collectGarbage(owner: KubeObject): void {
    const uid = owner.metadata?.uid;
    if (!uid) return;
    for (const col of this.collections.values()) {
      for (const o of [...col.objects.values()]) {
        if (o.metadata?.ownerReferences?.some((ref) => ref.uid === uid) && this.peek(col.resource, o.metadata.name!, o.metadata.namespace)) {
          this.remove(col.resource, o.metadata.namespace, o.metadata.name!);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // For tests and the controller: seed and change objects without the HTTP rules getting in the way.

  /** Creates or replaces an object as given (status included), like a seed or a controller writing it. */
  put(object: KubeObject): KubeObject {
    const r = this.requireResource(object.apiVersion, object.kind);
    const body = clone(object);
    body.metadata ??= {};
    if (r.namespaced) body.metadata.namespace ??= 'default';
    const current = body.metadata.name ? this.peek(r, body.metadata.name, body.metadata.namespace) : undefined;
    if (!current) {
      const meta = body.metadata;
      if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
      this.validate(r, body);
      meta.uid ??= randomUUID();
      meta.creationTimestamp ??= timestamp();
      if (r.generation) meta.generation ??= 1;
      this.defaults(r, body);
      return this.write(r, body, undefined, false);
    }
    body.metadata.uid = current.metadata!.uid;
    body.metadata.creationTimestamp = current.metadata!.creationTimestamp;
    body.metadata.managedFields ??= current.metadata!.managedFields;
    bumpGeneration(r, current, body);
    return this.commitUpdate(r, current, body, false);
  }

  /** Changes a stored object with `mutate` (on a copy) and writes it: a new resourceVersion and a MODIFIED event. */
  modify(apiVersion: string, kind: string, name: string, namespace: string | undefined, mutate: (object: KubeObject) => void): KubeObject {
    const r = this.requireResource(apiVersion, kind);
    const current = this.peek(r, name, r.namespaced ? namespace ?? 'default' : undefined);
    if (!current) throw apiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`);
    const next = clone(current);
    mutate(next);
    bumpGeneration(r, current, next);
    return this.commitUpdate(r, current, next, false);
  }

  /** Deletes an object (and what it owns); false when it did not exist. */
  delete(apiVersion: string, kind: string, name: string, namespace?: string): boolean {
    const r = this.requireResource(apiVersion, kind);
    if (!this.peek(r, name, r.namespaced ? namespace ?? 'default' : undefined)) return false;
    this.remove(r, namespace ?? 'default', name);
    return true;
  }

  /** Seeds many objects fast (no copies beyond one; used for large clusters). */
  seed(objects: readonly KubeObject[]): void {
    // CRDs first, so that their custom resources are served when they come.
    const sorted = [...objects].sort((a, b) => Number(b.kind === 'CustomResourceDefinition') - Number(a.kind === 'CustomResourceDefinition') || Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'));
    for (const o of sorted) {
      const r = this.requireResource(o.apiVersion, o.kind);
      if (r.namespaced) {
        const ns = o.metadata?.namespace ?? 'default';
        if (!this.peek(this.requireResource('v1', 'Namespace'), ns)) this.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } });
      }
      this.put(o);
    }
  }
}

/** metadata.generation counts changes of everything but metadata and status. */
function bumpGeneration(r: ResourceDef, current: KubeObject, next: KubeObject): void {
  if (!r.generation) return;
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  next.metadata!.generation = (current.metadata?.generation ?? 1) + (deepEqual(strip(current), strip(next)) ? 0 : 1);
}

function applyJsonPatch(target: KubeObject, patch: unknown): KubeObject {
  if (!Array.isArray(patch)) throw apiError(400, 'BadRequest', 'a JSON patch must be a list of operations');
  const parse = (pointer: string) => pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let doc: unknown = target;
  for (const op of patch as { op: string; path: string; value?: unknown; from?: string }[]) {
    const parts = parse(op.path);
    const last = parts.pop();
    let parent: unknown = doc;
    for (const p of parts) {
      parent = Array.isArray(parent) ? parent[Number(p)] : isPlainObject(parent) ? parent[p] : undefined;
      if (parent === undefined) throw apiError(422, 'Invalid', `the server rejected our request due to an error in our request: path ${op.path} does not exist`);
    }
    if (last === undefined) {
      if (op.op === 'replace' || op.op === 'add') doc = clone(op.value);
      continue;
    }
    const container = parent as Record<string, unknown> | unknown[];
    switch (op.op) {
      case 'add':
        if (Array.isArray(container)) container.splice(last === '-' ? container.length : Number(last), 0, clone(op.value));
        else container[last] = clone(op.value);
        break;
      case 'replace':
        if (Array.isArray(container)) container[Number(last)] = clone(op.value);
        else {
          if (!(last in container)) throw apiError(422, 'Invalid', `replace operation does not apply: doc is missing key: ${op.path}`);
          container[last] = clone(op.value);
        }
        break;
      case 'remove':
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else {
          if (!(last in container)) throw apiError(422, 'Invalid', `remove operation does not apply: doc is missing path: ${op.path}`);
          delete container[last];
        }
        break;
      case 'test': {
        const v = Array.isArray(container) ? container[Number(last)] : container[last];
        if (!deepEqual(v, op.value)) throw apiError(422, 'Invalid', `testing value ${op.path} failed`);
        break;
      }
      default:
        throw apiError(400, 'BadRequest', `unsupported JSON patch operation "${op.op}"`);
    }
  }
  return doc as KubeObject;
}
