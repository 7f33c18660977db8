/**
 * Where a deploy goes: the RuntimeClass (or SpinApp executor) and the node pool, chosen from the cluster model, or
 * taken from the command line as they are (an offline dry-run). Every choice is checked against the binary; a target
 * that cannot run it is refused with the reason.
 */
import { toleratesTaints } from '../kube/model';
import type { ClusterModel, NodePool, WasmRuntime } from '../kube/types';
import { binaryRefusal, poolRefusal, runtimeRefusal, shimOf, type BinaryProfile, type ShimTraits } from './compatibility';
import { lifecycleTaint } from './manifests';
import { DeployError, type RuntimeLike, type TaintLike } from './model';
import { checkRuntimeClassName, parseNodeSelector } from './names';

export interface TargetRequest {
  runtimeClass?: string;
  /** A pool's name, or a node selector `KEY=VALUE[,KEY=VALUE]` used as it is. */
  pool?: string;
  /** Extra node selector labels (merged over the pool's). */
  nodeSelector?: Record<string, string>;
  /** Extra taints to tolerate (over the pool's). */
  tolerations?: TaintLike[];
  /** A SpinApp for SpinKube. */
  spin?: boolean;
  /** The SpinAppExecutor (default: `containerd-shim-spin`, or the only one installed). */
  executor?: string;
}

export interface ResolvedTarget {
  runtime: RuntimeLike;
  shim: ShimTraits;
  /** The pool the pods are pinned to (absent: the RuntimeClass's scheduling decides). */
  pool?: { name?: string; nodeSelector: Record<string, string>; taints: TaintLike[] };
  spinApp?: { executor: string };
  /** What was chosen and why, for the output. */
  notes: string[];
}

export const defaultSpinExecutor = 'containerd-shim-spin';

/** A `--pool` value that is a node selector rather than a pool name. */
export const isSelectorPool = (pool: string | undefined): pool is string => pool !== undefined && pool.includes('=');

/** Whether the target can be built from the flags alone, without reading the cluster. */
export function resolvableOffline(request: TargetRequest): boolean {
  if (request.spin) return request.pool === undefined || isSelectorPool(request.pool);
  return request.runtimeClass !== undefined && (isSelectorPool(request.pool) || Object.keys(request.nodeSelector ?? {}).length > 0);
}

function refuse(file: string, reason: string): never {
  throw new DeployError('refused', `${file} cannot be deployed: ${reason}`, '', 'resolve');
}

function selectorPool(request: TargetRequest): ResolvedTarget['pool'] | undefined {
  const selector = { ...(isSelectorPool(request.pool) ? parseNodeSelector([request.pool]) : {}), ...request.nodeSelector };
  const taints = [...(request.tolerations ?? [])];
  if (!Object.keys(selector).length && !taints.length) return undefined;
  return { nodeSelector: selector, taints };
}

/** The target from the flags alone: the shim is told by the RuntimeClass's name (`wasmtime-spin-v2` → Spin). */
export function resolveOffline(file: string, binary: BinaryProfile, request: TargetRequest): ResolvedTarget {
  const notes: string[] = [];
  if (request.spin) {
    const executor = request.executor ?? defaultSpinExecutor;
    const runtime: RuntimeLike = { runtimeClassName: request.runtimeClass ?? 'wasmtime-spin-v2', handler: 'spin', shim: 'spin' };
    const reason = runtimeRefusal(binary, runtime);
    if (reason) refuse(file, `SpinKube runs it with the Spin shim, and ${reason}`);
    notes.push(`SpinApp with executor ${executor} (not checked against the cluster: offline)`);
    return { runtime, shim: shimOf(runtime), spinApp: { executor }, notes };
  }
  const runtimeClassName = checkRuntimeClassName(request.runtimeClass ?? '');
  const runtime: RuntimeLike = { runtimeClassName, handler: '' };
  const reason = runtimeRefusal(binary, runtime);
  if (reason) refuse(file, `on RuntimeClass ${runtimeClassName}: ${reason}`);
  const shim = shimOf(runtime);
  if (shim.kind === 'unknown') notes.push(`the shim of RuntimeClass ${runtimeClassName} is not known from its name: whether it runs this binary was not checked`);
  else notes.push(`RuntimeClass ${runtimeClassName} taken as ${shim.label} from its name (offline: not checked against the cluster)`);
  const pool = selectorPool(request);
  return { runtime, shim, ...(pool ? { pool } : {}), notes };
}

const shimPreference = ['wasmtime', 'spin', 'wasmedge', 'wasmer', 'crun', 'lunatic', 'wws', 'slight', 'other'];

function poolTarget(pool: NodePool, request: TargetRequest): NonNullable<ResolvedTarget['pool']> {
  return {
    name: pool.name,
    nodeSelector: { ...pool.nodeSelector, ...request.nodeSelector },
    taints: [...pool.taints, ...(request.tolerations ?? [])],
  };
}

function listNames(names: readonly string[]): string {
  return names.length ? names.join(', ') : 'none';
}

/** The target chosen from the cluster model, refusing what cannot run the binary. */
export function resolveFromModel(file: string, binary: BinaryProfile, request: TargetRequest, model: ClusterModel): ResolvedTarget {
  const general = binaryRefusal(binary);
  if (general) refuse(file, general);
  const notes: string[] = [];
  const namedPool = request.pool !== undefined && !isSelectorPool(request.pool) ? request.pool : undefined;
  const pool = namedPool !== undefined ? model.nodePools.find((p) => p.name === namedPool) : undefined;
  if (namedPool !== undefined && !pool) {
    refuse(file, `the cluster has no node pool ${JSON.stringify(namedPool)} (pools: ${listNames(model.nodePools.map((p) => p.name))})${model.problems.some((p) => p.section === 'nodes') ? `; nodes could not be read: ${model.problems.find((p) => p.section === 'nodes')!.message}` : ''}`);
  }

  if (request.spin) return resolveSpin(file, binary, request, model, pool, notes);

  let runtime: WasmRuntime | undefined;
  if (request.runtimeClass !== undefined) {
    runtime = model.runtimes.find((r) => r.runtimeClassName === request.runtimeClass);
    if (!runtime) {
      const other = model.otherRuntimeClasses.find((r) => r.name === request.runtimeClass);
      if (other) refuse(file, `RuntimeClass ${other.name} has handler ${other.handler}, which does not run WebAssembly (Wasm RuntimeClasses: ${listNames(model.runtimes.map((r) => r.runtimeClassName))})`);
      refuse(file, `the cluster has no RuntimeClass ${request.runtimeClass} (Wasm RuntimeClasses: ${listNames(model.runtimes.map((r) => r.runtimeClassName))})`);
    }
    if (!runtime.exists) refuse(file, `RuntimeClass ${runtime.runtimeClassName} is announced${runtime.shimResource ? ` by Shim ${runtime.shimResource}` : ''} but not created yet`);
    const reason = runtimeRefusal(binary, runtime);
    if (reason) refuse(file, `on RuntimeClass ${runtime.runtimeClassName}: ${reason}`);
  } else {
    if (!model.runtimes.length) refuse(file, `the cluster has no Wasm RuntimeClass (a Wasm pod needs one: install runwasi shims with KWasm or SpinKube's runtime-class-manager)${model.problems.some((p) => p.section === 'runtimeClasses') ? `; RuntimeClasses could not be read: ${model.problems.find((p) => p.section === 'runtimeClasses')!.message}` : ''}`);
    const candidates = model.runtimes
      .filter((r) => r.exists)
      .filter((r) => (pool ? poolRefusal(pool, r.runtimeClassName) === undefined : true))
      .sort((a, b) => shimPreference.indexOf(a.shim) - shimPreference.indexOf(b.shim));
    const fitting = candidates.filter((r) => runtimeRefusal(binary, r) === undefined);
    if (!fitting.length) {
      const why = (candidates.length ? candidates : model.runtimes).map((r) => `${r.runtimeClassName}: ${runtimeRefusal(binary, r) ?? (pool ? poolRefusal(pool, r.runtimeClassName) : 'not created yet')}`);
      refuse(file, `no Wasm RuntimeClass${pool ? ` on pool ${pool.name}` : ''} can run it (${why.join('; ')})`);
    }
    runtime = fitting[0]!;
    notes.push(`RuntimeClass ${runtime.runtimeClassName} chosen (${shimOf(runtime).label})${fitting.length > 1 ? `; also possible: ${fitting.slice(1).map((r) => r.runtimeClassName).join(', ')}` : ''}`);
  }
  const shim = shimOf(runtime);

  if (isSelectorPool(request.pool)) {
    const target = selectorPool(request)!;
    notes.push(`pods pinned by the node selector given (${Object.entries(target.nodeSelector).map(([k, v]) => `${k}=${v}`).join(', ')})`);
    return { runtime, shim, pool: target, notes };
  }
  if (pool) {
    const reason = poolRefusal(pool, runtime.runtimeClassName);
    if (reason) refuse(file, reason);
    return { runtime, shim, pool: poolTarget(pool, request), notes };
  }
  const pools = model.nodePools.filter((p) => poolRefusal(p, runtime.runtimeClassName) === undefined);
  if (!pools.length) {
    if (model.problems.some((p) => p.section === 'nodes') || model.nodeCount === 0) {
      notes.push(`no node pool checked (${model.problems.find((p) => p.section === 'nodes')?.message ?? 'no nodes listed'}): the RuntimeClass's scheduling decides where pods go`);
      return { runtime, shim, ...(selectorPool(request) ? { pool: selectorPool(request)! } : {}), notes };
    }
    refuse(file, `no node pool runs RuntimeClass ${runtime.runtimeClassName} (${model.nodePools.map((p) => `${p.name}: ${poolRefusal(p, runtime!.runtimeClassName)}`).join('; ')}): its pods would stay Pending`);
  }
  const chosen = pools.find((p) => p.readyNodes > 0) ?? pools[0]!;
  notes.push(`pool ${chosen.name} chosen${pools.length > 1 ? ` (also possible: ${pools.filter((p) => p !== chosen).map((p) => p.name).join(', ')}; choose with --pool)` : ''}`);
  return { runtime, shim, pool: poolTarget(chosen, request), notes };
}

function resolveSpin(file: string, binary: BinaryProfile, request: TargetRequest, model: ClusterModel, pool: NodePool | undefined, notes: string[]): ResolvedTarget {
  if (!model.spinKube.crds.some((c) => c.startsWith('spinapps.'))) {
    refuse(file, `SpinKube is not installed in this cluster (no spinapps.core.spinkube.dev CustomResourceDefinition)${model.problems.some((p) => p.section === 'spinKube') ? `: ${model.problems.find((p) => p.section === 'spinKube')!.message}` : ''}; deploy without --spin to use a RuntimeClass directly`);
  }
  const executors = model.spinKube.executors;
  const executor = request.executor !== undefined ? executors.find((e) => e.name === request.executor) : (executors.find((e) => e.name === defaultSpinExecutor) ?? executors[0]);
  if (!executor) {
    refuse(file, request.executor !== undefined ? `SpinKube has no SpinAppExecutor ${request.executor} (executors: ${listNames(executors.map((e) => e.name))})` : 'SpinKube has no SpinAppExecutor (install containerd-shim-spin\'s executor)');
  }
  const runtimeClassName = request.runtimeClass ?? executor.runtimeClassName;
  if (request.runtimeClass !== undefined && executor.runtimeClassName && request.runtimeClass !== executor.runtimeClassName) {
    refuse(file, `SpinAppExecutor ${executor.name} runs RuntimeClass ${executor.runtimeClassName}, not ${request.runtimeClass}`);
  }
  const known = runtimeClassName ? model.runtimes.find((r) => r.runtimeClassName === runtimeClassName) : undefined;
  const runtime: RuntimeLike = known ?? { runtimeClassName: runtimeClassName ?? 'spin', handler: 'spin', shim: 'spin' };
  const reason = runtimeRefusal(binary, { ...runtime, shim: 'spin' });
  if (reason) refuse(file, `SpinKube runs it with the Spin shim, and ${reason}`);
  // A SpinApp cannot carry tolerations: its pods get only the RuntimeClass's scheduling.tolerations.
  const tolerations = known?.tolerations ?? [];
  const untolerated = (p: NodePool) => p.taints.filter((t) => !lifecycleTaint.test(t.key) && !toleratesTaints(tolerations, [t]));
  const describeTaints = (p: NodePool) => untolerated(p).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ');
  if (pool) {
    const why = runtimeClassName ? poolRefusal(pool, runtimeClassName) : undefined;
    if (why) refuse(file, why);
    if (untolerated(pool).length) refuse(file, `pool ${pool.name} is tainted ${describeTaints(pool)}, and a SpinApp's pods get only the tolerations of RuntimeClass ${runtimeClassName} (scheduling.tolerations), which do not tolerate ${untolerated(pool).length === 1 ? 'it' : 'them'}: add them to the RuntimeClass, or deploy without --spin (a Deployment carries its own tolerations)`);
    notes.push(`pool ${pool.name} runs ${runtimeClassName}; a SpinApp is placed by its executor's RuntimeClass, not pinned to a pool`);
  } else if (runtimeClassName && model.nodeCount > 0) {
    const pools = model.nodePools.filter((p) => poolRefusal(p, runtimeClassName) === undefined);
    if (pools.length && pools.every((p) => untolerated(p).length > 0)) {
      refuse(file, `every pool that runs RuntimeClass ${runtimeClassName} is tainted (${pools.map((p) => `${p.name}: ${describeTaints(p)}`).join('; ')}), and a SpinApp's pods get only the RuntimeClass's scheduling.tolerations, which do not tolerate that: add them to the RuntimeClass, or deploy without --spin (a Deployment carries its own tolerations)`);
    }
    if (!pools.length) refuse(file, `no node pool runs RuntimeClass ${runtimeClassName} of SpinAppExecutor ${executor.name}: its pods would stay Pending`);
  }
  notes.push(`SpinApp with executor ${executor.name}${runtimeClassName ? ` (RuntimeClass ${runtimeClassName})` : ''}`);
  return { runtime, shim: shimOf({ ...runtime, shim: 'spin' }), spinApp: { executor: executor.name }, notes };
}
