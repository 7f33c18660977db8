/** The inspect report: the one JSON shape the CLI prints, the editor shows and CI pipelines read. */
import type { ComponentItemKind, CustomSection, FunctionBody, Producers, ReadWarning, TargetFeature } from '../binary';
import type { Capability, HostRequirements, UnrecognisedImport } from '../capabilities';
import type { RichText } from '../text/rich';

export interface ReportSection {
  id: number;
  name: string;
  offset: number;
  size: number;
}

export interface ReportImport {
  /** Core modules: the import module. Components: empty (component imports have one name). */
  module: string;
  name: string;
  kind: string;
  type: string;
}

export interface ReportExport {
  name: string;
  kind: string;
  type: string;
  internalName?: string;
}

export interface ReportNestedModule {
  index: number;
  offset: number;
  sizeBytes: number;
  imports: number;
  exports: number;
  functions: number;
  codeBytes: number;
  producers?: Producers;
}

export interface InspectReport {
  file?: string;
  kind: 'module' | 'component';
  sizeBytes: number;
  sections: ReportSection[];
  imports: ReportImport[];
  exports: ReportExport[];
  customSections: CustomSection[];
  producers?: Producers;
  targetFeatures?: TargetFeature[];
  /** Post-MVP features the module's structure shows (core modules only). */
  features: string[];
  functions: { imported: number; defined: number; codeBytes: number; bodies?: FunctionBody[] };
  debug: { dwarf: boolean; sourceMappingURL?: string; externalDebugInfo?: string };
  moduleName?: string;
  host: HostRequirements;
  capabilities: Capability[];
  /** One sentence on what it needs from its host, true to the host and the capabilities together. */
  capabilitySummary: RichText;
  unrecognisedImports: UnrecognisedImport[];
  /** Components: the nested core modules. */
  coreModules?: ReportNestedModule[];
  /** Components: the WIT world as wasm-tools prints it. */
  wit?: string;
  witError?: string;
  warnings: ReadWarning[];
  /** Bytes fetched from the file to build this report (the reader steps over code). */
  bytesRead: number;
}

export const componentKindLabel: Record<ComponentItemKind, string> = {
  module: 'core module',
  func: 'function',
  value: 'value',
  type: 'type',
  component: 'component',
  instance: 'instance',
};
