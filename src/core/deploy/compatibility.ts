/**
 * Which Kubernetes Wasm runtime, on which pool, can run which binary, in which OCI form and as which workload, and
 * why not. The shims' facts are src/core/kube/shims.ts (one taxonomy for the tree, deploy and dry-run); where a pool's
 * pods go is src/core/kube/placement.ts, summarised per pool in the cluster model.
 */
import type { HostKind } from '../capabilities';
import type { InspectReport } from '../inspect';
import { classifyHandler, isWasmShim, shimSupports, shimTraits, wasmLayerContainerd, type ShimTraits, type WasmShim } from '../kube/shims';
import type { OciForm, PoolLike, PoolRuntimeLike, RuntimeLike, TaintLike } from './model';

export type { ShimTraits, WasmShim };

/**
 * The shim behind a runtime: the cluster model's `shim` when it names one, else its handler, else (offline, when only
 * the RuntimeClass name is known) the RuntimeClass name.
 */
export function shimOf(runtime: Pick<RuntimeLike, 'handler' | 'runtimeClassName' | 'shim'>): ShimTraits {
  const named = runtime.shim ? (isWasmShim(runtime.shim) ? runtime.shim : classifyHandler(runtime.shim)) : undefined;
  return shimTraits(named ?? classifyHandler(runtime.handler) ?? classifyHandler(runtime.runtimeClassName) ?? 'other');
}

/** What deploy needs to know about a binary, from its inspect report. */
export interface BinaryProfile {
  kind: 'module' | 'component';
  hostKind: HostKind;
  hostTitle: string;
  entryPoint?: string;
  /** Imports (modules, or component interfaces) that no shim provides. */
  unknownImports: string[];
  /** Imports or exports Spin interfaces (`fermyon:spin/...`). */
  spin: boolean;
  /** Serves HTTP: a wasi:http proxy component or a Spin HTTP component. */
  http: boolean;
  /** Capability ids, for `--deny`. */
  capabilities: string[];
}

const isSpinName = (name: string) => /^(fermyon:spin|spin:)/.test(name);

export function profileOf(report: InspectReport): BinaryProfile {
  const names = [...report.imports.map((i) => i.module || i.name), ...report.exports.map((e) => e.name)];
  const spin = names.some(isSpinName);
  const spinHttp = report.exports.some((e) => /^fermyon:spin\/inbound-http/.test(e.name));
  const unknownImports = report.host.unknownModules.filter((m) => !isSpinName(m));
  return {
    kind: report.kind,
    hostKind: report.host.kind,
    hostTitle: report.host.title,
    ...(report.host.entryPoint ? { entryPoint: report.host.entryPoint } : {}),
    unknownImports,
    spin,
    http: report.host.kind === 'wasi-http-proxy' || spinHttp,
    capabilities: report.capabilities.map((c) => c.id),
  };
}

/** A program that runs and exits (a WASI command module or a wasi:cli/run component), rather than a server. */
export function isCommand(binary: BinaryProfile): boolean {
  return !binary.http && !binary.spin && (binary.hostKind === 'wasi-command' || binary.hostKind === 'wasi-component-command');
}

const list = (items: readonly string[]) => items.join(', ');

/** Why this binary can run on no Kubernetes Wasm runtime at all, or undefined when some can run it. */
export function binaryRefusal(binary: BinaryProfile): string | undefined {
  switch (binary.hostKind) {
    case 'emscripten':
      return 'it was built by Emscripten and needs the JavaScript file emitted beside it, which no Kubernetes Wasm runtime provides. Rebuild it with -sSTANDALONE_WASM or wasi-sdk (a WASI program) to deploy it';
    case 'js-glue':
      return `it needs JavaScript glue (${binary.hostTitle}), which no Kubernetes Wasm runtime provides. Build it for wasm32-wasip1 or wasm32-wasip2 to deploy it`;
    case 'wasi-reactor':
      return `it is a library (${binary.hostTitle}) with no _start, so a pod would have nothing to run. Build it as a command (or as an HTTP component) to deploy it`;
    case 'no-imports':
      return 'it has no entry point (no _start, no wasi:cli/run, no HTTP handler), so a pod would have nothing to run';
    case 'wit-core-module':
      return 'it is the core module of a WASI 0.2 component (it imports WASI 0.2 interfaces directly): turn it into a component with wasm-tools component new first';
    case 'unknown-imports':
      return `it imports ${list(binary.unknownImports)}, which no Kubernetes Wasm runtime provides`;
    case 'component-library':
      if (binary.spin && binary.http) break;
      return 'it is a component library: it exports functions for other components but has no entry point (wasi:cli/run) or HTTP handler a runtime could start. Compose it into an application first';
    default:
      break;
  }
  if (binary.kind === 'component' && binary.unknownImports.length) {
    return `it imports ${list(binary.unknownImports)}, which no Kubernetes Wasm runtime provides (compose the component that exports ${binary.unknownImports.length === 1 ? 'it' : 'them'} into it first)`;
  }
  return undefined;
}

export interface RuntimeCheck {
  /** Why the runtime cannot run the binary; undefined when it can. */
  refusal?: string;
  /** What could not be checked (a shim version that is not known). */
  notes: string[];
}

/**
 * Can this runtime run the binary? `shimVersion`: the shim's release where the pods go, when known (a version that
 * lacks what the binary needs is a refusal; an unknown one, a note).
 */
export function checkRuntime(
  binary: BinaryProfile,
  runtime: Pick<RuntimeLike, 'runtimeClassName' | 'handler' | 'shim'>,
  shimVersion?: string,
): RuntimeCheck {
  const general = binaryRefusal(binary);
  if (general) return { refusal: general, notes: [] };
  const shim = shimOf(runtime);
  const rc = `RuntimeClass ${runtime.runtimeClassName} (${shim.label}${runtime.handler ? `, handler ${runtime.handler}` : ''}${shimVersion ? `, v${shimVersion}` : ''})`;
  const notes: string[] = [];
  if (shim.shim === 'other')
    notes.push(
      `the shim behind ${runtime.handler || runtime.runtimeClassName} is not one Wasm Workbench knows: whether it runs this ${binary.hostTitle} was not checked`,
    );
  const needs = (feature: ShimTraits['httpComponents'], what: string, otherwise: string): string | undefined => {
    const at = shimSupports(feature, shimVersion);
    if (at === 'yes') return undefined;
    if (at === 'unknown') {
      notes.push(
        `${what} needs ${shim.label} v${(feature as { since: string }).since} or later; the shim's version on these nodes is not known, so this was not checked`,
      );
      return undefined;
    }
    return typeof feature === 'object'
      ? `${what} needs ${shim.label} v${feature.since} or later, and ${rc} is older: ${otherwise}`
      : `${rc} does not run ${what}: ${otherwise}`;
  };
  if (binary.spin && !shim.spinInterfaces)
    return {
      refusal: `it uses Spin interfaces (fermyon:spin/...), which only the Spin shim provides; ${rc} does not. Choose a Spin RuntimeClass or SpinKube (--spin)`,
      notes,
    };
  if (binary.spin) return { notes };
  if (binary.http) {
    const refusal = needs(
      shim.httpComponents,
      'a wasi:http proxy component',
      'choose a Spin RuntimeClass (or SpinKube) or a wasmtime shim v0.5.0 or later',
    );
    return refusal ? { refusal, notes } : { notes };
  }
  if (shim.shim === 'spin') {
    return {
      refusal: `it is a ${binary.hostTitle}: a program that runs and exits. Spin serves HTTP apps, and would run a command as a WAGI handler, which answers every request with an error unless the program writes CGI headers; choose a runwasi RuntimeClass (wasmtime${binary.kind === 'module' ? ', wasmedge or wasmer' : ''}), where it runs as a Job`,
      notes,
    };
  }
  if (binary.kind === 'component') {
    const refusal = needs(
      shim.commandComponents,
      'a wasi:cli/run component',
      'choose a wasmtime RuntimeClass (runwasi wasmtime shim v0.4.0 or later), which runs WASI 0.2 components',
    );
    return refusal ? { refusal, notes } : { notes };
  }
  if (!shim.commandModules)
    return {
      refusal: `it is a ${binary.hostTitle}, and ${rc} does not run core modules: choose a wasmtime, wasmedge or wasmer RuntimeClass`,
      notes,
    };
  return { notes };
}

/** Why this runtime cannot run the binary, or undefined when it can (versions not known count as able). */
export function runtimeRefusal(
  binary: BinaryProfile,
  runtime: Pick<RuntimeLike, 'runtimeClassName' | 'handler' | 'shim'>,
  shimVersion?: string,
): string | undefined {
  return checkRuntime(binary, runtime, shimVersion).refusal;
}

export const runtimeClassesOf = (pool: PoolLike): string[] =>
  pool.runtimeClasses.map((r) => (typeof r === 'string' ? r : (r.runtimeClassName ?? r.name ?? ''))).filter(Boolean);

/** Why the pool cannot run this runtime's pods, or undefined when it can. */
export function poolRefusal(pool: PoolLike, runtimeClassName: string): string | undefined {
  const reasons = pool.reasons.length ? ` (${pool.reasons.join('; ')})` : '';
  if (!pool.wasmCapable)
    return `pool ${pool.name} has no Wasm runtime${reasons}: a Wasm pod there would fail to start (no runtime for its handler is configured on those nodes)`;
  const classes = runtimeClassesOf(pool);
  if (!classes.includes(runtimeClassName)) {
    return `RuntimeClass ${runtimeClassName} does not run on pool ${pool.name}${classes.length ? `, whose nodes have ${list(classes)}` : ''}${reasons}`;
  }
  return undefined;
}

/** Where the pods go: node labels, label keys that must exist (node affinity), and taints to tolerate. */
export interface PodPlacement {
  nodeSelector: Record<string, string>;
  requiredLabels: string[];
  taints: TaintLike[];
}

export type PoolVerdict =
  | {
      ok: true;
      shim: ShimTraits;
      placement: PodPlacement;
      notes: string[];
      shimVersion?: string;
      wasmLayers?: boolean;
      containerd: string[];
    }
  | { ok: false; reason: string };

/**
 * The one decision "can this pool run this binary on this RuntimeClass, and how are the pods pinned there": the
 * binary against the shim (at the release those nodes have, when known), the pool against the RuntimeClass (which
 * of its nodes have the shim: KWasm's and runtime-class-manager's provisioned labels, AKS labels, RuntimeClass
 * scheduling), and the pinning (the pool's selector plus what marks the capable nodes).
 */
export function poolCanRun(binary: BinaryProfile, runtime: RuntimeLike & { shimVersion?: string }, pool: PoolLike): PoolVerdict {
  const poolReason = poolRefusal(pool, runtime.runtimeClassName);
  if (poolReason) return { ok: false, reason: poolReason };
  const where: PoolRuntimeLike | undefined = pool.runtimes?.find((r) => r.runtimeClassName === runtime.runtimeClassName);
  const shimVersion = where?.placement.shimVersion ?? runtime.shimVersion;
  const check = checkRuntime(binary, runtime, shimVersion);
  if (check.refusal) return { ok: false, reason: check.refusal };
  const placement: PodPlacement = {
    nodeSelector: { ...pool.nodeSelector, ...where?.placement.nodeSelector },
    requiredLabels: [...(where?.placement.requiredLabels ?? [])],
    taints: [...pool.taints],
  };
  const notes = [...check.notes];
  if (where) notes.push(`pool ${pool.name}: ${where.nodes} node${where.nodes === 1 ? '' : 's'} with the shim (${where.placement.via})`);
  return {
    ok: true,
    shim: shimOf(runtime),
    placement,
    notes,
    ...(shimVersion ? { shimVersion } : {}),
    ...(where?.wasmLayers !== undefined ? { wasmLayers: where.wasmLayers } : {}),
    containerd: [...(where?.containerd ?? [])],
  };
}

export type Compatibility = { ok: true; shim: ShimTraits; notes: string[] } | { ok: false; reason: string };

/** Can this runtime (on this pool, when given) run the binary? */
export function checkCompatibility(binary: BinaryProfile, runtime: RuntimeLike, pool?: PoolLike): Compatibility {
  if (pool) {
    const verdict = poolCanRun(binary, runtime, pool);
    return verdict.ok ? { ok: true, shim: verdict.shim, notes: verdict.notes } : verdict;
  }
  const check = checkRuntime(binary, runtime);
  return check.refusal ? { ok: false, reason: check.refusal } : { ok: true, shim: shimOf(runtime), notes: check.notes };
}

/**
 * The OCI form to push for this shim: the one it pulls, or the one asked for when the shim reads it. Wasm layers
 * (the runwasi form) need a recent containerd: when the pool's is known to be older, the image form (a `.wasm` in
 * the image's filesystem with an entrypoint, which every runwasi version runs) is used instead, or an explicit
 * `--form runwasi` is refused.
 */
export function chooseForm(
  shim: ShimTraits,
  requested: OciForm | undefined,
  wasmLayers: boolean | undefined,
  containerd: readonly string[] = [],
): { form: OciForm; note?: string } | { refusal: string } {
  if (requested === 'artifact') {
    return {
      refusal: `the artifact form (config application/vnd.wasm.config.v0+json) is for Wasm registries and tools, and no Kubernetes runtime runs it (containerd refuses it: "unknown image config media type"; under Kubernetes: "no command specified"): use --form ${shim.form === 'spin' ? 'spin' : 'runwasi or image'}, or leave --form out`,
    };
  }
  if (shim.form === 'spin' && requested !== undefined && requested !== 'spin')
    return { refusal: `${shim.label} pulls Spin apps: push with --form spin (or leave --form out)` };
  if (shim.form !== 'spin' && requested === 'spin')
    return { refusal: `the spin form is for the Spin shim; ${shim.label} does not read it: leave --form out` };
  const tooOld = `the pool's containerd (${containerd.join(', ') || 'version not reported'}) is older than Wasm layers need (${wasmLayerContainerd})`;
  if (requested === 'runwasi' && shim.family === 'runwasi' && wasmLayers === false)
    return {
      refusal: `${tooOld}: push with --form image (a .wasm in the image's filesystem, which every runwasi shim runs), or leave --form out`,
    };
  if (requested === 'runwasi' && shim.family !== 'runwasi')
    return {
      refusal: `the runwasi form carries the binary as a Wasm layer, which ${shim.label} does not read: leave --form out (it pulls the ${shim.form} form)`,
    };
  if (requested !== undefined)
    return {
      form: requested,
      ...(requested !== shim.form
        ? { note: `pushing the ${requested} form as asked; ${shim.label} usually pulls the ${shim.form} form` }
        : {}),
    };
  if (shim.form === 'runwasi' && wasmLayers === false)
    return {
      form: 'image',
      note: `${tooOld}, so the binary goes in the image form (a .wasm in the image's filesystem, run by every runwasi version)`,
    };
  return { form: shim.form };
}

/** The workload a binary becomes: a command runs once (a Job, or a Pod with `--workload pod`), a server keeps running. */
export type WorkloadKind = 'Job' | 'Pod' | 'Deployment' | 'SpinApp';

export function workloadFor(
  binary: BinaryProfile,
  spinApp: boolean,
  requested?: 'job' | 'pod',
): { kind: WorkloadKind } | { refusal: string } {
  if (spinApp)
    return requested
      ? { refusal: '--workload does not apply to a SpinApp (the spin-operator runs it as a Deployment)' }
      : { kind: 'SpinApp' };
  if (isCommand(binary)) return { kind: requested === 'pod' ? 'Pod' : 'Job' };
  if (requested)
    return {
      refusal: `--workload ${requested} is for programs that run and exit; this ${binary.hostTitle} serves HTTP and runs as a Deployment`,
    };
  return { kind: 'Deployment' };
}
