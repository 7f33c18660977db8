/**
 * Runs a WASI 0.2 component: transpiled to JavaScript by jco once per binary (cached by its hash, filled before
 * the guest's process starts), its core modules compiled under the memory budget, and linked to this project's
 * WASI 0.2 host (../wasi/preview2.ts).
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { memorySource, readBinary, type ModuleInfo } from '../../binary';
import { coreInstanceCounts } from '../core-instances';
import { applyMemoryCaps, applyTableLimit, demandOf, InstanceBudget, MemoryLimitError, planMemoryBudget } from '../memory-cap';
import type { ChildMessage, ChildPlan } from '../protocol';
import { exitCodeFor } from '../types';
import { createPreview2Host, type ImportObject } from '../wasi/preview2';
import { trapMessage } from './preview1';
import { finish, refusals } from './report';
import { errorMessage } from '../../errors';

type End = Omit<ChildMessage & { type: 'end' }, 'type' | 'refusals'>;

export async function runComponent(plan: ChildPlan): Promise<End> {
  const failed = (message: string): End => ({ end: 'failed', exitCode: exitCodeFor.failed, message });
  // The supervisor filled the cache and checked the transpiler; here the entry is only checked to be whole.
  const entry = plan.componentDir ? await readEntry(plan.componentDir) : undefined;
  if (!entry) return failed('its transpiled code is missing from the cache (the runner prepares it before a run): run it again');

  // One budget over the memories and tables of every core module, and every instance of them.
  const counts = coreInstanceCounts(new Uint8Array(await readFile(plan.file)));
  const demands = await Promise.all(
    [...entry.modules].map(async ([name, module]) => ({
      ...demandOf(name, (await readBinary(memorySource(module))) as ModuleInfo),
      instances: instancesOf(name, counts),
    })),
  );
  let budget;
  try {
    budget = planMemoryBudget(demands, plan.limits.maxMemoryBytes);
  } catch (error) {
    if (error instanceof MemoryLimitError) return failed(error.message);
    throw error;
  }
  applyTableLimit(budget);
  const instances = new InstanceBudget(budget);
  const names = new Map<WebAssembly.Module, string>();
  // preview1 functions the program imports through the preview1 adapter (none in a native 0.2 component).
  const adapted = new Set<string>();
  const getCoreModule = async (name: string) => {
    // jco asks for each core module by file name: every one is compiled here, with its memories capped.
    const module = await WebAssembly.compile(await applyMemoryCaps(entry.modules.get(name)!, name, budget));
    for (const imported of WebAssembly.Module.imports(module)) if (imported.module === 'wasi_snapshot_preview1') adapted.add(imported.name);
    names.set(module, name);
    return module;
  };
  const instantiateCore = (module: WebAssembly.Module, imports?: WebAssembly.Imports) => {
    instances.reserve(names.get(module) ?? '');
    return WebAssembly.instantiate(module, imports);
  };

  const host = createPreview2Host({
    args: [plan.program, ...plan.grants.args],
    env: plan.grants.env,
    grants: plan.grants.dirs,
    ...(plan.layer ? { layer: plan.layer } : {}),
    refuse: (access) => refusals.record(access),
    exit: (code) => {
      // The adapter lists the granted directories for every program: "none granted" explains a failure only
      // when the program opens files (a native component lists them only when it wants a file).
      if (code !== 0 && (adapted.size === 0 || adapted.has('path_open'))) for (const hint of host.hints) refusals.record(hint);
      return finish({ end: 'exited', exitCode: code });
    },
  });
  const { instantiate } = (await import(pathToFileURL(join(entry.dir, JS_FILE)).href)) as GeneratedModule;
  let exports: Record<string, unknown>;
  try {
    exports = await instantiate(getCoreModule, host.imports, instantiateCore);
  } catch (error) {
    if (error instanceof MemoryLimitError) return failed(error.message);
    const trap = trapMessage(error);
    if (trap !== undefined) return { end: 'trapped', exitCode: exitCodeFor.trapped, message: `trap: ${trap}` };
    return failed(`could not instantiate: ${messageOf(error)}`);
  }
  const run = Object.entries(exports).find(([name]) => /^wasi:cli\/run@0\.2\./.test(name) || name === 'run')?.[1] as
    { run(): void } | undefined;
  if (!run || typeof run.run !== 'function') return failed('it exports no wasi:cli/run@0.2 interface to call');
  try {
    run.run();
    return { end: 'exited', exitCode: 0 };
  } catch (error) {
    const trap = trapMessage(error);
    if (trap !== undefined) return { end: 'trapped', exitCode: exitCodeFor.trapped, message: `trap: ${trap}` };
    // jco throws a `result`'s error payload as is: run returned err, which is exit code 1 (as `exit(err)`).
    if (!(error instanceof Error)) {
      if (adapted.size === 0 || adapted.has('path_open')) for (const hint of host.hints) refusals.record(hint);
      return { end: 'exited', exitCode: 1 };
    }
    throw error;
  }
}

/**
 * jco names a component's core modules by their index (component.core.wasm, component.core2.wasm, ...); a module
 * never instantiated still gets its memory planned once, and unknown counts mean one instance each.
 */
function instancesOf(name: string, counts: number[] | undefined): number {
  const match = /\.core(\d*)\.wasm$/.exec(name);
  if (!counts || !match) return 1;
  const index = match[1] ? Number(match[1]) - 1 : 0;
  return Math.max(1, counts[index] ?? 1);
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}

// ---------------------------------------------------------------------------------------------
// The transpile cache: <cacheDir>/components/<sha256 of the binary>/ holds jco's output and a manifest with
// the hash of every file. An entry is written in a temporary directory and renamed into place, so a reader
// sees a whole entry or none, and concurrent runs of the same binary are safe. An entry that does not match
// its manifest (or was made by another transpiler) is rebuilt.

const JS_FILE = 'component.mjs';
const MANIFEST = 'manifest.json';
/** Bump when the transpile options or what the host expects of the output change. */
const FORMAT = 1;

interface GeneratedModule {
  instantiate(
    getCoreModule: (name: string) => Promise<WebAssembly.Module>,
    imports: ImportObject,
    instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
  ): Promise<Record<string, unknown>>;
}

interface Manifest {
  transpiler: string;
  /** The interfaces the generated code asks for, as jco names them (without versions). */
  imports: string[];
  /** sha256 of each file. */
  files: Record<string, string>;
}

interface CacheEntry {
  dir: string;
  imports: string[];
  /** Core modules by the name jco asks for them. */
  modules: Map<string, Uint8Array>;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

// jco-transpile's version, written in by the build (the packaged extension carries it bundled, without its package.json).
declare const JCO_TRANSPILE_VERSION: string;

/** jco-transpile's version and our format: a new transpiler does not reuse an old transpiler's output. */
function transpiler(): string {
  return `jco-transpile@${JCO_TRANSPILE_VERSION}/${FORMAT}`;
}

/** The cached transpilation of `bytes`, made first when there is none (or a broken one). */
export async function transpiled(bytes: Uint8Array, cacheDir: string): Promise<CacheEntry> {
  const root = join(cacheDir, 'components');
  const dir = join(root, sha256(bytes));
  const id = transpiler();
  const cached = await readEntry(dir, id);
  if (cached) return cached;

  const files = await transpile(bytes);
  await mkdir(root, { recursive: true });
  await removeStale(root);
  const temp = await mkdtemp(join(root, '.tmp-'));
  const manifest: Manifest = { transpiler: id, imports: files.imports, files: {} };
  for (const [name, content] of Object.entries(files.files)) {
    await writeFile(join(temp, name), content);
    manifest.files[name] = sha256(content);
  }
  await writeFile(join(temp, MANIFEST), JSON.stringify(manifest, null, 2));
  await install(temp, dir, id);
  const entry = await readEntry(dir, id);
  if (!entry) throw new Error(`the transpiled component in ${dir} could not be read back`);
  return entry;
}

async function transpile(bytes: Uint8Array): Promise<{ files: Record<string, Uint8Array>; imports: string[] }> {
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  let result;
  try {
    result = await transpileBytes(bytes, {
      name: 'component',
      // instantiate(getCoreModule, imports): the host supplies every import, and compiles every core module.
      instantiation: 'async',
      // Never inline a core module as base64: each must pass through getCoreModule and the memory cap.
      base64Cutoff: 0,
      emitTypescriptDeclarations: false,
    });
  } catch (error) {
    throw new Error(`jco could not transpile it: ${messageOf(error)}`);
  }
  const files: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(result.files)) {
    // An .mjs name makes Node load it as an ES module without a package.json beside it.
    files[name === 'component.js' ? JS_FILE : name] = content;
  }
  if (!files[JS_FILE]) throw new Error('jco produced no component.js');
  return { files, imports: result.imports };
}

/** The entry in `dir` if it is whole: a manifest (from transpiler `id`, when given), and every file with its hash. */
async function readEntry(dir: string, id?: string): Promise<CacheEntry | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
    if ((id !== undefined && manifest.transpiler !== id) || !manifest.files[JS_FILE]) return undefined;
    const modules = new Map<string, Uint8Array>();
    for (const [name, hash] of Object.entries(manifest.files)) {
      const content = new Uint8Array(await readFile(join(dir, name)));
      if (sha256(content) !== hash) return undefined;
      if (name.endsWith('.wasm')) modules.set(name, content);
    }
    return { dir, imports: manifest.imports, modules };
  } catch {
    return undefined;
  }
}

/** Renames the finished `temp` to `dir`, replacing a broken entry; another run's whole entry is kept. */
async function install(temp: string, dir: string, id: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await rename(temp, dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
    // Something is there: a concurrent run's entry (whole: use it), or a broken one (move it away first).
    if (await readEntry(dir, id)) break;
    const broken = `${temp}.broken`;
    await rename(dir, broken).then(
      () => rm(broken, { recursive: true, force: true }),
      () => undefined,
    );
  }
  await rm(temp, { recursive: true, force: true });
}

/** Temporary directories left by runs that died while transpiling (an hour is far longer than a transpile). */
async function removeStale(root: string): Promise<void> {
  for (const name of await readdir(root)) {
    if (!name.startsWith('.tmp-')) continue;
    const path = join(root, name);
    const info = await stat(path).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 3_600_000) await rm(path, { recursive: true, force: true });
  }
}
