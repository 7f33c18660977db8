/**
 * What each capability means, in plain words, how risky it is to grant, and how to grant it on the hosts
 * people use: this project's runner, `wasmtime run`, and a Spin manifest.
 */
import { runnerHint } from '../run/support';
import { c, rich, type RichText } from '../text/rich';

export type CapabilityId =
  | 'stdio'
  | 'args'
  | 'environment'
  | 'filesystem'
  | 'clocks'
  | 'random'
  | 'exit'
  | 'poll'
  | 'sockets'
  | 'http-outgoing'
  | 'http-incoming'
  | 'threads'
  | 'wasi-nn'
  | 'keyvalue'
  | 'config'
  | 'logging'
  | 'database'
  | 'messaging'
  | 'blobstore'
  | 'ai';

export type Risk = 'low' | 'medium' | 'high';

export interface GrantHints {
  /** `wasm-workbench run` flags (from the runner's support table, run/support.ts). */
  runner: RichText;
  /** `wasmtime run` / `wasmtime serve` flags. */
  wasmtime: RichText;
  /** Spin manifest (spin.toml v2) field. */
  spin: RichText;
}

export interface CapabilityDefinition {
  id: CapabilityId;
  title: string;
  description: string;
  risk: Risk;
  grant: GrantHints;
}

/** The hints for the other hosts; this project's runner's hint is added from its support table. */
type Definition = Omit<CapabilityDefinition, 'grant'> & { grant: Omit<GrantHints, 'runner'> };

const definitions: Definition[] = [
  {
    id: 'stdio',
    title: 'Standard input and output',
    description: 'Reads standard input and writes to standard output and standard error (the terminal or the logs).',
    risk: 'low',
    grant: {
      wasmtime: rich`always connected`,
      spin: rich`stdout and stderr go to the component log; there is no stdin`,
    },
  },
  {
    id: 'args',
    title: 'Command-line arguments',
    description: 'Reads the arguments it was started with.',
    risk: 'low',
    grant: {
      wasmtime: rich`pass them after the file: ${c('wasmtime run FILE ARG...')}`,
      spin: rich`not available: Spin components get no arguments`,
    },
  },
  {
    id: 'environment',
    title: 'Environment variables',
    description: 'Reads environment variables. It sees only the variables the host passes; secrets often live there.',
    risk: 'medium',
    grant: {
      wasmtime: rich`${c('--env KEY=VALUE')} (or ${c('--env KEY')} to copy one host variable)`,
      spin: rich`${c('environment = { KEY = "VALUE" }')} in ${c('[component.NAME]')}`,
    },
  },
  {
    id: 'filesystem',
    title: 'Files and directories',
    description: 'Opens, reads, writes or lists files, but only inside directories the host preopens for it.',
    risk: 'high',
    grant: {
      wasmtime: rich`${c('--dir HOST::GUEST')}`,
      spin: rich`${c('files = [{ source = "HOST", destination = "/GUEST" }]')} in ${c('[component.NAME]')} (read-only)`,
    },
  },
  {
    id: 'clocks',
    title: 'Clocks',
    description: 'Reads the current date and time, or measures elapsed time.',
    risk: 'low',
    grant: { wasmtime: rich`always available`, spin: rich`always available` },
  },
  {
    id: 'random',
    title: 'Random numbers',
    description: 'Gets random bytes from the host, for seeds, keys or hash tables.',
    risk: 'low',
    grant: { wasmtime: rich`always available`, spin: rich`always available` },
  },
  {
    id: 'exit',
    title: 'Exit code',
    description: 'Ends the program early with an exit code.',
    risk: 'low',
    grant: { wasmtime: rich`always available`, spin: rich`ends the request with an error` },
  },
  {
    id: 'poll',
    title: 'Waiting and sleeping',
    description: 'Waits for timers or for input and output to become ready (sleep, poll, yield).',
    risk: 'low',
    grant: { wasmtime: rich`always available`, spin: rich`always available` },
  },
  {
    id: 'sockets',
    title: 'Network sockets',
    description: 'Opens TCP or UDP connections, listens on ports, or looks up host names.',
    risk: 'high',
    grant: {
      wasmtime: rich`${c('-S inherit-network')} (and ${c('-S allow-ip-name-lookup')} for DNS)`,
      spin: rich`${c('allowed_outbound_hosts = ["tcp://HOST:PORT"]')} in ${c('[component.NAME]')}`,
    },
  },
  {
    id: 'http-outgoing',
    title: 'Outgoing HTTP requests',
    description: 'Sends HTTP requests to other servers.',
    risk: 'high',
    grant: {
      wasmtime: rich`${c('-S http')} (always on under ${c('wasmtime serve')})`,
      spin: rich`${c('allowed_outbound_hosts = ["https://HOST"]')} in ${c('[component.NAME]')}`,
    },
  },
  {
    id: 'http-incoming',
    title: 'Serves HTTP requests',
    description: 'Is an HTTP handler: the host calls it for every incoming request and sends back its response.',
    risk: 'medium',
    grant: {
      wasmtime: rich`${c('wasmtime serve FILE')}`,
      spin: rich`${c('[[trigger.http]]')} with ${c('route = "/..."')} and ${c('component = "NAME"')}`,
    },
  },
  {
    id: 'threads',
    title: 'Threads',
    description: 'Starts threads (wasi-threads) that share its memory.',
    risk: 'medium',
    grant: {
      wasmtime: rich`${c('-W threads=y -S threads=y')}`,
      spin: rich`not supported`,
    },
  },
  {
    id: 'wasi-nn',
    title: 'Machine-learning inference',
    description: 'Loads models and runs inference on backends the host provides (wasi-nn).',
    risk: 'medium',
    grant: {
      wasmtime: rich`${c('-S nn')} with ${c('--wasi nn-graph=FORMAT::DIR')}`,
      spin: rich`not supported (Spin offers ${c('ai_models')} for LLMs)`,
    },
  },
  {
    id: 'keyvalue',
    title: 'Key-value store',
    description: 'Reads and writes a key-value store the host provides.',
    risk: 'medium',
    grant: {
      wasmtime: rich`${c('-S keyvalue')} with ${c('--wasi keyvalue-in-memory-data=KEY=VALUE')}`,
      spin: rich`${c('key_value_stores = ["default"]')} in ${c('[component.NAME]')}`,
    },
  },
  {
    id: 'config',
    title: 'Runtime configuration',
    description: 'Reads configuration values (variables) the host provides; these may hold secrets.',
    risk: 'medium',
    grant: {
      wasmtime: rich`${c('-S config')} with ${c('--wasi config-var=KEY=VALUE')}`,
      spin: rich`${c('[variables]')} and ${c('variables = { key = "{{ name }}" }')} in ${c('[component.NAME]')}`,
    },
  },
  {
    id: 'logging',
    title: 'Logging',
    description: 'Writes log messages to the host logger.',
    risk: 'low',
    grant: { wasmtime: rich`not built in`, spin: rich`always available` },
  },
  {
    id: 'database',
    title: 'Databases',
    description: 'Talks to databases the host connects it to (SQLite, PostgreSQL, MySQL, Redis).',
    risk: 'high',
    grant: {
      wasmtime: rich`not built in`,
      spin: rich`${c('sqlite_databases = ["default"]')}, or ${c('allowed_outbound_hosts = ["postgres://HOST"]')} (also mysql://, redis://)`,
    },
  },
  {
    id: 'messaging',
    title: 'Messaging',
    description: 'Publishes or receives messages through a broker the host provides (e.g. MQTT).',
    risk: 'high',
    grant: { wasmtime: rich`not built in`, spin: rich`${c('allowed_outbound_hosts = ["mqtt://HOST:PORT"]')}` },
  },
  {
    id: 'blobstore',
    title: 'Blob storage',
    description: 'Reads and writes objects in a blob store the host provides.',
    risk: 'high',
    grant: { wasmtime: rich`not built in`, spin: rich`not supported` },
  },
  {
    id: 'ai',
    title: 'Large language models',
    description: 'Runs prompts or embeddings on models the host provides.',
    risk: 'medium',
    grant: { wasmtime: rich`not built in`, spin: rich`${c('ai_models = ["MODEL"]')} in ${c('[component.NAME]')}` },
  },
];

export const capabilityCatalog: ReadonlyMap<CapabilityId, CapabilityDefinition> = new Map(
  definitions.map((d) => [d.id, { ...d, grant: { runner: runnerHint(d.id), ...d.grant } }]),
);
export const capabilityIds: readonly CapabilityId[] = definitions.map((d) => d.id);

export function isCapabilityId(value: string): value is CapabilityId {
  return capabilityCatalog.has(value as CapabilityId);
}
