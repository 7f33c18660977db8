/** The shapes every part of building shares: a detected project, the options that locate toolchains, a plan. */

export type BuildLanguage = 'c' | 'rust' | 'assemblyscript' | 'javascript' | 'go';

export const languageNames: Record<BuildLanguage, string> = {
  c: 'C/C++',
  rust: 'Rust',
  assemblyscript: 'AssemblyScript',
  javascript: 'JavaScript component',
  go: 'Go',
};

/** A folder that builds to Wasm, found by `detectProjects`. Paths are absolute. */
export interface BuildProject {
  /** Unique within one scan: the folder relative to the scanned root (POSIX separators), or the root's own name. */
  name: string;
  language: BuildLanguage;
  dir: string;
  /** The file that identified the project (Cargo.toml, asconfig.json, go.mod, package.json), or the first C source. */
  manifest: string;
  /** C/C++: the sources in the folder. JavaScript: the entry module. */
  sources: string[];
  /** AssemblyScript: the asconfig.json targets, default first. Empty when the project has none. */
  targets: string[];
  /** Rust: `[package.metadata.component]` (the cargo-component convention): the output is a component. */
  component: boolean;
}

/** Where the toolchains are. Each path may be a bare command name (looked up on PATH) or a path to the binary. */
export interface BuildOptions {
  clangPath?: string;
  /** A WASI sysroot (wasi-sdk's share/wasi-sysroot). Empty: clang's own default (Debian's wasi-libc is found there). */
  wasiSysroot?: string;
  /** Extra clang arguments, after the optimisation flags. */
  cflags?: string[];
  cargoPath?: string;
  /** `auto` (default) picks the best WASI target the toolchain has installed. */
  rustTarget?: string;
  ascPath?: string;
  goPath?: string;
  tinygoPath?: string;
  componentizeJsPath?: string;
  /** The WASI preview1 command adapter (wasi_snapshot_preview1.command.wasm) that turns a Rust module into a component. */
  wasiAdapterPath?: string;
  /** Folders searched for the adapter when wasiAdapterPath is empty (the CLI and the extension pass their own). */
  adapterSearchPaths?: string[];
  /** Optimised build (default true): cargo --release, clang -O2, the asconfig `release` target first. */
  release?: boolean;
  /** For tests and hints; default: the running process's. */
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

/** The option that names a toolchain's path: the CLI flag and the editor setting are derived from it. */
export type ToolOption =
  'clangPath' | 'wasiSysroot' | 'cargoPath' | 'rustTarget' | 'ascPath' | 'goPath' | 'tinygoPath' | 'componentizeJsPath' | 'wasiAdapterPath';

/** Runs a program; `env` holds only the variables set on top of the caller's environment. */
export interface ProcessStep {
  kind: 'process';
  program: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** Turns a WASI preview1 module into a component with wasm-tools and the preview1 command adapter (in-process). */
export interface ComponentStep {
  kind: 'component';
  module: string;
  adapter: string;
  output: string;
}

export type BuildStep = ProcessStep | ComponentStep;

/** Which contributed problem matcher reads the output of a plan's compiler. */
export type ProblemMatcherName = 'clang' | 'rustc' | 'asc' | 'go';

export interface BuildPlan {
  project: BuildProject;
  /** What is built: a Rust or clang target triple, an asconfig target, `wasip1` for Go. */
  target: string;
  /** The toolchain that will run, for people: `rustc 1.63.0 (/usr/bin/rustc)`. */
  toolchain: string;
  steps: BuildStep[];
  /** The .wasm files the build is expected to produce (absolute). */
  outputs: string[];
  problemMatcher?: ProblemMatcherName;
}

/** Why a project cannot be built here, and what to do about it. */
export interface ToolchainProblem {
  kind: 'missing-toolchain' | 'missing-target' | 'unsupported-version';
  /** The tool at fault, e.g. `clang`, `rustc`, `asc`. */
  tool: string;
  /** One or two sentences: what was looked for and what is wrong. */
  message: string;
  /** What to run or install on this platform. */
  hint: string;
  /** The option to set when the toolchain is installed somewhere else. */
  option: ToolOption;
}

export type PlanResult =
  { ok: true; project: BuildProject; plan: BuildPlan } | { ok: false; project: BuildProject; problem: ToolchainProblem };
