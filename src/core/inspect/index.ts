/**
 * Public face of inspection: read a binary, analyse what it needs, and (for components) print its WIT world.
 * The CLI and the editor both call `inspectFile`/`inspectBytes` and format the same report.
 */
import { memorySource, readBinary, type ByteSource, type ComponentInfo, type ModuleInfo, type WasmBinary } from '../binary';
import { basename } from 'node:path';
import { analyzeCapabilities, recogniseGlue, type ClassifyHints } from '../capabilities';
import { withFileSource } from '../platform/file-source';
import { siblingScripts } from '../platform/siblings';
import { componentWit } from '../wit';
import { structuralFeatures } from './features';
import { componentKindLabel, type InspectReport, type ReportNestedModule } from './report';
import { errorMessage } from '../errors';

export interface InspectOptions {
  /** Print the WIT world of components (loads wasm-tools on first use). Default true. */
  wit?: boolean;
  /** Read every function body's size (for size breakdowns). Default false. */
  functionBodies?: boolean;
}

export async function inspectFile(path: string, options: InspectOptions = {}): Promise<InspectReport> {
  const hints = await hintsFromSiblings(path);
  const report = await withFileSource(path, (source) => inspectSource(source, options, hints));
  return { file: path, ...report };
}

export function inspectBytes(bytes: Uint8Array, options: InspectOptions = {}): Promise<InspectReport> {
  return inspectSource(memorySource(bytes), options);
}

/** What the files beside a binary tell: the JavaScript glue that loads it (e.g. Emscripten's `app.js`). */
async function hintsFromSiblings(path: string): Promise<ClassifyHints> {
  for (const script of await siblingScripts(path)) {
    const glue = recogniseGlue(script, basename(path));
    if (glue) return { glue };
  }
  return {};
}

export async function inspectSource(source: ByteSource, options: InspectOptions = {}, hints: ClassifyHints = {}): Promise<InspectReport> {
  const binary = await readBinary(source, { functionBodies: options.functionBodies ?? false });
  const report = buildReport(binary, hints);
  if (binary.kind === 'component' && options.wit !== false) {
    try {
      report.wit = await componentWit(await source.read(0, source.size));
    } catch (error) {
      report.witError = errorMessage(error);
    }
  }
  report.bytesRead = source.bytesRead;
  return report;
}

export function buildReport(binary: WasmBinary, hints: ClassifyHints = {}): InspectReport {
  const analysis = analyzeCapabilities(binary, hints);
  const common = {
    kind: binary.kind,
    sizeBytes: binary.sizeBytes,
    sections: binary.sections.map(({ id, name, offset, size }) => ({ id, name, offset, size })),
    customSections: binary.customSections,
    host: analysis.host,
    capabilities: analysis.capabilities,
    capabilitySummary: analysis.summary,
    unrecognisedImports: analysis.unrecognised,
    warnings: binary.warnings,
    bytesRead: 0,
  };
  return binary.kind === 'module' ? moduleReport(binary, common) : componentReport(binary, common);
}

type Common = Pick<
  InspectReport,
  | 'kind'
  | 'sizeBytes'
  | 'sections'
  | 'customSections'
  | 'host'
  | 'capabilities'
  | 'capabilitySummary'
  | 'unrecognisedImports'
  | 'warnings'
  | 'bytesRead'
>;

function debugInfo(module: ModuleInfo): InspectReport['debug'] {
  const debug: InspectReport['debug'] = { dwarf: module.customSections.some((s) => s.category === 'dwarf') };
  if (module.sourceMappingURL !== undefined) debug.sourceMappingURL = module.sourceMappingURL;
  if (module.externalDebugInfo !== undefined) debug.externalDebugInfo = module.externalDebugInfo;
  return debug;
}

function moduleReport(module: ModuleInfo, common: Common): InspectReport {
  const report: InspectReport = {
    ...common,
    imports: module.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind, type: i.type })),
    exports: module.exports.map((e) => ({
      name: e.name,
      kind: e.kind,
      type: e.type,
      ...(e.internalName !== undefined ? { internalName: e.internalName } : {}),
    })),
    features: structuralFeatures(module),
    functions: { ...module.functions },
    debug: debugInfo(module),
  };
  if (module.producers) report.producers = module.producers;
  if (module.targetFeatures) report.targetFeatures = module.targetFeatures;
  if (module.names.module !== undefined) report.moduleName = module.names.module;
  return report;
}

function componentReport(component: ComponentInfo, common: Common): InspectReport {
  const modules = allCoreModules(component);
  const coreModules: ReportNestedModule[] = modules.map(({ module }, index) => ({
    index,
    offset: module.offset,
    sizeBytes: module.sizeBytes,
    imports: module.imports.length,
    exports: module.exports.length,
    functions: module.functions.imported + module.functions.defined,
    codeBytes: module.functions.codeBytes,
    ...(module.producers ? { producers: module.producers } : {}),
  }));
  const report: InspectReport = {
    ...common,
    imports: component.imports.map((i) => ({
      module: '',
      name: i.name,
      kind: componentKindLabel[i.kind],
      type: describeComponentItem(i.kind, i.typeIndex),
    })),
    exports: component.exports.map((e) => ({
      name: e.name,
      kind: e.kind in componentKindLabel ? componentKindLabel[e.kind as keyof typeof componentKindLabel] : e.kind,
      type: `${e.kind} ${e.index}`,
    })),
    features: ['component-model'],
    functions: {
      imported: 0,
      defined: modules.reduce((n, m) => n + m.module.functions.defined, 0),
      codeBytes: modules.reduce((n, m) => n + m.module.functions.codeBytes, 0),
    },
    debug: { dwarf: modules.some((m) => debugInfo(m.module).dwarf) },
    coreModules,
  };
  const producers = component.producers ?? modules.find((m) => m.module.producers)?.module.producers;
  if (producers) report.producers = producers;
  // Warnings of nested modules matter too (e.g. a broken name section inside the main module).
  report.warnings = [...component.warnings, ...modules.flatMap((m) => m.module.warnings)];
  return report;
}

function describeComponentItem(kind: string, typeIndex: number | undefined): string {
  const label = componentKindLabel[kind as keyof typeof componentKindLabel] ?? kind;
  return typeIndex === undefined ? label : `${label} (type ${typeIndex})`;
}

/** Core modules of a component and of its nested components, in file order. */
function allCoreModules(component: ComponentInfo): { module: ModuleInfo }[] {
  const nested = [
    ...component.coreModules.map((m) => ({ offset: m.offset, module: m.module })),
    ...component.components.flatMap((c) => allCoreModules(c).map((m) => ({ offset: m.module.offset, module: m.module }))),
  ];
  return nested.sort((a, b) => a.offset - b.offset);
}

export type { InspectReport, ReportExport, ReportImport, ReportNestedModule, ReportSection } from './report';
