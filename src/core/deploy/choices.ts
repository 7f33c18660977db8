/**
 * Every place a binary could go in a cluster (a RuntimeClass on a pool, or SpinKube), each marked runnable or not
 * with the reason: what a picker offers, with the incompatible ones shown but refused.
 */
import type { ClusterModel } from '../kube/types';
import { poolCanRun, poolRefusal, runtimeRefusal, shimOf, type BinaryProfile } from './compatibility';
import { defaultSpinExecutor, type TargetRequest } from './target';

export interface TargetChoice {
  /** e.g. `wasmtime on wasmpool`. */
  label: string;
  /** e.g. `wasmtime (runwasi), 3/3 nodes ready`. */
  description: string;
  /** Why it cannot run the binary; undefined when it can. */
  refusal?: string;
  /** What to pass to deploy for this choice (a SpinApp goes to its executor's namespace). */
  request: TargetRequest & { namespace?: string };
}

export interface ChoiceFilter {
  /** Only this pool (a pool node of the clusters tree). */
  pool?: string;
  /** Only this RuntimeClass (a runtime node of the clusters tree). */
  runtimeClass?: string;
}

export function targetChoices(model: ClusterModel, binary: BinaryProfile, filter: ChoiceFilter = {}): TargetChoice[] {
  const choices: TargetChoice[] = [];
  for (const runtime of model.runtimes) {
    if (filter.runtimeClass !== undefined && runtime.runtimeClassName !== filter.runtimeClass) continue;
    const shim = shimOf(runtime);
    const binaryReason =
      runtimeRefusal(binary, runtime, runtime.shimVersion) ?? (runtime.exists ? undefined : 'the RuntimeClass is not created yet');
    const pools = model.nodePools.filter((p) => filter.pool === undefined || p.name === filter.pool);
    const usable = pools.filter((p) => poolRefusal(p, runtime.runtimeClassName) === undefined);
    for (const pool of usable) {
      const verdict = poolCanRun(binary, runtime, pool);
      const where = pool.runtimes.find((r) => r.runtimeClassName === runtime.runtimeClassName);
      choices.push({
        label: `${runtime.runtimeClassName} on ${pool.name}`,
        description: `${shim.label}, ${where ? `${where.readyNodes}/${where.nodes}` : `${pool.readyNodes}/${pool.nodes.length}`} nodes ready`,
        ...(binaryReason ? { refusal: binaryReason } : !verdict.ok ? { refusal: verdict.reason } : {}),
        request: { runtimeClass: runtime.runtimeClassName, pool: pool.name },
      });
    }
    if (!usable.length) {
      // The pool asked for cannot run this RuntimeClass, or no pool can: list it with the reason.
      const reason =
        binaryReason ??
        (filter.pool !== undefined && pools[0]
          ? poolRefusal(pools[0], runtime.runtimeClassName)
          : `no node pool runs RuntimeClass ${runtime.runtimeClassName}`);
      if (model.nodeCount === 0 && !binaryReason && filter.pool === undefined) {
        choices.push({
          label: runtime.runtimeClassName,
          description: `${shim.label}; nodes not listed`,
          request: { runtimeClass: runtime.runtimeClassName },
        });
      } else {
        choices.push({
          label: `${runtime.runtimeClassName}${filter.pool !== undefined ? ` on ${filter.pool}` : ''}`,
          description: shim.label,
          ...(reason ? { refusal: reason } : {}),
          request: { runtimeClass: runtime.runtimeClassName, ...(filter.pool !== undefined ? { pool: filter.pool } : {}) },
        });
      }
    }
  }
  if (
    model.spinKube.crds.some((c) => c.startsWith('spinapps.')) &&
    (filter.runtimeClass === undefined || model.spinKube.executors.some((e) => e.runtimeClassName === filter.runtimeClass))
  ) {
    const executors = model.spinKube.executors.filter(
      (e) => filter.runtimeClass === undefined || e.runtimeClassName === filter.runtimeClass,
    );
    for (const executor of executors.length ? executors : [{ name: defaultSpinExecutor, namespace: '', createDeployment: true }]) {
      const pool = filter.pool !== undefined ? model.nodePools.find((p) => p.name === filter.pool) : undefined;
      const reason =
        runtimeRefusal(
          binary,
          { runtimeClassName: executor.runtimeClassName ?? 'spin', handler: 'spin', shim: 'spin' },
          model.runtimes.find((r) => r.runtimeClassName === executor.runtimeClassName)?.shimVersion,
        ) ?? (pool && executor.runtimeClassName ? poolRefusal(pool, executor.runtimeClassName) : undefined);
      choices.push({
        label: `SpinApp (SpinKube, executor ${executor.namespace ? `${executor.namespace}/` : ''}${executor.name})`,
        description: executor.runtimeClassName ? `RuntimeClass ${executor.runtimeClassName}` : 'Spin',
        ...(reason ? { refusal: reason } : {}),
        request: {
          spin: true,
          executor: executor.name,
          ...(executor.namespace ? { namespace: executor.namespace } : {}),
          ...(filter.pool !== undefined ? { pool: filter.pool } : {}),
        },
      });
    }
  }
  // Runnable first, then by label.
  return choices.sort((a, b) => Number(a.refusal !== undefined) - Number(b.refusal !== undefined));
}

/** Pools with no Wasm runtime, listed as refused (so a picker can show why they are not offered). */
export function nonWasmPools(model: ClusterModel, filter: ChoiceFilter = {}): TargetChoice[] {
  return model.nodePools
    .filter((p) => !p.wasmCapable && (filter.pool === undefined || p.name === filter.pool))
    .map((p) => ({
      label: p.name,
      description: `${p.nodes.length} nodes`,
      refusal: poolRefusal(p, '') ?? 'no Wasm runtime',
      request: { pool: p.name },
    }));
}
