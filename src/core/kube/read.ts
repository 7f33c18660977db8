/**
 * Reading the cluster model from a cluster: paginated lists (500 a page) of nodes, RuntimeClasses, SpinKube
 * resources and workloads, in parallel, each bounded by the client's time limit; and watches that keep the objects
 * current where that is cheap (RuntimeClasses, Deployments, Jobs, SpinApps: few objects, rare changes).
 *
 * A section that may not be read (403) or is not served (404: SpinKube not installed) becomes a problem or an empty
 * list; a cluster that cannot be reached at all, or refuses the credentials, throws.
 */
import type { KubeClient, ListResult, WatchHandle } from './client';
import { KubeError } from './errors';
import { buildClusterModel } from './model';
import type { ClusterModel, ClusterObjects, ClusterProblem, KubeObject } from './types';

export interface ReadOptions {
  /** Page size for lists (default 500). */
  pageSize?: number;
  /** Read pods, Deployments, Jobs and SpinApps (default true). */
  workloads?: boolean;
  /** At most this many pods are examined (default 20,000); the model says so when the cluster has more. */
  maxPods?: number;
}

type Section = 'nodes' | 'runtimeClasses' | 'spinAppExecutors' | 'shims' | 'spinApps' | 'deployments' | 'jobs' | 'pods';

/** The objects read, the resourceVersion of each list (to watch from), and what could not be read. */
export interface ClusterSnapshot {
  objects: ClusterObjects;
  resourceVersions: Partial<Record<Section, string>>;
  /** Where each section was listed (a namespace path when the cluster-wide list was forbidden). */
  paths: Partial<Record<Section, string>>;
  problems: ClusterProblem[];
}

const spinKubeCore = '/apis/core.spinkube.dev/v1alpha1';
const spinKubeRuntime = '/apis/runtime.spinkube.dev/v1alpha1';

function isSoft(error: unknown): error is KubeError {
  return error instanceof KubeError && (error.reason === 'forbidden' || error.reason === 'not-found');
}

async function served(client: KubeClient, groupVersionPath: string): Promise<Set<string>> {
  try {
    const list = await client.request<{ resources?: { name: string }[] }>('GET', groupVersionPath);
    return new Set((list.resources ?? []).map((r) => r.name).filter((n) => !n.includes('/')));
  } catch (error) {
    if (isSoft(error)) return new Set();
    throw error;
  }
}

/** Reads everything the model needs. Throws `KubeError` when the cluster cannot be reached or refuses the credentials. */
export async function readClusterObjects(client: KubeClient, options: ReadOptions = {}): Promise<ClusterSnapshot> {
  const limit = options.pageSize ?? 500;
  const problems: ClusterProblem[] = [];
  const resourceVersions: ClusterSnapshot['resourceVersions'] = {};
  const paths: ClusterSnapshot['paths'] = {};

  const soft = async <T extends KubeObject>(
    section: Section,
    problemSection: ClusterProblem['section'],
    path: string,
    what: string,
    extra: { maxItems?: number; namespaceFallback?: string } = {},
  ): Promise<T[]> => {
    try {
      const result: ListResult<T> = await client.listPath<T>(path, { limit, ...(extra.maxItems ? { maxItems: extra.maxItems } : {}) });
      resourceVersions[section] = result.resourceVersion;
      paths[section] = path;
      return result.items;
    } catch (error) {
      if (!isSoft(error)) throw error;
      if (error.reason === 'forbidden' && extra.namespaceFallback) {
        // A namespace-scoped user: show what their namespace has.
        try {
          const result = await client.listPath<T>(extra.namespaceFallback, {
            limit,
            ...(extra.maxItems ? { maxItems: extra.maxItems } : {}),
          });
          resourceVersions[section] = result.resourceVersion;
          paths[section] = extra.namespaceFallback;
          problems.push({
            section: problemSection,
            message: `Listing ${what} in all namespaces is forbidden; showing namespace ${client.namespace} only`,
          });
          return result.items;
        } catch (inner) {
          if (!isSoft(inner)) throw inner;
        }
      }
      problems.push({ section: problemSection, message: `Cannot list ${what}: ${error.message}` });
      return [];
    }
  };

  // Nodes first and alone: an unreachable cluster or bad credentials fail here, once, rather than in seven requests.
  const nodes = await soft('nodes', 'nodes', '/api/v1/nodes', 'nodes');
  const ns = encodeURIComponent(client.namespace);
  const workloads = options.workloads ?? true;
  const maxPods = options.maxPods ?? 20_000;
  const [runtimeClasses, core, runtime, deployments, jobs, pods] = await Promise.all([
    soft('runtimeClasses', 'runtimeClasses', '/apis/node.k8s.io/v1/runtimeclasses', 'RuntimeClasses'),
    served(client, spinKubeCore),
    served(client, spinKubeRuntime),
    workloads
      ? soft('deployments', 'workloads', '/apis/apps/v1/deployments', 'Deployments', {
          namespaceFallback: `/apis/apps/v1/namespaces/${ns}/deployments`,
        })
      : Promise.resolve([]),
    workloads
      ? soft('jobs', 'workloads', '/apis/batch/v1/jobs', 'Jobs', { namespaceFallback: `/apis/batch/v1/namespaces/${ns}/jobs` })
      : Promise.resolve([]),
    workloads
      ? soft('pods', 'workloads', '/api/v1/pods', 'pods', { maxItems: maxPods, namespaceFallback: `/api/v1/namespaces/${ns}/pods` })
      : Promise.resolve([]),
  ]);
  if (pods.length >= maxPods) problems.push({ section: 'workloads', message: `Only the first ${maxPods} pods were examined` });
  const [spinAppExecutors, shims, spinApps] = await Promise.all([
    core.has('spinappexecutors')
      ? soft('spinAppExecutors', 'spinKube', `${spinKubeCore}/spinappexecutors`, 'SpinAppExecutors', {
          namespaceFallback: `${spinKubeCore}/namespaces/${ns}/spinappexecutors`,
        })
      : Promise.resolve([]),
    runtime.has('shims') ? soft('shims', 'spinKube', `${spinKubeRuntime}/shims`, 'Shims') : Promise.resolve([]),
    workloads && core.has('spinapps')
      ? soft('spinApps', 'workloads', `${spinKubeCore}/spinapps`, 'SpinApps', {
          namespaceFallback: `${spinKubeCore}/namespaces/${ns}/spinapps`,
        })
      : Promise.resolve([]),
  ]);
  const crds = [...[...core].map((r) => `${r}.core.spinkube.dev`), ...[...runtime].map((r) => `${r}.runtime.spinkube.dev`)].map((name) => ({
    metadata: { name },
  }));
  return {
    objects: { nodes, runtimeClasses, crds, spinAppExecutors, shims, pods, deployments, jobs, spinApps },
    resourceVersions,
    paths,
    problems,
  };
}

/**
 * Reads the cluster and builds its model. Throws `KubeError` (`unreachable`, `timeout`, `tls`, `unauthorized`, ...)
 * when the cluster cannot be read at all; a forbidden or missing section becomes a `problem` of the model.
 */
export async function readClusterModel(client: KubeClient, options: ReadOptions = {}): Promise<ClusterModel> {
  const snapshot = await readClusterObjects(client, options);
  return buildClusterModel(snapshot.objects, snapshot.problems);
}

export interface ClusterWatch {
  /** The objects as they are now (the snapshot's, with every change seen since applied). */
  current(): ClusterObjects;
  stop(): void;
}

const watched: { section: Section; field: keyof ClusterObjects }[] = [
  { section: 'runtimeClasses', field: 'runtimeClasses' },
  { section: 'deployments', field: 'deployments' },
  { section: 'jobs', field: 'jobs' },
  { section: 'spinApps', field: 'spinApps' },
];

function objectKey(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/**
 * Keeps a snapshot's RuntimeClasses, Deployments, Jobs and SpinApps current by watching them from the lists'
 * resourceVersions (nodes and pods are left to refreshes: they change often in large clusters). `onChange` is called
 * after each change (debounce it); `onError` when a watch fails and is retried. An expired resourceVersion (410)
 * re-lists that section.
 */
export function watchClusterObjects(
  client: KubeClient,
  snapshot: ClusterSnapshot,
  onChange: () => void,
  onError?: (error: KubeError) => void,
): ClusterWatch {
  let stopped = false;
  const handles = new Set<WatchHandle>();
  const timers = new Set<NodeJS.Timeout>();
  const maps = new Map<keyof ClusterObjects, Map<string, KubeObject>>();
  const dirty = new Set<keyof ClusterObjects>();
  let objects: ClusterObjects = { ...snapshot.objects };

  for (const { section, field } of watched) {
    const path = snapshot.paths[section];
    const rv = snapshot.resourceVersions[section];
    if (!path || !rv) continue;
    const map = new Map<string, KubeObject>();
    for (const o of (snapshot.objects[field] ?? []) as KubeObject[]) map.set(objectKey(o), o);
    maps.set(field, map);
    let resourceVersion = rv;
    let failures = 0;
    const start = () => {
      if (stopped) return;
      const handle = client.watch(path, { resourceVersion }, (event) => {
        failures = 0;
        const rvNow = event.object.metadata?.resourceVersion;
        if (rvNow) resourceVersion = rvNow;
        if (event.type === 'BOOKMARK') return;
        if (event.type === 'DELETED') map.delete(objectKey(event.object));
        else map.set(objectKey(event.object), event.object);
        dirty.add(field);
        onChange();
      });
      handles.add(handle);
      void handle.done.then(async (error) => {
        handles.delete(handle);
        if (stopped) return;
        if (error?.reason === 'gone') {
          try {
            const fresh = await client.listPath(path);
            map.clear();
            for (const o of fresh.items) map.set(objectKey(o), o);
            resourceVersion = fresh.resourceVersion;
            dirty.add(field);
            onChange();
          } catch (e) {
            onError?.(e instanceof KubeError ? e : new KubeError('server', String(e)));
          }
        } else if (error) {
          failures++;
          onError?.(error);
        }
        // Ended normally (server timeout): watch again at once; after errors, back off up to 30 s.
        const delay = error ? Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)) : 0;
        const timer = setTimeout(() => {
          timers.delete(timer);
          start();
        }, delay);
        timer.unref?.();
        timers.add(timer);
      });
    };
    start();
  }

  return {
    current() {
      if (dirty.size > 0) {
        objects = { ...objects };
        for (const field of dirty) (objects as unknown as Record<string, KubeObject[]>)[field] = [...maps.get(field)!.values()];
        dirty.clear();
      }
      return objects;
    },
    stop() {
      stopped = true;
      for (const h of handles) h.stop();
      for (const t of timers) clearTimeout(t);
      handles.clear();
      timers.clear();
    },
  };
}
