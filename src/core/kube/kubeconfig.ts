/**
 * kubeconfig files read and written as kubectl does: `KUBECONFIG` (a path list) or `~/.kube/config`, merged with
 * "the first file to define a name wins", and `current-context` written back to the file kubectl would write.
 * Credentials (tokens, client certificates, exec plugins, auth providers) are left to client-node, untouched.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { loadClientNode, type ClientNodeModule, type KubeConfig } from './client-node';
import { KubeError } from './errors';
import { errorMessage } from '../errors';

export interface KubeconfigOptions {
  /**
   * Explicit kubeconfig file(s), like `kubectl --kubeconfig` (a string may be a path list, `:`-separated on
   * Linux and macOS, `;` on Windows). Overrides `KUBECONFIG`.
   */
  path?: string | string[];
  /** Environment to read `KUBECONFIG` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Home directory for `~/.kube/config` (default `os.homedir()`). */
  homeDir?: string;
}

/** A context of the merged kubeconfig. */
export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  /** The cluster's API server address, when the cluster entry exists. */
  server?: string;
  /** The file that defines this context. */
  file: string;
}

export interface Kubeconfig {
  /** The files that were read (existing ones), in precedence order. */
  files: string[];
  /** Every candidate file in precedence order (`KUBECONFIG` entries or `~/.kube/config`), existing or not. */
  precedence: string[];
  /** Whether the files were given explicitly (`options.path`), as with `kubectl --kubeconfig`. */
  explicit: boolean;
  contexts: KubeContext[];
  /** The current context's name, if set and defined. */
  currentContext: string | undefined;
  /** The merged configuration as a client-node `KubeConfig` (for code that needs client-node directly). */
  kubeConfig: KubeConfig;
}

function splitPathList(value: string): string[] {
  return value
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** The candidate files in precedence order, and whether they were given explicitly. */
export function kubeconfigPrecedence(options: KubeconfigOptions = {}): { files: string[]; explicit: boolean } {
  const absolute = (p: string) => resolve(p.startsWith('~/') ? join(options.homeDir ?? homedir(), p.slice(2)) : p);
  if (options.path !== undefined && (Array.isArray(options.path) ? options.path.length > 0 : options.path.trim() !== '')) {
    const list = Array.isArray(options.path) ? options.path.flatMap(splitPathList) : splitPathList(options.path);
    return { files: dedupe(list.map(absolute)), explicit: true };
  }
  const env = options.env ?? process.env;
  const fromEnv = env.KUBECONFIG ? splitPathList(env.KUBECONFIG) : [];
  if (fromEnv.length > 0) return { files: dedupe(fromEnv.map(absolute)), explicit: false };
  return { files: [join(options.homeDir ?? homedir(), '.kube', 'config')], explicit: false };
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

interface FileConfig {
  file: string;
  config: KubeConfig;
}

function isEffectivelyEmpty(text: string): boolean {
  return text.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('#'));
}

function readOne(k8s: ClientNodeModule, file: string, explicit: boolean): FileConfig | undefined {
  if (!existsSync(file)) {
    // kubectl skips missing KUBECONFIG entries but refuses a missing --kubeconfig.
    if (explicit) throw new KubeError('config', `${file}: kubeconfig file not found`);
    return undefined;
  }
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new Error('is a directory, not a file');
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeError('config', `${file}: cannot read the kubeconfig: ${errorMessage(error)}`, undefined, undefined, { cause: error });
  }
  const config = new k8s.KubeConfig();
  if (isEffectivelyEmpty(text)) {
    config.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
    return { file, config };
  }
  let parsed: unknown;
  try {
    parsed = k8s.loadYaml(text);
  } catch (error) {
    throw new KubeError('config', `${file}: not valid YAML: ${firstLine(errorMessage(error))}`, undefined, undefined, { cause: error });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new KubeError('config', `${file}: not a kubeconfig: expected a mapping with clusters, users and contexts`);
  }
  const obj = parsed as Record<string, unknown>;
  for (const key of ['clusters', 'users', 'contexts']) {
    if (obj[key] !== undefined && obj[key] !== null && !Array.isArray(obj[key])) {
      throw new KubeError('config', `${file}: "${key}" must be a list`);
    }
  }
  try {
    config.loadFromString(text);
    config.makePathsAbsolute(dirname(file));
  } catch (error) {
    throw new KubeError('config', `${file}: invalid kubeconfig: ${firstLine(errorMessage(error))}`, undefined, undefined, {
      cause: error,
    });
  }
  // client-node leaves these undefined when a key is absent.
  config.clusters ??= [];
  config.users ??= [];
  config.contexts ??= [];
  return { file, config };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/**
 * Reads the kubeconfig: `options.path`, else `KUBECONFIG` (several files), else `~/.kube/config`. Missing
 * `KUBECONFIG` entries are skipped (as kubectl does); no file at all gives an empty configuration (no contexts).
 * A file that cannot be parsed throws a `KubeError` of kind `config` naming the file and the problem.
 */
export async function loadKubeconfig(options: KubeconfigOptions = {}): Promise<Kubeconfig> {
  const k8s = await loadClientNode();
  const { files: precedence, explicit } = kubeconfigPrecedence(options);
  const loaded = precedence.map((f) => readOne(k8s, f, explicit)).filter((f): f is FileConfig => f !== undefined);

  // kubectl's merge: the first file to set a cluster, user or context name wins; likewise current-context.
  const clusters = new Map<string, KubeConfig['clusters'][number]>();
  const users = new Map<string, KubeConfig['users'][number]>();
  const contexts = new Map<string, { context: KubeConfig['contexts'][number]; file: string }>();
  let currentContext: string | undefined;
  for (const { file, config } of loaded) {
    for (const c of config.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of config.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of config.contexts) if (!contexts.has(c.name)) contexts.set(c.name, { context: c, file });
    if (!currentContext && config.currentContext) currentContext = config.currentContext;
  }
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()].map((c) => c.context),
    currentContext: currentContext ?? '',
  });
  return {
    files: loaded.map((l) => l.file),
    precedence,
    explicit,
    contexts: [...contexts.values()].map(({ context, file }) => ({
      name: context.name,
      cluster: context.cluster,
      user: context.user,
      ...(context.namespace ? { namespace: context.namespace } : {}),
      ...(clusters.get(context.cluster) ? { server: clusters.get(context.cluster)!.server } : {}),
      file,
    })),
    currentContext: currentContext && contexts.has(currentContext) ? currentContext : undefined,
    kubeConfig,
  };
}

/** The file kubectl writes a new `current-context` to when no file sets one yet. */
function defaultFile(kubeconfig: Kubeconfig): string {
  const list = kubeconfig.precedence;
  if (kubeconfig.explicit || list.length === 1) return list[0]!;
  return list.find((f) => existsSync(f)) ?? list[list.length - 1]!;
}

function currentContextOf(text: string): string | undefined {
  if (isEffectivelyEmpty(text)) return undefined;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const value = (JSON.parse(trimmed) as Record<string, unknown>)['current-context'];
      return typeof value === 'string' && value ? value : undefined;
    } catch {
      return undefined;
    }
  }
  const match = /^current-context:[ \t]*(.*?)[ \t]*$/m.exec(text);
  if (!match) return undefined;
  const raw = match[1]!.replace(/\s+#.*$/, '');
  const unquoted = raw.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  return unquoted && unquoted !== '""' && unquoted !== "''" ? unquoted : undefined;
}

function yamlScalar(value: string): string {
  const plain =
    /^[A-Za-z0-9_][A-Za-z0-9_./@:+-]*$/.test(value) &&
    !/:$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

function withCurrentContext(text: string, name: string): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const obj = JSON.parse(trimmed) as Record<string, unknown>;
    obj['current-context'] = name;
    return JSON.stringify(obj, null, 2) + '\n';
  }
  const line = `current-context: ${yamlScalar(name)}`;
  if (/^current-context:.*$/m.test(text)) return text.replace(/^current-context:.*$/m, line);
  if (isEffectivelyEmpty(text)) return `apiVersion: v1\nkind: Config\n${line}\n`;
  return `${text}${text.endsWith('\n') ? '' : '\n'}${line}\n`;
}

/**
 * Makes `contextName` the current context, written where kubectl writes it (`kubectl config use-context`): the
 * first file in precedence that already sets a current-context, else the default file (the explicit file, the one
 * `KUBECONFIG` entry, the first existing entry, or the last one). Only the `current-context` line changes.
 * Returns the file written.
 */
export async function switchContext(kubeconfig: Kubeconfig, contextName: string): Promise<string> {
  if (!kubeconfig.contexts.some((c) => c.name === contextName)) {
    throw new KubeError('config', `no context named "${contextName}" in ${kubeconfig.files.join(', ') || 'the kubeconfig'}`);
  }
  let target: string | undefined;
  for (const file of kubeconfig.precedence) {
    if (!existsSync(file)) continue;
    if (currentContextOf(readFileSync(file, 'utf8')) !== undefined) {
      target = file;
      break;
    }
  }
  target ??= defaultFile(kubeconfig);
  const text = existsSync(target) ? readFileSync(target, 'utf8') : '';
  try {
    writeFileSync(target, withCurrentContext(text, contextName));
  } catch (error) {
    throw new KubeError('config', `${target}: cannot write current-context: ${errorMessage(error)}`, undefined, undefined, {
      cause: error,
    });
  }
  kubeconfig.currentContext = contextName;
  kubeconfig.kubeConfig.setCurrentContext(contextName);
  return target;
}
