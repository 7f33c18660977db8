/** Public face of compiling: WAT → Wasm, Wasm → WAT, and the diagnostics they produce. */
export { compileWat, compileWatFile, type WatCompileOptions, type WatCompileResult, type WatFileResult } from './wat';
export { defaultWatFeatures, parseFeatureList, resolveFeatures, watFeatureNames, type WatFeature, type WatFeatures } from './features';
export type { SourceDiagnostic } from './diagnostics';
export { PrintCancelled, printWat, printWatUtf8, type PrintedBytes, type PrintOptions, type PrintResult } from './print';
export { defaultPrintBudget, describeElisions, hasElisions, type Elisions, type PrintBudget } from './print-plan';
