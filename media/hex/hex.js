// @ts-check
/**
 * The hex view's page (a VS Code webview; see src/extension/hex/). It gets the file's size and its sections in one
 * message and asks for the bytes on screen, 16 KiB at a time, keeping a few hundred chunks; so a 30 MB binary
 * costs what is on screen. Rows are virtual: only the rows in view exist, and past a few million pixels the
 * scroll bar stands for the file in proportion (the wheel and the keys still move by rows).
 *
 * Every text is set with textContent; messages are checked before use (`readHostMessage`). No innerHTML, eval or
 * inline handler here, and the page's Content-Security-Policy would refuse them anyway.
 */
import { formatBytes } from '../../src/core/text/bytes';
import {
  arrayOf,
  hasExactly,
  isCount as isOffset,
  isPlainObject as isObject,
  isString,
  oneOf,
  shape,
} from '../../src/extension/webview/checks';
import { h, visible } from '../common/dom.js';

/** The file as the page has checked it (src/extension/hex/protocol.ts). @typedef {Wire<import('../../src/extension/hex/protocol').HexFile>} HexFile */
/** @typedef {Wire<import('../../src/core/inspect/spans').ByteSpan>} Span */

(() => {
  'use strict';

  const vscode = acquireVsCodeApi();
  const root = /** @type {HTMLElement} */ (document.getElementById('hex'));

  const BYTES_PER_ROW = 16;
  const ROW_HEIGHT = 20;
  const CHUNK = 16 * 1024;
  const MAX_CHUNKS = 256;
  // Browsers cap an element's height (Chromium near 33 million px): past this the scroll bar is proportional.
  const MAX_SCROLL_PX = 4_000_000;

  // ---------------------------------------------------------------------------------------------
  // Checking what the extension sends

  const isSpanShape = shape({
    name: isString,
    label: isString,
    kind: oneOf('header', 'section', 'custom'),
    start: isOffset,
    payloadStart: isOffset,
    end: isOffset,
  });
  /** A span whose bounds are in order. @type {Check<Span>} */
  const isSpan = (v) => isSpanShape(v) && v.start <= v.payloadStart && v.payloadStart <= v.end;
  /** @type {Check<HexFile>} */
  const isFile = shape({ fileName: isString, size: isOffset, spans: arrayOf(isSpan), revision: isOffset }, { note: isString });

  /**
   * @param {unknown} data
   * @returns {{ type: 'file', file: HexFile } | { type: 'bytes', revision: number, offset: number, data: string } | { type: 'reveal', offset: number } | { type: 'error', fileName: string, message: string, revision: number } | undefined}
   */
  function readHostMessage(data) {
    if (!isObject(data)) return undefined;
    if (data.type === 'file' && hasExactly(data, ['type', 'file']) && isFile(data.file)) return /** @type {any} */ (data);
    if (
      data.type === 'bytes' &&
      hasExactly(data, ['type', 'revision', 'offset', 'data']) &&
      isOffset(data.revision) &&
      isOffset(data.offset) &&
      isString(data.data)
    )
      return /** @type {any} */ (data);
    if (data.type === 'reveal' && hasExactly(data, ['type', 'offset']) && isOffset(data.offset)) return /** @type {any} */ (data);
    if (
      data.type === 'error' &&
      hasExactly(data, ['type', 'fileName', 'message', 'revision']) &&
      isString(data.fileName) &&
      isString(data.message) &&
      isOffset(data.revision)
    )
      return /** @type {any} */ (data);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Text

  /** @param {number} n @param {number} [width] */
  const hex = (n, width = 0) => n.toString(16).toUpperCase().padStart(width, '0');
  const numberFormat = new Intl.NumberFormat('en-US');
  const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => hex(i, 2));
  /** @param {number} b */
  const printable = (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

  // ---------------------------------------------------------------------------------------------
  // State

  /** @type {HexFile | undefined} */
  let file;
  /** @type {Map<number, Uint8Array>} chunk index → bytes, oldest first */
  const chunks = new Map();
  /** @type {Set<number>} */
  const requested = new Set();
  let firstRow = 0;
  let selected = -1;
  let offsetWidth = 8;

  /** @returns {{ fileName?: string, size?: number, firstRow?: number, selected?: number }} */
  function savedState() {
    const s = vscode.getState();
    return isObject(s) ? /** @type {any} */ (s) : {};
  }
  function saveState() {
    if (file) vscode.setState({ fileName: file.fileName, size: file.size, firstRow, selected });
  }

  // ---------------------------------------------------------------------------------------------
  // Page

  const title = h('h1', { id: 'title' });
  const facts = h('p', { class: 'facts' });
  const offsetInput = h('input', {
    type: 'text',
    id: 'goto',
    class: 'goto',
    placeholder: 'Offset: 0x1A2B or 6699',
    'aria-label': 'Go to offset (hexadecimal with 0x, or decimal)',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const gotoButton = h('button', { type: 'button', id: 'goto-button' }, 'Go');
  const sectionSelect = h('select', { id: 'section', 'aria-label': 'Go to a section' });
  const status = h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const rowsElement = h('div', { class: 'rows', role: 'presentation' });
  const spacer = h('div', { class: 'spacer', 'aria-hidden': 'true' });
  const viewport = h(
    'div',
    {
      id: 'bytes',
      class: 'viewport',
      tabindex: 0,
      role: 'grid',
      'aria-label': 'Bytes: arrow keys move the selection, Page Up and Page Down by screens, Ctrl+Home and Ctrl+End to the ends',
      'aria-readonly': 'true',
    },
    rowsElement,
    spacer,
  );
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('label', { for: 'goto', class: 'visually-hidden' }, 'Go to offset'),
    offsetInput,
    gotoButton,
    h('label', { for: 'section', class: 'visually-hidden' }, 'Section'),
    sectionSelect,
  );

  function layout() {
    root.replaceChildren(h('header', { class: 'page-header' }, title, facts, toolbar, status), viewport);
  }

  // ---------------------------------------------------------------------------------------------
  // Geometry

  const totalRows = () => (file ? Math.ceil(file.size / BYTES_PER_ROW) : 0);
  const visibleRows = () => Math.max(1, Math.floor(viewport.clientHeight / ROW_HEIGHT));
  const lastFirstRow = () => Math.max(0, totalRows() - visibleRows());
  const scaled = () => totalRows() * ROW_HEIGHT > MAX_SCROLL_PX;

  function sizeSpacer() {
    const height = Math.min(totalRows() * ROW_HEIGHT, MAX_SCROLL_PX);
    // The rows stick to the top of the viewport; the spacer gives the rest of the scroll height.
    spacer.style.height = `${Math.max(0, height - viewport.clientHeight)}px`;
  }

  function rowFromScroll() {
    const range = viewport.scrollHeight - viewport.clientHeight;
    if (range <= 0) return 0;
    if (!scaled()) return Math.min(lastFirstRow(), Math.round(viewport.scrollTop / ROW_HEIGHT));
    return Math.round((viewport.scrollTop / range) * lastFirstRow());
  }

  let syncing = false;
  /** Moves the view so that `row` is the first row shown. @param {number} row */
  function scrollToRow(row) {
    firstRow = Math.max(0, Math.min(lastFirstRow(), Math.round(row)));
    const range = viewport.scrollHeight - viewport.clientHeight;
    const top = !scaled() ? firstRow * ROW_HEIGHT : lastFirstRow() ? (firstRow / lastFirstRow()) * range : 0;
    // The scroll event this causes must not move the rows again (rounding in proportional mode).
    if (Math.abs(viewport.scrollTop - top) >= 1) {
      syncing = true;
      viewport.scrollTop = top;
    }
    paint();
    saveState();
  }

  // ---------------------------------------------------------------------------------------------
  // Sections

  /** Index of the span holding `offset`, or -1. @param {number} offset */
  function spanAt(offset) {
    const spans = file?.spans ?? [];
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const span = /** @type {Span} */ (spans[mid]);
      if (offset < span.start) hi = mid - 1;
      else if (offset >= span.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------
  // Bytes

  /** @param {number} offset */
  function byteAt(offset) {
    const chunk = chunks.get(Math.floor(offset / CHUNK));
    return chunk ? chunk[offset % CHUNK] : undefined;
  }

  /** Asks for the chunks rows [from, to) need. @param {number} from @param {number} to */
  function request(from, to) {
    if (!file) return;
    const first = Math.floor((from * BYTES_PER_ROW) / CHUNK);
    const last = Math.floor((Math.min(file.size, to * BYTES_PER_ROW) - 1) / CHUNK);
    for (let index = first; index <= last; index++) {
      if (chunks.has(index) || requested.has(index)) continue;
      requested.add(index);
      const offset = index * CHUNK;
      vscode.postMessage({ type: 'read', offset, length: Math.min(CHUNK, file.size - offset), revision: file.revision });
    }
  }

  /** @param {number} offset @param {string} data */
  function receive(offset, data) {
    if (offset % CHUNK !== 0) return;
    const binary = atob(data);
    const chunk = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) chunk[i] = binary.charCodeAt(i);
    const index = offset / CHUNK;
    requested.delete(index);
    chunks.set(index, chunk);
    // Forget the oldest chunks, never the ones on screen.
    const onScreen = new Set();
    for (let row = firstRow; row < firstRow + visibleRows() + 1; row++) onScreen.add(Math.floor((row * BYTES_PER_ROW) / CHUNK));
    for (const key of chunks.keys()) {
      if (chunks.size <= MAX_CHUNKS) break;
      if (!onScreen.has(key)) chunks.delete(key);
    }
    paint();
  }

  // ---------------------------------------------------------------------------------------------
  // Painting

  function paint() {
    if (!file) return;
    const count = Math.min(visibleRows() + 1, totalRows() - firstRow);
    request(firstRow, firstRow + count + visibleRows()); // this screen and the next
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < count; i++) fragment.append(rowElement(firstRow + i));
    rowsElement.replaceChildren(fragment);
    document.body.setAttribute('data-first-offset', String(firstRow * BYTES_PER_ROW));
  }

  /** @param {number} row */
  function rowElement(row) {
    const start = row * BYTES_PER_ROW;
    const end = Math.min(/** @type {HexFile} */ (file).size, start + BYTES_PER_ROW);
    const line = h('div', { class: 'row', role: 'row', 'data-offset': start, 'aria-rowindex': row + 1 });
    line.append(h('span', { class: 'offset', role: 'rowheader' }, hex(start, offsetWidth)));
    const cells = h('span', { class: 'cells', role: 'gridcell' });
    let ascii = '';
    /** @type {string[]} */
    const marks = [];
    for (let offset = start; offset < start + BYTES_PER_ROW; offset++) {
      if (offset >= end) {
        cells.append(h('span', { class: 'b pad' }, '  '));
        continue;
      }
      const value = byteAt(offset);
      const index = spanAt(offset);
      const span = index >= 0 ? /** @type {HexFile} */ (file).spans[index] : undefined;
      let cls = `b ${span ? `k-${span.kind} t${index % 2}` : ''}`;
      if (span && offset === span.start) {
        cls += ' first';
        marks.push(span.label);
      }
      if (span && offset < span.payloadStart) cls += ' head';
      if (offset === selected) cls += ' selected';
      if (value === undefined) cls += ' loading';
      cells.append(h('span', { class: cls, 'data-offset': offset }, value === undefined ? '··' : /** @type {string} */ (HEX_PAIRS[value])));
      ascii += value === undefined ? ' ' : printable(value);
    }
    line.append(cells, h('span', { class: 'ascii' }, ascii), h('span', { class: 'mark' }, marks.join(' · ')));
    return line;
  }

  /** @param {number} offset */
  function describe(offset) {
    if (!file || offset < 0 || offset >= file.size) return '';
    const value = byteAt(offset);
    const index = spanAt(offset);
    const span = index >= 0 ? file.spans[index] : undefined;
    const parts = [`Offset 0x${hex(offset)} (${numberFormat.format(offset)})`];
    if (value !== undefined)
      parts.push(`byte 0x${HEX_PAIRS[value]} = ${value}${value >= 0x20 && value < 0x7f ? ` '${String.fromCharCode(value)}'` : ''}`);
    if (span) {
      const where =
        span.kind === 'header'
          ? 'magic number and version'
          : offset < span.payloadStart
            ? 'section id and size'
            : `payload, byte ${numberFormat.format(offset - span.payloadStart)}`;
      parts.push(`${visible(span.label)} (0x${hex(span.start)}–0x${hex(span.end)}, ${formatBytes(span.end - span.start)}): ${where}`);
    }
    return parts.join(' · ');
  }

  /** Selects `offset` and brings its row into view (near the top when it was off screen). @param {number} offset */
  function select(offset, { center = false } = {}) {
    if (!file || file.size === 0) return;
    selected = Math.max(0, Math.min(file.size - 1, offset));
    const row = Math.floor(selected / BYTES_PER_ROW);
    if (center || row < firstRow || row >= firstRow + visibleRows())
      scrollToRow(center ? row - 2 : row < firstRow ? row : row - visibleRows() + 1);
    else paint();
    status.textContent = describe(selected);
    const index = spanAt(selected);
    if (index >= 0) sectionSelect.value = String(index);
    saveState();
  }

  // ---------------------------------------------------------------------------------------------
  // Input

  viewport.addEventListener(
    'scroll',
    () => {
      if (syncing) {
        syncing = false;
        return;
      }
      const row = rowFromScroll();
      if (row !== firstRow) {
        firstRow = row;
        paint();
        saveState();
      }
    },
    { passive: true },
  );

  // In proportional mode the wheel moves by rows, as in a small file.
  viewport.addEventListener(
    'wheel',
    (event) => {
      if (!scaled()) return;
      event.preventDefault();
      const lines = event.deltaMode === 1 ? event.deltaY : event.deltaMode === 2 ? event.deltaY * visibleRows() : event.deltaY / ROW_HEIGHT;
      scrollToRow(firstRow + (lines > 0 ? Math.ceil(lines) : Math.floor(lines)));
    },
    { passive: false },
  );

  viewport.addEventListener('keydown', (event) => {
    if (!file) return;
    const page = visibleRows() * BYTES_PER_ROW;
    const at = selected < 0 ? firstRow * BYTES_PER_ROW : selected;
    /** @type {Record<string, number>} */
    const moves = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      ArrowDown: at + BYTES_PER_ROW,
      ArrowUp: at - BYTES_PER_ROW,
      PageDown: at + page,
      PageUp: at - page,
      Home: event.ctrlKey || event.metaKey ? 0 : at - (at % BYTES_PER_ROW),
      End: event.ctrlKey || event.metaKey ? file.size - 1 : at - (at % BYTES_PER_ROW) + BYTES_PER_ROW - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(next);
  });

  rowsElement.addEventListener('click', (event) => {
    const cell = event.target instanceof Element ? event.target.closest('[data-offset].b') : null;
    const offset = Number(cell?.getAttribute('data-offset'));
    if (cell && Number.isSafeInteger(offset)) {
      select(offset);
      viewport.focus({ preventScroll: true });
    }
  });
  rowsElement.addEventListener('mouseover', (event) => {
    const cell = event.target instanceof Element ? event.target.closest('[data-offset].b') : null;
    const offset = Number(cell?.getAttribute('data-offset'));
    if (cell && Number.isSafeInteger(offset)) status.textContent = describe(offset);
  });
  rowsElement.addEventListener('mouseleave', () => {
    status.textContent = selected >= 0 ? describe(selected) : '';
  });

  /** @param {string} text @returns {number | string} an offset, or why the text is not one */
  function parseOffset(text) {
    const t = text.trim().replace(/_/g, '');
    let value;
    if (/^0x[0-9a-f]+$/i.test(t)) value = parseInt(t.slice(2), 16);
    else if (/^[0-9]+$/.test(t)) value = parseInt(t, 10);
    else return 'Type an offset: hexadecimal with 0x (0x1A2B) or decimal (6699).';
    if (!file || value >= file.size) return `0x${hex(value)} is past the end (the file has ${numberFormat.format(file?.size ?? 0)} bytes).`;
    return value;
  }
  function go() {
    const parsed = parseOffset(offsetInput.value);
    if (typeof parsed === 'string') {
      status.textContent = parsed;
      offsetInput.setAttribute('aria-invalid', 'true');
      return;
    }
    offsetInput.removeAttribute('aria-invalid');
    select(parsed, { center: true });
  }
  gotoButton.addEventListener('click', go);
  offsetInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') go();
  });
  sectionSelect.addEventListener('change', () => {
    const span = file?.spans[Number(sectionSelect.value)];
    if (span) select(span.start, { center: true });
  });
  window.addEventListener('resize', () => {
    if (!file) return;
    sizeSpacer();
    scrollToRow(firstRow);
  });

  // ---------------------------------------------------------------------------------------------
  // Messages

  /** @param {HexFile} next */
  function open(next) {
    const same = file && file.fileName === next.fileName;
    file = next;
    chunks.clear();
    requested.clear();
    offsetWidth = Math.max(8, hex(Math.max(0, next.size - 1)).length);
    document.title = next.fileName;
    if (!root.contains(viewport)) layout();
    title.textContent = visible(next.fileName);
    const sections = next.spans.filter((s) => s.kind !== 'header').length;
    facts.textContent = `${formatBytes(next.size)} (${numberFormat.format(next.size)} bytes)${next.spans.length ? ` · ${sections} section${sections === 1 ? '' : 's'}, each marked where it starts` : ''}${next.note ? ` · ${visible(next.note)}` : ''}`;
    sectionSelect.replaceChildren(
      ...next.spans.map((s, i) => h('option', { value: i }, `${visible(s.label)} — 0x${hex(s.start)} (${formatBytes(s.end - s.start)})`)),
    );
    sectionSelect.hidden = next.spans.length === 0;
    sizeSpacer();
    // Where the page was, when it is the same file (shown again, or rebuilt); else the top.
    const saved = savedState();
    const keep = same
      ? { firstRow, selected }
      : saved.fileName === next.fileName
        ? { firstRow: saved.firstRow ?? 0, selected: saved.selected ?? -1 }
        : { firstRow: 0, selected: -1 };
    selected = isOffset(keep.selected) && keep.selected < next.size ? keep.selected : -1;
    scrollToRow(isOffset(keep.firstRow) ? keep.firstRow : 0);
    status.textContent =
      selected >= 0 ? describe(selected) : 'Point at a byte for its offset and section; click or use the arrow keys to select.';
    root.setAttribute('aria-busy', 'false');
    document.body.setAttribute('data-revision', String(next.revision));
  }

  window.addEventListener('message', (event) => {
    // The webview host posts from this page's own origin.
    if (event.origin !== window.origin) return;
    const message = readHostMessage(event.data);
    if (!message) {
      console.warn('hex view: ignored a message of unknown type or shape');
      return;
    }
    if (message.type === 'file') open(message.file);
    else if (message.type === 'bytes') {
      if (file && message.revision === file.revision) receive(message.offset, message.data);
    } else if (message.type === 'reveal') select(message.offset, { center: true });
    else {
      file = undefined;
      root.replaceChildren(
        h('h1', { id: 'title' }, visible(message.fileName)),
        h('div', { class: 'error', role: 'alert' }, visible(message.message)),
      );
      root.setAttribute('aria-busy', 'false');
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
