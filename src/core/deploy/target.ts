/**
 * Where a deploy goes: the RuntimeClass (or SpinApp executor) and the node pool, chosen from the cluster model with
 * `poolCanRun` (compatibility.ts), or taken from the command line as they are (an offline dry-run). A target that
 * cannot run the binary is refused with the reason.
 */
import { toleratesTaints } from '../kube/selectors';
import type { ClusterModel, NodePool, WasmRuntime } from '../kube/types';
import {
  binaryRefusal,
  checkRuntime,
  isCommand,
  poolCanRun,
  poolRefusal,
  shimOf,
  type BinaryProfile,
  type PodPlacement,
  type ShimTraits,
} from './compatibility';
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
  /** The SpinAppExecutor (default: `containerd-shim-spin`, or the only one in the app's namespace). */
  executor?: string;
}

export interface ResolvedTarget {
  runtime: RuntimeLike;
  shim: ShimTraits;
  /** Where the pods are pinned (absent: the RuntimeClass's scheduling decides). */
  pool?: PodPlacement & { name?: string };
  spinApp?: { executor: string };
  /** Whether the pool's containerd reads Wasm layers (false: too old; undefined: not known). */
  wasmLayers?: boolean;
  containerd?: string[];
  /** What was chosen and why, and what could not be checked. */
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

function selectorPlacement(request: TargetRequest): ResolvedTarget['pool'] | undefined {
  const selector = { ...(isSelectorPool(request.pool) ? parseNodeSelector([request.pool]) : {}), ...request.nodeSelector };
  const taints = [...(request.tolerations ?? [])];
  if (!Object.keys(selector).length && !taints.length) return undefined;
  return { nodeSelector: selector, requiredLabels: [], taints };
}

/** The pool's placement with the request's extra labels and tolerations over it. */
function withExtras(name: string, placement: PodPlacement, request: TargetRequest): NonNullable<ResolvedTarget['pool']> {
  return {
    name,
    nodeSelector: { ...placement.nodeSelector, ...request.nodeSelector },
    requiredLabels: placement.requiredLabels,
    taints: [...placement.taints, ...(request.tolerations ?? [])],
  };
}

/** The target from the flags alone: the shim is told by the RuntimeClass's name (`wasmtime-spin-v2` → Spin). */
export function resolveOffline(file: string, binary: BinaryProfile, request: TargetRequest): ResolvedTarget {
  const notes: string[] = [];
  if (request.spin) {
    const executor = request.executor ?? defaultSpinExecutor;
    const runtime: RuntimeLike = { runtimeClassName: request.runtimeClass ?? 'wasmtime-spin-v2', handler: 'spin', shim: 'spin' };
    const check = checkRuntime(binary, runtime);
    if (check.refusal) refuse(file, `SpinKube runs it with the Spin shim, and ${check.refusal}`);
    notes.push(
      `SpinApp with executor ${executor}, which must exist in the app's namespace (not checked against the cluster: offline)`,
      ...check.notes,
    );
    return { runtime, shim: shimOf(runtime), spinApp: { executor }, notes };
  }
  const runtimeClassName = checkRuntimeClassName(request.runtimeClass ?? '');
  const runtime: RuntimeLike = { runtimeClassName, handler: '' };
  const check = checkRuntime(binary, runtime);
  if (check.refusal) refuse(file, `on RuntimeClass ${runtimeClassName}: ${check.refusal}`);
  const shim = shimOf(runtime);
  if (shim.shim === 'other')
    notes.push(`the shim of RuntimeClass ${runtimeClassName} is not known from its name: whether it runs this binary was not checked`);
  else notes.push(`RuntimeClass ${runtimeClassName} taken as ${shim.label} from its name (offline: not checked against the cluster)`);
  notes.push(...check.notes);
  const pool = selectorPlacement(request);
  return { runtime, shim, ...(pool ? { pool } : {}), notes };
}

/**
 * Which shims to try first when no RuntimeClass is named: for a command, the runwasi shims (wasmtime runs every kind
 * of command); for a server, Spin (it serves wasi:http components on every release), then wasmtime.
 */
function preference(binary: BinaryProfile): string[] {
  return isCommand(binary)
    ? ['wasmtime', 'wasmedge', 'wasmer', 'wamr', 'crun', 'lunatic', 'wws', 'slight', 'other', 'spin']
    : ['spin', 'wasmtime', 'wasmedge', 'wasmer', 'wamr', 'crun', 'lunatic', 'wws', 'slight', 'other'];
}

function listNames(names: readonly string[]): string {
  return names.length ? names.join(', ') : 'none';
}

/** The target chosen from the cluster model, refusing what cannot run the binary. `namespace`: where the app goes. */
export function resolveFromModel(
  file: string,
  binary: BinaryProfile,
  request: TargetRequest,
  model: ClusterModel,
  namespace = 'default',
): ResolvedTarget {
  const general = binaryRefusal(binary);
  if (general) refuse(file, general);
  const namedPool = request.pool !== undefined && !isSelectorPool(request.pool) ? request.pool : undefined;
  const pool = namedPool !== undefined ? model.nodePools.find((p) => p.name === namedPool) : undefined;
  if (namedPool !== undefined && !pool) {
    refuse(
      file,
      `the cluster has no node pool ${JSON.stringify(namedPool)} (pools: ${listNames(model.nodePools.map((p) => p.name))})${model.problems.some((p) => p.section === 'nodes') ? `; nodes could not be read: ${model.problems.find((p) => p.section === 'nodes')!.message}` : ''}`,
    );
  }
  if (request.spin) return resolveSpin(file, binary, request, model, pool, namespace);

  let candidates: WasmRuntime[];
  if (request.runtimeClass !== undefined) {
    const runtime = model.runtimes.find((r) => r.runtimeClassName === request.runtimeClass);
    if (!runtime) {
      const other = model.otherRuntimeClasses.find((r) => r.name === request.runtimeClass);
      if (other)
        refuse(
          file,
          `RuntimeClass ${other.name} has handler ${other.handler}, which does not run WebAssembly (Wasm RuntimeClasses: ${listNames(model.runtimes.map((r) => r.runtimeClassName))})`,
        );
      refuse(
        file,
        `the cluster has no RuntimeClass ${request.runtimeClass} (Wasm RuntimeClasses: ${listNames(model.runtimes.map((r) => r.runtimeClassName))})`,
      );
    }
    if (!runtime.exists)
      refuse(
        file,
        `RuntimeClass ${runtime.runtimeClassName} is announced${runtime.shimResource ? ` by Shim ${runtime.shimResource}` : ''} but not created yet`,
      );
    candidates = [runtime];
  } else {
    if (!model.runtimes.length)
      refuse(
        file,
        `the cluster has no Wasm RuntimeClass (a Wasm pod needs one: install runwasi shims with KWasm or SpinKube's runtime-class-manager)${model.problems.some((p) => p.section === 'runtimeClasses') ? `; RuntimeClasses could not be read: ${model.problems.find((p) => p.section === 'runtimeClasses')!.message}` : ''}`,
      );
    const order = preference(binary);
    candidates = model.runtimes.filter((r) => r.exists).sort((a, b) => order.indexOf(a.shim) - order.indexOf(b.shim));
  }

  // A node selector given as it is, or nodes that could not be read: the runtime alone is checked.
  const nodesUnknown = model.problems.some((p) => p.section === 'nodes') || model.nodeCount === 0;
  if (isSelectorPool(request.pool) || nodesUnknown) {
    const why: string[] = [];
    for (const runtime of candidates) {
      const check = checkRuntime(binary, runtime, runtime.shimVersion);
      if (check.refusal) {
        why.push(`${runtime.runtimeClassName}: ${check.refusal}`);
        continue;
      }
      const placement = selectorPlacement(request);
      const notes = [`RuntimeClass ${runtime.runtimeClassName} chosen (${shimOf(runtime).label})`, ...check.notes];
      if (isSelectorPool(request.pool))
        notes.push(
          `pods pinned by the node selector given (${Object.entries(placement!.nodeSelector)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}); whether those nodes have the shim was not checked`,
        );
      else
        notes.push(
          `no node pool checked (${model.problems.find((p) => p.section === 'nodes')?.message ?? 'no nodes listed'}): the RuntimeClass's scheduling decides where pods go`,
        );
      return { runtime, shim: shimOf(runtime), ...(placement ? { pool: placement } : {}), notes };
    }
    refuse(
      file,
      candidates.length === 1
        ? `on RuntimeClass ${candidates[0]!.runtimeClassName}: ${why[0]}`
        : `no Wasm RuntimeClass can run it (${why.join('; ')})`,
    );
  }

  const pools = pool ? [pool] : model.nodePools;
  const refusals: string[] = [];
  for (const runtime of candidates) {
    const fits: { pool: NodePool; verdict: Extract<ReturnType<typeof poolCanRun>, { ok: true }> }[] = [];
    const runtimeRefusals: string[] = [];
    for (const p of pools) {
      const verdict = poolCanRun(binary, runtime, p);
      if (verdict.ok) fits.push({ pool: p, verdict });
      else runtimeRefusals.push(verdict.reason);
    }
    if (!fits.length) {
      // The binary's own refusal is the same on every pool: say it once.
      const distinct = [...new Set(runtimeRefusals)];
      refusals.push(`${runtime.runtimeClassName}: ${distinct.length === 1 ? distinct[0] : distinct.slice(0, 4).join('; ')}`);
      continue;
    }
    const readyCount = (f: (typeof fits)[number]) =>
      f.pool.runtimes.find((r) => r.runtimeClassName === runtime.runtimeClassName)?.readyNodes ?? 0;
    // Pools with ready nodes first, then those whose containerd reads Wasm layers (the shim's own form).
    const rank = (f: (typeof fits)[number]) => (readyCount(f) > 0 ? 0 : 2) + (f.verdict.wasmLayers === false ? 1 : 0);
    const chosen = [...fits].sort((a, b) => rank(a) - rank(b))[0]!;
    const notes = [`RuntimeClass ${runtime.runtimeClassName} chosen (${chosen.verdict.shim.label})`, ...chosen.verdict.notes];
    if (!pool && fits.length > 1)
      notes.push(
        `pool ${chosen.pool.name} chosen (also possible: ${fits
          .filter((f) => f !== chosen)
          .map((f) => f.pool.name)
          .join(', ')}; choose with --pool)`,
      );
    if (readyCount(chosen) === 0)
      notes.push(`none of the nodes of pool ${chosen.pool.name} that have the shim is Ready: the pods will wait`);
    return {
      runtime,
      shim: chosen.verdict.shim,
      pool: withExtras(chosen.pool.name, chosen.verdict.placement, request),
      ...(chosen.verdict.wasmLayers !== undefined ? { wasmLayers: chosen.verdict.wasmLayers } : {}),
      containerd: chosen.verdict.containerd,
      notes,
    };
  }
  if (candidates.length === 1) refuse(file, refusals[0]!.replace(/^[^:]+: /, `on RuntimeClass ${candidates[0]!.runtimeClassName}: `));
  refuse(file, `no Wasm RuntimeClass${pool ? ` on pool ${pool.name}` : ''} can run it (${refusals.join('; ')})`);
}

function resolveSpin(
  file: string,
  binary: BinaryProfile,
  request: TargetRequest,
  model: ClusterModel,
  pool: NodePool | undefined,
  namespace: string,
): ResolvedTarget {
  if (!model.spinKube.crds.some((c) => c.startsWith('spinapps.'))) {
    refuse(
      file,
      `SpinKube is not installed in this cluster (no spinapps.core.spinkube.dev CustomResourceDefinition)${model.problems.some((p) => p.section === 'spinKube') ? `: ${model.problems.find((p) => p.section === 'spinKube')!.message}` : ''}; deploy without --spin to use a RuntimeClass directly`,
    );
  }
  // spin-operator's webhook looks the executor up in the SpinApp's own namespace.
  const here = model.spinKube.executors.filter((e) => e.namespace === namespace);
  const wanted = request.executor ?? (here.find((e) => e.name === defaultSpinExecutor) ?? here[0])?.name ?? defaultSpinExecutor;
  const executor = here.find((e) => e.name === wanted);
  if (!executor) {
    const elsewhere = model.spinKube.executors.filter((e) => e.name === wanted).map((e) => e.namespace);
    refuse(
      file,
      elsewhere.length
        ? `SpinAppExecutor ${wanted} exists in namespace ${elsewhere.join(', ')} but not in ${namespace}, and the spin-operator only uses an executor from the SpinApp's own namespace: create it in ${namespace}, or deploy to ${elsewhere[0]} (--namespace)`
        : `namespace ${namespace} has no SpinAppExecutor${request.executor !== undefined ? ` ${request.executor}` : ''} (executors there: ${listNames(here.map((e) => e.name))}); the spin-operator needs one in the SpinApp's own namespace: install containerd-shim-spin's executor there`,
    );
  }
  const runtimeClassName = executor.runtimeClassName;
  if (request.runtimeClass !== undefined && runtimeClassName && request.runtimeClass !== runtimeClassName) {
    refuse(file, `SpinAppExecutor ${executor.name} runs RuntimeClass ${runtimeClassName}, not ${request.runtimeClass}`);
  }
  const known = runtimeClassName ? model.runtimes.find((r) => r.runtimeClassName === runtimeClassName) : undefined;
  const runtime: RuntimeLike = known ?? { runtimeClassName: runtimeClassName ?? 'spin', handler: 'spin', shim: 'spin' };
  const check = checkRuntime(binary, { ...runtime, shim: 'spin' }, known?.shimVersion);
  if (check.refusal) refuse(file, `SpinKube runs it with the Spin shim, and ${check.refusal}`);
  const notes: string[] = [];
  // A SpinApp cannot carry tolerations: its pods get only the RuntimeClass's scheduling.tolerations.
  const tolerations = known?.tolerations ?? [];
  const untolerated = (p: NodePool) => p.taints.filter((t) => !lifecycleTaint.test(t.key) && !toleratesTaints(tolerations, [t]));
  const describeTaints = (p: NodePool) =>
    untolerated(p)
      .map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`)
      .join(', ');
  if (pool) {
    const why = runtimeClassName ? poolRefusal(pool, runtimeClassName) : undefined;
    if (why) refuse(file, why);
    if (untolerated(pool).length)
      refuse(
        file,
        `pool ${pool.name} is tainted ${describeTaints(pool)}, and a SpinApp's pods get only the tolerations of RuntimeClass ${runtimeClassName} (scheduling.tolerations), which do not tolerate ${untolerated(pool).length === 1 ? 'it' : 'them'}: add them to the RuntimeClass, or deploy without --spin (a Deployment carries its own tolerations)`,
      );
    notes.push(`pool ${pool.name} runs ${runtimeClassName}; a SpinApp is placed by its executor's RuntimeClass, not pinned to a pool`);
  } else if (runtimeClassName && model.nodeCount > 0) {
    const pools = model.nodePools.filter((p) => poolRefusal(p, runtimeClassName) === undefined);
    if (pools.length && pools.every((p) => untolerated(p).length > 0)) {
      refuse(
        file,
        `every pool that runs RuntimeClass ${runtimeClassName} is tainted (${pools.map((p) => `${p.name}: ${describeTaints(p)}`).join('; ')}), and a SpinApp's pods get only the RuntimeClass's scheduling.tolerations, which do not tolerate that: add them to the RuntimeClass, or deploy without --spin (a Deployment carries its own tolerations)`,
      );
    }
    if (!pools.length)
      refuse(file, `no node pool runs RuntimeClass ${runtimeClassName} of SpinAppExecutor ${executor.name}: its pods would stay Pending`);
  }
  notes.push(
    `SpinApp with executor ${executor.namespace}/${executor.name}${runtimeClassName ? ` (RuntimeClass ${runtimeClassName})` : ''}`,
    ...check.notes,
  );
  return { runtime, shim: shimOf({ ...runtime, shim: 'spin' }), spinApp: { executor: executor.name }, notes };
}
