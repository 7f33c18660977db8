/**
 * Markdown helpers shared by every piece of core that writes prose for people (host summaries, reports).
 * Names from a binary are attacker-controlled, so they only ever enter Markdown through `code`.
 */
import type { RichText } from './rich';

/** A Markdown code span that holds any text (backticks and newlines included) literally. */
export function code(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  const clean = text.replace(/[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Rich text as Markdown: plain runs as they are (core's own words), code spans through `code`. */
export function markdown(text: RichText): string {
  return text.map((part) => (typeof part === 'string' ? part : code(part.code))).join('');
}
