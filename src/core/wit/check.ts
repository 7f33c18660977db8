/**
 * Diagnostics for a `.wit` file from wasm-tools' WIT parser (the same jco build that compiles WAT).
 *
 * That build reports a WIT error without its position (it prints only the message), so the position is
 * found here: for a syntax error, the shortest prefix of the text that fails with the very same message
 * ends at the offending token (the parser stops at the first error, so a shorter prefix fails differently);
 * for a name that does not resolve, the first place the name is used.
 */
import type { SourceDiagnostic } from '../compile/diagnostics';
import { LineIndex } from '../compile/source-map';
import { errorMessage } from '../errors';
import { loadWasmTools } from '../platform/wasm-tools';

/** The world used to check a file that declares none (WIT files of interfaces only are fine). */
const checkWorld = 'wasm-workbench-check';

export async function checkWit(text: string): Promise<SourceDiagnostic[]> {
  const tools = await loadWasmTools();
  const problem = async (source: string): Promise<string | undefined> => {
    const worlds = [...source.matchAll(/^\s*world\s+(%?[a-z][a-z0-9-]*)/gm)].map((m) => m[1]!);
    const withWorld = worlds.length ? source : `${source}\nworld ${checkWorld} {}\n`;
    try {
      await tools.componentWitMetadataForWorld({ tag: 'source', val: withWorld }, worlds[0]?.replace(/^%/, '') ?? checkWorld);
      return undefined;
    } catch (error) {
      return errorMessage(error);
    }
  };
  const message = await problem(text);
  if (message === undefined) return [];
  // Packages from a deps/ folder are not visible to a one-file check: say nothing rather than something wrong.
  if (/^package '[^']+' not found/.test(message)) return [];
  const lines = new LineIndex(text);
  const span = (await syntaxErrorSpan(text, message, problem)) ?? nameSpan(text, message) ?? { start: 0, end: 0 };
  const start = lines.position(span.start);
  const end = lines.position(span.end);
  return [
    {
      line: start.line,
      column: start.column,
      ...(end.line === start.line && span.end > span.start ? { endColumn: end.column } : {}),
      severity: 'error',
      message: message.split('\n')[0]!,
      source: 'wit-parser',
    },
  ];
}

async function syntaxErrorSpan(
  text: string,
  message: string,
  problem: (source: string) => Promise<string | undefined>,
): Promise<{ start: number; end: number } | undefined> {
  if (!/^expected .*, found /.test(message) && !/^(invalid|unexpected|unterminated)/i.test(message)) return undefined;
  let low = 0;
  let high = text.length;
  // Invariant: the prefix of length `high` fails with the same message, the prefix of length `low` does not.
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if ((await problem(text.slice(0, mid))) === message) high = mid;
    else low = mid;
  }
  let start = high - 1;
  while (start > 0 && /[\w%-]/.test(text[start - 1]!) && /[\w%-]/.test(text[start]!)) start--;
  return { start, end: high };
}

function nameSpan(text: string, message: string): { start: number; end: number } | undefined {
  const name = /`([^`]+)`/.exec(message)?.[1] ?? /'([^']+)'/.exec(message)?.[1];
  if (!name) return undefined;
  const code = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (comment) => ' '.repeat(comment.length));
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\w-])%?${escaped}(?![\\w-])`).exec(code);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}
