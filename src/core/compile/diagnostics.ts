/** A compiler message at a place in a source file. Positions are 0-based, as editors use them. */
export interface SourceDiagnostic {
  line: number;
  /** In UTF-16 code units from the start of the line, as editors count. */
  column: number;
  /** Exclusive end column on the same line, when the tool marks a span. */
  endColumn?: number;
  severity: 'error' | 'warning';
  message: string;
  /** Which tool said it: `wasm-tools` (the text), `V8` (validation), `wasm-workbench` (feature settings). */
  source: string;
}
