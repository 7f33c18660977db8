/** What VS Code gives a webview page: its one channel to the extension, and a state kept while the page is hidden. */
declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };
