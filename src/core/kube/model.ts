/**
 * The cluster model from plain objects: Wasm runtimes, node pools (and whether each can run Wasm, and why), and
 * Wasm workloads. Pure and linear in the number of objects (times the number of Wasm RuntimeClasses, a few dozen
 * at most), so a 5,000-node cluster builds in milliseconds.
 */
import { aksWasmLabel, classifyHandler, kwasmNodeAnnotation, kwasmProvisionedLabel, poolLabelKeys, shimAcceptsComponents } from './runtimes';
import type {
  ClusterModel,
  ClusterNode,
  ClusterObjects,
  DeploymentObject,
  NodeObject,
  NodePool,
  PodObject,
  PoolProvider,
  SpinAppObject,
  SpinKubeInfo,
  Taint,
  Toleration,
  WasmRuntime,
  WasmWorkload,
  WorkloadState,
} from './types';

/** Whether `labels` has every key=value of `selector` (an empty selector matches everything). */
export function matchesSelector(labels: Record<string, string> | undefined, selector: Record<string, string>): boolean {
  for (const key in selector) if (labels?.[key] !== selector[key]) return false;
  return true;
}

/** Whether the tolerations let a pod be scheduled on a node with these taints (NoSchedule and NoExecute). */
export function toleratesTaints(tolerations: readonly Toleration[], taints: readonly Taint[]): boolean {
  return taints.every(
    (t) =>
      t.effect === 'PreferNoSchedule' ||
      tolerations.some(
        (tol) =>
          (!tol.effect || tol.effect === t.effect) &&
          (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
      ),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(', ');
}

function nodeOf(node: NodeObject): Omit<ClusterNode, 'pool'> & { poolKey: string; poolName: string; provider: PoolProvider; poolLabel?: string; kwasm: boolean; aksShims: string[] } {
  const labels = node.metadata?.labels ?? {};
  const annotations = node.metadata?.annotations ?? {};
  let poolName = 'ungrouped';
  let provider: PoolProvider = 'none';
  let poolLabel: string | undefined;
  for (const { key, provider: p } of poolLabelKeys) {
    const value = labels[key];
    if (value) {
      poolName = value;
      provider = p;
      poolLabel = key;
      break;
    }
  }
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const isReady = ready?.status === 'True';
  const wasmMarks: string[] = [];
  const kwasm = annotations[kwasmNodeAnnotation] === 'true' || labels[kwasmProvisionedLabel] !== undefined;
  if (annotations[kwasmNodeAnnotation] === 'true') wasmMarks.push(`KWasm node (annotation ${kwasmNodeAnnotation}=true)`);
  if (labels[kwasmProvisionedLabel] !== undefined) wasmMarks.push(`provisioned by KWasm (label ${kwasmProvisionedLabel})`);
  const aksShims: string[] = [];
  for (const key in labels) {
    const m = aksWasmLabel.exec(key);
    if (m && labels[key] === 'true') {
      wasmMarks.push(`AKS WASI node (label ${key}=true)`);
      const shim = classifyHandler(m[1]!);
      if (shim) aksShims.push(shim);
    }
  }
  return {
    name: node.metadata?.name ?? '',
    poolKey: poolLabel ? `${poolLabel}=${poolName}` : '',
    poolName,
    provider,
    ...(poolLabel ? { poolLabel } : {}),
    ready: isReady,
    notReadyReason: isReady ? '' : ready ? [ready.reason, ready.message].filter(Boolean).join(': ') || 'NotReady' : 'no Ready condition reported',
    unschedulable: node.spec?.unschedulable === true,
    taints: node.spec?.taints ?? [],
    architecture: labels['kubernetes.io/arch'] ?? node.status?.nodeInfo?.architecture ?? '',
    os: labels['kubernetes.io/os'] ?? node.status?.nodeInfo?.operatingSystem ?? '',
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion ?? '',
    containerRuntime: node.status?.nodeInfo?.containerRuntimeVersion ?? '',
    wasmMarks,
    kwasm,
    aksShims,
    labels,
  };
}

const failingReasons = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CrashLoopBackOff',
  'CreateContainerError',
  'CreateContainerConfigError',
  'RunContainerError',
  'ContainerCannotRun',
  'Error',
]);

function podState(pod: PodObject): { state: WorkloadState; status: string } {
  if (pod.metadata?.deletionTimestamp) return { state: 'progressing', status: 'Terminating' };
  const status = pod.status ?? {};
  for (const c of status.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && failingReasons.has(waiting.reason)) return { state: 'failed', status: [waiting.reason, waiting.message].filter(Boolean).join(': ') };
    const terminated = c.state?.terminated;
    if (terminated && terminated.exitCode !== 0 && status.phase !== 'Succeeded') {
      return { state: 'failed', status: `${terminated.reason ?? 'Error'} (exit code ${terminated.exitCode ?? '?'})${terminated.message ? `: ${terminated.message}` : ''}` };
    }
  }
  switch (status.phase) {
    case 'Succeeded':
      return { state: 'ready', status: 'Completed' };
    case 'Failed':
      return { state: 'failed', status: [status.reason ?? 'Failed', status.message].filter(Boolean).join(': ') };
    case 'Running': {
      const ready = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      return ready ? { state: 'ready', status: 'Running' } : { state: 'progressing', status: 'Running, not ready' };
    }
    case 'Pending': {
      const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
      if (scheduled?.status === 'False') return { state: 'pending', status: [scheduled.reason ?? 'Unschedulable', scheduled.message].filter(Boolean).join(': ') };
      const waiting = status.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
      return { state: 'pending', status: waiting ?? 'Pending' };
    }
    default:
      return { state: 'unknown', status: status.phase ?? 'Unknown' };
  }
}

function deploymentState(d: DeploymentObject, pods: WasmWorkload['pods']): { state: WorkloadState; status: string; desired: number; ready: number } {
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const ready = s.readyReplicas ?? 0;
  const failedPod = pods.find((p) => p.state === 'failed');
  const conditions = s.conditions ?? [];
  const replicaFailure = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  const progressing = conditions.find((c) => c.type === 'Progressing');
  const counts = `${ready}/${desired} ready`;
  if (replicaFailure) return { state: 'failed', status: `${counts}; ${replicaFailure.reason ?? 'ReplicaFailure'}: ${replicaFailure.message ?? ''}`.trim(), desired, ready };
  if (failedPod) return { state: 'failed', status: `${counts}; ${failedPod.status}`, desired, ready };
  if (progressing?.status === 'False') return { state: 'failed', status: `${counts}; ${progressing.reason ?? 'not progressing'}${progressing.message ? `: ${progressing.message}` : ''}`, desired, ready };
  const observed = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  if (desired === 0) return { state: 'ready', status: 'scaled to 0', desired, ready };
  if (observed && ready >= desired && (s.updatedReplicas ?? desired) >= desired) return { state: 'ready', status: counts, desired, ready };
  const pendingPod = pods.find((p) => p.state === 'pending' && p.status.startsWith('Unschedulable'));
  if (pendingPod) return { state: 'pending', status: `${counts}; ${pendingPod.status}`, desired, ready };
  return { state: 'progressing', status: counts, desired, ready };
}

function spinAppState(app: SpinAppObject, deployment: DeploymentObject | undefined, pods: WasmWorkload['pods']): { state: WorkloadState; status: string; desired: number; ready: number } {
  if (deployment) {
    const fromDeployment = deploymentState(deployment, pods);
    return fromDeployment;
  }
  const desired = app.spec?.replicas ?? 1;
  const ready = app.status?.readyReplicas ?? 0;
  const available = app.status?.conditions?.find((c) => c.type === 'Available');
  const counts = `${ready}/${desired} ready`;
  if (!app.status) return { state: 'unknown', status: 'no status yet (is the SpinKube operator running?)', desired, ready };
  if (available?.status === 'True' && ready >= desired) return { state: 'ready', status: counts, desired, ready };
  const failedPod = pods.find((p) => p.state === 'failed');
  if (failedPod) return { state: 'failed', status: `${counts}; ${failedPod.status}`, desired, ready };
  return { state: 'progressing', status: counts, desired, ready };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

function key(ns: string | undefined, name: string | undefined): string {
  return `${ns ?? ''}/${name ?? ''}`;
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

  // --- Runtimes
  const runtimes: WasmRuntime[] = [];
  const otherRuntimeClasses: ClusterModel['otherRuntimeClasses'] = [];
  const runtimeByName = new Map<string, WasmRuntime>();
  for (const rc of objects.runtimeClasses) {
    const name = rc.metadata?.name ?? '';
    const handler = rc.handler ?? '';
    const shim = classifyHandler(handler);
    if (!shim) {
      otherRuntimeClasses.push({ name, handler });
      continue;
    }
    const runtime: WasmRuntime = {
      runtimeClassName: name,
      handler,
      shim,
      acceptsComponents: shimAcceptsComponents(shim),
      nodeSelector: rc.scheduling?.nodeSelector ?? {},
      tolerations: rc.scheduling?.tolerations ?? [],
      nodePools: [],
      spinAppExecutors: [],
      exists: true,
    };
    runtimes.push(runtime);
    runtimeByName.set(name, runtime);
  }
  for (const s of shims) {
    if (!s.runtimeClassName) continue;
    const existing = runtimeByName.get(s.runtimeClassName);
    if (existing) {
      existing.shimResource = s.name;
      continue;
    }
    const shim = classifyHandler(s.handler ?? s.name) ?? 'other';
    const runtime: WasmRuntime = {
      runtimeClassName: s.runtimeClassName,
      handler: s.handler ?? '',
      shim,
      acceptsComponents: shimAcceptsComponents(shim),
      nodeSelector: s.nodeSelector,
      tolerations: [],
      nodePools: [],
      spinAppExecutors: [],
      shimResource: s.name,
      exists: false,
    };
    runtimes.push(runtime);
    runtimeByName.set(runtime.runtimeClassName, runtime);
  }
  for (const e of executors) {
    if (e.runtimeClassName) runtimeByName.get(e.runtimeClassName)?.spinAppExecutors.push(`${e.namespace}/${e.name}`);
  }
  runtimes.sort((a, b) => a.runtimeClassName.localeCompare(b.runtimeClassName));
  const usable = runtimes.filter((r) => r.exists);
  const withSelector = usable.filter((r) => Object.keys(r.nodeSelector).length > 0);
  const withoutSelector = usable.filter((r) => Object.keys(r.nodeSelector).length === 0);

  // --- Nodes and pools (one pass over nodes)
  interface PoolBuild {
    pool: NodePool;
    poolLabel?: string;
    marked: number;
    kwasm: number;
    aksShims: Set<string>;
    markReasons: Map<string, number>;
    selected: number[]; // per runtime in withSelector: matching nodes
    taintCounts: Map<string, { taint: Taint; count: number }>;
    arch: Set<string>;
  }
  const pools = new Map<string, PoolBuild>();
  let readyNodeCount = 0;
  for (const raw of objects.nodes) {
    const n = nodeOf(raw);
    let build = pools.get(n.poolKey);
    if (!build) {
      build = {
        pool: {
          name: n.poolName,
          provider: n.provider,
          nodeSelector: n.poolLabel ? { [n.poolLabel]: n.poolName } : {},
          wasmCapable: false,
          reasons: [],
          taints: [],
          runtimeClasses: [],
          architectures: [],
          nodes: [],
          readyNodes: 0,
        },
        ...(n.poolLabel ? { poolLabel: n.poolLabel } : {}),
        marked: 0,
        kwasm: 0,
        aksShims: new Set(),
        markReasons: new Map(),
        selected: withSelector.map(() => 0),
        taintCounts: new Map(),
        arch: new Set(),
      };
      pools.set(n.poolKey, build);
    }
    const node: ClusterNode = {
      name: n.name,
      pool: n.poolName,
      ready: n.ready,
      notReadyReason: n.notReadyReason,
      unschedulable: n.unschedulable,
      taints: n.taints,
      architecture: n.architecture,
      os: n.os,
      kubeletVersion: n.kubeletVersion,
      containerRuntime: n.containerRuntime,
      wasmMarks: n.wasmMarks,
      labels: n.labels,
    };
    build.pool.nodes.push(node);
    if (n.ready) {
      build.pool.readyNodes++;
      readyNodeCount++;
    }
    if (n.architecture) build.arch.add(n.architecture);
    if (n.wasmMarks.length > 0) build.marked++;
    if (n.kwasm) build.kwasm++;
    for (const shim of n.aksShims) build.aksShims.add(shim);
    for (const m of n.wasmMarks) build.markReasons.set(m, (build.markReasons.get(m) ?? 0) + 1);
    for (let i = 0; i < withSelector.length; i++) if (matchesSelector(n.labels, withSelector[i]!.nodeSelector)) build.selected[i]!++;
    for (const t of n.taints) {
      const k = `${t.key}=${t.value ?? ''}:${t.effect}`;
      const entry = build.taintCounts.get(k);
      if (entry) entry.count++;
      else build.taintCounts.set(k, { taint: t, count: 1 });
    }
  }

  const anyMarked = [...pools.values()].some((b) => b.marked > 0);
  const anyMarkOrSelection = anyMarked || [...pools.values()].some((b) => b.selected.some((c) => c > 0));
  const nodePools: NodePool[] = [];
  for (const build of pools.values()) {
    const pool = build.pool;
    const total = pool.nodes.length;
    const of = (count: number) => (count === total ? (total === 1 ? 'its node' : `all ${total} nodes`) : `${count} of ${total} nodes`);
    const usableHere = new Set<string>();
    const reasons: string[] = [];
    withSelector.forEach((r, i) => {
      const count = build.selected[i]!;
      if (count === 0) return;
      usableHere.add(r.runtimeClassName);
      reasons.push(`RuntimeClass ${r.runtimeClassName} (${r.shim}) selects ${of(count)} by ${selectorText(r.nodeSelector)}`);
    });
    for (const [mark, count] of build.markReasons) reasons.push(`${mark} on ${of(count)}`);
    if (build.marked > 0) {
      // KWasm installs every shim it knows; an AKS WASI pool has only the shims its labels name.
      for (const r of withoutSelector) if (build.kwasm > 0 || build.aksShims.has(r.shim)) usableHere.add(r.runtimeClassName);
    } else if (!anyMarkOrSelection && withoutSelector.length > 0) {
      for (const r of withoutSelector) {
        usableHere.add(r.runtimeClassName);
        reasons.push(`RuntimeClass ${r.runtimeClassName} (${r.shim}) has no nodeSelector, so its pods may run on any node; no node is marked, so every node is assumed to have the ${r.shim} shim`);
      }
    }
    pool.wasmCapable = usableHere.size > 0 || build.marked > 0;
    if (!pool.wasmCapable) {
      if (usable.length === 0) reasons.push('The cluster has no RuntimeClass with a Wasm handler');
      const hints = withSelector.slice(0, 5).map((r) => `RuntimeClass ${r.runtimeClassName} needs ${selectorText(r.nodeSelector)}, which none of its nodes has`);
      if (withSelector.length > 5) hints.push(`and ${withSelector.length - 5} more Wasm RuntimeClasses select other nodes`);
      reasons.push(...hints);
      if (withoutSelector.length > 0 && anyMarked) reasons.push(`Not marked for Wasm (no ${kwasmNodeAnnotation} annotation, ${kwasmProvisionedLabel} or AKS WASI label), while other pools are`);
      else reasons.push(`No node has the ${kwasmNodeAnnotation} annotation, the ${kwasmProvisionedLabel} label or an AKS WASI label`);
    } else if (build.marked > 0 && usableHere.size === 0) {
      reasons.push(usable.length === 0 ? 'but the cluster has no Wasm RuntimeClass yet: create one to use these nodes' : 'but no Wasm RuntimeClass selects these nodes');
    }
    if (pool.wasmCapable && pool.readyNodes === 0) reasons.push(`none of its ${plural(total, 'node')} is Ready`);
    pool.reasons = reasons;
    pool.runtimeClasses = [...usableHere].sort();
    pool.taints = [...build.taintCounts.values()].filter((e) => e.count === total).map((e) => e.taint);
    pool.architectures = [...build.arch].sort();
    pool.nodes.sort(byName);
    for (const rc of pool.runtimeClasses) runtimeByName.get(rc)?.nodePools.push(pool.name);
    nodePools.push(pool);
  }
  // Wasm-capable pools first, then by name; `ungrouped` last among equals.
  nodePools.sort((a, b) => Number(b.wasmCapable) - Number(a.wasmCapable) || Number(a.name === 'ungrouped') - Number(b.name === 'ungrouped') || a.name.localeCompare(b.name));
  for (const r of runtimes) r.nodePools.sort();

  // --- Workloads
  const executorRuntime = new Map<string, string | undefined>();
  for (const e of executors) executorRuntime.set(key(e.namespace, e.name), e.runtimeClassName);
  const workloads: WasmWorkload[] = [];
  const spinAppByKey = new Map<string, WasmWorkload>();
  const spinAppObjects = new Map<string, SpinAppObject>();
  for (const app of objects.spinApps ?? []) {
    const ns = app.metadata?.namespace ?? '';
    const executor = app.spec?.executor ?? 'containerd-shim-spin';
    const rc = executorRuntime.get(key(ns, executor)) ?? '';
    const w: WasmWorkload = {
      kind: 'SpinApp',
      name: app.metadata?.name ?? '',
      namespace: ns,
      runtimeClassName: rc,
      shim: runtimeByName.get(rc)?.shim ?? 'spin',
      state: 'unknown',
      status: '',
      images: app.spec?.image ? [app.spec.image] : [],
      pods: [],
    };
    spinAppByKey.set(key(ns, w.name), w);
    spinAppObjects.set(key(ns, w.name), app);
    workloads.push(w);
  }
  const deploymentByKey = new Map<string, { workload: WasmWorkload; object: DeploymentObject; spinApp?: WasmWorkload }>();
  const spinAppDeployment = new Map<WasmWorkload, DeploymentObject>();
  for (const d of objects.deployments ?? []) {
    const ns = d.metadata?.namespace ?? '';
    const name = d.metadata?.name ?? '';
    const owner = d.metadata?.ownerReferences?.find((o) => o.kind === 'SpinApp');
    const spinApp = owner ? spinAppByKey.get(key(ns, owner.name)) : undefined;
    const rc = d.spec?.template?.spec?.runtimeClassName ?? '';
    if (!spinApp && !runtimeByName.has(rc)) continue;
    const w: WasmWorkload = {
      kind: 'Deployment',
      name,
      namespace: ns,
      runtimeClassName: rc,
      shim: runtimeByName.get(rc)?.shim,
      state: 'unknown',
      status: '',
      images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean),
      pods: [],
    };
    if (spinApp) {
      spinAppDeployment.set(spinApp, d);
      if (rc) {
        spinApp.runtimeClassName = rc;
        spinApp.shim = runtimeByName.get(rc)?.shim ?? spinApp.shim;
      }
      deploymentByKey.set(key(ns, name), { workload: w, object: d, spinApp });
    } else {
      deploymentByKey.set(key(ns, name), { workload: w, object: d });
      workloads.push(w);
    }
  }
  for (const pod of objects.pods ?? []) {
    const rc = pod.spec?.runtimeClassName ?? '';
    const ns = pod.metadata?.namespace ?? '';
    const rsOwner = pod.metadata?.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    const deploymentName = rsOwner && hash && rsOwner.name.endsWith(`-${hash}`) ? rsOwner.name.slice(0, -hash.length - 1) : undefined;
    const parent = deploymentName ? deploymentByKey.get(key(ns, deploymentName)) : undefined;
    if (!parent && !runtimeByName.has(rc)) continue;
    const { state, status } = podState(pod);
    const entry = { name: pod.metadata?.name ?? '', state, status, ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}) };
    if (parent) {
      (parent.spinApp ?? parent.workload).pods.push(entry);
      continue;
    }
    workloads.push({
      kind: 'Pod',
      name: entry.name,
      namespace: ns,
      runtimeClassName: rc,
      shim: runtimeByName.get(rc)?.shim,
      state,
      status,
      images: (pod.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      pods: [],
    });
  }
  for (const { workload, object, spinApp } of deploymentByKey.values()) {
    if (spinApp) continue;
    const s = deploymentState(object, workload.pods);
    workload.state = s.state;
    workload.status = s.status;
    workload.replicas = { desired: s.desired, ready: s.ready };
  }
  for (const [k, w] of spinAppByKey) {
    const s = spinAppState(spinAppObjects.get(k)!, spinAppDeployment.get(w), w.pods);
    w.state = s.state;
    w.status = s.status;
    w.replicas = { desired: s.desired, ready: s.ready };
  }
  for (const w of workloads) w.pods.sort(byName);
  workloads.sort((a, b) => compare(a.namespace, b.namespace) || compare(a.name, b.name) || compare(a.kind, b.kind));

  return {
    runtimes,
    otherRuntimeClasses: otherRuntimeClasses.sort((a, b) => a.name.localeCompare(b.name)),
    nodePools,
    workloads,
    spinKube: { crds: crdNames.sort(), executors, shims },
    nodeCount: objects.nodes.length,
    readyNodeCount,
    problems,
  };
}
