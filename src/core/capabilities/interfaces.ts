/** Which capability each component-model interface (`wasi:filesystem/types@0.2.0`, ...) implies. */
import type { CapabilityId } from './catalog';

export interface InterfaceName {
  namespace: string;
  package: string;
  interface: string;
  version?: string;
}

/** Parses `ns:pkg/iface@1.2.3`; plain names (`run`, `memory`) are not interfaces and give undefined. */
export function parseInterfaceName(name: string): InterfaceName | undefined {
  const match = /^([a-z][a-z0-9-]*):([a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)*)\/([a-z][a-z0-9-]*)(?:@([0-9A-Za-z.+-]+))?$/.exec(name);
  if (!match) return undefined;
  const parsed: InterfaceName = { namespace: match[1]!, package: match[2]!, interface: match[3]! };
  if (match[4]) parsed.version = match[4];
  return parsed;
}

export type InterfaceMeaning =
  | { kind: 'capabilities'; capabilities: CapabilityId[] }
  /** An interface with no authority of its own (streams, error types, shared HTTP types). */
  | { kind: 'support' }
  | { kind: 'unknown' };

const byPackage: Record<string, Record<string, CapabilityId[] | 'support'> | CapabilityId[]> = {
  'wasi:cli': {
    // get-environment, get-arguments and initial-cwd live in one interface, so its import means both.
    environment: ['environment', 'args'],
    exit: ['exit'],
    stdin: ['stdio'],
    stdout: ['stdio'],
    stderr: ['stdio'],
    'terminal-input': ['stdio'],
    'terminal-output': ['stdio'],
    'terminal-stdin': ['stdio'],
    'terminal-stdout': ['stdio'],
    'terminal-stderr': ['stdio'],
    run: 'support',
  },
  'wasi:clocks': ['clocks'],
  'wasi:filesystem': ['filesystem'],
  'wasi:random': ['random'],
  'wasi:io': { poll: ['poll'], streams: 'support', error: 'support' },
  'wasi:sockets': ['sockets'],
  'wasi:http': {
    'outgoing-handler': ['http-outgoing'],
    client: ['http-outgoing'],
    'incoming-handler': ['http-incoming'],
    handler: ['http-incoming'],
    types: 'support',
  },
  'wasi:keyvalue': ['keyvalue'],
  'wasi:config': ['config'],
  'wasi:nn': ['wasi-nn'],
  'wasi:logging': ['logging'],
  'wasi:blobstore': ['blobstore'],
  'wasi:messaging': ['messaging'],
  'wasi:threads': ['threads'],
  'fermyon:spin': {
    'key-value': ['keyvalue'],
    variables: ['config'],
    config: ['config'],
    sqlite: ['database'],
    postgres: ['database'],
    mysql: ['database'],
    redis: ['database'],
    'rdbms-types': 'support',
    mqtt: ['messaging'],
    llm: ['ai'],
    http: ['http-outgoing'],
    'http-types': 'support',
    'inbound-http': ['http-incoming'],
    'inbound-redis': ['messaging'],
  },
  'spin:postgres': ['database'],
  'spin:sqlite': ['database'],
  'spin:mqtt': ['messaging'],
  'spin:redis': ['database'],
  'spin:key-value': ['keyvalue'],
  'spin:variables': ['config'],
};

export function interfaceCapabilities(name: InterfaceName): InterfaceMeaning {
  const entry = byPackage[`${name.namespace}:${name.package}`];
  if (!entry) return { kind: 'unknown' };
  if (Array.isArray(entry)) return { kind: 'capabilities', capabilities: entry };
  const meaning = entry[name.interface];
  if (meaning === undefined) return { kind: 'unknown' };
  return meaning === 'support' ? { kind: 'support' } : { kind: 'capabilities', capabilities: meaning };
}
