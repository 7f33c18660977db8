/**
 * Rust with cargo. Several toolchains often sit side by side (rustup's in ~/.cargo/bin, the distribution's in
 * /usr/bin) and only some have a WASI standard library, so each candidate is asked which targets it knows
 * (`rustc --print target-list`) and which it has installed (`<sysroot>/lib/rustlib/<target>`), and the first
 * that can build is used. Cargo gets that toolchain's rustc through RUSTC, since Debian's cargo would
 * otherwise run whichever rustc comes first on PATH.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseCargoManifest, type CargoManifest } from '../cargo-toml';
import { BuildInputError } from '../errors';
import { platformHint, rustHints } from '../hints';
import type { BuildOptions, BuildPlan, BuildProject, BuildStep, PlanResult, ToolchainProblem } from '../model';
import { describeTool, findExecutable, firstLine, lookedFor, realPath, sibling, type Probe, type ToolEnv } from '../tools';
import { adapterHint, commandAdapterName, findAdapter } from '../adapter';
import { errorMessage } from '../../errors';

/** WASI targets by rustc's names: wasm32-wasip1 (1.78+), wasm32-wasi (before 1.84), wasm32-wasip2 (components). */
const moduleTargets = ['wasm32-wasip1', 'wasm32-wasi'];
const componentTarget = 'wasm32-wasip2';

interface RustToolchain {
  cargo: string;
  rustc: string;
  versionLine: string;
  known: string[];
  installed: string[];
  rustup: boolean;
}

type Candidate = { cargo: string; toolchain?: RustToolchain; problem?: string };

export async function planRust(project: BuildProject, options: BuildOptions, probe: Probe): Promise<PlanResult> {
  const tools = probe.tools;
  const requested = options.rustTarget && options.rustTarget !== 'auto' ? options.rustTarget : undefined;
  const candidates = await rustCandidates(options, probe);
  const fail = (problem: Omit<ToolchainProblem, 'option'>): PlanResult => ({
    ok: false,
    project,
    problem: { ...problem, option: problem.kind === 'missing-target' && requested ? 'rustTarget' : 'cargoPath' },
  });

  for (const candidate of candidates) {
    const toolchain = candidate.toolchain;
    if (!toolchain) continue;
    const target = pickTarget(toolchain, project.component, requested);
    if (!target) continue;
    if (project.component && target !== componentTarget && !findAdapter(options)) {
      const where = options.wasiAdapterPath
        ? `${options.wasiAdapterPath} does not exist`
        : `no ${commandAdapterName} in ${(options.adapterSearchPaths ?? []).join(', ') || 'the known folders'}`;
      return {
        ok: false,
        project,
        problem: {
          kind: 'missing-toolchain',
          tool: 'WASI adapter',
          option: 'wasiAdapterPath',
          message: `${project.name} is a component project and ${describeTool('rustc', toolchain.versionLine, toolchain.rustc)} has no ${componentTarget} target, so its ${target} module must be adapted with the WASI preview1 command adapter: ${where}.`,
          hint: adapterHint(),
        },
      };
    }
    return { ok: true, project, plan: rustPlan(project, options, toolchain, target, tools) };
  }

  const usable = candidates.find((c) => c.toolchain)?.toolchain;
  if (!usable) {
    const why = candidates.length ? candidates.map((c) => c.problem).join('; ') : lookedFor(options.cargoPath || 'cargo');
    return fail({
      kind: 'missing-toolchain',
      tool: 'cargo',
      message: `No Rust toolchain was found (${why}).`,
      hint: platformHint(rustHints('wasm32-wasip1'), tools.platform),
    });
  }
  // The best target to ask for: what the user chose, else the newest WASI target the toolchain knows.
  const wanted =
    requested ??
    [...(project.component ? [componentTarget] : []), ...moduleTargets].find((t) => usable.known.includes(t)) ??
    'wasm32-wasip1';
  const others = candidates
    .filter((c) => c.toolchain && c.toolchain !== usable)
    .map((c) => describeTool('rustc', c.toolchain!.versionLine, c.toolchain!.rustc));
  const also = others.length ? ` Also checked: ${others.join(', ')}, without a WASI target either.` : '';
  const known = usable.known.includes(wanted);
  const message = known
    ? `The Rust target ${wanted} is not installed for ${describeTool('rustc', usable.versionLine, usable.rustc)}.${also}`
    : `${describeTool('rustc', usable.versionLine, usable.rustc)} does not know the target ${wanted}.${also}`;
  const fix = usable.rustup
    ? `Run \`rustup target add ${wanted}\` (or on Debian: \`apt install libstd-rust-dev-wasm32\`, which provides wasm32-wasi for Debian's rustc).`
    : platformHint(rustHints(wanted), tools.platform);
  return fail({ kind: 'missing-target', tool: 'rustc', message, hint: fix });
}

/** The toolchains to try, in order: the configured cargo only, or PATH's cargo and then the usual places. */
async function rustCandidates(options: BuildOptions, probe: Probe): Promise<Candidate[]> {
  const tools = probe.tools;
  const paths: string[] = [];
  if (options.cargoPath) {
    const found = findExecutable(options.cargoPath, tools);
    if (!found) return [{ cargo: options.cargoPath, problem: `cargo: ${lookedFor(options.cargoPath)}` }];
    paths.push(found);
  } else {
    for (const c of [
      'cargo',
      join(tools.homeDir, '.cargo', 'bin', 'cargo'),
      '/usr/bin/cargo',
      '/usr/local/bin/cargo',
      '/opt/homebrew/bin/cargo',
    ]) {
      const found = findExecutable(c, tools);
      if (found && !paths.some((p) => realPath(p) === realPath(found) && dirname(p) === dirname(found))) paths.push(found);
    }
  }
  const seen = new Set<string>();
  const result: Candidate[] = [];
  for (const cargo of paths) {
    if (seen.has(cargo)) continue;
    seen.add(cargo);
    result.push(await describeToolchain(cargo, probe, tools));
  }
  return result;
}

async function describeToolchain(cargo: string, probe: Probe, tools: ToolEnv): Promise<Candidate> {
  const rustc = sibling(cargo, 'rustc', tools) ?? findExecutable('rustc', tools);
  if (!rustc) return { cargo, problem: `no rustc next to ${cargo} or on PATH` };
  const version = await probe.run(rustc, ['--version']);
  if (!version.ok) return { cargo, problem: `${rustc} --version failed: ${version.error ?? firstLine(version.stderr)}` };
  const list = await probe.run(rustc, ['--print', 'target-list']);
  const sysroot = await probe.run(rustc, ['--print', 'sysroot']);
  const known = list.stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((t) => t.startsWith('wasm'));
  const rustlib = join(sysroot.stdout.trim(), 'lib', 'rustlib');
  // A target's standard library is installed when its rustlib folder has a lib/ with the crates in it.
  const installed = sysroot.ok ? known.filter((t) => hasStd(join(rustlib, t, 'lib'))) : [];
  return {
    cargo,
    toolchain: { cargo, rustc, versionLine: firstLine(version.stdout), known, installed, rustup: Boolean(sibling(cargo, 'rustup', tools)) },
  };
}

function hasStd(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.startsWith('libstd'));
  } catch {
    return false;
  }
}

function pickTarget(toolchain: RustToolchain, component: boolean, requested: string | undefined): string | undefined {
  if (requested) return toolchain.installed.includes(requested) ? requested : undefined;
  // A component project prefers wasip2, which rustc links into a component itself; otherwise a preview1
  // module (adapted into a component afterwards when the project wants one).
  const order = component ? [componentTarget, ...moduleTargets] : [...moduleTargets, componentTarget];
  return order.find((t) => toolchain.installed.includes(t));
}

function rustPlan(project: BuildProject, options: BuildOptions, toolchain: RustToolchain, target: string, tools: ToolEnv): BuildPlan {
  const manifest = readManifest(project);
  const release = options.release ?? true;
  const profileDir = join(targetDir(project, tools), target, release ? 'release' : 'debug');
  const modules = artifactNames(project, manifest).map((n) => join(profileDir, `${n}.wasm`));
  const steps: BuildStep[] = [
    {
      kind: 'process',
      program: toolchain.cargo,
      args: ['build', '--target', target, ...(release ? ['--release'] : [])],
      cwd: project.dir,
      env: { RUSTC: toolchain.rustc },
    },
  ];
  let outputs = modules;
  // A component wanted from a preview1 target: adapt each module with the preview1 command adapter.
  if (project.component && target !== componentTarget) {
    const adapter = findAdapter(options)!; // checked by planRust
    outputs = modules.map((m) => m.replace(/\.wasm$/, '.component.wasm'));
    modules.forEach((module, i) => steps.push({ kind: 'component', module, adapter, output: outputs[i]! }));
  }
  return {
    project,
    target,
    toolchain: describeTool('rustc', toolchain.versionLine, toolchain.rustc),
    steps,
    outputs,
    problemMatcher: 'rustc',
  };
}

function readManifest(project: BuildProject): CargoManifest {
  try {
    return parseCargoManifest(readFileSync(project.manifest, 'utf8'));
  } catch (error) {
    throw new BuildInputError(`${project.manifest}: cannot read it (${errorMessage(error)})`, { cause: error });
  }
}

/** Cargo's output names: every binary (explicit, src/main.rs, src/bin/*), and a cdylib library. */
function artifactNames(project: BuildProject, manifest: CargoManifest): string[] {
  const names = new Set(manifest.bins);
  const pkg = manifest.packageName ?? 'main';
  if (existsSync(join(project.dir, 'src', 'main.rs'))) names.add(pkg);
  try {
    for (const entry of readdirSync(join(project.dir, 'src', 'bin'), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.rs')) names.add(entry.name.slice(0, -3));
      else if (entry.isDirectory() && existsSync(join(project.dir, 'src', 'bin', entry.name, 'main.rs'))) names.add(entry.name);
    }
  } catch {
    // no src/bin
  }
  // Library artifacts take the crate name, in which cargo turns `-` into `_`.
  if (manifest.libCrateTypes.includes('cdylib')) names.add((manifest.libName ?? pkg).replace(/-/g, '_'));
  return [...names];
}

/** CARGO_TARGET_DIR, else `target/` of the enclosing workspace (the nearest Cargo.toml with [workspace]), else the package's. */
function targetDir(project: BuildProject, tools: ToolEnv): string {
  const fromEnv = tools.env.CARGO_TARGET_DIR;
  if (fromEnv) return resolve(project.dir, fromEnv);
  for (let dir = project.dir; ; dir = dirname(dir)) {
    try {
      if (parseCargoManifest(readFileSync(join(dir, 'Cargo.toml'), 'utf8')).workspace) return join(dir, 'target');
    } catch {
      // no manifest at this level
    }
    if (dirname(dir) === dir) return join(project.dir, 'target');
  }
}
