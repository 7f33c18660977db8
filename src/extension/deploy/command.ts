/**
 * `Wasm: Deploy to Cluster` and `Wasm: Undeploy`: quick picks for the context, the target (only compatible
 * RuntimeClass/pool pairs can be chosen; the others are listed with the reason), the image reference (remembered
 * per workspace and binary), replicas and port; then the core deploy with a progress notification through push,
 * apply and rollout. A failure shows an error whose "Show details" opens the events and logs. Trusted workspaces only.
 */
import * as vscode from 'vscode';
import {
  appNameFromFile,
  checkAppName,
  deploy,
  DeployError,
  fieldManager,
  managedByLabel,
  nameLabel,
  nonWasmPools,
  profileOf,
  isCommand,
  targetChoices,
  undeploy,
  type BinaryProfile,
  type DeployEvent,
  type DeployResult,
  type TargetChoice,
} from '../../core/deploy';
import { inspectFile } from '../../core/inspect';
import { connectToContext, loadKubeconfig, readClusterModel, type KubeClient, type Kubeconfig } from '../../core/kube';
import type { ClusterModel } from '../../core/kube/types';
import { parseReference } from '../../core/oci/reference';
import { config } from '../config';
import { binaryOf, resolveBinary } from '../binary-target';
import type { Log } from '../log';
import { errorMessage, failureKind } from '../../core/errors';
import { showFailure } from '../errors';

const detailsChannelName = 'Wasm Workbench: Deploy';

function settings() {
  const clusters = config.clusters.read();
  // The cluster explorer's kubeconfig and request limit, so the deploy sees the clusters the tree shows.
  return { ...config.deploy.read(), kubeconfig: clusters.kubeconfig, requestTimeoutMs: clusters.requestTimeoutMs };
}

/** What a clusters-tree node may carry (read by shape, so the tree's own classes need not be imported). */
interface TreeNodeHints {
  contextName?: string;
  context?: string | { name?: string };
  pool?: string | { name?: string };
  poolName?: string;
  runtime?: { runtimeClassName?: string };
  runtimeClassName?: string;
  workload?: { name?: string; namespace?: string; kind?: string };
  name?: string;
  namespace?: string;
  kind?: string;
  contextValue?: string;
}

interface Origin {
  binary?: vscode.Uri;
  context?: string;
  pool?: string;
  runtimeClass?: string;
  workload?: { name: string; namespace?: string };
  /** Given by code (a task, a keybinding's args, a test): what is given is not asked. */
  given?: DeployArguments;
}

/**
 * Arguments of `wasmWorkbench.deploy` and `wasmWorkbench.undeploy` run from code (keybindings, tasks, other
 * extensions, tests): `{ file, context, image, runtimeClass, pool, spin, workload, replicas, port, name, namespace }`;
 * what is given is not asked. Undeploy asks for confirmation unless `confirmed: true`.
 */
export interface DeployArguments {
  file?: string | vscode.Uri;
  context?: string;
  image?: string;
  runtimeClass?: string;
  pool?: string;
  spin?: boolean;
  workload?: 'job' | 'pod';
  replicas?: number;
  port?: number;
  name?: string;
  namespace?: string;
  confirmed?: boolean;
}

function argumentsOf(target: object): DeployArguments | undefined {
  const t = target as Record<string, unknown>;
  // Tree nodes carry `kind` and `id`; arguments from code carry none of them.
  if ('kind' in t || 'id' in t || 'contextValue' in t) return undefined;
  if (!['file', 'image', 'context', 'name'].some((k) => k in t)) return undefined;
  return t as DeployArguments;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads the invoking argument: a file Uri (explorer, inspector) or a clusters-tree node. */
export function originOf(target: unknown): Origin {
  if (target instanceof vscode.Uri) return { binary: binaryOf(target) };
  if (!target || typeof target !== 'object') return {};
  const given = argumentsOf(target);
  if (given) {
    const file = typeof given.file === 'string' ? vscode.Uri.file(given.file) : given.file;
    return {
      given,
      ...(file ? { binary: file } : {}),
      ...(given.context ? { context: given.context } : {}),
      ...(given.pool ? { pool: given.pool } : {}),
      ...(given.runtimeClass ? { runtimeClass: given.runtimeClass } : {}),
      ...(given.name ? { workload: { name: given.name, ...(given.namespace ? { namespace: given.namespace } : {}) } } : {}),
    };
  }
  const n = target as TreeNodeHints;
  const origin: Origin = {};
  const context = str(n.contextName) ?? (typeof n.context === 'string' ? n.context : str(n.context?.name));
  if (context) origin.context = context;
  const pool =
    str(n.poolName) ??
    (typeof n.pool === 'string' ? n.pool : str(n.pool?.name)) ??
    (/pool/i.test(n.contextValue ?? n.kind ?? '') ? str(n.name) : undefined);
  if (pool) origin.pool = pool;
  const runtimeClass =
    str(n.runtime?.runtimeClassName) ??
    str(n.runtimeClassName) ??
    (/runtime/i.test(n.contextValue ?? n.kind ?? '') ? str(n.name) : undefined);
  if (runtimeClass) origin.runtimeClass = runtimeClass;
  const workloadName =
    str(n.workload?.name) ?? (/workload|deployment|spinapp/i.test(n.contextValue ?? n.kind ?? '') ? str(n.name) : undefined);
  if (workloadName)
    origin.workload = {
      name: workloadName,
      ...((str(n.workload?.namespace) ?? str(n.namespace)) ? { namespace: (str(n.workload?.namespace) ?? str(n.namespace))! } : {}),
    };
  return origin;
}

async function readKubeconfig(): Promise<Kubeconfig> {
  const path = settings().kubeconfig;
  return loadKubeconfig(path ? { path } : {});
}

async function pickContext(kubeconfig: Kubeconfig, title: string): Promise<string | undefined> {
  if (!kubeconfig.contexts.length) {
    void vscode.window.showErrorMessage(
      `No Kubernetes context found (${kubeconfig.precedence.join(', ') || '~/.kube/config'}). Add a cluster to your kubeconfig first.`,
    );
    return undefined;
  }
  const items = kubeconfig.contexts
    .map((c) => ({
      label: c.name,
      description: `${c.name === kubeconfig.currentContext ? 'current · ' : ''}${c.server ?? c.cluster}${c.namespace ? ` · ${c.namespace}` : ''}`,
      name: c.name,
    }))
    .sort((a, b) => Number(b.name === kubeconfig.currentContext) - Number(a.name === kubeconfig.currentContext));
  if (items.length === 1) return items[0]!.name;
  return (await vscode.window.showQuickPick(items, { title }))?.name;
}

interface TargetItem extends vscode.QuickPickItem {
  choice?: TargetChoice;
}

/** Offers the compatible targets; incompatible ones are listed under a separator and refused when picked. */
async function pickTarget(
  model: ClusterModel,
  binary: BinaryProfile,
  fileName: string,
  origin: Origin,
): Promise<TargetChoice['request'] | undefined> {
  const filter = { ...(origin.pool ? { pool: origin.pool } : {}), ...(origin.runtimeClass ? { runtimeClass: origin.runtimeClass } : {}) };
  const choices = targetChoices(model, binary, filter);
  const refused = [...choices.filter((c) => c.refusal), ...nonWasmPools(model, filter)];
  const ok = choices.filter((c) => !c.refusal);
  const items: TargetItem[] = [
    ...ok.map((c) => ({ label: c.label, description: c.description, choice: c })),
    ...(refused.length ? [{ label: `Cannot run ${fileName}`, kind: vscode.QuickPickItemKind.Separator } as TargetItem] : []),
    ...refused.map((c) => ({ label: `$(circle-slash) ${c.label}`, description: c.description, detail: c.refusal ?? '', choice: c })),
  ];
  if (!ok.length) {
    const why = refused.map((c) => `${c.label}: ${c.refusal}`).join('\n');
    void vscode.window.showErrorMessage(
      `${fileName} cannot run anywhere in this cluster${origin.pool ? ` on pool ${origin.pool}` : ''}${origin.runtimeClass ? ` with RuntimeClass ${origin.runtimeClass}` : ''}.`,
      { modal: true, detail: why || 'The cluster has no Wasm runtime.' },
    );
    return undefined;
  }
  for (;;) {
    const picked = await vscode.window.showQuickPick(items, {
      title: `Deploy ${fileName} to which runtime and pool?`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked?.choice) return undefined;
    if (!picked.choice.refusal) return picked.choice.request;
    await vscode.window.showWarningMessage(`${picked.choice.label} cannot run ${fileName}: ${picked.choice.refusal}`);
  }
}

function imageKey(binary: vscode.Uri): string {
  return `wasmWorkbench.deploy.image:${vscode.workspace.asRelativePath(binary)}`;
}

async function askImage(context: vscode.ExtensionContext, binary: vscode.Uri, appName: string): Promise<string | undefined> {
  const remembered = context.workspaceState.get<string>(imageKey(binary));
  const registry = settings().defaultRegistry;
  const value = remembered ?? (registry ? `${registry}/${appName}:latest` : '');
  return vscode.window.showInputBox({
    title: 'Push to which image reference?',
    prompt: 'REGISTRY/REPOSITORY:TAG (the pods pull it by digest)',
    placeHolder: 'ghcr.io/you/app:1.0 or 127.0.0.1:5000/app:dev',
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      try {
        parseReference(text);
        return undefined;
      } catch (error) {
        return errorMessage(error);
      }
    },
  });
}

async function askNumber(
  title: string,
  value: string,
  check: (n: number) => string | undefined,
  optional: boolean,
): Promise<number | null | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    value,
    ignoreFocusOut: true,
    ...(optional ? { prompt: 'Leave empty for none' } : {}),
    validateInput: (t) => (t.trim() === '' && optional ? undefined : /^\d+$/.test(t.trim()) ? check(Number(t.trim())) : 'a whole number'),
  });
  if (text === undefined) return undefined;
  return text.trim() === '' ? null : Number(text.trim());
}

function showDetails(channel: vscode.OutputChannel, title: string, body: string): void {
  channel.appendLine(`==== ${new Date().toISOString()} ${title}`);
  channel.appendLine(body);
  channel.appendLine('');
  channel.show(true);
}

const stepTitles: Record<string, string> = {
  inspect: 'Inspecting',
  resolve: 'Choosing the target',
  push: 'Pushing',
  apply: 'Applying',
  rollout: 'Waiting for the rollout',
  undeploy: 'Deleting',
};
const stepWeights: Record<string, number> = { inspect: 5, resolve: 5, push: 40, apply: 10, rollout: 40 };

async function connect(kubeconfig: Kubeconfig, contextName: string): Promise<{ client: KubeClient; model: ClusterModel }> {
  const client = await connectToContext(kubeconfig, contextName, { timeoutMs: settings().requestTimeoutMs });
  return { client, model: await readClusterModel(client) };
}

/** A failure's message, and what explains it (a deploy's events and logs; the stack of an error core did not mean). */
function describe(error: unknown): { message: string; details: string } {
  if (error instanceof DeployError) return { message: error.message, details: error.details };
  if (failureKind(error)) return { message: errorMessage(error), details: '' };
  return { message: errorMessage(error), details: error instanceof Error && error.stack ? error.stack : '' };
}

export function registerDeploy(context: vscode.ExtensionContext, log: Log): void {
  let details: vscode.OutputChannel | undefined;
  const detailsChannel = () => {
    details ??= vscode.window.createOutputChannel(detailsChannelName);
    return details;
  };
  context.subscriptions.push(
    { dispose: () => details?.dispose() },
    vscode.commands.registerCommand('wasmWorkbench.deploy', (target?: unknown) => deployCommand(context, log, detailsChannel, target)),
    vscode.commands.registerCommand('wasmWorkbench.undeploy', (target?: unknown) => undeployCommand(log, detailsChannel, target)),
  );
}

async function deployCommand(
  context: vscode.ExtensionContext,
  log: Log,
  channel: () => vscode.OutputChannel,
  target: unknown,
): Promise<DeployResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('Deploying needs a trusted workspace: it pushes to a registry and changes a cluster.');
    return undefined;
  }
  const origin = originOf(target);
  const binary = origin.binary ?? (await resolveBinary(undefined, 'Deploy'));
  if (!binary) return undefined;
  if (binary.scheme !== 'file') {
    void vscode.window.showErrorMessage('Deploying needs a local .wasm file.');
    return undefined;
  }
  const fileName = binary.path.split('/').pop() ?? binary.fsPath;

  let kubeconfig: Kubeconfig;
  let profile: BinaryProfile;
  try {
    [kubeconfig, profile] = await Promise.all([readKubeconfig(), inspectFile(binary.fsPath, { wit: false }).then(profileOf)]);
  } catch (error) {
    void showFailure(log, `Cannot deploy ${fileName}`, error);
    return undefined;
  }
  const contextName = origin.context ?? (await pickContext(kubeconfig, `Deploy ${fileName} to which cluster?`));
  if (!contextName) return undefined;

  let connected: { client: KubeClient; model: ClusterModel };
  try {
    connected = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading cluster ${contextName}` },
      () => connect(kubeconfig, contextName),
    );
  } catch (error) {
    void showFailure(log, `Cannot read cluster ${contextName}`, error);
    return undefined;
  }
  const given = origin.given;
  // From code with the target named: deploy itself checks it (and refuses with the reason).
  const targetRequest: TargetChoice['request'] | undefined =
    given && (given.runtimeClass || given.pool || given.spin)
      ? {
          ...(given.runtimeClass ? { runtimeClass: given.runtimeClass } : {}),
          ...(given.pool ? { pool: given.pool } : {}),
          ...(given.spin ? { spin: true } : {}),
        }
      : await pickTarget(connected.model, profile, fileName, origin);
  if (!targetRequest) return undefined;

  const appName = given?.name ?? appNameFromFile(binary.fsPath);
  const image = given?.image ?? (await askImage(context, binary, appName));
  if (!image) return undefined;
  // A program that runs and exits runs once (a Job): no replicas, no port.
  const runsOnce = isCommand(profile) && !targetRequest.spin;
  let replicas: number | undefined = given?.replicas;
  if (!runsOnce && !given) {
    const min = targetRequest.spin ? 1 : 0;
    const answer = await askNumber('How many replicas?', '1', (n) => (n >= min && n <= 1000 ? undefined : `${min} to 1000`), false);
    if (answer === undefined || answer === null) return undefined;
    replicas = answer;
  }
  let port: number | null | undefined = given?.port ?? null;
  if (!targetRequest.spin && !runsOnce && !given) {
    const defaultPort =
      context.workspaceState.get<number | null>(`wasmWorkbench.deploy.port:${vscode.workspace.asRelativePath(binary)}`) ?? null;
    port = await askNumber(
      'Serve on which port? (makes a Service)',
      defaultPort === null ? (profile.http ? '8080' : '') : String(defaultPort),
      (n) => (n >= 1 && n <= 65535 ? undefined : '1 to 65535'),
      true,
    );
    if (port === undefined) return undefined;
  }
  await context.workspaceState.update(imageKey(binary), image);
  if (!targetRequest.spin)
    await context.workspaceState.update(`wasmWorkbench.deploy.port:${vscode.workspace.asRelativePath(binary)}`, port);

  const s = settings();
  const ref = parseReference(image);
  const title = `Deploying ${fileName} to ${contextName}`;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let step = '';
        const onProgress = (e: DeployEvent) => {
          log.info(`deploy: [${e.step}] ${e.message}`);
          const increment = e.phase === 'start' && e.step !== step ? (stepWeights[step] ?? 0) : 0;
          if (e.phase === 'start') step = e.step;
          progress.report({ message: `${stepTitles[e.step] ?? e.step}: ${e.message}`, ...(increment ? { increment } : {}) });
        };
        return deploy({
          file: binary.fsPath,
          image,
          client: connected.client,
          readModel: async () => connected.model,
          ...targetRequest,
          ...(given?.name ? { name: given.name } : {}),
          ...(given?.workload ? { workload: given.workload } : {}),
          ...(given?.namespace ? { namespace: given.namespace } : {}),
          ...(replicas !== undefined ? { replicas } : {}),
          ...(port !== null ? { port } : {}),
          ...(targetRequest.namespace ? {} : s.namespace ? { namespace: s.namespace } : {}),
          insecure: s.insecureRegistries.includes(ref.registry),
          deny: s.deny,
          rolloutTimeoutMs: s.rolloutTimeoutSeconds * 1000,
          onProgress,
          signal: abort.signal,
        });
      },
    );
    const where = `${contextName}/${result.namespace}`;
    const summary = result.rollout?.completed
      ? `${result.name} ran as a ${result.workload} in ${where}: ${result.rollout.message}`
      : `${result.name} is ${result.rollout?.ready ? 'ready' : 'applied'} in ${where} (${result.rollout?.message ?? ''})`;
    log.info(`deploy: ${summary}; image ${result.image}`);
    // Not awaited: the command returns with the result while the message waits for the user.
    void vscode.window.showInformationMessage(`Deployed ${summary}.`, 'Show details').then((choice) => {
      if (choice !== 'Show details') return;
      const t = result.target;
      const output = result.rollout?.logs !== undefined ? ['', 'Output (last lines of its log):', result.rollout.logs || '(empty)'] : [];
      showDetails(
        channel(),
        `deploy ${result.name}`,
        [
          `Image: ${result.image} (${result.form} form)`,
          `RuntimeClass ${t.runtime.runtimeClassName}${t.pool?.name ? ` on pool ${t.pool.name}` : ''}`,
          `Applied: ${result.applied.map((a) => `${a.kind} ${a.name} (${a.result})`).join(', ')}`,
          ...result.notes.map((n) => `Note: ${n}`),
          ...output,
          '',
          result.yaml,
        ].join('\n'),
      );
    });
    return result;
  } catch (error) {
    const { message, details } = describe(error);
    log.error(`deploy: ${message}${details ? `\n${details}` : ''}`);
    void vscode.window.showErrorMessage(`Deploy of ${fileName} failed: ${message}`, 'Show details').then((choice) => {
      if (choice === 'Show details') showDetails(channel(), `deploy ${fileName} failed`, `${message}\n\n${details || '(no more details)'}`);
    });
    return undefined;
  }
}

interface WorkloadItem extends vscode.QuickPickItem {
  name: string;
  namespace: string;
}

async function undeployCommand(log: Log, channel: () => vscode.OutputChannel, target: unknown): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('Undeploying needs a trusted workspace.');
    return false;
  }
  const origin = originOf(target);
  let kubeconfig: Kubeconfig;
  try {
    kubeconfig = await readKubeconfig();
  } catch (error) {
    void showFailure(log, 'Cannot read the kubeconfig', error);
    return false;
  }
  const contextName = origin.context ?? (await pickContext(kubeconfig, 'Undeploy from which cluster?'));
  if (!contextName) return false;
  let client: KubeClient;
  try {
    client = await connectToContext(kubeconfig, contextName, { timeoutMs: settings().requestTimeoutMs });
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
    return false;
  }
  let name = origin.workload?.name ?? (origin.binary ? appNameFromFile(origin.binary.fsPath) : undefined);
  let namespace = origin.workload?.namespace ?? (settings().namespace || client.namespace);
  if (!origin.workload) {
    // Offer what wasm-workbench deployed (by the managed-by label), the binary's app first.
    let items: WorkloadItem[] = [];
    try {
      const selector = `${managedByLabel}=${fieldManager}`;
      const found = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Listing deployments in ${contextName}` },
        async () => {
          const lists = await Promise.all([
            client.list('apps/v1', 'Deployment', { labelSelector: selector }).then((r) => r.items),
            client.list('batch/v1', 'Job', { labelSelector: selector }).then((r) => r.items),
            client.list('v1', 'Pod', { labelSelector: selector }).then((r) => r.items.filter((p) => !p.metadata?.ownerReferences?.length)),
            client.list('core.spinkube.dev/v1alpha1', 'SpinApp', { labelSelector: selector }).then(
              (r) => r.items,
              () => [],
            ),
          ]);
          return lists.flat();
        },
      );
      const seen = new Set<string>();
      for (const o of found) {
        const n = o.metadata?.labels?.[nameLabel] ?? o.metadata?.name ?? '';
        const ns = o.metadata?.namespace ?? 'default';
        if (!n || seen.has(`${ns}/${n}`)) continue;
        seen.add(`${ns}/${n}`);
        items.push({ label: n, description: `${o.kind} in ${ns}`, name: n, namespace: ns });
      }
      items = items.sort((a, b) => Number(b.name === name) - Number(a.name === name) || a.label.localeCompare(b.label));
    } catch (error) {
      void showFailure(log, `Cannot list what is deployed in ${contextName}`, error);
      return false;
    }
    if (!items.length) {
      void vscode.window.showInformationMessage(`Nothing deployed by Wasm Workbench in ${contextName}.`);
      return false;
    }
    const picked = await vscode.window.showQuickPick(items, { title: `Undeploy what from ${contextName}?` });
    if (!picked) return false;
    name = picked.name;
    namespace = picked.namespace;
  }
  if (!name) return false;
  try {
    checkAppName(name);
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
    return false;
  }
  if (origin.given?.confirmed !== true) {
    const confirm = await vscode.window.showWarningMessage(
      `Delete ${name} from ${contextName}/${namespace}?`,
      { modal: true, detail: 'Its Job, Pod, Deployment, Service or SpinApp (labelled managed-by wasm-workbench) are deleted.' },
      'Undeploy',
    );
    if (confirm !== 'Undeploy') return false;
  }
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Undeploying ${name}` }, () =>
      undeploy({ client, name: name!, namespace, onProgress: (e) => log.info(`undeploy: ${e.message}`) }),
    );
    void vscode.window.showInformationMessage(
      result.deleted.length
        ? `Deleted ${result.deleted.map((d) => `${d.kind} ${d.name}`).join(', ')} from ${contextName}/${namespace}.`
        : `Nothing labelled ${name} in ${contextName}/${namespace}.`,
    );
    return result.deleted.length > 0;
  } catch (error) {
    const { message, details } = describe(error);
    log.error(`undeploy: ${message}`);
    void vscode.window.showErrorMessage(`Undeploy of ${name} failed: ${message}`, 'Show details').then((choice) => {
      if (choice === 'Show details') showDetails(channel(), `undeploy ${name} failed`, `${message}\n\n${details || '(no more details)'}`);
    });
    return false;
  }
}
