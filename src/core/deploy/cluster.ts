/**
 * The cluster side of a deploy: server-side apply with the `wasm-workbench` field manager, waiting for the rollout,
 * explaining a failed rollout from pod states, events and logs, and deleting what a deploy created.
 */
import type { KubeClient } from '../kube/client';
import { KubeError } from '../kube/errors';
import type { DeploymentObject, KubeObject as ClusterObject, PodObject, SpinAppObject } from '../kube/types';
import type { KubeObject } from './manifests';
import { DeployError, fieldManager, managedByLabel, nameLabel, type DeployEvent, type DeployStep } from './model';

export interface AppliedObject {
  kind: string;
  name: string;
  namespace: string;
  /** created: it did not exist; configured: the apply changed it; unchanged: the apply changed nothing. */
  result: 'created' | 'configured' | 'unchanged';
  generation?: number;
  resourceVersion?: string;
}

const describe = (o: { kind: string; metadata: { name: string; namespace?: string } }) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Words for an API failure: what was being done, and what to do about it. */
export function explainKubeError(error: unknown, doing: string, step?: DeployStep): DeployError {
  if (error instanceof DeployError) return error;
  if (error instanceof KubeError) {
    const hint =
      error.kind === 'forbidden'
        ? ' (the credentials of this context may not do this: ask for the RBAC rights, e.g. patch on deployments and services in this namespace)'
        : error.kind === 'unauthorized'
          ? ' (log in again or refresh the kubeconfig credentials)'
          : error.kind === 'conflict'
            ? ' (another field manager owns these fields: rerun with --force-conflicts to take them over)'
            : error.kind === 'unreachable' || error.kind === 'timeout'
              ? ' (is the cluster running and reachable from here?)'
              : '';
    const causes = error.details?.details?.causes?.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`).filter(Boolean) ?? [];
    return new DeployError('failed', `${doing} failed: ${error.message}${hint}`, causes.length ? `Causes:\n${causes.map((c) => `  ${c}`).join('\n')}` : '', step);
  }
  return new DeployError('failed', `${doing} failed: ${error instanceof Error ? error.message : String(error)}`, '', step);
}

/** Server-side apply of each object in order; stops at the first failure (later objects are not applied). */
export async function applyObjects(client: KubeClient, objects: readonly KubeObject[], options: { force?: boolean; onProgress?: (e: DeployEvent) => void } = {}): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  for (const object of objects) {
    const what = describe(object);
    const namespace = object.metadata.namespace ?? client.namespace;
    let before: ClusterObject | undefined;
    try {
      before = await client.get(object.apiVersion, object.kind, object.metadata.name, namespace);
      const after = await client.apply(object, { fieldManager, force: options.force ?? false });
      const result: AppliedObject['result'] = !before ? 'created' : before.metadata?.resourceVersion === after.metadata?.resourceVersion ? 'unchanged' : 'configured';
      const entry: AppliedObject = { kind: object.kind, name: object.metadata.name, namespace, result };
      if (after.metadata?.generation !== undefined) entry.generation = after.metadata.generation;
      if (after.metadata?.resourceVersion !== undefined) entry.resourceVersion = after.metadata.resourceVersion;
      applied.push(entry);
      options.onProgress?.({ step: 'apply', phase: 'progress', message: `${what}: ${result}` });
    } catch (error) {
      const failure = explainKubeError(error, `server-side apply of ${what}`, 'apply');
      const done = applied.length ? `\nApplied before the failure: ${applied.map((a) => `${a.kind} ${a.name} (${a.result})`).join(', ')}` : '\nNothing was applied.';
      throw new DeployError('failed', failure.message, `${failure.details}${done}`.trim(), 'apply');
    }
  }
  return applied;
}

// ---- rollout ---------------------------------------------------------------------------------------------------

export interface RolloutOptions {
  timeoutMs: number;
  /** Pause between two looks at the cluster (default 1 s). */
  pollMs?: number;
  onProgress?: (e: DeployEvent) => void;
  signal?: AbortSignal;
}

export interface RolloutState {
  ready: boolean;
  readyReplicas: number;
  replicas: number;
  message: string;
}

/** Waiting reasons after which a pod will not start without a change: fail at once rather than at the time limit. */
const fatalWaiting = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'CreateContainerConfigErr']);
/** Warning events that mean the pod cannot start (the runtime handler is missing on the node, the sandbox fails). */
const fatalEvent = /^(FailedCreatePodSandBox|FailedCreatePodContainer|InspectFailed|ErrImageNeverPull)$/;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * A pod that will not start, told by the kubelet's events (`Error: ImagePullBackOff`, a sandbox the runtime handler
 * cannot create), for when the pod status alone does not say it yet.
 */
export function fatalFromEvents(events: readonly { type?: string; reason?: string; message?: string }[]): string | undefined {
  const warnings = events.filter((e) => e.type === 'Warning');
  for (const e of [...warnings].reverse()) {
    if (fatalEvent.test(e.reason ?? '')) return `${e.reason}: ${e.message ?? ''}`;
    const m = /^Error: (\w+)/.exec(e.message ?? '');
    if (m && fatalWaiting.has(m[1]!)) {
      // The reason, with the most telling message the kubelet gave (e.g. why the pull failed).
      const detail = [...warnings].reverse().find((w) => w !== e && !/^Error: /.test(w.message ?? '') && (w.message ?? '').length > 0);
      return `${m[1]}${detail ? `: ${detail.message}` : ''}`;
    }
    if (e.reason === 'BackOff' && /restarting failed container/.test(e.message ?? '')) return `CrashLoopBackOff: ${e.message}`;
  }
  return undefined;
}

export function podSelector(object: KubeObject): string {
  if (object.kind === 'SpinApp') return `core.spinkube.dev/app-name=${object.metadata.name}`;
  return `${nameLabel}=${object.metadata.name},${managedByLabel}=${fieldManager}`;
}

/** The first reason a pod will not start, e.g. `ImagePullBackOff: Back-off pulling image "..."`. */
export function podProblem(pod: PodObject): string | undefined {
  for (const c of pod.status?.containerStatuses ?? []) {
    const reason = c.state?.waiting?.reason;
    if (reason && fatalWaiting.has(reason)) return `${reason}${c.state?.waiting?.message ? `: ${c.state.waiting.message}` : ''}`;
  }
  if (pod.status?.phase === 'Failed') return `pod failed${pod.status.reason ? `: ${pod.status.reason}` : ''}${pod.status.message ? ` (${pod.status.message})` : ''}`;
  return undefined;
}

interface EventObject extends ClusterObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  regarding?: { kind?: string; name?: string };
  note?: string;
}

async function listEvents(client: KubeClient, namespace: string, names: (name: string) => boolean): Promise<EventObject[]> {
  try {
    const { items } = await client.list<EventObject>('v1', 'Event', { namespace, maxItems: 2000 });
    return items
      .filter((e) => names(e.involvedObject?.name ?? ''))
      .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? a.firstTimestamp ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? b.firstTimestamp ?? '')));
  } catch {
    return [];
  }
}

async function podLog(client: KubeClient, pod: PodObject, container: string, previous: boolean, tailLines: number): Promise<string | undefined> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? client.namespace;
  try {
    const text = await client.core.readNamespacedPodLog({ name, namespace, container, tailLines, previous });
    return typeof text === 'string' ? text : String(text ?? '');
  } catch (error) {
    // No previous run (the container never restarted after all): the current one.
    if (previous) return podLog(client, pod, container, false, tailLines);
    return `(logs not available: ${error instanceof Error ? error.message : String(error)})`;
  }
}

export interface Diagnosis {
  /** One line: the most telling problem (e.g. `ImagePullBackOff: ...`). */
  summary: string;
  /** Pod states, events and the last log lines, for "Show details" and the CLI's stderr. */
  details: string;
}

const indent = (text: string, by = '  ') => text.replace(/\n$/, '').split('\n').map((l) => by + l).join('\n');

/** What went wrong with a workload: pod states, warning events of it and its pods, and the last log lines. */
export async function diagnose(client: KubeClient, object: KubeObject, options: { tailLines?: number } = {}): Promise<Diagnosis> {
  const namespace = object.metadata.namespace ?? client.namespace;
  const name = object.metadata.name;
  const lines: string[] = [];
  let summary = '';
  let pods: PodObject[] = [];
  try {
    pods = (await client.list<PodObject>('v1', 'Pod', { namespace, labelSelector: podSelector(object) })).items;
  } catch (error) {
    lines.push(`Pods could not be listed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const workload = await client.get<DeploymentObject & SpinAppObject>(object.apiVersion, object.kind, name, namespace).catch(() => undefined);
  if (workload) {
    const status = workload.status ?? {};
    const conditions = (status.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`);
    lines.push(`${object.kind} ${namespace}/${name}: ${status.readyReplicas ?? 0}/${(workload.spec as { replicas?: number } | undefined)?.replicas ?? 1} ready${conditions.length ? `; ${conditions.join('; ')}` : ''}`);
  }
  if (!pods.length) lines.push('No pods were created.');
  for (const pod of pods) {
    const states = (pod.status?.containerStatuses ?? []).map((c) => {
      const s = c.state?.waiting ? `waiting: ${c.state.waiting.reason ?? ''}${c.state.waiting.message ? ` (${c.state.waiting.message})` : ''}` : c.state?.terminated ? `terminated: ${c.state.terminated.reason ?? ''} exit ${c.state.terminated.exitCode ?? '?'}` : c.state?.running ? 'running' : 'unknown';
      return `container ${c.name} ${s}${c.restartCount ? `, ${c.restartCount} restarts` : ''}`;
    });
    const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    lines.push(`Pod ${pod.metadata?.name}: ${pod.status?.phase ?? 'Unknown'}${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ''}${states.length ? `, ${states.join(', ')}` : ''}${unscheduled ? `, not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}` : ''}`);
    summary ||= podProblem(pod) ?? (unscheduled ? `not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}` : '');
  }
  const podNames = new Set(pods.map((p) => p.metadata?.name ?? ''));
  const events = await listEvents(client, namespace, (n) => n === name || podNames.has(n) || n.startsWith(`${name}-`));
  if (events.length) {
    lines.push('Events:');
    for (const e of events.slice(-30)) {
      lines.push(`  ${e.type ?? 'Normal'} ${e.reason ?? ''} ${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}: ${e.message ?? e.note ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`);
    }
    const warning = [...events].reverse().find((e) => e.type === 'Warning');
    if (!summary && warning) summary = `${warning.reason ?? 'Warning'}: ${warning.message ?? ''}`;
  }
  const tail = options.tailLines ?? 20;
  for (const pod of pods.slice(0, 3)) {
    for (const c of pod.status?.containerStatuses ?? []) {
      const ran = (c.restartCount ?? 0) > 0 || c.state?.terminated !== undefined || c.state?.running !== undefined || c.state?.waiting?.reason === 'CrashLoopBackOff';
      if (!ran) continue;
      const log = await podLog(client, pod, c.name, (c.restartCount ?? 0) > 0, tail);
      if (log && log.trim()) lines.push(`Last ${tail} log lines of pod ${pod.metadata?.name} (container ${c.name}${(c.restartCount ?? 0) > 0 ? ', previous run' : ''}):`, indent(log));
    }
  }
  return { summary: summary || 'the workload did not become ready', details: lines.join('\n') };
}

function deploymentState(d: DeploymentObject | undefined, generation: number | undefined): RolloutState & { failed?: string } {
  const replicas = d?.spec?.replicas ?? 1;
  const s = d?.status ?? {};
  const observed = generation === undefined || (s.observedGeneration ?? 0) >= generation;
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const ready = observed && updated >= replicas && available >= replicas && (s.replicas ?? 0) <= replicas;
  const stalled = s.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  // The ReplicaSet cannot create pods (e.g. admission refuses an unknown RuntimeClass): nothing will change by waiting.
  const replicaFailure = s.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  const state: RolloutState & { failed?: string } = { ready, readyReplicas: available, replicas, message: `${available}/${replicas} available${observed ? '' : ' (waiting for the controller)'}` };
  if (stalled) state.failed = `ProgressDeadlineExceeded: ${stalled.message ?? ''}`;
  if (replicaFailure) state.failed = `${replicaFailure.reason ?? 'ReplicaFailure'}: ${replicaFailure.message ?? ''}`;
  return state;
}

/** SpinApp reasons that the spin-operator will not get past by itself. */
const fatalSpinAppReason = /^(ExecutorNotFound|InvalidExecutor|RuntimeClassNotFound)$/;

function spinAppState(a: SpinAppObject | undefined): RolloutState & { failed?: string } {
  const replicas = a?.spec?.replicas ?? 1;
  const readyReplicas = a?.status?.readyReplicas ?? 0;
  const condition = a?.status?.conditions?.find((c) => (c.type === 'Ready' || c.type === 'Available') && c.status === 'True');
  const ready = readyReplicas >= replicas && (replicas === 0 || condition !== undefined || readyReplicas > 0);
  const state: RolloutState & { failed?: string } = { ready, readyReplicas, replicas, message: `${readyReplicas}/${replicas} ready${condition ? ` (${condition.type})` : ''}` };
  const fatal = a?.status?.conditions?.find((c) => c.status === 'False' && fatalSpinAppReason.test(c.reason ?? ''));
  if (fatal) state.failed = `${fatal.reason}: ${fatal.message ?? ''}`;
  return state;
}

/**
 * Waits until the workload (the Deployment or the SpinApp among `objects`) is ready, or fails with the reason:
 * at once when a pod cannot start (image pull, crash loop, missing runtime handler), else at the time limit.
 */
export async function waitForRollout(client: KubeClient, objects: readonly KubeObject[], applied: readonly AppliedObject[], options: RolloutOptions): Promise<RolloutState> {
  const workload = objects.find((o) => o.kind === 'Deployment' || o.kind === 'SpinApp');
  if (!workload) return { ready: true, readyReplicas: 0, replicas: 0, message: 'nothing to wait for' };
  const namespace = workload.metadata.namespace ?? client.namespace;
  const generation = applied.find((a) => a.kind === workload.kind && a.name === workload.metadata.name)?.generation;
  const what = `${workload.kind} ${namespace}/${workload.metadata.name}`;
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 1000;
  let last = '';
  let fatalSince: number | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new DeployError('failed', `waiting for ${what} was cancelled`, '', 'rollout');
    let state: RolloutState & { failed?: string };
    try {
      const current = await client.get<DeploymentObject & SpinAppObject>(workload.apiVersion, workload.kind, workload.metadata.name, namespace);
      if (!current) throw new DeployError('failed', `${what} disappeared while waiting for it`, '', 'rollout');
      state = workload.kind === 'SpinApp' ? spinAppState(current) : deploymentState(current, generation);
    } catch (error) {
      throw explainKubeError(error, `waiting for ${what}`, 'rollout');
    }
    if (state.message !== last) {
      options.onProgress?.({ step: 'rollout', phase: 'progress', message: `${what}: ${state.message}`, fraction: state.replicas ? state.readyReplicas / state.replicas : 1 });
      last = state.message;
    }
    if (state.ready) return state;

    // A pod that cannot start fails the rollout at once (after one more look, so a transient pull error may clear).
    let fatal = state.failed;
    if (!fatal) {
      const pods = await client.list<PodObject>('v1', 'Pod', { namespace, labelSelector: podSelector(workload) }).then((r) => r.items, () => [] as PodObject[]);
      fatal = pods.map(podProblem).find((p) => p !== undefined);
      const waiting = pods.filter((p) => !(p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
      if (!fatal && waiting.length) {
        const names = new Set(waiting.map((p) => p.metadata?.name ?? ''));
        fatal = fatalFromEvents(await listEvents(client, namespace, (n) => names.has(n)));
      }
    }
    if (fatal) {
      fatalSince ??= Date.now();
      if (Date.now() - fatalSince >= Math.min(2000, pollMs * 2) || Date.now() >= deadline) {
        const diagnosis = await diagnose(client, workload);
        throw new DeployError('failed', `rollout of ${what} failed: ${fatal}`, diagnosis.details, 'rollout');
      }
    } else fatalSince = undefined;

    if (Date.now() >= deadline) {
      const diagnosis = await diagnose(client, workload);
      throw new DeployError('failed', `rollout of ${what} did not finish within ${Math.round(options.timeoutMs / 1000)} s (${state.message}): ${diagnosis.summary}`, diagnosis.details, 'rollout');
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), options.signal);
  }
}

// ---- undeploy --------------------------------------------------------------------------------------------------

export interface UndeployResult {
  deleted: { kind: string; name: string; namespace: string }[];
}

const undeployKinds: { apiVersion: string; kind: string; optional?: boolean }[] = [
  { apiVersion: 'core.spinkube.dev/v1alpha1', kind: 'SpinApp', optional: true },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
];

/** Deletes every object a deploy of `name` created in the namespace (found by the name and managed-by labels). */
export async function undeploy(client: KubeClient, name: string, namespace: string, options: { onProgress?: (e: DeployEvent) => void } = {}): Promise<UndeployResult> {
  const labelSelector = `${nameLabel}=${name},${managedByLabel}=${fieldManager}`;
  const deleted: UndeployResult['deleted'] = [];
  for (const { apiVersion, kind, optional } of undeployKinds) {
    let items: ClusterObject[];
    try {
      items = (await client.list(apiVersion, kind, { namespace, labelSelector })).items;
    } catch (error) {
      if (optional && error instanceof KubeError && error.kind === 'not-found') continue;
      throw explainKubeError(error, `listing ${kind}s labelled ${labelSelector} in ${namespace}`, 'undeploy');
    }
    for (const item of items) {
      const itemName = item.metadata?.name ?? '';
      try {
        if (await client.delete(apiVersion, kind, itemName, namespace, { propagationPolicy: 'Foreground' })) {
          deleted.push({ kind, name: itemName, namespace });
          options.onProgress?.({ step: 'undeploy', phase: 'progress', message: `${kind} ${namespace}/${itemName} deleted` });
        }
      } catch (error) {
        throw explainKubeError(error, `deleting ${kind} ${namespace}/${itemName}`, 'undeploy');
      }
    }
  }
  return { deleted };
}
