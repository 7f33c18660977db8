// @ts-check
/**
 * Building a webview page's DOM, as text only: every string (names from a binary, paths, messages) becomes a text
 * node or an attribute value, never HTML. The pages' Content-Security-Policy refuses inline script anyway.
 */

/**
 * An element with attributes (set as values, never parsed) and children (strings become text nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | undefined>} [attrs]
 * @param {...(Node | string | undefined | null | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== undefined && child !== null && child !== false) node.append(child);
  return node;
}

// Control and format characters (zero-width spaces, bidi overrides...) can make one name look like another, or
// reorder the text around it: they are shown as visible escapes.
const invisible = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** @param {string} text */
export function visible(text) {
  return text.replace(invisible, (c) => `\\u{${/** @type {number} */ (c.codePointAt(0)).toString(16).toUpperCase()}}`);
}

/**
 * A name from the binary, isolated from the text around it. Long names (`wasi:filesystem/preopens@0.2.3`) may wrap
 * after their separators rather than anywhere mid-word: a <wbr> follows each one.
 * @param {string} text @param {string} [cls]
 */
export function name(text, cls = 'name') {
  const node = h('code', { class: cls, dir: 'ltr' });
  for (const piece of visible(text).split(/(?<=[/:.#@_,)-])/)) node.append(piece, document.createElement('wbr'));
  node.lastChild?.remove();
  return node;
}

/**
 * Prose written by core (host summaries, notes, grant hints, the runner's support lines): plain text and code spans
 * (src/core/text/rich.ts). The spans become <code> elements; everything is text.
 * @param {readonly (string | { code: string })[]} text
 */
export function prose(text) {
  const out = document.createDocumentFragment();
  for (const part of text) out.append(typeof part === 'string' ? part : name(part.code));
  return out;
}
