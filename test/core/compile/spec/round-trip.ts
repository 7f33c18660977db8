/** The round-trip check shared by the spec testsuite run and the real-program round trips. */
import { compileWat } from '../../../../src/core/compile';
import { wasmTools } from '../../../fixtures/tools';

/** Undefined when bytes → text → bytes prints the same text; else what went wrong. */
export async function roundTripProblem(bytes: Uint8Array, text?: string): Promise<string | undefined> {
  const tools = await wasmTools();
  const printed = text ?? (await tools.print(bytes));
  const compiled = await compileWat(printed);
  if (!compiled.ok) return `the printed text does not compile: ${JSON.stringify(compiled.diagnostics[0])}`;
  const again = await tools.print(compiled.bytes);
  if (again !== printed && comparable(again) !== comparable(printed)) {
    const a = comparable(printed).split('\n');
    const b = comparable(again).split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    return `printed differently after the round trip, first at line ${line + 1}: ${JSON.stringify(a[line]?.slice(0, 120))} vs ${JSON.stringify(b[line]?.slice(0, 120))}`;
  }
  return undefined;
}

/**
 * The printed text with custom sections (`(@custom ...)`, `(@producers ...)`) sorted and without their
 * placement: wasm-tools may write them back in another order, which changes no section's content.
 */
function comparable(text: string): string {
  const lines = text.split('\n');
  const items: string[][] = [];
  for (const line of lines) {
    if (/^ {2}\(|^\)/.test(line) || !items.length) items.push([line]);
    else items.at(-1)!.push(line);
  }
  const isCustom = (item: string[]) => /^ {2}\(@(custom|producers)\b/.test(item[0]!);
  const custom = items
    .filter(isCustom)
    .map((item) => item.join('\n').replace(/^( {2}\(@custom "(?:[^"\\]|\\.)*") \((?:before|after) [a-z]+\)/, '$1'))
    .sort();
  return [...items.filter((item) => !isCustom(item)).map((item) => item.join('\n')), ...custom].join('\n');
}
