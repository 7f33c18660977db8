/**
 * A small stand-in for the controller manager, scheduler and kubelet, so that deploying to the test server behaves
 * like deploying to a cluster: a Deployment gets a ReplicaSet and pods; pods are scheduled on nodes that match the
 * pod's and its RuntimeClass's node selector and tolerate their taints (or stay Pending with a FailedScheduling
 * event); after `readyDelayMs` they run and become Ready, or, when an image reference contains "fail", wait in
 * ErrImagePull then ImagePullBackOff with Warning events. A pod whose RuntimeClass does not exist is refused (a
 * ReplicaFailure condition and a FailedCreate event), as admission does. A SpinApp gets a Deployment with its
 * executor's RuntimeClass, and its status follows the Deployment's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { clone, isPlainObject } from './fields';
import type { ResourceDef } from './resources';
import type { Change, KubeStore } from './store';
import type { KubeObject } from './types';

export interface ControllerOptions {
  /** Time from a pod's scheduling to Running and Ready (or to its image pull failure). Default 150 ms. */
  readyDelayMs?: number;
}

type Condition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastUpdateTime?: string };

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

function safeEncode(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

function templateHash(template: unknown): string {
  return safeEncode(createHash('sha256').update(JSON.stringify(template ?? {})).digest(), 10);
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sets a condition, keeping its timestamps when nothing about it changed (so that a no-op stays a no-op). */
function setCondition(list: Condition[] | undefined, next: Condition): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((c) => c.type === next.type);
  const old = i >= 0 ? out[i] : undefined;
  const same = old && old.status === next.status && old.reason === next.reason && old.message === next.message;
  const merged = same ? old : { ...next, lastTransitionTime: old?.status === next.status ? old.lastTransitionTime ?? now() : now(), lastUpdateTime: now() };
  if (i >= 0) out[i] = merged;
  else out.push(merged);
  return out;
}

function removeCondition(list: Condition[] | undefined, type: string): Condition[] {
  return (list ?? []).filter((c) => c.type !== type);
}

interface Meta {
  name: string;
  namespace: string;
  uid: string;
  generation?: number;
  labels?: Record<string, string>;
}

function meta(o: KubeObject): Meta {
  return o.metadata as Meta;
}

function ownedBy(o: KubeObject, uid: string): boolean {
  return o.metadata?.ownerReferences?.some((r) => r.uid === uid) ?? false;
}

function isReady(pod: KubeObject): boolean {
  const status = pod.status as { phase?: string; conditions?: Condition[] } | undefined;
  return status?.phase === 'Running' && (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export class TestController {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly queue = new Map<string, () => void>();
  private flushing: NodeJS.Immediate | undefined;
  private stopped = false;
  private readonly readyDelayMs: number;
  private nextNode = 0;
  private readonly onChange = (change: Change) => this.observe(change);

  constructor(private readonly store: KubeStore, options: ControllerOptions = {}) {
    this.readyDelayMs = options.readyDelayMs ?? 150;
    store.on('change', this.onChange);
  }

  stop(): void {
    this.stopped = true;
    this.store.off('change', this.onChange);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.flushing) clearImmediate(this.flushing);
    this.queue.clear();
  }

  private r(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.store.resourceFor(apiVersion, kind);
  }

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) this.safely(fn);
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // The object changed or went away meanwhile: the next change brings it back here.
    }
  }

  private enqueue(key: string, fn: () => void): void {
    if (this.stopped) return;
    this.queue.set(key, fn);
    this.flushing ??= setImmediate(() => {
      this.flushing = undefined;
      const work = [...this.queue.values()];
      this.queue.clear();
      for (const fn of work) this.safely(fn);
    });
  }

  private observe(change: Change): void {
    const { resource, object, type } = change;
    const m = meta(object);
    const id = `${m.namespace}/${m.name}`;
    switch (`${resource.group}/${resource.kind}`) {
      case 'apps/Deployment':
        if (type !== 'DELETED') this.enqueue(`deploy:${id}`, () => this.reconcileDeployment(m.namespace, m.name));
        for (const ref of object.metadata?.ownerReferences ?? []) {
          if (ref.kind === 'SpinApp') this.enqueue(`spinapp-status:${m.namespace}/${ref.name}`, () => this.refreshSpinApp(m.namespace, ref.name));
        }
        break;
      case 'apps/ReplicaSet':
        if (type !== 'DELETED') this.enqueue(`rs:${id}`, () => this.reconcileReplicaSet(m.namespace, m.name));
        this.ownerDeployments(object);
        break;
      case '/Pod':
        for (const ref of object.metadata?.ownerReferences ?? []) {
          if (ref.kind === 'ReplicaSet') this.enqueue(`rs-status:${m.namespace}/${ref.name}`, () => this.refreshReplicaSet(m.namespace, ref.name));
        }
        break;
      case '/Node':
        if (type !== 'DELETED') this.enqueue('schedule-pending', () => this.schedulePending());
        break;
      case 'node.k8s.io/RuntimeClass':
        this.enqueue('all-replicasets', () => {
          const rs = this.r('apps/v1', 'ReplicaSet')!;
          for (const o of this.store.select(rs)) this.reconcileReplicaSet(meta(o).namespace, meta(o).name);
        });
        break;
      case 'core.spinkube.dev/SpinApp':
        if (type !== 'DELETED') this.enqueue(`spinapp:${id}`, () => this.reconcileSpinApp(m.namespace, m.name));
        break;
    }
  }

  private ownerDeployments(rs: KubeObject): void {
    const m = meta(rs);
    for (const ref of rs.metadata?.ownerReferences ?? []) {
      if (ref.kind === 'Deployment') this.enqueue(`deploy-status:${m.namespace}/${ref.name}`, () => this.refreshDeployment(m.namespace, ref.name));
    }
  }

  private event(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    const m = meta(involved);
    this.store.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name}.${randomBytes(8).toString('hex')}`, namespace: m.namespace },
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: m.name, namespace: m.namespace, uid: m.uid },
      reason,
      message,
      type,
      source: { component },
      reportingComponent: component,
      firstTimestamp: now(),
      lastTimestamp: now(),
      count: 1,
    });
  }

  // --- Deployments

  private reconcileDeployment(namespace: string, name: string): void {
    const deployR = this.r('apps/v1', 'Deployment')!;
    const rsR = this.r('apps/v1', 'ReplicaSet')!;
    const d = this.store.peek(deployR, name, namespace);
    if (!d || d.metadata?.deletionTimestamp) return;
    const m = meta(d);
    const spec = d.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string> }; spec?: unknown } };
    const hash = templateHash(spec.template);
    const rsName = `${name}-${hash}`;
    const replicas = spec.replicas ?? 1;
    const owned = this.store.select(rsR, { namespace }).filter((o) => ownedBy(o, m.uid));
    const current = owned.find((o) => meta(o).name === rsName);
    const template = clone(spec.template ?? {});
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } };
    if (!current) {
      this.store.put({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace,
          labels: { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash },
          annotations: { 'deployment.kubernetes.io/revision': String(owned.length + 1), 'deployment.kubernetes.io/desired-replicas': String(replicas) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: m.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas, selector: { matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } }, template },
      });
      this.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${replicas}`, 'deployment-controller');
    } else if ((current.spec as { replicas?: number }).replicas !== replicas) {
      this.store.modify('apps/v1', 'ReplicaSet', rsName, namespace, (o) => {
        (o.spec as { replicas: number }).replicas = replicas;
      });
    }
    for (const old of owned) if (meta(old).name !== rsName) this.store.delete('apps/v1', 'ReplicaSet', meta(old).name, namespace);
    this.refreshDeployment(namespace, name);
  }

  private refreshDeployment(namespace: string, name: string): void {
    const d = this.store.peek(this.r('apps/v1', 'Deployment')!, name, namespace);
    if (!d) return;
    const m = meta(d);
    const spec = d.spec as { replicas?: number; template?: unknown };
    const desired = spec.replicas ?? 1;
    const rsName = `${name}-${templateHash(spec.template)}`;
    const rsR = this.r('apps/v1', 'ReplicaSet')!;
    const owned = this.store.select(rsR, { namespace }).filter((o) => ownedBy(o, m.uid));
    const status = (o: KubeObject) => (o.status ?? {}) as { replicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: Condition[] };
    const replicas = owned.reduce((n, o) => n + (status(o).replicas ?? 0), 0);
    const ready = owned.reduce((n, o) => n + (status(o).readyReplicas ?? 0), 0);
    const current = owned.find((o) => meta(o).name === rsName);
    const updated = current ? status(current).replicas ?? 0 : 0;
    const failure = current ? status(current).conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True') : undefined;
    this.store.modify('apps/v1', 'Deployment', name, namespace, (o) => {
      const s = (o.status ?? {}) as { conditions?: Condition[] } & Record<string, unknown>;
      let conditions = setCondition(
        s.conditions,
        ready >= desired
          ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
          : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      );
      conditions = setCondition(
        conditions,
        ready >= desired && updated >= desired
          ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }
          : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` },
      );
      conditions = failure ? setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason ?? 'FailedCreate', message: failure.message ?? '' }) : removeCondition(conditions, 'ReplicaFailure');
      o.status = {
        observedGeneration: m.generation ?? 1,
        replicas,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(desired - ready > 0 ? { unavailableReplicas: desired - ready } : {}),
        conditions,
      };
    });
  }

  // --- ReplicaSets and pods

  private reconcileReplicaSet(namespace: string, name: string): void {
    const rsR = this.r('apps/v1', 'ReplicaSet')!;
    const podR = this.r('v1', 'Pod')!;
    const rs = this.store.peek(rsR, name, namespace);
    if (!rs) return;
    const m = meta(rs);
    const spec = rs.spec as { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } };
    const desired = spec.replicas ?? 1;
    const runtimeClass = spec.template?.spec?.runtimeClassName as string | undefined;
    if (runtimeClass && !this.store.peek(this.r('node.k8s.io/v1', 'RuntimeClass')!, runtimeClass)) {
      const message = `pods "${name}-" is forbidden: pod rejected: RuntimeClass "${runtimeClass}" not found`;
      const had = ((rs.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some((c) => c.type === 'ReplicaFailure');
      this.store.modify('apps/v1', 'ReplicaSet', name, namespace, (o) => {
        const s = (o.status ?? {}) as { conditions?: Condition[] };
        o.status = { ...s, replicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: m.generation ?? 1, conditions: setCondition(s.conditions, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }) };
      });
      if (!had) this.event(rs, 'Warning', 'FailedCreate', `Error creating: ${message}`, 'replicaset-controller');
      return;
    }
    const pods = this.store.select(podR, { namespace }).filter((p) => ownedBy(p, m.uid));
    for (let i = pods.length; i < desired; i++) this.createPod(rs, spec.template ?? {});
    const extra = pods.length - desired;
    if (extra > 0) {
      const newestFirst = [...pods].sort((a, b) => String(b.metadata?.creationTimestamp).localeCompare(String(a.metadata?.creationTimestamp)));
      for (const p of newestFirst.slice(0, extra)) this.store.delete('v1', 'Pod', meta(p).name, namespace);
    }
    this.refreshReplicaSet(namespace, name);
  }

  private createPod(rs: KubeObject, template: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> }): void {
    const m = meta(rs);
    const pod = this.store.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${m.name}-${safeEncode(randomBytes(5), 5)}`,
        namespace: m.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: m.name, uid: m.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { ...clone(template.spec ?? {}), restartPolicy: 'Always', schedulerName: 'default-scheduler' },
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    });
    this.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${meta(pod).name}`, 'replicaset-controller');
    this.schedule(pod);
  }

  private refreshReplicaSet(namespace: string, name: string): void {
    const rs = this.store.peek(this.r('apps/v1', 'ReplicaSet')!, name, namespace);
    if (!rs) return;
    const m = meta(rs);
    const pods = this.store.select(this.r('v1', 'Pod')!, { namespace }).filter((p) => ownedBy(p, m.uid));
    const ready = pods.filter(isReady).length;
    this.store.modify('apps/v1', 'ReplicaSet', name, namespace, (o) => {
      const s = (o.status ?? {}) as { conditions?: Condition[] };
      const runtimeClass = ((o.spec as { template?: { spec?: { runtimeClassName?: string } } }).template?.spec?.runtimeClassName);
      const refused = runtimeClass && !this.store.peek(this.r('node.k8s.io/v1', 'RuntimeClass')!, runtimeClass);
      const conditions = refused ? s.conditions : removeCondition(s.conditions, 'ReplicaFailure');
      o.status = {
        replicas: pods.length,
        fullyLabeledReplicas: pods.length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: m.generation ?? 1,
        ...(conditions && conditions.length > 0 ? { conditions } : {}),
      };
    });
  }

  // --- Scheduler and kubelet

  private schedulePending(): void {
    const podR = this.r('v1', 'Pod')!;
    for (const pod of this.store.select(podR)) {
      const spec = pod.spec as { nodeName?: string };
      const status = pod.status as { phase?: string; conditions?: Condition[] } | undefined;
      if (!spec.nodeName && status?.phase === 'Pending' && status.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')) this.schedule(pod);
    }
  }

  private schedule(pod: KubeObject): void {
    const m = meta(pod);
    const spec = pod.spec as { runtimeClassName?: string; nodeSelector?: Record<string, string>; tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[] };
    const nodes = this.store.select(this.r('v1', 'Node')!);
    let nodeName: string | undefined;
    if (nodes.length > 0) {
      const rc = spec.runtimeClassName ? this.store.peek(this.r('node.k8s.io/v1', 'RuntimeClass')!, spec.runtimeClassName) : undefined;
      const scheduling = (rc as { scheduling?: { nodeSelector?: Record<string, string>; tolerations?: typeof spec.tolerations } } | undefined)?.scheduling;
      const selector = { ...(spec.nodeSelector ?? {}), ...(scheduling?.nodeSelector ?? {}) };
      const tolerations = [...(spec.tolerations ?? []), ...(scheduling?.tolerations ?? [])];
      let selectorMisses = 0;
      let taintMisses = 0;
      let notReady = 0;
      const candidates: string[] = [];
      for (const node of nodes) {
        const labels = node.metadata?.labels ?? {};
        const nodeSpec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
        const ready = ((node.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
        if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) {
          selectorMisses++;
          continue;
        }
        const tolerated = (nodeSpec.taints ?? []).every(
          (t) => t.effect === 'PreferNoSchedule' || tolerations.some((tol) => (!tol.effect || tol.effect === t.effect) && (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? ''))),
        );
        if (!tolerated) {
          taintMisses++;
          continue;
        }
        if (!ready || nodeSpec.unschedulable) {
          notReady++;
          continue;
        }
        candidates.push(node.metadata!.name!);
      }
      if (candidates.length === 0) {
        const parts = [
          selectorMisses ? `${selectorMisses} node(s) didn't match Pod's node affinity/selector` : '',
          taintMisses ? `${taintMisses} node(s) had untolerated taint(s)` : '',
          notReady ? `${notReady} node(s) were unschedulable or not ready` : '',
        ].filter(Boolean);
        const message = `0/${nodes.length} nodes are available: ${parts.join(', ')}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
        const already = ((pod.status as { conditions?: Condition[] }).conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.message === message);
        if (already) return;
        this.store.modify('v1', 'Pod', m.name, m.namespace, (o) => {
          const s = (o.status ?? {}) as { conditions?: Condition[] };
          o.status = { ...s, phase: 'Pending', conditions: setCondition(s.conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }) };
        });
        this.event(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
        return;
      }
      nodeName = candidates[this.nextNode++ % candidates.length]!;
    }
    this.store.modify('v1', 'Pod', m.name, m.namespace, (o) => {
      if (nodeName) (o.spec as { nodeName?: string }).nodeName = nodeName;
      const s = (o.status ?? {}) as { conditions?: Condition[] };
      o.status = { ...s, phase: 'Pending', conditions: setCondition(s.conditions, { type: 'PodScheduled', status: 'True' }) };
    });
    this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${m.namespace}/${m.name} to ${nodeName ?? 'the test node'}`, 'default-scheduler');
    this.later(this.readyDelayMs, () => this.runPod(m.namespace, m.name));
  }

  private runPod(namespace: string, name: string): void {
    const pod = this.store.peek(this.r('v1', 'Pod')!, name, namespace);
    if (!pod) return;
    const containers = ((pod.spec as { containers?: { name: string; image?: string }[] }).containers ?? []);
    const failing = containers.find((c) => (c.image ?? '').includes('fail'));
    if (failing) {
      const message = `failed to pull and unpack image "${failing.image}": failed to resolve reference "${failing.image}": ${failing.image}: not found`;
      this.setContainers(pod, 'Pending', (c) => (c.name === failing.name ? { waiting: { reason: 'ErrImagePull', message } } : { waiting: { reason: 'ContainerCreating' } }), false);
      this.event(pod, 'Normal', 'Pulling', `Pulling image "${failing.image}"`, 'kubelet');
      this.event(pod, 'Warning', 'Failed', `Failed to pull image "${failing.image}": ${message}`, 'kubelet');
      this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet');
      this.later(this.readyDelayMs, () => {
        const again = this.store.peek(this.r('v1', 'Pod')!, name, namespace);
        if (!again) return;
        this.setContainers(again, 'Pending', (c) => (c.name === failing.name ? { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${failing.image}"` } } : { waiting: { reason: 'ContainerCreating' } }), false);
        this.event(again, 'Normal', 'BackOff', `Back-off pulling image "${failing.image}"`, 'kubelet');
        this.event(again, 'Warning', 'Failed', 'Error: ImagePullBackOff', 'kubelet');
      });
      return;
    }
    for (const c of containers) {
      this.event(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, 'kubelet');
      this.event(pod, 'Normal', 'Created', `Created container ${c.name}`, 'kubelet');
      this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet');
    }
    this.setContainers(pod, 'Running', () => ({ running: { startedAt: now() } }), true);
  }

  private setContainers(pod: KubeObject, phase: string, state: (c: { name: string; image?: string }) => Record<string, unknown>, ready: boolean): void {
    const m = meta(pod);
    const containers = ((pod.spec as { containers?: { name: string; image?: string }[] }).containers ?? []);
    this.store.modify('v1', 'Pod', m.name, m.namespace, (o) => {
      const s = (isPlainObject(o.status) ? o.status : {}) as { conditions?: Condition[]; startTime?: string };
      let conditions = setCondition(s.conditions, { type: 'Initialized', status: 'True' });
      conditions = setCondition(conditions, ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` });
      conditions = setCondition(conditions, ready ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` });
      o.status = {
        ...s,
        phase,
        conditions,
        hostIP: '10.0.0.1',
        podIP: ready ? `10.244.0.${(m.name.length * 7) % 250}` : undefined,
        startTime: s.startTime ?? now(),
        containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready, started: ready, restartCount: 0, state: state(c) })),
      };
    });
  }

  // --- SpinKube

  private reconcileSpinApp(namespace: string, name: string): void {
    const appR = this.r('core.spinkube.dev/v1alpha1', 'SpinApp');
    const execR = this.r('core.spinkube.dev/v1alpha1', 'SpinAppExecutor');
    if (!appR) return;
    const app = this.store.peek(appR, name, namespace);
    if (!app) return;
    const spec = app.spec as { image: string; executor?: string; replicas?: number };
    const executorName = spec.executor ?? 'containerd-shim-spin';
    const executor = execR ? this.store.peek(execR, executorName, namespace) : undefined;
    if (!executor) {
      this.store.modify(app.apiVersion!, 'SpinApp', name, namespace, (o) => {
        const s = (o.status ?? {}) as { conditions?: Condition[] };
        o.status = { ...s, conditions: setCondition(s.conditions, { type: 'Available', status: 'False', reason: 'ExecutorNotFound', message: `SpinAppExecutor "${executorName}" not found in namespace ${namespace}` }) };
      });
      return;
    }
    const execSpec = executor.spec as { createDeployment?: boolean; deploymentConfig?: { runtimeClassName?: string } };
    if (!execSpec.createDeployment) return;
    const labels = { 'core.spinkube.dev/app-name': name };
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels, ownerReferences: [{ apiVersion: app.apiVersion!, kind: 'SpinApp', name, uid: meta(app).uid, controller: true, blockOwnerDeletion: true }] },
      spec: {
        replicas: spec.replicas ?? 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...(execSpec.deploymentConfig?.runtimeClassName ? { runtimeClassName: execSpec.deploymentConfig.runtimeClassName } : {}),
            containers: [{ name, image: spec.image, command: ['/'], ports: [{ name: 'http-app', containerPort: 80 }] }],
          },
        },
      },
    };
    const existing = this.store.peek(this.r('apps/v1', 'Deployment')!, name, namespace);
    if (!existing) this.store.put(deployment);
    else this.store.modify('apps/v1', 'Deployment', name, namespace, (o) => {
      o.spec = deployment.spec;
    });
    this.refreshSpinApp(namespace, name);
  }

  private refreshSpinApp(namespace: string, name: string): void {
    const appR = this.r('core.spinkube.dev/v1alpha1', 'SpinApp');
    if (!appR || !this.store.peek(appR, name, namespace)) return;
    const d = this.store.peek(this.r('apps/v1', 'Deployment')!, name, namespace);
    if (!d) return;
    const ds = (d.status ?? {}) as { readyReplicas?: number };
    const desired = ((d.spec as { replicas?: number }).replicas ?? 1);
    const ready = ds.readyReplicas ?? 0;
    this.store.modify(appR.group + '/' + appR.version, 'SpinApp', name, namespace, (o) => {
      const s = (o.status ?? {}) as { conditions?: Condition[] };
      let conditions = setCondition(s.conditions, ready >= desired
        ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
        : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
      conditions = setCondition(conditions, { type: 'Progressing', status: 'True', reason: ready >= desired ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', message: '' });
      o.status = { activeScheduler: 'deployment', readyReplicas: ready, conditions };
    });
  }
}
