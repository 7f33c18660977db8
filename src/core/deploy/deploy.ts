/**
 * A deploy, start to end: inspect the binary, choose (and check) the runtime and pool, push it in the form that
 * runtime pulls, apply the manifests with server-side apply, and wait for the rollout. `dryRun` stops after the
 * manifests, touching neither the registry nor (when the flags name the target) the cluster.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { deniedCapabilities, describeViolations, type CapabilityId } from '../capabilities';
import { inspectFile, type InspectReport } from '../inspect';
import { connectToContext, type KubeClient } from '../kube/client';
import { KubeError } from '../kube/errors';
import { loadKubeconfig, type KubeconfigOptions } from '../kube/kubeconfig';
import { readClusterModel } from '../kube/read';
import type { ClusterModel } from '../kube/types';
import { buildArtifact, wasmFacts } from '../oci/forms';
import { sha256Digest } from '../oci/digest';
import { OciInputError, RegistryError } from '../oci/errors';
import { digestReference, formatReference, parseReference, type ImageReference } from '../oci/reference';
import type { ExplicitCredentials } from '../oci/credentials';
import { pushWasm, type PushResult } from '../oci/push';
import { applyObjects, explainKubeError, waitForRollout, type AppliedObject, type RolloutState } from './cluster';
import { chooseForm, profileOf, workloadFor, type BinaryProfile, type WorkloadKind } from './compatibility';
import { buildManifests, type KubeObject, type Resources } from './manifests';
import { DeployError, type DeployEvent, type OciForm } from './model';
import { appNameFromFile, checkAppName, checkNamespace, checkPort, checkQuantity, checkReplicas } from './names';
import { validateSpinApp } from './spinapp-schema';
import { resolvableOffline, resolveFromModel, resolveOffline, type ResolvedTarget, type TargetRequest } from './target';
import { toYamlDocuments } from './yaml';
import { errorMessage } from '../errors';

export interface DeployRequest extends TargetRequest {
  file: string;
  /** Where to push: REGISTRY/REPOSITORY[:TAG]. */
  image: string;
  /** The kubeconfig context (default: the current context). */
  context?: string;
  kubeconfig?: KubeconfigOptions;
  /** A connected client (the extension passes the tree's); otherwise one is made from `context`. */
  client?: KubeClient;
  /** The app's name (default: from the file name). */
  name?: string;
  namespace?: string;
  replicas?: number;
  port?: number;
  /** The OCI form to push (default: the one the runtime pulls). */
  form?: OciForm;
  /** A program that runs and exits runs as a Job (default) or as a Pod with restartPolicy Never. */
  workload?: 'job' | 'pod';
  insecure?: boolean;
  credentials?: ExplicitCredentials;
  dockerConfig?: string;
  resources?: Resources;
  dryRun?: boolean;
  /** Take over fields another field manager owns (server-side apply `force`). */
  force?: boolean;
  /** Refuse binaries that need these capabilities (a policy, as `caps --deny`). */
  deny?: CapabilityId[];
  /** Wait for the rollout (default true). */
  wait?: boolean;
  rolloutTimeoutMs?: number;
  /** Limit for each Kubernetes request (default 15 s). */
  requestTimeoutMs?: number;
  /** Limit for each registry request (default 60 s). */
  pushTimeoutMs?: number;
  pollMs?: number;
  onProgress?: (event: DeployEvent) => void;
  signal?: AbortSignal;
  /** For tests: how the cluster model is read (default `readClusterModel` of src/core/kube). */
  readModel?: (client: KubeClient) => Promise<ClusterModel>;
}

export interface DeployResult {
  name: string;
  namespace: string;
  file: string;
  binary: BinaryProfile;
  target: ResolvedTarget;
  form: OciForm;
  /** What was applied: a Job or run-once Pod (a command), a Deployment (a server), a SpinApp. */
  workload: WorkloadKind;
  /** The image the pods pull (by digest). */
  image: string;
  digest: string;
  manifests: KubeObject[];
  /** The manifests as YAML documents. */
  yaml: string;
  dryRun: boolean;
  push?: PushResult;
  applied: AppliedObject[];
  rollout?: RolloutState;
  notes: string[];
  /** Milliseconds per step; `packageMs` builds the OCI manifest locally (the digest the push will give). */
  timings: { inspectMs: number; resolveMs: number; packageMs: number; pushMs: number; applyMs: number; rolloutMs: number };
}

export const defaultRolloutTimeoutMs = 120_000;

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

async function loadModel(client: KubeClient, readModel: DeployRequest['readModel']): Promise<ClusterModel> {
  if (readModel) return readModel(client);
  return readClusterModel(client);
}

/** Connects to the request's context (or takes the client given). */
export async function clientFor(
  request: Pick<DeployRequest, 'client' | 'context' | 'kubeconfig' | 'requestTimeoutMs'>,
): Promise<KubeClient> {
  if (request.client) return request.client;
  try {
    const kubeconfig = await loadKubeconfig(request.kubeconfig ?? {});
    const context = request.context ?? kubeconfig.currentContext;
    if (!context) {
      throw new DeployError(
        'input',
        `no kubeconfig context given and none is current (contexts: ${kubeconfig.contexts.map((c) => c.name).join(', ') || 'none'}); use --context`,
      );
    }
    return await connectToContext(kubeconfig, context, { timeoutMs: positive(request.requestTimeoutMs, 15_000) });
  } catch (error) {
    if (error instanceof DeployError) throw error;
    if (error instanceof KubeError && error.reason === 'config')
      throw new DeployError('input', error.message, '', 'resolve', { cause: error });
    throw explainKubeError(error, 'connecting to the cluster', 'resolve');
  }
}

function parseImage(image: string): ImageReference {
  try {
    return parseReference(image);
  } catch (error) {
    if (error instanceof OciInputError) throw new DeployError('input', error.message, '', undefined, { cause: error });
    throw error;
  }
}

/** What the push of this binary in this form will produce: the same manifest bytes, so the same digest. */
async function predictedDigest(file: string, report: InspectReport, form: OciForm, ref: ImageReference): Promise<string> {
  const wasm = new Uint8Array(await readFile(file));
  const built = buildArtifact(form, wasm, wasmFacts(report), { created: new Date(0), repository: ref.repository });
  return sha256Digest(built.manifest);
}

export interface Planned {
  name: string;
  namespace: string;
  binary: BinaryProfile;
  report: InspectReport;
  target: ResolvedTarget;
  form: OciForm;
  workload: WorkloadKind;
  ref: ImageReference;
  replicas: number;
  client?: KubeClient;
  notes: string[];
}

/** Everything before the push: inspect, policy, names, target. Refusals and bad input throw DeployError. */
export async function planDeploy(request: DeployRequest, timings?: DeployResult['timings']): Promise<Planned> {
  const progress = request.onProgress ?? (() => undefined);
  let t = performance.now();
  progress({ step: 'inspect', phase: 'start', message: `Inspecting ${basename(request.file)}` });
  const report = await inspectFile(request.file, { wit: false });
  const binary = profileOf(report);
  progress({ step: 'inspect', phase: 'done', message: `${basename(request.file)}: ${binary.hostTitle}` });
  if (timings) timings.inspectMs = performance.now() - t;

  if (request.deny?.length) {
    const violations = deniedCapabilities(report.capabilities, request.deny);
    if (violations.length) {
      throw new DeployError('policy', `${request.file}: ${describeViolations(violations)}`);
    }
  }
  const name = checkAppName(request.name ?? appNameFromFile(request.file));
  if (request.port !== undefined) checkPort(request.port);
  if (request.replicas !== undefined) checkReplicas(request.replicas);
  for (const [what, value] of [
    ['CPU request', request.resources?.requests?.cpu],
    ['memory request', request.resources?.requests?.memory],
    ['CPU limit', request.resources?.limits?.cpu],
    ['memory limit', request.resources?.limits?.memory],
  ] as const) {
    if (value) checkQuantity(value, what);
  }
  if (request.workload !== undefined && request.workload !== 'job' && request.workload !== 'pod')
    throw new DeployError('input', `--workload must be job or pod, got ${JSON.stringify(request.workload)}`);
  const ref = parseImage(request.image);
  if (request.spin && request.port !== undefined) {
    throw new DeployError(
      'input',
      "--port does not apply to a SpinApp: the spin-operator makes its Service itself (port 80, to the app's HTTP trigger)",
    );
  }

  t = performance.now();
  progress({ step: 'resolve', phase: 'start', message: 'Choosing the runtime and node pool' });
  let target: ResolvedTarget;
  let client: KubeClient | undefined;
  let namespace: string;
  if (request.dryRun && resolvableOffline(request)) {
    namespace = checkNamespace(request.namespace ?? 'default');
    target = resolveOffline(request.file, binary, request);
  } else {
    client = await clientFor(request);
    namespace = checkNamespace(request.namespace ?? client.namespace);
    let model: ClusterModel;
    try {
      model = await loadModel(client, request.readModel);
    } catch (error) {
      throw explainKubeError(error, `reading the cluster of context ${client.contextName}`, 'resolve');
    }
    target = resolveFromModel(request.file, binary, request, model, namespace);
  }
  const workload = workloadFor(binary, target.spinApp !== undefined, request.workload);
  if ('refusal' in workload) throw new DeployError('input', workload.refusal, '', 'resolve');
  const runOnce = workload.kind === 'Job' || workload.kind === 'Pod';
  if (runOnce && request.port !== undefined)
    throw new DeployError(
      'input',
      `--port is for servers; ${basename(request.file)} is a ${binary.hostTitle}: a program that runs and exits, deployed as a ${workload.kind}`,
    );
  if (runOnce && request.replicas !== undefined && request.replicas !== 1)
    throw new DeployError(
      'input',
      `--replicas is for servers; ${basename(request.file)} is a ${binary.hostTitle}, run once as a ${workload.kind}`,
    );
  const replicas = checkReplicas(request.replicas ?? 1);
  // spin-operator's webhook refuses a SpinApp with replicas < 1 unless it autoscales.
  if (workload.kind === 'SpinApp' && replicas < 1)
    throw new DeployError('input', 'a SpinApp needs --replicas 1 or more (the spin-operator refuses 0)');
  const chosen = chooseForm(target.shim, request.form, target.wasmLayers, target.containerd);
  if ('refusal' in chosen)
    throw new DeployError('refused', `${request.file} cannot be deployed as asked: ${chosen.refusal}`, '', 'resolve');
  const form = chosen.form;
  const notes = [...target.notes, ...(chosen.note ? [chosen.note] : [])];
  if (runOnce)
    notes.push(
      `a ${binary.hostTitle} runs once and exits: deployed as a ${workload.kind === 'Job' ? 'Job (no retries)' : 'Pod with restartPolicy Never'}`,
    );
  progress({
    step: 'resolve',
    phase: 'done',
    message: `${workload.kind} on RuntimeClass ${target.runtime.runtimeClassName}${target.pool?.name ? `, pool ${target.pool.name}` : ''}${target.spinApp ? `, SpinApp executor ${target.spinApp.executor}` : ''}`,
  });
  if (timings) timings.resolveMs = performance.now() - t;
  return { name, namespace, binary, report, target, form, workload: workload.kind, ref, replicas, ...(client ? { client } : {}), notes };
}

export function manifestsFor(plan: Planned, request: DeployRequest, image: string): KubeObject[] {
  const manifests = buildManifests({
    name: plan.name,
    namespace: plan.namespace,
    image,
    imageTag: formatReference({ ...plan.ref, digest: undefined } as ImageReference),
    runtimeClassName: plan.target.runtime.runtimeClassName,
    shim: plan.target.shim,
    binary: plan.binary,
    replicas: plan.replicas,
    ...(request.port !== undefined ? { port: request.port } : {}),
    workload: plan.workload,
    ...(plan.target.pool
      ? {
          nodeSelector: plan.target.pool.nodeSelector,
          requiredLabels: plan.target.pool.requiredLabels,
          taints: plan.target.pool.taints,
          ...(plan.target.pool.name ? { poolName: plan.target.pool.name } : {}),
        }
      : {}),
    modulePath: '/app.wasm',
    imageHasEntrypoint: plan.form === 'image' || plan.form === 'runwasi',
    ...(request.resources ? { resources: request.resources } : {}),
    sourceFile: basename(request.file),
    ...(plan.target.spinApp ? { spinApp: plan.target.spinApp } : {}),
  });
  for (const m of manifests) if (m.kind === 'SpinApp') validateSpinApp(m);
  return manifests;
}

export function manifestsYaml(manifests: readonly KubeObject[], comments: readonly string[] = []): string {
  return toYamlDocuments(manifests.map((value, i) => ({ value, ...(i === 0 && comments.length ? { comments } : {}) })));
}

export async function deploy(request: DeployRequest): Promise<DeployResult> {
  const progress = request.onProgress ?? (() => undefined);
  const timings = { inspectMs: 0, resolveMs: 0, packageMs: 0, pushMs: 0, applyMs: 0, rolloutMs: 0 };
  const plan = await planDeploy(request, timings);
  const packageStart = performance.now();
  const predicted = await predictedDigest(request.file, plan.report, plan.form, plan.ref);
  timings.packageMs = performance.now() - packageStart;
  const predictedImage = digestReference(plan.ref, predicted);
  let manifests = manifestsFor(plan, request, predictedImage);
  const base = {
    name: plan.name,
    namespace: plan.namespace,
    file: request.file,
    binary: plan.binary,
    target: plan.target,
    form: plan.form,
    workload: plan.workload,
    notes: plan.notes,
    timings,
  };

  if (request.dryRun) {
    const comments = [
      `wasm-workbench deploy --dry-run: ${basename(request.file)} (${plan.binary.hostTitle})`,
      `image: the ${plan.form} form of this binary pushed as ${formatReference(plan.ref)} has digest ${predicted}`,
      ...plan.notes.map((n) => `note: ${n}`),
    ];
    return {
      ...base,
      image: predictedImage,
      digest: predicted,
      manifests,
      yaml: manifestsYaml(manifests, comments),
      dryRun: true,
      applied: [],
    };
  }

  // Push.
  let t = performance.now();
  progress({
    step: 'push',
    phase: 'start',
    message: `Pushing ${basename(request.file)} to ${formatReference(plan.ref)} (${plan.form} form)`,
  });
  let pushed: PushResult;
  try {
    pushed = await pushWasm(request.file, {
      image: request.image,
      form: plan.form,
      ...(request.insecure ? { insecure: true } : {}),
      ...(request.credentials ? { credentials: request.credentials } : {}),
      ...(request.dockerConfig ? { dockerConfig: request.dockerConfig } : {}),
      timeoutMs: positive(request.pushTimeoutMs, 60_000),
      onProgress: (e) => progress({ step: 'push', phase: 'progress', message: e.message }),
    });
  } catch (error) {
    if (error instanceof OciInputError) throw new DeployError('input', error.message, '', 'push', { cause: error });
    if (error instanceof RegistryError)
      throw new DeployError(
        'failed',
        `push to ${plan.ref.registry} failed: ${error.message}`,
        'Nothing was applied to the cluster.',
        'push',
        { cause: error },
      );
    throw new DeployError('failed', `push failed: ${errorMessage(error)}`, 'Nothing was applied to the cluster.', 'push', { cause: error });
  }
  timings.pushMs = performance.now() - t;
  progress({ step: 'push', phase: 'done', message: `Pushed ${pushed.reference}` });
  if (pushed.reference !== predictedImage) manifests = manifestsFor(plan, request, pushed.reference);

  // Apply.
  t = performance.now();
  const client = plan.client ?? (await clientFor(request));
  progress({
    step: 'apply',
    phase: 'start',
    message: `Applying ${manifests.map((m) => `${m.kind} ${m.metadata.name}`).join(', ')} (server-side apply, field manager wasm-workbench)`,
  });
  const applied = await applyObjects(client, manifests, { force: request.force ?? false, onProgress: progress });
  timings.applyMs = performance.now() - t;
  const counts = ['created', 'configured', 'unchanged']
    .map((r) => [r, applied.filter((a) => a.result === r).length] as const)
    .filter(([, n]) => n > 0);
  progress({ step: 'apply', phase: 'done', message: `Server-side apply done: ${counts.map(([r, n]) => `${n} ${r}`).join(', ')}` });

  const result: DeployResult = {
    ...base,
    image: pushed.reference,
    digest: pushed.digest,
    manifests,
    yaml: manifestsYaml(manifests),
    dryRun: false,
    push: pushed,
    applied,
  };
  if (request.wait === false) return result;

  // Rollout.
  t = performance.now();
  progress({
    step: 'rollout',
    phase: 'start',
    message:
      plan.workload === 'Job' || plan.workload === 'Pod'
        ? `Waiting for ${plan.workload} ${plan.namespace}/${plan.name} to run to completion`
        : `Waiting for ${plan.workload} ${plan.namespace}/${plan.name} to be ready`,
  });
  const rollout = await waitForRollout(client, manifests, applied, {
    timeoutMs: positive(request.rolloutTimeoutMs, defaultRolloutTimeoutMs),
    ...(request.pollMs !== undefined ? { pollMs: request.pollMs } : {}),
    onProgress: progress,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  timings.rolloutMs = performance.now() - t;
  progress({ step: 'rollout', phase: 'done', message: `${plan.name}: ${rollout.message}` });
  return { ...result, rollout };
}
