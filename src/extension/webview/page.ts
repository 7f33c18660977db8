/**
 * The HTML shell of this extension's webviews (the inspector, the hex view): a strict Content-Security-Policy
 * (scripts only with this load's nonce, styles only from the extension's media folder or with the nonce, nothing
 * remote, no eval, no inline handlers), one stylesheet and one script from media/, and an empty root element that
 * the script fills from messages, with DOM text nodes: no name from a binary is ever written into HTML.
 *
 * No `vscode` import: the webview tests load this same HTML in Chromium.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewPageOptions {
  /** `webview.cspSource`: the sources the webview serves local resources from (e.g. `'self' https://*.vscode-cdn.net`). */
  cspSource: string;
  /** URL of the page's script as the webview sees it (`webview.asWebviewUri`). */
  scriptUri: string;
  /** URL of the page's stylesheet. */
  styleUri: string;
  /** A fresh nonce per page load (`newNonce()`). */
  nonce: string;
  /** The page title (a file name: escaped). */
  title: string;
  /** Id of the element the script fills. */
  rootId: string;
  /** What the page says until the script has painted (escaped). */
  busyText: string;
}

/** 128 random bits, base64: what CSP nonces should be. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text and attribute values in HTML (double-quoted attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => htmlEscapes[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function webviewPage(options: WebviewPageOptions): string {
  const { cspSource, scriptUri, styleUri, nonce, title, rootId, busyText } = options;
  // A nonce or source with quotes or semicolons could widen the policy: refuse rather than escape.
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('webview: the CSP nonce must be base64 of at least 16 characters');
  // VS Code gives e.g. `'self' https://*.vscode-cdn.net`: host or scheme sources, and 'self' as the only keyword.
  const sources = cspSource.trim().split(/\s+/);
  if (!cspSource.trim() || !sources.every((s) => s === "'self'" || /^[^;,'"]+$/.test(s)))
    throw new Error(`webview: unexpected CSP source ${JSON.stringify(cspSource)}`);
  if (!/^[a-z][\w-]*$/.test(rootId)) throw new Error(`webview: bad root id ${JSON.stringify(rootId)}`);
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(styleUri)}" nonce="${e(nonce)}">
<title>${e(title)}</title>
</head>
<body>
<main id="${rootId}" aria-busy="true">
<p class="loading" role="status">${e(busyText)}</p>
</main>
<script nonce="${e(nonce)}" src="${e(scriptUri)}"></script>
</body>
</html>
`;
}
