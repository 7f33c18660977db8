/**
 * The inspector panel's messages, both ways, and the check of what the webview sends. The webview is
 * untrusted input as far as the extension is concerned (it renders names taken from the binary), so anything
 * that is not exactly one of these shapes is refused. The page checks what it receives with the same checks
 * (../webview/checks.ts), its schema typed as these types (media/inspector/inspector.js, `readHostMessage`).
 *
 * No `vscode` import: the webview tests and the benchmark build the same messages in plain Node.
 */
import type { InspectReport } from '../../core/inspect/report';
import type { featureRows } from '../../core/inspect/features';
import type { SizeBreakdown } from '../../core/inspect/size';
import type { ByteSpan } from '../../core/inspect/spans';
import { hasExactly, isPlainObject } from '../webview/checks';

export const inspectorViewType = 'wasmWorkbench.inspector';

/** What the panel's buttons ask for. */
export const inspectorActions = ['openAsWat', 'openAsHex', 'reopenWith', 'run', 'editGrants', 'deploy', 'manageTrust', 'copyJson'] as const;
export type InspectorAction = (typeof inspectorActions)[number];

/** Webview → extension. */
export type WebviewMessage =
  /** The page has loaded (again, after being hidden): send it what to show. */
  | { type: 'ready' }
  | { type: 'action'; action: InspectorAction }
  /** Show the bytes from `offset` in the hex view (a row of the sections table). */
  | { type: 'showBytes'; offset: number };

/** The report as the panel shows it: function bodies are replaced by the size picture's largest ones. */
export type InspectorReport = Omit<InspectReport, 'functions'> & { functions: Omit<InspectReport['functions'], 'bodies'> };

export interface InspectorModel {
  fileName: string;
  report: InspectorReport;
  size: SizeBreakdown;
  /**
   * Which actions the panel offers: Run and Deploy (absent: not offered; disabled with the reason: a binary that
   * cannot run or be deployed, or Restricted Mode), the run grants editor, and Manage Workspace Trust.
   */
  actions: { run?: ActionOffer; deploy?: ActionOffer; grants: boolean; manageTrust: boolean };
  /** Counts reloads (the binary changed on disk); the webview keeps its scroll position across them. */
  revision: number;
  /** What the two feature rows are called and mean (core's wording, shared with the CLI report). */
  featureRows: typeof featureRows;
  /** The header and each section, end to end, for the sections table (each row opens the hex view there). */
  spans: ByteSpan[];
}

export interface ActionOffer {
  enabled: boolean;
  /** Why it is disabled. */
  reason?: string;
}

/** Extension → webview. */
export type HostMessage =
  | { type: 'report'; model: InspectorModel }
  | { type: 'error'; fileName: string; message: string; revision: number }
  | { type: 'status'; text: string; level: 'info' | 'error' };

/** The message when it is exactly a known shape, else undefined (unknown types, extra keys, wrong values). */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isPlainObject(value)) return undefined;
  if (value.type === 'ready' && hasExactly(value, ['type'])) return { type: 'ready' };
  if (
    value.type === 'action' &&
    hasExactly(value, ['type', 'action']) &&
    typeof value.action === 'string' &&
    (inspectorActions as readonly string[]).includes(value.action)
  ) {
    return { type: 'action', action: value.action as InspectorAction };
  }
  if (
    value.type === 'showBytes' &&
    hasExactly(value, ['type', 'offset']) &&
    typeof value.offset === 'number' &&
    Number.isSafeInteger(value.offset) &&
    value.offset >= 0
  ) {
    return { type: 'showBytes', offset: value.offset };
  }
  return undefined;
}
