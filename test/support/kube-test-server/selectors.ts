/** Label selectors (`=`, `==`, `!=`, `in`, `notin`, exists, `!`not-exists) and field selectors, as the API server reads them. */
import type { KubeObject } from './types';

export type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export class SelectorError extends Error {}

const keyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function checkKey(key: string, whole: string): string {
  if (!keyPattern.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${whole}"`);
  return key;
}

function checkValue(value: string, whole: string): string {
  if (value.length > 63 || !valuePattern.test(value)) throw new SelectorError(`unable to parse requirement: invalid label value "${value}" in "${whole}"`);
  return value;
}

export function parseLabelSelector(text: string | null | undefined): Requirement[] {
  if (!text || !text.trim()) return [];
  return splitTopLevel(text).map((part): Requirement => {
    let m = /^!\s*(\S+)$/.exec(part);
    if (m) return { key: checkKey(m[1]!, part), op: 'notexists' };
    m = /^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter((v) => v.length > 0).map((v) => checkValue(v, part));
      if (values.length === 0) throw new SelectorError(`unable to parse requirement: "${part}": for 'in', 'notin' operators, values set can't be empty`);
      return { key: checkKey(m[1]!, part), op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) return { key: checkKey(m[1]!, part), op: m[2] === '!=' ? 'notin' : 'in', values: [checkValue(m[3]!, part)] };
    m = /^(\S+)$/.exec(part);
    if (m) return { key: checkKey(m[1]!, part), op: 'exists' };
    throw new SelectorError(`unable to parse requirement: "${part}"`);
  });
}

export function matchesLabels(requirements: readonly Requirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of requirements) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(labels![r.key]!)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(labels![r.key]!)) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  path: string;
  negate: boolean;
  value: string;
}

/** Field labels the server accepts, per resource (metadata.name and metadata.namespace always). */
const fieldLabels: Record<string, string[]> = {
  pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'],
  events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'reason', 'source', 'type'],
  nodes: ['spec.unschedulable'],
  secrets: ['type'],
  replicasets: ['status.replicas'],
};

export function parseFieldSelector(text: string | null | undefined, plural: string): FieldRequirement[] {
  if (!text || !text.trim()) return [];
  return splitTopLevel(text).map((part) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${part}'; can't understand '${part}'`);
    const path = m[1]!;
    if (path !== 'metadata.name' && path !== 'metadata.namespace' && !(fieldLabels[plural] ?? []).includes(path)) {
      throw new SelectorError(`field label not supported: ${path}`);
    }
    return { path, negate: m[2] === '!=', value: m[3]!.trim() };
  });
}

function valueAt(object: KubeObject, path: string): string {
  let cur: unknown = object;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

export function matchesFields(requirements: readonly FieldRequirement[], object: KubeObject): boolean {
  for (const r of requirements) {
    const equal = valueAt(object, r.path) === r.value;
    if (equal === r.negate) return false;
  }
  return true;
}
