/**
 * The hex view's messages, both ways, and the check of what its webview sends (anything that is not exactly one
 * of these shapes is refused). The page reads the file a chunk at a time, so a 30 MB binary costs what is on
 * screen, not its size. The page checks what it receives with the same checks (../webview/checks.ts), its schema
 * typed as these types (media/hex/hex.js, `readHostMessage`).
 *
 * No `vscode` import: the webview tests build the same messages in plain Node.
 */
import type { ByteSpan } from '../../core/inspect/spans';
import { hasExactly, isCount as isOffset, isPlainObject } from '../webview/checks';

export const hexViewType = 'wasmWorkbench.hexView';

/** Most bytes one read may ask for (the page asks for 16 KiB at a time). */
export const MAX_READ_BYTES = 64 * 1024;

/** Webview → extension. */
export type HexWebviewMessage =
  /** The page has loaded (again, after being hidden): send it the file's facts. */
  | { type: 'ready' }
  /** Bytes [offset, offset + length) of the file, as of `revision`. */
  | { type: 'read'; offset: number; length: number; revision: number };

export interface HexFile {
  fileName: string;
  size: number;
  /** The header and sections, end to end (none when the file is not a Wasm binary the reader understands). */
  spans: ByteSpan[];
  /** Why there are no sections to mark, when there are none. */
  note?: string;
  /** Counts reloads (the file changed on disk): bytes of an older revision are dropped. */
  revision: number;
}

/** Extension → webview. */
export type HexHostMessage =
  | { type: 'file'; file: HexFile }
  /** `data` is base64. */
  | { type: 'bytes'; revision: number; offset: number; data: string }
  /** Scroll to a byte and select it (from the inspector's section table, or the command). */
  | { type: 'reveal'; offset: number }
  | { type: 'error'; fileName: string; message: string; revision: number };

/** The message when it is exactly a known shape with sane numbers, else undefined. */
export function parseHexWebviewMessage(value: unknown): HexWebviewMessage | undefined {
  if (!isPlainObject(value)) return undefined;
  if (value.type === 'ready' && hasExactly(value, ['type'])) return { type: 'ready' };
  if (
    value.type === 'read' &&
    hasExactly(value, ['type', 'offset', 'length', 'revision']) &&
    isOffset(value.offset) &&
    isOffset(value.length) &&
    value.length > 0 &&
    value.length <= MAX_READ_BYTES &&
    isOffset(value.revision)
  ) {
    return { type: 'read', offset: value.offset, length: value.length, revision: value.revision };
  }
  return undefined;
}
