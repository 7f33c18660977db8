// @ts-check
/**
 * The run grants editor's page (a VS Code webview; see src/extension/run/grants-editor.ts). It receives the
 * model (which sections the runner's support table offers, the grants remembered) and builds a form with DOM
 * calls: paths, names and values are set as text and input values, never parsed as HTML (no innerHTML, eval or
 * inline handlers; the page's Content-Security-Policy refuses them anyway). What the user types stays in this
 * page until Save or Run sends it; the extension checks it again before it is used.
 */
import {
  arrayOf,
  hasExactly,
  isBoolean,
  isPlainObject as isObject,
  isRich,
  isString,
  oneOf,
  shape,
} from '../../src/extension/webview/checks';
import { h, prose } from '../common/dom.js';

/** @typedef {import('../../src/extension/run/grants-protocol').GrantsModel} GrantsModel */

(() => {
  'use strict';

  const vscode = acquireVsCodeApi();
  const root = /** @type {HTMLElement} */ (document.getElementById('grants'));

  // ---------------------------------------------------------------------------------------------
  // Checking what the extension sends

  const isGrants = shape({
    args: arrayOf(isString),
    env: arrayOf(shape({ key: isString, value: isString })),
    dirs: arrayOf(shape({ host: isString, guest: isString, readOnly: isBoolean })),
  });
  /** @type {Check<Wire<GrantsModel>>} */
  const isModel = shape(
    {
      fileName: isString,
      label: isString,
      purpose: oneOf('run', 'edit'),
      sections: arrayOf(
        shape({
          id: isString,
          title: isString,
          summary: isRich,
          widget: oneOf('arguments', 'directories', 'variables', 'none'),
          needed: isBoolean,
        }),
      ),
      notes: arrayOf(shape({ title: isString, text: isRich })),
      grants: isGrants,
      remembered: isBoolean,
      commandLine: isString,
    },
    { problem: isString },
  );

  /** @param {unknown} data */
  function readHostMessage(data) {
    if (!isObject(data)) return undefined;
    if (data.type === 'state' && hasExactly(data, ['type', 'model']) && isModel(data.model))
      return /** @type {{ type: 'state', model: any }} */ (data);
    if (data.type === 'status' && hasExactly(data, ['type', 'level', 'text']) && oneOf('info', 'error')(data.level) && isString(data.text))
      return /** @type {{ type: 'status', level: string, text: string }} */ (data);
    if (data.type === 'commandLine' && hasExactly(data, ['type', 'text']) && isString(data.text))
      return /** @type {{ type: 'commandLine', text: string }} */ (data);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Building DOM (text only)

  // ---------------------------------------------------------------------------------------------
  // The form

  /** @type {any} */
  let model;
  /** @type {{ args: string[], env: { key: string, value: string }[], dirs: { host: string, guest: string, readOnly: boolean }[] }} */
  let grants = { args: [], env: [], dirs: [] };
  /** The element to focus after a redraw (by its data-focus key). */
  let focusKey = '';

  const edited = () => ({ args: [...grants.args], env: grants.env.map((e) => ({ ...e })), dirs: grants.dirs.map((d) => ({ ...d })) });

  let previewTimer = 0;
  function changed() {
    clearTimeout(previewTimer);
    previewTimer = window.setTimeout(() => vscode.postMessage({ type: 'preview', grants: edited() }), 250);
  }

  /** @param {string} label @param {string} key @param {() => void} act @param {string} [cls] @param {string} [title] */
  function button(label, key, act, cls = 'secondary', title) {
    const b = h('button', { type: 'button', class: cls, 'data-focus': key, title }, label);
    b.addEventListener('click', act);
    return b;
  }

  /** @param {string} value @param {string} label @param {string} key @param {(v: string) => void} set @param {string} [placeholder] */
  function input(value, label, key, set, placeholder) {
    const field = h('input', { type: 'text', 'aria-label': label, 'data-focus': key, placeholder, spellcheck: 'false' });
    field.value = value;
    field.addEventListener('input', () => {
      set(field.value);
      changed();
    });
    return field;
  }

  /** @param {() => void} mutate @param {string} nextFocus */
  function redraw(mutate, nextFocus) {
    mutate();
    focusKey = nextFocus;
    changed();
    render();
  }

  function argumentsList() {
    const rows = grants.args.map((arg, i) =>
      h(
        'li',
        { class: 'row' },
        h('span', { class: 'index', 'aria-hidden': 'true' }, String(i + 1)),
        input(arg, `Argument ${i + 1}`, `arg:${i}`, (v) => (grants.args[i] = v)),
        button(
          '↑',
          `arg-up:${i}`,
          () => redraw(() => grants.args.splice(i - 1, 0, ...grants.args.splice(i, 1)), `arg-up:${i - 1}`),
          'icon',
          `Move argument ${i + 1} up`,
        ),
        button(
          '↓',
          `arg-down:${i}`,
          () => redraw(() => grants.args.splice(i + 1, 0, ...grants.args.splice(i, 1)), `arg-down:${i + 1}`),
          'icon',
          `Move argument ${i + 1} down`,
        ),
        button('✕', `arg-remove:${i}`, () => redraw(() => grants.args.splice(i, 1), 'add-arg'), 'icon', `Remove argument ${i + 1}`),
      ),
    );
    rows.forEach((row, i) => {
      /** @type {HTMLButtonElement} */ (row.querySelector(`[data-focus="arg-up:${i}"]`)).disabled = i === 0;
      /** @type {HTMLButtonElement} */ (row.querySelector(`[data-focus="arg-down:${i}"]`)).disabled = i === rows.length - 1;
    });
    return [
      rows.length
        ? h('ol', { class: 'rows', id: 'args' }, ...rows)
        : h('p', { class: 'empty' }, 'No arguments: the program gets only its name.'),
      button('Add argument', 'add-arg', () => redraw(() => grants.args.push(''), `arg:${grants.args.length}`)),
    ];
  }

  function variablesList() {
    const rows = grants.env.map((variable, i) =>
      h(
        'li',
        { class: 'row' },
        input(variable.key, `Name of variable ${i + 1}`, `env-key:${i}`, (v) => (variable.key = v), 'NAME'),
        h('span', { class: 'equals', 'aria-hidden': 'true' }, '='),
        input(variable.value, `Value of variable ${i + 1}`, `env-value:${i}`, (v) => (variable.value = v), 'value'),
        button('✕', `env-remove:${i}`, () => redraw(() => grants.env.splice(i, 1), 'add-env'), 'icon', `Remove variable ${i + 1}`),
      ),
    );
    return [
      rows.length
        ? h('ul', { class: 'rows', id: 'env' }, ...rows)
        : h('p', { class: 'empty' }, 'No variables: the program sees an empty environment (never the editor’s own).'),
      button('Add variable', 'add-env', () => redraw(() => grants.env.push({ key: '', value: '' }), `env-key:${grants.env.length}`)),
    ];
  }

  function directoriesList() {
    const rows = grants.dirs.map((dir, i) => {
      const access = h(
        'select',
        { 'aria-label': `Access to directory ${i + 1}`, 'data-focus': `dir-access:${i}` },
        h('option', { value: 'ro' }, 'Read-only'),
        h('option', { value: 'rw' }, 'Read and write'),
      );
      access.value = dir.readOnly ? 'ro' : 'rw';
      access.addEventListener('change', () => {
        dir.readOnly = access.value === 'ro';
        changed();
      });
      return h(
        'li',
        { class: 'row dir' },
        input(dir.host, `Host folder of directory ${i + 1}`, `dir-host:${i}`, (v) => (dir.host = v), '/path/on/this/machine'),
        button(
          'Browse…',
          `dir-browse:${i}`,
          () => vscode.postMessage({ type: 'browse', row: i, grants: edited() }),
          'secondary',
          'Choose the folder',
        ),
        h('span', { class: 'as' }, 'as'),
        input(dir.guest, `Guest path of directory ${i + 1}`, `dir-guest:${i}`, (v) => (dir.guest = v), '/data'),
        access,
        button('✕', `dir-remove:${i}`, () => redraw(() => grants.dirs.splice(i, 1), 'add-dir'), 'icon', `Remove directory ${i + 1}`),
      );
    });
    return [
      rows.length
        ? h('ul', { class: 'rows', id: 'dirs' }, ...rows)
        : h('p', { class: 'empty' }, 'No directories: the program can open no file.'),
      // A new row takes a typed path or Browse…; read-only until changed.
      button('Add directory', 'add-dir', () =>
        redraw(() => grants.dirs.push({ host: '', guest: '', readOnly: true }), `dir-host:${grants.dirs.length}`),
      ),
    ];
  }

  /** @param {any} section */
  function sectionBlock(section) {
    const body =
      section.widget === 'arguments'
        ? argumentsList()
        : section.widget === 'variables'
          ? variablesList()
          : section.widget === 'directories'
            ? directoriesList()
            : [h('p', { class: 'empty' }, 'This editor cannot grant it yet: use the command line below.')];
    return h(
      'section',
      { id: `section-${section.id}`, 'aria-labelledby': `title-${section.id}` },
      h(
        'h2',
        { id: `title-${section.id}` },
        section.title,
        section.id !== 'args' &&
          h('span', { class: section.needed ? 'chip needed' : 'chip' }, section.needed ? 'it uses this' : 'it does not use this'),
      ),
      h('p', { class: 'summary' }, prose(section.summary)),
      ...body,
    );
  }

  function render() {
    root.replaceChildren();
    root.removeAttribute('aria-busy');
    const run = model.purpose === 'run';
    /** @type {(Node | string | undefined | false | 0)[]} */
    const parts = [
      h('h1', { id: 'title' }, run ? 'Run ' : 'Run grants: ', h('span', { class: 'file' }, model.fileName)),
      h(
        'p',
        { class: 'lead' },
        run
          ? 'Choose what it may use. Nothing else is granted: no other files, no network, not the editor’s environment.'
          : 'What it may use when it runs from this workspace. Nothing else is granted.',
      ),
      model.problem && h('p', { class: 'problem', role: 'alert' }, model.problem),
      // The actions first: a run waiting for its answer shows Run without scrolling.
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': 'Actions' },
        run
          ? button('Run', 'run', () => send('run'), 'primary', 'Run with these grants (remembered for this binary in this workspace)')
          : button('Save', 'save', () => send('save'), 'primary', 'Remember these grants for this binary in this workspace'),
        !run && button('Save and Run', 'save-run', () => send('run')),
        button(
          'Revoke All',
          'revoke',
          () => vscode.postMessage({ type: 'revoke' }),
          'secondary',
          'Forget what is remembered: the next run asks again',
        ),
        button(run ? 'Cancel' : 'Close', 'cancel', () => vscode.postMessage({ type: 'cancel' })),
      ),
      h(
        'p',
        { class: 'hint' },
        model.remembered ? 'Remembered for this binary in this workspace.' : 'Nothing is remembered for this binary yet.',
        ' An answer that grants nothing is not remembered: the next run asks again.',
      ),
      h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
      ...model.sections.map(sectionBlock),
      model.notes.length &&
        h(
          'section',
          { id: 'section-other', 'aria-labelledby': 'title-other' },
          h('h2', { id: 'title-other' }, 'Also'),
          h('dl', { class: 'notes' }, ...model.notes.flatMap((/** @type {any} */ n) => [h('dt', {}, n.title), h('dd', {}, prose(n.text))])),
        ),
      h(
        'section',
        { id: 'section-cli', 'aria-labelledby': 'title-cli' },
        h('h2', { id: 'title-cli' }, 'From a terminal'),
        h('pre', { id: 'command-line' }, model.commandLine),
      ),
    ];
    for (const part of parts) if (part) root.append(part);
    const revoke = /** @type {HTMLButtonElement} */ (root.querySelector('[data-focus="revoke"]'));
    revoke.disabled = !model.remembered;
    const target = focusKey && /** @type {HTMLElement | null} */ (root.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`));
    if (target) target.focus();
    focusKey = '';
  }

  /** @param {'save' | 'run'} then */
  function send(then) {
    vscode.postMessage({ type: 'save', then, grants: edited() });
  }

  /** @param {string} text @param {string} level */
  function status(text, level) {
    const line = document.getElementById('status');
    if (!line) return;
    line.textContent = text;
    line.className = level === 'error' ? 'status status-error' : 'status';
  }

  window.addEventListener('message', (event) => {
    const message = readHostMessage(event.data);
    if (!message) return;
    if (message.type === 'state') {
      model = message.model;
      grants = {
        args: [...model.grants.args],
        env: model.grants.env.map((/** @type {any} */ e) => ({ ...e })),
        dirs: model.grants.dirs.map((/** @type {any} */ d) => ({ ...d })),
      };
      render();
    } else if (message.type === 'status') {
      status(message.text, message.level);
    } else if (message.type === 'commandLine') {
      const line = document.getElementById('command-line');
      if (line) line.textContent = message.text;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
