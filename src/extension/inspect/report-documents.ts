/**
 * Read-only virtual Markdown documents holding inspect reports, one per inspected binary. The URI keeps the
 * binary's URI in its query, so a report can be rebuilt when the binary changes on disk (after a build).
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';

export const reportScheme = 'wasm-workbench-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly contents = new Map<string, string>();

  constructor(private readonly render: (binary: vscode.Uri) => Promise<string>) {}

  static reportUriFor(binary: vscode.Uri): vscode.Uri {
    const name = binary.path.split('/').pop() ?? 'module.wasm';
    return vscode.Uri.from({ scheme: reportScheme, path: `/${name} report.md`, query: binary.toString() });
  }

  static binaryUriOf(report: vscode.Uri): vscode.Uri {
    return vscode.Uri.parse(report.query, true);
  }

  /** Stores freshly rendered content (so the command can report errors before opening anything). */
  set(report: vscode.Uri, markdown: string): void {
    this.contents.set(report.toString(), markdown);
    this.changed.fire(report);
  }

  isOpen(report: vscode.Uri): boolean {
    return this.contents.has(report.toString());
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const cached = this.contents.get(uri.toString());
    if (cached !== undefined) return cached;
    // Reopened without the command (e.g. after a window reload): render now, errors become the text.
    try {
      const markdown = await this.render(ReportDocuments.binaryUriOf(uri));
      this.contents.set(uri.toString(), markdown);
      return markdown;
    } catch (error) {
      return `# Wasm report\n\nCould not read ${ReportDocuments.binaryUriOf(uri).fsPath}: ${errorMessage(error)}\n`;
    }
  }

  forget(report: vscode.Uri): void {
    this.contents.delete(report.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}
