/**
 * Field ownership (`metadata.managedFields`, FieldsV1) and server-side apply, minimally but by the rules the API
 * server follows:
 *
 * - an object's fields are its leaves; lists whose items all have a `name` are associative (keyed `k:{"name":..}`),
 *   other lists are atomic (one leaf);
 * - an update (create, PUT, merge patch) gives its manager every leaf it changed and takes them from the others;
 * - an apply sets exactly the applied leaves for its manager: a leaf another manager owns with a different value is
 *   a conflict unless forced (then the other manager loses it); leaves the manager applied before and no longer
 *   applies are removed when nobody else owns them.
 */
import type { FieldsV1, KubeObject, ManagedFieldsEntry } from './types';

type Path = string[];

const ignoredRoot = new Set(['apiVersion', 'kind', 'status']);
const ignoredMeta = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'generateName',
]);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isAssociative(list: unknown[]): boolean {
  return list.length > 0 && list.every((e) => isPlainObject(e) && typeof e.name === 'string');
}

function itemKey(name: string): string {
  return `k:${JSON.stringify({ name })}`;
}

/** Every leaf path of an object, as FieldsV1 segments (`f:spec`, `f:replicas`, `k:{"name":"app"}`, `.`). */
export function leavesOf(object: KubeObject): Path[] {
  const out: Path[] = [];
  const walk = (value: unknown, prefix: Path, skip?: Set<string>) => {
    if (isPlainObject(value)) {
      const keys = Object.keys(value).filter((k) => !skip?.has(k) && value[k] !== undefined);
      if (keys.length === 0) {
        if (prefix.length > 0) out.push(prefix);
        return;
      }
      for (const k of keys) walk(value[k], [...prefix, `f:${k}`]);
      return;
    }
    if (Array.isArray(value) && isAssociative(value)) {
      for (const item of value as Record<string, unknown>[]) {
        const p = [...prefix, itemKey(item.name as string)];
        out.push([...p, '.']);
        for (const k of Object.keys(item)) if (item[k] !== undefined) walk(item[k], [...p, `f:${k}`]);
      }
      return;
    }
    out.push(prefix);
  };
  for (const k of Object.keys(object)) {
    if (ignoredRoot.has(k) || object[k] === undefined) continue;
    if (k === 'metadata') {
      const meta = object.metadata ?? {};
      const keys = Object.keys(meta).filter((m) => !ignoredMeta.has(m));
      for (const m of keys) walk(meta[m], ['f:metadata', `f:${m}`]);
      continue;
    }
    walk(object[k], [`f:${k}`]);
  }
  return out;
}

const SEP = '\u0001';
const joinPath = (p: Path) => p.join(SEP);
const splitPath = (s: string): Path => s.split(SEP);

/** The value at a leaf path, or undefined. `.` is the list item itself. */
export function valueAt(object: unknown, path: Path): unknown {
  let cur: unknown = object;
  for (const seg of path) {
    if (seg === '.') return cur;
    if (seg.startsWith('f:')) {
      if (!isPlainObject(cur)) return undefined;
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith('k:')) {
      if (!Array.isArray(cur)) return undefined;
      const { name } = JSON.parse(seg.slice(2)) as { name: string };
      cur = cur.find((e) => isPlainObject(e) && e.name === name);
    } else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function removeAt(object: Record<string, unknown>, path: Path): void {
  const last = path[path.length - 1]!;
  if (last === '.') {
    // Remove the list item: its parent is the list, found at path minus the item key and the dot.
    const list = valueAt(object, path.slice(0, -2));
    const key = path[path.length - 2]!;
    if (Array.isArray(list) && key.startsWith('k:')) {
      const { name } = JSON.parse(key.slice(2)) as { name: string };
      const i = list.findIndex((e) => isPlainObject(e) && e.name === name);
      if (i >= 0) list.splice(i, 1);
    }
    return;
  }
  const parent = valueAt(object, path.slice(0, -1));
  if (isPlainObject(parent) && last.startsWith('f:')) delete parent[last.slice(2)];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Merges an applied configuration into an object: maps merge, associative lists merge by name, the rest is replaced. */
export function mergeApplied(current: unknown, applied: unknown): unknown {
  if (isPlainObject(current) && isPlainObject(applied)) {
    const out: Record<string, unknown> = { ...current };
    for (const [k, v] of Object.entries(applied)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(current[k], v);
    }
    return out;
  }
  if (Array.isArray(current) && Array.isArray(applied) && isAssociative(applied) && (current.length === 0 || isAssociative(current))) {
    const out = current.map((e) => clone(e));
    for (const item of applied as Record<string, unknown>[]) {
      const i = out.findIndex((e) => (e as Record<string, unknown>).name === item.name);
      if (i >= 0) out[i] = mergeApplied(out[i], item);
      else out.push(clone(item));
    }
    return out;
  }
  return clone(applied);
}

/** JSON merge patch (RFC 7386); with `strategic`, lists of named items merge by name (as strategic merge patch does for containers, env, volumes). */
export function mergePatch(target: unknown, patch: unknown, strategic = false): unknown {
  if (!isPlainObject(patch)) {
    if (strategic && Array.isArray(patch) && Array.isArray(target) && isAssociative(patch) && isAssociative(target)) return mergeApplied(target, patch);
    return clone(patch);
  }
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v, strategic);
  }
  return out;
}

interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource?: string;
  apiVersion: string;
  time: string;
  set: Set<string>;
}

function toFieldsV1(set: Set<string>): FieldsV1 {
  const root: FieldsV1 = {};
  for (const joined of [...set].sort()) {
    let node = root;
    for (const seg of splitPath(joined)) node = node[seg] ??= {};
  }
  return root;
}

function fromFieldsV1(tree: FieldsV1 | undefined, prefix: Path = [], out = new Set<string>()): Set<string> {
  for (const [seg, child] of Object.entries(tree ?? {})) {
    const p = [...prefix, seg];
    if (seg === '.' || Object.keys(child).length === 0) out.add(joinPath(p));
    else fromFieldsV1(child, p, out);
  }
  return out;
}

function readEntries(object: KubeObject | undefined): Entry[] {
  return (object?.metadata?.managedFields ?? []).map((m) => ({
    manager: m.manager,
    operation: m.operation,
    ...(m.subresource ? { subresource: m.subresource } : {}),
    apiVersion: m.apiVersion,
    time: m.time,
    set: fromFieldsV1(m.fieldsV1),
  }));
}

function writeEntries(object: KubeObject, entries: Entry[]): void {
  const list: ManagedFieldsEntry[] = entries
    .filter((e) => e.set.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(e.set),
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
  object.metadata ??= {};
  if (list.length > 0) object.metadata.managedFields = list;
  else delete object.metadata.managedFields;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `.spec.template.spec.containers[name="app"].image` */
export function displayPath(joined: string): string {
  return splitPath(joined)
    .map((seg) => (seg === '.' ? '' : seg.startsWith('f:') ? `.${seg.slice(2)}` : seg.startsWith('k:') ? `[name=${JSON.stringify((JSON.parse(seg.slice(2)) as { name: string }).name)}]` : seg))
    .join('');
}

/**
 * Records an update by `manager`: it owns every leaf of `next` that differs from `previous` (all of them on
 * create); other managers lose those leaves, and leaves that no longer exist leave every manager.
 */
export function recordUpdate(previous: KubeObject | undefined, next: KubeObject, manager: string): void {
  const entries = readEntries(previous);
  const nextLeaves = leavesOf(next).map(joinPath);
  const nextSet = new Set(nextLeaves);
  const changed = nextLeaves.filter((l) => !previous || !deepEqual(valueAt(previous, splitPath(l)), valueAt(next, splitPath(l))));
  for (const e of entries) for (const l of [...e.set]) if (!nextSet.has(l)) e.set.delete(l);
  if (changed.length > 0) {
    for (const e of entries) if (e.manager !== manager || e.operation !== 'Update') for (const l of changed) e.set.delete(l);
    let mine = entries.find((e) => e.manager === manager && e.operation === 'Update' && !e.subresource);
    if (!mine) {
      mine = { manager, operation: 'Update', apiVersion: next.apiVersion ?? '', time: now(), set: new Set() };
      entries.push(mine);
    }
    for (const l of changed) mine.set.add(l);
    mine.time = now();
  }
  writeEntries(next, entries);
}

export interface ApplyConflict {
  manager: string;
  path: string;
}

/**
 * Server-side apply of `applied` by `manager` onto `current` (undefined: the object is created). Returns the new
 * object, or the conflicts when another manager owns a field with a different value and `force` is not set.
 */
export function serverSideApply(current: KubeObject | undefined, applied: KubeObject, manager: string, force: boolean): { object: KubeObject } | { conflicts: ApplyConflict[] } {
  const entries = readEntries(current);
  const appliedLeaves = leavesOf(applied).map(joinPath);
  const appliedSet = new Set(appliedLeaves);
  if (current) {
    const conflicts: ApplyConflict[] = [];
    const conflicting = new Map<Entry, string[]>();
    for (const e of entries) {
      if (e.manager === manager && e.operation === 'Apply') continue;
      for (const l of appliedLeaves) {
        if (!e.set.has(l)) continue;
        if (deepEqual(valueAt(current, splitPath(l)), valueAt(applied, splitPath(l)))) continue;
        conflicts.push({ manager: e.manager, path: displayPath(l) });
        conflicting.set(e, [...(conflicting.get(e) ?? []), l]);
      }
    }
    if (conflicts.length > 0 && !force) return { conflicts };
    for (const [e, leaves] of conflicting) for (const l of leaves) e.set.delete(l);
  }
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  const ownedByOthers = new Set<string>();
  for (const e of entries) if (e !== mine) for (const l of e.set) ownedByOthers.add(l);
  const object = clone(current ?? {}) as Record<string, unknown>;
  if (mine) {
    // Deepest first, so that an item's fields go before the item.
    const dropped = [...mine.set].filter((l) => !appliedSet.has(l) && !ownedByOthers.has(l)).sort((a, b) => b.length - a.length);
    for (const l of dropped) removeAt(object, splitPath(l));
  }
  const merged = mergeApplied(object, applied) as KubeObject;
  const entry = mine ?? { manager, operation: 'Apply' as const, apiVersion: applied.apiVersion ?? '', time: now(), set: new Set<string>() };
  entry.set = appliedSet;
  entry.time = now();
  entry.apiVersion = applied.apiVersion ?? entry.apiVersion;
  if (!mine) entries.push(entry);
  writeEntries(merged, entries);
  return { object: merged };
}
