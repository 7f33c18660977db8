/**
 * A small YAML writer for JSON data (the manifests): block style, two-space indent, and a string is written plain
 * only when no YAML 1.1 or 1.2 reader can take it for anything else; otherwise it is double-quoted with JSON escapes,
 * which are valid YAML escapes. Parsing the output gives back the same JSON.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const plain = /^[A-Za-z_/.][A-Za-z0-9_/.@:+=-]*$/;
const special = /^(true|false|yes|no|on|off|y|n|null|~|\.inf|\.nan)$/i;

function scalarString(value: string): string {
  if (value !== '' && plain.test(value) && !value.endsWith(':') && !special.test(value) && !/^\.\d/.test(value)) return value;
  // JSON escapes are YAML double-quoted escapes; YAML also breaks lines at NEL, LS and PS, so escape those too.
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalar(value: Json): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as YAML`);
    return String(value);
  }
  if (typeof value === 'string') return scalarString(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  return Object.keys(value).length === 0 ? '{}' : undefined;
}

function normalise(value: unknown): Json {
  if (value === undefined) throw new TypeError('undefined has no YAML form');
  // Through JSON, as an apply sends it; but NaN and Infinity would silently become null there.
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`cannot write ${v} as YAML`);
      return v;
    }),
  ) as Json;
}

function writeNode(value: Json, indent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = scalar(item);
      if (s !== undefined) {
        lines.push(`${indent}- ${s}`);
        continue;
      }
      // A nested block: its first line goes after the dash, the rest indented under it.
      const inner: string[] = [];
      writeNode(item, `${indent}  `, inner);
      lines.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
    }
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, Json>)) {
    const k = scalarString(key);
    const s = scalar(item);
    if (s !== undefined) lines.push(`${indent}${k}: ${s}`);
    else {
      lines.push(`${indent}${k}:`);
      writeNode(item, `${indent}  `, lines);
    }
  }
}

/** One YAML document (no `---`), ending with a newline. */
export function toYaml(value: unknown): string {
  const json = normalise(value);
  const s = scalar(json);
  if (s !== undefined) return `${s}\n`;
  const lines: string[] = [];
  writeNode(json, '', lines);
  return `${lines.join('\n')}\n`;
}

/** Several documents, each after `---`, with optional `# ` comment lines before each. */
export function toYamlDocuments(docs: readonly { value: unknown; comments?: readonly string[] }[]): string {
  return docs.map((d) => `---\n${(d.comments ?? []).map((c) => `# ${c.replace(/[\r\n]+/g, ' ')}\n`).join('')}${toYaml(d.value)}`).join('');
}
