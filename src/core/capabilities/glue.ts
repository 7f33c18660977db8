/**
 * JavaScript glue beside a binary: the loader a toolchain writes next to the `.wasm` (Emscripten's `name.js`).
 * Only its text is looked at here; reading the sibling files is the caller's (see src/core/platform/siblings.ts).
 */

/** What the classifier may be told about a binary beyond its bytes. */
export interface ClassifyHints {
  /** A JavaScript file beside the binary that loads it. */
  glue?: GlueFile;
}

export interface GlueFile {
  /** Its file name, e.g. `app.js`. */
  name: string;
  toolchain: 'emscripten';
}

/**
 * Emscripten's loader, minified or not: it defines `Module` (its public object, never renamed), names the binary
 * it loads, and uses the loader's own vocabulary (`locateFile`, `wasmBinary`, `instantiateWasm`, the `HEAPU8`
 * views, or the word emscripten itself in its comments and error messages).
 */
export function recogniseGlue(script: { name: string; text: string }, wasmName: string): GlueFile | undefined {
  const { text } = script;
  if (!/\bModule\b/.test(text) || !text.includes(wasmName)) return undefined;
  const vocabulary = [/\blocateFile\b/, /\bwasmBinary\b/, /\binstantiateWasm\b/, /\bHEAPU8\b/, /emscripten/i];
  if (vocabulary.filter((word) => word.test(text)).length < 2) return undefined;
  return { name: script.name, toolchain: 'emscripten' };
}
