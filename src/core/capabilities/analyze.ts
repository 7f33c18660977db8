/** The capability report: what a binary needs from its host, in plain words, derived from its imports. */
import type { WasmBinary } from '../binary';
import { capabilityCatalog, capabilityIds, type CapabilityDefinition, type CapabilityId } from './catalog';
import { meaningOfCoreImport } from './core-imports';
import type { ClassifyHints } from './glue';
import { classifyComponent, classifyModule, type HostKind, type HostRequirements } from './host';
import { interfaceCapabilities, parseInterfaceName } from './interfaces';
import { c, joinRich, rich, type RichText } from '../text/rich';

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
  /** One sentence on what it needs, true to both the capabilities and the host (`capabilitySummary`). */
  summary: RichText;
}

export function analyzeCapabilities(binary: WasmBinary, hints: ClassifyHints = {}): CapabilityReport {
  const found = new Map<CapabilityId, Set<string>>();
  const unrecognised: UnrecognisedImport[] = [];
  const add = (id: CapabilityId, source: string) => {
    let sources = found.get(id);
    if (!sources) found.set(id, (sources = new Set()));
    sources.add(source);
  };

  let host: HostRequirements;
  if (binary.kind === 'module') {
    host = classifyModule(binary, hints);
    for (const imported of binary.imports) {
      const label = `${imported.module}.${imported.name}`;
      const meaning = meaningOfCoreImport(imported.module, imported.name, imported.kind);
      if (meaning.kind === 'capability') {
        add(meaning.capability, label);
        if (meaning.note) unrecognised.push({ import: label, note: meaning.note });
      } else if (meaning.kind === 'wasi-unknown-function') unrecognised.push({ import: label, note: meaning.note });
    }
    const sharedMemory = [
      ...binary.imports
        .filter((i) => i.descriptor.kind === 'memory' && i.descriptor.memory.shared)
        .map((i) => `${i.module}.${i.name} (shared memory)`),
    ];
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
      if (
        parsed?.namespace === 'wasi' &&
        parsed.package === 'http' &&
        (parsed.interface === 'incoming-handler' || parsed.interface === 'handler')
      ) {
        add('http-incoming', `export ${exported.name}`);
      }
    }
  }

  const capabilities = capabilityIds
    .filter((id) => found.has(id))
    .map((id) => ({ ...capabilityCatalog.get(id)!, imports: [...found.get(id)!] }));
  return { host, capabilities, unrecognised, summary: capabilitySummary(host, capabilities) };
}

/** Who provides the imports that no WASI host does, by the kind of host; glue provides its WASI imports too. */
function providerOf(kind: HostKind): { who: string; glue: boolean } {
  if (kind === 'emscripten') return { who: 'its Emscripten JavaScript glue', glue: true };
  if (kind === 'js-glue') return { who: 'its JavaScript glue', glue: true };
  if (kind === 'unknown-imports') return { who: 'a host that defines them', glue: false };
  return { who: 'the host, or a component composed with it,', glue: false };
}

/**
 * What it needs, in one sentence that neither the capability cards nor the host card can contradict: WASI
 * capabilities are only part of the story when it also imports from modules no WASI host provides, and when a
 * minifier renamed the imports, nothing can be read from them at all. The CLI report and the inspector both show it.
 */
export function capabilitySummary(host: HostRequirements, capabilities: Capability[]): RichText {
  const count = capabilities.length;
  const needs = `${count} ${count === 1 ? 'capability' : 'capabilities'}`;
  if (!host.unknownModules.length) return count ? rich`It needs ${needs} from its host.` : rich`It needs no WASI capabilities.`;
  const modules = joinRich(
    host.unknownModules.map((m) => c(m)),
    ', ',
  );
  const { who, glue } = providerOf(host.kind);
  if (host.importsRenamed)
    return rich`What it needs cannot be read from its imports: they were renamed (module ${modules}), and ${who} provides them all.`;
  if (glue) {
    return count
      ? rich`Everything it imports comes from ${who}: ${modules}, and the WASI functions behind the ${needs} below.`
      : rich`Everything it imports (${modules}) comes from ${who}; it uses no WASI capabilities.`;
  }
  const others = rich`imports from ${modules}, which only ${who} provides.`;
  return count ? rich`It needs ${needs} from its host (below), and ${others}` : rich`It needs no WASI capabilities, but ${others}`;
}
