// @ts-check
/**
 * The inspector panel's page (a VS Code webview; see src/extension/inspector/). It receives one message with
 * the inspect report and builds the whole panel from it with DOM calls: every string from the binary
 * (import, export and section names, producers...) is set as text (textContent, attribute values), never
 * parsed as HTML. There is no innerHTML, eval or inline handler in this file, and the page's
 * Content-Security-Policy would refuse them anyway.
 *
 * Messages are checked before use (`readHostMessage`): an unknown type or a wrong shape is dropped.
 * Long tables (imports, exports, custom sections) are virtualised: only the rows in view are in the DOM.
 * The scroll position, filters and sort orders live in the webview state, so they survive the panel being
 * hidden and the report being reloaded after a rebuild.
 */
import { formatBytes } from '../../src/core/text/bytes';
import {
  arrayOf,
  hasExactly,
  isBoolean,
  isCount,
  isNumber,
  isPlainObject as isObject,
  isRich,
  isString,
  oneOf,
  recordOf,
  shape,
} from '../../src/extension/webview/checks';
import { h, name, prose, visible } from '../common/dom.js';

/** @typedef {import('../../src/extension/inspector/protocol').InspectorModel} InspectorModel */

(() => {
  'use strict';

  const vscode = acquireVsCodeApi();
  const root = /** @type {HTMLElement} */ (document.getElementById('inspector'));

  // ---------------------------------------------------------------------------------------------
  // Checking what the extension sends

  const isProducers = recordOf(arrayOf(shape({ name: isString, version: isString })));
  const isReport = shape(
    {
      kind: oneOf('module', 'component'),
      sizeBytes: isCount,
      sections: arrayOf(shape({ id: isCount, name: isString, offset: isCount, size: isCount })),
      imports: arrayOf(shape({ module: isString, name: isString, kind: isString, type: isString })),
      exports: arrayOf(shape({ name: isString, kind: isString, type: isString }, { internalName: isString })),
      customSections: arrayOf(shape({ name: isString, offset: isCount, size: isCount, category: isString })),
      features: arrayOf(isString),
      functions: shape({ imported: isCount, defined: isCount, codeBytes: isCount }),
      debug: shape({ dwarf: isBoolean }, { sourceMappingURL: isString, externalDebugInfo: isString }),
      host: shape(
        {
          kind: isString,
          title: isString,
          summary: isRich,
          runnableByWasiRuntime: isBoolean,
          unknownModules: arrayOf(isString),
          notes: arrayOf(isRich),
        },
        { entryPoint: isString, wasi: isString, importsRenamed: isBoolean },
      ),
      capabilitySummary: isRich,
      capabilities: arrayOf(
        shape({
          id: isString,
          title: isString,
          description: isString,
          risk: oneOf('low', 'medium', 'high'),
          grant: shape({ runner: isRich, wasmtime: isRich, spin: isRich }),
          imports: arrayOf(isString),
        }),
      ),
      unrecognisedImports: arrayOf(shape({ import: isString, note: isString })),
      warnings: arrayOf(shape({ offset: isCount, message: isString })),
      bytesRead: isCount,
    },
    {
      file: isString,
      producers: isProducers,
      targetFeatures: arrayOf(shape({ prefix: isString, name: isString })),
      moduleName: isString,
      coreModules: arrayOf(
        shape({
          index: isCount,
          offset: isCount,
          sizeBytes: isCount,
          imports: isCount,
          exports: isCount,
          functions: isCount,
          codeBytes: isCount,
        }),
      ),
      wit: isString,
      witError: isString,
    },
  );
  /** A part of the whole, 0 to 1. @param {unknown} v @returns {v is number} */
  const isShare = (v) => isNumber(v) && v >= 0 && v <= 1;
  const isSize = shape(
    {
      totalBytes: isCount,
      sections: arrayOf(
        shape({
          key: isString,
          label: isString,
          kind: oneOf('header', 'section', 'custom', 'other'),
          bytes: isCount,
          count: isCount,
          share: isShare,
        }),
      ),
    },
    {
      functions: shape({
        count: isCount,
        totalBytes: isCount,
        largest: arrayOf(shape({ index: isCount, name: isString, named: isBoolean, bytes: isCount, share: isShare })),
        other: shape({ count: isCount, bytes: isCount, share: isShare }),
      }),
      modules: arrayOf(shape({ index: isCount, bytes: isCount, codeBytes: isCount, functions: isCount, share: isShare })),
    },
  );
  // An action offered, enabled or not; `reason` says why not.
  const isOffer = shape({ enabled: isBoolean }, { reason: isString });
  const isRow = shape({ label: isString, meaning: isString });
  /** @type {Check<Wire<InspectorModel>>} */
  const isModel = shape({
    fileName: isString,
    report: isReport,
    size: isSize,
    actions: shape({ grants: isBoolean, manageTrust: isBoolean }, { run: isOffer, deploy: isOffer }),
    revision: isCount,
    featureRows: shape({ used: isRow, target: isRow }),
    spans: arrayOf(
      shape({
        name: isString,
        label: isString,
        kind: oneOf('header', 'section', 'custom'),
        start: isCount,
        payloadStart: isCount,
        end: isCount,
      }),
    ),
  });

  /**
   * The message when it is one this page knows, exactly; otherwise undefined.
   * @param {unknown} data
   * @returns {{ type: 'report', model: Wire<InspectorModel> } | { type: 'error', fileName: string, message: string, revision: number } | { type: 'status', text: string, level: 'info' | 'error' } | undefined}
   */
  function readHostMessage(data) {
    if (!isObject(data)) return undefined;
    if (data.type === 'report' && hasExactly(data, ['type', 'model']) && isModel(data.model)) return /** @type {any} */ (data);
    if (
      data.type === 'error' &&
      hasExactly(data, ['type', 'fileName', 'message', 'revision']) &&
      isString(data.fileName) &&
      isString(data.message) &&
      isCount(data.revision)
    ) {
      return /** @type {any} */ (data);
    }
    if (data.type === 'status' && hasExactly(data, ['type', 'text', 'level']) && isString(data.text) && oneOf('info', 'error')(data.level))
      return /** @type {any} */ (data);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // State kept across reloads and hiding (vscode.getState / setState)

  /**
   * @typedef {{ filter: string, sortColumn: number, sortDescending: boolean, scrollTop: number }} TableState
   * @typedef {{ scrollY: number, tables: Record<string, TableState> }} PageState
   */
  /** A scroll position (fractional when zoomed). @param {unknown} v @returns {v is number} */
  const isPosition = (v) => isNumber(v) && v >= 0;
  /** @returns {PageState} */
  function loadState() {
    /** @type {PageState} */
    const fresh = { scrollY: 0, tables: {} };
    const saved = vscode.getState();
    if (!isObject(saved)) return fresh;
    if (isPosition(saved.scrollY)) fresh.scrollY = saved.scrollY;
    if (isObject(saved.tables)) {
      for (const [id, t] of Object.entries(saved.tables)) {
        if (shape({ filter: isString, sortColumn: isNumber, sortDescending: isBoolean, scrollTop: isPosition })(t))
          fresh.tables[id] = /** @type {TableState} */ (t);
      }
    }
    return fresh;
  }
  const state = loadState();
  let saveTimer = 0;
  function saveState() {
    clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => vscode.setState(state), 100);
  }
  /** @param {string} id @returns {TableState} */
  function tableState(id) {
    return (state.tables[id] ??= { filter: '', sortColumn: -1, sortDescending: false, scrollTop: 0 });
  }

  // ---------------------------------------------------------------------------------------------
  // Building DOM (text only)

  const numberFormat = new Intl.NumberFormat('en-US');
  /** @param {number} n */
  const count = (n) => numberFormat.format(n);
  /** @param {number} share */
  const percent = (share) => `${(share * 100).toFixed(share < 0.001 && share > 0 ? 2 : 1)} %`;
  /** @param {number} n @param {string} one @param {string} [many] */
  const plural = (n, one, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

  /** A section with a heading, for the page outline. @param {string} id @param {string} title @param {...(Node | string | undefined | false)} content */
  function section(id, title, ...content) {
    return h('section', { id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title`, tabindex: -1 }, title), ...content);
  }

  // ---------------------------------------------------------------------------------------------
  // Actions

  const actionLabels = {
    openAsWat: 'Open as WAT',
    openAsHex: 'Hex view',
    reopenWith: 'Reopen with…',
    run: 'Run',
    editGrants: 'Run grants…',
    deploy: 'Deploy to cluster',
    manageTrust: 'Manage Workspace Trust',
    copyJson: 'Copy JSON report',
  };

  /**
   * Run and Deploy are offered (or not) and enabled (or not, with the reason shown under the buttons).
   * @typedef {{ enabled: boolean, reason?: string }} Offer
   * @param {{ run?: Offer, deploy?: Offer, grants?: boolean, manageTrust?: boolean, copy: boolean }} offered
   */
  function toolbar(offered) {
    /** @param {keyof typeof actionLabels} action @param {string} title @param {boolean} [primary] @param {Offer} [offer] */
    const button = (action, title, primary = false, offer) =>
      h(
        'button',
        {
          type: 'button',
          class: primary ? 'primary' : 'secondary',
          'data-action': action,
          'data-focus-key': `action:${action}`,
          title,
          disabled: offer && !offer.enabled,
          'aria-describedby': offer?.reason ? reasonId(offer.reason) : undefined,
        },
        actionLabels[action],
      );
    // One line per distinct reason (in Restricted Mode, Run and Deploy share theirs).
    const reasons = [...new Set([offered.run?.reason, offered.deploy?.reason].filter((r) => typeof r === 'string'))];
    /** @param {string} reason */
    function reasonId(reason) {
      return `action-reason-${reasons.indexOf(reason)}`;
    }
    const bar = h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Actions' },
      button('openAsWat', 'Show the binary as WebAssembly text (WAT)', true),
      button('openAsHex', 'Show the bytes, with every section marked where it starts'),
      button('reopenWith', 'Choose another editor for this file'),
      offered.run && button('run', 'Run it in a terminal; you choose what it may access', false, offered.run),
      offered.grants && button('editGrants', 'Choose what its runs may use: arguments, environment variables, directories'),
      offered.deploy && button('deploy', 'Deploy it to a Kubernetes cluster', false, offered.deploy),
      offered.manageTrust && button('manageTrust', 'Trust this folder to run and deploy from it'),
      offered.copy && button('copyJson', 'Copy the report as JSON (as `wasm-workbench inspect --json` prints it)'),
    );
    if (!reasons.length) return bar;
    return h(
      'div',
      { class: 'actions' },
      bar,
      ...reasons.map((reason) => h('p', { id: reasonId(reason), class: 'action-reason' }, reason)),
    );
  }

  root.addEventListener('click', (event) => {
    const bytesButton = event.target instanceof Element ? event.target.closest('button[data-show-bytes]') : null;
    if (bytesButton) {
      const offset = Number(bytesButton.getAttribute('data-show-bytes'));
      if (Number.isSafeInteger(offset) && offset >= 0) vscode.postMessage({ type: 'showBytes', offset });
      return;
    }
    const target = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (!target) return;
    const action = target.getAttribute('data-action');
    if (action && Object.prototype.hasOwnProperty.call(actionLabels, action)) vscode.postMessage({ type: 'action', action });
  });

  // ---------------------------------------------------------------------------------------------
  // Summary and capabilities

  /** @param {any} model */
  function header(model) {
    const report = model.report;
    const kind = report.kind === 'module' ? 'Core module' : 'Component';
    return h(
      'header',
      { class: 'page-header' },
      h('h1', { id: 'title' }, h('span', { class: 'file', dir: 'ltr' }, visible(model.fileName))),
      h(
        'p',
        { class: 'subtitle' },
        h('span', { class: 'chip' }, kind),
        ` ${formatBytes(report.sizeBytes)} (${count(report.sizeBytes)} bytes) · `,
        h('strong', {}, report.host.title),
      ),
      toolbar({ ...model.actions, copy: true }),
      h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    );
  }

  /** @param {any} report */
  function producerList(report) {
    if (!report.producers) return undefined;
    const labels = /** @type {Record<string, string>} */ ({ language: 'Language', 'processed-by': 'Built with', sdk: 'SDK' });
    const rows = Object.entries(report.producers).filter(([, values]) => values.length);
    if (!rows.length) return undefined;
    return rows.map(([field, values]) => [
      h('dt', {}, Object.prototype.hasOwnProperty.call(labels, field) ? labels[field] : visible(field)),
      h(
        'dd',
        {},
        ...values.flatMap((/** @type {{name: string, version: string}} */ v, /** @type {number} */ i) => [
          i ? ', ' : '',
          name(v.version ? `${v.name} ${v.version}` : v.name),
        ]),
      ),
    ]);
  }

  /** @param {any} model */
  function summary(model) {
    const report = model.report;
    const host = report.host;
    const f = report.functions;
    const debug = [
      report.debug.dwarf ? 'DWARF' : '',
      report.debug.sourceMappingURL !== undefined ? 'source map' : '',
      report.debug.externalDebugInfo !== undefined ? 'external debug info' : '',
    ].filter(Boolean);
    const dl = h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Kind'),
      h('dd', {}, report.kind === 'module' ? 'Core module' : 'Component (component model)'),
      h('dt', {}, 'Size'),
      h('dd', {}, `${formatBytes(report.sizeBytes)} (${count(report.sizeBytes)} bytes)`),
      report.moduleName !== undefined && h('dt', {}, 'Module name'),
      report.moduleName !== undefined && h('dd', {}, name(report.moduleName)),
      h('dt', {}, 'Host'),
      h('dd', {}, h('strong', {}, host.title), h('br'), prose(host.summary)),
      host.entryPoint !== undefined && h('dt', {}, 'Entry point'),
      host.entryPoint !== undefined && h('dd', {}, name(host.entryPoint)),
      ...(producerList(report) ?? [h('dt', {}, 'Producers'), h('dd', { class: 'muted' }, 'not recorded (no producers section)')]).flat(),
      h('dt', {}, model.featureRows.used.label),
      h(
        'dd',
        {},
        report.features.length
          ? h('ul', { class: 'chips' }, ...report.features.map((/** @type {string} */ x) => h('li', { class: 'chip' }, x)))
          : h('span', {}, 'nothing beyond WebAssembly 1.0'),
        h('span', { class: 'hint' }, model.featureRows.used.meaning),
      ),
      !!report.targetFeatures?.length && h('dt', {}, model.featureRows.target.label),
      !!report.targetFeatures?.length &&
        h(
          'dd',
          {},
          h(
            'ul',
            { class: 'chips' },
            ...report.targetFeatures.map((/** @type {{prefix: string, name: string}} */ t) =>
              h('li', { class: `chip ${t.prefix === '-' ? 'chip-off' : ''}` }, visible(`${t.prefix}${t.name}`)),
            ),
          ),
          h('span', { class: 'hint' }, model.featureRows.target.meaning),
        ),
      h('dt', {}, 'Functions'),
      h('dd', {}, `${count(f.imported)} imported, ${count(f.defined)} defined, ${formatBytes(f.codeBytes)} of code`),
      h('dt', {}, 'Debug info'),
      h('dd', {}, debug.length ? debug.join(', ') : 'none'),
    );
    const notes = host.notes.map((/** @type {(string | { code: string })[]} */ n) => h('p', { class: 'note' }, prose(n)));
    return section('summary', 'Summary', dl, ...notes);
  }

  const riskText = { low: 'Low risk', medium: 'Medium risk', high: 'High risk' };
  // A shape as well as a colour, so the risk reads without colour too (and the text says it in words).
  const riskGlyph = { low: '●', medium: '◆', high: '▲' };

  /** @param {any} capability */
  function capabilityCard(capability) {
    /** @type {'low' | 'medium' | 'high'} */
    const risk = capability.risk;
    return h(
      'article',
      { class: `card risk-${risk}`, 'aria-labelledby': `cap-${capability.id}` },
      h(
        'header',
        {},
        h('h3', { id: `cap-${capability.id}` }, capability.title, ' ', h('code', { class: 'id' }, capability.id)),
        h(
          'span',
          { class: `risk risk-${risk}` },
          h('span', { class: 'glyph', 'aria-hidden': 'true' }, riskGlyph[risk]),
          ' ',
          riskText[risk],
        ),
      ),
      h('p', {}, capability.description),
      h(
        'p',
        { class: 'label' },
        capability.imports.length === 1 ? 'Because it imports' : `Because it imports (${count(capability.imports.length)})`,
      ),
      h('ul', { class: 'imports' }, ...capability.imports.map((/** @type {string} */ i) => h('li', {}, name(i)))),
      h(
        'dl',
        { class: 'grant' },
        h('dt', {}, 'wasm-workbench run'),
        h('dd', {}, prose(capability.grant.runner)),
        h('dt', {}, 'wasmtime'),
        h('dd', {}, prose(capability.grant.wasmtime)),
        h('dt', {}, 'Spin'),
        h('dd', {}, prose(capability.grant.spin)),
      ),
    );
  }

  /** @param {any} report */
  function capabilities(report) {
    const host = report.host;
    const cards = report.capabilities.map(capabilityCard);
    const warnings = [];
    if (host.unknownModules.length) {
      warnings.push(
        h(
          'article',
          { class: 'card warning', 'aria-labelledby': 'unknown-modules' },
          h(
            'header',
            {},
            h('h3', { id: 'unknown-modules' }, report.kind === 'module' ? 'Unknown import modules' : 'Imports no WASI host provides'),
            h('span', { class: 'risk risk-high' }, h('span', { class: 'glyph', 'aria-hidden': 'true' }, '⚠'), ' Needs a special host'),
          ),
          h(
            'p',
            {},
            host.importsRenamed
              ? 'No WASI runtime provides these, and a minifier renamed them: what each one is cannot be read here.'
              : 'No WASI runtime provides these: only a host (or a composed component) that defines them can run it.',
          ),
          h('ul', { class: 'imports' }, ...host.unknownModules.map((/** @type {string} */ m) => h('li', {}, name(m)))),
        ),
      );
    }
    if (report.unrecognisedImports.length) {
      warnings.push(
        h(
          'article',
          { class: 'card warning', 'aria-labelledby': 'unrecognised' },
          h(
            'header',
            {},
            h('h3', { id: 'unrecognised' }, 'Unrecognised WASI imports'),
            h('span', { class: 'risk risk-medium' }, h('span', { class: 'glyph', 'aria-hidden': 'true' }, '?'), ' Unknown'),
          ),
          h('p', {}, 'Imports from WASI namespaces that this version does not know (misspelt, or newer).'),
          h(
            'ul',
            { class: 'imports' },
            ...report.unrecognisedImports.map((/** @type {{import: string, note: string}} */ u) =>
              h('li', {}, name(u.import), ` — ${u.note}`),
            ),
          ),
        ),
      );
    }
    // Core's sentence: it accounts for the host card above as well as the capability cards.
    const intro = h('p', { id: 'capability-summary' }, prose(report.capabilitySummary));
    return section('capabilities', 'Capabilities', intro, h('div', { class: 'cards' }, ...warnings, ...cards));
  }

  // ---------------------------------------------------------------------------------------------
  // Virtualised tables: only the rows in view are in the DOM

  const ROW_HEIGHT = 24;
  const MAX_VISIBLE_ROWS = 15;
  const OVERSCAN = 4;

  /**
   * @typedef {{ label: string, width: string, numeric?: boolean, sortKey?: (row: number) => number }} Column
   * @param {{ id: string, label: string, noun: string, columns: Column[], rows: string[][] }} spec
   */
  function virtualTable(spec) {
    const { id, columns, rows } = spec;
    const saved = tableState(id);
    /** @type {number[]} */
    let view = [];
    /** @type {string[] | undefined} */
    let haystack;
    /** @type {Map<number, (string | number)[]>} */
    const sortKeys = new Map();

    const filter = h('input', {
      type: 'search',
      id: `${id}-filter`,
      class: 'filter',
      placeholder: `Filter ${spec.noun}…`,
      'aria-controls': `${id}-table`,
      'data-focus-key': `${id}:filter`,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    filter.value = saved.filter;
    const counter = h('span', { class: 'count', id: `${id}-count`, 'aria-live': 'polite' });
    const table = h('div', {
      role: 'table',
      id: `${id}-table`,
      class: 'vt',
      'aria-label': spec.label,
      'aria-rowcount': rows.length + 1,
      'aria-describedby': `${id}-count`,
    });
    table.style.setProperty('--columns', columns.map((c) => c.width).join(' '));

    /** @type {HTMLElement[]} */
    const headers = columns.map((column, c) => {
      const button = h(
        'button',
        { type: 'button', class: 'sort', 'data-focus-key': `${id}:sort:${c}` },
        column.label,
        h('span', { class: 'arrow', 'aria-hidden': 'true' }),
      );
      button.addEventListener('click', () => {
        // Ascending, descending, then back to file order.
        if (saved.sortColumn !== c) {
          saved.sortColumn = c;
          saved.sortDescending = false;
        } else if (!saved.sortDescending) saved.sortDescending = true;
        else saved.sortColumn = -1;
        saved.scrollTop = 0;
        update();
      });
      return h('div', { role: 'columnheader', class: column.numeric ? 'numeric' : undefined }, button);
    });
    const head = h(
      'div',
      { role: 'rowgroup', class: 'vt-head' },
      h('div', { role: 'row', 'aria-rowindex': 1, class: 'vt-row' }, ...headers),
    );
    const body = h('div', { role: 'rowgroup', class: 'vt-body' });
    const viewport = h(
      'div',
      {
        class: 'vt-viewport',
        tabindex: 0,
        'data-focus-key': `${id}:rows`,
        'aria-label': `${spec.label}: rows (arrow keys, Page Up/Down, Home and End scroll)`,
      },
      body,
    );
    const empty = h('p', { class: 'empty muted', hidden: true });
    table.append(head, viewport);

    function sortKeyOf(/** @type {number} */ c) {
      let keys = sortKeys.get(c);
      if (!keys) {
        const column = /** @type {Column} */ (columns[c]);
        keys = column.sortKey
          ? rows.map((_, i) => /** @type {(row: number) => number} */ (column.sortKey)(i))
          : rows.map((r) => (r[c] ?? '').toLowerCase());
        sortKeys.set(c, keys);
      }
      return keys;
    }

    function update() {
      const query = filter.value.trim().toLowerCase();
      saved.filter = filter.value;
      if (query) {
        haystack ??= rows.map((r) => r.join('\n').toLowerCase());
        const found = [];
        for (let i = 0; i < rows.length; i++) if (/** @type {string} */ (haystack[i]).includes(query)) found.push(i);
        view = found;
      } else {
        view = rows.map((_, i) => i);
      }
      if (saved.sortColumn >= 0 && saved.sortColumn < columns.length) {
        const keys = sortKeyOf(saved.sortColumn);
        const direction = saved.sortDescending ? -1 : 1;
        view.sort((a, b) => {
          const x = /** @type {string | number} */ (keys[a]);
          const y = /** @type {string | number} */ (keys[b]);
          return x < y ? -direction : x > y ? direction : a - b;
        });
      }
      headers.forEach((header, c) => {
        const sorted = c === saved.sortColumn;
        header.setAttribute('aria-sort', sorted ? (saved.sortDescending ? 'descending' : 'ascending') : 'none');
        const arrow = /** @type {HTMLElement} */ (header.querySelector('.arrow'));
        arrow.textContent = sorted ? (saved.sortDescending ? ' ▼' : ' ▲') : '';
      });
      table.setAttribute('aria-rowcount', String(view.length + 1));
      counter.textContent = query
        ? `${count(view.length)} of ${plural(rows.length, spec.noun.replace(/s$/, ''), spec.noun)}`
        : plural(rows.length, spec.noun.replace(/s$/, ''), spec.noun);
      empty.hidden = view.length > 0;
      empty.textContent = `No ${spec.noun} match “${filter.value.trim()}”.`;
      viewport.hidden = view.length === 0;
      body.style.height = `${view.length * ROW_HEIGHT}px`;
      viewport.style.height = `${Math.min(view.length, MAX_VISIBLE_ROWS) * ROW_HEIGHT}px`;
      viewport.scrollTop = saved.scrollTop;
      paint();
      saveState();
    }

    let painted = { first: -1, last: -1, length: -1 };
    function paint(force = true) {
      const top = viewport.scrollTop;
      const height = viewport.clientHeight || Math.min(view.length, MAX_VISIBLE_ROWS) * ROW_HEIGHT;
      const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
      const last = Math.min(view.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
      if (!force && first === painted.first && last === painted.last && view.length === painted.length) return;
      painted = { first, last, length: view.length };
      const fragment = document.createDocumentFragment();
      for (let i = first; i < last; i++) {
        const rowIndex = /** @type {number} */ (view[i]);
        const cells = /** @type {string[]} */ (rows[rowIndex]);
        const row = h('div', { role: 'row', class: 'vt-row', 'aria-rowindex': i + 2, 'data-row': rowIndex });
        row.style.top = `${i * ROW_HEIGHT}px`;
        columns.forEach((column, c) => {
          const text = cells[c] ?? '';
          row.append(
            h(
              'div',
              { role: 'cell', class: column.numeric ? 'numeric' : undefined, title: text.length > 24 ? text : undefined, dir: 'ltr' },
              text,
            ),
          );
        });
        fragment.append(row);
      }
      body.replaceChildren(fragment);
    }

    let frame = 0;
    viewport.addEventListener(
      'scroll',
      () => {
        saved.scrollTop = viewport.scrollTop;
        saveState();
        if (!frame)
          frame = requestAnimationFrame(() => {
            frame = 0;
            paint(false);
          });
      },
      { passive: true },
    );
    viewport.addEventListener('keydown', (event) => {
      const page = Math.max(ROW_HEIGHT, viewport.clientHeight - ROW_HEIGHT);
      /** @type {Record<string, number>} */
      const moves = { ArrowDown: ROW_HEIGHT, ArrowUp: -ROW_HEIGHT, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
      const move = moves[event.key];
      if (move === undefined) return;
      event.preventDefault();
      const max = viewport.scrollHeight - viewport.clientHeight;
      viewport.scrollTop = Math.max(0, Math.min(max, move === Infinity ? max : move === -Infinity ? 0 : viewport.scrollTop + move));
      saved.scrollTop = viewport.scrollTop;
      paint(false);
    });
    let filterTimer = 0;
    filter.addEventListener('input', () => {
      clearTimeout(filterTimer);
      filterTimer = window.setTimeout(
        () => {
          saved.scrollTop = 0;
          update();
        },
        rows.length > 5000 ? 150 : 0,
      );
    });

    if (!rows.length) return { element: h('p', { class: 'empty muted' }, `No ${spec.noun}.`), update: () => undefined };
    const wrapper = h(
      'div',
      { class: 'vt-wrapper' },
      h(
        'div',
        { class: 'vt-tools' },
        h('label', { for: `${id}-filter`, class: 'visually-hidden' }, `Filter ${spec.noun}`),
        filter,
        counter,
      ),
      table,
      empty,
    );
    // Painted once the wrapper is in the document (the viewport needs a size).
    return { element: wrapper, update };
  }

  // ---------------------------------------------------------------------------------------------
  // Imports, exports, custom sections

  /** @param {any} report @param {(() => void)[]} afterAttach */
  function importsSection(report, afterAttach) {
    const module = report.kind === 'module';
    const columns = module
      ? [
          { label: 'Module', width: 'minmax(8em, 1fr)' },
          { label: 'Name', width: 'minmax(8em, 1.2fr)' },
          { label: 'Kind', width: '7em' },
          { label: 'Type', width: 'minmax(10em, 2fr)' },
        ]
      : [
          { label: 'Name', width: 'minmax(10em, 2fr)' },
          { label: 'Kind', width: '8em' },
          { label: 'Type', width: 'minmax(8em, 1fr)' },
        ];
    const rows = report.imports.map((/** @type {any} */ i) =>
      module ? [visible(i.module), visible(i.name), i.kind, i.type] : [visible(i.name), i.kind, i.type],
    );
    const table = virtualTable({ id: 'imports', label: 'Imports', noun: 'imports', columns, rows });
    afterAttach.push(table.update);
    return section('imports', `Imports (${count(rows.length)})`, table.element);
  }

  /** @param {any} report @param {(() => void)[]} afterAttach */
  function exportsSection(report, afterAttach) {
    const internal = report.exports.some((/** @type {any} */ e) => e.internalName !== undefined);
    /** @type {Column[]} */
    const columns = [
      { label: 'Name', width: 'minmax(10em, 1.5fr)' },
      { label: 'Kind', width: '7em' },
      { label: 'Type', width: 'minmax(10em, 2fr)' },
    ];
    if (internal) columns.push({ label: 'Internal name', width: 'minmax(8em, 1fr)' });
    const rows = report.exports.map((/** @type {any} */ e) => {
      const row = [visible(e.name), e.kind, e.type];
      if (internal) row.push(e.internalName !== undefined ? visible(e.internalName) : '');
      return row;
    });
    const table = virtualTable({ id: 'exports', label: 'Exports', noun: 'exports', columns, rows });
    afterAttach.push(table.update);
    return section('exports', `Exports (${count(rows.length)})`, table.element);
  }

  /** @param {any} report @param {(() => void)[]} afterAttach */
  function customSection(report, afterAttach) {
    const list = report.customSections;
    const rows = list.map((/** @type {any} */ s) => [visible(s.name), s.category, formatBytes(s.size), `0x${s.offset.toString(16)}`]);
    const table = virtualTable({
      id: 'custom',
      label: 'Custom sections',
      noun: 'custom sections',
      columns: [
        { label: 'Name', width: 'minmax(10em, 2fr)' },
        { label: 'Kind', width: 'minmax(6em, 1fr)' },
        { label: 'Size', width: '7em', numeric: true, sortKey: (i) => list[i].size },
        { label: 'Offset', width: '7em', numeric: true, sortKey: (i) => list[i].offset },
      ],
      rows,
    });
    afterAttach.push(table.update);
    const debug = report.debug;
    const facts = h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'DWARF'),
      h('dd', {}, debug.dwarf ? 'yes (.debug_* sections): debuggers can map it to source lines' : 'no'),
      h('dt', {}, 'Source map'),
      // Shown as text, never as a link: it comes from the binary (it could say javascript:...).
      h('dd', {}, debug.sourceMappingURL !== undefined ? name(debug.sourceMappingURL) : 'no'),
      debug.externalDebugInfo !== undefined && h('dt', {}, 'External debug info'),
      debug.externalDebugInfo !== undefined && h('dd', {}, name(debug.externalDebugInfo)),
    );
    return section('custom-sections', `Custom sections and debug info (${count(list.length)})`, facts, table.element);
  }

  // ---------------------------------------------------------------------------------------------
  // Sections: where each lies in the file, each row opening the hex view there

  /** @param {any} model */
  function sectionsSection(model) {
    /** @type {any[]} */
    const spans = model.spans;
    const table = h(
      'table',
      { class: 'data sections' },
      h('caption', { class: 'visually-hidden' }, 'Sections in file order, with their offsets'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Section', 'Offset', 'Payload from', 'Size', ''].map((t, i) =>
            h('th', { scope: 'col', class: i > 0 && i < 4 ? 'numeric' : undefined }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...spans.map((s) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              s.kind === 'custom' ? 'custom section ' : s.label,
              s.kind === 'custom' && name(s.name.replace(/^custom:/, '')),
            ),
            h('td', { class: 'numeric' }, `0x${s.start.toString(16)}`),
            h('td', { class: 'numeric' }, `0x${s.payloadStart.toString(16)}`),
            h('td', { class: 'numeric', title: `${count(s.end - s.start)} bytes` }, formatBytes(s.end - s.start)),
            h(
              'td',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'link',
                  'data-show-bytes': s.start,
                  'data-focus-key': `bytes:${s.start}`,
                  title: `Show the bytes from 0x${s.start.toString(16)} in the hex view`,
                },
                'Show bytes',
              ),
            ),
          ),
        ),
      ),
    );
    return section('sections', `Sections (${count(spans.filter((s) => s.kind !== 'header').length)})`, table);
  }

  // ---------------------------------------------------------------------------------------------
  // Size picture

  /** @param {any} size */
  function sizePicture(size) {
    const detail = h(
      'p',
      { class: 'detail', id: 'size-detail', 'aria-live': 'polite' },
      'Point at or focus a part of the bar for its size.',
    );
    // One tab stop for the whole bar; the arrow keys (and Home, End) move between its parts.
    const map = h('div', {
      class: 'filemap',
      role: 'list',
      'aria-label': 'Bytes per section, largest first (arrow keys move between sections)',
      'aria-describedby': 'size-detail',
    });
    map.addEventListener('keydown', (event) => {
      const segments = /** @type {HTMLElement[]} */ ([...map.querySelectorAll('.segment')]);
      const at = segments.indexOf(/** @type {HTMLElement} */ (document.activeElement));
      /** @type {Record<string, number>} */
      const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: segments.length - 1 };
      const next = moves[event.key];
      if (next === undefined || at < 0) return;
      event.preventDefault();
      const target = segments[Math.max(0, Math.min(segments.length - 1, next))];
      if (!target) return;
      for (const segment of segments) segment.tabIndex = segment === target ? 0 : -1;
      target.focus();
    });
    size.sections.forEach((/** @type {any} */ s, /** @type {number} */ i) => {
      const text = `${s.label}${s.count > 1 && s.kind !== 'other' ? ` (${s.count} sections)` : ''}: ${formatBytes(s.bytes)}, ${count(s.bytes)} bytes, ${percent(s.share)} of the file`;
      const segment = h('div', {
        role: 'listitem',
        tabindex: i === 0 ? 0 : -1,
        class: `segment ${s.kind === 'other' ? 'c-other' : `c${i % 7}`}`,
        title: visible(text),
        'aria-label': visible(text),
        'data-key': s.key,
        'data-focus-key': `size:${s.key}`,
      });
      segment.style.flexGrow = String(Math.max(s.bytes, 1));
      const show = () => (detail.textContent = visible(text));
      segment.addEventListener('mouseenter', show);
      segment.addEventListener('focus', show);
      map.append(segment);
    });
    const legend = h(
      'table',
      { class: 'data legend' },
      h('caption', { class: 'visually-hidden' }, 'Bytes per section'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Section'),
          h('th', { scope: 'col', class: 'numeric' }, 'Bytes'),
          h('th', { scope: 'col', class: 'numeric' }, 'Share'),
        ),
      ),
      h(
        'tbody',
        {},
        ...size.sections.map((/** @type {any} */ s, /** @type {number} */ i) =>
          h(
            'tr',
            { title: `${count(s.bytes)} bytes` },
            h(
              'th',
              { scope: 'row' },
              h('span', { class: `swatch ${s.kind === 'other' ? 'c-other' : `c${i % 7}`}`, 'aria-hidden': 'true' }),
              s.kind === 'custom' ? 'custom section ' : s.label,
              s.kind === 'custom' && name(s.key.replace(/^custom:/, '')),
              s.count > 1 && s.kind !== 'other' ? ` ×${count(s.count)}` : '',
            ),
            h('td', { class: 'numeric' }, formatBytes(s.bytes)),
            h('td', { class: 'numeric' }, percent(s.share)),
          ),
        ),
      ),
    );
    const parts = [h('h3', {}, 'Where the bytes go'), map, detail, legend];

    if (size.functions) {
      const f = size.functions;
      const largest = Math.max(1, ...f.largest.map((/** @type {any} */ x) => x.bytes));
      /** @type {HTMLElement[]} */
      const rows = f.largest.map((/** @type {any} */ fn) =>
        barRow(
          name(fn.name, fn.named ? 'name' : 'name unnamed'),
          fn.bytes,
          fn.share,
          fn.bytes / largest,
          `${visible(fn.name)}: ${count(fn.bytes)} bytes, ${percent(fn.share)} of all function bodies`,
        ),
      );
      if (f.other.count)
        rows.push(
          barRow(
            `${plural(f.other.count, 'other function')}`,
            f.other.bytes,
            f.other.share,
            0,
            `${plural(f.other.count, 'other function')}: ${count(f.other.bytes)} bytes`,
          ),
        );
      parts.push(
        h('h3', {}, `Largest functions (${count(f.largest.length)} of ${count(f.count)})`),
        f.count ? barTable('Largest functions by body size', 'Function', rows) : h('p', { class: 'muted' }, 'It defines no functions.'),
      );
    }
    if (size.modules?.length) {
      const largest = Math.max(1, ...size.modules.map((/** @type {any} */ m) => m.bytes));
      parts.push(
        h('h3', {}, `Core modules (${count(size.modules.length)})`),
        barTable(
          'Core modules by size',
          'Module',
          size.modules.map((/** @type {any} */ m) =>
            barRow(
              `core module ${m.index}: ${plural(m.functions, 'function')}, ${formatBytes(m.codeBytes)} of code`,
              m.bytes,
              m.share,
              m.bytes / largest,
              `core module ${m.index}: ${count(m.bytes)} bytes, ${percent(m.share)} of the file`,
            ),
          ),
        ),
      );
    }
    return section('size', 'Size', ...parts);
  }

  /** @param {Node | string} label @param {number} n @param {number} share @param {number} fraction @param {string} text */
  function barRow(label, n, share, fraction, text) {
    const fill = h('span', { class: 'fill' });
    fill.style.width = `${Math.max(fraction > 0 ? 0.5 : 0, Math.min(1, fraction) * 100)}%`;
    return h(
      'tr',
      { title: text },
      h('th', { scope: 'row' }, label),
      h('td', { class: 'numeric' }, formatBytes(n)),
      h('td', { class: 'numeric' }, percent(share)),
      h('td', { class: 'bar', 'aria-hidden': 'true' }, fill),
    );
  }

  /** @param {string} caption @param {string} what @param {HTMLElement[]} rows */
  function barTable(caption, what, rows) {
    return h(
      'table',
      { class: 'data bars' },
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, what),
          h('th', { scope: 'col', class: 'numeric' }, 'Bytes'),
          h('th', { scope: 'col', class: 'numeric' }, 'Share'),
          h('td', { 'aria-hidden': 'true' }),
        ),
      ),
      h('tbody', {}, ...rows),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Components, warnings

  /** @param {any} report */
  function componentSections(report) {
    if (report.kind !== 'component') return [];
    const wit =
      report.wit !== undefined
        ? h('pre', { class: 'wit', tabindex: 0, 'aria-label': 'WIT world' }, h('code', { dir: 'ltr' }, report.wit))
        : h(
            'p',
            { class: 'muted' },
            report.witError !== undefined ? `Not available: ${report.witError}` : 'Not printed (wasmWorkbench.inspect.showWit is off).',
          );
    const modules = report.coreModules ?? [];
    const table = modules.length
      ? h(
          'table',
          { class: 'data' },
          h('caption', { class: 'visually-hidden' }, 'Nested core modules'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['#', 'Offset', 'Size', 'Functions', 'Code', 'Imports', 'Exports', 'Producers'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            ...modules.map((/** @type {any} */ m) =>
              h(
                'tr',
                {},
                h('td', {}, String(m.index)),
                h('td', {}, `0x${m.offset.toString(16)}`),
                h('td', {}, formatBytes(m.sizeBytes)),
                h('td', {}, count(m.functions)),
                h('td', {}, formatBytes(m.codeBytes)),
                h('td', {}, count(m.imports)),
                h('td', {}, count(m.exports)),
                h(
                  'td',
                  {},
                  ...Object.values(m.producers ?? {})
                    .flat()
                    .flatMap((/** @type {any} */ p, /** @type {number} */ i) => [
                      i ? ', ' : '',
                      name(p.version ? `${p.name} ${p.version}` : p.name),
                    ]),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No nested core modules.');
    return [section('wit', 'WIT world', wit), section('modules', `Nested core modules (${count(modules.length)})`, table)];
  }

  /** @param {any} report */
  function warningsSection(report) {
    if (!report.warnings.length) return undefined;
    return section(
      'warnings',
      `Warnings (${count(report.warnings.length)})`,
      h(
        'ul',
        {},
        ...report.warnings.map((/** @type {any} */ w) => h('li', {}, `at byte 0x${w.offset.toString(16)}: `, visible(w.message))),
      ),
    );
  }

  /** @param {any} report */
  function outline(report) {
    const targets = [
      ['summary', 'Summary'],
      ['capabilities', 'Capabilities'],
      ['imports', 'Imports'],
      ['exports', 'Exports'],
      ['size', 'Size'],
      ['sections', 'Sections'],
      ...(report.kind === 'component'
        ? [
            ['wit', 'WIT world'],
            ['modules', 'Core modules'],
          ]
        : []),
      ['custom-sections', 'Custom sections'],
      ...(report.warnings.length ? [['warnings', 'Warnings']] : []),
    ];
    const nav = h('nav', { 'aria-label': 'Sections of this report', class: 'outline' });
    for (const [id, label] of targets) {
      const button = h('button', { type: 'button', class: 'link', 'data-focus-key': `outline:${id}` }, /** @type {string} */ (label));
      button.addEventListener('click', () => {
        const heading = document.getElementById(`${id}-title`);
        heading?.scrollIntoView({ block: 'start' });
        heading?.focus({ preventScroll: true });
      });
      nav.append(button);
    }
    return nav;
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  let lastRevision = -1;

  /** Remembers which control had the focus, to give it back after a reload redraws the page. */
  function focusKey() {
    const active = document.activeElement;
    return active instanceof HTMLElement ? active.getAttribute('data-focus-key') : null;
  }

  /** @param {string | null} key */
  function restoreFocus(key) {
    if (!key) return;
    for (const node of root.querySelectorAll('[data-focus-key]')) {
      if (node.getAttribute('data-focus-key') === key && node instanceof HTMLElement) {
        node.focus({ preventScroll: true });
        return;
      }
    }
  }

  /** @param {any} model */
  function render(model) {
    const reloaded = lastRevision >= 0;
    const scrollY = reloaded ? window.scrollY : state.scrollY;
    const focused = reloaded ? focusKey() : null;
    lastRevision = model.revision;
    const report = model.report;
    document.title = model.fileName;

    // The summary first: it is what a person looks at, and the first paint the benchmark measures.
    const top = [header(model), outline(report), summary(model), capabilities(report)];
    root.replaceChildren(...top);
    performance.mark('inspector-summary');

    /** @type {(() => void)[]} */
    const afterAttach = [];
    root.append(
      importsSection(report, afterAttach),
      exportsSection(report, afterAttach),
      sizePicture(model.size),
      sectionsSection(model),
      ...componentSections(report),
      customSection(report, afterAttach),
    );
    const warnings = warningsSection(report);
    if (warnings) root.append(warnings);
    for (const paint of afterAttach) paint();
    root.setAttribute('aria-busy', 'false');
    window.scrollTo(0, scrollY);
    restoreFocus(focused);
    // Two frames: the first runs before the paint, the second after it.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        performance.mark('inspector-painted');
        document.body.setAttribute('data-painted-revision', String(model.revision));
      }),
    );
  }

  /** @param {{ fileName: string, message: string, revision: number }} error */
  function renderError(error) {
    lastRevision = error.revision;
    document.title = error.fileName;
    root.replaceChildren(
      h(
        'header',
        { class: 'page-header' },
        h('h1', { id: 'title' }, h('span', { class: 'file', dir: 'ltr' }, visible(error.fileName))),
        // Nothing can run or be deployed from a file that is not a Wasm binary: say so where the buttons are.
        toolbar({ run: { enabled: false, reason: 'It cannot run or be deployed: it could not be inspected.' }, copy: false }),
        h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
      ),
      h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Could not inspect this file. '), visible(error.message)),
      h('p', { class: 'muted' }, 'The panel tries again when the file changes on disk.'),
    );
    root.setAttribute('aria-busy', 'false');
    document.body.setAttribute('data-painted-revision', String(error.revision));
  }

  /** @param {{ text: string, level: string }} status */
  function showStatus(status) {
    const line = document.getElementById('status');
    if (!line) return;
    line.textContent = status.text;
    line.classList.toggle('status-error', status.level === 'error');
  }

  let scrollTimer = 0;
  window.addEventListener(
    'scroll',
    () => {
      clearTimeout(scrollTimer);
      scrollTimer = window.setTimeout(() => {
        state.scrollY = window.scrollY;
        saveState();
      }, 50);
    },
    { passive: true },
  );

  window.addEventListener('message', (event) => {
    // The webview host posts from this page's own origin.
    if (event.origin !== window.origin) return;
    const message = readHostMessage(event.data);
    if (!message) {
      console.warn('inspector: ignored a message of unknown type or shape');
      return;
    }
    if (message.type === 'report') render(message.model);
    else if (message.type === 'error') renderError(message);
    else showStatus(message);
  });

  vscode.postMessage({ type: 'ready' });
})();
