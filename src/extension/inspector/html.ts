/** The inspector webview's HTML: the shared webview shell (../webview/page.ts) with the inspector's root. */
import { webviewPage } from '../webview/page';

export { contentSecurityPolicy, escapeHtml, newNonce } from '../webview/page';

export interface InspectorHtmlOptions {
  /** `webview.cspSource`: the sources the webview serves local resources from (e.g. `'self' https://*.vscode-cdn.net`). */
  cspSource: string;
  /** URL of media/inspector/inspector.js as the webview sees it (`webview.asWebviewUri`). */
  scriptUri: string;
  /** URL of media/inspector/inspector.css. */
  styleUri: string;
  /** A fresh nonce per page load (`newNonce()`). */
  nonce: string;
  /** The binary's file name, for the page title and the first paint. */
  fileName: string;
}

export function inspectorHtml(options: InspectorHtmlOptions): string {
  const { fileName, ...rest } = options;
  return webviewPage({ ...rest, title: fileName, rootId: 'inspector', busyText: `Inspecting ${fileName}…` });
}
