/** Classifies the host a binary expects: which runtime can run it, and how. */
import type { ComponentInfo, Import, ModuleInfo } from '../binary';
import { preview1Modules } from './core-imports';
import type { ClassifyHints } from './glue';
import { parseInterfaceName } from './interfaces';
import { c, joinRich, rich, type RichText } from '../text/rich';

export type HostKind =
  | 'wasi-command'
  | 'wasi-reactor'
  | 'wit-core-module'
  | 'wasi-component-command'
  | 'wasi-http-proxy'
  | 'component-library'
  | 'emscripten'
  | 'js-glue'
  | 'no-imports'
  | 'unknown-imports';

export interface HostRequirements {
  kind: HostKind;
  /** Short name, e.g. "WASI preview1 command". */
  title: string;
  /** One or two plain sentences on what runs it. */
  summary: RichText;
  /** Which WASI the binary targets, when it targets one. */
  wasi?: 'preview0' | 'preview1' | '0.2' | '0.3';
  /** Whether a WASI runtime (wasmtime, wasmedge, this project's runner...) can run it as it is. */
  runnableByWasiRuntime: boolean;
  /** `_start`, `_initialize`, or `wasi:cli/run` when there is one. */
  entryPoint?: string;
  /** Import modules (or component import names) that no WASI host provides. */
  unknownModules: string[];
  /** The imports were renamed by a minifier (Emscripten's `a`.`b`...), so what they are cannot be read from them. */
  importsRenamed?: true;
  notes: RichText[];
}

const emscriptenImport =
  /^(emscripten_|_emscripten_|__syscall_|invoke_|_embind_|__cxa_|_abort_js$|_tzset_js$|_localtime_js$|_gmtime_js$|_mktime_js$|_mmap_js$|_munmap_js$|__assert_fail$|__handle_stack_overflow$|_setitimer_js$)/;
const wasmBindgenModules = /^(__wbindgen_placeholder__|__wbindgen_externref_xform__|wbg)$|\.js$/;
const assemblyScriptImports = new Set(['abort', 'trace', 'seed']);
/** Non-function imports from `env` are linker conventions (--import-memory, shared memory for threads). */
const isLinkerImport = (i: Import) => i.module === 'env' && i.kind !== 'func';
/** A minifier's name: one to three characters (`a`, `Ab`, `$c`). */
const minifiedName = /^[A-Za-z_$][\w$]{0,2}$/;

/**
 * Emscripten's optimised builds (-O2 and up, without STANDALONE_WASM) rename the import modules (`env` and
 * `wasi_snapshot_preview1` alike) to `a`, and every import and export to a short name; the glue maps them back.
 * A module whose every import comes from `a` under such a name, whose exports are all such names, and that has
 * a memory, has that shape.
 */
function hasMinifiedEmscriptenShape(module: ModuleInfo): boolean {
  const { imports, exports } = module;
  if (!imports.length || !imports.every((i) => i.module === 'a' && minifiedName.test(i.name))) return false;
  if (!exports.length || !exports.every((e) => minifiedName.test(e.name))) return false;
  return module.memories.length > 0 || imports.some((i) => i.kind === 'memory');
}

const emscriptenRebuild = rich`A WASI runtime cannot run it; rebuild with ${c('-sSTANDALONE_WASM')} (or use wasi-sdk) to get a WASI program.`;

export function classifyModule(module: ModuleInfo, hints: ClassifyHints = {}): HostRequirements {
  const exports = new Set(module.exports.map((e) => e.name));
  const notes: RichText[] = [];
  const funcImportsFromEnv = module.imports.filter((i) => i.module === 'env' && i.kind === 'func');
  const moduleNames = [...new Set(module.imports.filter((i) => !isLinkerImport(i)).map((i) => i.module))];
  const usesPreview1 = moduleNames.includes('wasi_snapshot_preview1');
  const usesPreview0 = moduleNames.includes('wasi_unstable');
  const wasi = usesPreview1 ? 'preview1' : usesPreview0 ? 'preview0' : undefined;
  const withWasi = <T extends object>(value: T) => (wasi ? { ...value, wasi } : value);
  const entryPoint = exports.has('_start') ? '_start' : exports.has('_initialize') ? '_initialize' : undefined;
  const withEntry = <T extends object>(value: T) => (entryPoint ? { ...value, entryPoint } : value);

  const envMemory = module.imports.find((i) => isLinkerImport(i) && i.kind === 'memory');
  if (envMemory) notes.push(rich`Imports its memory as ${c(`env.${envMemory.name}`)}: the host must create it (wasi-threads hosts do).`);
  if (module.dylink) notes.push(rich`Is a dynamic-linking side module (dylink.0): it must be loaded by a dynamic linker, not run alone.`);
  if (module.linkingVersion !== undefined)
    notes.push(rich`Is a relocatable object file (linking section): link it with wasm-ld before running.`);

  const glue = hints.glue?.toolchain === 'emscripten' ? hints.glue : undefined;
  if (glue) notes.push(rich`Its JavaScript glue is ${c(glue.name)}, beside it.`);
  const glueImports = moduleNames.filter((m) => !preview1Modules.has(m));
  if (hasMinifiedEmscriptenShape(module)) {
    return {
      kind: 'emscripten',
      title: 'Emscripten module, minified (needs its JavaScript glue)',
      summary: rich`Built by Emscripten with optimisations that rename its imports and exports: every import comes from module ${c('a')} under a short name, and only the JavaScript file emitted beside it knows what each one is. ${emscriptenRebuild}`,
      runnableByWasiRuntime: false,
      unknownModules: ['a'],
      importsRenamed: true,
      notes,
    };
  }
  // The glue beside it counts only with imports it must provide: a STANDALONE_WASM build runs in WASI runtimes too.
  const emscriptenImports =
    funcImportsFromEnv.some((i) => emscriptenImport.test(i.name)) || moduleNames.some((m) => m === 'GOT.mem' || m === 'GOT.func');
  if (emscriptenImports || (glue && glueImports.length)) {
    return {
      kind: 'emscripten',
      title: 'Emscripten module (needs its JavaScript glue)',
      summary: rich`Built by Emscripten for the web or Node.js: it imports functions from ${joinRich(
        glueImports.map((m) => c(m)),
        ', ',
      )} that only the JavaScript file emitted beside it provides. ${emscriptenRebuild}`,
      runnableByWasiRuntime: false,
      unknownModules: glueImports,
      notes,
      ...(wasi ? { wasi } : {}),
    };
  }
  if (glue) notes.push(rich`It needs nothing from the glue: a WASI runtime can run it on its own.`);
  const bindgenModules = moduleNames.filter((m) => wasmBindgenModules.test(m));
  if (bindgenModules.length) {
    return {
      kind: 'js-glue',
      title: 'wasm-bindgen module (needs its JavaScript glue)',
      summary: rich`Built by wasm-bindgen: it imports from ${joinRich(
        bindgenModules.map((m) => c(m)),
        ', ',
      )}, which only the generated JavaScript provides. A WASI runtime cannot run it; build for ${c('wasm32-wasip1')} or ${c('wasm32-wasip2')} instead.`,
      runnableByWasiRuntime: false,
      unknownModules: bindgenModules,
      notes,
    };
  }
  if (funcImportsFromEnv.length && funcImportsFromEnv.every((i) => assemblyScriptImports.has(i.name))) {
    return withWasi({
      kind: 'js-glue' as const,
      title: 'AssemblyScript module (needs its runtime imports)',
      summary: rich`Imports ${joinRich(
        funcImportsFromEnv.map((i) => c(`env.${i.name}`)),
        ', ',
      )} from the AssemblyScript loader. A WASI runtime cannot run it as it is; build with ${c('@assemblyscript/wasi-shim')} or provide those functions.`,
      runnableByWasiRuntime: false,
      unknownModules: ['env'],
      notes,
    });
  }

  const isKnownCoreModule = (name: string) =>
    preview1Modules.has(name) ||
    name === 'wasi' ||
    name === 'wasi_ephemeral_nn' ||
    name === 'wasi_nn' ||
    name === 'wasi_experimental_http' ||
    parseInterfaceName(name)?.namespace === 'wasi';
  const unknownModules = moduleNames.filter((m) => !isKnownCoreModule(m));
  if (unknownModules.length) {
    return withEntry(
      withWasi({
        kind: 'unknown-imports' as const,
        title: 'Module with host-specific imports',
        summary: rich`Imports from ${joinRich(
          unknownModules.map((m) => c(m)),
          ', ',
        )}, which no WASI runtime provides: only a host that defines ${unknownModules.length === 1 ? 'that module' : 'those modules'} can run it.`,
        runnableByWasiRuntime: false,
        unknownModules,
        notes,
      }),
    );
  }

  if (moduleNames.some((m) => parseInterfaceName(m)?.namespace === 'wasi')) {
    return withEntry({
      kind: 'wit-core-module' as const,
      title: 'Core module for a WASI 0.2 component',
      summary: rich`Imports WASI 0.2 interfaces directly (built by wit-bindgen): turn it into a component with ${c('wasm-tools component new')} before running it.`,
      wasi: '0.2' as const,
      runnableByWasiRuntime: false,
      unknownModules: [],
      notes,
    });
  }

  if (moduleNames.includes('wasi')) notes.push(rich`Starts threads with wasi-threads: the runtime must support it.`);
  const importsNothing = moduleNames.length === 0 && !envMemory;
  if (importsNothing && entryPoint === undefined) {
    return {
      kind: 'no-imports' as const,
      title: 'Module with no imports',
      summary: rich`Needs nothing from its host: any WebAssembly runtime can instantiate it and call its exports.`,
      runnableByWasiRuntime: true,
      unknownModules: [],
      notes,
    };
  }
  // A module that imports nothing but follows the WASI entry-point convention is still a command or reactor.
  const version = importsNothing ? '' : wasi === 'preview0' ? ' preview0 (wasi_unstable)' : ' preview1';
  if (importsNothing) notes.push(rich`Imports nothing, so it needs no WASI functions at all.`);
  if (exports.has('_start')) {
    return withWasi({
      kind: 'wasi-command' as const,
      title: `WASI${version} command`,
      summary: rich`A program: a WASI runtime runs its ${c('_start')} once, like a command-line tool.`,
      runnableByWasiRuntime: true,
      entryPoint: '_start',
      unknownModules: [],
      notes,
    });
  }
  return withWasi({
    kind: 'wasi-reactor' as const,
    title: `WASI${version} reactor`,
    summary: rich`A library: the host ${exports.has('_initialize') ? rich`calls ${c('_initialize')} once, then ` : ''}calls its exported functions; it has no ${c('_start')}.`,
    runnableByWasiRuntime: true,
    ...(exports.has('_initialize') ? { entryPoint: '_initialize' } : {}),
    unknownModules: [],
    notes,
  });
}

export function classifyComponent(component: ComponentInfo): HostRequirements {
  const notes: RichText[] = [];
  const names = [...component.imports.map((i) => i.name), ...component.exports.map((e) => e.name)];
  const versions = names
    .map((n) => parseInterfaceName(n))
    .filter((p) => p?.namespace === 'wasi' && p.version)
    .map((p) => p!.version!);
  const wasi: HostRequirements['wasi'] = versions.some((v) => v.startsWith('0.3')) ? '0.3' : versions.length ? '0.2' : undefined;
  const exported = component.exports.map((e) => parseInterfaceName(e.name));
  const exportsInterface = (pkg: string, iface: string) =>
    exported.some((p) => p?.namespace === 'wasi' && p.package === pkg && p.interface === iface);
  const unknownModules = component.imports
    .map((i) => i.name)
    .filter((name) => {
      const parsed = parseInterfaceName(name);
      return !parsed || (parsed.namespace !== 'wasi' && parsed.namespace !== 'fermyon' && parsed.namespace !== 'spin');
    });
  const unknownNote = unknownModules.length
    ? rich` It also imports ${joinRich(
        unknownModules.map((m) => c(m)),
        ', ',
      )}, which the host (or a composed component) must provide.`
    : [];
  const base = { unknownModules, notes, ...(wasi ? { wasi } : {}) };
  const version = wasi ?? '0.2';
  if (exportsInterface('cli', 'run')) {
    return {
      ...base,
      kind: 'wasi-component-command',
      title: `WASI ${version} component (command world)`,
      summary: rich`A program: the host calls its ${c('wasi:cli/run')} export once, like a command-line tool (${c('wasmtime run')}).${unknownNote}`,
      runnableByWasiRuntime: unknownModules.length === 0,
      entryPoint: 'wasi:cli/run',
    };
  }
  if (exportsInterface('http', 'incoming-handler') || exportsInterface('http', 'handler')) {
    return {
      ...base,
      kind: 'wasi-http-proxy',
      title: `WASI ${version} component (HTTP proxy world)`,
      summary: rich`An HTTP handler: a server such as ${c('wasmtime serve')} or Spin calls it for every request.${unknownNote}`,
      runnableByWasiRuntime: unknownModules.length === 0,
    };
  }
  return {
    ...base,
    kind: 'component-library',
    title: 'Component library',
    summary: rich`Exports ${
      component.exports.length
        ? joinRich(
            component.exports.map((e) => c(e.name)),
            ', ',
          )
        : 'nothing'
    } for other components or a host to call; it has no entry point of its own. Compose it into an application or call it from a host.${unknownNote}`,
    runnableByWasiRuntime: false,
  };
}
