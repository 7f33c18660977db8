/**
 * The cluster side of a deploy: server-side apply with the `wasm-workbench` field manager (a Job or run-once Pod whose
 * spec changed is replaced: their pod templates are immutable), waiting for the rollout or the run (by the one rule
 * of src/core/kube/status.ts), explaining a failure from pod states, events and logs, and deleting what a deploy
 * created.
 */
import type { KubeClient } from '../kube/client';
import { KubeError } from '../kube/errors';
import {
  deploymentStatus,
  failingWaitingReasons,
  jobStatus,
  podStatus,
  runOncePodStatus,
  settled,
  spinAppStatus,
  type WorkloadStatus,
} from '../kube/status';
import type { DeploymentObject, JobObject, KubeObject as ClusterObject, PodObject, SpinAppObject } from '../kube/types';
import type { KubeObject } from './manifests';
import { DeployError, fieldManager, managedByLabel, nameLabel, type DeployEvent, type DeployStep } from './model';
import { errorMessage } from '../errors';

export interface AppliedObject {
  kind: string;
  name: string;
  namespace: string;
  /**
   * created: it did not exist; configured: the apply changed it; unchanged: the apply changed nothing; replaced: a
   * Job or Pod whose spec changed was deleted and created again.
   */
  result: 'created' | 'configured' | 'unchanged' | 'replaced';
  generation?: number;
  resourceVersion?: string;
}

const describe = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Words for an API failure: what was being done, and what to do about it. */
export function explainKubeError(error: unknown, doing: string, step?: DeployStep): DeployError {
  if (error instanceof DeployError) return error;
  if (error instanceof KubeError) {
    const hint =
      error.reason === 'forbidden'
        ? ' (the credentials of this context may not do this: ask for the RBAC rights, e.g. patch on deployments and services in this namespace)'
        : error.reason === 'unauthorized'
          ? ' (log in again or refresh the kubeconfig credentials)'
          : error.reason === 'conflict'
            ? ' (another field manager owns these fields: rerun with --force-conflicts to take them over)'
            : error.reason === 'unreachable' || error.reason === 'timeout'
              ? ' (is the cluster running and reachable from here?)'
              : '';
    const causes =
      error.details?.details?.causes?.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`).filter(Boolean) ?? [];
    return new DeployError(
      'failed',
      `${doing} failed: ${error.message}${hint}`,
      causes.length ? `Causes:\n${causes.map((c) => `  ${c}`).join('\n')}` : '',
      step,
      { cause: error },
    );
  }
  return new DeployError('failed', `${doing} failed: ${errorMessage(error)}`, '', step, { cause: error });
}

/** Kinds whose spec (the pod template) cannot change after creation: a changed one is deleted and created again. */
const replacedOnChange = new Set(['Job', 'Pod']);

const isImmutableChange = (error: unknown) =>
  error instanceof KubeError &&
  error.reason === 'invalid' &&
  /immutable|may not change fields other than|Forbidden: pod updates/i.test(error.message);

async function waitUntilGone(client: KubeClient, object: KubeObject, namespace: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await client.get(object.apiVersion, object.kind, object.metadata.name, namespace)) {
    if (Date.now() > deadline)
      throw new DeployError(
        'failed',
        `${describe(object)} was deleted to be replaced, but is still there after ${timeoutMs / 1000} s`,
        '',
        'apply',
      );
    await sleep(200);
  }
}

/** Server-side apply of each object in order; stops at the first failure (later objects are not applied). */
export async function applyObjects(
  client: KubeClient,
  objects: readonly KubeObject[],
  options: { force?: boolean; onProgress?: (e: DeployEvent) => void } = {},
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  for (const object of objects) {
    const what = describe(object);
    const namespace = object.metadata.namespace ?? client.namespace;
    let before: ClusterObject | undefined;
    try {
      before = await client.get(object.apiVersion, object.kind, object.metadata.name, namespace);
      let after: ClusterObject;
      let replaced = false;
      try {
        after = await client.apply(object, { fieldManager, force: options.force ?? false });
      } catch (error) {
        if (!before || !replacedOnChange.has(object.kind) || !isImmutableChange(error)) throw error;
        // A Job's pod template and most of a Pod's spec are immutable: a new binary means a new run.
        options.onProgress?.({
          step: 'apply',
          phase: 'progress',
          message: `${what}: its spec cannot change in place; deleting it to run the new one`,
        });
        await client.delete(object.apiVersion, object.kind, object.metadata.name, namespace, { propagationPolicy: 'Foreground' });
        await waitUntilGone(client, object, namespace);
        after = await client.apply(object, { fieldManager, force: options.force ?? false });
        replaced = true;
      }
      const result: AppliedObject['result'] = replaced
        ? 'replaced'
        : !before
          ? 'created'
          : before.metadata?.resourceVersion === after.metadata?.resourceVersion
            ? 'unchanged'
            : 'configured';
      const entry: AppliedObject = { kind: object.kind, name: object.metadata.name, namespace, result };
      if (after.metadata?.generation !== undefined) entry.generation = after.metadata.generation;
      if (after.metadata?.resourceVersion !== undefined) entry.resourceVersion = after.metadata.resourceVersion;
      applied.push(entry);
      options.onProgress?.({ step: 'apply', phase: 'progress', message: `${what}: ${result}` });
    } catch (error) {
      const failure = explainKubeError(error, `server-side apply of ${what}`, 'apply');
      const done = applied.length
        ? `\nApplied before the failure: ${applied.map((a) => `${a.kind} ${a.name} (${a.result})`).join(', ')}`
        : '\nNothing was applied.';
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
  /** Ready (a server) or completed (a program run once). */
  ready: boolean;
  /** A program run once (Job, Pod) that finished with exit code 0. */
  completed?: boolean;
  readyReplicas: number;
  replicas: number;
  message: string;
  /** A program run once: its exit code and the last lines it wrote. */
  exitCode?: number;
  logs?: string;
}

/**
 * Warning events that mean the pod cannot start (the runtime handler is missing on the node, the sandbox fails), or
 * that its controller cannot create it (admission refused the pod: a RuntimeClass selector conflict, a quota).
 */
const fatalEvent = /^(FailedCreatePodSandBox|FailedCreatePodContainer|InspectFailed|ErrImageNeverPull|FailedCreate)$/;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
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
    if (m && failingWaitingReasons.has(m[1]!)) {
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

/** The apiVersion of each workload kind the tree shows. */
export const workloadApiVersions: Readonly<Record<string, string>> = {
  Deployment: 'apps/v1',
  Job: 'batch/v1',
  Pod: 'v1',
  SpinApp: 'core.spinkube.dev/v1alpha1',
};

/**
 * The pods of a workload as it is in the cluster (any workload, not only ours): a Deployment's or Job's by its own
 * `spec.selector`, a SpinApp's by the spin-operator's label, a pod itself.
 */
export async function workloadPods(client: KubeClient, object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<PodObject[]> {
  const namespace = object.metadata.namespace ?? client.namespace;
  if (object.kind === 'Pod') {
    const pod = await client.get<PodObject>('v1', 'Pod', object.metadata.name, namespace);
    return pod ? [pod] : [];
  }
  let selector = podSelector(object as KubeObject);
  if (object.kind === 'Deployment' || object.kind === 'Job') {
    const live = await client.get<{ spec?: { selector?: { matchLabels?: Record<string, string> } } }>(
      object.apiVersion,
      object.kind,
      object.metadata.name,
      namespace,
    );
    const labels = live?.spec?.selector?.matchLabels;
    if (labels && Object.keys(labels).length)
      selector = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
  }
  return (await client.list<PodObject>('v1', 'Pod', { namespace, labelSelector: selector })).items;
}

/** The last lines of each pod's log (its first container), for "Show Logs". */
export async function workloadLogs(
  client: KubeClient,
  object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>,
  options: { tailLines?: number; maxPods?: number } = {},
): Promise<string> {
  const pods = await workloadPods(client, object);
  if (!pods.length) return `${object.kind} ${object.metadata.name} has no pods.\n`;
  const parts: string[] = [];
  for (const pod of pods.slice(0, options.maxPods ?? 5)) {
    const container = pod.spec?.containers?.[0]?.name ?? '';
    const text = await podLog(client, pod, container, false, options.tailLines ?? 500);
    parts.push(
      `==== pod ${pod.metadata?.name} (container ${container}${pod.spec?.nodeName ? `, node ${pod.spec.nodeName}` : ''})\n${text ?? ''}`,
    );
  }
  if (pods.length > (options.maxPods ?? 5)) parts.push(`==== and ${pods.length - (options.maxPods ?? 5)} more pods`);
  return parts.join('\n');
}

/** The reason a pod will not start or has failed, e.g. `ImagePullBackOff: Back-off pulling image "..."`. */
export function podProblem(pod: PodObject): string | undefined {
  const status = podStatus(pod);
  return status.state === 'failed' ? status.summary : undefined;
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
      .sort((a, b) =>
        String(a.lastTimestamp ?? a.eventTime ?? a.firstTimestamp ?? '').localeCompare(
          String(b.lastTimestamp ?? b.eventTime ?? b.firstTimestamp ?? ''),
        ),
      );
  } catch {
    return [];
  }
}

async function podLog(
  client: KubeClient,
  pod: PodObject,
  container: string,
  previous: boolean,
  tailLines: number,
): Promise<string | undefined> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? client.namespace;
  try {
    const text = await client.core.readNamespacedPodLog({ name, namespace, container, tailLines, previous });
    return typeof text === 'string' ? text : String(text ?? '');
  } catch (error) {
    // No previous run (the container never restarted after all): the current one.
    if (previous) return podLog(client, pod, container, false, tailLines);
    return `(logs not available: ${errorMessage(error)})`;
  }
}

export interface Diagnosis {
  /** One line: the most telling problem (e.g. `ImagePullBackOff: ...`). */
  summary: string;
  /** Pod states, events and the last log lines, for "Show details" and the CLI's stderr. */
  details: string;
}

const indent = (text: string, by = '  ') =>
  text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/** What went wrong with a workload: pod states, warning events of it and its pods, and the last log lines. */
export async function diagnose(client: KubeClient, object: KubeObject, options: { tailLines?: number } = {}): Promise<Diagnosis> {
  const namespace = object.metadata.namespace ?? client.namespace;
  const name = object.metadata.name;
  const lines: string[] = [];
  let summary = '';
  let pods: PodObject[] = [];
  try {
    pods = await workloadPods(client, object);
  } catch (error) {
    lines.push(`Pods could not be listed: ${errorMessage(error)}`);
  }
  const workload = await client
    .get<DeploymentObject & SpinAppObject>(object.apiVersion, object.kind, name, namespace)
    .catch(() => undefined);
  if (workload) {
    const status = workload.status ?? {};
    const conditions = (status.conditions ?? []).map(
      (c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`,
    );
    lines.push(
      `${object.kind} ${namespace}/${name}: ${status.readyReplicas ?? 0}/${(workload.spec as { replicas?: number } | undefined)?.replicas ?? 1} ready${conditions.length ? `; ${conditions.join('; ')}` : ''}`,
    );
  }
  if (!pods.length) lines.push('No pods were created.');
  for (const pod of pods) {
    const states = (pod.status?.containerStatuses ?? []).map((c) => {
      const s = c.state?.waiting
        ? `waiting: ${c.state.waiting.reason ?? ''}${c.state.waiting.message ? ` (${c.state.waiting.message})` : ''}`
        : c.state?.terminated
          ? `terminated: ${c.state.terminated.reason ?? ''} exit ${c.state.terminated.exitCode ?? '?'}`
          : c.state?.running
            ? 'running'
            : 'unknown';
      return `container ${c.name} ${s}${c.restartCount ? `, ${c.restartCount} restarts` : ''}`;
    });
    const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    lines.push(
      `Pod ${pod.metadata?.name}: ${pod.status?.phase ?? 'Unknown'}${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ''}${states.length ? `, ${states.join(', ')}` : ''}${unscheduled ? `, not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}` : ''}`,
    );
    summary ||= podProblem(pod) ?? (unscheduled ? `not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}` : '');
  }
  const podNames = new Set(pods.map((p) => p.metadata?.name ?? ''));
  const events = await listEvents(client, namespace, (n) => n === name || podNames.has(n) || n.startsWith(`${name}-`));
  if (events.length) {
    lines.push('Events:');
    for (const e of events.slice(-30)) {
      lines.push(
        `  ${e.type ?? 'Normal'} ${e.reason ?? ''} ${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}: ${e.message ?? e.note ?? ''}${e.count && e.count > 1 ? ` (x${e.count})` : ''}`,
      );
    }
    const warning = [...events].reverse().find((e) => e.type === 'Warning');
    if (!summary && warning) summary = `${warning.reason ?? 'Warning'}: ${warning.message ?? ''}`;
  }
  const tail = options.tailLines ?? 20;
  for (const pod of pods.slice(0, 3)) {
    for (const c of pod.status?.containerStatuses ?? []) {
      const ran =
        (c.restartCount ?? 0) > 0 ||
        c.state?.terminated !== undefined ||
        c.state?.running !== undefined ||
        c.state?.waiting?.reason === 'CrashLoopBackOff';
      if (!ran) continue;
      const log = await podLog(client, pod, c.name, (c.restartCount ?? 0) > 0, tail);
      if (log && log.trim())
        lines.push(
          `Last ${tail} log lines of pod ${pod.metadata?.name} (container ${c.name}${(c.restartCount ?? 0) > 0 ? ', previous run' : ''}):`,
          indent(log),
        );
    }
  }
  return { summary: summary || 'the workload did not become ready', details: lines.join('\n') };
}

/** The workload's status now, by the one rule of src/core/kube/status.ts; undefined when it is gone. */
async function workloadStatus(client: KubeClient, workload: KubeObject, namespace: string): Promise<WorkloadStatus | undefined> {
  const name = workload.metadata.name;
  const pods = async () =>
    (
      await client.list<PodObject>('v1', 'Pod', { namespace, labelSelector: podSelector(workload) }).then(
        (r) => r.items,
        () => [] as PodObject[],
      )
    ).map(podStatus);
  switch (workload.kind) {
    case 'Deployment': {
      const d = await client.get<DeploymentObject>(workload.apiVersion, 'Deployment', name, namespace);
      return d && deploymentStatus(d, await pods());
    }
    case 'Job': {
      const job = await client.get<JobObject>(workload.apiVersion, 'Job', name, namespace);
      return job && jobStatus(job, await pods());
    }
    case 'Pod': {
      const pod = await client.get<PodObject>('v1', 'Pod', name, namespace);
      return pod && runOncePodStatus(pod);
    }
    case 'SpinApp': {
      const app = await client.get<SpinAppObject>(workload.apiVersion, 'SpinApp', name, namespace);
      if (!app) return undefined;
      // The spin-operator names the Deployment after the SpinApp and owns it.
      const deployment = await client.get<DeploymentObject>('apps/v1', 'Deployment', name, namespace).catch(() => undefined);
      const owned = deployment?.metadata?.ownerReferences?.some((o) => o.kind === 'SpinApp' && o.name === name) ? deployment : undefined;
      return spinAppStatus(app, owned, await pods());
    }
    default:
      return { state: 'ready', summary: 'nothing to wait for', desired: 0, ready: 0 };
  }
}

/** The last lines a run-once program wrote (its pod's log). */
async function runLogs(client: KubeClient, workload: KubeObject, namespace: string, tailLines = 50): Promise<string | undefined> {
  const pods =
    workload.kind === 'Pod'
      ? [await client.get<PodObject>('v1', 'Pod', workload.metadata.name, namespace)].filter((p): p is PodObject => p !== undefined)
      : (
          await client
            .list<PodObject>('v1', 'Pod', { namespace, labelSelector: podSelector(workload) })
            .catch(() => ({ items: [] as PodObject[] }))
        ).items;
  const pod = pods.find((p) => p.status?.containerStatuses?.some((c) => c.state?.terminated)) ?? pods[0];
  if (!pod) return undefined;
  return podLog(client, pod, pod.spec?.containers?.[0]?.name ?? workload.metadata.name, false, tailLines);
}

/**
 * Waits until the workload among `objects` is ready (a Deployment, a SpinApp) or has run to completion (a Job, a
 * run-once Pod), or fails with the reason: at once when a pod cannot start (image pull, crash loop, missing runtime
 * handler, admission refused it) or the program exits non-zero, else at the time limit.
 */
export async function waitForRollout(
  client: KubeClient,
  objects: readonly KubeObject[],
  _applied: readonly AppliedObject[],
  options: RolloutOptions,
): Promise<RolloutState> {
  const workload = objects.find((o) => ['Deployment', 'SpinApp', 'Job', 'Pod'].includes(o.kind));
  if (!workload) return { ready: true, readyReplicas: 0, replicas: 0, message: 'nothing to wait for' };
  const namespace = workload.metadata.namespace ?? client.namespace;
  const what = `${workload.kind} ${namespace}/${workload.metadata.name}`;
  const runOnce = workload.kind === 'Job' || workload.kind === 'Pod';
  const deadline = Date.now() + options.timeoutMs;
  const pollMs = options.pollMs ?? 1000;
  let last = '';
  let fatalSince: number | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new DeployError('failed', `waiting for ${what} was cancelled`, '', 'rollout');
    let status: WorkloadStatus | undefined;
    try {
      status = await workloadStatus(client, workload, namespace);
    } catch (error) {
      throw explainKubeError(error, `waiting for ${what}`, 'rollout');
    }
    if (!status) throw new DeployError('failed', `${what} disappeared while waiting for it`, '', 'rollout');
    if (status.summary !== last) {
      options.onProgress?.({
        step: 'rollout',
        phase: 'progress',
        message: `${what}: ${status.summary}`,
        fraction: status.desired ? status.ready / status.desired : 1,
      });
      last = status.summary;
    }
    // A program run once is done when it has exited; a server when it is available.
    const state: RolloutState = {
      ready: runOnce ? status.state === 'completed' : status.state === 'ready',
      readyReplicas: status.ready,
      replicas: status.desired,
      message: status.summary,
      ...(status.exitCode !== undefined ? { exitCode: status.exitCode } : {}),
    };
    if (status.state === 'completed') state.completed = true;
    if (state.ready) {
      if (runOnce) {
        const logs = await runLogs(client, workload, namespace);
        if (logs !== undefined) state.logs = logs;
      }
      return state;
    }

    // A failure is confirmed by one more look (a transient pull error may clear), except a program that exited.
    let fatal = status.state === 'failed' ? status.summary : undefined;
    if (!fatal && settled(status.state) === false) {
      const events = await listEvents(client, namespace, (n) => n === workload.metadata.name || n.startsWith(`${workload.metadata.name}-`));
      fatal = fatalFromEvents(events);
    }
    if (fatal) {
      fatalSince ??= Date.now();
      const exited = runOnce && status.exitCode !== undefined && status.exitCode !== 0;
      if (exited || Date.now() - fatalSince >= Math.min(2000, pollMs * 2) || Date.now() >= deadline) {
        const diagnosis = await diagnose(client, workload);
        const verb = runOnce
          ? exited
            ? `${workload.metadata.name} exited with code ${status.exitCode}`
            : `the run of ${what} failed`
          : `rollout of ${what} failed`;
        throw new DeployError('failed', `${verb}: ${fatal}`, diagnosis.details, 'rollout');
      }
    } else fatalSince = undefined;

    if (Date.now() >= deadline) {
      const diagnosis = await diagnose(client, workload);
      throw new DeployError(
        'failed',
        `${runOnce ? 'the run' : 'rollout'} of ${what} did not finish within ${Math.round(options.timeoutMs / 1000)} s (${status.summary}): ${diagnosis.summary}`,
        diagnosis.details,
        'rollout',
      );
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
  { apiVersion: 'batch/v1', kind: 'Job' },
  // Run-once pods of `--workload pod` (the label selector also finds a Job's pods: those go with their Job).
  { apiVersion: 'v1', kind: 'Pod' },
];

/** Deletes every object a deploy of `name` created in the namespace (found by the name and managed-by labels). */
export async function undeploy(
  client: KubeClient,
  name: string,
  namespace: string,
  options: { onProgress?: (e: DeployEvent) => void } = {},
): Promise<UndeployResult> {
  const labelSelector = `${nameLabel}=${name},${managedByLabel}=${fieldManager}`;
  const deleted: UndeployResult['deleted'] = [];
  for (const { apiVersion, kind, optional } of undeployKinds) {
    let items: ClusterObject[];
    try {
      items = (await client.list(apiVersion, kind, { namespace, labelSelector })).items;
    } catch (error) {
      if (optional && error instanceof KubeError && error.reason === 'not-found') continue;
      throw explainKubeError(error, `listing ${kind}s labelled ${labelSelector} in ${namespace}`, 'undeploy');
    }
    for (const item of items) {
      const itemName = item.metadata?.name ?? '';
      if (kind === 'Pod' && item.metadata?.ownerReferences?.length) continue;
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
