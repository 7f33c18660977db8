/**
 * The API resources the test server serves: a fixed set of built-in ones (core, apps, node.k8s.io,
 * apiextensions.k8s.io) and those that CustomResourceDefinitions in the store add (SpinKube's, or any other).
 */
import type { KubeObject } from './types';

export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Has a `status` subresource: writes to the main resource leave status alone. */
  status: boolean;
  /** Bumps metadata.generation when the spec changes. */
  generation: boolean;
}

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function def(group: string, version: string, kind: string, plural: string, namespaced: boolean, extra: Partial<ResourceDef> = {}): ResourceDef {
  return { group, version, kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), namespaced, status: true, generation: true, ...extra };
}

export const builtinResources: readonly ResourceDef[] = [
  def('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], generation: false }),
  def('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], generation: false }),
  def('', 'v1', 'Pod', 'pods', true, { shortNames: ['po'], generation: false }),
  def('', 'v1', 'Service', 'services', true, { shortNames: ['svc'], generation: false }),
  def('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'], status: false, generation: false }),
  def('', 'v1', 'Secret', 'secrets', true, { status: false, generation: false }),
  def('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'], status: false, generation: false }),
  def('', 'v1', 'Event', 'events', true, { shortNames: ['ev'], status: false, generation: false }),
  def('apps', 'v1', 'Deployment', 'deployments', true, { shortNames: ['deploy'] }),
  def('apps', 'v1', 'ReplicaSet', 'replicasets', true, { shortNames: ['rs'] }),
  def('apps', 'v1', 'DaemonSet', 'daemonsets', true, { shortNames: ['ds'] }),
  def('apps', 'v1', 'StatefulSet', 'statefulsets', true, { shortNames: ['sts'] }),
  def('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', false, { status: false, generation: false }),
  def('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, { shortNames: ['crd', 'crds'] }),
];

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string; plural?: string; singular?: string; listKind?: string; shortNames?: string[] };
  versions?: { name: string; served?: boolean; storage?: boolean; subresources?: { status?: object } }[];
}

/** The resources a CRD object adds (one per served version). */
export function resourcesOfCrd(crd: KubeObject): ResourceDef[] {
  const spec = (crd as { spec?: CrdSpec }).spec;
  if (!spec?.group || !spec.names?.kind || !spec.names.plural) return [];
  return (spec.versions ?? [])
    .filter((v) => v.served !== false)
    .map((v) => ({
      group: spec.group!,
      version: v.name,
      kind: spec.names!.kind!,
      listKind: spec.names!.listKind ?? `${spec.names!.kind}List`,
      plural: spec.names!.plural!,
      singular: spec.names!.singular ?? spec.names!.kind!.toLowerCase(),
      namespaced: spec.scope !== 'Cluster',
      ...(spec.names!.shortNames ? { shortNames: spec.names!.shortNames } : {}),
      status: v.subresources?.status !== undefined,
      generation: true,
    }));
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `deployments.apps`, `pods` — how the API server names a resource in messages. */
export function qualifiedName(r: ResourceDef): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** The key under which a resource's objects are stored: one store for all versions of a group's resource. */
export function storeKey(r: { group: string; plural: string }): string {
  return `${r.group}/${r.plural}`;
}
