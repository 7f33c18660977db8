/**
 * The one taxonomy of Wasm runtimes on Kubernetes: which shim a RuntimeClass handler names, and what each shim runs,
 * pulls and needs. The cluster tree, deploy and dry-run all read this table.
 *
 * Facts (from the projects' sources; versions are the shims' own release numbers):
 * - runwasi shims (wasmtime, wasmedge, wasmer, wamr) run a Wasm layer of the image (layer media type
 *   `application/vnd.bytecodealliance.wasm.component.layer.v0+wasm` in every version since components; plain
 *   `application/wasm` only in recent ones) when the image config says `architecture: wasm`, else `args[0]` from the
 *   image's root filesystem. Components came in the wasmtime shim v0.4.0, wasi:http serving in v0.5.0; wasmedge and
 *   wasmer run core modules only. Wasm layers need containerd >= 1.6.25 (1.6 line) or >= 1.7.7.
 * - containerd-shim-spin runs Spin apps (a locked-app layer and one Wasm layer per component) and, since v0.23, a
 *   single `application/wasm` layer as an HTTP app. Never a plain command: its WAGI executor needs CGI headers.
 * - crun built with a Wasm handler (`crun-wasm`, `crun-wasmedge`) is not runwasi: it runs an ordinary image whose
 *   entrypoint is a `.wasm`, switched to Wasm by the `module.wasm.image/variant: compat-smart` annotation.
 * - slight, wws and lunatic (deislabs containerd-wasm-shims) read the module from the image's root filesystem.
 */

/** The Wasm engine behind a RuntimeClass handler; `other` is a handler whose name says Wasm but no known shim. */
export type WasmShim = 'spin' | 'wasmtime' | 'wasmedge' | 'wasmer' | 'wamr' | 'slight' | 'wws' | 'lunatic' | 'crun' | 'other';

/** The OCI form a runtime pulls (src/core/oci writes each). */
export type PulledForm = 'runwasi' | 'image' | 'spin';

export interface ShimTraits {
  shim: WasmShim;
  /** For messages: "wasmtime (runwasi)". */
  label: string;
  /** `runwasi`: the shim reads Wasm layers; `spin`: Spin apps; `rootfs`: a `.wasm` file in an image's filesystem. */
  family: 'runwasi' | 'spin' | 'rootfs';
  /** Runs WASI preview1 command modules (`_start`). */
  commandModules: boolean;
  /** Runs `wasi:cli/run` components, from this shim version on (`true`: every version). */
  commandComponents: boolean | { since: string };
  /** Serves `wasi:http` proxy components, from this shim version on. */
  httpComponents: boolean | { since: string };
  /** Provides the Spin interfaces (`fermyon:spin/...`). */
  spinInterfaces: boolean;
  /** The form it pulls: the push writes this one unless the user asks for another. */
  form: PulledForm;
  /** The container command it needs: `/` for Spin; the module's path for rootfs shims without an image entrypoint. */
  command?: 'root' | 'module-path';
  /** Env variable naming the HTTP listen address, and the port it defaults to. */
  http?: { env: string; defaultPort: number };
  /** Pod annotations the runtime reads. */
  podAnnotations?: Record<string, string>;
}

const runwasi = (
  shim: WasmShim,
  label: string,
  components: ShimTraits['commandComponents'],
  http: ShimTraits['httpComponents'],
): ShimTraits => ({
  shim,
  label,
  family: 'runwasi',
  commandModules: true,
  commandComponents: components,
  httpComponents: http,
  spinInterfaces: false,
  form: 'runwasi',
  ...(http !== false ? { http: { env: 'WASMTIME_HTTP_PROXY_SOCKET_ADDR', defaultPort: 8080 } } : {}),
});

const rootfs = (shim: WasmShim, label: string): ShimTraits => ({
  shim,
  label,
  family: 'rootfs',
  commandModules: true,
  commandComponents: false,
  httpComponents: false,
  spinInterfaces: false,
  form: 'image',
  command: 'module-path',
});

const traits: Record<WasmShim, ShimTraits> = {
  spin: {
    shim: 'spin',
    label: 'Spin (containerd-shim-spin)',
    family: 'spin',
    commandModules: false,
    commandComponents: false,
    httpComponents: true,
    spinInterfaces: true,
    form: 'spin',
    command: 'root',
    http: { env: 'SPIN_HTTP_LISTEN_ADDR', defaultPort: 80 },
  },
  wasmtime: runwasi('wasmtime', 'wasmtime (runwasi)', { since: '0.4.0' }, { since: '0.5.0' }),
  wasmedge: runwasi('wasmedge', 'WasmEdge (runwasi)', false, false),
  wasmer: runwasi('wasmer', 'Wasmer (runwasi)', false, false),
  wamr: runwasi('wamr', 'WAMR (runwasi)', false, false),
  slight: rootfs('slight', 'SpiderLightning (slight)'),
  wws: rootfs('wws', 'Wasm Workers Server (wws)'),
  lunatic: rootfs('lunatic', 'lunatic'),
  crun: { ...rootfs('crun', 'crun with its Wasm handler'), podAnnotations: { 'module.wasm.image/variant': 'compat-smart' } },
  // Unknown: nothing is assumed beyond a module in an image; deploy says the check was not possible.
  other: { ...rootfs('other', 'an unrecognised Wasm shim'), commandComponents: true, httpComponents: true },
};

const handlerWords: readonly [RegExp, WasmShim][] = [
  // Order matters: `crun-wasmedge` is crun, `wasmtime-spin-v2` is Spin.
  [/(^|[^a-z])crun([^a-z]|$)/, 'crun'],
  [/spin/, 'spin'],
  [/slight|spiderlightning/, 'slight'],
  [/wasmedge/, 'wasmedge'],
  [/wasmer/, 'wasmer'],
  [/(^|[^a-z])wamr([^a-z]|$)/, 'wamr'],
  [/(^|[^a-z])wws([^a-z]|$)|wasm-workers/, 'wws'],
  [/lunatic/, 'lunatic'],
  [/wasmtime/, 'wasmtime'],
];

/**
 * The shim a RuntimeClass handler (or, offline, a RuntimeClass name) names: `spin`, `io.containerd.spin.v2`,
 * `wasmtime-spin-v2` → spin; `crun-wasm`, `crun-wasmedge` → crun; undefined when it is not a Wasm one (`runc`, `kata`,
 * `runsc`, plain `crun`).
 */
export function classifyHandler(handler: string): WasmShim | undefined {
  const h = handler.toLowerCase();
  for (const [re, shim] of handlerWords) {
    if (!re.test(h)) continue;
    // crun runs Wasm only when built with a Wasm handler and named for it.
    if (shim === 'crun') return /wasm/.test(h) ? 'crun' : undefined;
    return shim;
  }
  return /wasm|wasi/.test(h) ? 'other' : undefined;
}

export function shimTraits(shim: WasmShim): ShimTraits {
  return traits[shim];
}

/** Whether `name` is one of the shims of this table (`wasmtime`, `spin`, ...), rather than a handler to classify. */
export function isWasmShim(name: string): name is WasmShim {
  return Object.prototype.hasOwnProperty.call(traits, name);
}

/** `containerd://1.7.20`, `v0.5.0`, `1.6.25-k3s1` → [major, minor, patch]; undefined when there is no version. */
export function parseVersion(text: string | undefined): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Whether `version` is at least `minimum`; undefined when `version` is unknown. */
export function versionAtLeast(version: string | undefined, minimum: string): boolean | undefined {
  const v = parseVersion(version);
  const m = parseVersion(minimum)!;
  if (!v) return undefined;
  for (let i = 0; i < 3; i++) if (v[i] !== m[i]) return v[i]! > m[i]!;
  return true;
}

/** Whether the shim (at `version`, when known) does a feature: `unknown` when it depends on a version not known. */
export function shimSupports(feature: boolean | { since: string }, version: string | undefined): 'yes' | 'no' | 'unknown' {
  if (typeof feature === 'boolean') return feature ? 'yes' : 'no';
  const at = versionAtLeast(version, feature.since);
  return at === undefined ? 'unknown' : at ? 'yes' : 'no';
}

/**
 * Whether a node's containerd reads Wasm layers (runwasi's layer mode): containerd >= 1.6.25 on the 1.6 line,
 * >= 1.7.7 on the 1.7 line, any 2.x. Undefined when the runtime is not containerd or its version is not reported.
 */
export function containerdReadsWasmLayers(containerRuntimeVersion: string): boolean | undefined {
  if (!/^containerd:\/\//.test(containerRuntimeVersion)) return undefined;
  const v = parseVersion(containerRuntimeVersion);
  if (!v) return undefined;
  const [major, minor] = v;
  if (major > 1) return true;
  if (major < 1 || minor < 6) return false;
  if (minor === 6) return versionAtLeast(containerRuntimeVersion, '1.6.25')!;
  if (minor === 7) return versionAtLeast(containerRuntimeVersion, '1.7.7')!;
  return true;
}

export const wasmLayerContainerd = 'containerd >= 1.6.25 (1.6 line) or >= 1.7.7';

/** The release a shim download names (`.../download/v0.15.1/containerd-shim-spin-v2-...`), for version checks. */
export function versionFromLocation(location: string | undefined): string | undefined {
  const m = /\/v?(\d+\.\d+\.\d+)\//.exec(location ?? '');
  return m?.[1];
}

/** KWasm's node installer ships these runwasi shim releases (its image pins them); other shims: not known. */
export const kwasmShimVersions: Partial<Record<WasmShim, string>> = { wasmtime: '0.3.0' };
