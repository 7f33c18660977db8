/**
 * Which Kubernetes Wasm runtime can run which binary, and why not.
 *
 * The shims (containerd runwasi and the shims built on it) differ in what they load: wasmtime runs WASI preview1
 * modules, `wasi:cli/run` components and serves `wasi:http` proxy components; wasmedge and wasmer run core modules
 * only; Spin runs Spin apps (HTTP handler components); crun with its Wasm handler runs modules from an image's rootfs.
 * A binary that needs JavaScript glue, has no entry point, or imports what no shim provides runs nowhere.
 */
import type { InspectReport } from '../inspect';
import type { HostKind } from '../capabilities';
import { DeployError, type OciForm, type PoolLike, type RuntimeLike } from './model';

export type ShimKind = 'spin' | 'wasmtime' | 'wasmedge' | 'wasmer' | 'slight' | 'wws' | 'lunatic' | 'crun' | 'unknown';

export interface ShimTraits {
  kind: ShimKind;
  /** For messages: "Spin (containerd-shim-spin)". */
  label: string;
  /** Runs WASI preview1 commands (`_start`); Spin runs them as WAGI HTTP handlers. */
  coreModules: boolean;
  /** Runs `wasi:cli/run` components. */
  commandComponents: boolean;
  /** Serves `wasi:http` proxy components (incoming-handler). */
  httpComponents: boolean;
  /** Provides the Spin interfaces (`fermyon:spin/...`). */
  spinInterfaces: boolean;
  /** The OCI form it pulls (the push writes this one unless --form says otherwise). */
  form: OciForm;
  /** The container command the shim needs: `/` for Spin; the module's path for rootfs-based shims. */
  command?: 'root' | 'module-path';
  /** Env variable naming the HTTP listen address, and the port it defaults to. */
  http?: { env: string; defaultPort: number };
  /** Pod annotations the runtime reads. */
  podAnnotations?: Record<string, string>;
}

const traits: Record<ShimKind, ShimTraits> = {
  // Spin serves a WASI command module as WAGI (the spin form's locked app says so), and HTTP components.
  spin: { kind: 'spin', label: 'Spin (containerd-shim-spin)', coreModules: true, commandComponents: false, httpComponents: true, spinInterfaces: true, form: 'spin', command: 'root', http: { env: 'SPIN_HTTP_LISTEN_ADDR', defaultPort: 80 } },
  wasmtime: { kind: 'wasmtime', label: 'wasmtime (runwasi)', coreModules: true, commandComponents: true, httpComponents: true, spinInterfaces: false, form: 'runwasi', http: { env: 'WASMTIME_HTTP_PROXY_SOCKET_ADDR', defaultPort: 8080 } },
  wasmedge: { kind: 'wasmedge', label: 'WasmEdge (runwasi)', coreModules: true, commandComponents: false, httpComponents: false, spinInterfaces: false, form: 'runwasi' },
  wasmer: { kind: 'wasmer', label: 'Wasmer (runwasi)', coreModules: true, commandComponents: false, httpComponents: false, spinInterfaces: false, form: 'runwasi' },
  slight: { kind: 'slight', label: 'SpiderLightning (slight)', coreModules: true, commandComponents: false, httpComponents: false, spinInterfaces: false, form: 'image', command: 'module-path' },
  wws: { kind: 'wws', label: 'Wasm Workers Server (wws)', coreModules: true, commandComponents: false, httpComponents: false, spinInterfaces: false, form: 'image', command: 'module-path' },
  lunatic: { kind: 'lunatic', label: 'lunatic', coreModules: true, commandComponents: false, httpComponents: false, spinInterfaces: false, form: 'image', command: 'module-path' },
  crun: { kind: 'crun', label: 'crun with its Wasm handler', coreModules: true, commandComponents: false, httpComponents: false, spinInterfaces: false, form: 'image', command: 'module-path', podAnnotations: { 'module.wasm.image/variant': 'compat-smart' } },
  unknown: { kind: 'unknown', label: 'an unrecognised shim', coreModules: true, commandComponents: true, httpComponents: true, spinInterfaces: false, form: 'image', command: 'module-path' },
};

const shimPatterns: [RegExp, ShimKind][] = [
  [/spin/, 'spin'],
  [/slight/, 'slight'],
  [/wws|workers/, 'wws'],
  [/lunatic/, 'lunatic'],
  [/wasmedge/, 'wasmedge'],
  [/wasmer/, 'wasmer'],
  [/wasmtime/, 'wasmtime'],
  [/crun/, 'crun'],
];

function matchShim(text: string | undefined): ShimKind | undefined {
  if (!text) return undefined;
  const lower = text.toLowerCase();
  return shimPatterns.find(([re]) => re.test(lower))?.[1];
}

/**
 * The shim behind a runtime: its `shim` (when the cluster model names it), else its handler, else (offline, when only
 * the RuntimeClass name is known) the RuntimeClass name.
 */
export function shimOf(runtime: Pick<RuntimeLike, 'handler' | 'runtimeClassName' | 'shim' | 'acceptsComponents'>): ShimTraits {
  const kind = matchShim(runtime.shim) ?? matchShim(runtime.handler) ?? matchShim(runtime.runtimeClassName) ?? 'unknown';
  const base = traits[kind];
  // The cluster model may know better whether this shim build takes components.
  if (runtime.acceptsComponents === false && base.commandComponents) return { ...base, commandComponents: false, httpComponents: kind === 'spin' ? base.httpComponents : false };
  if (runtime.acceptsComponents === true && kind !== 'spin' && !base.commandComponents) return { ...base, commandComponents: true };
  return base;
}

export function shimTraits(kind: ShimKind): ShimTraits {
  return traits[kind];
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

/** Why this runtime cannot run the binary, or undefined when it can. */
export function runtimeRefusal(binary: BinaryProfile, runtime: Pick<RuntimeLike, 'runtimeClassName' | 'handler' | 'shim' | 'acceptsComponents'>): string | undefined {
  const general = binaryRefusal(binary);
  if (general) return general;
  const shim = shimOf(runtime);
  const rc = `RuntimeClass ${runtime.runtimeClassName} (${shim.label}${runtime.handler ? `, handler ${runtime.handler}` : ''})`;
  if (binary.spin && !shim.spinInterfaces) {
    return `it uses Spin interfaces (fermyon:spin/...), which only the Spin shim provides; ${rc} does not. Choose a Spin RuntimeClass or SpinKube (--spin)`;
  }
  if (binary.http) {
    if (!shim.httpComponents) return `it is an HTTP proxy component: it needs Spin or a wasi-http capable shim (wasmtime); ${rc} ${binary.kind === 'component' && !shim.commandComponents ? 'only takes core modules' : 'does not serve wasi:http'}`;
    return undefined;
  }
  if (binary.kind === 'component') {
    if (shim.kind === 'spin') return `it is a wasi:cli/run command component, and Spin runs HTTP (trigger) components, not commands: choose a wasmtime RuntimeClass`;
    if (!shim.commandComponents) return `it is a component, and ${rc} only takes core modules: choose a wasmtime RuntimeClass (runwasi), which runs WASI 0.2 components`;
    return undefined;
  }
  // A WASI preview1 command.
  if (!shim.coreModules) return `it is a ${binary.hostTitle}, and ${rc} does not run core modules: choose a wasmtime, wasmedge or wasmer RuntimeClass`;
  return undefined;
}

export const runtimeClassesOf = (pool: PoolLike): string[] =>
  pool.runtimeClasses.map((r) => (typeof r === 'string' ? r : (r.runtimeClassName ?? r.name ?? ''))).filter(Boolean);

/** Why the pool cannot run this runtime's pods, or undefined when it can. */
export function poolRefusal(pool: PoolLike, runtimeClassName: string): string | undefined {
  const reasons = pool.reasons.length ? ` (${pool.reasons.join('; ')})` : '';
  if (!pool.wasmCapable) return `pool ${pool.name} has no Wasm runtime${reasons}: a Wasm pod there would fail to start (no runtime for its handler is configured on those nodes)`;
  const classes = runtimeClassesOf(pool);
  if (!classes.includes(runtimeClassName)) {
    return `RuntimeClass ${runtimeClassName} does not run on pool ${pool.name}${classes.length ? `, whose nodes have ${list(classes)}` : ''}`;
  }
  return undefined;
}

export type Compatibility = { ok: true; shim: ShimTraits; notes: string[] } | { ok: false; reason: string };

/** Can this runtime (on this pool, when given) run the binary? */
export function checkCompatibility(binary: BinaryProfile, runtime: RuntimeLike, pool?: PoolLike): Compatibility {
  const reason = runtimeRefusal(binary, runtime) ?? (pool ? poolRefusal(pool, runtime.runtimeClassName) : undefined);
  if (reason) return { ok: false, reason };
  const shim = shimOf(runtime);
  const notes = shim.kind === 'unknown' ? [`the shim behind handler ${runtime.handler || runtime.runtimeClassName} is not one Wasm Workbench knows: whether it runs this ${binary.hostTitle} was not checked`] : [];
  return { ok: true, shim, notes };
}

/** Throws the refusal as a DeployError (exit 2 in the CLI). */
export function assertCompatible(file: string, binary: BinaryProfile, runtime: RuntimeLike, pool?: PoolLike): ShimTraits {
  const result = checkCompatibility(binary, runtime, pool);
  if (!result.ok) throw new DeployError('refused', `${file} cannot be deployed to ${pool ? `pool ${pool.name} with ` : ''}RuntimeClass ${runtime.runtimeClassName}: ${result.reason}`);
  return result.shim;
}
