/** A compiler message at a place in a source file. Positions are 0-based, as editors use them. */
export interface SourceDiagnostic {
  line: number;
  column: number;
  /** Exclusive end column on the same line, when the tool marks a span. */
  endColumn?: number;
  severity: 'error' | 'warning';
  message: string;
  /** Which tool said it: `wabt`, `wasm-tools`, `binaryen`. */
  source: string;
}

/** `file:12:5: error: message` (1-based, as wabt, clang and gcc write), then an optional source line and carets. */
export function parseColonDiagnostics(output: string, source: string): SourceDiagnostic[] {
  const lines = output.split('\n');
  const diagnostics: SourceDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(?:.*?):(\d+):(\d+): (error|warning): (.*)$/.exec(lines[i]!);
    if (!match) continue;
    const diagnostic: SourceDiagnostic = {
      line: Number(match[1]) - 1,
      column: Number(match[2]) - 1,
      severity: match[3] as 'error' | 'warning',
      message: match[4]!.trim(),
      source,
    };
    const caret = lines[i + 2] !== undefined ? /^(\s*)(\^+)\s*$/.exec(lines[i + 2]!) : null;
    if (caret && caret[1]!.length === diagnostic.column) diagnostic.endColumn = diagnostic.column + caret[2]!.length;
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}
