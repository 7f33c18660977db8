/** What VS Code gives a webview page: its one channel to the extension, and a state kept while the page is hidden. */
declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

/** The message checks the pages share with the extension (src/extension/webview/checks.ts), for JSDoc types. */
type Check<T> = import('../src/extension/webview/checks').Check<T>;
type Wire<T> = import('../src/extension/webview/checks').Wire<T>;
