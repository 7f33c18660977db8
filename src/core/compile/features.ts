/** WebAssembly feature flags for compiling text, by their standard names. */
export const watFeatureNames = [
  'exceptions',
  'mutable_globals',
  'sat_float_to_int',
  'sign_extension',
  'simd',
  'threads',
  'multi_value',
  'tail_call',
  'bulk_memory',
  'reference_types',
  'annotations',
  'code_metadata',
  'gc',
  'memory64',
  'multi_memory',
  'extended_const',
  'relaxed_simd',
  'function_references',
] as const;

export type WatFeature = (typeof watFeatureNames)[number];
export type WatFeatures = Partial<Record<WatFeature, boolean>>;

/** Every proposal that has reached the standard (Wasm 3.0) is on unless turned off. */
export const defaultWatFeatures: Record<WatFeature, boolean> = Object.fromEntries(watFeatureNames.map((name) => [name, true])) as Record<
  WatFeature,
  boolean
>;

export function resolveFeatures(overrides: WatFeatures = {}): Record<WatFeature, boolean> {
  return { ...defaultWatFeatures, ...overrides };
}

/** Parses `--features simd,-threads,gc`: a bare or `+` name turns it on, `-` turns it off. */
export function parseFeatureList(text: string): WatFeatures {
  const features: WatFeatures = {};
  for (const raw of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const off = raw.startsWith('-');
    const name = raw.replace(/^[+-]/, '').replace(/-/g, '_');
    if (!(watFeatureNames as readonly string[]).includes(name)) {
      throw new Error(`unknown feature "${raw}"; known: ${watFeatureNames.join(', ')}`);
    }
    features[name as WatFeature] = !off;
  }
  return features;
}
