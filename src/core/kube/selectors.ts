/** Label selectors and taints, as the scheduler reads them. */
import type { Taint, Toleration } from './types';

/** Whether `labels` has every key=value of `selector` (an empty selector matches everything). */
export function matchesSelector(labels: Readonly<Record<string, string>> | undefined, selector: Readonly<Record<string, string>>): boolean {
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
