/**
 * Finds the projects in a folder tree that build to Wasm. Looks at file names (and reads a manifest only
 * when its contents decide something), skips dependency and output folders, and stops at fixed limits so a
 * huge workspace costs a bounded walk.
 */
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { parseCargoManifest } from './cargo-toml';
import type { BuildLanguage, BuildProject } from './model';

/** Dependencies, build outputs and tool state: never projects of their own. */
const skippedDirs = new Set([
  'node_modules',
  'target',
  'build',
  'dist',
  'out',
  'bin',
  'obj',
  'vendor',
  '__pycache__',
  'zig-out',
  'zig-cache',
]);
/** Any of these means the folder's C files belong to another build system, which we do not drive. */
const otherBuildSystems = [
  'Makefile',
  'makefile',
  'GNUmakefile',
  'CMakeLists.txt',
  'meson.build',
  'configure',
  'build.zig',
  'BUILD',
  'BUILD.bazel',
  'SConstruct',
];
const cSource = /\.(c|cc|cpp|cxx)$/i;
const jsEntryCandidates = ['src/index.js', 'index.js', 'src/app.js', 'app.js', 'src/index.mjs', 'index.mjs'];

export interface DetectOptions {
  /** How many folder levels below the root are searched (default 6). */
  maxDepth?: number;
  /** Stop after this many folders (default 5000). */
  maxFolders?: number;
}

export function detectProjects(root: string, options: DetectOptions = {}): BuildProject[] {
  const maxDepth = options.maxDepth ?? 6;
  let budget = options.maxFolders ?? 5000;
  const found: BuildProject[] = [];

  const visit = (dir: string, depth: number, insideProject: boolean) => {
    if (budget-- <= 0) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: not ours to report
    }
    const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    const here = projectsIn(dir, files, insideProject);
    found.push(...here.map((p) => ({ ...p, name: '' })));
    if (depth >= maxDepth) return;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || skippedDirs.has(entry.name)) continue;
      visit(join(dir, entry.name), depth + 1, insideProject || here.some((p) => p.language !== 'c'));
    }
  };
  visit(root, 0, false);
  return nameProjects(root, found);
}

/** Projects whose files are directly in `dir`. */
function projectsIn(dir: string, files: Set<string>, insideProject: boolean): BuildProject[] {
  const projects: BuildProject[] = [];
  const project = (language: BuildLanguage, manifest: string, extra: Partial<BuildProject> = {}): BuildProject => ({
    name: '',
    language,
    dir,
    manifest: join(dir, manifest),
    sources: [],
    targets: [],
    component: false,
    ...extra,
  });

  if (files.has('Cargo.toml')) {
    const manifest = readText(join(dir, 'Cargo.toml'));
    const cargo = manifest === undefined ? undefined : parseCargoManifest(manifest);
    // A workspace-only manifest has no package: its members are found as the walk goes on.
    if (cargo?.packageName) projects.push(project('rust', 'Cargo.toml', { component: cargo.component }));
  }
  if (files.has('go.mod')) projects.push(project('go', 'go.mod'));
  if (files.has('asconfig.json'))
    projects.push(project('assemblyscript', 'asconfig.json', { targets: asconfigTargets(join(dir, 'asconfig.json')) }));
  if (files.has('package.json') && !files.has('asconfig.json')) {
    const entry = jsComponentEntry(dir);
    if (entry) projects.push(project('javascript', 'package.json', { sources: [entry] }));
  }
  const buildSystem = projects.length > 0 || otherBuildSystems.some((f) => files.has(f)) || files.has('package.json');
  if (!buildSystem && !insideProject) {
    const sources = [...files].filter((f) => cSource.test(f)).sort();
    if (sources.length) projects.push(project('c', sources[0]!, { sources: sources.map((f) => join(dir, f)) }));
  }
  return projects;
}

/** A JavaScript component: package.json, a `wit/` folder with .wit files, and an entry module. */
function jsComponentEntry(dir: string): string | undefined {
  const witDir = join(dir, 'wit');
  let hasWit = false;
  try {
    hasWit = readdirSync(witDir).some((f) => extname(f) === '.wit');
  } catch {
    return undefined;
  }
  if (!hasWit) return undefined;
  const pkg = readJson(join(dir, 'package.json')) as { main?: unknown } | undefined;
  const candidates = typeof pkg?.main === 'string' ? [pkg.main, ...jsEntryCandidates] : jsEntryCandidates;
  const entry = candidates.find((c) => existsSync(join(dir, c)));
  return entry ? join(dir, entry) : undefined;
}

/** asconfig.json target names, `release` first when there is one (the default of `asc --target`). */
export function asconfigTargets(file: string): string[] {
  const config = readJson(file) as { targets?: Record<string, unknown> } | undefined;
  const names = config?.targets && typeof config.targets === 'object' ? Object.keys(config.targets) : [];
  return names.includes('release') ? ['release', ...names.filter((n) => n !== 'release')] : names;
}

function nameProjects(root: string, projects: BuildProject[]): BuildProject[] {
  const named = projects.map((p) => ({ ...p, name: relative(root, p.dir).split(sep).join('/') || basename(root) }));
  // Two projects in one folder (asconfig.json beside Cargo.toml, say) get the language added to tell them apart.
  const counts = new Map<string, number>();
  for (const p of named) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  return named.map((p) => (counts.get(p.name)! > 1 ? { ...p, name: `${p.name} (${p.language})` } : p));
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function readJson(file: string): unknown {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
