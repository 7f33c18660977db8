/** Which post-MVP features a module's structure shows it uses (code bodies are not read, so SIMD in code is not seen). */
import type { ModuleInfo } from '../binary';

/**
 * The two feature rows of a report say different things, and each says which: `features` are seen in the module's
 * own structure (types, memories, tables, globals, tags), so instructions in code bodies are not; `targetFeatures`
 * are what its compiler was allowed to use (the producer's `target_features` section, `+` allowed, `-` not), used
 * or not. The CLI report and the inspector label them with these words.
 */
export const featureRows = {
  used: {
    label: 'Uses (seen in its structure)',
    meaning: 'from its types, memories, tables and globals; instructions in code are not read',
  },
  target: {
    label: 'Compiled for (target features)',
    meaning: 'what the compiler was allowed to use, per its target_features section; not necessarily used',
  },
} as const;

export function structuralFeatures(module: ModuleInfo): string[] {
  const features = new Set<string>();
  const memories = [...module.memories, ...module.imports.flatMap((i) => (i.descriptor.kind === 'memory' ? [i.descriptor.memory] : []))];
  const tables = [...module.tables, ...module.imports.flatMap((i) => (i.descriptor.kind === 'table' ? [i.descriptor.table] : []))];
  if (memories.some((m) => m.is64)) features.add('memory64');
  if (memories.some((m) => m.shared)) features.add('threads');
  if (memories.length > 1) features.add('multi-memory');
  if (memories.some((m) => m.pageSizeLog2 !== undefined)) features.add('custom-page-sizes');
  if (tables.some((t) => t.limits.is64)) features.add('table64');
  if (module.types.some((t) => t.composite.kind !== 'func' || t.explicitRec || !t.final || t.supertypes.length)) features.add('gc');
  const signatures = module.types.flatMap((t) => (t.composite.kind === 'func' ? [...t.composite.params, ...t.composite.results] : []));
  const globals = [
    ...module.globals.map((g) => g.valueType),
    ...module.imports.flatMap((i) => (i.descriptor.kind === 'global' ? [i.descriptor.global.valueType] : [])),
  ];
  const valueTypes = [...signatures, ...globals, ...tables.map((t) => t.element)];
  if (valueTypes.some((t) => t.startsWith('(ref'))) features.add('function-references');
  if (valueTypes.some((t) => /^(anyref|eqref|i31ref|structref|arrayref|nullref)$/.test(t))) features.add('gc');
  if (valueTypes.includes('externref') || tables.length > 1) features.add('reference-types');
  if (valueTypes.some((t) => t === 'exnref' || t === 'nullexnref')) features.add('exception-handling (exnref)');
  if (valueTypes.includes('v128')) features.add('simd');
  if (module.tags.length || module.imports.some((i) => i.kind === 'tag')) features.add('exception-handling');
  if (module.dataCount !== undefined) features.add('bulk-memory');
  if (module.types.some((t) => t.composite.kind === 'func' && t.composite.results.length > 1)) features.add('multi-value');
  const mutableGlobalCrossesBoundary =
    module.exports.some((e) => e.kind === 'global' && e.type.startsWith('(global (mut')) ||
    module.imports.some((i) => i.descriptor.kind === 'global' && i.descriptor.global.mutable);
  if (mutableGlobalCrossesBoundary) features.add('mutable-globals');
  return [...features].sort();
}
