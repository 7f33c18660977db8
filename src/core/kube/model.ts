/**
 * The cluster model from plain objects: Wasm runtimes, node pools (and, per RuntimeClass, which of their nodes have
 * its shim and how pods are pinned there), and Wasm workloads with their state. Pure; linear in the number of
 * objects times the number of Wasm RuntimeClasses (a few dozen at most), so a 5,000-node cluster builds in
 * milliseconds. Placement is decided by src/core/kube/placement.ts, workload state by src/core/kube/status.ts.
 */
import { nodeRunsRuntime, nodeWasmMarks, kwasmProvisionedLabel, placementKey, type Placement, type RuntimeFacts } from './placement';
import { poolLabelKeys } from './runtimes';
import { classifyHandler, containerdReadsWasmLayers, versionFromLocation } from './shims';
import { deploymentStatus, jobStatus, podStatus, runOncePodStatus, spinAppStatus, type PodStatus, type WorkloadStatus } from './status';
import type {
  ClusterModel,
  ClusterNode,
  ClusterObjects,
  DeploymentObject,
  JobObject,
  NodeObject,
  NodePool,
  PoolProvider,
  PoolRuntime,
  SpinAppObject,
  SpinKubeInfo,
  Taint,
  WasmRuntime,
  WasmWorkload,
} from './types';

export { matchesSelector, toleratesTaints } from './selectors';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

function key(ns: string | undefined, name: string | undefined): string {
  return `${ns ?? ''}/${name ?? ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The node as the model shows it, and the pool it belongs to. */
function nodeOf(
  node: NodeObject,
  shimNames: ReadonlySet<string>,
): ClusterNode & { poolKey: string; provider: PoolProvider; poolSelector: Record<string, string> } {
  const labels = node.metadata?.labels ?? {};
  const wasmMarks = nodeWasmMarks({ labels, ...(node.metadata?.annotations ? { annotations: node.metadata.annotations } : {}) }, shimNames);
  let pool = '';
  let provider: PoolProvider = 'none';
  let poolSelector: Record<string, string> = {};
  for (const { key: labelKey, provider: p } of poolLabelKeys) {
    if (labels[labelKey]) {
      pool = labels[labelKey]!;
      provider = p;
      poolSelector = { [labelKey]: pool };
      break;
    }
  }
  if (!pool) {
    // Nodes without a pool label: grouped by what provisioned them, so each group can be pinned as one.
    const provisionedShim = [...shimNames].find((s) => labels[s] === 'provisioned');
    pool = labels[kwasmProvisionedLabel] !== undefined ? 'ungrouped-kwasm' : provisionedShim ? `ungrouped-${provisionedShim}` : 'ungrouped';
  }
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const isReady = ready?.status === 'True';
  return {
    name: node.metadata?.name ?? '',
    pool,
    poolKey: Object.keys(poolSelector).length ? `${Object.keys(poolSelector)[0]}=${pool}` : pool,
    provider,
    poolSelector,
    ready: isReady,
    notReadyReason: isReady
      ? ''
      : ready
        ? [ready.reason, ready.message].filter(Boolean).join(': ') || 'NotReady'
        : 'no Ready condition reported',
    unschedulable: node.spec?.unschedulable === true,
    taints: node.spec?.taints ?? [],
    architecture: labels['kubernetes.io/arch'] ?? node.status?.nodeInfo?.architecture ?? '',
    os: labels['kubernetes.io/os'] ?? node.status?.nodeInfo?.operatingSystem ?? '',
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '',
    containerRuntime: node.status?.nodeInfo?.containerRuntimeVersion ?? '',
    wasmMarks,
    labels,
  };
}

/** Placements are shared objects (placement.ts makes one per RuntimeClass and kind): their keys are made once. */
const placementKeys = new WeakMap<Placement, string>();
function keyOf(placement: Placement): string {
  let key = placementKeys.get(placement);
  if (key === undefined) placementKeys.set(placement, (key = placementKey(placement)));
  return key;
}

/** Per pool and RuntimeClass while nodes are read: capable nodes grouped by placement, and why the others are not. */
interface RuntimeTally {
  groups: Map<string, { placement: Placement; nodes: number; ready: number; containerd: Set<string>; layers: (boolean | undefined)[] }>;
  refusals: Map<string, number>;
}

/**
 * Builds the cluster model from objects (raw JSON or client-node objects). Missing lists count as empty;
 * `problems` are carried into the model as they are.
 */
export function buildClusterModel(objects: ClusterObjects, problems: ClusterModel['problems'] = []): ClusterModel {
  // --- SpinKube
  const crdNames = (objects.crds ?? []).map((c) => c.metadata?.name ?? '').filter((n) => n.endsWith('.spinkube.dev'));
  const executors: SpinKubeInfo['executors'] = (objects.spinAppExecutors ?? []).map((e) => ({
    name: e.metadata?.name ?? '',
    namespace: e.metadata?.namespace ?? '',
    createDeployment: e.spec?.createDeployment === true,
    ...(e.spec?.deploymentConfig?.runtimeClassName ? { runtimeClassName: e.spec.deploymentConfig.runtimeClassName } : {}),
  }));
  const shims: SpinKubeInfo['shims'] = (objects.shims ?? []).map((s) => ({
    name: s.metadata?.name ?? '',
    ...(s.spec?.runtimeClass?.name ? { runtimeClassName: s.spec.runtimeClass.name } : {}),
    ...(s.spec?.runtimeClass?.handler ? { handler: s.spec.runtimeClass.handler } : {}),
    nodeSelector: s.spec?.nodeSelector ?? {},
    ...(s.status?.nodes !== undefined ? { nodes: s.status.nodes } : {}),
    ...(s.status?.nodesReady !== undefined ? { nodesReady: s.status.nodesReady } : {}),
  }));
  const shimVersions = new Map(
    (objects.shims ?? []).map((s) => [s.metadata?.name ?? '', versionFromLocation(s.spec?.fetchStrategy?.anonHttp?.location)]),
  );

  // --- Runtimes
  const runtimes: WasmRuntime[] = [];
  const otherRuntimeClasses: ClusterModel['otherRuntimeClasses'] = [];
  const runtimeByName = new Map<string, WasmRuntime>();
  const add = (runtime: WasmRuntime) => {
    runtimes.push(runtime);
    runtimeByName.set(runtime.runtimeClassName, runtime);
  };
  for (const rc of objects.runtimeClasses) {
    const name = rc.metadata?.name ?? '';
    const handler = rc.handler ?? '';
    const shim = classifyHandler(handler);
    if (!shim) {
      otherRuntimeClasses.push({ name, handler });
      continue;
    }
    add({
      runtimeClassName: name,
      handler,
      shim,
      nodeSelector: rc.scheduling?.nodeSelector ?? {},
      tolerations: rc.scheduling?.tolerations ?? [],
      nodePools: [],
      spinAppExecutors: [],
      exists: true,
    });
  }
  for (const s of shims) {
    if (!s.runtimeClassName) continue;
    const version = shimVersions.get(s.name);
    const existing = runtimeByName.get(s.runtimeClassName);
    if (existing) {
      existing.shimResource = s.name;
      if (version) existing.shimVersion = version;
      continue;
    }
    // runtime-class-manager creates the RuntimeClass once the Shim is reconciled: shown, but not usable yet.
    add({
      runtimeClassName: s.runtimeClassName,
      handler: s.handler ?? '',
      shim: classifyHandler(s.handler ?? s.name) ?? 'other',
      nodeSelector: s.nodeSelector,
      tolerations: [],
      nodePools: [],
      spinAppExecutors: [],
      shimResource: s.name,
      ...(version ? { shimVersion: version } : {}),
      exists: false,
    });
  }
  for (const e of executors) {
    if (e.runtimeClassName) runtimeByName.get(e.runtimeClassName)?.spinAppExecutors.push(`${e.namespace}/${e.name}`);
  }
  runtimes.sort((a, b) => a.runtimeClassName.localeCompare(b.runtimeClassName));
  const usable = runtimes.filter((r) => r.exists);
  const facts: RuntimeFacts[] = usable.map((r) => ({
    runtimeClassName: r.runtimeClassName,
    shim: r.shim,
    nodeSelector: r.nodeSelector,
    ...(r.shimResource ? { installedBy: { shim: r.shimResource, ...(r.shimVersion ? { version: r.shimVersion } : {}) } } : {}),
  }));
  const shimNames = new Set(shims.map((s) => s.name).filter(Boolean));

  // --- Nodes and pools
  const nodes = objects.nodes.map((raw) => ({ ...nodeOf(raw, shimNames), annotations: raw.metadata?.annotations }));
  const anyNodeMarked = nodes.some((n) => n.wasmMarks.length > 0);
  interface PoolBuild {
    pool: NodePool;
    tallies: RuntimeTally[];
    marks: Map<string, number>;
    taintCounts: Map<string, { taint: Taint; count: number }>;
    arch: Set<string>;
  }
  const pools = new Map<string, PoolBuild>();
  let readyNodeCount = 0;
  for (const n of nodes) {
    let build = pools.get(n.poolKey);
    if (!build) {
      build = {
        pool: {
          name: n.pool,
          provider: n.provider,
          nodeSelector: n.poolSelector,
          wasmCapable: false,
          reasons: [],
          taints: [],
          runtimeClasses: [],
          runtimes: [],
          architectures: [],
          nodes: [],
          readyNodes: 0,
        },
        tallies: facts.map(() => ({ groups: new Map(), refusals: new Map() })),
        marks: new Map(),
        taintCounts: new Map(),
        arch: new Set(),
      };
      pools.set(n.poolKey, build);
    }
    const { poolKey: _k, provider: _p, poolSelector: _s, annotations, ...node } = n;
    build.pool.nodes.push(node);
    if (n.ready) {
      build.pool.readyNodes++;
      readyNodeCount++;
    }
    if (n.architecture) build.arch.add(n.architecture);
    for (const m of n.wasmMarks) build.marks.set(m, (build.marks.get(m) ?? 0) + 1);
    for (const t of n.taints) {
      const k = `${t.key}=${t.value ?? ''}:${t.effect}`;
      const entry = build.taintCounts.get(k);
      if (entry) entry.count++;
      else build.taintCounts.set(k, { taint: t, count: 1 });
    }
    const nodeFacts = { labels: n.labels, ...(annotations ? { annotations } : {}) };
    const layers = containerdReadsWasmLayers(n.containerRuntime);
    facts.forEach((runtime, i) => {
      const verdict = nodeRunsRuntime(nodeFacts, runtime, anyNodeMarked);
      const tally = build!.tallies[i]!;
      if (!verdict.capable) {
        tally.refusals.set(verdict.reason, (tally.refusals.get(verdict.reason) ?? 0) + 1);
        return;
      }
      const k = keyOf(verdict.placement);
      let group = tally.groups.get(k);
      if (!group) tally.groups.set(k, (group = { placement: verdict.placement, nodes: 0, ready: 0, containerd: new Set(), layers: [] }));
      group.nodes++;
      if (n.ready) group.ready++;
      if (n.containerRuntime) group.containerd.add(n.containerRuntime);
      group.layers.push(layers);
    });
  }

  const nodePools: NodePool[] = [];
  for (const build of pools.values()) {
    const pool = build.pool;
    const total = pool.nodes.length;
    const of = (count: number) => (count === total ? (total === 1 ? 'its node' : `all ${total} nodes`) : `${count} of ${total} nodes`);
    const reasons: string[] = [];
    const refusals: string[] = [];
    facts.forEach((runtime, i) => {
      const tally = build.tallies[i]!;
      const groups = [...tally.groups.values()].sort((a, b) => b.nodes - a.nodes);
      const best = groups[0];
      if (!best) {
        const [reason, count] = [...tally.refusals.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
        if (reason)
          refusals.push(
            `RuntimeClass ${runtime.runtimeClassName} (${runtime.shim}): ${count === total ? (total === 1 ? 'its node' : 'every node') : `${count} of ${total} nodes`}: ${reason}`,
          );
        return;
      }
      const layers = best.layers.includes(false) ? false : best.layers.every((l) => l === true) ? true : undefined;
      pool.runtimes.push({
        runtimeClassName: runtime.runtimeClassName,
        nodes: best.nodes,
        readyNodes: best.ready,
        placement: best.placement,
        containerd: [...best.containerd].sort(),
        ...(layers !== undefined ? { wasmLayers: layers } : {}),
      });
      reasons.push(`RuntimeClass ${runtime.runtimeClassName} (${runtime.shim}) on ${of(best.nodes)}: ${best.placement.via}`);
      const others = groups.slice(1).reduce((sum, g) => sum + g.nodes, 0);
      if (others)
        reasons.push(
          `${plural(others, 'more node')} of the pool ${others === 1 ? 'has' : 'have'} it by another mark (${groups
            .slice(1)
            .map((g) => g.placement.via)
            .join('; ')}); deploys pin to the larger group`,
        );
    });
    pool.runtimeClasses = pool.runtimes.map((r) => r.runtimeClassName).sort();
    pool.wasmCapable = pool.runtimes.length > 0;
    for (const [mark, count] of build.marks) reasons.push(`${mark} on ${of(count)}`);
    if (!pool.wasmCapable) {
      if (usable.length === 0)
        reasons.push(
          build.marks.size
            ? 'but the cluster has no Wasm RuntimeClass yet: create one to use these nodes'
            : 'The cluster has no RuntimeClass with a Wasm handler',
        );
      reasons.push(...refusals.slice(0, 5));
      if (refusals.length > 5) reasons.push(`and ${refusals.length - 5} more Wasm RuntimeClasses cannot run here`);
    } else if (pool.runtimes.every((r) => r.readyNodes === 0)) {
      reasons.push(`none of its Wasm-capable nodes is Ready`);
    }
    pool.reasons = reasons;
    pool.taints = [...build.taintCounts.values()].filter((e) => e.count === total).map((e) => e.taint);
    pool.architectures = [...build.arch].sort();
    pool.nodes.sort(byName);
    for (const rc of pool.runtimeClasses) runtimeByName.get(rc)?.nodePools.push(pool.name);
    nodePools.push(pool);
  }
  // Wasm-capable pools first, then by name; `ungrouped…` last among equals.
  const ungrouped = (p: NodePool) => Number(p.name.startsWith('ungrouped') && Object.keys(p.nodeSelector).length === 0);
  nodePools.sort((a, b) => Number(b.wasmCapable) - Number(a.wasmCapable) || ungrouped(a) - ungrouped(b) || a.name.localeCompare(b.name));
  for (const r of runtimes) r.nodePools.sort();

  return {
    runtimes,
    otherRuntimeClasses: otherRuntimeClasses.sort((a, b) => a.name.localeCompare(b.name)),
    nodePools,
    workloads: buildWorkloads(objects, runtimeByName, executors),
    spinKube: { crds: crdNames.sort(), executors, shims },
    nodeCount: objects.nodes.length,
    readyNodeCount,
    problems,
  };
}

/** Deployments, Jobs, run-once pods and SpinApps on Wasm RuntimeClasses, each with its pods and state. */
function buildWorkloads(
  objects: ClusterObjects,
  runtimeByName: ReadonlyMap<string, WasmRuntime>,
  executors: SpinKubeInfo['executors'],
): WasmWorkload[] {
  const executorRuntime = new Map<string, string | undefined>();
  for (const e of executors) executorRuntime.set(key(e.namespace, e.name), e.runtimeClassName);
  const workloads: WasmWorkload[] = [];
  const workload = (
    kind: WasmWorkload['kind'],
    name: string,
    namespace: string,
    runtimeClassName: string,
    images: string[],
  ): WasmWorkload => ({
    kind,
    name,
    namespace,
    runtimeClassName,
    shim: runtimeByName.get(runtimeClassName)?.shim,
    state: 'unknown',
    status: '',
    images,
    pods: [],
  });
  const podStatuses = new Map<WasmWorkload, PodStatus[]>();

  const spinApps = new Map<string, { workload: WasmWorkload; object: SpinAppObject; deployment?: DeploymentObject }>();
  for (const app of objects.spinApps ?? []) {
    const ns = app.metadata?.namespace ?? '';
    const rc = executorRuntime.get(key(ns, app.spec?.executor ?? 'containerd-shim-spin')) ?? '';
    const w = workload('SpinApp', app.metadata?.name ?? '', ns, rc, app.spec?.image ? [app.spec.image] : []);
    w.shim ??= 'spin';
    spinApps.set(key(ns, w.name), { workload: w, object: app });
    workloads.push(w);
  }
  const deployments = new Map<string, { workload: WasmWorkload; object: DeploymentObject; owner?: WasmWorkload }>();
  for (const d of objects.deployments ?? []) {
    const ns = d.metadata?.namespace ?? '';
    const name = d.metadata?.name ?? '';
    const ownerRef = d.metadata?.ownerReferences?.find((o) => o.kind === 'SpinApp');
    const app = ownerRef ? spinApps.get(key(ns, ownerRef.name)) : undefined;
    const rc = d.spec?.template?.spec?.runtimeClassName ?? '';
    if (!app && !runtimeByName.has(rc)) continue;
    const w = workload('Deployment', name, ns, rc, (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean));
    if (app) {
      app.deployment = d;
      if (rc) {
        app.workload.runtimeClassName = rc;
        app.workload.shim = runtimeByName.get(rc)?.shim ?? app.workload.shim;
      }
      deployments.set(key(ns, name), { workload: w, object: d, owner: app.workload });
    } else {
      deployments.set(key(ns, name), { workload: w, object: d });
      workloads.push(w);
    }
  }
  const jobs = new Map<string, { workload: WasmWorkload; object: JobObject }>();
  for (const job of objects.jobs ?? []) {
    const rc = job.spec?.template?.spec?.runtimeClassName ?? '';
    if (!runtimeByName.has(rc)) continue;
    const ns = job.metadata?.namespace ?? '';
    const w = workload(
      'Job',
      job.metadata?.name ?? '',
      ns,
      rc,
      (job.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean),
    );
    jobs.set(key(ns, w.name), { workload: w, object: job });
    workloads.push(w);
  }

  for (const pod of objects.pods ?? []) {
    const rc = pod.spec?.runtimeClassName ?? '';
    const ns = pod.metadata?.namespace ?? '';
    const owners = pod.metadata?.ownerReferences ?? [];
    const rsOwner = owners.find((o) => o.kind === 'ReplicaSet');
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    const deploymentName = rsOwner && hash && rsOwner.name.endsWith(`-${hash}`) ? rsOwner.name.slice(0, -hash.length - 1) : undefined;
    const deployment = deploymentName ? deployments.get(key(ns, deploymentName)) : undefined;
    const jobOwner = owners.find((o) => o.kind === 'Job');
    const job = jobOwner ? jobs.get(key(ns, jobOwner.name)) : undefined;
    const parent = deployment ? (deployment.owner ?? deployment.workload) : job?.workload;
    if (!parent && !runtimeByName.has(rc)) continue;
    // A pod whose controller is not among the workloads (deleted, or not read yet: pods are re-read on refresh only)
    // is not a workload of its own.
    if (!parent && owners.some((o) => o.controller === true || o.kind === 'ReplicaSet' || o.kind === 'Job')) continue;
    const status = podStatus(pod);
    const entry = {
      name: pod.metadata?.name ?? '',
      state: status.state,
      status: status.summary,
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    };
    if (parent) {
      parent.pods.push(entry);
      const list = podStatuses.get(parent) ?? [];
      list.push(status);
      podStatuses.set(parent, list);
      continue;
    }
    // A pod of its own: run-once (restartPolicy Never/OnFailure) or a bare long-running pod.
    const w = workload('Pod', entry.name, ns, rc, (pod.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean));
    const s =
      pod.spec?.restartPolicy === 'Never'
        ? runOncePodStatus(pod)
        : { state: status.state, summary: status.summary, ...(status.exitCode !== undefined ? { exitCode: status.exitCode } : {}) };
    w.state = s.state;
    w.status = s.summary;
    if (s.exitCode !== undefined) w.exitCode = s.exitCode;
    if (pod.spec?.nodeName) w.nodeName = pod.spec.nodeName;
    workloads.push(w);
  }

  const settle = (w: WasmWorkload, s: WorkloadStatus) => {
    w.state = s.state;
    w.status = s.summary;
    w.replicas = { desired: s.desired, ready: s.ready };
    if (s.exitCode !== undefined) w.exitCode = s.exitCode;
  };
  for (const { workload: w, object, owner } of deployments.values())
    if (!owner) settle(w, deploymentStatus(object, podStatuses.get(w) ?? []));
  for (const { workload: w, object } of jobs.values()) settle(w, jobStatus(object, podStatuses.get(w) ?? []));
  for (const { workload: w, object, deployment } of spinApps.values())
    settle(w, spinAppStatus(object, deployment, podStatuses.get(w) ?? []));
  for (const w of workloads) w.pods.sort(byName);
  workloads.sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name) || compare(a.kind, b.kind));
  return workloads;
}

export type { PoolRuntime };
