/**
 * The one rule for "is this workload up, done, or broken, and why": the cluster tree shows it and a deploy's rollout
 * waits for it. Written for what the kubelet and the controllers really report:
 * - a Deployment is ready when the controller has seen its latest generation and every desired replica is updated
 *   and available (`availableReplicas`, which counts minReadySeconds, not just `readyReplicas`), and no extra old
 *   replicas remain;
 * - a Job is done when its `Complete` condition is True, failed when `Failed` is True; the exit code comes from its
 *   pod's terminated container;
 * - a pod is broken when a container waits for a reason that will not clear by itself (image pull, crash loop, bad
 *   config) or terminated non-zero outside a successful pod;
 * - a SpinApp is as ready as the Deployment the spin-operator made for it (its status mirrors that Deployment's
 *   Available/Progressing conditions); with no status at all, the operator is not running.
 */
import type { DeploymentObject, JobObject, PodObject, SpinAppObject, WorkloadState } from './types';

/** Container waiting reasons after which a pod will not start without a change. */
export const failingWaitingReasons: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerError',
  'CreateContainerConfigError',
  'RunContainerError',
]);

export interface PodStatus {
  state: WorkloadState;
  /** e.g. `Running`, `Completed`, `ImagePullBackOff: Back-off pulling image "..."`, `Error (exit code 1)`. */
  summary: string;
  /** The first container's exit code, once it has terminated. */
  exitCode?: number;
}

export interface WorkloadStatus {
  state: WorkloadState;
  /** e.g. `2/3 available`, `Complete (exit code 0)`, `1/1 available; CrashLoopBackOff: ...`. */
  summary: string;
  desired: number;
  /** Available replicas (Deployments, SpinApps), or succeeded pods (Jobs). */
  ready: number;
  exitCode?: number;
}

const joined = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(': ');

function condition(conditions: { type: string; status: string; reason?: string; message?: string }[] | undefined, type: string) {
  return conditions?.find((c) => c.type === type);
}

export function podStatus(pod: PodObject): PodStatus {
  if (pod.metadata?.deletionTimestamp) return { state: 'progressing', summary: 'Terminating' };
  const status = pod.status ?? {};
  const terminated = status.containerStatuses?.find((c) => c.state?.terminated)?.state?.terminated;
  const exit = terminated?.exitCode !== undefined ? { exitCode: terminated.exitCode } : {};
  for (const c of status.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && failingWaitingReasons.has(waiting.reason)) {
      const last = c.lastState?.terminated;
      const lastExit = last?.exitCode !== undefined ? ` (last exit code ${last.exitCode})` : '';
      return {
        state: 'failed',
        summary: `${joined(waiting.reason, waiting.message)}${lastExit}`,
        ...(last?.exitCode !== undefined ? { exitCode: last.exitCode } : {}),
      };
    }
  }
  switch (status.phase) {
    case 'Succeeded':
      return { state: 'completed', summary: `Completed (exit code ${terminated?.exitCode ?? 0})`, exitCode: terminated?.exitCode ?? 0 };
    case 'Failed':
      return {
        state: 'failed',
        summary: terminated
          ? `${terminated.reason ?? 'Error'} (exit code ${terminated.exitCode ?? '?'})${terminated.message ? `: ${terminated.message}` : ''}`
          : joined(status.reason ?? 'Failed', status.message),
        ...exit,
      };
    case 'Running': {
      if (terminated && terminated.exitCode !== 0)
        return { state: 'failed', summary: `${terminated.reason ?? 'Error'} (exit code ${terminated.exitCode ?? '?'})`, ...exit };
      const ready = condition(status.conditions, 'Ready')?.status === 'True';
      return ready ? { state: 'ready', summary: 'Running' } : { state: 'progressing', summary: 'Running, not ready' };
    }
    case 'Pending': {
      const scheduled = condition(status.conditions, 'PodScheduled');
      if (scheduled?.status === 'False')
        return { state: 'pending', summary: joined(scheduled.reason ?? 'Unschedulable', scheduled.message) };
      const waiting = status.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
      return { state: 'pending', summary: waiting ?? 'Pending' };
    }
    default:
      return { state: 'unknown', summary: status.phase ?? 'Unknown' };
  }
}

/** `pods`: the workload's pods' statuses (a broken pod fails the workload at once). */
export function deploymentStatus(d: DeploymentObject, pods: readonly PodStatus[]): WorkloadStatus {
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const available = s.availableReplicas ?? 0;
  const counts = `${available}/${desired} available`;
  const base = { desired, ready: available };
  const replicaFailure = condition(s.conditions, 'ReplicaFailure');
  if (replicaFailure?.status === 'True')
    return { ...base, state: 'failed', summary: `${counts}; ${joined(replicaFailure.reason ?? 'ReplicaFailure', replicaFailure.message)}` };
  const progressing = condition(s.conditions, 'Progressing');
  if (progressing?.status === 'False')
    return { ...base, state: 'failed', summary: `${counts}; ${joined(progressing.reason ?? 'not progressing', progressing.message)}` };
  const failedPod = pods.find((p) => p.state === 'failed');
  if (failedPod) return { ...base, state: 'failed', summary: `${counts}; ${failedPod.summary}` };
  const observed = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  if (!observed) return { ...base, state: 'progressing', summary: `${counts} (waiting for the controller)` };
  if (desired === 0) return { ...base, state: 'ready', summary: 'scaled to 0' };
  if ((s.updatedReplicas ?? 0) >= desired && available >= desired && (s.replicas ?? 0) <= desired)
    return { ...base, state: 'ready', summary: counts };
  const unschedulable = pods.find((p) => p.state === 'pending' && p.summary.startsWith('Unschedulable'));
  if (unschedulable) return { ...base, state: 'pending', summary: `${counts}; ${unschedulable.summary}` };
  return { ...base, state: 'progressing', summary: counts };
}

export function jobStatus(job: JobObject, pods: readonly PodStatus[]): WorkloadStatus {
  const s = job.status ?? {};
  const desired = job.spec?.completions ?? 1;
  const base = { desired, ready: s.succeeded ?? 0 };
  const exited = pods.find((p) => p.exitCode !== undefined);
  const exit = exited?.exitCode !== undefined ? { exitCode: exited.exitCode } : {};
  if (condition(s.conditions, 'Complete')?.status === 'True')
    return { ...base, ...exit, state: 'completed', summary: `Complete (exit code ${exited?.exitCode ?? 0})` };
  const failed = condition(s.conditions, 'Failed');
  if (failed?.status === 'True') {
    const pod = pods.find((p) => p.state === 'failed');
    return {
      ...base,
      ...exit,
      state: 'failed',
      summary: `${joined(failed.reason ?? 'Failed', failed.message)}${pod ? `; ${pod.summary}` : ''}`,
    };
  }
  // The pod failed but the Job controller has not written its verdict yet, or a pod will never start (image pull).
  const failedPod = pods.find((p) => p.state === 'failed');
  if (failedPod) return { ...base, ...exit, state: 'failed', summary: failedPod.summary };
  const pending = pods.find((p) => p.state === 'pending');
  if (pending) return { ...base, state: 'pending', summary: pending.summary };
  if ((s.active ?? 0) > 0 || pods.length) return { ...base, state: 'progressing', summary: 'running' };
  return { ...base, state: 'progressing', summary: 'waiting for its pod' };
}

/** A pod run once (restartPolicy Never): its own status, with exit code; running is not done yet. */
export function runOncePodStatus(pod: PodObject): WorkloadStatus {
  const p = podStatus(pod);
  const state = p.state === 'ready' ? 'progressing' : p.state;
  return {
    state,
    summary: p.summary,
    desired: 1,
    ready: p.state === 'completed' ? 1 : 0,
    ...(p.exitCode !== undefined ? { exitCode: p.exitCode } : {}),
  };
}

export function spinAppStatus(app: SpinAppObject, deployment: DeploymentObject | undefined, pods: readonly PodStatus[]): WorkloadStatus {
  if (deployment) return deploymentStatus(deployment, pods);
  const desired = app.spec?.replicas ?? 1;
  const ready = app.status?.readyReplicas ?? 0;
  if (!app.status)
    return { state: 'unknown', summary: 'no status and no Deployment yet: is the SpinKube spin-operator running?', desired, ready };
  const available = condition(app.status.conditions, 'Available');
  if (available?.status === 'True' && ready >= desired) return { state: 'ready', summary: `${ready}/${desired} ready`, desired, ready };
  const progressing = condition(app.status.conditions, 'Progressing');
  if (progressing?.status === 'False')
    return {
      state: 'failed',
      summary: `${ready}/${desired} ready; ${joined(progressing.reason ?? 'not progressing', progressing.message)}`,
      desired,
      ready,
    };
  return { state: 'progressing', summary: `${ready}/${desired} ready`, desired, ready };
}

/** Whether a rollout can stop waiting: done (ready or completed) or broken. */
export const settled = (state: WorkloadState) => state === 'ready' || state === 'completed' || state === 'failed';
