/**
 * The few facts about a Cargo manifest that building needs: package name, bin and lib targets, whether it is
 * a workspace root, and the cargo-component marker. A line-based reader, not a TOML parser: it understands
 * `[table]`, `[[array]]`, and `key = "string" | ["array"] | true` on one line, which is how Cargo.toml files
 * are written in practice; anything else is skipped rather than guessed at.
 */
export interface CargoManifest {
  packageName?: string;
  /** Explicit `[[bin]]` names. */
  bins: string[];
  /** `[lib] name`, when given. */
  libName?: string;
  libCrateTypes: string[];
  workspace: boolean;
  /** Has `[package.metadata.component]` (cargo-component): the crate is meant to become a component. */
  component: boolean;
}

type Value = string | string[] | boolean;

function parseValue(raw: string): Value | undefined {
  const text = raw.replace(/\s+#.*$/, '').trim();
  const str = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(text);
  if (str) return str[1] !== undefined ? str[1].replace(/\\(.)/g, '$1') : str[2]!;
  if (text === 'true' || text === 'false') return text === 'true';
  const array = /^\[(.*)\]$/.exec(text);
  if (array) return [...array[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2]!);
  return undefined;
}

export function parseCargoManifest(text: string): CargoManifest {
  const manifest: CargoManifest = { bins: [], libCrateTypes: [], workspace: false, component: false };
  let table = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      table = header[1]!.replace(/\s*\.\s*/g, '.').replace(/"/g, '');
      if (line.startsWith('[[') && table === 'bin') manifest.bins.push('');
      if (table === 'workspace') manifest.workspace = true;
      if (table === 'package.metadata.component' || table.startsWith('package.metadata.component.')) manifest.component = true;
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+|"[^"]+")\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!.replace(/"/g, '');
    const value = parseValue(kv[2]!);
    if (table === 'package' && key === 'name' && typeof value === 'string') manifest.packageName = value;
    if (table === 'package' && key.startsWith('metadata.component')) manifest.component = true;
    if (table === 'bin' && key === 'name' && typeof value === 'string' && manifest.bins.length)
      manifest.bins[manifest.bins.length - 1] = value;
    if (table === 'lib' && key === 'name' && typeof value === 'string') manifest.libName = value;
    if (table === 'lib' && key === 'crate-type' && Array.isArray(value)) manifest.libCrateTypes = value;
  }
  manifest.bins = manifest.bins.filter(Boolean);
  return manifest;
}
