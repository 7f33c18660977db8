/**
 * The run grants editor's messages, both ways, and the model it shows. Which sections it has comes from the
 * runner's support table (core/run/support.ts): every capability granted on request gets one, with the table's
 * words; the editor only knows how to draw a directory list and a variable list. The webview's messages are
 * untrusted input: anything not exactly one of these shapes is refused (and the page checks what it receives
 * with the same checks, its schema typed as these types: media/run-grants/grants.js).
 *
 * No `vscode` import: the webview tests build these messages in plain Node.
 */
import { capabilityCatalog, type CapabilityId } from '../../core/capabilities';
import type { InspectReport } from '../../core/inspect/report';
import { runCommandLine, runnerSupport, type RunGrants } from '../../core/run';
import type { RichText } from '../../core/text/rich';
import { hasExactly, isPlainObject } from '../webview/checks';

export const grantsViewType = 'wasmWorkbench.runGrants';

/**
 * How the editor draws the grant of a capability the table says is given on request, under the heading the
 * table's editor words name ("add a directory under Directories", "add variables under Environment").
 */
const widgets: Partial<Record<CapabilityId, { widget: 'directories' | 'variables'; title: string }>> = {
  filesystem: { widget: 'directories', title: 'Directories' },
  environment: { widget: 'variables', title: 'Environment' },
};

export interface EditedGrants {
  args: string[];
  env: { key: string; value: string }[];
  dirs: { host: string; guest: string; readOnly: boolean }[];
}

export interface GrantsSection {
  /** `args`, or a capability granted on request. */
  id: string;
  title: string;
  /** What the guest gets (the support table's summary). */
  summary: RichText;
  widget: 'arguments' | 'directories' | 'variables' | 'none';
  /** The binary imports what this capability covers. */
  needed: boolean;
}

export interface GrantsModel {
  fileName: string;
  /** The binary's path in the workspace. */
  label: string;
  /** `run`: a run waits for this answer (its button runs); `edit`: opened to change or revoke. */
  purpose: 'run' | 'edit';
  sections: GrantsSection[];
  /** What it needs that nobody grants here: always given, or off (the table's words). */
  notes: { title: string; text: RichText }[];
  grants: EditedGrants;
  /** Something is remembered for this binary in this workspace. */
  remembered: boolean;
  /** The same grants for `wasm-workbench run`. */
  commandLine: string;
  /** Inspecting the binary failed (the editor still edits its grants). */
  problem?: string;
}

/** Webview → extension. */
export type GrantsMessage =
  | { type: 'ready' }
  /** Choose a host folder for a directory row (`row` = its index, or the row count for a new one). */
  | { type: 'browse'; row: number; grants: EditedGrants }
  /** Save (`then: 'save'`), or save and run (`'run'`). */
  | { type: 'save'; then: 'save' | 'run'; grants: EditedGrants }
  /** The form changed: what would the command line be? */
  | { type: 'preview'; grants: EditedGrants }
  /** Forget everything remembered for this binary. */
  | { type: 'revoke' }
  | { type: 'cancel' };

/** Extension → webview. */
export type GrantsHostMessage =
  | { type: 'state'; model: GrantsModel }
  | { type: 'status'; level: 'info' | 'error'; text: string }
  /** The command line for the grants as they stand in the form (after a `preview`). */
  | { type: 'commandLine'; text: string };

export function grantsModel(options: {
  fileName: string;
  label: string;
  file: string;
  purpose: 'run' | 'edit';
  report: InspectReport | undefined;
  problem?: string;
  grants: RunGrants;
  remembered: boolean;
}): GrantsModel {
  const needs = new Set<string>(options.report?.capabilities.map((c) => c.id) ?? []);
  const title = (id: CapabilityId) => capabilityCatalog.get(id)?.title ?? id;
  // Arguments are the program's own input, not a capability: the section says how its list is read.
  const sections: GrantsSection[] = [
    {
      id: 'args',
      title: 'Arguments',
      summary: ['Each row is one argument, passed exactly as written: no shell splitting, quoting or expansion.'],
      widget: 'arguments',
      needed: true,
    },
  ];
  const notes: { title: string; text: RichText }[] = [];
  for (const [id, support] of Object.entries(runnerSupport) as [CapabilityId, (typeof runnerSupport)[CapabilityId]][]) {
    if (support.level === 'on-grant') {
      const drawn = widgets[id];
      sections.push({
        id,
        title: drawn?.title ?? title(id),
        summary: support.summary,
        widget: drawn?.widget ?? 'none',
        needed: needs.has(id),
      });
    } else if (needs.has(id) && id !== 'args') {
      notes.push({ title: title(id), text: support.summary });
    }
  }
  return {
    fileName: options.fileName,
    label: options.label,
    purpose: options.purpose,
    sections,
    notes,
    grants: editedGrants(options.grants),
    remembered: options.remembered,
    commandLine: runCommandLine(options.label, options.grants),
    ...(options.problem ? { problem: options.problem } : {}),
  };
}

export function editedGrants(grants: RunGrants): EditedGrants {
  return {
    args: [...grants.args],
    env: Object.entries(grants.env).map(([key, value]) => ({ key, value })),
    dirs: grants.dirs.map((d) => ({ host: d.host, guest: d.guest, readOnly: d.readOnly })),
  };
}

// ---------------------------------------------------------------------------------------------
// Checking what the webview sends

/** Bounds on what a page may send: a grants form is small. */
const MAX_ROWS = 1000;
const MAX_TEXT = 32 * 1024;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT;
const isRows = (value: unknown): value is unknown[] => Array.isArray(value) && value.length <= MAX_ROWS;

function parseEdited(value: unknown): EditedGrants | undefined {
  if (!isPlainObject(value) || !hasExactly(value, ['args', 'env', 'dirs'])) return undefined;
  const { args, env, dirs } = value;
  if (!isRows(args) || !args.every(isText)) return undefined;
  if (!isRows(env) || !env.every((e) => isPlainObject(e) && hasExactly(e, ['key', 'value']) && isText(e.key) && isText(e.value)))
    return undefined;
  if (
    !isRows(dirs) ||
    !dirs.every(
      (d) =>
        isPlainObject(d) &&
        hasExactly(d, ['host', 'guest', 'readOnly']) &&
        isText(d.host) &&
        isText(d.guest) &&
        typeof d.readOnly === 'boolean',
    )
  )
    return undefined;
  return {
    args: [...args] as string[],
    env: (env as { key: string; value: string }[]).map(({ key, value }) => ({ key, value })),
    dirs: (dirs as { host: string; guest: string; readOnly: boolean }[]).map(({ host, guest, readOnly }) => ({ host, guest, readOnly })),
  };
}

/** The message when it is exactly a known shape, else undefined. */
export function parseGrantsMessage(value: unknown): GrantsMessage | undefined {
  if (!isPlainObject(value)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'revoke':
    case 'cancel':
      return hasExactly(value, ['type']) ? { type: value.type } : undefined;
    case 'browse': {
      const grants = parseEdited(value.grants);
      if (
        !hasExactly(value, ['type', 'row', 'grants']) ||
        !grants ||
        typeof value.row !== 'number' ||
        !Number.isSafeInteger(value.row) ||
        value.row < 0 ||
        value.row > grants.dirs.length
      )
        return undefined;
      return { type: 'browse', row: value.row, grants };
    }
    case 'preview': {
      const grants = parseEdited(value.grants);
      return hasExactly(value, ['type', 'grants']) && grants ? { type: 'preview', grants } : undefined;
    }
    case 'save': {
      const grants = parseEdited(value.grants);
      if (!hasExactly(value, ['type', 'then', 'grants']) || !grants || (value.then !== 'save' && value.then !== 'run')) return undefined;
      return { type: 'save', then: value.then, grants };
    }
    default:
      return undefined;
  }
}
