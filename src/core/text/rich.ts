/**
 * Text for people that core writes (host summaries and notes, grant hints, support lines): plain text with code
 * spans for commands, flags and names from a binary. Core returns it as data, never as Markup; each front renders
 * it its own way: Markdown (`markdown` in ./markdown.ts), plain text (`plainText`: terminals, notifications,
 * refusals), DOM elements (the webviews' `prose()`, which builds <code> elements for the spans).
 */

/** A run of plain text, or a code span (its text shown literally, whatever characters it holds). */
export type RichPart = string | { code: string };
export type RichText = readonly RichPart[];

/** A code span. */
export const c = (text: string): RichPart => ({ code: text });

/** Rich text from a template: rich`run ${c('wasmtime serve')} instead`. Values may be text, parts or rich text. */
export function rich(strings: TemplateStringsArray, ...values: (string | number | RichPart | RichText)[]): RichText {
  const parts: RichPart[] = [];
  strings.forEach((text, i) => {
    push(parts, text);
    if (i < values.length) {
      const value = values[i]!;
      if (Array.isArray(value)) for (const part of value as RichText) push(parts, part);
      else push(parts, typeof value === 'number' ? String(value) : (value as RichPart));
    }
  });
  return parts;
}

/** Items joined with a separator (code spans stay spans). */
export function joinRich(items: readonly (RichPart | RichText)[], separator: string): RichText {
  const parts: RichPart[] = [];
  items.forEach((item, i) => {
    if (i > 0) push(parts, separator);
    if (Array.isArray(item)) for (const part of item as RichText) push(parts, part);
    else push(parts, item as RichPart);
  });
  return parts;
}

/** The text without markup: code spans as they are (for terminals, notifications and messages). */
export function plainText(text: RichText): string {
  return text.map((part) => (typeof part === 'string' ? part : part.code)).join('');
}

/** Appends a part, merging adjacent plain text and dropping empty text. */
function push(parts: RichPart[], part: RichPart): void {
  if (typeof part === 'string') {
    if (part === '') return;
    const last = parts.at(-1);
    if (typeof last === 'string') parts[parts.length - 1] = last + part;
    else parts.push(part);
  } else parts.push({ code: part.code });
}
