// The extension's run API as the integration tests see it: each run's result, however the run was started.
import * as vscode from 'vscode';

const EXTENSION_ID = 'wasm-workbench.wasm-workbench';

export interface RunResult {
  exitCode: number;
  end: string;
  transcript: string;
  outputChars: number;
  peakQueuedChars: number;
}

/** The extension's API: every run's end, however it was started. */
export async function runs(): Promise<vscode.Event<RunResult & { binary: vscode.Uri }>> {
  const extension = vscode.extensions.getExtension<{ runs: { onDidEndRun: vscode.Event<RunResult & { binary: vscode.Uri }> } }>(
    EXTENSION_ID,
  )!;
  return (await extension.activate()).runs.onDidEndRun;
}

/** The next run of `file` to end. */
export async function nextRunOf(file: string, timeoutMs = 30_000): Promise<RunResult> {
  const onDidEndRun = await runs();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no run of ${file} ended within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const listener = onDidEndRun((run) => {
      if (run.binary.fsPath !== file) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(run);
    });
  });
}
