/**
 * The objects a deploy applies, on a Wasm RuntimeClass, pinned to the chosen pool's capable nodes (node selector, a
 * required node affinity for label keys whose values differ per node, tolerations for the pool's taints):
 * - a program that runs and exits: a Job (one pod, no retries: a deterministic program fails the same way again),
 *   or a Pod with `restartPolicy: Never`;
 * - a server (a wasi:http component): a Deployment, and a Service when it has a port;
 * - a Spin app on SpinKube: a SpinApp.
 * Built as plain JSON, the same on every call for the same input, so server-side apply sees no change on a redeploy.
 */
import type { BinaryProfile, ShimTraits, WorkloadKind } from './compatibility';
import { annotationPrefix, fieldManager, managedByLabel, nameLabel, type TaintLike } from './model';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Resources {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

export const defaultResources: Required<Resources> = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } };

export interface ManifestInput {
  name: string;
  namespace: string;
  /** The image as the pod pulls it: the pushed reference by digest (REG/REPO@sha256:...). */
  image: string;
  /** The reference as the user gave it (REG/REPO:TAG), kept in an annotation. */
  imageTag?: string;
  runtimeClassName: string;
  shim: ShimTraits;
  binary: BinaryProfile;
  replicas: number;
  /** The port the app serves on; a Service is made for it. */
  port?: number;
  /** What the pods are: Job, Pod (run once), Deployment or SpinApp. */
  workload: WorkloadKind;
  /** The pool's node selector (empty: the RuntimeClass's own scheduling decides). */
  nodeSelector?: Readonly<Record<string, string>>;
  /** Node label keys the node must have, with any value (KWasm's provisioned label holds each node's name). */
  requiredLabels?: readonly string[];
  taints?: readonly TaintLike[];
  poolName?: string;
  /** Path of the module inside an image-form push (`/app.wasm`); used when the shim needs a command. */
  modulePath?: string;
  /** The image's config names an entrypoint, so rootfs-based shims need no command. */
  imageHasEntrypoint?: boolean;
  resources?: Resources;
  /** The source file's base name, for an annotation. */
  sourceFile?: string;
  /** The SpinAppExecutor, for a SpinApp. */
  spinApp?: { executor: string };
}

/** Taints that nodes get from their state, not from a pool's configuration: never tolerated by a deploy. */
export const lifecycleTaint = /^(node\.kubernetes\.io\/|node\.cloudprovider\.kubernetes\.io\/|ToBeDeletedByClusterAutoscaler$)/;

export function tolerationsFor(taints: readonly TaintLike[]): Record<string, string>[] {
  const seen = new Set<string>();
  const out: Record<string, string>[] = [];
  for (const t of taints) {
    if (lifecycleTaint.test(t.key)) continue;
    const id = `${t.key}=${t.value ?? ''}:${t.effect}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(
      t.value ? { key: t.key, operator: 'Equal', value: t.value, effect: t.effect } : { key: t.key, operator: 'Exists', effect: t.effect },
    );
  }
  return out;
}

export function labelsFor(name: string): Record<string, string> {
  return { [nameLabel]: name, [managedByLabel]: fieldManager };
}

function annotationsFor(input: ManifestInput): Record<string, string> {
  const a: Record<string, string> = {};
  if (input.imageTag) a[`${annotationPrefix}/image`] = input.imageTag;
  if (input.sourceFile) a[`${annotationPrefix}/source`] = input.sourceFile;
  a[`${annotationPrefix}/host`] = input.binary.hostKind;
  if (input.poolName) a[`${annotationPrefix}/pool`] = input.poolName;
  return a;
}

function resourcesFor(r: Resources | undefined): Record<string, Record<string, string>> {
  const merged = { requests: { ...defaultResources.requests, ...r?.requests }, limits: { ...defaultResources.limits, ...r?.limits } };
  const clean = (o: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  const out: Record<string, Record<string, string>> = {};
  const requests = clean(merged.requests);
  const limits = clean(merged.limits);
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return out;
}

/** Whether the shim serves the binary over HTTP itself (wasi:http components; everything Spin runs, WAGI included). */
export function shimServesHttp(input: Pick<ManifestInput, 'shim' | 'binary'>): boolean {
  return input.shim.http !== undefined && (input.binary.http || input.binary.spin);
}

/** The port the container listens on: the given one, or the shim's default for what it serves over HTTP. */
export function containerPortFor(input: Pick<ManifestInput, 'port' | 'shim' | 'binary'>): number | undefined {
  if (input.port !== undefined) return input.port;
  if (shimServesHttp(input)) return input.shim.http!.defaultPort;
  return undefined;
}

function commandFor(input: ManifestInput): string[] | undefined {
  if (input.shim.command === 'root') return ['/'];
  if (input.shim.command === 'module-path' && !input.imageHasEntrypoint && input.modulePath) return [input.modulePath];
  return undefined;
}

function podSpecFor(input: ManifestInput, restartPolicy?: 'Never'): Record<string, unknown> {
  const port = containerPortFor(input);
  const container: Record<string, unknown> = { name: input.name, image: input.image, imagePullPolicy: 'IfNotPresent' };
  const command = commandFor(input);
  if (command) container.command = command;
  if (port !== undefined && shimServesHttp(input)) container.env = [{ name: input.shim.http!.env, value: `0.0.0.0:${port}` }];
  if (port !== undefined) container.ports = [{ name: 'http', containerPort: port, protocol: 'TCP' }];
  container.resources = resourcesFor(input.resources);

  const podSpec: Record<string, unknown> = { runtimeClassName: input.runtimeClassName };
  if (restartPolicy) podSpec.restartPolicy = restartPolicy;
  if (input.nodeSelector && Object.keys(input.nodeSelector).length) podSpec.nodeSelector = { ...input.nodeSelector };
  if (input.requiredLabels?.length) {
    podSpec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: input.requiredLabels.map((key) => ({ key, operator: 'Exists' })) }],
        },
      },
    };
  }
  const tolerations = tolerationsFor(input.taints ?? []);
  if (tolerations.length) podSpec.tolerations = tolerations;
  // A Wasm guest cannot use the service account token; do not hand it one.
  podSpec.automountServiceAccountToken = false;
  podSpec.containers = [container];
  return podSpec;
}

function templateFor(input: ManifestInput, restartPolicy?: 'Never'): Record<string, unknown> {
  return {
    metadata: { labels: labelsFor(input.name), ...(input.shim.podAnnotations ? { annotations: { ...input.shim.podAnnotations } } : {}) },
    spec: podSpecFor(input, restartPolicy),
  };
}

function metadataFor(input: ManifestInput): KubeObject['metadata'] {
  return { name: input.name, namespace: input.namespace, labels: labelsFor(input.name), annotations: annotationsFor(input) };
}

export function buildDeployment(input: ManifestInput): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadataFor(input),
    spec: { replicas: input.replicas, selector: { matchLabels: labelsFor(input.name) }, template: templateFor(input) },
  };
}

/** A program run once to completion: no retries (a deterministic program fails the same way again). */
export function buildJob(input: ManifestInput): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadataFor(input),
    spec: { backoffLimit: 0, template: templateFor(input, 'Never') },
  };
}

/** A program run once as a bare pod (`--workload pod`): nothing recreates it. */
export function buildRunOncePod(input: ManifestInput): KubeObject {
  const template = templateFor(input, 'Never') as {
    metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
  };
  const metadata = metadataFor(input);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...metadata, annotations: { ...metadata.annotations, ...template.metadata.annotations } },
    spec: template.spec,
  };
}

export function buildService(input: ManifestInput & { port: number }): KubeObject {
  const labels = labelsFor(input.name);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: input.name, namespace: input.namespace, labels },
    spec: {
      type: 'ClusterIP',
      selector: { ...labels },
      ports: [{ name: 'http', port: input.port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function buildSpinApp(input: ManifestInput & { spinApp: { executor: string } }): KubeObject {
  // spin-operator's webhook refuses replicas < 1 unless autoscaling.
  const spec: Record<string, unknown> = { image: input.image, executor: input.spinApp.executor, replicas: input.replicas };
  const resources = resourcesFor(input.resources);
  if (Object.keys(resources).length) spec.resources = resources;
  return {
    apiVersion: 'core.spinkube.dev/v1alpha1',
    kind: 'SpinApp',
    metadata: { name: input.name, namespace: input.namespace, labels: labelsFor(input.name), annotations: annotationsFor(input) },
    spec,
  };
}

/** Every object of a deploy, in apply order. */
export function buildManifests(input: ManifestInput): KubeObject[] {
  switch (input.workload) {
    case 'SpinApp':
      if (!input.spinApp) throw new Error('a SpinApp needs its executor');
      return [buildSpinApp({ ...input, spinApp: input.spinApp })];
    case 'Job':
      return [buildJob(input)];
    case 'Pod':
      return [buildRunOncePod(input)];
    case 'Deployment': {
      const objects = [buildDeployment(input)];
      const port = containerPortFor(input);
      if (input.port !== undefined || (port !== undefined && shimServesHttp(input)))
        objects.push(buildService({ ...input, port: input.port ?? port! }));
      return objects;
    }
  }
}
