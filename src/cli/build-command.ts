/** `wasm-workbench build`: find the projects in a folder, check their toolchains, and build them. */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
  createProbe,
  detectProjects,
  formatStep,
  installedAdapterFolders,
  languageNames,
  planBuild,
  runBuild,
  type BuildOptions,
  type BuildPlan,
  type BuildProject,
  type PlanResult,
  type ToolOption,
} from '../core/build';
import { CliError, ExitCode } from './errors';
import { parse, printHelp, type Command } from './options';

/** The flag that sets each toolchain option (the editor's settings have the option's own name). */
const optionFlags: Record<ToolOption, string> = {
  clangPath: 'clang',
  wasiSysroot: 'wasi-sysroot',
  cargoPath: 'cargo',
  rustTarget: 'rust-target',
  ascPath: 'asc',
  goPath: 'go',
  tinygoPath: 'tinygo',
  componentizeJsPath: 'componentize-js',
  wasiAdapterPath: 'wasi-adapter',
};

export const build: Command = {
  summary: 'Build the Wasm projects in a folder (Rust, C/C++, AssemblyScript, Go, JavaScript components)',
  usage: 'wasm-workbench build [DIR] [--project NAME] [--target T] [--list] [--debug] [--clang PATH] [--cargo PATH] ...',
  help: `Finds the projects under DIR (default: the current folder) and builds them to .wasm:
  Rust (Cargo.toml)                 cargo build --target wasm32-wasip1 (or wasm32-wasi, wasm32-wasip2)
  C/C++ (a folder of sources)       clang --target=wasm32-wasi
  AssemblyScript (asconfig.json)    asc --target <asconfig target>
  Go (go.mod)                       GOOS=wasip1 GOARCH=wasm go build (Go 1.21+), or tinygo -target=wasip1
  JavaScript (package.json + wit/)  componentize-js
Each toolchain is checked first; a missing one is reported with what to install.

Options:
  --project NAME        build only this project (its folder relative to DIR, or the folder's name)
  --target T            asconfig target for AssemblyScript, or a Rust target triple
  --list                list the projects and whether their toolchains are ready; build nothing
  --debug               unoptimised build (cargo without --release, clang -O0 -g, asconfig "debug")
  --clang PATH          clang to use (default: clang on PATH)
  --wasi-sysroot DIR    WASI sysroot for clang (wasi-sdk's share/wasi-sysroot)
  --cargo PATH          cargo to use (default: the first toolchain with a WASI target installed)
  --rust-target T       Rust target (default: auto)
  --asc PATH            AssemblyScript compiler (default: node_modules/.bin/asc)
  --go PATH, --tinygo PATH, --componentize-js PATH
  --wasi-adapter FILE   WASI preview1 command adapter, for Rust component projects
  -h, --help            show this help

Exit codes: 0 built, 1 a build failed, 2 bad input or a missing toolchain (the message says what to install).`,
  async run(argv, out) {
    const spec = {
      project: { type: 'string' as const },
      target: { type: 'string' as const },
      list: { type: 'boolean' as const },
      debug: { type: 'boolean' as const },
      ...Object.fromEntries(Object.values(optionFlags).map((flag) => [flag, { type: 'string' as const }])),
    };
    const { values, positionals } = parse(argv, spec, this.usage);
    if (values.help) return printHelp(this, out);
    if (positionals.length > 1) throw new CliError(`expected at most one DIR, got ${positionals.length}\nusage: ${this.usage}`);
    const root = resolve(positionals[0] ?? '.');
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new CliError(`${positionals[0] ?? '.'}: no such folder`);

    const options: BuildOptions = { release: !values.debug, adapterSearchPaths: adapterFolders() };
    for (const [option, flag] of Object.entries(optionFlags) as [ToolOption, string][]) {
      if (typeof values[flag] === 'string') options[option] = values[flag] as string;
    }

    const all = detectProjects(root);
    if (!all.length) {
      throw new CliError(
        `no project to build under ${root}: looked for Cargo.toml, asconfig.json, go.mod, package.json with a wit/ folder, and folders of C/C++ sources`,
      );
    }
    const projects = typeof values.project === 'string' ? selectProjects(all, root, values.project) : all;
    const target = typeof values.target === 'string' ? values.target : undefined;
    const probe = createProbe(options);
    const plans: PlanResult[] = [];
    for (const project of projects) plans.push(await planBuild(project, options, { probe, ...(target ? { target } : {}) }));

    if (values.list) {
      for (const result of plans) out.write(listLine(result, root));
      return ExitCode.ok;
    }

    let missing = 0;
    for (const result of plans) {
      if (result.ok) continue;
      missing++;
      const { problem } = result;
      out.write(
        `[${result.project.name}] cannot build: ${problem.message}\n  ${problem.hint} (option: --${optionFlags[problem.option]})\n`,
      );
    }
    const failed: string[] = [];
    for (const result of plans) {
      if (result.ok && !(await buildOne(result.plan, root, out))) failed.push(result.project.name);
    }
    if (failed.length) throw new CliError(`build failed: ${failed.join(', ')}`, 'failed');
    if (missing) {
      const names = plans.filter((r) => !r.ok).map((r) => r.project.name);
      throw new CliError(`missing toolchain for ${names.join(', ')} (see above for what to install)`, 'input');
    }
    return ExitCode.ok;
  },
};

async function buildOne(plan: BuildPlan, root: string, out: NodeJS.WritableStream): Promise<boolean> {
  const tag = `[${plan.project.name}]`;
  out.write(`${tag} ${languageNames[plan.project.language]}, ${plan.target}, with ${plan.toolchain}\n`);
  const result = await runBuild(plan, {
    onStep: (step) =>
      out.write(
        `${tag} $ ${step.kind === 'process' && step.cwd !== root ? `cd ${relative(root, step.cwd) || '.'} && ` : ''}${formatStep(step, plan.project.dir)}\n`,
      ),
    onOutput: (text) => out.write(text),
  });
  const seconds = (result.durationMs / 1000).toFixed(1);
  if (result.exitCode !== 0) {
    out.write(
      `${tag} failed${result.exitCode > 0 ? ` with exit code ${result.exitCode}` : ''}${result.error ? `: ${result.error}` : ''} after ${seconds} s\n`,
    );
    return false;
  }
  for (const file of result.outputs) out.write(`${tag} built ${relative(root, file)} (${statSync(file).size} bytes) in ${seconds} s\n`);
  for (const file of result.missing) out.write(`${tag} expected ${relative(root, file)}, but the build did not write it\n`);
  return result.ok;
}

function listLine(result: PlanResult, root: string): string {
  const { project } = result;
  const head = `${project.name}\t${languageNames[project.language]}\t${relative(root, project.manifest)}`;
  if (!result.ok) return `${head}\tmissing: ${result.problem.message} ${result.problem.hint}\n`;
  const targets = project.targets.length > 1 ? ` (targets: ${project.targets.join(', ')})` : '';
  return `${head}\tready: ${result.plan.toolchain}, ${result.plan.target}${targets} → ${result.plan.outputs.map((o) => relative(root, o)).join(', ')}\n`;
}

function selectProjects(all: BuildProject[], root: string, wanted: string): BuildProject[] {
  const path = resolve(root, wanted);
  const chosen = all.filter((p) => p.name === wanted || p.dir === path || basename(p.dir) === wanted || p.name.startsWith(`${wanted} (`));
  if (!chosen.length) throw new CliError(`no project named ${wanted} under ${root}; there are: ${all.map((p) => p.name).join(', ')}`);
  return chosen;
}

/** The WASI adapters: WASI_ADAPTERS_DIR, this installation's own (seen from dist/cli.js), or a checkout's in the current folder. */
function adapterFolders(): string[] {
  const fromEnv = process.env.WASI_ADAPTERS_DIR;
  return [...(fromEnv ? [fromEnv] : []), ...installedAdapterFolders(dirname(__dirname)), join(process.cwd(), '.tools', 'adapters')];
}
