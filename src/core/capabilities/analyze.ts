/** The capability report: what a binary needs from its host, in plain words, derived from its imports. */
import type { WasmBinary } from '../binary';
import { capabilityCatalog, capabilityIds, type CapabilityDefinition, type CapabilityId } from './catalog';
import { meaningOfCoreImport } from './core-imports';
import { classifyComponent, classifyModule, type HostRequirements } from './host';
import { interfaceCapabilities, parseInterfaceName } from './interfaces';

export interface Capability extends CapabilityDefinition {
  /** The imports (or exports, prefixed `export `) that imply this capability. */
  imports: string[];
}

export interface UnrecognisedImport {
  import: string;
  note: string;
}

export interface CapabilityReport {
  host: HostRequirements;
  /** In catalogue order, each with the imports behind it. */
  capabilities: Capability[];
  /** Imports from WASI namespaces that are not known (misspelt or newer than this version). */
  unrecognised: UnrecognisedImport[];
}

export function analyzeCapabilities(binary: WasmBinary): CapabilityReport {
  const found = new Map<CapabilityId, Set<string>>();
  const unrecognised: UnrecognisedImport[] = [];
  const add = (id: CapabilityId, source: string) => {
    let sources = found.get(id);
    if (!sources) found.set(id, (sources = new Set()));
    sources.add(source);
  };

  let host: HostRequirements;
  if (binary.kind === 'module') {
    host = classifyModule(binary);
    for (const imported of binary.imports) {
      const label = `${imported.module}.${imported.name}`;
      const meaning = meaningOfCoreImport(imported.module, imported.name, imported.kind);
      if (meaning.kind === 'capability') {
        add(meaning.capability, label);
        if (meaning.note) unrecognised.push({ import: label, note: meaning.note });
      } else if (meaning.kind === 'wasi-unknown-function') unrecognised.push({ import: label, note: meaning.note });
    }
    const sharedMemory = [...binary.imports.filter((i) => i.descriptor.kind === 'memory' && i.descriptor.memory.shared).map((i) => `${i.module}.${i.name} (shared memory)`)];
    if (binary.memories.some((m) => m.shared)) sharedMemory.push('shared memory');
    if (sharedMemory.length && found.has('threads')) for (const s of sharedMemory) add('threads', s);
  } else {
    host = classifyComponent(binary);
    for (const imported of binary.imports) {
      const parsed = parseInterfaceName(imported.name);
      if (!parsed) continue;
      const meaning = interfaceCapabilities(parsed);
      if (meaning.kind === 'capabilities') for (const id of meaning.capabilities) add(id, imported.name);
      else if (meaning.kind === 'unknown' && parsed.namespace === 'wasi') {
        unrecognised.push({ import: imported.name, note: 'not a WASI interface this version knows' });
      }
    }
    for (const exported of binary.exports) {
      const parsed = parseInterfaceName(exported.name);
      if (parsed?.namespace === 'wasi' && parsed.package === 'http' && (parsed.interface === 'incoming-handler' || parsed.interface === 'handler')) {
        add('http-incoming', `export ${exported.name}`);
      }
    }
  }

  const capabilities = capabilityIds
    .filter((id) => found.has(id))
    .map((id) => ({ ...capabilityCatalog.get(id)!, imports: [...found.get(id)!] }));
  return { host, capabilities, unrecognised };
}
